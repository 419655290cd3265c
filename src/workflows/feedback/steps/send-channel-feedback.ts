import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { scrubDeep } from "../../../modules/channel/scrub"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { CHANNEL_MODULE } from "../../../modules/channel"
import { ChannelProviderError } from "../../../modules/channel/errors"
import type ChannelModuleService from "../../../modules/channel/service"
import type { ChannelContext, IChannelProvider } from "../../../modules/channel/types/provider"
import {
  ANSWER_LOST_CODES,
  decideFailure,
  describeItems,
  packagesOf,
  toDate,
  SEND_WAIT_BUDGET_MS,
  VERIFY_DELAYS_MS,
  type FeedbackRow,
  type FulfillmentLike,
} from "../policy"
import { cancellationReference, expectedTracking, readBack, supportsReadBack, verifiable, type ReadBackVerdict } from "../read-back"
import type { ClaimedFeedback } from "./claim-channel-feedback"

/** What one attempt (or one read-back) came to, ready to be written and put on the timeline. */
export type FeedbackOutcome = {
  feedback_id: string
  channel_order_id: string
  order_id: string
  kind: FeedbackRow["kind"]
  claim: ClaimedFeedback["claim"]
  state: "pending" | "sent" | "confirmed" | "failed"
  next_attempt_at: string | null
  error_code: string | null
  error_message: string | null
  response: Record<string, unknown> | null
  /** Whether the marketplace was called to send (a read-back does not count). */
  called: boolean
  event: { message: string; data: Record<string, unknown> }
}

type Loaded = {
  enabled: boolean
  provider_id: string
  provider: IChannelProvider
  ctx: ChannelContext
  external_id: string
  raw: unknown
}

/** What a provider said it could not send (tracking numbers beyond what the marketplace takes). */
function unsentNote(response: unknown): string {
  const r = (response ?? {}) as Record<string, unknown>
  const unsent = [r.unsent_tracking_numbers, r.tracking_numbers_not_sent].find((v) => Array.isArray(v) && v.length) as string[] | undefined
  if (!unsent) return ""
  const why = typeof r.unsent_reason === "string" ? r.unsent_reason : typeof r.not_sent_reason === "string" ? r.not_sent_reason : ""
  return `; not sent: ${unsent.join(", ")}${why ? ` (${why})` : ""}`
}

const what = (row: FeedbackRow) => (row.kind === "cancel" ? "Cancellation" : row.kind === "status" ? "Status change" : "Shipment feedback")

function outcomeOf(
  row: ClaimedFeedback,
  fields: Omit<FeedbackOutcome, "feedback_id" | "channel_order_id" | "order_id" | "kind" | "claim" | "event"> & {
    message: string
    data?: Record<string, unknown>
  }
): FeedbackOutcome {
  const { message, data, ...rest } = fields
  return {
    feedback_id: row.id,
    channel_order_id: row.channel_order_id,
    order_id: row.order_id,
    kind: row.kind,
    claim: row.claim,
    ...rest,
    event: {
      message,
      data: {
        feedback_id: row.id,
        kind: row.kind,
        attempt: row.attempts,
        state: rest.state,
        error_code: rest.error_code,
        called: rest.called,
        ...(row.fulfillment_id ? { fulfillment_id: row.fulfillment_id } : {}),
        ...(data ?? {}),
      },
    },
  }
}

async function load(container: MedusaContainer, row: FeedbackRow): Promise<Loaded> {
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  // Waits for the marketplace's rate limit end well inside the row's lease (a call that starts
  // then has its own timeouts and retries left), so no other instance takes the row over mid-send.
  const { channel, provider, ctx } = await channels.getChannelContext(row.channel_id, { limiter_deadline: Date.now() + SEND_WAIT_BUDGET_MS })
  const co = await channels.retrieveChannelOrder(row.channel_order_id, { select: ["id", "external_id", "raw"] })
  return { enabled: channel.enabled, provider_id: channel.provider, provider, ctx, external_id: co.external_id, raw: co.raw ?? undefined }
}

async function checkMarketplace(loaded: Loaded, row: FeedbackRow): Promise<ReadBackVerdict | "unreadable"> {
  if (!supportsReadBack(loaded.provider, row.kind)) return "unsupported"
  try {
    const order = await loaded.provider.getOrder(loaded.ctx, loaded.external_id)
    return readBack(loaded.provider, order, { ...row, tracking_numbers: expectedTracking(row) })
  } catch {
    return "unreadable"
  }
}

async function carrierKeysOf(container: MedusaContainer, fulfillmentId: string | null): Promise<string> {
  if (!fulfillmentId) return ""
  try {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({ entity: "fulfillment", fields: ["shipping_option_id", "provider_id"], filters: { id: fulfillmentId } })
    const f = data[0] as any
    return f ? ` (shipping option ${f.shipping_option_id ?? "none"}, fulfillment provider ${f.provider_id ?? "none"})` : ""
  } catch {
    return ""
  }
}

