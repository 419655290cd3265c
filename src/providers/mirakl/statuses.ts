import type { ProviderStatus, StatusKind, StatusRuleInput } from "../../modules/channel/types/provider"

/** `order_state` values of the seller OpenAPI (OR11), in lifecycle order. */
export const MIRAKL_ORDER_STATES = [
  "STAGING",
  "WAITING_ACCEPTANCE",
  "WAITING_DEBIT",
  "WAITING_DEBIT_PAYMENT",
  "SHIPPING",
  "SHIPPED",
  "TO_COLLECT",
  "RECEIVED",
  "CLOSED",
  "REFUSED",
  "CANCELED",
  // Deprecated in the spec but still found on old orders.
  "WAITING_REFUND",
  "WAITING_REFUND_PAYMENT",
] as const
export type MiraklOrderState = (typeof MIRAKL_ORDER_STATES)[number]

const DESCRIPTIONS: Record<MiraklOrderState, string> = {
  STAGING: "Being checked by the operator (fraud check) before it reaches the shop",
  WAITING_ACCEPTANCE: "Waiting for the shop to accept or refuse its lines (OR21)",
  WAITING_DEBIT: "Accepted; the customer has not been debited yet",
  WAITING_DEBIT_PAYMENT: "Accepted; the customer's payment is being confirmed",
  SHIPPING: "Paid and ready to ship",
  SHIPPED: "Shipped by the shop",
  TO_COLLECT: "Ready for the customer to collect",
  RECEIVED: "Received by the customer",
  CLOSED: "Closed",
  REFUSED: "Refused by the shop or auto-refused after the acceptance deadline",
  CANCELED: "Canceled",
  WAITING_REFUND: "Waiting for a refund (deprecated state)",
  WAITING_REFUND_PAYMENT: "Waiting for a refund payment (deprecated state)",
}

/** What each state means once the order is imported (refunds of the deprecated states count as refunded). */
const KINDS: Record<MiraklOrderState, StatusKind> = {
  STAGING: "open",
  WAITING_ACCEPTANCE: "open",
  WAITING_DEBIT: "open",
  WAITING_DEBIT_PAYMENT: "open",
  SHIPPING: "open",
  SHIPPED: "shipped",
  TO_COLLECT: "shipped",
  RECEIVED: "shipped",
  CLOSED: "shipped",
  REFUSED: "canceled",
  CANCELED: "canceled",
  WAITING_REFUND: "refunded",
  WAITING_REFUND_PAYMENT: "refunded",
}

export function miraklStatuses(): ProviderStatus[] {
  return MIRAKL_ORDER_STATES.map((s) => ({ external_status: s, kind: KINDS[s], description: DESCRIPTIONS[s] }))
}

/** States where the shop has nothing left to ship: imported as history only. */
export const SHIPPED_OR_LATER: ReadonlySet<string> = new Set(["SHIPPED", "TO_COLLECT", "RECEIVED", "CLOSED"])

/** States before the customer has paid; the order is not final yet. */
export const UNPAID_STATES: ReadonlySet<string> = new Set([
  "STAGING",
  "WAITING_ACCEPTANCE",
  "WAITING_DEBIT",
  "WAITING_DEBIT_PAYMENT",
])

/** Line states that take a line out of the order (it will never ship). */
export const DROPPED_LINE_STATES: ReadonlySet<string> = new Set(["REFUSED", "CANCELED"])

export function miraklDefaultStatusRules(): StatusRuleInput[] {
  const rule = (external_status: string, action: StatusRuleInput["action"], retry: boolean): StatusRuleInput => ({
    external_status,
    action,
    retry,
  })
  return [
    // Unpaid and not yet shippable: look again once Mirakl moves them on.
    rule("STAGING", "do_not_import", true),
    rule("WAITING_ACCEPTANCE", "do_not_import", true),
    rule("WAITING_DEBIT", "do_not_import", true),
    rule("WAITING_DEBIT_PAYMENT", "do_not_import", true),
    rule("SHIPPING", "import_as_valid", false),
    rule("SHIPPED", "import_as_history", false),
    rule("TO_COLLECT", "import_as_history", false),
    rule("RECEIVED", "import_as_history", false),
    rule("CLOSED", "import_as_history", false),
    // Final without a sale.
    rule("REFUSED", "do_not_import", false),
    rule("CANCELED", "do_not_import", false),
    rule("WAITING_REFUND", "do_not_import", true),
    rule("WAITING_REFUND_PAYMENT", "do_not_import", true),
  ]
}
