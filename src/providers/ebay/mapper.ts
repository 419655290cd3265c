import { ChannelOrderImportError } from "../../modules/channel/errors"
import type {
  CanonicalAddress,
  CanonicalCharge,
  CanonicalDiscount,
  CanonicalItem,
  CanonicalOrderInput,
  CanonicalTaxLine,
} from "../../modules/channel/types/canonical-order"
import { deriveEbayStatus, isCashOnDelivery } from "./statuses"
import type { EbayAddress, EbayAmount, EbayContact, EbayLineItem, EbayOrder, EbayTax } from "./types"

type ItemInput = Partial<CanonicalItem> & Pick<CanonicalItem, "external_id" | "title" | "quantity" | "unit_price">
type ChargeInput = Pick<CanonicalCharge, "type" | "name" | "amount"> & Partial<CanonicalCharge>

/**
 * Money is added and compared in ten-thousandths of the currency unit (integers), so sums of
 * eBay's decimal strings carry no binary-float noise. Unit prices are divided from the raw figure
 * and never rounded.
 */
const SCALE = 10_000
/** Two figures closer than a cent are the same figure. */
const CENT = SCALE / 100
const toUnits = (n: number) => Math.round(n * SCALE)
const fromUnits = (u: number) => u / SCALE
const sumOf = (values: number[]) => values.reduce((s, v) => s + v, 0)
const near = (a: number, b: number) => Math.abs(a - b) <= CENT

/** eBay amounts are decimal strings; an absent or unreadable one counts as zero. */
export function amountOf(a: EbayAmount | undefined | null): number {
  if (!a || a.value === undefined || a.value === null || a.value === "") return 0
  const n = Number(a.value)
  return Number.isFinite(n) ? n : 0
}

const unitsOf = (a: EbayAmount | undefined | null) => toUnits(amountOf(a))
const present = (a: EbayAmount | undefined | null): a is EbayAmount =>
  !!a && a.value !== undefined && a.value !== null && a.value !== "" && Number.isFinite(Number(a.value))

function toUtcIso(value: string | undefined): string | undefined {
  if (!value) return undefined
  const t = Date.parse(value)
  return Number.isNaN(t) ? value : new Date(t).toISOString()
}

const text = (v: string | undefined | null): string | null => {
  const t = typeof v === "string" ? v.trim() : ""
  return t ? t : null
}

/** eBay gives one `fullName`; the last word is taken as the last name. */
export function splitFullName(fullName: string | undefined): { first_name: string | null; last_name: string | null } {
  const parts = (fullName ?? "").trim().split(/\s+/).filter(Boolean)
  if (!parts.length) return { first_name: null, last_name: null }
  if (parts.length === 1) return { first_name: null, last_name: parts[0] }
  return { first_name: parts.slice(0, -1).join(" "), last_name: parts[parts.length - 1] }
}

/** eBay may hide the address (masked with asterisks) or stop returning it after 14 days. */
function usableEmail(email: string | undefined): string | null {
  const e = text(email)
  return e && /^[^\s@*]+@[^\s@*]+\.[^\s@*]+$/.test(e) ? e : null
}

/**
 * eBay sends ISO alpha-2 codes (CountryCodeEnum). The code is passed on as eBay wrote it; the
 * pipeline resolves and checks it. An address without a country is kept (the pipeline decides).
 */
function toAddress(contact: EbayContact | undefined, address: EbayAddress | undefined): CanonicalAddress | null {
  if (!address) return null
  const fields = {
    address_1: text(address.addressLine1),
    address_2: text(address.addressLine2),
    city: text(address.city),
    province: text(address.stateOrProvince),
    postal_code: text(address.postalCode),
    country_code: text(address.countryCode),
  }
  if (!Object.values(fields).some(Boolean)) return null
  return {
    ...splitFullName(contact?.fullName),
    company: text(contact?.companyName),
    ...fields,
    phone: text(contact?.primaryPhone?.phoneNumber),
  }
}

/**
 * eBay itself ships the order (eBay Fulfillment, or an item already held in the eBay vault).
 * Global Shipping / eBay International Shipping are not: the seller still ships, to eBay's hub.
 */
