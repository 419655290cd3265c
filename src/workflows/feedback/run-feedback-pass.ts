import type { MedusaContainer } from "@medusajs/framework/types"
import { scrubSecrets } from "../../modules/channel/scrub"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../modules/channel"
import type ChannelModuleService from "../../modules/channel/service"
import { parseChannelSettings } from "../../modules/channel/settings"
import { deliverChannelFeedbackWorkflow, verifyChannelFeedbackWorkflow, type DeliverChannelFeedbackResult } from "./deliver-channel-feedback"
import { isImportFulfillment, LEASE_MS, NO_CANCEL_FEEDBACK_ACTIONS } from "./policy"
import { recordShipmentFeedbackWorkflow } from "./record-shipment-feedback"
import { recordCancelFeedbackWorkflow } from "./record-cancel-feedback"
import { recordStatusChangeFeedbackWorkflow } from "./record-status-change-feedback"

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
          logger.error(`Channel feedback ${row.id}: delivery workflow failed: ${scrubSecrets((e as Error).message)}`)
        }
      }
    })
  )
  return summary
}

/** The sweep's name in channel_sweep, the overlap it re-reads, and how far back its first run looks. */
export const FEEDBACK_SWEEP = "feedback"
export const FEEDBACK_SWEEP_OVERLAP_MS = 5 * 60_000
export const FEEDBACK_SWEEP_FIRST_WINDOW_MS = 24 * 3600_000

export type FeedbackSweepResult = {
  since: string
  until: string
  /** Shipped fulfillments and completed or canceled orders read. */
  checked: number
  /** Outbox rows recorded because their event was lost. */
  recorded: string[]
}

/**
 * The safety net under the feedback subscribers (`shipment.created`, `order.completed`,
 * `order.canceled`): everything that changed since the last sweep (its watermark, less an overlap)
 * and has no outbox row is recorded now. The event may have been lost to a crash between the write
 * and the subscriber, or a subscriber error. Rows are unique per fulfillment and per canceled
 * order, so a sweep that races the subscriber, or another instance's sweep, records nothing twice.
 * Reading from a watermark keeps the sweep small at any volume, where a fixed window would re-read a
 * day of shipments every minute. `since` replaces the watermark (a re-sweep from a point in time).
 */
export async function sweepMissedFeedback(
  container: MedusaContainer,
  opts: { now?: Date; since?: Date; grace_ms?: number; page_size?: number } = {}
): Promise<FeedbackSweepResult> {
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const now = opts.now ?? (await channels.databaseNow())
  // Writes of the last minute may still have their subscriber running: leave them to it.
  const until = new Date(now.getTime() - (opts.grace_ms ?? 60_000))
  const mark = opts.since ? null : await channels.sweepWatermark(FEEDBACK_SWEEP)
  const since =
    opts.since ?? (mark ? new Date(Math.min(mark.getTime(), until.getTime()) - FEEDBACK_SWEEP_OVERLAP_MS) : new Date(until.getTime() - FEEDBACK_SWEEP_FIRST_WINDOW_MS))
  const pageSize = opts.page_size ?? 500
  const window = { $gt: since, $lte: until }
  let checked = 0
  const recorded: string[] = []

  const fulfillmentModule = container.resolve(Modules.FULFILLMENT)
  for (let skip = 0; ; skip += pageSize) {
    const shipped = await fulfillmentModule.listFulfillments(
      { updated_at: window, shipped_at: { $ne: null }, canceled_at: null } as any,
      { select: ["id", "metadata"], take: pageSize, skip, order: { updated_at: "ASC", id: "ASC" } as any }
    )
    const page = await recordMissedShipments(container, shipped, now)
    checked += shipped.length
    recorded.push(...page.recorded)
    if (shipped.length < pageSize) break
  }

  const orderModule = container.resolve(Modules.ORDER)
  for (let skip = 0; ; skip += pageSize) {
    const ended = await orderModule.listOrders(
      { status: ["completed", "canceled"], updated_at: window } as any,
      { select: ["id", "status"], take: pageSize, skip, order: { updated_at: "ASC", id: "ASC" } as any }
    )
    checked += ended.length
    recorded.push(...(await recordMissedOrderFeedback(container, ended as any[], now)))
    if (ended.length < pageSize) break
  }

  const statuses = await recordMissedStatusChanges(container, window, pageSize, now)
  checked += statuses.checked
  recorded.push(...statuses.recorded)

  if (!opts.since) await channels.advanceSweepWatermark(FEEDBACK_SWEEP, until)
  return { since: since.toISOString(), until: until.toISOString(), checked, recorded }
}

/**
 * Status changes (issue 18) whose event was lost. Only channels that take them (a provider with
 * `notifyStatusChange`, and the channel opted in) are concerned; with none, this is one query. The
 * orders of those channels whose order, fulfillments or holds changed in the window are read again:
 * the record workflow compares the status with the last status row and records only a real change,
 * so an order whose change was already recorded costs one read and records nothing.
 */
