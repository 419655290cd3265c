import type { ProviderStatus, StatusRuleInput } from "../../modules/channel/types/provider"

/** `FulfillmentStatus` of the Orders API 2026-01-01, in lifecycle order (descriptions from the model). */
export const AMAZON_STATUSES: ProviderStatus[] = [
  {
    external_status: "PENDING_AVAILABILITY",
    kind: "open",
    description: "Pre-order placed; payment not authorized and the release date is in the future.",
  },
  { external_status: "PENDING", kind: "open", description: "Order placed but not ready for shipment (payment not yet authorized)." },
  { external_status: "UNSHIPPED", kind: "open", description: "Ready for shipment; no item has shipped yet." },
  { external_status: "PARTIALLY_SHIPPED", kind: "open", description: "At least one, but not all, items have shipped." },
  { external_status: "SHIPPED", kind: "shipped", description: "All items have shipped." },
  { external_status: "CANCELLED", kind: "canceled", description: "Canceled; will not be fulfilled." },
  {
    external_status: "UNFULFILLABLE",
    kind: "unfulfillable",
    description: "Cannot be fulfilled (Amazon-fulfilled orders not placed on Amazon's retail site).",
  },
]

export const PENDING_STATUSES = new Set(["PENDING", "PENDING_AVAILABILITY"])

/**
 * Defaults for a merchant-fulfilled seller: ship what is paid for, keep what shipped elsewhere
 * (e.g. by Amazon) as history, wait on pending payments, drop cancellations for good.
 */
export function amazonDefaultStatusRules(): StatusRuleInput[] {
  const rules: Record<string, Omit<StatusRuleInput, "external_status">> = {
    UNSHIPPED: { action: "import_as_valid", retry: false },
    PARTIALLY_SHIPPED: { action: "import_as_valid", retry: false },
    SHIPPED: { action: "import_as_history", retry: false },
    CANCELLED: { action: "do_not_import", retry: false },
  }
  return AMAZON_STATUSES.map(({ external_status }) => ({
    external_status,
    ...(rules[external_status] ?? { action: "do_not_import", retry: true }),
  }))
}
