import fs from "node:fs"
import path from "node:path"

/**
 * Mirakl orders for the simulator, built on the official OR11 example
 * (shared/reference/samples/mirakl_OR11_orders_200.example.json). That example does not validate
 * against the spec it comes from: required fields are missing (`paymentType`, line `description`,
 * `commission_rate_vat`, `commission_vat`, refunds' `refund_state`, taxes' `tax_calculation_rule`)
 * and several values are null where the spec says string/number/object. `repairSampleOrder` fixes
 * those so every body the simulator sends is spec-valid.
 */
const SAMPLE_DIRS = [
  path.resolve(__dirname, "../../../../shared/reference/samples"),
  path.resolve(process.cwd(), "../shared/reference/samples"),
]

export type MiraklOrderJson = Record<string, any>

let sampleCache: MiraklOrderJson | undefined

/** The first order of the official OR11 example, as shipped (not spec-valid). */
export function loadSampleOrder(): MiraklOrderJson {
  if (!sampleCache) {
    const dir = SAMPLE_DIRS.find((d) => fs.existsSync(path.join(d, "mirakl_OR11_orders_200.example.json")))
    if (!dir) throw new Error(`mirakl_OR11_orders_200.example.json not found in ${SAMPLE_DIRS.join(" or ")}`)
    sampleCache = JSON.parse(fs.readFileSync(path.join(dir, "mirakl_OR11_orders_200.example.json"), "utf8")).orders[0]
  }
  return structuredClone(sampleCache!)
}

/** Removes null members (the spec types those fields as plain strings/objects, never nullable). */
export function dropNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.filter((v) => v !== null).map(dropNulls) as T
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, dropNulls(v)])
    ) as T
  }
  return value
}

function fillTaxRule(taxes: any[] | undefined): void {
  for (const t of taxes ?? []) t.tax_calculation_rule ??= "PROPORTIONAL_TO_AMOUNT"
}

/** The sample order made spec-valid: only missing required fields are filled and nulls dropped. */
export function repairSampleOrder(sample: MiraklOrderJson = loadSampleOrder()): MiraklOrderJson {
  const order = dropNulls(sample)
  order.paymentType ??= order.payment_type ?? "CREDIT_CARD"
  for (const line of order.order_lines ?? []) {
    line.description ??= line.product_title ?? ""
    const firstCommissionTax = line.commission_taxes?.[0]
    line.commission_rate_vat ??= firstCommissionTax?.rate ?? 0
    line.commission_vat ??= firstCommissionTax?.amount ?? 0
    for (const r of line.refunds ?? []) r.refund_state ??= r.state ?? "REFUNDED"
    fillTaxRule(line.taxes)
    fillTaxRule(line.shipping_taxes)
    if (line.shipping_from && Object.keys(line.shipping_from.warehouse ?? {}).length === 0) delete line.shipping_from.warehouse
  }
  return order
}

/** A tax of a line or of its shipping; `amount` defaults to the rate applied in the order's tax mode. */
export type MakeOrderTax = { code: string; rate?: number; amount?: number }

/** A shop promotion on a line (OR11 `order_lines[].promotions[]`); `amount` is its `deduced_amount` for the line. */
export type MakeOrderPromotion = {
  id: string
  amount: number
  type?: "AMOUNT_OFF" | "FREE_ITEMS" | "PERCENTAGE_OFF" | "REDUCED_UNIT_PRICE"
  description?: string
  promoCode?: string
  apportioned?: boolean
  amountOff?: number
  percentageOff?: number
}

/** A cancelation already recorded on a line (what OR30 leaves in `order_lines[].cancelations[]`). */
export type MakeOrderCancelation = {
  quantity: number
  amount: number
  shippingAmount?: number
  taxes?: { code: string; amount: number; rate?: number }[]
  shippingTaxes?: { code: string; amount: number; rate?: number }[]
  fees?: { code: string; amount: number }[]
  reasonCode?: string
}

export type MakeOrderLine = {
  id?: string
  sku: string
  productSku?: string
  title?: string
  quantity?: number
  unitPrice?: number
  shippingPrice?: number
  /** Percent, e.g. 20. Used when `taxes` / `shippingTaxes` are not given. */
  taxRate?: number
  /** The line's taxes (default: one TAXDEFAULT tax at `taxRate`). */
  taxes?: MakeOrderTax[]
  /** The line's shipping taxes (default: one TAXDEFAULT tax at `taxRate`). */
  shippingTaxes?: MakeOrderTax[]
  /** Deducted from the line price (`price = price_unit × quantity − Σ deduced_amount`). */
  promotions?: MakeOrderPromotion[]
  /** Fees charged on the line on top of its price (part of `total_price`). */
  fees?: { code: string; amount: number }[]
  /** Eco-contribution per unit, included in the price (informative in OR11). */
  ecoContribution?: { unitAmount: number; category: string }
  cancelations?: MakeOrderCancelation[]
  state?: string
}