/** The fulfillment's labels (tracking number and page), read at send time; empty when unreadable. */
async function labelsOf(container: MedusaContainer, fulfillmentId: string | null): Promise<FulfillmentLike["labels"]> {
  if (!fulfillmentId) return []
  try {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "fulfillment",
      fields: ["labels.tracking_number", "labels.tracking_url"],
      filters: { id: fulfillmentId },
    })
    return ((data[0] as any)?.labels ?? []) as FulfillmentLike["labels"]
  } catch {
    return []
  }
}

/**
 * One delivery attempt of a claimed row: checks that can fail without a call (carrier not mapped,
 * no marketplace lines, no cancel API), a read-back first when the row was taken over from a
 * process that died mid-send, then the provider call (its rate limiter is in the channel context).
 * Never throws: every error becomes an outcome (transient → pending with backoff, refusal → failed).
 */
export async function sendChannelFeedback(container: MedusaContainer, row: ClaimedFeedback, now: Date): Promise<FeedbackOutcome> {
  const seen: { credentials?: unknown } = {}
  const outcome = await sendUnscrubbed(container, row, now, seen)
  // The outcome's texts reach the feedback row, the timeline and the admin: never a credential.
  return scrubDeep(outcome, seen.credentials)
}

async function sendUnscrubbed(container: MedusaContainer, row: ClaimedFeedback, now: Date, seen: { credentials?: unknown }): Promise<FeedbackOutcome> {
  const attempt = row.attempts
  // Taken over from a process that died mid-send, or the previous attempt lost its answer: the
  // marketplace may already have it, so it is read back before sending and after a refusal.
  const recovered = row.previous_state === "sending" || (row.attempts > 1 && !!row.error_code && ANSWER_LOST_CODES.has(row.error_code))
  const fail = (error_code: string, error_message: string, data: Record<string, unknown> = {}) =>
    outcomeOf(row, {
      state: "failed",
      next_attempt_at: null,
      error_code,
      error_message,
      response: row.response ?? null,
      called: false,
      message: `${what(row)} not sent (${error_code}): ${error_message}`,
      data,
    })

  let loaded: Loaded
  try {
    loaded = await load(container, row)
    seen.credentials = loaded.ctx?.credentials
  } catch (e) {
    const d = decideFailure(e, attempt, now)
    return outcomeOf(row, {
      state: d.state,
      next_attempt_at: d.next_attempt_at?.toISOString() ?? null,
      error_code: d.error_code,
      error_message: d.error_message,
      response: row.response ?? null,
      called: false,
      message: `${what(row)} attempt ${attempt} could not start (${d.error_code}): ${d.error_message}`,
    })
  }

  if (!loaded.enabled) {
    // A disabled channel keeps its feedback: it is retried with backoff like an outage.
    const d = decideFailure(
      new ChannelProviderError("channel_disabled", "The channel is disabled; feedback waits until it is enabled again", { retryable: true }),
      attempt,
      now
    )
    return outcomeOf(row, {
      state: d.state,
      next_attempt_at: d.next_attempt_at?.toISOString() ?? null,
      error_code: d.error_code,
      error_message: d.error_message,
      response: row.response ?? null,
      called: false,
      message: `${what(row)} attempt ${attempt} not sent: ${d.error_message}`,
    })
  }
  if (row.kind === "shipment") {
    if (!row.carrier_code) {
      const keys = await carrierKeysOf(container, row.fulfillment_id)
      return fail(
        "unmapped_carrier",
        `No carrier mapping for this fulfillment${keys}: add its shipping option or fulfillment provider to the channel's carrier_mapping, then retry the item`
      )
    }
    if (!row.items?.length) return fail("unmapped_items", "The shipment has no line that came from the marketplace order")
  } else if (row.kind === "status") {
    if (typeof loaded.provider.notifyStatusChange !== "function" || !row.payload?.current) {
      return fail("not_supported", `The ${loaded.provider_id} channel takes no status changes`)
    }
  } else if (typeof loaded.provider.cancelOrder !== "function") {
    return fail(
      "manual_cancel_required",
      `The ${loaded.provider_id} channel cannot cancel orders through its API: cancel order ${loaded.external_id} on the marketplace by hand`
    )
  }

  const found = (note: string): FeedbackOutcome =>
    outcomeOf(row, {
      state: "confirmed",
      next_attempt_at: null,
      error_code: null,
      error_message: null,
      response: { recovered: true, note },
      called: false,
      message: `${what(row)} found on the marketplace after an interrupted attempt: confirmed without sending it again`,
    })

  if (recovered && (await checkMarketplace(loaded, row)) === "confirmed") {
    return found("The marketplace already had it when an interrupted attempt was taken over")
  }

  try {
    const packages = row.kind === "shipment" ? packagesOf(row.tracking_numbers ?? [], await labelsOf(container, row.fulfillment_id)) : []
    const result =
      row.kind === "shipment"
        ? await loaded.provider.confirmShipment(loaded.ctx, {
            external_order_id: loaded.external_id,
            items: row.items.map((i) => ({ external_item_id: i.external_item_id, quantity: Number(i.quantity) })),
            carrier_code: row.carrier_code!,
            carrier_name: row.carrier_name,
            tracking_numbers: row.tracking_numbers ?? [],
            tracking_url: packages[0]?.tracking_url ?? null,
            // Every label is a parcel; the provider sends each one in the form its marketplace takes.
            packages,
            reference: row.fulfillment_id ?? row.id,
            shipped_at: (toDate(row.shipped_at) ?? now).toISOString(),
            raw_order: loaded.raw,
          })
        : row.kind === "status"
          ? await loaded.provider.notifyStatusChange!(loaded.ctx, {
              external_order_id: loaded.external_id,
              order_id: row.order_id,
              // The row is the change: its id is stable across retries.
              change_id: row.id,
              current: row.payload!.current,
              previous: row.payload!.previous ?? null,
              trigger: String(row.payload!.trigger ?? ""),
              changed_at: String(row.payload!.changed_at ?? now.toISOString()),
            })
          : await loaded.provider.cancelOrder!(loaded.ctx, { external_order_id: loaded.external_id, reason: null, raw_order: loaded.raw })
    const state = result.state === "confirmed" ? "confirmed" : "sent"
    const verify = state === "sent" && verifiable(loaded.provider, { kind: row.kind, response: { external_reference: (result as any).external_reference } })
    const detail =
      row.kind === "shipment"
        ? `: ${describeItems(row.items)}; carrier ${row.carrier_code}; tracking ${(row.tracking_numbers ?? []).join(", ") || "none"}` +
          unsentNote((result as any).response)
        : row.kind === "status"
          ? `: ${row.payload?.current?.status ?? "?"} / ${row.payload?.current?.fulfillment_status ?? "?"}${row.payload?.current?.on_hold ? " / on hold" : ""}`
          : ""
    return outcomeOf(row, {
      state,
      next_attempt_at: verify ? new Date(now.getTime() + VERIFY_DELAYS_MS[0]).toISOString() : null,
      error_code: null,
      error_message: null,
      response: {
        state: result.state,
        external_reference: (result as any).external_reference ?? null,
        response: (result as any).response ?? null,
        ...(verify ? { verification: { checks: 0 } } : {}),
      },
      called: true,
      message:
        `${what(row)} ${state === "confirmed" ? "confirmed by" : "sent to"} ${loaded.provider_id} (attempt ${attempt})${detail}` +
        (verify ? "; it will be read back from the marketplace" : ""),
    })
  } catch (e) {
    const d = decideFailure(e, attempt, now)
    if (recovered && !d.retryable && (await checkMarketplace(loaded, row)) === "confirmed") {
      return found(`The marketplace refused a repeat (${d.error_code}) and shows the earlier attempt`)
    }
    return outcomeOf(row, {
      state: d.state,
      next_attempt_at: d.next_attempt_at?.toISOString() ?? null,
      error_code: d.error_code,
      error_message: d.error_message,
      response: { error: d.details },
      called: true,
      message:
        d.state === "pending"
          ? `${what(row)} attempt ${attempt} failed (${d.error_code}): ${d.error_message}; next attempt at ${d.next_attempt_at!.toISOString()}`
          : `${what(row)} failed (${d.error_code}): ${d.error_message}`,
      data: { error: d.details },
    })
  }
}