export function isFulfilledByEbay(order: EbayOrder): boolean {
  if (order.program?.fulfillmentProgram?.fulfilledBy === "EBAY") return true
  const vault = order.program?.ebayVault?.fulfillmentType
  if (vault && /^VAULT_TO_/.test(vault)) return true
  return (order.fulfillmentStartInstructions ?? []).some((f) => f.fulfillmentInstructionsType === "FULFILLED_BY_EBAY")
}

function currencyOf(order: EbayOrder): string | undefined {
  const s = order.pricingSummary
  return (
    text(s?.total?.currency) ??
    text(s?.priceSubtotal?.currency) ??
    text(order.lineItems?.find((l) => text(l.lineItemCost?.currency))?.lineItemCost?.currency) ??
    undefined
  )
}

// ---- taxes and fees --------------------------------------------------------------------------

/**
 * TaxTypeEnum values that are fees charged on top of the price (recycling and disposal fees), not
 * taxes: they become charges of their own.
 */
export function isFeeType(taxType: string): boolean {
  return /_FEE$/.test(taxType) || taxType === "WHITE_GOODS_DISPOSABLE_TAX"
}

const TAX_TYPE_NAMES: Record<string, string> = {
  STATE_SALES_TAX: "State sales tax",
  PROVINCE_SALES_TAX: "Provincial sales tax",
  REGION: "Regional sales tax",
  GST: "GST",
  VAT: "VAT",
  SST: "Sales and service tax",
  WHITE_GOODS_DISPOSABLE_TAX: "White goods disposal tax",
}

/** "ELECTRONIC_RECYCLING_FEE" → "Electronic recycling fee". */
export function taxTypeName(taxType: string): string {
  if (TAX_TYPE_NAMES[taxType]) return TAX_TYPE_NAMES[taxType]
  const words = taxType.toLowerCase().replace(/_+/g, " ").trim()
  return words ? words[0].toUpperCase() + words.slice(1) : taxType
}

type TaxEntry = { type: string | null; amount: number }

function entriesOf(taxes: EbayTax[] | undefined): TaxEntry[] {
  return (taxes ?? [])
    .map((t) => ({ type: text(t.taxType), amount: unitsOf(t.amount) }))
    .filter((t) => t.amount !== 0)
}

// ---- promotions --------------------------------------------------------------------------------

type Promo = { code: string | null; name: string | null; amount: number }

/**
 * The promotions whose amounts add up to `target` (a cent's tolerance), preferring a split whose
 * other promotions add up to `rest`. eBay lists item and shipping promotions together in
 * `appliedPromotions`, without saying which is which; the line's own figures tell.
 */
function pickPromotions(promos: Promo[], target: number, rest: number): boolean[] | null {
  if (promos.length > 16) return null
  let best: { pick: boolean[]; exact: boolean } | null = null
  for (let mask = 0; mask < 1 << promos.length; mask++) {
    const pick = promos.map((_, i) => (mask & (1 << i)) !== 0)
    const picked = sumOf(promos.filter((_, i) => pick[i]).map((p) => p.amount))
    if (!near(picked, target)) continue
    const others = sumOf(promos.filter((_, i) => !pick[i]).map((p) => p.amount))
    const exact = near(others, rest)
    if (exact) return pick
    if (!best) best = { pick, exact }
  }
  return best?.pick ?? null
}

/** Detail of a discount total: the promotions when they add up to it, else one entry for the whole. */
function discountDetail(promos: Promo[], total: number, fallbackName: string): CanonicalDiscount[] {
  if (total <= 0) return []
  const listed = sumOf(promos.map((p) => p.amount))
  const out = promos.map((p) => ({ code: p.code, name: p.name, amount: fromUnits(p.amount) }))
  if (promos.length && near(listed, total)) return out
  if (listed < total) return [...out, { code: null, name: fallbackName, amount: fromUnits(total - listed) }]
  return [{ code: null, name: fallbackName, amount: fromUnits(total) }]
}