export type MakeOrderInput = {
  id: string
  state?: string
  createdAt?: string | Date
  lastUpdated?: string | Date
  currency?: string
  lines?: MakeOrderLine[]
  /** ISO-3166 alpha-3, as Mirakl sends it. */
  shippingCountry?: string
  billingCountry?: string
  /** The `country` label (Mirakl sends a name, e.g. "France"); defaults to the alpha-3 code. */
  shippingCountryName?: string
  billingCountryName?: string
  /** Shipping address `state` (default "Île-de-France"). */
  shippingState?: string
  firstname?: string
  lastname?: string
  shippingTypeCode?: string
  shippingTypeLabel?: string
  fulfillmentCenter?: string
  taxMode?: "TAX_EXCLUDED" | "TAX_INCLUDED"
  paymentWorkflow?: "PAY_ON_ACCEPTANCE" | "PAY_ON_DELIVERY" | "PAY_ON_DUE_DATE" | "PAY_ON_SHIPMENT" | "NO_CUSTOMER_PAYMENT_CONFIRMATION"
  /** Free text in OR11 (e.g. "Visa"). */
  paymentType?: string
  /**
   * The operator collects the taxes (advanced amount breakdown): every tax amount is debited from
   * the customer but not paid to the shop, as with US marketplace-facilitator sales tax.
   */
  operatorCollectsTax?: boolean
  additionalFields?: { code: string; type: string; value: unknown }[]
}

const round2 = (n: number) => Math.round(n * 100) / 100
const iso = (d: string | Date | undefined, fallback: string) => (d === undefined ? fallback : new Date(d).toISOString())

const STATE_RANK: Record<string, number> = {
  STAGING: 0,
  WAITING_ACCEPTANCE: 1,
  WAITING_DEBIT: 2,
  WAITING_DEBIT_PAYMENT: 2,
  SHIPPING: 3,
  SHIPPED: 4,
  TO_COLLECT: 4,
  RECEIVED: 5,
  CLOSED: 6,
}
export const rankOf = (state: string) => STATE_RANK[state] ?? -1

/** Tax on `base` at `rate` %: added on top (TAX_EXCLUDED) or contained in it (TAX_INCLUDED), to the cent. */
export function taxOn(base: number, rate: number, taxMode: string): number {
  return taxMode === "TAX_INCLUDED" ? round2(base - base / (1 + rate / 100)) : round2((base * rate) / 100)
}

function taxEntries(base: number, taxes: MakeOrderTax[], taxMode: string, operatorCollects: boolean): MiraklOrderJson[] {
  return taxes.map((t) => {
    const amount = t.amount ?? taxOn(base, t.rate ?? 0, taxMode)
    return {
      amount,
      ...(operatorCollects
        ? { amount_breakdown: { parts: [{ amount, commissionable: false, debitable_from_customer: true, payable_to_shop: false }] } }
        : {}),
      code: t.code,
      ...(t.rate !== undefined ? { rate: t.rate } : {}),
      tax_calculation_rule: "PROPORTIONAL_TO_AMOUNT",
    }
  })
}

function promotionEntry(p: MakeOrderPromotion): MiraklOrderJson {
  const type = p.type ?? "AMOUNT_OFF"
  return {
    apportioned: p.apportioned ?? false,
    configuration: {
      ...(type === "AMOUNT_OFF" ? { amount_off: p.amountOff ?? p.amount } : {}),
      internal_description: p.description ?? p.id,
      ...(type === "PERCENTAGE_OFF" && p.percentageOff !== undefined ? { percentage_off: p.percentageOff } : {}),
      type,
    },
    deduced_amount: p.amount,
    id: p.id,
    ...(p.promoCode ? { promo_code: p.promoCode } : {}),
  }
}

