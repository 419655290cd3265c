import { ChannelOrderImportError } from "../../modules/channel/errors"
import type { CanonicalAddress, CanonicalItem, CanonicalOrderInput } from "../../modules/channel/types/canonical-order"
import { deriveEbayStatus } from "./statuses"
import type { EbayAddress, EbayAmount, EbayContact, EbayLineItem, EbayOrder } from "./types"

type AddressInput = Omit<CanonicalAddress, "country_code"> & { country_code: string }
type ItemInput = Partial<CanonicalItem> & Pick<CanonicalItem, "external_id" | "title" | "quantity" | "unit_price">

/** Six decimals hide binary-float noise (0.1 + 0.2) without touching real cents or sub-cent unit prices. */
const round = (n: number) => Math.round(n * 1e6) / 1e6

/** eBay amounts are decimal strings; an absent or unreadable one counts as zero. */
export function amountOf(a: EbayAmount | undefined | null): number {
  if (!a || a.value === undefined || a.value === null || a.value === "") return 0
  const n = Number(a.value)
  return Number.isFinite(n) ? n : 0
}

const sum = (values: number[]) => round(values.reduce((s, v) => s + v, 0))

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

function toAddress(contact: EbayContact | undefined, address: EbayAddress | undefined): AddressInput | null {
  const country = text(address?.countryCode)
  if (!address || !country) return null
  const name = splitFullName(contact?.fullName)
  return {
    ...name,
    company: text(contact?.companyName),
    address_1: text(address.addressLine1),
    address_2: text(address.addressLine2),
    city: text(address.city),
    province: text(address.stateOrProvince),
    postal_code: text(address.postalCode),
    country_code: country,
    phone: text(contact?.primaryPhone?.phoneNumber),
  }
}

function lineDiscount(line: EbayLineItem): number {
  // Promotion amounts have been seen both signed and unsigned; a discount is a positive number here.
  const promotions = sum((line.appliedPromotions ?? []).map((p) => Math.abs(amountOf(p.discountAmount))))
  if (promotions > 0) return promotions
  if (line.discountedLineItemCost) {
    return Math.max(0, round(amountOf(line.lineItemCost) - amountOf(line.discountedLineItemCost)))
  }
  return 0
}

function toItem(line: EbayLineItem, index: number): ItemInput {
  const quantity = Number(line.quantity ?? 0)
  const cost = amountOf(line.lineItemCost)
  return {
    external_id: line.lineItemId ?? "",
    sku: text(line.sku),
    marketplace_product_id: text(line.legacyItemId),
    title: text(line.title) ?? (line.legacyItemId ? `eBay item ${line.legacyItemId}` : `eBay line ${index + 1}`),
    quantity,
    // lineItemCost is unit price × quantity, before discounts.
    unit_price: quantity > 0 ? round(cost / quantity) : cost,
    tax_total: sum((line.taxes ?? []).map((t) => amountOf(t.amount))),
    discount_total: lineDiscount(line),
  }
}

function shippingPrice(order: EbayOrder): number {
  const summary = order.pricingSummary
  if (summary?.deliveryCost) {
    return Math.max(0, round(amountOf(summary.deliveryCost) - Math.abs(amountOf(summary.deliveryDiscount))))
  }
  const lines = order.lineItems ?? []
  const perLine = lines.map(
    (l) =>
      amountOf(l.deliveryCost?.shippingCost) +
      amountOf(l.deliveryCost?.handlingCost) -
      Math.abs(amountOf(l.deliveryCost?.discountAmount))
  )
  return Math.max(0, sum(perLine))
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
    s?.total?.currency ??
    s?.priceSubtotal?.currency ??
    order.lineItems?.find((l) => l.lineItemCost?.currency)?.lineItemCost?.currency
  )
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
    extras.ebay_collect_and_remit_tax = sum(line.ebayCollectAndRemitTaxes.map((t) => amountOf(t.amount)))
  }
  return extras
}

/** Raw eBay order → canonical order. Anything the canonical shape has no slot for goes to custom_fields. */
export function toCanonicalOrder(raw: unknown, settings: Record<string, any> = {}): CanonicalOrderInput {
  const order = raw as EbayOrder
  if (!order || typeof order !== "object" || !order.orderId) {
    throw new ChannelOrderImportError("unidentified_payload", "The eBay payload has no orderId")
  }

  const instruction = order.fulfillmentStartInstructions?.[0]
  const shipTo = instruction?.shippingStep?.shipTo
  const registration = order.buyer?.buyerRegistrationAddress
  const contact = registration?.fullName ? registration : shipTo
  const lines = order.lineItems ?? []

  const custom: Record<string, unknown> = {}
  const put = (key: string, value: unknown) => {
    if (value !== undefined && value !== null && value !== "") custom[key] = value
  }
  put("ebay_username", order.buyer?.username)
  put("seller_id", order.sellerId)
  put("sales_record_reference", order.salesRecordReference)
  put("marketplace_id", lines.find((l) => l.purchaseMarketplaceId)?.purchaseMarketplaceId ?? settings.marketplace_id)
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
  put("total", order.pricingSummary?.total?.value)
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

  return {
    external_id: order.orderId,
    status: deriveEbayStatus(order),
    created_at: toUtcIso(order.creationDate) ?? "",
    updated_at: toUtcIso(order.lastModifiedDate ?? order.creationDate) ?? "",
    currency_code: currencyOf(order) ?? "",
    email,
    customer: {
      ...splitFullName(contact?.fullName),
      phone: text(registration?.primaryPhone?.phoneNumber) ?? text(shipTo?.primaryPhone?.phoneNumber),
    },
    shipping_address: toAddress(shipTo, shipTo?.contactAddress),
    billing_address: toAddress(registration, registration?.contactAddress),
    items: lines.map(toItem),
    shipping: {
      service_code: text(instruction?.shippingStep?.shippingServiceCode),
      name: text(instruction?.shippingStep?.shippingServiceCode),
      price: shippingPrice(order),
    },
    fulfilled_by_marketplace: isFulfilledByEbay(order),
    payment_status: order.orderPaymentStatus === "PENDING" || order.orderPaymentStatus === "FAILED" ? "pending" : "paid",
    notes: text(order.buyerCheckoutNotes),
    gift_message: text(gift),
    custom_fields: custom,
  }
}