/** Same promotion on several lines (an order-wide shipping promotion): one entry. */
function mergePromos(promos: Promo[]): Promo[] {
  const byKey = new Map<string, Promo>()
  for (const p of promos) {
    const key = p.code ?? `name:${p.name ?? ""}`
    const seen = byKey.get(key)
    if (seen) seen.amount += p.amount
    else byKey.set(key, { ...p })
  }
  return [...byKey.values()]
}

/** Splits `total` over `weights` in proportion, to the unit, the remainder going to the largest parts. */
function allocate(total: number, weights: number[]): number[] {
  const sum = sumOf(weights.map((w) => Math.max(0, w)))
  if (!weights.length) return []
  if (sum <= 0) return weights.map((_, i) => (i === 0 ? total : 0))
  const raw = weights.map((w) => (Math.max(0, w) * total) / sum)
  const parts = raw.map(Math.floor)
  let left = total - sumOf(parts)
  const order = raw.map((r, i) => ({ i, frac: r - Math.floor(r) })).sort((a, b) => b.frac - a.frac)
  for (let k = 0; left > 0 && k < order.length; k++, left--) parts[order[k].i]++
  return parts
}

// ---- the money of one order ----------------------------------------------------------------

/**
 * Sites whose buyers see tax-inclusive prices (EU/UK VAT, Swiss VAT, Australian GST). Only used when
 * the order's own figures cannot tell (no tax reported, or figures that do not add up).
 */
const TAX_INCLUSIVE_SITES = new Set([
  "EBAY_AT",
  "EBAY_AU",
  "EBAY_BE",
  "EBAY_CH",
  "EBAY_DE",
  "EBAY_ES",
  "EBAY_FR",
  "EBAY_GB",
  "EBAY_IE",
  "EBAY_IT",
  "EBAY_NL",
  "EBAY_PL",
])

type LineMoney = {
  line: EbayLineItem
  quantity: number
  cost: number
  discount: number
  discounts: CanonicalDiscount[]
  tax: number
  taxLines: CanonicalTaxLine[]
  /** Fee entries of `taxes` (and fees eBay collects), charged on top. */
  fees: { type: string; amount: number }[]
  shipPromos: Promo[]
  /** shippingCost + handlingCost of the line, before shipping discounts. */
  shipping: number
  shippingDiscount: number
  importCharges: number
  /** Charges eBay collects itself (BUYER_PROTECTION). */
  ebayCharges: { type: string; amount: number }[]
  /** eBay-collected tax and fees (ebayCollectAndRemitTaxes). */
  remitted: number
}

function lineLabel(line: EbayLineItem, index: number): string {
  return line.lineItemId ? `line item ${line.lineItemId}` : `line ${index + 1}`
}

