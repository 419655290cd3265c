import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../modules/channel"
import type ChannelModuleService from "../../modules/channel/service"
import { parseChannelSettings } from "../../modules/channel/settings"
import { deliverChannelFeedbackWorkflow, verifyChannelFeedbackWorkflow, type DeliverChannelFeedbackResult } from "./deliver-channel-feedback"
import { isImportFulfillment, LEASE_MS } from "./policy"
import { recordShipmentFeedbackWorkflow } from "./record-shipment-feedback"

export type FeedbackPassOptions = {
  /** The time the pass runs at; tests move it forward to pass backoffs and leases. Default: now. */
  now?: Date
  /** Rows looked at per pass. */
  limit?: number
  /** Stop starting new rows after this long, so one pass does not run into the next tick. */
  budget_ms?: number
  lease_ms?: number
  channel_id?: string
}

export type FeedbackPassSummary = {
  due: number
  /** Rows this pass claimed and settled, by resulting state. */
  delivered: Record<string, number>
  verified: Record<string, number>
  /** Due rows another process had (or that stopped being due). */
  not_claimed: number
  /** Provider calls made to send. */
  calls: number
  results: DeliverChannelFeedbackResult[]
}

const count = (m: Record<string, number>, k: string | null) => {
  if (k) m[k] = (m[k] ?? 0) + 1
}

/**
 * One delivery pass: every due row (pending and due, `sending` with an expired lease, `sent` with a
 * read-back due) goes through its workflow, which claims it first, so several passes (instances,
 * overlapping ticks) can run at once and each row is still sent once. Channels run in parallel
 * (one slow marketplace does not hold up the others); a channel's rows run one after the other,
 * oldest first, through the channel's rate limiter.
 */
export async function runChannelFeedbackPass(container: MedusaContainer, opts: FeedbackPassOptions = {}): Promise<FeedbackPassSummary> {
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const passNow = opts.now ?? new Date()
  const started = Date.now()
  const budget = opts.budget_ms ?? 45_000
  const due = await channels.listChannelFeedbacks(
    {
      $or: [
        { state: "pending", next_attempt_at: null },
        { state: ["pending", "sending", "sent"], next_attempt_at: { $lte: passNow } },
      ],
      ...(opts.channel_id ? { channel_id: opts.channel_id } : {}),
    } as any,
    { select: ["id", "channel_id", "state"], take: opts.limit ?? 200, order: { next_attempt_at: "ASC" } }
  )

  const summary: FeedbackPassSummary = { due: due.length, delivered: {}, verified: {}, not_claimed: 0, calls: 0, results: [] }
  const byChannel = new Map<string, typeof due>()
  for (const row of due) byChannel.set(row.channel_id, [...(byChannel.get(row.channel_id) ?? []), row])

  await Promise.all(
    [...byChannel.values()].map(async (rows) => {
      for (const row of rows) {
        if (Date.now() - started > budget) return
        const workflow = row.state === "sent" ? verifyChannelFeedbackWorkflow : deliverChannelFeedbackWorkflow
        try {
          const { result } = await workflow(container).run({
            input: {
              feedback_id: row.id,
              now: (opts.now ?? new Date()).toISOString(),
              lease_ms: opts.lease_ms ?? LEASE_MS,
            },
          })
          summary.results.push(result)
          if (!result.claimed) summary.not_claimed++
          else count(row.state === "sent" ? summary.verified : summary.delivered, result.state)
          if (result.called) summary.calls++
        } catch (e) {
          // The claim stands; the lease brings the row back if the outcome was not written.
          logger.error(`Channel feedback ${row.id}: delivery workflow failed: ${(e as Error).message}`)
        }
      }
    })
  )
  return summary
}

/**
 * The safety net under the `shipment.created` subscriber: shipments of channel orders from the
 * last `window_ms` that have no outbox row (the event was lost: crash between the shipment and the
 * subscriber, a subscriber error) are recorded now. Rows are unique per fulfillment, so a sweep
 * that races the subscriber records nothing twice.
 */
export async function sweepMissedShipmentFeedback(
  container: MedusaContainer,
  opts: { now?: Date; window_ms?: number; grace_ms?: number; limit?: number } = {}
): Promise<{ checked: number; recorded: string[] }> {
  const now = opts.now ?? new Date()
  const until = new Date(now.getTime() - (opts.grace_ms ?? 60_000))
  const since = new Date(now.getTime() - (opts.window_ms ?? 24 * 3600_000))
  const fulfillmentModule = container.resolve(Modules.FULFILLMENT)

  // Every shipment of the window, a page at a time (at 50,000 orders a day the newest 1,000 would
  // cover half an hour).
  const pageSize = opts.limit ?? 1000
  let checked = 0
  const recorded: string[] = []
  for (let skip = 0; ; skip += pageSize) {
    const shipped = await fulfillmentModule.listFulfillments(
      { shipped_at: { $gte: since, $lte: until }, canceled_at: null } as any,
      { select: ["id", "metadata"], take: pageSize, skip, order: { shipped_at: "DESC", id: "ASC" } as any }
    )
    const page = await recordMissedShipments(container, shipped, now)
    checked += page.checked
    recorded.push(...page.recorded)
    if (shipped.length < pageSize) break
  }
  return { checked, recorded }
}

async function recordMissedShipments(container: MedusaContainer, shipped: any[], now: Date): Promise<{ checked: number; recorded: string[] }> {
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const candidates = shipped.filter((f: any) => !isImportFulfillment(f)).map((f: any) => f.id as string)
  if (!candidates.length) return { checked: 0, recorded: [] }

  const existing = await channels.listChannelFeedbacks({ fulfillment_id: candidates, kind: "shipment" }, { select: ["fulfillment_id"] })
  const known = new Set(existing.map((r) => r.fulfillment_id))
  const missing = candidates.filter((id) => !known.has(id))
  if (!missing.length) return { checked: candidates.length, recorded: [] }

  const { data } = await query.graph({ entity: "fulfillment", fields: ["id", "order.id"], filters: { id: missing } })
  const orderOf = new Map<string, string>()
  for (const f of data as any[]) if (f.order?.id) orderOf.set(f.id, f.order.id)
  if (!orderOf.size) return { checked: candidates.length, recorded: [] }

  const channelOrders = await channels.listChannelOrders({ order_id: [...new Set(orderOf.values())] }, { select: ["order_id", "channel_id"] })
  const channelOf = new Map(channelOrders.map((c) => [c.order_id as string, c.channel_id]))
  const channelIds = [...new Set(channelOrders.map((c) => c.channel_id))]
  const settings = new Map(
    (channelIds.length ? await channels.listChannels({ id: channelIds }, { select: ["id", "settings"] }) : []).map((c) => [
      c.id,
      parseChannelSettings(c.settings),
    ])
  )

  const recorded: string[] = []
  for (const [fulfillmentId, orderId] of orderOf) {
    const channelId = channelOf.get(orderId)
    if (!channelId || settings.get(channelId)?.shipped_when !== "shipment_created") continue
    const { result } = await recordShipmentFeedbackWorkflow(container).run({
      input: { trigger: "shipment_created", fulfillment_id: fulfillmentId, now: now.toISOString() },
    })
    recorded.push(...result.recorded)
  }
  return { checked: candidates.length, recorded }
}