/**
 * Reads a `sent` row back from the marketplace: `confirmed` when it shows, otherwise the next
 * check is scheduled, and after the last one the row stays `sent` but is flagged `not_confirmed`.
 */
export async function verifyChannelFeedback(container: MedusaContainer, row: ClaimedFeedback, now: Date): Promise<FeedbackOutcome> {
  const seen: { credentials?: unknown } = {}
  const outcome = await verifyUnscrubbed(container, row, now, seen)
  // A provider's error text may reach the row and the timeline: never a credential.
  return scrubDeep(outcome, seen.credentials)
}

/** What reading a sent cancellation's result (readCancellationResult) came to. */
type CancellationCheck =
  | { state: "confirmed" | "sent"; response: unknown }
  | { state: "refused"; error: unknown }
  | { state: "unreadable"; error: { code: string; message: string } }

async function checkCancellation(loaded: Loaded, reference: string): Promise<CancellationCheck> {
  try {
    const r = await loaded.provider.readCancellationResult!(loaded.ctx, reference, { external_order_id: loaded.external_id })
    return { state: r.state === "confirmed" ? "confirmed" : "sent", response: r.response ?? null }
  } catch (e) {
    // Not retryable: the marketplace refused the cancellation. Anything else: read again later,
    // never cancel again because a read failed.
    if (e instanceof ChannelProviderError && !e.retryable) return { state: "refused", error: e }
    const code = e instanceof ChannelProviderError ? e.code : "internal_error"
    return { state: "unreadable", error: { code, message: e instanceof Error ? e.message : String(e) } }
  }
}

