import type { RaiseAlertInput } from "../../modules/channel-alert/service"
import { routesOperational, type AlertSeverity, type OperationalAlertCode } from "../../modules/channel-alert/policy"

/** A destination as routing needs it. */
export type RoutableDestination = {
  id: string
  kind: "email" | "webhook" | "feed"
  enabled: boolean
  recipients?: unknown
  operational_alerts?: unknown
}

/** An import rule's alert as the import emits it (`channel_order.alert`). */
export type RuleAlertEvent = {
  rule_id: string
  rule_name: string
  message: string
  severity: AlertSeverity
  destination_ids?: string[]
  recipients?: string[]
  order_id?: string
  external_id?: string
  channel_order_id?: string
  channel_name?: string
  channel_id?: string
}

const SEVERITY_LABEL: Record<AlertSeverity, string> = { info: "Info", warning: "Warning", error: "Error" }
const emails = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && x.includes("@")) : [])

/**
 * Where a rule's alert goes besides the admin feed (the import writes that one itself): each named,
 * enabled destination (an e-mail destination gets the rule's recipients as well), and the rule's
 * recipients through the default e-mail template when it names no e-mail destination.
 */
export function ruleAlertRoutes(alert: RuleAlertEvent, destinations: RoutableDestination[]): RaiseAlertInput["routes"] {
  const byId = new Map(destinations.map((d) => [d.id, d]))
  const extra = emails(alert.recipients)
  const routes: RaiseAlertInput["routes"] = []
  let emailed = false
  for (const id of alert.destination_ids ?? []) {
    const d = byId.get(id)
    if (!d || !d.enabled) continue
    if (d.kind === "email") {
      emailed = true
      routes.push({ destination_id: d.id, kind: "email", recipients: [...new Set([...emails(d.recipients), ...extra])] })
    } else {
      routes.push({ destination_id: d.id, kind: d.kind })
    }
  }
  if (extra.length && !emailed) routes.push({ destination_id: null, kind: "email", recipients: extra })
  return routes
}

/** A rule's alert as the outbox records it: deduped per rule, order and message; one digest group per rule. */
export function ruleAlertInput(alert: RuleAlertEvent, destinations: RoutableDestination[]): RaiseAlertInput {
  const where = [alert.external_id ? `order ${alert.external_id}` : null, alert.channel_name ? `from ${alert.channel_name}` : null].filter(Boolean).join(" ")
  return {
    source: "rule",
    code: "rule_alert",
    key: `rule:${alert.rule_id}:${alert.channel_order_id ?? alert.order_id ?? ""}:${alert.message}`,
    group_key: `rule:${alert.rule_id}`,
    severity: alert.severity ?? "warning",
    title: `${SEVERITY_LABEL[alert.severity ?? "warning"]}: ${alert.rule_name}`,
    message: where ? `${alert.message} (${where})` : alert.message,
    channel_id: alert.channel_id ?? null,
    rule_id: alert.rule_id,
    order_id: alert.order_id ?? null,
    data: { external_id: alert.external_id ?? null, channel_order_id: alert.channel_order_id ?? null, channel_name: alert.channel_name ?? null },
    routes: ruleAlertRoutes(alert, destinations),
  }
}

/** Where an operational alert goes: the admin feed (unless the `feed` option is off) and every destination routing its code. */
export function operationalRoutes(code: OperationalAlertCode, destinations: RoutableDestination[], feed: boolean): RaiseAlertInput["routes"] {
  const routes: RaiseAlertInput["routes"] = feed ? [{ destination_id: null, kind: "feed" }] : []
  for (const d of destinations) {
    if (!d.enabled || !routesOperational(d.operational_alerts, code)) continue
    routes.push({ destination_id: d.id, kind: d.kind, recipients: d.kind === "email" ? emails(d.recipients) : undefined })
  }
  return routes
}
