import crypto from "node:crypto"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, generateEntityId } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { getOrderDetailWorkflow } from "@medusajs/medusa/core-flows"
import { CHANNEL_MODULE } from "../../modules/channel"
import type ChannelModuleService from "../../modules/channel/service"
import type { IChannelProvider, OrderStatusSnapshot } from "../../modules/channel/types/provider"
import { recordChannelOrderEventsStep } from "../import-orders/steps/record-channel-order-events"
import { FEEDBACK_EVENT_TYPE } from "./policy"

/**
 * Status-change feedback (issue 18): when an imported order's Medusa status, fulfilment status or
 * hold changes, a channel whose provider implements `notifyStatusChange` (the `api` provider's
 * webhook) gets one outbox row of kind `status` per change, delivered and retried like shipments.
 *
 * Each row keeps the change in `payload` ({ previous, current, trigger, changed_at }) and a unique
 * `dedupe_key`: sha256 of (order, the previous status row, the new snapshot). Several events that
 * report the same change (e.g. `order.fulfillment_created` and `shipment.created` racing) record it
 * once; a snapshot equal to the last one recorded is no change and records nothing.
 */

export const STATUS_CHANGE_EVENTS = [
  "channel_order.imported",
  "order.placed",
  "order.updated",
  "order.completed",
  "order.canceled",
  "order.archived",
  "order.fulfillment_created",
  "order.fulfillment_canceled",
  "shipment.created",
  "delivery.created",
  "order_hold.placed",
  "order_hold.released",
] as const

/** Events the plugin emits when a person places or releases a hold (`{ order_id, hold_id }`). */
export const ORDER_HOLD_PLACED_EVENT = "order_hold.placed"
export const ORDER_HOLD_RELEASED_EVENT = "order_hold.released"

export type StatusChangeInput = {
  /** Any of them: the order, or a fulfillment of it (shipment.created / delivery.created carry only the fulfillment). */
  order_id?: string | null
  fulfillment_id?: string | null
  trigger: string
  now?: string
}

type Context = {
  skip: string | null
  order_id: string | null
  channel_order_id: string | null
  channel_id: string | null
  external_id: string | null
  snapshot: OrderStatusSnapshot | null
}

/** The order id an event names: `order_id`, or `id` for order events, or the fulfillment's order. */
export async function orderIdOfEvent(container: MedusaContainer, event: string, data: Record<string, any>): Promise<{ order_id?: string; fulfillment_id?: string }> {
  if (!data || typeof data !== "object") return {}
  if (typeof data.order_id === "string") return { order_id: data.order_id }
  if ((event === "shipment.created" || event === "delivery.created") && typeof data.id === "string") return { fulfillment_id: data.id }
  if (event.startsWith("order.") && typeof data.id === "string") return { order_id: data.id }
  return {}
}

/** The Medusa order's status as a reseller sees it (same figures as `GET /channel-api/orders/:id`). */
export async function orderStatusSnapshot(container: MedusaContainer, orderId: string): Promise<OrderStatusSnapshot | null> {
  let order: any
  try {
    const { result } = await getOrderDetailWorkflow(container).run({
      input: { order_id: orderId, fields: ["id", "status", "items.id"] },
    })
    order = result
  } catch {
    return null
  }
  if (!order) return null
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const open = await channels.listOrderHolds({ order_id: orderId, released_at: null } as any, { select: ["id"], take: 1 })
  return { status: order.status ?? null, fulfillment_status: order.fulfillment_status ?? null, on_hold: open.length > 0 }
}

const sameSnapshot = (a: OrderStatusSnapshot | null | undefined, b: OrderStatusSnapshot | null | undefined) =>
  !!a && !!b && a.status === b.status && a.fulfillment_status === b.fulfillment_status && !!a.on_hold === !!b.on_hold

export const loadStatusChangeContextStep = createStep(
  "load-status-change-context",
  async (input: StatusChangeInput, { container }) => {
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const none = (skip: string, order_id: string | null = null): Context => ({
      skip,
      order_id,
      channel_order_id: null,
      channel_id: null,
      external_id: null,
      snapshot: null,
    })
    let orderId = input.order_id ?? null
    if (!orderId && input.fulfillment_id) {
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({ entity: "fulfillment", fields: ["id", "order.id"], filters: { id: input.fulfillment_id } })
      orderId = (data[0] as any)?.order?.id ?? null
    }
    if (!orderId) return new StepResponse(none("no_order"))
    const [co] = await channels.listChannelOrders({ order_id: orderId }, { select: ["id", "channel_id", "external_id"], take: 1 })
    if (!co) return new StepResponse(none("not_a_channel_order", orderId))
    const [channel] = await channels.listChannels({ id: co.channel_id }, { select: ["id", "provider", "settings"], take: 1 })
    if (!channel) return new StepResponse(none("channel_not_found", orderId))
    let provider: IChannelProvider | null = null
    try {
      provider = channels.getProvider(channel.provider)
    } catch {
      provider = null
    }
    if (typeof provider?.notifyStatusChange !== "function") return new StepResponse(none("provider_takes_no_status_changes", orderId))
    if (provider.wantsStatusChanges && !provider.wantsStatusChanges((channel.settings ?? {}) as Record<string, any>)) {
      return new StepResponse(none("channel_takes_no_status_changes", orderId))
    }
    // The status itself is read in the record step, under the order's lock, so that of two events
    // handled at once the later one always reads (and reports) the newer status.
    return new StepResponse<Context>({ skip: null, order_id: orderId, channel_order_id: co.id, channel_id: co.channel_id, external_id: co.external_id, snapshot: null })
  }
)