function lineMoney(orderId: string, line: EbayLineItem, index: number): LineMoney {
  const quantity = Number(line.quantity)
  if (!Number.isInteger(quantity) || quantity < 1) {
    throw new ChannelOrderImportError(
      "invalid_payload",
      `eBay order ${orderId}: ${lineLabel(line, index)} has quantity ${JSON.stringify(line.quantity ?? null)}; a whole number of at least 1 is needed`
    )
  }
  if (!present(line.lineItemCost)) {
    throw new ChannelOrderImportError(
      "invalid_payload",
      `eBay order ${orderId}: ${lineLabel(line, index)} has no lineItemCost, so its price is unknown`
    )
  }
  const cost = unitsOf(line.lineItemCost)

  // Promotion amounts have been seen both signed and unsigned; a discount is positive here.
  const promos: Promo[] = (line.appliedPromotions ?? [])
    .map((p) => ({ code: text(p.promotionId), name: text(p.description), amount: Math.abs(unitsOf(p.discountAmount)) }))
    .filter((p) => p.amount > 0)
  const shippingDiscount = Math.abs(unitsOf(line.deliveryCost?.discountAmount))

  let discount = 0
  let itemPromos: Promo[] = []
  let shipPromos: Promo[] = []
  if (present(line.discountedLineItemCost)) {
    // The item's own discount is what discountedLineItemCost took off; the other promotions are shipping's.
    discount = Math.max(0, cost - unitsOf(line.discountedLineItemCost))
    const pick = pickPromotions(promos, discount, shippingDiscount)
    if (pick) {
      itemPromos = promos.filter((_, i) => pick[i])
      shipPromos = promos.filter((_, i) => !pick[i])
    } else {
      shipPromos = shippingDiscount ? promos.filter((p) => near(p.amount, shippingDiscount)).slice(0, 1) : []
    }
  } else {
    // eBay gives discountedLineItemCost whenever a promotion lowered the item's price: without it the
    // line's promotions are shipping promotions (those matching its shipping discount, when it has one).
    // An item discount the order reports anyway (priceDiscount) is spread over the lines below.
    const pick = shippingDiscount ? pickPromotions(promos, shippingDiscount, 0) : null
    shipPromos = shippingDiscount ? (pick ? promos.filter((_, i) => pick[i]) : []) : promos
  }

  const entries = entriesOf(line.taxes)
  const remittedEntries = entriesOf(line.ebayCollectAndRemitTaxes)
  // ebayCollectAndRemitTaxes repeats the amounts of `taxes`; it only counts when `taxes` has none.
  const charged = entries.length ? entries : remittedEntries
  const fees = charged.filter((e) => e.type && isFeeType(e.type)).map((e) => ({ type: e.type as string, amount: e.amount }))
  const taxes = charged.filter((e) => !(e.type && isFeeType(e.type)))
  const tax = sumOf(taxes.map((t) => t.amount))
  const taxLines = taxes.some((t) => t.type)
    ? taxes.map((t) => ({ code: t.type, name: t.type ? taxTypeName(t.type) : null, rate: null, amount: fromUnits(t.amount) }))
    : []

  return {
    line,
    quantity,
    cost,
    discount,
    discounts: discountDetail(itemPromos, discount, "eBay discount"),
    tax,
    taxLines,
    fees,
    shipPromos,
    shipping: unitsOf(line.deliveryCost?.shippingCost) + unitsOf(line.deliveryCost?.handlingCost),
    shippingDiscount,
    importCharges: unitsOf(line.deliveryCost?.importCharges),
    ebayCharges: (line.ebayCollectedCharges?.charges ?? [])
      .map((c) => ({ type: text(c.chargeType) ?? "CHARGE", amount: unitsOf(c.amount) }))
      .filter((c) => c.amount > 0),
    remitted: sumOf(remittedEntries.map((e) => e.amount)),
  }
}

/** A figure that may or may not be part of eBay's total; the total decides. */
type Optional = { key: string; effect: number; apply: () => void }

type OrderMoney = Pick<
  CanonicalOrderInput,
  "items" | "shipping" | "charges" | "prices_include_tax" | "tax_collected_by" | "totals" | "payment_status" | "payment_method"
>

/**
 * The money of an eBay order, field by field:
 *
 * - items: unit_price = lineItemCost / quantity (unrounded); discount = lineItemCost −
 *   discountedLineItemCost, detailed by the appliedPromotions that add up to it; tax = the line's
 *   `taxes` (the amounts eBay charged on the line, its delivery included), detailed by taxType.
 *   An item discount the order reports (priceDiscount) but no line carries is spread over the lines,
 *   and so is the tax when only the order reports it.
 * - shipping: price = pricingSummary.deliveryCost (before delivery discounts), else the lines'
 *   shippingCost + handlingCost; discount = −pricingSummary.deliveryDiscount, else the lines'
 *   deliveryCost.discountAmount (never both: they are the same money), detailed by the promotions
 *   that are not the item's; tax = the part of pricingSummary.tax that no line carries (spread over
 *   the lines and the delivery when no line reports tax or the delivery is free).
 * - charges: fee entries of `taxes` (recycling fees, TAX_BREAKDOWN), any rest of pricingSummary.fee,
 *   and, when the total shows the buyer paid them, import charges, eBay-collected charges and a
 *   price adjustment.
 * - prices_include_tax: whether pricingSummary.total holds the tax on top of the prices or not; when
 *   the figures cannot tell, the site (EU/UK/CH/AU sites show tax-inclusive prices).
 * - tax_collected_by: `marketplace` when eBay collects and remits (ebayCollectAndRemitTax[es]).
 * - totals: pricingSummary.total (plus eBay-collected tax when the payload came without
 *   TAX_BREAKDOWN, which leaves it out) and pricingSummary.tax; paid_total 0 while unpaid, else
 *   not reported (payments[].amount is what the seller receives, not what the buyer paid).
 */
