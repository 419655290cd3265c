import type { ProviderStatus, StatusRuleInput } from "../../modules/channel/types/provider"

/** The sandbox speaks a small, marketplace-like status vocabulary. */
export const SANDBOX_STATUSES: ProviderStatus[] = [
  { external_status: "pending", kind: "open", description: "Placed, payment not confirmed yet" },
  { external_status: "paid", kind: "open", description: "Paid, waiting to be shipped" },
  { external_status: "shipped", kind: "shipped", description: "Shipped by the seller or the marketplace" },
  { external_status: "canceled", kind: "canceled", description: "Canceled by the buyer or the marketplace" },
  { external_status: "on_hold", kind: "open", description: "Held by the marketplace for review" },
]

export const SANDBOX_DEFAULT_RULES: StatusRuleInput[] = [
  { external_status: "pending", action: "do_not_import", retry: true },
  { external_status: "paid", action: "import_as_valid", retry: true },
  { external_status: "shipped", action: "import_as_history", retry: false },
  { external_status: "canceled", action: "do_not_import", retry: false },
  { external_status: "on_hold", action: "do_not_import", retry: true },
]
