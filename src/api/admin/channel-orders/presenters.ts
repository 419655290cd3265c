/** The list shape of a channel order; the raw payload is served only on its own route. */
export function presentChannelOrder(o: Record<string, any>) {
  return {
    id: o.id,
    channel_id: o.channel_id,
    external_id: o.external_id,
    external_status: o.external_status,
    action: o.action,
    state: o.state,
    error_code: o.error_code,
    error_message: o.error_message,
    attempts: o.attempts,
    order_id: o.order_id,
    imported_at: o.imported_at,
    reconciliation_status: o.reconciliation_status ?? null,
    reconciliation: o.reconciliation ?? null,
    created_at: o.created_at,
    updated_at: o.updated_at,
  }
}