function orderMoney(order: EbayOrder, orderId: string, site: string | null): OrderMoney {
  const summary = order.pricingSummary ?? {}
  const orderItemDiscount = present(summary.priceDiscount) ? Math.abs(unitsOf(summary.priceDiscount)) : null
  const lines = (order.lineItems ?? []).map((l, i) => lineMoney(orderId, l, i))

  // An order-level item discount no line carries is spread over the lines' discounted prices.
  if (orderItemDiscount !== null && lines.length) {
    const rest = orderItemDiscount - sumOf(lines.map((l) => l.discount))
    if (rest >= CENT / 2) {
      const parts = allocate(rest, lines.map((l) => l.cost - l.discount))
      lines.forEach((l, i) => {
        if (!parts[i]) return
        l.discount += parts[i]
        l.discounts = [...l.discounts, { code: null, name: "eBay order discount", amount: fromUnits(parts[i]) }]
      })
    }
  }

  const shippingPrice = present(summary.deliveryCost) ? Math.abs(unitsOf(summary.deliveryCost)) : sumOf(lines.map((l) => l.shipping))
  const shippingDiscount = present(summary.deliveryDiscount)
    ? Math.abs(unitsOf(summary.deliveryDiscount))
    : sumOf(lines.map((l) => l.shippingDiscount))
  const shippingDiscounts = discountDetail(mergePromos(lines.flatMap((l) => l.shipPromos)), shippingDiscount, "eBay shipping discount")

  const charges: ChargeInput[] = []
  for (const l of lines) {
    for (const fee of l.fees) {
      charges.push({
        type: /RECYCLING|DISPOSABLE|WASTE/.test(fee.type) ? "eco_fee" : "fee",
        external_id: l.line.lineItemId ?? null,
        name: taxTypeName(fee.type),
        amount: fromUnits(fee.amount),
      })
    }
  }
  const feeTotal = sumOf(lines.flatMap((l) => l.fees.map((f) => f.amount)))
  if (present(summary.fee) && unitsOf(summary.fee) - feeTotal >= CENT / 2) {
    charges.push({ type: "fee", external_id: null, name: "eBay special fees", amount: fromUnits(unitsOf(summary.fee) - feeTotal) })
  }

  const lineTax = sumOf(lines.map((l) => l.tax))
  let reportedTax = present(summary.tax) ? unitsOf(summary.tax) : null
  // Should eBay count the fees into pricingSummary.tax, they are charges here, not tax.
  if (reportedTax !== null && feeTotal > 0 && !near(reportedTax, lineTax) && near(reportedTax, lineTax + feeTotal)) {
    reportedTax -= feeTotal
  }
  // Tax the order reports beyond its lines' is the delivery's (eBay's line taxes already cover each
  // line's own shipping). When no line reports tax at all, or there is no delivery to carry it, it is
  // spread over what was sold, so no tax sits on a zero amount.
  const orderOnlyTax = reportedTax !== null ? Math.max(0, reportedTax - lineTax) : 0
  let shippingTax = 0
  if (orderOnlyTax > 0) {
    const shippingNet = shippingPrice - shippingDiscount
    if (lineTax > 0 && shippingNet > 0) {
      shippingTax = orderOnlyTax
    } else {
      const parts = allocate(orderOnlyTax, [...lines.map((l) => l.cost - l.discount), Math.max(0, shippingNet)])
      lines.forEach((l, i) => {
        if (!parts[i]) return
        l.tax += parts[i]
        if (l.taxLines.length) l.taxLines = [...l.taxLines, { code: null, name: null, rate: null, amount: fromUnits(parts[i]) }]
      })
      shippingTax = parts[lines.length]
    }
  }
  const taxTotal = lineTax + orderOnlyTax

  // Without TAX_BREAKDOWN eBay leaves its collected tax out of pricingSummary.total.
  const remitted = sumOf(lines.map((l) => l.remitted))
  const breakdown =
    present(summary.fee) || lines.some((l) => (l.line.taxes ?? []).some((t) => text(t.taxType)))
  const totals: number[] = []
  if (present(summary.total)) {
    const total = unitsOf(summary.total)
    if (remitted > 0 && !breakdown) totals.push(total + remitted, total)
    else totals.push(total)
  }

  const optional: Optional[] = []
  const importCharges = sumOf(lines.map((l) => l.importCharges))
  if (importCharges > 0) {
    optional.push({
      key: "import",
      effect: importCharges,
      apply: () => charges.push({ type: "fee", external_id: null, name: "Import charges", amount: fromUnits(importCharges) }),
    })
  }
  const ebayCharges = new Map<string, number>()
  for (const c of lines.flatMap((l) => l.ebayCharges)) ebayCharges.set(c.type, (ebayCharges.get(c.type) ?? 0) + c.amount)
  for (const [type, amount] of ebayCharges) {
    optional.push({
      key: `charge:${type}`,
      effect: amount,
      apply: () =>
        charges.push({
          type: "fee",
          external_id: null,
          name: type === "BUYER_PROTECTION" ? "eBay buyer protection fee" : `eBay ${taxTypeName(type).toLowerCase()}`,
          amount: fromUnits(amount),
        }),
    })
  }
  const adjustment = present(summary.adjustment) ? unitsOf(summary.adjustment) : 0
  if (adjustment !== 0) {
    // eBay does not document the sign; the total tells whether it raised or lowered the price.
    for (const effect of [adjustment, -adjustment]) {
      optional.push({
        key: "adjustment",
        effect,
        apply: () => {
          if (effect > 0) {
            charges.push({ type: "other", external_id: null, name: "eBay price adjustment", amount: fromUnits(effect) })
            return
          }
          const parts = allocate(-effect, lines.map((l) => l.cost - l.discount))
          lines.forEach((l, i) => {
            if (!parts[i]) return
            l.discount += parts[i]
            l.discounts = [...l.discounts, { code: null, name: "eBay price adjustment", amount: fromUnits(parts[i]) }]
          })
        },
      })
    }
  }

  const net =
    sumOf(lines.map((l) => l.cost - l.discount)) +
    (shippingPrice - shippingDiscount) +
    sumOf(charges.map((c) => toUnits(Number(c.amount))))
  const siteInclusive = !!site && TAX_INCLUSIVE_SITES.has(site)
  let pricesIncludeTax = siteInclusive
  let reportedTotal: number | null = totals[0] ?? null
  search: for (let size = 0; size <= optional.length; size++) {
    for (const subset of subsetsOf(optional, size)) {
      if (new Set(subset.map((o) => o.key)).size !== subset.length) continue
      const extra = sumOf(subset.map((o) => o.effect))
      for (const total of totals) {
        const exclusive = near(net + extra + taxTotal, total)
        const inclusive = near(net + extra, total)
        if (!exclusive && !inclusive) continue
        // No tax (or one too small to tell the two apart): the site decides.
        pricesIncludeTax = exclusive && inclusive ? siteInclusive : inclusive
        reportedTotal = total
        subset.forEach((o) => o.apply())
        break search
      }
    }
  }

  const cod = isCashOnDelivery(order)
  const status = order.orderPaymentStatus
  // Cash on delivery is unpaid until eBay says otherwise (PAID or a refund state).
  const settled = status === "PAID" || status === "PARTIALLY_REFUNDED" || status === "FULLY_REFUNDED"
  const pending = status === "PENDING" || status === "FAILED" || (cod && !settled)
  const method = (order.paymentSummary?.payments ?? []).map((p) => text(p.paymentMethod)).find(Boolean) ?? null

  return {
    items: lines.map((l, i) => ({
      ...itemIdentity(l.line, i),
      quantity: l.quantity,
      // A line eBay reports FULFILLED inside an order still IN_PROGRESS shipped before the import.
      shipped_quantity: l.line.lineItemFulfillmentStatus === "FULFILLED" ? l.quantity : 0,
      // lineItemCost is unit price × quantity, before discounts.
      unit_price: amountOf(l.line.lineItemCost) / l.quantity,
      discount_total: fromUnits(l.discount),
      discounts: l.discounts,
      tax_total: fromUnits(l.tax),
      tax_rate: null,
      tax_lines: l.taxLines,
    })),
    shipping: {
      price: fromUnits(shippingPrice),
      discount_total: fromUnits(shippingDiscount),
      discounts: shippingDiscounts,
      tax_total: fromUnits(shippingTax),
      tax_rate: null,
      tax_lines: [],
    },
    charges: charges.map((c) => ({ discount_total: 0, tax_total: 0, tax_rate: null, tax_lines: [], ...c })),
    prices_include_tax: pricesIncludeTax,
    tax_collected_by: order.ebayCollectAndRemitTax || remitted > 0 ? "marketplace" : "seller",
    totals: {
      total: reportedTotal !== null ? fromUnits(reportedTotal) : null,
      tax_total: reportedTax !== null ? fromUnits(reportedTax) : null,
      paid_total: pending ? 0 : null,
    },
    payment_status: pending ? "pending" : "paid",
    payment_method: cod ? "cash_on_delivery" : method,
  }
}

