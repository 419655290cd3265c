import { ChannelProviderError } from "../../modules/channel/errors"
import type { CanonicalOrderInput } from "../../modules/channel/types/canonical-order"
import type { RawOrderIdentity } from "../../modules/channel/types/provider"
import { PENDING_STATUSES } from "./statuses"
import type { AmazonAddress, AmazonMoney, AmazonOrder, AmazonOrderItem, AmazonProceedsBreakdown } from "./types"

/** Used when an order carries no amount at all (PENDING orders may have no prices yet). */
const MARKETPLACE_CURRENCY: Record<string, string> = {
  ATVPDKIKX0DER: "USD", A2EUQ1WTGCTBG2: "CAD", A1AM78C64UM0Y8: "MXN", A2Q3Y263D00KWC: "BRL",
  A1F83G8C2ARO7P: "GBP", A1PA6795UKMFR9: "EUR", A13V1IB3VIYZZH: "EUR", APJ6JRA9NG5V4: "EUR",
  A1RKKUPIHCS9HS: "EUR", A1805IZSGTT6HS: "EUR", AMEN7PMS3EDWL: "EUR", A2NODRKZP88ZB9: "SEK",
  A1C3SOZRARQ6R3: "PLN", A33AVAJ2PDY3EV: "TRY", A2VIGQ35RCS4UG: "AED", A17E79C6D8DWNP: "SAR",
  ARBP9OOSHTCHU: "EGP", A21TJRUUN4KGV: "INR", A1VC38T7YXB528: "JPY", A39IBJ37TRP1C6: "AUD",
  A19VAU5U5O7RUS: "SGD",
}

function isRecord(v: unknown): v is Record<string, any> {
  return typeof v === "object" && v !== null && !Array.isArray(v)
}

function text(v: unknown): string | null {
  return typeof v === "string" && v.trim() !== "" ? v.trim() : null
}

