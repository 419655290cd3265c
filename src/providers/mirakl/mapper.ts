import { ChannelOrderImportError } from "../../modules/channel/errors"
import type { CanonicalOrderInput } from "../../modules/channel/types/canonical-order"
import type { RawOrderIdentity } from "../../modules/channel/types/provider"
import { toAlpha2 } from "./countries"
import { DROPPED_LINE_STATES, UNPAID_STATES } from "./statuses"
import type {
  MiraklAdditionalField,
  MiraklAddress,
  MiraklCancelation,
  MiraklFee,
  MiraklOrder,
  MiraklOrderLine,
  MiraklPromotion,
  MiraklTax,
} from "./types"

type CanonicalAddressInput = NonNullable<CanonicalOrderInput["shipping_address"]>
type CanonicalItemInput = CanonicalOrderInput["items"][number]
type CanonicalChargeInput = NonNullable<CanonicalOrderInput["charges"]>[number]
type TaxLine = { code: string | null; name: string | null; rate: number | null; amount: number }
type Discount = { code: string | null; name: string | null; amount: number }

const isObject = (v: unknown): v is Record<string, any> => !!v && typeof v === "object" && !Array.isArray(v)
const text = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined)
const isAmount = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v)
const amount = (v: unknown): number => (isAmount(v) ? v : 0)
/** Sums of JSON floats drift (0.1 + 0.2); the amounts summed here never need more than 6 decimals. */
const round = (n: number): number => Math.round(n * 1e6) / 1e6
const EPSILON = 1e-6
const sum = <T>(list: readonly T[], f: (x: T) => number): number => round(list.reduce((s, x) => s + f(x), 0))
const objects = <T>(list: T[] | null | undefined): T[] => (Array.isArray(list) ? list.filter(isObject) : []) as T[]

export function identifyMiraklOrder(raw: unknown): RawOrderIdentity {
  if (!isObject(raw) || !text(raw.order_id) || !text(raw.order_state)) {
    throw new ChannelOrderImportError("unidentified_payload", "A Mirakl order needs order_id and order_state")
  }
  return {
    external_id: raw.order_id.trim(),
    status: raw.order_state.trim(),
    updated_at: text(raw.last_updated_date) ? toIso(raw.last_updated_date) : null,
  }
}

/** Mirakl dates carry a zone (Z or an offset); the canonical order wants UTC. Unreadable values pass through for the validator to name. */
function toIso(value: unknown): string {
  if (typeof value !== "string") return String(value ?? "")
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? value : new Date(ms).toISOString()
}

/**
 * `country_iso_code` is ISO alpha-3 in the spec; `country` is a label ("France", "Belgique"). A code
 * this table knows becomes alpha-2; anything else is passed on as given, with the label, for the
 * import pipeline to resolve (or hold the order) rather than refusing it here.
 */
function toAddress(a: MiraklAddress | null | undefined): CanonicalAddressInput | null {
  // Before acceptance (or shipping, per operator setting) Mirakl sends no address at all.
  if (!isObject(a)) return null
  const iso = text(a.country_iso_code)
  const name = text(a.country)
  const alpha2 = toAlpha2(iso) ?? toAlpha2(name)
  const company = [text(a.company), text(a.company_2)].filter(Boolean).join(", ")
  return {
    first_name: text(a.firstname) ?? null,
    last_name: text(a.lastname) ?? null,
    company: company || null,
    address_1: text(a.street_1) ?? null,
    address_2: text(a.street_2) ?? null,
    city: text(a.city) ?? null,
    province: text(a.state) ?? null,
    postal_code: text(a.zip_code) ?? null,
    country_code: alpha2 ? alpha2.toLowerCase() : iso ?? null,
    country: name ?? null,
    phone: text(a.phone) ?? text(a.phone_secondary) ?? null,
  }
}

// ---- lines and cancelations -------------------------------------------------------------------

/** Units taken off a line by its cancelations (OR29/OR30), never more than were ordered. */
export function canceledQuantity(line: Pick<MiraklOrderLine, "quantity" | "cancelations">): number {
  const canceled = objects(line.cancelations).reduce(
    (s, c) => s + (Number.isInteger(c.quantity) && (c.quantity as number) > 0 ? (c.quantity as number) : 0),
    0
  )
  return Math.min(line.quantity ?? 0, canceled)
}

/** What is left to ship of a line: ordered minus canceled. */
export function remainingQuantity(line: Pick<MiraklOrderLine, "quantity" | "cancelations">): number {
  return Math.max(0, (line.quantity ?? 0) - canceledQuantity(line))
}

