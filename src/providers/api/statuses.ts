import type { ProviderStatus, StatusRuleInput } from "../../modules/channel/types/provider"

/**
 * The statuses a reseller's system sends with its orders. They are the channel's own vocabulary (the
 * admin can add rules for any other status the reseller uses; an undeclared status counts as `open`).
 */
export const API_STATUSES: ProviderStatus[] = [
  { external_status: "pending", kind: "open", description: "Placed, not confirmed yet (credit check, approval)" },
  { external_status: "confirmed", kind: "open", description: "Confirmed by the reseller, to be shipped" },
  { external_status: "paid", kind: "open", description: "Paid, to be shipped" },
  { external_status: "on_hold", kind: "open", description: "Held by the reseller" },
  { external_status: "shipped", kind: "shipped", description: "Shipped by the reseller itself" },
  { external_status: "canceled", kind: "canceled", description: "Canceled by the reseller" },
]

export const API_DEFAULT_RULES: StatusRuleInput[] = [
  { external_status: "pending", action: "do_not_import", retry: true },
  { external_status: "confirmed", action: "import_as_valid", retry: true },
  { external_status: "paid", action: "import_as_valid", retry: true },
  { external_status: "on_hold", action: "do_not_import", retry: true },
  { external_status: "shipped", action: "import_as_history", retry: false },
  { external_status: "canceled", action: "do_not_import", retry: false },
]