/** Amazon amounts are decimal strings; rounding keeps float noise out of sums and divisions. */
function round(n: number): number {
  return Math.round(n * 10_000) / 10_000
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

/** "Jane van der Berg" → first "Jane", last "van der Berg". */
export function splitName(full: string | null): { first_name: string | null; last_name: string | null } {
  if (!full) return { first_name: null, last_name: null }
  const parts = full.split(/\s+/).filter(Boolean)
  if (parts.length <= 1) return { first_name: parts[0] ?? null, last_name: null }
  return { first_name: parts[0], last_name: parts.slice(1).join(" ") }
}

/**
 * A breakdown's amount split by its detailed subtypes. `wanted` subtypes are summed when Amazon
 * details the breakdown; without details the whole subtotal counts only when `wholeIfUndetailed`.
 */
function breakdownPart(
  breakdowns: AmazonProceedsBreakdown[] | undefined,
  type: string,
  wanted: (subtype: string) => boolean,
  wholeIfUndetailed: boolean
): number {
  let sum = 0
  for (const b of breakdowns ?? []) {
    if (b.type !== type) continue
    const details = b.detailedBreakdowns?.filter((d) => d.value) ?? []
    if (details.length) {
      for (const d of details) if (wanted(d.subtype ?? "")) sum += amount(d.value) ?? 0
    } else if (wholeIfUndetailed) {
      sum += amount(b.subtotal) ?? 0
    }
  }
  return sum
}

function breakdownTotal(breakdowns: AmazonProceedsBreakdown[] | undefined, type: string): number {
  return (breakdowns ?? []).filter((b) => b.type === type).reduce((s, b) => s + (amount(b.subtotal) ?? 0), 0)
}

const isShipping = (s: string) => s === "SHIPPING"
const notShipping = (s: string) => s !== "SHIPPING"

type MappedItem = NonNullable<CanonicalOrderInput["items"]>[number]

function mapItem(item: AmazonOrderItem): MappedItem | null {
  const quantity = item.quantityOrdered
  // Fully cancelled lines come back with quantity 0; they are not lines to fulfil.
  if (!Number.isInteger(quantity) || quantity <= 0) return null
  const product = item.product ?? {}
  const breakdowns = item.proceeds?.breakdowns
  const itemSubtotal = breakdownTotal(breakdowns, "ITEM")
  const unit = amount(product.price?.unitPrice) ?? (itemSubtotal ? itemSubtotal / quantity : 0)
  const tax = breakdownPart(breakdowns, "TAX", notShipping, true)
  const discount = breakdownPart(breakdowns, "DISCOUNT", notShipping, true)
  return {
    external_id: item.orderItemId,
    sku: text(product.sellerSku),
    marketplace_product_id: text(product.asin),
    title: text(product.title) ?? text(product.sellerSku) ?? text(product.asin) ?? item.orderItemId,
    quantity,
    unit_price: round(Math.max(0, unit)),
    tax_total: round(Math.abs(tax)),
    // Amazon reports discounts as negative proceeds; the canonical order wants a positive reduction.
    discount_total: round(Math.abs(discount)),
  }
}

function mapAddress(a: AmazonAddress | undefined): CanonicalOrderInput["shipping_address"] {
  const country = text(a?.countryCode)
  if (!a || !country) return null
  const { first_name, last_name } = splitName(text(a.name))
  const line2 = [text(a.addressLine2), text(a.addressLine3)].filter(Boolean).join(", ")
  return {
    first_name,
    last_name,
    company: text(a.companyName),
    address_1: text(a.addressLine1),
    address_2: line2 || null,
    city: text(a.city) ?? text(a.municipality) ?? text(a.districtOrCounty),
    province: text(a.stateOrRegion),
    postal_code: text(a.postalCode),
    country_code: country,
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
  return fromOrder ?? (marketplace ? MARKETPLACE_CURRENCY[marketplace] : undefined) ?? fallback ?? ""
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

/** Orders API 2026-01-01 order → canonical order. The caller validates the result. */
export function normalizeAmazonOrder(raw: unknown, settings: Record<string, any> = {}): CanonicalOrderInput {
  const order = asAmazonOrder(raw)
  const { status } = identifyAmazonOrder(order)
  const items = (order.orderItems ?? []).map(mapItem).filter((i): i is MappedItem => i !== null)
  const cancelledLines = (order.orderItems ?? []).filter((i) => !(i.quantityOrdered > 0)).map((i) => i.orderItemId)

  const itemBreakdowns = (order.orderItems ?? []).flatMap((i) => i.proceeds?.breakdowns ?? [])
  const hasItemProceeds = (order.orderItems ?? []).some((i) => i.proceeds?.breakdowns?.length)
  // Item-level proceeds are more precise; the order-level ones are the same figures aggregated.
  const source = hasItemProceeds ? itemBreakdowns : order.proceeds?.breakdowns ?? []
  const shippingGross = breakdownTotal(source, "SHIPPING")
  const shippingDiscount = Math.abs(breakdownPart(source, "DISCOUNT", isShipping, false))
  const shippingTax = Math.abs(breakdownPart(source, "TAX", isShipping, false))
  const giftWrap = breakdownTotal(source, "GIFT_WRAP")
  const codFee = breakdownTotal(source, "COD_FEE")
  const deliveryTip = breakdownTotal(order.proceeds?.breakdowns, "DELIVERY_TIP")

  const address = order.recipient?.deliveryAddress
  const buyerName = text(order.buyer?.buyerName)
  const names = splitName(buyerName ?? text(address?.name))
  const programs = order.programs ?? []
  const fulfillment = order.fulfillment
  const giftMessages = [
    ...new Set(
      (order.orderItems ?? [])
        .map((i) => text(i.fulfillment?.packing?.giftOption?.giftMessage))
        .filter((m): m is string => !!m)
    ),
  ]
  const preference = order.recipient?.deliveryPreference
  const notes = [text(preference?.addressInstruction), text(preference?.dropOffLocation)].filter(Boolean).join(" / ")
  const cancelRequests = (order.orderItems ?? []).filter((i) => i.cancellation?.cancellationRequest)

  const custom: Record<string, unknown> = {
    marketplace_id: order.salesChannel?.marketplaceId ?? null,
    marketplace_name: order.salesChannel?.marketplaceName ?? null,
    sales_channel: order.salesChannel?.channelName ?? null,
    fulfilled_by: fulfillment?.fulfilledBy ?? null,
    fulfillment_service_level: fulfillment?.fulfillmentServiceLevel ?? null,
    programs,
    is_prime: programs.includes("PRIME"),
    is_business_order: programs.includes("AMAZON_BUSINESS"),
    is_premium_order: programs.includes("PREMIUM"),
    is_preorder: programs.includes("PREORDER"),
  }
  const optional: Record<string, unknown> = {
    seller_order_id: order.orderAliases?.find((a) => a.aliasType === "SELLER_ORDER_ID")?.aliasId,
    buyer_company_name: text(order.buyer?.buyerCompanyName),
    purchase_order_number: text(order.buyer?.buyerPurchaseOrderNumber),
    ship_by: fulfillment?.shipByWindow?.latestDateTime,
    deliver_by: fulfillment?.deliverByWindow?.latestDateTime,
    replaces_order_id: order.associatedOrders?.find((a) => a.associationType === "REPLACEMENT_ORIGINAL_ID")?.orderId,
    grand_total: amount(order.proceeds?.grandTotal),
    shipping_gross: shippingDiscount ? round(shippingGross) : undefined,
    shipping_discount: shippingDiscount ? round(shippingDiscount) : undefined,
    shipping_tax_total: shippingTax ? round(shippingTax) : undefined,
    gift_wrap_total: giftWrap ? round(giftWrap) : undefined,
    cod_fee_total: codFee ? round(codFee) : undefined,
    delivery_tip: deliveryTip ? round(deliveryTip) : undefined,
    promotion_ids: [
      ...new Set(
        (order.orderItems ?? []).flatMap((i) => (i.promotion?.breakdowns ?? []).map((b) => b.promotionId).filter(Boolean))
      ),
    ],
    buyer_requested_cancel: cancelRequests.length ? true : undefined,
    buyer_cancel_reason: cancelRequests.map((i) => i.cancellation?.cancellationRequest?.cancelReason).find(Boolean),
    cancelled_item_ids: cancelledLines.length ? cancelledLines : undefined,
  }
  for (const [k, v] of Object.entries(optional)) {
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) custom[k] = v
  }

  return {
    external_id: order.orderId,
    status,
    created_at: isoUtc(order.createdTime),
    updated_at: isoUtc(order.lastUpdatedTime),
    currency_code: currencyOf(order, settings),
    email: text(order.buyer?.buyerEmail),
    customer: { ...names, phone: text(address?.phone) },
    shipping_address: mapAddress(address),
    billing_address: null,
    items,
    shipping: {
      service_code: fulfillment?.fulfillmentServiceLevel ?? null,
      name: fulfillment?.fulfillmentServiceLevel ?? null,
      price: round(Math.max(0, shippingGross - shippingDiscount)),
    },
    fulfilled_by_marketplace: fulfillment?.fulfilledBy === "AMAZON",
    payment_status: PENDING_STATUSES.has(status) ? "pending" : "paid",
    notes: notes || null,
    gift_message: giftMessages.length ? giftMessages.join("\n") : null,
    custom_fields: custom,
  }
}