function makeLine(
  template: MiraklOrderJson,
  orderId: string,
  index: number,
  input: MakeOrderLine,
  createdAt: string,
  order: { taxMode: string; operatorCollectsTax: boolean }
): MiraklOrderJson {
  const quantity = input.quantity ?? 1
  const unit = input.unitPrice ?? 10
  const promotions = input.promotions ?? []
  const price = round2(unit * quantity - promotions.reduce((s, p) => s + p.amount, 0))
  const shipping = input.shippingPrice ?? 0
  const rate = input.taxRate ?? 20
  const fees = input.fees ?? []
  const commission = round2(price * 0.1)
  const title = input.title ?? `Product ${input.sku}`
  const defaultTax = [{ code: "TAXDEFAULT", rate }]
  const lineId = input.id ?? `${orderId}-${index}`
  return {
    can_refund: false,
    cancelations: (input.cancelations ?? []).map((c, n) => ({
      amount: c.amount,
      commission_amount: 0,
      commission_taxes: [],
      commission_total_amount: 0,
      created_date: createdAt,
      fees: c.fees ?? [],
      id: `${lineId}-C${n + 1}`,
      quantity: c.quantity,
      reason_code: c.reasonCode ?? "34",
      shipping_amount: c.shippingAmount ?? 0,
      shipping_taxes: c.shippingTaxes ?? [],
      taxes: c.taxes ?? [],
    })),
    category_code: template.category_code,
    category_label: template.category_label,
    commission_fee: commission,
    commission_rate_vat: 0,
    commission_taxes: [{ amount: 0, code: "TAXZERO", rate: 0 }],
    commission_vat: 0,
    created_date: createdAt,
    description: title,
    ...(input.ecoContribution
      ? {
          eco_contributions: [
            {
              epr_category_code: input.ecoContribution.category,
              producer_id: "EPR_PRODUCER_ID",
              producer_id_owner: "SELLER",
              total_amount: round2(input.ecoContribution.unitAmount * quantity),
              unit_amount: input.ecoContribution.unitAmount,
            },
          ],
        }
      : {}),
    fees,
    last_updated_date: createdAt,
    offer_id: 1000 + index,
    offer_sku: input.sku,
    offer_state_code: template.offer_state_code,
    order_line_additional_fields: [],
    order_line_id: lineId,
    order_line_index: index,
    order_line_state: input.state ?? "WAITING_ACCEPTANCE",
    origin_unit_price: unit,
    price,
    price_unit: unit,
    product_medias: structuredClone(template.product_medias ?? []),
    product_shop_sku: input.sku,
    product_sku: input.productSku ?? `MKP-${input.sku}`,
    product_title: title,
    promotions: promotions.map(promotionEntry),
    quantity,
    refunds: [],
    shipping_price: shipping,
    shipping_taxes: taxEntries(shipping, input.shippingTaxes ?? defaultTax, order.taxMode, order.operatorCollectsTax),
    taxes: taxEntries(price, input.taxes ?? defaultTax, order.taxMode, order.operatorCollectsTax),
    total_commission: commission,
    total_price: round2(price + shipping + fees.reduce((s, f) => s + f.amount, 0)),
  }
}

/**
 * Recomputes the order totals from its live lines (after a line is added, refused or canceled): the
 * sums OR11 documents (`price`, `shipping_price`, `total_price` with fees), `order_taxes` per code
 * and the order's promotion summary. Like the line figures, they stay as ordered when a line is
 * partly canceled: the cancelations carry what was taken off.
 */
export function recomputeTotals(order: MiraklOrderJson): void {
  const live = order.order_lines.filter((l: any) => l.order_line_state !== "REFUSED" && l.order_line_state !== "CANCELED")
  const sum = (f: (l: any) => number) => round2(live.reduce((s: number, l: any) => s + f(l), 0))
  order.price = sum((l) => l.price)
  order.shipping_price = sum((l) => l.shipping_price)
  order.total_price = sum((l) => l.total_price)
  order.total_commission = sum((l) => l.total_commission)
  const byCode = new Map<string, { code: string; rate?: number; total_amount: number }>()
  for (const l of live) {
    for (const t of [...(l.taxes ?? []), ...(l.shipping_taxes ?? [])]) {
      const entry = byCode.get(t.code) ?? { code: t.code, ...(t.rate !== undefined ? { rate: t.rate } : {}), total_amount: 0 }
      entry.total_amount = round2(entry.total_amount + t.amount)
      byCode.set(t.code, entry)
    }
  }
  order.order_taxes = [...byCode.values()]
  const promotions = new Map<string, MiraklOrderJson>()
  for (const l of live) {
    for (const p of l.promotions ?? []) {
      const entry = promotions.get(p.id) ?? { ...structuredClone(p), deduced_amount: 0 }
      entry.deduced_amount = round2(entry.deduced_amount + p.deduced_amount)
      promotions.set(p.id, entry)
    }
  }
  const applied = [...promotions.values()]
  order.promotions = { applied_promotions: applied, total_deduced_amount: round2(applied.reduce((s, p) => s + p.deduced_amount, 0)) }
}

/**
 * Puts an order (and its live lines) in `state` with the dates and flags Mirakl shows in that state.
 * Refused/canceled lines keep their state.
 */