function* subsetsOf<T>(items: T[], size: number, from = 0): Generator<T[]> {
  if (size === 0) {
    yield []
    return
  }
  for (let i = from; i <= items.length - size; i++) {
    for (const rest of subsetsOf(items, size - 1, i + 1)) yield [items[i], ...rest]
  }
}

function itemIdentity(line: EbayLineItem, index: number): Pick<ItemInput, "external_id" | "sku" | "marketplace_product_id" | "title"> {
  return {
    external_id: line.lineItemId ?? "",
    sku: text(line.sku),
    marketplace_product_id: text(line.legacyItemId),
    title: text(line.title) ?? (line.legacyItemId ? `eBay item ${line.legacyItemId}` : `eBay line ${index + 1}`),
  }
}

function lineExtras(line: EbayLineItem): Record<string, unknown> {
  const extras: Record<string, unknown> = {}
  if (line.legacyVariationId) extras.legacy_variation_id = line.legacyVariationId
  if (line.variationAspects?.length) extras.variation_aspects = line.variationAspects
  if (line.lineItemFulfillmentStatus) extras.fulfillment_status = line.lineItemFulfillmentStatus
  if (line.lineItemFulfillmentInstructions?.shipByDate) extras.ship_by_date = line.lineItemFulfillmentInstructions.shipByDate
  if (line.lineItemFulfillmentInstructions?.guaranteedDelivery) extras.guaranteed_delivery = true
  if (line.soldFormat) extras.sold_format = line.soldFormat
  if (line.ebayCollectAndRemitTaxes?.length) {
    extras.ebay_collect_and_remit_tax = fromUnits(sumOf(entriesOf(line.ebayCollectAndRemitTaxes).map((t) => t.amount)))
  }
  return extras
}

