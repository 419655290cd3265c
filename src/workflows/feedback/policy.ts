import { ChannelProviderError } from "../../modules/channel/errors"

/**
 * The rules of the feedback outbox, as pure functions: which items and carrier a shipment sends,
 * when a failed attempt is tried again, when a sent item is read back. The workflows and the job
 * only apply them.
 */

export const FEEDBACK_EVENT_TYPE = "feedback"

/** Attempts in all (the first one included) before a transient failure becomes `failed`. */
export const MAX_ATTEMPTS = 8
/** Backoff after the n-th failed attempt: 1, 2, 4 … minutes, capped at one hour (about 2 h in all). */
export const BACKOFF_BASE_MS = 60_000
export const BACKOFF_MAX_MS = 60 * 60_000
/**
 * How long a claimed row may stay `sending` before another process may take it over: longer than
 * any provider call (rate-limit waits and the providers' own retries included).
 */
export const LEASE_MS = 10 * 60_000
/**
 * How long a send may wait for rate-limit tokens: half the lease, which leaves the call itself
 * (4 attempts of at most 30 s, back-off and a Retry-After of at most 60 s) room before the lease ends.
 */
export const SEND_WAIT_BUDGET_MS = LEASE_MS / 2
/** When a `sent` item is read back from the marketplace: after 2, 10 and 60 more minutes; then it is flagged. */
export const VERIFY_DELAYS_MS = [2 * 60_000, 10 * 60_000, 60 * 60_000]

export type FeedbackKind = "shipment" | "cancel" | "status"
export type FeedbackState = "pending" | "sending" | "sent" | "confirmed" | "failed"

export type FeedbackItem = { external_item_id: string; quantity: number; line_item_ids?: string[] }

/** The outbox row as the workflows pass it around (dates as ISO strings once serialized). */
export type FeedbackRow = {
  id: string
  channel_id: string
  channel_order_id: string
  order_id: string
  fulfillment_id: string | null
  kind: FeedbackKind
  state: FeedbackState
  items: FeedbackItem[]
  carrier_code: string | null
  carrier_name: string | null
  tracking_numbers: string[]
  shipped_at: string | Date | null
  attempts: number
  next_attempt_at: string | Date | null
  error_code: string | null
  error_message: string | null
  response: Record<string, any> | null
  /** kind `status`: `{ previous, current, trigger, changed_at }` (see record-status-change-feedback). */
  payload?: Record<string, any> | null
  dedupe_key?: string | null
}

/** Where the carrier of a fulfillment is looked up: its shipping option first, then its fulfillment provider. */
export type CarrierSource = { shipping_option_id?: string | null; provider_id?: string | null }

/**
 * The marketplace carrier of a fulfillment from the channel's `carrier_mapping`. A mapping value is
 * the marketplace's code, optionally followed by `|` and a carrier name (for "Other"-style codes):
 * `"DHL"`, `"Other|Hermes Germany"`.
 */
export function resolveCarrier(
  mapping: Record<string, string> | undefined,
  source: CarrierSource
): { carrier_code: string; carrier_name: string | null; mapped_from: string } | null {
  for (const key of [source.shipping_option_id, source.provider_id]) {
    if (!key) continue
    const value = mapping?.[key]
    if (typeof value !== "string" || !value.trim()) continue
    const bar = value.indexOf("|")
    const code = (bar < 0 ? value : value.slice(0, bar)).trim()
    const name = bar < 0 ? null : value.slice(bar + 1).trim() || null
    if (code) return { carrier_code: code, carrier_name: name, mapped_from: key }
  }
  return null
}

export type FulfillmentLike = {
  id: string
  shipped_at?: string | Date | null
  canceled_at?: string | Date | null
  provider_id?: string | null
  shipping_option_id?: string | null
  metadata?: Record<string, unknown> | null
  labels?: Array<{ tracking_number?: string | null; tracking_url?: string | null } | null> | null
  items?: Array<{ line_item_id?: string | null; quantity?: unknown } | null> | null
}

export type OrderItemLike = { id: string; metadata?: Record<string, unknown> | null }

/**
 * The fulfillment's items as marketplace lines: each Medusa line mapped to its marketplace line id
 * (`metadata.external_item_id`, written by the import), quantities summed per marketplace line.
 * Lines that did not come from the marketplace are left out and reported.
 */
export function mapFulfillmentItems(
  fulfillment: FulfillmentLike,
  orderItems: OrderItemLike[]
): { items: FeedbackItem[]; unmapped_line_item_ids: string[] } {
  const external = new Map(orderItems.map((i) => [i.id, i.metadata?.external_item_id]))
  // Charge lines (gift wrap, COD fee) are the buyer's costs, not goods the marketplace ships.
  const charges = new Set(orderItems.filter((i) => i.metadata?.channel_charge).map((i) => i.id))
  const byExternal = new Map<string, FeedbackItem>()
  const unmapped: string[] = []
  for (const fi of fulfillment.items ?? []) {
    if (!fi?.line_item_id) continue
    const quantity = Number(fi.quantity ?? 0)
    if (!(quantity > 0) || charges.has(fi.line_item_id)) continue
    const ext = external.get(fi.line_item_id)
    if (typeof ext !== "string" || !ext) {
      unmapped.push(fi.line_item_id)
      continue
    }
    const entry = byExternal.get(ext) ?? { external_item_id: ext, quantity: 0, line_item_ids: [] }
    entry.quantity += quantity
    if (!entry.line_item_ids!.includes(fi.line_item_id)) entry.line_item_ids!.push(fi.line_item_id)
    byExternal.set(ext, entry)
  }
  return { items: [...byExternal.values()], unmapped_line_item_ids: unmapped }
}