export function applyState(order: MiraklOrderJson, state: string, at: string): void {
  const rank = rankOf(state)
  order.order_state = state
  if (rank >= 2 || state === "REFUSED") order.acceptance_decision_date ??= at
  // Pay on delivery: the customer is debited once the parcel is received, not when the order ships.
  // Due-date (invoice) and unconfirmed payments are never debited through Mirakl here.
  const debitRank = { PAY_ON_DELIVERY: 5, PAY_ON_DUE_DATE: Infinity, NO_CUSTOMER_PAYMENT_CONFIRMATION: Infinity }[order.payment_workflow as string] ?? 3
  if (rank >= debitRank) order.customer_debited_date ??= at
  order.can_shop_ship = state === "SHIPPING"
  order.can_cancel = ["WAITING_DEBIT", "WAITING_DEBIT_PAYMENT", "SHIPPING"].includes(state)
  for (const line of order.order_lines) {
    if (line.order_line_state === "REFUSED" || line.order_line_state === "CANCELED") continue
    line.order_line_state = state
    line.last_updated_date = at
    if (rank >= debitRank) line.debited_date ??= at
    if (rank >= 4) line.shipped_date ??= at
    if (rank >= 5) line.received_date ??= at
  }
  order.last_updated_date = at
}

/** A spec-valid OR11 order. Defaults: state SHIPPING, one line, shipped to France, EUR, tax excluded. */
export function makeOrder(input: MakeOrderInput): MiraklOrderJson {
  const template = repairSampleOrder()
  const lineTemplate = template.order_lines[0]
  const createdAt = iso(input.createdAt, new Date().toISOString())
  const updatedAt = iso(input.lastUpdated, createdAt)
  const state = input.state ?? "SHIPPING"
  const commercialId = input.id.replace(/-[A-Z]$/, "")
  const taxMode = input.taxMode ?? "TAX_EXCLUDED"
  const lines = (input.lines?.length ? input.lines : [{ sku: "SKU-1" }]).map((l, i) =>
    makeLine(lineTemplate, input.id, i + 1, l, createdAt, { taxMode, operatorCollectsTax: !!input.operatorCollectsTax })
  )

  const customer = template.customer
  const firstname = input.firstname ?? "Camille"
  const lastname = input.lastname ?? "Martin"
  customer.customer_id = `CUST-${commercialId}`
  customer.firstname = firstname
  customer.lastname = lastname
  customer.shipping_address = {
    ...customer.shipping_address,
    firstname,
    lastname,
    street_1: "12 rue des Lilas",
    street_2: "Bâtiment B",
    zip_code: "75011",
    city: "Paris",
    state: input.shippingState ?? "Île-de-France",
    country: input.shippingCountryName ?? input.shippingCountry ?? "FRA",
    country_iso_code: input.shippingCountry ?? "FRA",
    phone: "+33 1 23 45 67 89",
  }
  customer.billing_address = {
    ...customer.billing_address,
    firstname,
    lastname,
    country: input.billingCountryName ?? input.billingCountry ?? input.shippingCountryName ?? input.shippingCountry ?? "FRA",
    country_iso_code: input.billingCountry ?? input.shippingCountry ?? "FRA",
  }

  const order: MiraklOrderJson = {
    can_cancel: false,
    can_shop_ship: false,
    channel: template.channel,
    commercial_id: commercialId,
    created_date: createdAt,
    currency_iso_code: input.currency ?? "EUR",
    customer,
    customer_directly_pays_seller: false,
    customer_notification_email: `notification+${commercialId.toLowerCase()}@notification.mirakl.net`,
    delivery_date: template.delivery_date,
    fulfillment: { center: { code: input.fulfillmentCenter ?? "DEFAULT" } },
    fully_refunded: false,
    has_customer_message: false,
    has_incident: false,
    has_invoice: false,
    last_updated_date: createdAt,
    leadtime_to_ship: 2,
    order_additional_fields: input.additionalFields ?? [],
    order_id: input.id,
    order_lines: lines,
    order_state: "WAITING_ACCEPTANCE",
    order_tax_mode: taxMode,
    order_taxes: [],
    paymentType: input.paymentType ?? template.paymentType,
    payment_type: input.paymentType ?? template.payment_type,
    payment_workflow: input.paymentWorkflow ?? template.payment_workflow,
    price: 0,
    promotions: { applied_promotions: [], total_deduced_amount: 0 },
    references: { order_reference_for_customer: `REF-${commercialId}` },
    shipping_deadline: new Date(Date.parse(createdAt) + 3 * 86400_000).toISOString(),
    shipping_price: 0,
    shipping_type_code: input.shippingTypeCode ?? template.shipping_type_code,
    shipping_type_label: input.shippingTypeLabel ?? template.shipping_type_label,
    shipping_zone_code: template.shipping_zone_code,
    shipping_zone_label: template.shipping_zone_label,
    total_commission: 0,
    total_price: 0,
  }
  recomputeTotals(order)
  applyState(order, state, createdAt)
  if (rankOf(state) >= 4) {
    order.shipping_carrier_code = "UPS"
    order.shipping_company = "UPS"
    order.shipping_tracking = `1Z${commercialId.replace(/\W/g, "")}`
  }
  order.last_updated_date = updatedAt
  return order
}