const isLine = (l: unknown): l is MiraklOrderLine => isObject(l) && !!text(l.order_line_id)
/** Lines the order's figures (`price`, `shipping_price`, `total_price`, `order_taxes`) still count. */
const countedLines = (order: Pick<MiraklOrder, "order_lines">): MiraklOrderLine[] =>
  (order.order_lines ?? []).filter(isLine).filter((l) => !DROPPED_LINE_STATES.has(l.order_line_state ?? ""))

/**
 * The lines to import: not refused or canceled, with units left after cancelations. An order with
 * none (fully refused or canceled) keeps every line as it was ordered, as history.
 */
function selectLines(order: Pick<MiraklOrder, "order_lines">): { lines: MiraklOrderLine[]; history: boolean } {
  const live = countedLines(order).filter((l) => remainingQuantity(l) > 0)
  if (live.length) return { lines: live, history: false }
  const all = (order.order_lines ?? []).filter(isLine)
  const ordered = all.filter((l) => (l.quantity ?? 0) > 0)
  return { lines: ordered.length ? ordered : all, history: true }
}

export function liveLines(order: Pick<MiraklOrder, "order_lines">): MiraklOrderLine[] {
  return selectLines(order).lines
}

// ---- taxes --------------------------------------------------------------------------------------

/**
 * The taxes left on a line (or its shipping) once its cancelations are taken off, code by code, as
 * Mirakl reports them. Zero amounts are dropped; their rates still count towards the nominal rate.
 */
function remainingTaxes(taxes: MiraklTax[] | undefined, canceled: MiraklTax[]): { lines: TaxLine[]; rates: TaxLine[] } {
  const lines: TaxLine[] = objects(taxes).map((t) => ({
    code: text(t.code) ?? null,
    name: null,
    rate: isAmount(t.rate) ? t.rate : null,
    amount: amount(t.amount),
  }))
  for (const c of canceled) {
    const target = lines.find((t) => t.code !== null && t.code === text(c.code)) ?? lines[0]
    if (target) target.amount = target.amount - amount(c.amount)
  }
  for (const t of lines) t.amount = Math.max(0, round(t.amount))
  return { lines: lines.filter((t) => t.amount > 0), rates: lines }
}

/** Nominal rate of a set of taxes: the sum over tax codes (state + county), when every one has a rate. */
function nominalRate(taxes: TaxLine[]): number | null {
  if (!taxes.length || taxes.some((t) => t.rate === null)) return null
  const byCode = new Map<string, Set<number>>()
  for (const t of taxes) byCode.set(t.code ?? "", (byCode.get(t.code ?? "") ?? new Set()).add(t.rate as number))
  if ([...byCode.values()].some((rates) => rates.size > 1)) return null
  return round([...byCode.values()].reduce((s, rates) => s + [...rates][0], 0))
}

function taxFields(taxes: { lines: TaxLine[]; rates: TaxLine[] }) {
  return { tax_total: sum(taxes.lines, (t) => t.amount), tax_rate: nominalRate(taxes.rates), tax_lines: taxes.lines }
}

/** Adds tax lines of several lines together, per code and rate. */
function mergeTaxes(all: TaxLine[]): TaxLine[] {
  const out: TaxLine[] = []
  for (const t of all) {
    const same = out.find((o) => o.code === t.code && o.rate === t.rate)
    if (same) same.amount = round(same.amount + t.amount)
    else out.push({ ...t })
  }
  return out
}

// ---- items --------------------------------------------------------------------------------------

const liveCancelations = (line: MiraklOrderLine, history: boolean): MiraklCancelation[] => (history ? [] : objects(line.cancelations))

function promotionDiscount(p: MiraklPromotion, share: number): Discount {
  return {
    code: text(p.promo_code) ?? text(p.id) ?? null,
    name: text(p.configuration?.internal_description) ?? text(p.id) ?? null,
    amount: round(amount(p.deduced_amount) * share),
  }
}

/**
 * Unit price and discounts of a line. Mirakl's line `price` is what the buyer pays for the line
 * (without shipping), after the shop's promotions: price_unit × quantity − Σ promotions.deduced_amount.
 * Cancelations keep the line figures as ordered and list what they took off, so the buyer pays
 * `price − Σ cancelations.amount` for the units left.
 *
 * The unit price is `price_unit` (never rounded) and the discount whatever separates price_unit ×
 * units from that amount: the promotions (their share of the units left) plus, should a cancelation
 * not be proportional to its quantity, the rest as a price adjustment. If `price_unit` is missing or
 * would give more than the line costs (a rounded unit price), the unit price is the line amount plus
 * its promotions divided by the units, unrounded, so the line still sums to what the buyer paid.
 */
