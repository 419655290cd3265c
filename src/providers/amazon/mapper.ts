import { ChannelProviderError } from "../../modules/channel/errors"
import type { CanonicalOrderInput } from "../../modules/channel/types/canonical-order"
import type { RawOrderIdentity } from "../../modules/channel/types/provider"
import { PENDING_STATUSES } from "./statuses"
import { PII_MARKER, type AmazonAddress, type AmazonMoney, type AmazonOrder, type AmazonOrderItem, type AmazonProceedsBreakdown } from "./types"

/** Used when an order carries no amount at all (PENDING orders may have no prices yet). */
const MARKETPLACE_CURRENCY: Record<string, string> = {
  ATVPDKIKX0DER: "USD", A2EUQ1WTGCTBG2: "CAD", A1AM78C64UM0Y8: "MXN", A2Q3Y263D00KWC: "BRL",
  A1F83G8C2ARO7P: "GBP", A1PA6795UKMFR9: "EUR", A13V1IB3VIYZZH: "EUR", APJ6JRA9NG5V4: "EUR",
  A1RKKUPIHCS9HS: "EUR", A1805IZSGTT6HS: "EUR", AMEN7PMS3EDWL: "EUR", A2NODRKZP88ZB9: "SEK",
  A1C3SOZRARQ6R3: "PLN", A33AVAJ2PDY3EV: "TRY", A2VIGQ35RCS4UG: "AED", A17E79C6D8DWNP: "SAR",
  ARBP9OOSHTCHU: "EGP", A21TJRUUN4KGV: "INR", A1VC38T7YXB528: "JPY", A39IBJ37TRP1C6: "AUD",
  A19VAU5U5O7RUS: "SGD",
}

/** Marketplaces whose shelf prices exclude sales tax (it is added at checkout): the US and Canada. */
const TAX_EXCLUSIVE_MARKETPLACES = new Set(["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"])

/**
 * Where Amazon is the marketplace facilitator for every order: on Amazon.com it collects and remits
 * US sales tax in every state that has one (Orders v0 names "Amazon Services, Inc." the responsible
 * party for the US marketplace). Elsewhere only the item's `tax.taxCollections` says so.
 */
const FACILITATOR_MARKETPLACES = new Set(["ATVPDKIKX0DER"])

/** Currencies Amazon prices without minor units. */
const ZERO_DECIMAL_CURRENCIES = new Set(["JPY"])

/** Proceeds categories that are something the buyer is charged for (TAX and DISCOUNT qualify them). */
const CATEGORIES = ["ITEM", "SHIPPING", "GIFT_WRAP", "COD_FEE", "OTHER"] as const
type Category = (typeof CATEGORIES)[number]
type Figure = { gross: number; discount: number; tax: number }
type Figures = Record<Category, Figure>

/** Below this, two amounts are the same (float noise of summing decimal strings). */
const EPSILON = 0.000001
/** Totals are compared to the cent: Amazon rounds each figure to the cent on its side. */
const CENT = 0.011

function isRecord(v: unknown): v is Record<string, any> {
  return typeof v === "object" && v !== null && !Array.isArray(v)
}

function text(v: unknown): string | null {
  return typeof v === "string" && v.trim() !== "" ? v.trim() : null
}

/**
 * Sums of Amazon's decimal strings carry float noise (0.1 + 0.2); six decimals remove it and keep
 * sub-cent figures. Never used on a divided unit price, which stays exact.
 */
function clean(n: number): number {
  const r = Math.round(n * 1_000_000) / 1_000_000
  return Object.is(r, -0) ? 0 : r
}

function amount(m: AmazonMoney | undefined | null): number | undefined {
  if (!m || m.amount === undefined || m.amount === null) return undefined
  const n = Number(m.amount)
  return Number.isFinite(n) ? n : undefined
}

function isoUtc(value: string): string {
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? value : new Date(ms).toISOString()
}

function nonNegativeInt(v: unknown): number | undefined {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : undefined
}

/** "Jane van der Berg" → first "Jane", last "van der Berg". */
export function splitName(full: string | null): { first_name: string | null; last_name: string | null } {
  if (!full) return { first_name: null, last_name: null }
  const parts = full.split(/\s+/).filter(Boolean)
  if (parts.length <= 1) return { first_name: parts[0] ?? null, last_name: null }
  return { first_name: parts[0], last_name: parts.slice(1).join(" ") }
}