/** Raw eBay order → canonical order. Anything the canonical shape has no slot for goes to custom_fields. */
export function toCanonicalOrder(raw: unknown, settings: Record<string, any> = {}): CanonicalOrderInput {
  const order = raw as EbayOrder
  if (!order || typeof order !== "object" || !order.orderId) {
    throw new ChannelOrderImportError("unidentified_payload", "The eBay payload has no orderId")
  }
  const lines = order.lineItems ?? []
  if (!Array.isArray(lines) || !lines.length) {
    throw new ChannelOrderImportError("invalid_payload", `eBay order ${order.orderId} has no line items`)
  }
  const currency = currencyOf(order)
  if (!currency) {
    throw new ChannelOrderImportError(
      "invalid_payload",
      `eBay order ${order.orderId} gives no currency (neither pricingSummary.total nor lineItemCost has one)`
    )
  }

  const instruction = order.fulfillmentStartInstructions?.[0]
  const shipTo = instruction?.shippingStep?.shipTo
  const registration = order.buyer?.buyerRegistrationAddress
  const contact = registration?.fullName ? registration : shipTo
  const site =
    text(lines.find((l) => text(l.purchaseMarketplaceId))?.purchaseMarketplaceId) ??
    text(lines.find((l) => text(l.listingMarketplaceId))?.listingMarketplaceId) ??
    text(settings.marketplace_id)

  const custom: Record<string, unknown> = {}
  const put = (key: string, value: unknown) => {
    if (value !== undefined && value !== null && value !== "") custom[key] = value
  }
  put("ebay_username", order.buyer?.username)
  put("seller_id", order.sellerId)
  put("sales_record_reference", order.salesRecordReference)
  put("marketplace_id", site)
  put("order_fulfillment_status", order.orderFulfillmentStatus)
  put("order_payment_status", order.orderPaymentStatus)
  put("cancel_state", order.cancelStatus?.cancelState)
  put("fulfillment_instructions_type", instruction?.fulfillmentInstructionsType)
  put("shipping_carrier_code", instruction?.shippingStep?.shippingCarrierCode)
  if (instruction?.ebaySupportedFulfillment) {
    // Global Shipping / eBay International Shipping: shipping_address is eBay's hub, this is the buyer's home.
    custom.ebay_supported_fulfillment = true
    put("final_destination_address", instruction.finalDestinationAddress)
  }
  put("min_estimated_delivery_date", instruction?.minEstimatedDeliveryDate)
  put("max_estimated_delivery_date", instruction?.maxEstimatedDeliveryDate)
  const shipBy = lines
    .map((l) => l.lineItemFulfillmentInstructions?.shipByDate)
    .filter((d): d is string => Boolean(d))
    .sort()[0]
  put("ship_by_date", shipBy)
  if (order.ebayCollectAndRemitTax) custom.ebay_collect_and_remit_tax = true
  // Seller-side figures (what eBay pays out and keeps); the buyer's are first-class fields.
  put("total_due_seller", order.paymentSummary?.totalDueSeller?.value)
  put("marketplace_fee", order.totalMarketplaceFee?.value)
  put("price_adjustment", order.pricingSummary?.adjustment?.value)
  put("buyer_currency", order.pricingSummary?.total?.convertedFromCurrency)
  const methods = [...new Set((order.paymentSummary?.payments ?? []).map((p) => p.paymentMethod).filter(Boolean))]
  if (methods.length) custom.payment_methods = methods
  const maskedEmail = text(registration?.email ?? shipTo?.email)
  const email = usableEmail(registration?.email) ?? usableEmail(shipTo?.email)
  if (!email && maskedEmail) custom.masked_email = maskedEmail
  const extras: Record<string, unknown> = {}
  for (const line of lines) {
    const e = lineExtras(line)
    if (line.lineItemId && Object.keys(e).length) extras[line.lineItemId] = e
  }
  if (Object.keys(extras).length) custom.line_items = extras

  const gift = lines.find((l) => text(l.giftDetails?.message))?.giftDetails?.message
  const money = orderMoney(order, order.orderId, site)

  return {
    external_id: order.orderId,
    status: deriveEbayStatus(order),
    created_at: toUtcIso(order.creationDate) ?? "",
    updated_at: toUtcIso(order.lastModifiedDate ?? order.creationDate) ?? "",
    currency_code: currency,
    email,
    customer: {
      ...splitFullName(contact?.fullName),
      phone: text(registration?.primaryPhone?.phoneNumber) ?? text(shipTo?.primaryPhone?.phoneNumber),
    },
    shipping_address: toAddress(shipTo, shipTo?.contactAddress),
    billing_address: toAddress(registration, registration?.contactAddress),
    ...money,
    shipping: {
      service_code: text(instruction?.shippingStep?.shippingServiceCode),
      name: text(instruction?.shippingStep?.shippingServiceCode),
      ...money.shipping,
    },
    // eBay's Fulfillment API has no replacement orders.
    replaces_external_id: null,
    fulfilled_by_marketplace: isFulfilledByEbay(order),
    notes: text(order.buyerCheckoutNotes),
    gift_message: text(gift),
    custom_fields: custom,
  }
}
