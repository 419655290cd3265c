import type { ProviderStatus, StatusRuleInput } from "../../modules/channel/types/provider"

/**
 * The statuses a file order can have. The default layout's `status` column takes them as written;
 * a Shopify export's are derived from its Financial Status, Fulfillment Status and Cancelled at.
 */
export const FILE_STATUSES: ProviderStatus[] = [
  { external_status: "pending", kind: "open", description: "Placed, payment pending" },
  { external_status: "authorized", kind: "open", description: "Payment authorized, not captured" },
  { external_status: "paid", kind: "open", description: "Paid, to be shipped" },
  { external_status: "partially_shipped", kind: "open", description: "Paid, some lines already shipped" },
  { external_status: "shipped", kind: "shipped", description: "Paid and shipped (an order from the store's history)" },
  { external_status: "canceled", kind: "canceled", description: "Canceled or voided" },
  { external_status: "refunded", kind: "refunded", description: "Refunded (or its items restocked)" },
]

export const FILE_DEFAULT_RULES: StatusRuleInput[] = [
  { external_status: "pending", action: "do_not_import", retry: true },
  { external_status: "authorized", action: "import_as_valid", retry: true },
  { external_status: "paid", action: "import_as_valid", retry: true },
  { external_status: "partially_shipped", action: "import_as_valid", retry: true },
  { external_status: "shipped", action: "import_as_history", retry: false },
  { external_status: "canceled", action: "do_not_import", retry: false },
  { external_status: "refunded", action: "do_not_import", retry: false },
]