const emptyFigures = (): Figures => ({
  ITEM: { gross: 0, discount: 0, tax: 0 },
  SHIPPING: { gross: 0, discount: 0, tax: 0 },
  GIFT_WRAP: { gross: 0, discount: 0, tax: 0 },
  COD_FEE: { gross: 0, discount: 0, tax: 0 },
  OTHER: { gross: 0, discount: 0, tax: 0 },
})

const asCategory = (s: string | undefined): Category | undefined => (CATEGORIES as readonly string[]).includes(s ?? "") ? (s as Category) : undefined

/**
 * Splits `total` over `weights` in the currency's smallest unit, the last share taking what rounding
 * left, so the shares always add up to `total` exactly.
 */
function spread(total: number, weights: number[], digits: number): number[] {
  if (!weights.length) return []
  const sum = weights.reduce((s, w) => s + Math.max(0, w), 0)
  const ws = sum > 0 ? weights.map((w) => Math.max(0, w)) : weights.map(() => 1)
  const wsum = sum > 0 ? sum : ws.length
  const factor = 10 ** digits
  const out: number[] = []
  let given = 0
  ws.forEach((w, i) => {
    const share = i === ws.length - 1 ? clean(total - given) : Math.round(((total * w) / wsum) * factor) / factor
    out.push(share)
    given = clean(given + share)
  })
  return out
}

/**
 * One item's proceeds, per category: what it was charged (`gross`), its discounts (positive) and its
 * tax. TAX and DISCOUNT are assigned by their detailed subtypes; an undetailed amount (or what the
 * details leave of the subtotal) belongs to the item itself. TAX detailed as DISCOUNT is the tax
 * taken off with a promotion (Orders v0: PromotionDiscountTax / ShippingDiscountTax): it reduces the
 * tax of whatever was discounted, shared in proportion to the discounts.
 */
function lineFigures(breakdowns: AmazonProceedsBreakdown[] | undefined, digits: number): Figures {
  const f = emptyFigures()
  let taxOnDiscounts = 0
  for (const b of breakdowns ?? []) {
    const subtotal = amount(b.subtotal) ?? 0
    const category = asCategory(b.type)
    if (category) {
      f[category].gross += subtotal
      continue
    }
    if (b.type !== "TAX" && b.type !== "DISCOUNT") continue
    let rest = subtotal
    for (const d of b.detailedBreakdowns ?? []) {
      const v = amount(d.value)
      if (v === undefined) continue
      rest -= v
      if (b.type === "TAX" && d.subtype === "DISCOUNT") taxOnDiscounts += v
      else if (b.type === "TAX") f[asCategory(d.subtype) ?? "ITEM"].tax += v
      else f[asCategory(d.subtype) ?? "ITEM"].discount += v
    }
    if (Math.abs(rest) > EPSILON) {
      if (b.type === "TAX") f.ITEM.tax += rest
      else f.ITEM.discount += rest
    }
  }
  // Proceeds are what the seller receives: Amazon reports discounts (and the tax they take off) as
  // negative amounts. The canonical order wants a positive reduction.
  for (const c of CATEGORIES) f[c].discount = clean(Math.abs(f[c].discount))
  const reduction = clean(Math.abs(taxOnDiscounts))
  if (reduction) {
    const discounted = CATEGORIES.filter((c) => f[c].discount > 0)
    const targets: Category[] = discounted.length ? discounted : ["ITEM"]
    const shares = spread(reduction, targets.map((c) => f[c].discount), digits)
    targets.forEach((c, i) => (f[c].tax -= shares[i]))
  }
  for (const c of CATEGORIES) {
    f[c].gross = clean(f[c].gross)
    f[c].tax = clean(f[c].tax)
  }
  return f
}

/** Order- or item-level subtotals by type, signed as Amazon reports them. */
function subtotalsByType(breakdowns: AmazonProceedsBreakdown[] | undefined): Map<string, number> {
  const out = new Map<string, number>()
  for (const b of breakdowns ?? []) out.set(b.type, clean((out.get(b.type) ?? 0) + (amount(b.subtotal) ?? 0)))
  return out
}

/**
 * Whether the figures of a total show tax inside or on top of the rest: a total equal to the
 * non-tax amounts means prices include the tax, one equal to non-tax + tax means the tax was added.
 * Undecided when there is no tax or neither (or both) match.
 */
