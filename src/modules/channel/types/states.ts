/**
 * `pending` means staged but not decided yet (a run stopped in between); the next run decides it.
 * `importing` means an import of it is in flight, owned by `import_owner` until `import_lease_until`:
 * a process that dies there leaves it so, and the next run undoes what it left and imports again.
 */
export const CHANNEL_ORDER_STATES = ["pending", "importing", "imported", "waiting", "ignored", "failed"] as const
export type ChannelOrderState = (typeof CHANNEL_ORDER_STATES)[number]

/** How long a staged row may stay undecided before it counts as stuck (a run died between staging and deciding). */
export const STUCK_PENDING_MINUTES = 15

/**
 * Why a non-final channel order needs attention, or null while it is still in its grace period:
 * `not_decided` (staged more than STUCK_PENDING_MINUTES ago and never decided) or
 * `import_interrupted` (an import claimed it and its lease ran out: the process died). The next run
 * recovers both; until then they show on the problems list and in the banner.
 */
export type StuckReason = "not_decided" | "import_interrupted"
export function stuckReason(
  row: { state: string; updated_at?: Date | string | null; import_lease_until?: Date | string | null },
  now: Date
): StuckReason | null {
  const t = (v: Date | string | null | undefined) => (v ? new Date(v).getTime() : null)
  if (row.state === "pending") {
    const since = t(row.updated_at)
    return since !== null && now.getTime() - since > STUCK_PENDING_MINUTES * 60_000 ? "not_decided" : null
  }
  if (row.state === "importing") {
    const lease = t(row.import_lease_until)
    return lease === null || lease < now.getTime() ? "import_interrupted" : null
  }
  return null
}

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
