import { stuckReason } from "../../../modules/channel/types/states"

const STUCK_MESSAGES = {
  not_decided: "Received from the marketplace but never decided: the run that staged it stopped. The next run decides it.",
  import_interrupted: "Its import was interrupted (the process stopped) and its lease ran out. The next run undoes what was left and imports it again.",
} as const

/** The list shape of a channel order; the raw payload is served only on its own route. */
export function presentChannelOrder(o: Record<string, any>, now: Date = new Date()) {
  const stuck = stuckReason(o as any, now)
  return {
    id: o.id,
    channel_id: o.channel_id,
    external_id: o.external_id,
    external_status: o.external_status,
    action: o.action,
    state: o.state,
    // A row a dead run left behind carries its own reason, like a failure does.
    error_code: o.error_code ?? stuck,
    error_message: o.error_message ?? (stuck ? STUCK_MESSAGES[stuck] : null),
    error_data: o.error_data ?? null,
    stuck_reason: stuck,
    attempts: o.attempts,
    order_id: o.order_id,
    imported_at: o.imported_at,
    reconciliation_status: o.reconciliation_status ?? null,
    reconciliation: o.reconciliation ?? null,
    created_at: o.created_at,
    updated_at: o.updated_at,
  }
}