function taxBasisFromFigures(total: number | undefined, nonTax: number, tax: number): boolean | undefined {
  if (total === undefined || Math.abs(tax) < 0.005) return undefined
  const inclusive = Math.abs(total - nonTax) <= CENT
  const exclusive = Math.abs(total - (nonTax + tax)) <= CENT
  return inclusive === exclusive ? undefined : inclusive
}

const COD_METHODS = new Set(["cod", "cashondelivery"])
const isCodMethod = (m: string | null) => !!m && COD_METHODS.has(m.toLowerCase().replace(/[^a-z]/g, ""))

type MappedItem = NonNullable<CanonicalOrderInput["items"]>[number]
type MappedCharge = NonNullable<CanonicalOrderInput["charges"]>[number]
type Discount = { code: string | null; name: string; amount: number }

/** One order item as read from the payload, before the order-level proceeds are attributed. */
type Line = {
  raw: AmazonOrderItem
  quantity: number
  unit: number
  item: Figure
  figures: Figures
  promotionCode: string | null
}

function promotionCodeOf(item: AmazonOrderItem): string | null {
  const ids = [...new Set((item.promotion?.breakdowns ?? []).map((b) => text(b.promotionId)).filter((v): v is string => !!v))]
  return ids.length ? ids.join(", ") : null
}

function mapAddress(a: AmazonAddress | undefined): CanonicalOrderInput["shipping_address"] {
  // Without the restricted roles (or before the order is UNSHIPPED) Amazon leaves the delivery address
  // out, or keeps only its city, region, postal code and country. A missing address is null; a
  // partial one is passed as it is (its country still places the order in a region): the pipeline
  // holds either until someone completes it. When the provider pulled without the restricted
  // datasets (Amazon refused them), the raw order carries a marker and custom_fields say so.
  if (!a) return null
  const street = [text(a.addressLine1), text(a.addressLine2), text(a.addressLine3)].filter((l): l is string => !!l)
  const given = text(a.countryCode)
  const city = text(a.city) ?? text(a.municipality) ?? text(a.districtOrCounty)
  const name = text(a.name)
  if (!street.length && !given && !city && !name && !text(a.postalCode) && !text(a.stateOrRegion)) return null
  const { first_name, last_name } = splitName(name)
  // The model documents an ISO 3166-1 alpha-2 code; a name (or anything else) is passed on as the
  // country's name for the pipeline to resolve, never refused here.
  const isCode = !!given && /^[A-Za-z]{2,3}$/.test(given)
  return {
    first_name,
    last_name,
    company: text(a.companyName),
    address_1: street[0] ?? null,
    address_2: street.slice(1).join(", ") || null,
    city,
    province: text(a.stateOrRegion),
    postal_code: text(a.postalCode),
    country_code: isCode ? given : null,
    country: isCode ? null : given,
    phone: text(a.phone),
  }
}

function currencyOf(order: AmazonOrder, settings: Record<string, any>): string {
  const fromOrder =
    order.proceeds?.grandTotal?.currencyCode ??
    order.orderItems?.map((i) => i.product?.price?.unitPrice?.currencyCode ?? i.proceeds?.proceedsTotal?.currencyCode).find(Boolean) ??
    order.proceeds?.breakdowns?.find((b) => b.subtotal?.currencyCode)?.subtotal.currencyCode
  const marketplace = order.salesChannel?.marketplaceId
  const fallback = typeof settings?.currency_code === "string" ? settings.currency_code : undefined
  const currency = fromOrder ?? (marketplace ? MARKETPLACE_CURRENCY[marketplace] : undefined) ?? fallback
  if (!currency) {
    throw new ChannelProviderError(
      "invalid_payload",
      `Amazon order ${order.orderId} carries no amount to read a currency from and its marketplace (${marketplace ?? "none"}) is not one the provider knows; set currency_code in the channel settings`
    )
  }
  return currency
}

export function asAmazonOrder(raw: unknown): AmazonOrder {
  if (!isRecord(raw) || typeof raw.orderId !== "string" || !raw.orderId) {
    throw new ChannelProviderError("unidentified_payload", "The payload is not an Amazon order (no orderId)")
  }
  return raw as AmazonOrder
}

