/**
 * `pending` means staged but not decided yet (a run stopped in between); the next run decides it.
 * `importing` means an import of it is in flight, owned by `import_owner` until `import_lease_until`:
 * a process that dies there leaves it so, and the next run undoes what it left and imports again.
 */
export const CHANNEL_ORDER_STATES = ["pending", "importing", "imported", "waiting", "ignored", "failed"] as const
export type ChannelOrderState = (typeof CHANNEL_ORDER_STATES)[number]

export const HOLD_REASONS = [
  "custom_rule",
  "duplicate_order",
  "not_managed_item",
  "insufficient_quantity",
  "disabled_source",
  "unmapped_shipping_policy",
  "status_rule",
  "marketplace_canceled",
  "manual",
  "total_mismatch",
  "address_incomplete",
] as const
export type HoldReason = (typeof HOLD_REASONS)[number]