async function recordMissedStatusChanges(
  container: MedusaContainer,
  window: { $gt: Date; $lte: Date },
  pageSize: number,
  now: Date
): Promise<{ checked: number; recorded: string[] }> {
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const taking = (await channels.listChannels({}, { select: ["id", "provider", "settings"] })).filter((c) => {
    try {
      const provider = channels.getProvider(c.provider)
      if (typeof provider?.notifyStatusChange !== "function") return false
      return !provider.wantsStatusChanges || provider.wantsStatusChanges((c.settings ?? {}) as Record<string, any>)
    } catch {
      return false
    }
  })
  if (!taking.length) return { checked: 0, recorded: [] }

  const changed = new Set<string>()
  const orderModule = container.resolve(Modules.ORDER)
  for (let skip = 0; ; skip += pageSize) {
    const page = await orderModule.listOrders({ updated_at: window } as any, { select: ["id"], take: pageSize, skip, order: { updated_at: "ASC", id: "ASC" } as any })
    for (const o of page) changed.add(o.id)
    if (page.length < pageSize) break
  }
  // Fulfilled, shipped, delivered or canceled: the order's fulfilment status moved with it.
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  for (let skip = 0; ; skip += pageSize) {
    const page = await container.resolve(Modules.FULFILLMENT).listFulfillments({ updated_at: window } as any, { select: ["id"], take: pageSize, skip, order: { updated_at: "ASC", id: "ASC" } as any })
    if (page.length) {
      const { data } = await query.graph({ entity: "fulfillment", fields: ["id", "order.id"], filters: { id: page.map((f) => f.id) } })
      for (const f of data as any[]) if (f.order?.id) changed.add(f.order.id)
    }
    if (page.length < pageSize) break
  }
  // Placed or released.
  for (const h of await channels.listOrderHolds({ updated_at: window } as any, { select: ["order_id"] })) changed.add(h.order_id)

  const ids = [...changed]
  const channelIds = taking.map((c) => c.id)
  const recorded: string[] = []
  for (let i = 0; i < ids.length; i += pageSize) {
    const linked = await channels.listChannelOrders({ order_id: ids.slice(i, i + pageSize), channel_id: channelIds }, { select: ["order_id"] })
    for (const c of linked) {
      const { result } = await recordStatusChangeFeedbackWorkflow(container).run({ input: { order_id: c.order_id!, trigger: "sweep", now: now.toISOString() } })
      recorded.push(...result.recorded)
    }
  }
  return { checked: ids.length, recorded }
}

/**
 * Completed orders of `order_completed` channels with a shipped fulfillment and no row, and canceled
 * channel orders with no cancel row, recorded as their subscriber would have.
 */
async function recordMissedOrderFeedback(container: MedusaContainer, orders: Array<{ id: string; status: string }>, now: Date): Promise<string[]> {
  if (!orders.length) return []
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  // Orders the import itself created canceled send nothing: no need to ask again every sweep.
  const linked = (await channels.listChannelOrders({ order_id: orders.map((o) => o.id) }, { select: ["order_id", "channel_id", "action"] })).filter(
    (c) => !(c.action && NO_CANCEL_FEEDBACK_ACTIONS.has(c.action as any))
  )
  if (!linked.length) return []
  const channelOf = new Map(linked.map((c) => [c.order_id as string, c.channel_id]))
  const channelIds = [...new Set(linked.map((c) => c.channel_id))]
  const settings = new Map((await channels.listChannels({ id: channelIds }, { select: ["id", "settings"] })).map((c) => [c.id, parseChannelSettings(c.settings)]))
  const recorded: string[] = []

  const canceled = orders.filter((o) => o.status === "canceled" && channelOf.has(o.id)).map((o) => o.id)
  if (canceled.length) {
    const known = new Set((await channels.listChannelFeedbacks({ order_id: canceled, kind: "cancel" }, { select: ["order_id"] })).map((r) => r.order_id))
    for (const orderId of canceled.filter((id) => !known.has(id))) {
      const { result } = await recordCancelFeedbackWorkflow(container).run({ input: { order_id: orderId, now: now.toISOString() } })
      recorded.push(...result.recorded)
    }
  }

  const completed = orders
    .filter((o) => o.status === "completed" && channelOf.has(o.id))
    .filter((o) => settings.get(channelOf.get(o.id)!)?.shipped_when === "order_completed")
    .map((o) => o.id)
  if (completed.length) {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({ entity: "order", fields: ["id", "fulfillments.id", "fulfillments.shipped_at", "fulfillments.canceled_at", "fulfillments.metadata"], filters: { id: completed } })
    const shippedOf = new Map<string, string[]>()
    for (const o of data as any[]) {
      shippedOf.set(o.id, (o.fulfillments ?? []).filter((f: any) => f.shipped_at && !f.canceled_at && !isImportFulfillment(f)).map((f: any) => f.id))
    }
    const all = [...shippedOf.values()].flat()
    const known = new Set(all.length ? (await channels.listChannelFeedbacks({ fulfillment_id: all, kind: "shipment" }, { select: ["fulfillment_id"] })).map((r) => r.fulfillment_id) : [])
    for (const [orderId, fulfillments] of shippedOf) {
      if (!fulfillments.some((f) => !known.has(f))) continue
      const { result } = await recordShipmentFeedbackWorkflow(container).run({ input: { trigger: "order_completed", order_id: orderId, now: now.toISOString() } })
      recorded.push(...result.recorded)
    }
  }
  return recorded
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