export function identifyAmazonOrder(raw: unknown): RawOrderIdentity {
  const order = asAmazonOrder(raw)
  const status = order.fulfillment?.fulfillmentStatus
  if (typeof status !== "string" || !status) {
    throw new ChannelProviderError(
      "unidentified_payload",
      `Amazon order ${order.orderId} has no fulfillment status (was it fetched without includedData=FULFILLMENT?)`
    )
  }
  return {
    external_id: order.orderId,
    status,
    updated_at: typeof order.lastUpdatedTime === "string" ? isoUtc(order.lastUpdatedTime) : null,
  }
}

/**
 * Orders API 2026-01-01 order → canonical order. The caller validates the result.
 *
 * Money comes from the proceeds breakdowns (includedData=PROCEEDS): per item ITEM (the line's price),
 * SHIPPING, GIFT_WRAP, COD_FEE and OTHER charges, TAX and DISCOUNT detailed by what they apply to;
 * at order level the same categories summed over the items, plus DELIVERY_TIP. Whatever the order
 * level reports beyond the items' own figures (shipping charged once per order, say) is attributed
 * at order level, so it is neither lost nor counted twice.
 */
export function normalizeAmazonOrder(raw: unknown, settings: Record<string, any> = {}): CanonicalOrderInput {
  const order = asAmazonOrder(raw)
  const { status } = identifyAmazonOrder(order)
  const currency = currencyOf(order, settings)
  const digits = ZERO_DECIMAL_CURRENCIES.has(currency.toUpperCase()) ? 0 : 2
  const marketplaceId = order.salesChannel?.marketplaceId ?? null
  const rawItems = order.orderItems ?? []

  // ---- lines: quantity to import, unit price, the line's own proceeds
  const cancelledLines: string[] = []
  const cancelledQuantities: Record<string, number> = {}
  const shippedQuantities: Record<string, number> = {}
  const estimatedLines: string[] = []
  const lines: Line[] = []
  const factor = 10 ** digits
  const addLine = (item: AmazonOrderItem, quantity: number, ordered: number) => {
    const breakdowns = item.proceeds?.breakdowns
    const figures = lineFigures(breakdowns, digits)
    const listed = amount(item.product?.price?.unitPrice)
    const charged = breakdowns?.some((b) => b.type === "ITEM") ? figures.ITEM.gross : undefined
    let unit = listed ?? 0
    let scale = 1
    if (charged !== undefined) {
      if (listed !== undefined && Math.abs(listed * quantity - charged) <= 0.005) unit = listed
      else if (listed !== undefined && quantity < ordered && Math.abs(listed * ordered - charged) <= 0.005) {
        // The proceeds still describe the quantity ordered: keep the unit price and take the line's
        // tax and discounts for the units that remain, pro rata (an estimate, reconciled later).
        scale = quantity / ordered
        estimatedLines.push(item.orderItemId)
      } else {
        // What the buyer was charged wins over the listed price; the division is not rounded.
        unit = charged / quantity
      }
    }
    const scaled = (n: number) => (scale === 1 ? n : Math.round(n * scale * factor) / factor)
    lines.push({
      raw: item,
      quantity,
      unit: Math.max(0, unit),
      item: { gross: Math.max(0, unit) * quantity, discount: scaled(figures.ITEM.discount), tax: scaled(figures.ITEM.tax) },
      figures,
      promotionCode: promotionCodeOf(item),
    })
  }
  const orderCancelled = status === "CANCELLED"
  for (const item of rawItems) {
    const ordered = item.quantityOrdered
    // Fully cancelled lines come back with quantity 0; they are not lines to fulfil.
    if (!Number.isInteger(ordered) || ordered <= 0) {
      cancelledLines.push(item.orderItemId)
      continue
    }
    // The 2026 model has no cancelled quantity: what is neither fulfilled nor still to fulfil was
    // cancelled (the item then carries a cancellationExecution). Only what remains is imported. A
    // CANCELLED order keeps its lines as ordered: there is nothing left of it to import, and the
    // pipeline still needs a valid order to follow the cancellation of one it imported earlier.
    const done = nonNegativeInt(item.fulfillment?.quantityFulfilled)
    const open = nonNegativeInt(item.fulfillment?.quantityUnfulfilled)
    const quantity = !orderCancelled && done !== undefined && open !== undefined && done + open < ordered ? done + open : ordered
    if (quantity < ordered) cancelledQuantities[item.orderItemId] = ordered - quantity
    if (quantity <= 0) {
      cancelledLines.push(item.orderItemId)
      continue
    }
    if (status === "PARTIALLY_SHIPPED") shippedQuantities[item.orderItemId] = done ?? 0
    addLine(item, quantity, ordered)
  }
  let placeholderLines = false
  if (!lines.length && orderCancelled && rawItems.length) {
    // Every line of a cancelled order came back at quantity 0: one unit per line stands in for them,
    // flagged, so that the order stays readable (its cancellation can be followed).
    for (const item of rawItems) addLine(item, 1, 1)
    placeholderLines = true
  }
  if (!lines.length) {
    throw new ChannelProviderError(
      "invalid_payload",
      `Amazon order ${order.orderId} (${status}) has no line left to import: every item was cancelled (${rawItems.map((i) => i.orderItemId).join(", ") || "no items"})`
    )
  }

  // ---- shipping and charges from the items' proceeds
  const shippingDiscounts = new Map<string, Discount>()
  const addShippingDiscount = (code: string | null, value: number) => {
    if (!value) return
    const key = code ?? ""
    const d = shippingDiscounts.get(key) ?? { code, name: "Amazon shipping promotion", amount: 0 }
    d.amount = clean(d.amount + value)
    shippingDiscounts.set(key, d)
  }
  const shipping: Figure = { gross: 0, discount: 0, tax: 0 }
  const charges: MappedCharge[] = []
  const codFee: Figure = { gross: 0, discount: 0, tax: 0 }
  const other: Figure = { gross: 0, discount: 0, tax: 0 }
  const add = (into: Figure, f: Figure) => {
    into.gross = clean(into.gross + f.gross)
    into.discount = clean(into.discount + f.discount)
    into.tax = clean(into.tax + f.tax)
  }
  for (const line of lines) {
    const f = line.figures
    add(shipping, f.SHIPPING)
    addShippingDiscount(line.promotionCode, f.SHIPPING.discount)
    add(codFee, f.COD_FEE)
    add(other, f.OTHER)
    const wrap = f.GIFT_WRAP
    if (wrap.gross || wrap.tax || wrap.discount) {
      charges.push({
        type: "gift_wrap",
        external_id: line.raw.orderItemId,
        name: "Gift wrap",
        amount: wrap.gross,
        discount_total: wrap.discount,
        tax_total: Math.max(0, wrap.tax),
      })
    }
  }

  // ---- what the order level reports beyond the items' figures
  const orderLevel = subtotalsByType(order.proceeds?.breakdowns)
  // All items, the dropped ones included: their proceeds are part of the order's sums, not extras.
  const itemLevel = subtotalsByType(rawItems.flatMap((i) => i.proceeds?.breakdowns ?? []))
  const hasItemProceeds = rawItems.some((i) => !!i.proceeds?.breakdowns?.length)
  const unattributed: Record<string, number> = {}
  const beyond = (type: string): number => {
    if (!orderLevel.has(type)) return 0
    const rest = clean(orderLevel.get(type)! - (itemLevel.get(type) ?? 0))
    return Math.abs(rest) > EPSILON ? rest : 0
  }
  const orderShipping = beyond("SHIPPING")
  if (orderShipping > 0) shipping.gross = clean(shipping.gross + orderShipping)
  else if (orderShipping) unattributed.SHIPPING = orderShipping
  const orderGiftWrap = beyond("GIFT_WRAP")
  if (orderGiftWrap > 0) charges.push({ type: "gift_wrap", external_id: null, name: "Gift wrap", amount: orderGiftWrap, discount_total: 0, tax_total: 0 })
  else if (orderGiftWrap) unattributed.GIFT_WRAP = orderGiftWrap
  const orderCod = beyond("COD_FEE")
  if (orderCod > 0) codFee.gross = clean(codFee.gross + orderCod)
  else if (orderCod) unattributed.COD_FEE = orderCod
  const orderOther = beyond("OTHER")
  if (orderOther > 0) other.gross = clean(other.gross + orderOther)
  else if (orderOther) unattributed.OTHER = orderOther
  const orderItem = beyond("ITEM")
  if (orderItem && hasItemProceeds) unattributed.ITEM = orderItem
  if (orderItem > 0 && !hasItemProceeds) {
    // Only the order level carries prices: lines without a listed price share the ITEM subtotal.
    const unpriced = lines.filter((l) => amount(l.raw.product?.price?.unitPrice) === undefined)
    const rest = clean(orderItem - lines.reduce((s, l) => s + (unpriced.includes(l) ? 0 : l.unit * l.quantity), 0))
    if (!unpriced.length && Math.abs(rest) > 0.005) unattributed.ITEM = rest
    const shares = spread(rest, unpriced.map((l) => l.quantity), digits)
    unpriced.forEach((l, i) => {
      l.unit = Math.max(0, shares[i]) / l.quantity
      l.item.gross = l.unit * l.quantity
    })
  }
  // Order-level discount beyond the items' own: a shipping promotion when the order carries its
  // shipping at order level too and the discount fits in it, otherwise spread over the lines.
  const orderDiscount = clean(-beyond("DISCOUNT"))
  if (orderDiscount > 0) {
    if (hasItemProceeds && orderShipping > 0 && orderDiscount <= orderShipping + EPSILON) {
      shipping.discount = clean(shipping.discount + orderDiscount)
      addShippingDiscount(null, orderDiscount)
    } else {
      const shares = spread(orderDiscount, lines.map((l) => l.item.gross), digits)
      lines.forEach((l, i) => (l.item.discount = clean(l.item.discount + shares[i])))
    }
  } else if (orderDiscount) unattributed.DISCOUNT = -orderDiscount
  // Order-level tax beyond the items' own: the tax of the order-level shipping when there is some,
  // otherwise the lines' (in proportion to what they were charged after discounts).
  const orderTax = beyond("TAX")
  if (orderTax > 0) {
    if (hasItemProceeds && orderShipping > 0) shipping.tax = clean(shipping.tax + orderTax)
    else {
      const shares = spread(orderTax, lines.map((l) => l.item.gross - l.item.discount), digits)
      lines.forEach((l, i) => (l.item.tax = clean(l.item.tax + shares[i])))
    }
  } else if (orderTax) unattributed.TAX = orderTax

  if (codFee.gross || codFee.tax || codFee.discount) {
    charges.push({ type: "cod_fee", external_id: null, name: "Cash on delivery fee", amount: codFee.gross, discount_total: codFee.discount, tax_total: Math.max(0, codFee.tax) })
  }
  if (other.gross || other.tax || other.discount) {
    charges.push({ type: "other", external_id: null, name: "Other charge", amount: other.gross, discount_total: other.discount, tax_total: Math.max(0, other.tax) })
  }
  // A delivery tip is charged to the buyer apart from the items (never taxed, never attributed to one).
  const tips = (order.proceeds?.breakdowns ?? []).filter((b) => b.type === "DELIVERY_TIP")
  const tip = clean(tips.reduce((s, b) => s + (amount(b.subtotal) ?? 0), 0))
  if (tip > 0) charges.push({ type: "other", external_id: null, name: "Delivery tip", amount: tip, discount_total: 0, tax_total: 0 })

  // ---- items
  const items: MappedItem[] = lines.map((l) => {
    const product = l.raw.product ?? {}
    const discount = clean(l.item.discount)
    const discounts: Discount[] = discount ? [{ code: l.promotionCode, name: "Amazon promotion", amount: discount }] : []
    return {
      external_id: l.raw.orderItemId,
      sku: text(product.sellerSku),
      marketplace_product_id: text(product.asin),
      title: text(product.title) ?? text(product.sellerSku) ?? text(product.asin) ?? l.raw.orderItemId,
      quantity: l.quantity,
      // Units shipped before the import (PARTIALLY_SHIPPED): the pipeline records them as shipped.
      shipped_quantity: Math.min(l.quantity, shippedQuantities[l.raw.orderItemId] ?? 0),
      unit_price: l.unit,
      discount_total: discount,
      discounts,
      tax_total: Math.max(0, clean(l.item.tax)),
      tax_rate: null,
      tax_lines: [],
    }
  })

  // ---- tax basis. Rule: the payload's own figures decide first. When the order's grand total (or
  // else an item's proceeds total) equals its non-tax amounts, the tax is inside the prices (EU, UK,
  // JP... VAT-inclusive pricing); when it equals non-tax + tax, the tax was added on top (US/CA sales
  // tax). Without tax or a total to compare, the marketplace decides: only Amazon.com and Amazon.ca
  // list prices without tax. The currency alone never decides.
  const partsNonTax =
    items.reduce((s, i) => s + Number(i.unit_price) * i.quantity - Number(i.discount_total), 0) +
    shipping.gross - shipping.discount +
    charges.reduce((s, c) => s + Number(c.amount) - Number(c.discount_total ?? 0), 0)
  const partsTax = items.reduce((s, i) => s + Number(i.tax_total), 0) + shipping.tax + charges.reduce((s, c) => s + Number(c.tax_total ?? 0), 0)
  const grandTotal = amount(order.proceeds?.grandTotal)
  let basis: { inclusive: boolean; source: string } | undefined
  const fromOrder = taxBasisFromFigures(grandTotal, clean(partsNonTax), clean(partsTax))
  if (fromOrder !== undefined) basis = { inclusive: fromOrder, source: "grand_total" }
  for (const l of lines) {
    if (basis) break
    const types = subtotalsByType(l.raw.proceeds?.breakdowns)
    const tax = types.get("TAX") ?? 0
    const nonTax = [...types.entries()].filter(([t]) => t !== "TAX").reduce((s, [, v]) => s + v, 0)
    const fromItem = taxBasisFromFigures(amount(l.raw.proceeds?.proceedsTotal), clean(nonTax), tax)
    if (fromItem !== undefined) basis = { inclusive: fromItem, source: "item_proceeds_total" }
  }
  if (!basis) {
    basis = marketplaceId && (marketplaceId in MARKETPLACE_CURRENCY || TAX_EXCLUSIVE_MARKETPLACES.has(marketplaceId))
      ? { inclusive: !TAX_EXCLUSIVE_MARKETPLACES.has(marketplaceId), source: "marketplace" }
      : { inclusive: false, source: "default" }
  }

  // ---- who collects the tax: the items' tax collection model (includedData=TAX) when present,
  // else the marketplace (Amazon.com: always the marketplace facilitator).
  const collections = lines.flatMap((l) => l.raw.tax?.taxCollections ?? [])
  const facilitator = collections.find((c) => c.model === "MARKETPLACE_FACILITATOR")
  const taxCollectedBy: "marketplace" | "seller" =
    facilitator || (!collections.length && marketplaceId && FACILITATOR_MARKETPLACES.has(marketplaceId)) ? "marketplace" : "seller"

  // ---- payment: PAYMENT names the methods; without it, a COD fee or an item that must be paid on
  // delivery (shippingConstraints.cashOnDelivery) tells a cash-on-delivery order.
  const executions = order.payment?.paymentExecutions ?? []
  const methods = [...new Set(executions.map((e) => text(e.paymentMethod)).filter((m): m is string => !!m))]
  const cashOnDelivery =
    methods.some(isCodMethod) ||
    !!(codFee.gross || codFee.tax) ||
    rawItems.some((i) => i.fulfillment?.shipping?.shippingConstraints?.cashOnDelivery === "MANDATORY")
  const paymentMethod = cashOnDelivery ? "cash_on_delivery" : methods[0] ?? null
  const paidTotal = executions.length
    ? clean(executions.filter((e) => !isCodMethod(text(e.paymentMethod))).reduce((s, e) => s + (amount(e.paymentAmount) ?? 0), 0))
    : null

  // ---- everything else
  const address = order.recipient?.deliveryAddress
  const buyerName = text(order.buyer?.buyerName)
  const names = splitName(buyerName ?? text(address?.name))
  const programs = order.programs ?? []
  const fulfillment = order.fulfillment
  const giftMessages = [
    ...new Set(rawItems.map((i) => text(i.fulfillment?.packing?.giftOption?.giftMessage)).filter((m): m is string => !!m)),
  ]
  const preference = order.recipient?.deliveryPreference
  const notes = [text(preference?.addressInstruction), text(preference?.dropOffLocation)].filter(Boolean).join(" / ")
  const cancelRequests = rawItems.filter((i) => i.cancellation?.cancellationRequest)
  const associated = (type: string) => order.associatedOrders?.find((a) => a.associationType === type && text(a.orderId))?.orderId
  const replaces = associated("REPLACEMENT_ORIGINAL_ID") ?? null

  const custom: Record<string, unknown> = {
    marketplace_id: marketplaceId,
    marketplace_name: order.salesChannel?.marketplaceName ?? null,
    sales_channel: order.salesChannel?.channelName ?? null,
    fulfilled_by: fulfillment?.fulfilledBy ?? null,
    fulfillment_service_level: fulfillment?.fulfillmentServiceLevel ?? null,
    programs,
    is_prime: programs.includes("PRIME"),
    is_business_order: programs.includes("AMAZON_BUSINESS"),
    is_premium_order: programs.includes("PREMIUM"),
    is_preorder: programs.includes("PREORDER"),
    prices_include_tax_from: basis.source,
  }
  const optional: Record<string, unknown> = {
    seller_order_id: order.orderAliases?.find((a) => a.aliasType === "SELLER_ORDER_ID")?.aliasId,
    buyer_company_name: text(order.buyer?.buyerCompanyName),
    purchase_order_number: text(order.buyer?.buyerPurchaseOrderNumber),
    ship_by: fulfillment?.shipByWindow?.latestDateTime,
    deliver_by: fulfillment?.deliverByWindow?.latestDateTime,
    replaces_order_id: replaces,
    exchange_of_order_id: associated("EXCHANGE_ORIGINAL_ID"),
    delivery_tip: tip || undefined,
    delivery_tip_status: tips.map((b) => b.status).find(Boolean),
    promotion_ids: [
      ...new Set(lines.flatMap((l) => (l.raw.promotion?.breakdowns ?? []).map((b) => b.promotionId).filter(Boolean))),
    ],
    payment_methods: methods,
    tax_responsible_party: text(facilitator?.responsibleParty),
    tax_reporting_schemes: [
      ...new Set(lines.flatMap((l) => (l.raw.tax?.taxCalculationBreakdowns ?? []).map((b) => text(b.reportingScheme)).filter(Boolean))),
    ],
    buyer_requested_cancel: cancelRequests.length ? true : undefined,
    buyer_cancel_reason: cancelRequests.map((i) => i.cancellation?.cancellationRequest?.cancelReason).find(Boolean),
    cancelled_item_ids: cancelledLines.length ? cancelledLines : undefined,
    cancelled_quantities: Object.keys(cancelledQuantities).length ? cancelledQuantities : undefined,
    shipped_quantities: Object.keys(shippedQuantities).length ? shippedQuantities : undefined,
    estimated_amount_item_ids: estimatedLines.length ? estimatedLines : undefined,
    unattributed_proceeds: Object.keys(unattributed).length ? unattributed : undefined,
    placeholder_lines: placeholderLines || undefined,
  }
  // Set by the provider when Amazon refused the buyer and address data (the app lacks the role).
  const pii = isRecord(order[PII_MARKER]) ? (order[PII_MARKER] as Record<string, unknown>) : undefined
  if (pii?.pii_unavailable === true) {
    optional.pii_unavailable = true
    optional.pii_unavailable_reason = text(pii.reason) ?? undefined
  }
  for (const [k, v] of Object.entries(optional)) {
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) custom[k] = v
  }

  // The order's own tax figure: its TAX subtotal, or none at all when neither level reports a tax.
  const orderTaxReported = orderLevel.has("TAX") ? clean(orderLevel.get("TAX")!) : orderLevel.size && !itemLevel.has("TAX") ? 0 : null
  return {
    external_id: order.orderId,
    status,
    created_at: isoUtc(order.createdTime),
    updated_at: isoUtc(order.lastUpdatedTime),
    currency_code: currency,
    email: text(order.buyer?.buyerEmail),
    customer: { ...names, phone: text(address?.phone) },
    shipping_address: mapAddress(address),
    billing_address: null,
    items,
    shipping: {
      service_code: fulfillment?.fulfillmentServiceLevel ?? null,
      name: fulfillment?.fulfillmentServiceLevel ?? null,
      price: shipping.gross,
      discount_total: shipping.discount,
      discounts: [...shippingDiscounts.values()],
      tax_total: Math.max(0, shipping.tax),
      tax_rate: null,
      tax_lines: [],
    },
    charges,
    prices_include_tax: basis.inclusive,
    tax_collected_by: taxCollectedBy,
    totals: { total: grandTotal ?? null, tax_total: orderTaxReported, paid_total: paidTotal },
    replaces_external_id: replaces,
    fulfilled_by_marketplace: fulfillment?.fulfilledBy === "AMAZON",
    payment_status: PENDING_STATUSES.has(status) || cashOnDelivery ? "pending" : "paid",
    payment_method: paymentMethod,
    notes: notes || null,
    gift_message: giftMessages.length ? giftMessages.join("\n") : null,
    custom_fields: custom,
  }
}
