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

export type MakeOrderLine = {
  id?: string
  sku: string
  productSku?: string
  title?: string
  quantity?: number
  unitPrice?: number
  shippingPrice?: number
  /** Percent, e.g. 20. */
  taxRate?: number
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
  firstname?: string
  lastname?: string
  shippingTypeCode?: string
  shippingTypeLabel?: string
  fulfillmentCenter?: string
  taxMode?: "TAX_EXCLUDED" | "TAX_INCLUDED"
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

function makeLine(template: MiraklOrderJson, orderId: string, index: number, input: MakeOrderLine, createdAt: string): MiraklOrderJson {
  const quantity = input.quantity ?? 1
  const unit = input.unitPrice ?? 10
  const price = round2(unit * quantity)
  const shipping = input.shippingPrice ?? 0
  const rate = input.taxRate ?? 20
  const commission = round2(price * 0.1)
  const title = input.title ?? `Product ${input.sku}`
  return {
    can_refund: false,
    cancelations: [],
    category_code: template.category_code,
    category_label: template.category_label,
    commission_fee: commission,
    commission_rate_vat: 0,
    commission_taxes: [{ amount: 0, code: "TAXZERO", rate: 0 }],
    commission_vat: 0,
    created_date: createdAt,
    description: title,
    fees: [],
    last_updated_date: createdAt,
    offer_id: 1000 + index,
    offer_sku: input.sku,
    offer_state_code: template.offer_state_code,
    order_line_additional_fields: [],
    order_line_id: input.id ?? `${orderId}-${index}`,
    order_line_index: index,
    order_line_state: input.state ?? "WAITING_ACCEPTANCE",
    origin_unit_price: unit,
    price,
    price_unit: unit,
    product_medias: structuredClone(template.product_medias ?? []),
    product_shop_sku: input.sku,
    product_sku: input.productSku ?? `MKP-${input.sku}`,
    product_title: title,
    promotions: [],
    quantity,
    refunds: [],
    shipping_price: shipping,
    shipping_taxes: [{ amount: round2((shipping * rate) / 100), code: "TAXDEFAULT", rate, tax_calculation_rule: "PROPORTIONAL_TO_AMOUNT" }],
    taxes: [{ amount: round2((price * rate) / 100), code: "TAXDEFAULT", rate, tax_calculation_rule: "PROPORTIONAL_TO_AMOUNT" }],
    total_commission: commission,
    total_price: round2(price + shipping),
  }
}

/** Recomputes the order totals from its lines (after a line is added, refused or canceled). */
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
}

/**
 * Puts an order (and its live lines) in `state` with the dates and flags Mirakl shows in that state.
 * Refused/canceled lines keep their state.
 */
export function applyState(order: MiraklOrderJson, state: string, at: string): void {
  const rank = rankOf(state)
  order.order_state = state
  if (rank >= 2 || state === "REFUSED") order.acceptance_decision_date ??= at
  if (rank >= 3) order.customer_debited_date ??= at
  order.can_shop_ship = state === "SHIPPING"
  order.can_cancel = ["WAITING_DEBIT", "WAITING_DEBIT_PAYMENT", "SHIPPING"].includes(state)
  for (const line of order.order_lines) {
    if (line.order_line_state === "REFUSED" || line.order_line_state === "CANCELED") continue
    line.order_line_state = state
    line.last_updated_date = at
    if (rank >= 3) line.debited_date ??= at
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
  const lines = (input.lines?.length ? input.lines : [{ sku: "SKU-1" }]).map((l, i) =>
    makeLine(lineTemplate, input.id, i + 1, l, createdAt)
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
    state: "Île-de-France",
    country: input.shippingCountry ?? "FRA",
    country_iso_code: input.shippingCountry ?? "FRA",
    phone: "+33 1 23 45 67 89",
  }
  customer.billing_address = {
    ...customer.billing_address,
    firstname,
    lastname,
    country: input.billingCountry ?? input.shippingCountry ?? "FRA",
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
    order_tax_mode: input.taxMode ?? "TAX_EXCLUDED",
    order_taxes: [],
    paymentType: template.paymentType,
    payment_type: template.payment_type,
    payment_workflow: template.payment_workflow,
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
