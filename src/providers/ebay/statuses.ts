import type { ProviderStatus, StatusRuleInput } from "../../modules/channel/types/provider"
import type { EbayOrder } from "./types"

/**
 * eBay has no single order status: it reports fulfilment (orderFulfillmentStatus), payment
 * (orderPaymentStatus) and cancellation (cancelStatus.cancelState) separately. One status string is
 * derived from them, the first matching line winning:
 *
 *   cancelState CANCELED                         → CANCELED
 *   cancelState IN_PROGRESS                      → CANCEL_REQUESTED  (buyer or seller asked; not settled)
 *   orderPaymentStatus FULLY_REFUNDED            → REFUNDED
 *   orderPaymentStatus PENDING                   → PAYMENT_PENDING   (eBay says ship only when PAID),
 *                                                  except cash on delivery, which is paid after shipping
 *   orderPaymentStatus FAILED                    → PAYMENT_FAILED
 *   orderFulfillmentStatus NOT_STARTED / IN_PROGRESS / FULFILLED → the same word
 *
 * PAID and PARTIALLY_REFUNDED fall through to the fulfilment status. A value eBay adds later is
 * passed through unchanged, so it shows up as an unknown status (no rule → not imported, retried)
 * instead of being forced into a wrong bucket.
 */
export const EBAY_STATUSES = {
  NOT_STARTED: "NOT_STARTED",
  IN_PROGRESS: "IN_PROGRESS",
  FULFILLED: "FULFILLED",
  PAYMENT_PENDING: "PAYMENT_PENDING",
  PAYMENT_FAILED: "PAYMENT_FAILED",
  REFUNDED: "REFUNDED",
  CANCEL_REQUESTED: "CANCEL_REQUESTED",
  CANCELED: "CANCELED",
} as const

/** The buyer pays the carrier on delivery (an offline method some eBay sites allow). */
export function isCashOnDelivery(order: EbayOrder): boolean {
  return (order.paymentSummary?.payments ?? []).some((p) => p.paymentMethod === "CASH_ON_DELIVERY")
}

export function deriveEbayStatus(order: EbayOrder): string {
  const cancelState = order.cancelStatus?.cancelState
  if (cancelState === "CANCELED") return EBAY_STATUSES.CANCELED
  if (cancelState === "IN_PROGRESS") return EBAY_STATUSES.CANCEL_REQUESTED

  const payment = order.orderPaymentStatus
  if (payment === "FULLY_REFUNDED") return EBAY_STATUSES.REFUNDED
  // A cash-on-delivery order stays PENDING until the parcel is paid for: it must ship first.
  if (payment === "PENDING" && !isCashOnDelivery(order)) return EBAY_STATUSES.PAYMENT_PENDING
  if (payment === "FAILED") return EBAY_STATUSES.PAYMENT_FAILED

  const fulfilment = order.orderFulfillmentStatus
  return fulfilment && fulfilment.trim() ? fulfilment : "UNKNOWN"
}

export function ebayStatuses(): ProviderStatus[] {
  return [
    { external_status: EBAY_STATUSES.NOT_STARTED, kind: "open", description: "Paid, nothing shipped yet" },
    { external_status: EBAY_STATUSES.IN_PROGRESS, kind: "open", description: "Paid, some line items shipped" },
    { external_status: EBAY_STATUSES.FULFILLED, kind: "shipped", description: "Every line item shipped" },
    { external_status: EBAY_STATUSES.PAYMENT_PENDING, kind: "open", description: "Payment not yet cleared (orderPaymentStatus PENDING)" },
    { external_status: EBAY_STATUSES.PAYMENT_FAILED, kind: "unfulfillable", description: "Payment failed (orderPaymentStatus FAILED)" },
    { external_status: EBAY_STATUSES.REFUNDED, kind: "refunded", description: "Fully refunded, not cancelled" },
    { external_status: EBAY_STATUSES.CANCEL_REQUESTED, kind: "open", description: "A cancellation is in progress" },
    { external_status: EBAY_STATUSES.CANCELED, kind: "canceled", description: "Cancelled" },
  ]
}

export function ebayDefaultStatusRules(): StatusRuleInput[] {
  return [
    { external_status: EBAY_STATUSES.NOT_STARTED, action: "import_as_valid", retry: false },
    { external_status: EBAY_STATUSES.IN_PROGRESS, action: "import_as_valid", retry: false },
    { external_status: EBAY_STATUSES.FULFILLED, action: "import_as_history", retry: false },
    // Payment may still clear: keep looking at the order.
    { external_status: EBAY_STATUSES.PAYMENT_PENDING, action: "do_not_import", retry: true },
    { external_status: EBAY_STATUSES.PAYMENT_FAILED, action: "do_not_import", retry: true },
    { external_status: EBAY_STATUSES.REFUNDED, action: "do_not_import", retry: false },
    // The buyer's request may be refused by the seller, and the order then ships.
    { external_status: EBAY_STATUSES.CANCEL_REQUESTED, action: "do_not_import", retry: true },
    { external_status: EBAY_STATUSES.CANCELED, action: "do_not_import", retry: false },
  ]
}