/**
 * Records the change, once: under a per-order advisory lock it reads the order's status and its
 * last status row, records nothing when the status is the same, and otherwise inserts a row whose `dedupe_key` (unique)
 * names the previous row and the new status, so a concurrent or redelivered event records nothing more.
 */
export const recordStatusChangeFeedbackStep = createStep(
  "record-status-change-feedback",
  async (input: { context: Context; trigger: string; now: string }, { container }) => {
    const { context } = input
    if (context.skip || !context.order_id) return new StepResponse([] as any[], [] as string[])
    const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
    const inserted: any[] = await knex.transaction(async (trx: any) => {
      await trx.raw(`select pg_advisory_xact_lock(hashtext(?))`, [`channel_feedback:status:${context.order_id}`])
      const snapshot = await orderStatusSnapshot(container as MedusaContainer, context.order_id!)
      if (!snapshot) return []
      const last = await trx("channel_feedback")
        .first("id", "payload")
        .where({ order_id: context.order_id, kind: "status" })
        .whereNull("deleted_at")
        .orderBy([{ column: "created_at", order: "desc" }, { column: "id", order: "desc" }])
      const previous: OrderStatusSnapshot | null = last?.payload?.current ?? null
      if (sameSnapshot(previous, snapshot)) return []
      const dedupeKey = crypto
        .createHash("sha256")
        .update(JSON.stringify([context.order_id, last?.id ?? null, snapshot.status, snapshot.fulfillment_status, !!snapshot.on_hold]))
        .digest("hex")
      const id = generateEntityId(undefined, "chfb")
      const now = new Date(input.now)
      const payload = { current: snapshot, previous, trigger: input.trigger, changed_at: now.toISOString() }
      const res = await trx.raw(
        `insert into channel_feedback (id, channel_id, channel_order_id, order_id, fulfillment_id, kind, state, items, tracking_numbers,
           attempts, next_attempt_at, payload, dedupe_key, created_at, updated_at)
         values (?, ?, ?, ?, null, 'status', 'pending', '[]'::jsonb, '[]'::jsonb, 0, ?, ?::jsonb, ?, clock_timestamp(), clock_timestamp())
         on conflict (dedupe_key) where deleted_at is null and dedupe_key is not null do nothing
         returning *`,
        [id, context.channel_id, context.channel_order_id, context.order_id, now, JSON.stringify(payload), dedupeKey]
      )
      return res.rows ?? []
    })
    return new StepResponse(inserted, inserted.map((r) => r.id as string))
  },
  async (ids, { container }) => {
    if (!ids?.length) return
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    await channels.deleteChannelFeedbacks(ids)
  }
)

const describe = (s: OrderStatusSnapshot | null | undefined) =>
  s ? `${s.status ?? "?"} / ${s.fulfillment_status ?? "?"}${s.on_hold ? " / on hold" : ""}` : "none"

/** A Medusa or plugin event about an imported order → at most one `status` outbox row for its change. */
export const recordStatusChangeFeedbackWorkflow = createWorkflow(
  "channel-orders-record-status-change-feedback",
  (input: StatusChangeInput) => {
    const context = loadStatusChangeContextStep(input)
    const recorded = recordStatusChangeFeedbackStep(
      transform({ context, input }, ({ context, input }) => ({ context, trigger: input.trigger, now: input.now ?? new Date().toISOString() }))
    )
    recordChannelOrderEventsStep(
      transform({ recorded }, ({ recorded }) =>
        recorded.map((row: any) => ({
          channel_order_id: row.channel_order_id,
          order_id: row.order_id,
          type: FEEDBACK_EVENT_TYPE,
          message: `Status changed in Medusa (${describe(row.payload?.previous)} → ${describe(row.payload?.current)}); queued for the channel's webhook`,
          data: { feedback_id: row.id, kind: "status", action: "recorded", state: row.state, trigger: row.payload?.trigger ?? null },
        }))
      )
    ).config({ name: "record-status-change-events" })
    return new WorkflowResponse(
      transform({ recorded, context }, ({ recorded, context }) => ({ recorded: recorded.map((r: any) => r.id as string), skip: context.skip }))
    )
  }
)