async function verifyUnscrubbed(container: MedusaContainer, row: ClaimedFeedback, now: Date, seen: { credentials?: unknown }): Promise<FeedbackOutcome> {
  const checks = Number(row.response?.verification?.checks ?? 0) + 1
  let verdict: ReadBackVerdict | "unreadable"
  let cancellation: CancellationCheck | null = null
  let providerId = "the marketplace"
  try {
    const loaded = await load(container, row)
    seen.credentials = loaded.ctx?.credentials
    providerId = loaded.provider_id
    const reference = cancellationReference(loaded.provider, row)
    if (reference) cancellation = await checkCancellation(loaded, reference)
    if (cancellation?.state === "confirmed") verdict = "confirmed"
    else if (cancellation?.state === "refused") verdict = "missing"
    else if (supportsReadBack(loaded.provider, row.kind)) verdict = await checkMarketplace(loaded, row)
    else verdict = cancellation ? (cancellation.state === "sent" ? "missing" : "unreadable") : "unsupported"
  } catch {
    verdict = "unreadable"
  }
  const verification: Record<string, unknown> = { checks, last_checked_at: now.toISOString(), verdict }
  if (cancellation && cancellation.state !== "refused") {
    verification.cancellation_result =
      cancellation.state === "unreadable" ? { state: "unreadable", error: cancellation.error } : { state: cancellation.state, response: cancellation.response }
  }
  const response: Record<string, unknown> = { ...(row.response ?? {}), verification }
  if (cancellation?.state === "refused") {
    const d = decideFailure(cancellation.error, row.attempts, now)
    return outcomeOf(row, {
      state: "failed",
      next_attempt_at: null,
      error_code: d.error_code,
      error_message: d.error_message,
      response: { ...response, verification: { ...verification, verdict: "refused" }, error: d.details },
      called: false,
      message: `${what(row)} refused by ${providerId} when its result was read back (${d.error_code}): ${d.error_message}`,
      data: { error: d.details },
    })
  }
  if (verdict === "confirmed") {
    return outcomeOf(row, {
      state: "confirmed",
      next_attempt_at: null,
      error_code: null,
      error_message: null,
      response,
      called: false,
      message:
        cancellation?.state === "confirmed"
          ? `${what(row)} processed by ${providerId}, as its result reads: confirmed (check ${checks})`
          : `${what(row)} shows on the marketplace: confirmed (check ${checks})`,
    })
  }
  if (verdict === "unsupported" || checks >= VERIFY_DELAYS_MS.length) {
    const flagged = verdict !== "unsupported"
    return outcomeOf(row, {
      state: "sent",
      next_attempt_at: null,
      error_code: flagged ? "not_confirmed" : null,
      error_message: flagged
        ? `The marketplace accepted the request but does not show it after ${checks} checks; check the order on the marketplace, and retry the item if it is missing`
        : null,
      response,
      called: false,
      message: flagged
        ? `${what(row)} still not visible on the marketplace after ${checks} checks: flagged not_confirmed`
        : `${what(row)} cannot be read back from this marketplace`,
    })
  }
  const next = new Date(now.getTime() + VERIFY_DELAYS_MS[checks])
  return outcomeOf(row, {
    state: "sent",
    next_attempt_at: next.toISOString(),
    error_code: null,
    error_message: null,
    response,
    called: false,
    message: `${what(row)} not yet visible on the marketplace (check ${checks}, ${verdict}); next check at ${next.toISOString()}`,
  })
}

export const sendChannelFeedbackStep = createStep(
  "send-channel-feedback",
  async (input: { claimed: ClaimedFeedback | null; now: string }, { container }) => {
    if (!input.claimed) return new StepResponse(null as FeedbackOutcome | null)
    return new StepResponse((await sendChannelFeedback(container, input.claimed, new Date(input.now))) as FeedbackOutcome | null)
  }
)

export const verifyChannelFeedbackStep = createStep(
  "verify-channel-feedback",
  async (input: { claimed: ClaimedFeedback | null; now: string }, { container }) => {
    if (!input.claimed) return new StepResponse(null as FeedbackOutcome | null)
    return new StepResponse((await verifyChannelFeedback(container, input.claimed, new Date(input.now))) as FeedbackOutcome | null)
  }
)