function lineAmounts(line: MiraklOrderLine, quantity: number, history: boolean): { unit_price: number; discount_total: number; discounts: Discount[] } {
  const ordered = line.quantity ?? 0
  const share = ordered > 0 && quantity !== ordered ? quantity / ordered : 1
  const promotions = objects(line.promotions).filter((p) => amount(p.deduced_amount) > 0)
  const promoShare = round(sum(promotions, (p) => amount(p.deduced_amount)) * share)
  const price = isAmount(line.price) ? line.price : amount(line.price_unit) * ordered - sum(promotions, (p) => amount(p.deduced_amount))
  const paid = Math.max(0, round(price - sum(liveCancelations(line, history), (c) => amount(c.amount))))

  const given = isAmount(line.price_unit) && line.price_unit >= 0 ? line.price_unit : undefined
  const fits = given !== undefined && given * quantity - paid >= -EPSILON
  const unit = fits ? (given as number) : quantity > 0 ? (paid + promoShare) / quantity : 0
  const discountTotal = fits ? Math.max(0, round(unit * quantity - paid)) : promoShare
  let discounts = promotions.map((p) => promotionDiscount(p, share))
  if (discountTotal < promoShare - EPSILON) {
    // Less off than the promotions say (a cancelation took more than its share): scale them down.
    const factor = promoShare > 0 ? discountTotal / promoShare : 0
    discounts = discounts.map((d) => ({ ...d, amount: round(d.amount * factor) }))
  } else if (discountTotal > promoShare + EPSILON) {
    discounts.push({
      code: "MIRAKL_PRICE_ADJUSTMENT",
      name: liveCancelations(line, history).length ? "Amount canceled by the shop" : "Price below price_unit × quantity",
      amount: round(discountTotal - promoShare),
    })
  }
  // The detail sums exactly to the total.
  const drift = round(discountTotal - sum(discounts, (d) => d.amount))
  if (drift !== 0 && discounts.length) discounts[discounts.length - 1].amount = round(discounts[discounts.length - 1].amount + drift)
  return { unit_price: unit, discount_total: discountTotal, discounts: discounts.filter((d) => d.amount > 0) }
}

function toItem(line: MiraklOrderLine, history: boolean): CanonicalItemInput & { tax_total: number } {
  const quantity = history ? line.quantity ?? 0 : remainingQuantity(line)
  const cancels = liveCancelations(line, history)
  return {
    external_id: line.order_line_id,
    sku: text(line.offer_sku) ?? null,
    marketplace_product_id: text(line.product_sku) ?? null,
    title: text(line.product_title) ?? text(line.offer_sku) ?? line.order_line_id,
    quantity,
    ...lineAmounts(line, quantity, history),
    ...taxFields(remainingTaxes(line.taxes, cancels.flatMap((c) => objects(c.taxes)))),
  }
}

// ---- shipping, fees ---------------------------------------------------------------------------------

function lineShipping(line: MiraklOrderLine, history: boolean): { price: number; taxes: { lines: TaxLine[]; rates: TaxLine[] } } {
  const cancels = liveCancelations(line, history)
  return {
    price: Math.max(0, round(amount(line.shipping_price) - sum(cancels, (c) => amount(c.shipping_amount)))),
    taxes: remainingTaxes(line.shipping_taxes, cancels.flatMap((c) => objects(c.shipping_taxes))),
  }
}

/** Fee codes are the operator's own; these patterns recognise the usual ones. */
export function chargeType(code: string): CanonicalChargeInput["type"] {
  const c = code.toUpperCase()
  if (/GIFT|WRAP/.test(c)) return "gift_wrap"
  if (/(^|[^A-Z])COD([^A-Z]|$)|CASH|ON_DELIVERY/.test(c)) return "cod_fee"
  if (/ECO|DEEE|WEEE|EPR/.test(c)) return "eco_fee"
  if (/HANDLING/.test(c)) return "handling"
  return "fee"
}

/**
 * Line `fees[]` are charged to the buyer on top of the price (OR11: `total_price` is the price with
 * shipping and fees); what a cancelation took off (its `fees[]`, by code) is deducted. OR11 gives
 * fees no tax of their own.
 */
function lineCharges(line: MiraklOrderLine, history: boolean): CanonicalChargeInput[] {
  const canceled = liveCancelations(line, history).flatMap((c) => objects<MiraklFee>(c.fees))
  const out: CanonicalChargeInput[] = []
  for (const fee of objects<MiraklFee>(line.fees)) {
    const code = text(fee.code) ?? "FEE"
    const left = round(amount(fee.amount) - sum(canceled.filter((c) => text(c.code) === code), (c) => amount(c.amount)))
    if (left <= 0) continue
    out.push({ type: chargeType(code), external_id: line.order_line_id, name: code, amount: left, discount_total: 0, tax_total: 0, tax_rate: null, tax_lines: [] })
  }
  return out
}

