import { redactUrl } from "../../../modules/channel-alert/policy"

/** A destination as the admin sees it: the webhook URL as its host only, the secret as a flag; neither is ever returned. */
export function presentAlertDestination(d: Record<string, any>, urlHint?: string | null) {
  return {
    id: d.id,
    name: d.name,
    kind: d.kind,
    enabled: d.enabled,
    recipients: d.recipients ?? [],
    template: d.template ?? null,
    format: d.format ?? null,
    url_hint: d.kind === "webhook" ? urlHint ?? null : null,
    has_secret: Boolean(d.secret_encrypted),
    operational_alerts: d.operational_alerts ?? [],
    created_at: d.created_at,
    updated_at: d.updated_at,
  }
}

export function presentAlertDelivery(d: Record<string, any>) {
  return {
    id: d.id,
    destination_id: d.destination_id,
    kind: d.kind,
    group_key: d.group_key,
    recipients: d.recipients ?? [],
    title: d.title,
    message: d.message,
    severity: d.severity,
    count: d.count,
    lines: d.lines ?? [],
    alert_ids: d.alert_ids ?? [],
    digest: Number(d.count) > 1,
    state: d.state,
    attempts: d.attempts,
    next_attempt_at: d.next_attempt_at,
    sent_at: d.sent_at,
    last_error: d.last_error,
    last_status: d.last_status,
    first_at: d.first_at,
    last_at: d.last_at,
    created_at: d.created_at,
  }
}

export { redactUrl }
