import crypto from "node:crypto"
import { extraHostsFor, hostMatches, isProduction, type AllowedHostsOption } from "../channel/hosts"

/**
 * The rules of alert delivery as pure functions: options and their defaults, backoff, the digest
 * text, the webhook bodies (Slack, Teams, generic) and their signature, the default e-mail text.
 */

export const ALERT_DESTINATION_KINDS = ["email", "webhook", "feed"] as const
export type AlertDestinationKind = (typeof ALERT_DESTINATION_KINDS)[number]
export const WEBHOOK_FORMATS = ["slack", "teams", "generic"] as const
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number]
export type AlertSeverity = "info" | "warning" | "error"
export const DELIVERY_STATES = ["pending", "sending", "retrying", "sent", "failed"] as const
export type DeliveryState = (typeof DELIVERY_STATES)[number]

/** The operational checks (evaluated by the `channel-orders-alerts` job). */
export const OPERATIONAL_ALERT_CODES = [
  "run_failures",
  "credentials_refused",
  "import_failures",
  "feedback_unconfirmed",
  "channel_stale",
] as const
export type OperationalAlertCode = (typeof OPERATIONAL_ALERT_CODES)[number]

/** Provider error codes that mean the marketplace refused the channel's credentials. */
export const CREDENTIAL_ERROR_CODES = ["unauthorized", "forbidden", "invalid_credentials", "credentials_undecryptable", "credentials_missing"]

/** The e-mail template the plugin sends alert data to (the store's provider renders it, or uses `data.text`). */
export const DEFAULT_EMAIL_TEMPLATE = "channel-orders-alert"

/** Webhook headers: `X-Channel-Orders-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the secret>`. */
export const SIGNATURE_HEADER = "X-Channel-Orders-Signature"
export const DELIVERY_HEADER = "X-Channel-Orders-Delivery"

export type AlertOptions = {
  /** The same alert (same key) raised again within this window is recorded but not sent. */
  dedupe_window_minutes: number
  /** After a message of a group went out, more alerts of that group wait and go out together at most once per window. */
  digest_window_minutes: number
  /** A new message waits this long for more alerts of its group before it is sent (a burst becomes one digest). */
  gather_seconds: number
  /** Operational alerts go to the admin feed as well (default true). */
  feed: boolean
  /** A channel's last N runs failed. */
  run_failures: number
  /** More than N channel orders of one channel could not be imported in the last hour. */
  import_failures_per_hour: number
  /** Feedback still not confirmed after N hours. */
  feedback_unconfirmed_hours: number
  /** No successful run for longer than this many pull intervals. */
  stale_interval_multiple: number
  /** Attempts before a delivery is `failed`. */
  max_attempts: number
}

export const DEFAULT_ALERT_OPTIONS: AlertOptions = {
  dedupe_window_minutes: 60,
  digest_window_minutes: 10,
  gather_seconds: 30,
  feed: true,
  run_failures: 3,
  import_failures_per_hour: 10,
  feedback_unconfirmed_hours: 4,
  stale_interval_multiple: 3,
  max_attempts: 6,
}

/** The module's `alerts` option over the defaults; non-numbers and negatives are ignored. */
export function resolveAlertOptions(given: Partial<Record<keyof AlertOptions, unknown>> | undefined | null): AlertOptions {
  const out: AlertOptions = { ...DEFAULT_ALERT_OPTIONS }
  for (const key of Object.keys(DEFAULT_ALERT_OPTIONS) as (keyof AlertOptions)[]) {
    const v = given?.[key]
    if (key === "feed") {
      if (typeof v === "boolean") out.feed = v
    } else if (typeof v === "number" && Number.isFinite(v) && v >= 0) {
      ;(out as any)[key] = v
    }
  }
  return out
}

/** Backoff after the n-th failed attempt: 1, 2, 4, 8 … minutes, capped at one hour. */
export function alertBackoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 60 * 60_000)
}

/** How long a claimed delivery stays `sending` before another process may take it over. */
export const ALERT_LEASE_MS = 2 * 60_000

/** Webhook answers worth another try: 408, 425, 429, 5xx; network errors and timeouts too. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || [408, 425, 429].includes(status)
}

export const MAX_DIGEST_LINES = 20

export type DeliveryContent = {
  id: string
  title: string
  message: string
  severity: AlertSeverity
  count: number
  lines: string[]
  first_at: Date | string
  last_at: Date | string
  /** What a digest counts: "orders" for a rule's alerts (one per order), else "alerts". */
  group_key?: string
}

function minutesBetween(a: Date | string, b: Date | string): number {
  return Math.max(1, Math.ceil((new Date(b).getTime() - new Date(a).getTime()) / 60_000))
}

/** What a delivery says: the alert itself, or for a digest "50 × <message> in the last N minutes" and its first lines. */
export function deliveryText(d: DeliveryContent): { subject: string; text: string; lines: string[] } {
  if (d.count <= 1) return { subject: d.title, text: d.message, lines: [] }
  const minutes = minutesBetween(d.first_at, d.last_at)
  const noun = d.group_key?.startsWith("rule:") ? "orders" : "alerts"
  const subject = `${d.title} (${d.count} ${noun})`
  const text = `${d.count} ${noun} in the last ${minutes} minute${minutes === 1 ? "" : "s"}: ${d.title}`
  const lines = d.lines.slice(0, MAX_DIGEST_LINES)
  const more = d.count - lines.length
  return { subject, text, lines: more > 0 ? [...lines, `… and ${more} more`] : lines }
}