// ---- order-level figures ----------------------------------------------------------------------------

/**
 * `marketplace` when the operator keeps the tax: every tax with an amount breaks down (advanced
 * invoicing rules) into parts debited from the customer but not payable to the shop, as US
 * marketplace-facilitator sales tax is. Without a breakdown the shop is paid the tax, and owes it.
 */
function taxCollector(order: MiraklOrder, lines: MiraklOrderLine[]): "seller" | "marketplace" {
  if (order.customer_directly_pays_seller) return "seller"
  const taxes = lines.flatMap((l) => [...objects(l.taxes), ...objects(l.shipping_taxes)]).filter((t) => amount(t.amount) > 0)
  if (!taxes.length) return "seller"
  const operatorKeeps = (t: MiraklTax) => {
    const parts = objects(t.amount_breakdown?.parts)
    return parts.length > 0 && parts.every((p) => p.payable_to_shop === false && p.debitable_from_customer !== false)
  }
  return taxes.every(operatorKeeps) ? "marketplace" : "seller"
}

/**
 * The order's own figures, less what cancelations took off the lines they count. OR11's
 * `total_price` (price + shipping + fees) and `order_taxes` are on the order's tax basis; with
 * TAX_EXCLUDED the total paid adds the taxes. `order_taxes` only exists with Mirakl's order-level
 * tax calculation; without it the tax total is left to the lines.
 */
function orderTotals(order: MiraklOrder, taxTotalOfLines: number, inclusive: boolean, history: boolean): CanonicalOrderInput["totals"] {
  if (history || !isAmount(order.total_price)) return { total: null, tax_total: null, paid_total: null }
  const cancels = countedLines(order).flatMap((l) => objects(l.cancelations))
  const canceledMoney = sum(cancels, (c) => amount(c.amount) + amount(c.shipping_amount) + sum(objects<MiraklFee>(c.fees), (f) => amount(f.amount)))
  const canceledTax = sum(cancels, (c) => sum([...objects(c.taxes), ...objects(c.shipping_taxes)], (t) => amount(t.amount)))
  const orderTaxes = objects(order.order_taxes)
  const taxTotal = orderTaxes.length ? round(sum(orderTaxes, (t) => amount(t.total_amount)) - canceledTax) : null
  const total = round(order.total_price - canceledMoney + (inclusive ? 0 : taxTotal ?? taxTotalOfLines))
  return { total, tax_total: taxTotal, paid_total: null }
}

/**
 * Paid unless Mirakl has not debited the customer yet: before the debit (STAGING … WAITING_DEBIT_PAYMENT),
 * on refused or canceled orders, and for payment workflows that debit later than shipping
 * (PAY_ON_DELIVERY: cash on delivery; PAY_ON_DUE_DATE: invoice terms). `customer_debited_date` means paid.
 */
function paymentOf(order: MiraklOrder): Pick<CanonicalOrderInput, "payment_status" | "payment_method"> {
  const workflow = text(order.payment_workflow)
  const onDelivery = workflow === "PAY_ON_DELIVERY"
  const notYet =
    UNPAID_STATES.has(order.order_state) || order.order_state === "REFUSED" || order.order_state === "CANCELED" || onDelivery || workflow === "PAY_ON_DUE_DATE"
  return {
    payment_status: !text(order.customer_debited_date) && notYet ? "pending" : "paid",
    payment_method: onDelivery ? "cash_on_delivery" : text(order.payment_type) ?? text(order.paymentType) ?? null,
  }
}

function additionalFields(fields: MiraklAdditionalField[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of fields ?? []) {
    if (isObject(f) && text(f.code)) out[f.code] = f.value ?? null
  }
  return out
}

function dropUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}

/** Eco-contributions are part of the price (OR11 lists them for information, not in total_price). */
function ecoContributions(lines: MiraklOrderLine[]) {
  const out = lines.flatMap((l) =>
    objects(l.eco_contributions).map((e) =>
      dropUndefined({ order_line_id: l.order_line_id, epr_category_code: e.epr_category_code, unit_amount: e.unit_amount, total_amount: e.total_amount })
    )
  )
  return out.length ? out : undefined
}

