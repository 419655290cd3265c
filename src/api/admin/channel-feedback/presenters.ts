const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v ?? null)

/** A feedback outbox row as the admin API shows it. */
export function presentChannelFeedback(row: Record<string, any>) {
  return {
    id: row.id,
    channel_id: row.channel_id,
    channel_order_id: row.channel_order_id,
    order_id: row.order_id,
    fulfillment_id: row.fulfillment_id ?? null,
    kind: row.kind,
    state: row.state,
    items: row.items ?? [],
    carrier_code: row.carrier_code ?? null,
    carrier_name: row.carrier_name ?? null,
    tracking_numbers: row.tracking_numbers ?? [],
    shipped_at: iso(row.shipped_at),
    attempts: row.attempts,
    next_attempt_at: iso(row.next_attempt_at),
    error_code: row.error_code ?? null,
    error_message: row.error_message ?? null,
    response: row.response ?? null,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  }
}