/** The plain text of an alert e-mail, for providers that render locally (also sent as `data.text`). */
export const DEFAULT_EMAIL_TEXT_TEMPLATE = `{{subject}}

{{text}}
{{lines}}
Severity: {{severity}}
Sent by medusa-channel-orders (delivery {{delivery_id}}).`

export function renderEmailText(d: DeliveryContent, template = DEFAULT_EMAIL_TEXT_TEMPLATE): string {
  const t = deliveryText(d)
  const values: Record<string, string> = {
    subject: t.subject,
    text: t.text,
    lines: t.lines.length ? "\n" + t.lines.map((l) => `- ${l}`).join("\n") + "\n" : "",
    severity: d.severity,
    delivery_id: d.id,
  }
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => values[k] ?? "")
}

/** The data an e-mail template receives. */
export function emailData(d: DeliveryContent) {
  const t = deliveryText(d)
  return {
    subject: t.subject,
    title: d.title,
    message: d.message,
    text: t.text,
    lines: t.lines,
    severity: d.severity,
    count: d.count,
    delivery_id: d.id,
    first_at: new Date(d.first_at).toISOString(),
    last_at: new Date(d.last_at).toISOString(),
    /** The default template rendered, for providers that send plain text. */
    body: renderEmailText(d),
  }
}

const SEVERITY_EMOJI: Record<AlertSeverity, string> = { info: ":information_source:", warning: ":warning:", error: ":rotating_light:" }
const SEVERITY_COLOR: Record<AlertSeverity, string> = { info: "0078D7", warning: "FFA500", error: "D13438" }

/** The JSON body of a webhook in its format. */
export function webhookBody(format: WebhookFormat, d: DeliveryContent, extra: { alert_ids?: string[] } = {}): Record<string, unknown> {
  const t = deliveryText(d)
  const plain = [t.text === d.title ? t.subject : `${t.subject}: ${t.text}`, ...t.lines.map((l) => `• ${l}`)].join("\n")
  if (format === "slack") {
    const body = [t.text === d.title ? "" : t.text, ...t.lines.map((l) => `• ${l}`)].filter(Boolean).join("\n")
    return {
      text: `${SEVERITY_EMOJI[d.severity]} ${plain}`,
      blocks: [
        { type: "header", text: { type: "plain_text", text: t.subject.slice(0, 150) } },
        ...(body ? [{ type: "section", text: { type: "mrkdwn", text: body.slice(0, 2900) } }] : []),
      ],
    }
  }
  if (format === "teams") {
    return {
      "@type": "MessageCard",
      "@context": "https://schema.org/extensions",
      summary: t.subject.slice(0, 150),
      themeColor: SEVERITY_COLOR[d.severity],
      title: t.subject,
      text: [t.text, ...t.lines.map((l) => `- ${l}`)].join("\n\n"),
    }
  }
  return {
    event: "channel_orders.alert",
    delivery_id: d.id,
    title: d.title,
    subject: t.subject,
    message: d.message,
    text: t.text,
    severity: d.severity,
    count: d.count,
    lines: t.lines,
    alert_ids: extra.alert_ids ?? [],
    first_at: new Date(d.first_at).toISOString(),
    last_at: new Date(d.last_at).toISOString(),
  }
}

export function signAlertBody(secret: string, body: string): string {
  return "sha256=" + crypto.createHmac("sha256", secret).update(body, "utf8").digest("hex")
}

/** Constant-time check a receiver can copy: `verifyAlertSignature(secret, rawBody, req.headers["x-channel-orders-signature"])`. */
export function verifyAlertSignature(secret: string, body: string, signature: string | null | undefined): boolean {
  const expected = Buffer.from(signAlertBody(secret, body))
  const given = Buffer.from(String(signature ?? ""))
  return given.length === expected.length && crypto.timingSafeEqual(given, expected)
}

/**
 * Why a webhook URL is refused, or null: https only; plain http only for hosts the `allowed_hosts`
 * option adds for every provider (`"*"` or `alerts`), outside production (the tests' local server).
 */
export function webhookUrlProblem(value: unknown, allowed: AllowedHostsOption | undefined, production = isProduction()): string | null {
  if (typeof value !== "string" || !value.trim()) return "url is required for a webhook"
  let url: URL
  try {
    url = new URL(value.trim())
  } catch {
    return "url is not a URL"
  }
  if (url.username || url.password) return "url must not carry a user name or password"
  if (url.protocol === "https:") return null
  if (url.protocol !== "http:") return "url must be an https URL"
  const host = url.hostname.replace(/^\[|\]$/g, "")
  const widened = extraHostsFor("alerts", allowed).some((p) => hostMatches(host, p))
  return !production && widened
    ? null
    : "url must use https (plain http is accepted only for hosts added with the allowed_hosts option, outside production)"
}

/** A short text for logs and the admin that never carries the URL's query (Slack and Teams put their token in the path, so show the host only). */
export function redactUrl(url: string | null | undefined): string | null {
  if (!url) return null
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}/…`
  } catch {
    return "…"
  }
}

/** Whether a destination takes an operational alert of this code. */
export function routesOperational(routes: unknown, code: string): boolean {
  return Array.isArray(routes) && (routes.includes("*") || routes.includes(code))
}
