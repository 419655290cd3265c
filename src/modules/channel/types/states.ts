/**
 * `pending` means staged but not decided yet (a run stopped in between); the next run decides it.
 */
export const CHANNEL_ORDER_STATES = ["pending", "imported", "waiting", "ignored", "failed"] as const
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