export function trackingNumbersOf(fulfillment: FulfillmentLike): string[] {
  const out: string[] = []
  for (const label of fulfillment.labels ?? []) {
    const t = label?.tracking_number?.trim()
    if (t && !out.includes(t)) out.push(t)
  }
  return out
}

/**
 * Fulfillments the plugin made itself from marketplace data (the import's history and completed
 * orders: `metadata.source = "channel_import"`; any other `channel_*` source, e.g. a status sync
 * recording a shipment made on the marketplace; or `marketplace`): the marketplace already knows,
 * so they are never reported back.
 */
export function isImportFulfillment(fulfillment: FulfillmentLike): boolean {
  const source = fulfillment.metadata?.source
  return typeof source === "string" && (source.startsWith("channel_") || source === "marketplace")
}

/** Import actions whose orders are already shipped or canceled on the marketplace. */
export const NO_SHIPMENT_FEEDBACK_ACTIONS = new Set(["import_and_complete", "import_as_history"])
export const NO_CANCEL_FEEDBACK_ACTIONS = new Set(["import_and_cancel", "import_and_complete", "import_as_history"])


/** Delay before attempt `attempts + 1` after `attempts` failed ones, with up to 10 % jitter. */
export function backoffDelayMs(attempts: number, random: () => number = Math.random): number {
  const n = Math.max(1, attempts)
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (n - 1))
  return Math.round(base * (1 + 0.1 * random()))
}

export type FailureDecision = {
  state: "pending" | "failed"
  error_code: string
  error_message: string
  next_attempt_at: Date | null
  retryable: boolean
  details: Record<string, unknown>
}

/**
 * What a failed attempt means: a transient error (5xx, timeout, throttling, network, anything
 * unexpected) goes back to `pending` with backoff until MAX_ATTEMPTS; a refusal is `failed` with
 * the marketplace's own code and message.
 */
export function decideFailure(error: unknown, attempts: number, now: Date, random?: () => number): FailureDecision {
  const isProvider = error instanceof ChannelProviderError
  const code = isProvider ? error.code : "internal_error"
  const retryable = isProvider ? error.retryable : true
  let message = error instanceof Error ? error.message : String(error)
  if (isProvider && error.marketplace_message && !message.includes(error.marketplace_message)) {
    message = `${message}: ${error.marketplace_message}`
  }
  // Structured detail a provider attaches to a refusal (e.g. Mirakl's not_supported: which lines, why, what to do).
  const data = isProvider ? (error as { data?: unknown }).data : undefined
  const details: Record<string, unknown> = {
    code,
    retryable,
    ...(isProvider && error.status !== undefined ? { status: error.status } : {}),
    ...(isProvider && error.marketplace_code ? { marketplace_code: error.marketplace_code } : {}),
    ...(isProvider && error.marketplace_message ? { marketplace_message: error.marketplace_message } : {}),
    ...(data && typeof data === "object" ? { data } : {}),
  }
  if (retryable && attempts < MAX_ATTEMPTS) {
    return {
      state: "pending",
      error_code: code,
      error_message: message,
      next_attempt_at: new Date(now.getTime() + backoffDelayMs(attempts, random)),
      retryable,
      details,
    }
  }
  return {
    state: "failed",
    error_code: code,
    error_message: retryable ? `Gave up after ${attempts} attempts: ${message}` : message,
    next_attempt_at: null,
    retryable,
    details,
  }
}

/**
 * Error codes of an attempt whose answer never arrived: the marketplace may have applied it. The
 * next attempt reads the marketplace back first rather than sending blindly.
 */
export const ANSWER_LOST_CODES = new Set(["timeout", "network_error", "malformed_response"])

/**
 * The parcels of a shipment row: one per tracking number, with the tracking page of the label it
 * came from when known (labels carry `tracking_url`; the row keeps only the numbers).
 */
export function packagesOf(
  trackingNumbers: string[],
  labels: FulfillmentLike["labels"]
): Array<{ tracking_number: string; tracking_url: string | null }> {
  const urls = new Map<string, string>()
  for (const l of labels ?? []) {
    const t = l?.tracking_number?.trim()
    const u = l?.tracking_url?.trim()
    if (t && u && !urls.has(t)) urls.set(t, u)
  }
  return trackingNumbers
    .map((t) => String(t ?? "").trim())
    .filter(Boolean)
    .map((t) => ({ tracking_number: t, tracking_url: urls.get(t) ?? null }))
}

export function toDate(value: string | Date | null | undefined): Date | null {
  if (value === null || value === undefined) return null
  const d = value instanceof Date ? value : new Date(value)
  return Number.isNaN(d.getTime()) ? null : d
}

export function describeItems(items: FeedbackItem[]): string {
  return items.map((i) => `${i.external_item_id} × ${i.quantity}`).join(", ")
}