export function toCanonicalOrder(raw: unknown, settings: Record<string, any> = {}): CanonicalOrderInput {
  const { external_id } = identifyMiraklOrder(raw)
  const order = raw as MiraklOrder
  const currency = text(order.currency_iso_code)
  if (!currency) {
    throw new ChannelOrderImportError("invalid_payload", `Mirakl order ${external_id} has no currency_iso_code`)
  }
  const customer = isObject(order.customer) ? order.customer : undefined
  const shippingAddress = toAddress(customer?.shipping_address)
  const billing = toAddress(customer?.billing_address)
  const { lines, history } = selectLines(order)
  const inclusive = text(order.order_tax_mode) === "TAX_INCLUDED"

  const items = lines.map((l) => toItem(l, history))
  // Shipping and fees of every line the order still counts, even one whose units were all canceled
  // (what its cancelation did not take back was paid).
  const chargedLines = history ? lines : countedLines(order)
  const perLine = chargedLines.map((l) => lineShipping(l, history))
  const lineShippingTotal = sum(perLine, (s) => s.price)
  // OR11 defines the order's shipping_price as the sum of its lines'; should an order carry more than
  // its lines, the rest is shipping charged at order level and is kept.
  const orderLevelOnly = history ? 0 : Math.max(0, round(amount(order.shipping_price) - sum(chargedLines, (l) => amount(l.shipping_price))))
  const shippingTaxes = { lines: mergeTaxes(perLine.flatMap((s) => s.taxes.lines)), rates: perLine.flatMap((s) => s.taxes.rates) }
  const shipping = {
    service_code: text(order.shipping_type_code) ?? null,
    name: text(order.shipping_type_label) ?? null,
    // Mirakl's model has no shipping promotion: shipping_price is what the buyer was charged.
    price: round(lineShippingTotal + orderLevelOnly),
    discount_total: 0,
    discounts: [],
    ...taxFields(shippingTaxes),
  }
  const charges = chargedLines.flatMap((l) => lineCharges(l, history))

  const taxTotalOfLines = round(sum(items, (i) => i.tax_total) + shipping.tax_total)
  const operatorCenters: unknown[] = Array.isArray(settings.operator_fulfillment_centers) ? settings.operator_fulfillment_centers : []
  const center = order.fulfillment?.center?.code
  const unallocated = unallocatedPromotions(order, lines)

  return {
    external_id,
    status: order.order_state,
    created_at: toIso(order.created_date),
    updated_at: toIso(order.last_updated_date ?? order.created_date),
    currency_code: currency,
    // Mirakl never shares the buyer's address; this is its anonymised relay.
    email: text(order.customer_notification_email) ?? null,
    customer: {
      first_name: text(customer?.firstname) ?? shippingAddress?.first_name ?? null,
      last_name: text(customer?.lastname) ?? shippingAddress?.last_name ?? null,
      phone: shippingAddress?.phone ?? billing?.phone ?? null,
    },
    shipping_address: shippingAddress,
    billing_address: billing,
    items,
    shipping,
    charges,
    prices_include_tax: inclusive,
    tax_collected_by: taxCollector(order, chargedLines),
    totals: orderTotals(order, taxTotalOfLines, inclusive, history),
    fulfilled_by_marketplace: !!center && operatorCenters.includes(center),
    ...paymentOf(order),
    notes: text(customer?.shipping_address?.additional_info) ?? null,
    gift_message: null,
    custom_fields: {
      ...additionalFields(order.order_additional_fields),
      mirakl: dropUndefined({
        commercial_id: order.commercial_id,
        channel_code: order.channel?.code,
        order_tax_mode: order.order_tax_mode,
        payment_workflow: order.payment_workflow,
        payment_type: text(order.payment_type) ?? text(order.paymentType),
        shipping_deadline: order.shipping_deadline,
        fulfillment_center: center,
        order_reference_for_customer: order.references?.order_reference_for_customer,
        order_level_shipping: orderLevelOnly > 0 ? orderLevelOnly : undefined,
        eco_contributions: ecoContributions(lines),
        unallocated_promotions: unallocated,
      }),
    },
  }
}

/**
 * The order's promotion summary repeats the lines' promotions; only what no imported line carries is
 * worth keeping, for reference. It is not deducted: OR11's order price is the sum of its lines'.
 */
function unallocatedPromotions(order: MiraklOrder, lines: MiraklOrderLine[]) {
  const onLines = new Set(lines.flatMap((l) => objects(l.promotions).map((p) => text(p.id))))
  const rest = objects(order.promotions?.applied_promotions)
    .filter((p) => amount(p.deduced_amount) > 0 && !onLines.has(text(p.id)))
    .map((p) => dropUndefined({ id: p.id, promo_code: p.promo_code, deduced_amount: p.deduced_amount }))
  return rest.length ? rest : undefined
}
