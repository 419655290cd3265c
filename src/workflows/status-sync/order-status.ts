import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import {
  cancelOrderFulfillmentWorkflow,
  cancelOrderWorkflow,
  createOrderFulfillmentWorkflow,
  createOrderShipmentWorkflow,
  markOrderFulfillmentAsDeliveredWorkflow,
} from "@medusajs/medusa/core-flows"
import { CHANNEL_MODULE } from "../../modules/channel"
import type ChannelModuleService from "../../modules/channel/service"

/**
 * Status changes reported from outside Medusa (a status import file, an ERP) applied to a Medusa
 * order, with the same meaning as the marketplace status sync (sync-imported-order.ts):
 * - `shipped`: a fulfilment and a shipment with the tracking number, through Medusa's own workflows
 *   (stock moves; holds are enforced; `shipment.created` queues marketplace feedback for channel orders);
 * - `canceled`: cancels the order, or, when it is already fulfilled or shipped, puts it on hold
 *   (`marketplace_canceled`) for a person to decide, as a marketplace cancellation does;
 * - `delivered`: marks its shipped fulfilments delivered.
 * A change the order cannot make throws OrderStatusError (`impossible_transition`, `unknown_item`, `on_hold`).
 */
export class OrderStatusError extends Error {
  constructor(
    readonly code: "impossible_transition" | "unknown_item" | "on_hold",
    message: string
  ) {
    super(message)
    this.name = "OrderStatusError"
  }
}

export type OrderStatusChange = {
  order_id: string
  status: "shipped" | "canceled" | "delivered"
  tracking_number?: string | null
  tracking_url?: string | null
  carrier?: string | null
  shipped_at?: string | null
  items?: Array<{ sku?: string; external_item_id?: string; quantity: number }>
  /** Who made the change (order changes, hold `created_by`), and a human source for messages. */
  actor: string
  source: string
  /** Kept on the fulfilment's metadata. */
  metadata?: Record<string, unknown>
}

export type OrderStatusOutcome = { outcome: "shipped" | "canceled" | "held" | "delivered" | "unchanged"; message: string; fulfillment_id?: string }

export async function applyOrderStatus(container: MedusaContainer, change: OrderStatusChange): Promise<OrderStatusOutcome> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["id", "display_id", "status", "items.id", "items.quantity", "items.variant_sku", "items.metadata", "items.detail.*", "fulfillments.*", "fulfillments.items.*"],
    filters: { id: change.order_id },
  })
  const order = data[0] as any
  if (!order) throw new OrderStatusError("impossible_transition", `Order ${change.order_id} no longer exists`)
  const label = `#${order.display_id}`
  const live = (order.fulfillments ?? []).filter((f: any) => f && !f.canceled_at)

  if (change.status === "canceled") {
    if (order.status === "canceled") return { outcome: "unchanged", message: `Order ${label} is already canceled` }
    if (live.length) {
      const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
      const shipped = live.some((f: any) => f.shipped_at)
      const open = await channels.listOrderHolds({ order_id: order.id, reason: "marketplace_canceled", released_at: null })
      if (!open.length) {
        const [co] = await channels.listChannelOrders({ order_id: order.id } as any, { select: ["id"], take: 1 })
        await channels.createOrderHolds({
          order_id: order.id,
          channel_order_id: co?.id ?? null,
          reason: "marketplace_canceled",
          created_by: change.actor,
          detail: `Canceled by ${change.source} after it was ${shipped ? "shipped" : "fulfilled"} in Medusa; decide whether to recall it`,
        })
      }
      return { outcome: "held", message: `Order ${label} was already ${shipped ? "shipped" : "fulfilled"}: put on hold (marketplace_canceled) instead of canceled` }
    }
    try {
      await cancelOrderWorkflow(container).run({ input: { order_id: order.id, no_notification: true, canceled_by: change.actor } })
    } catch (e: any) {
      throw new OrderStatusError("impossible_transition", `Medusa refused to cancel order ${label}: ${e?.message ?? e}`)
    }
    return { outcome: "canceled", message: `Order ${label} canceled by ${change.source}` }
  }

  if (change.status === "delivered") {
    if (order.status === "canceled") throw new OrderStatusError("impossible_transition", `Order ${label} is canceled; it cannot be delivered`)
    const toDeliver = live.filter((f: any) => f.shipped_at && !f.delivered_at)
    if (!toDeliver.length) {
      if (live.length && live.every((f: any) => f.delivered_at)) return { outcome: "unchanged", message: `Order ${label} is already delivered` }
      throw new OrderStatusError("impossible_transition", `Order ${label} has no shipment to mark delivered; ship it first`)
    }
    for (const f of toDeliver) {
      await markOrderFulfillmentAsDeliveredWorkflow(container).run({ input: { orderId: order.id, fulfillmentId: f.id } })
    }
    return { outcome: "delivered", message: `Order ${label} delivered (${toDeliver.length} shipment${toDeliver.length === 1 ? "" : "s"}) per ${change.source}` }
  }

  // shipped
  if (order.status === "canceled") throw new OrderStatusError("impossible_transition", `Order ${label} is canceled; it cannot be shipped`)
  const items = (order.items ?? []).filter(Boolean)
  const open = (i: any) => Number(i.quantity) - Number(i.detail?.fulfilled_quantity ?? 0)
  let lines: Array<{ id: string; quantity: number }>
  if (change.items?.length) {
    lines = change.items.map((want) => {
      const line = items.find(
        (i: any) => (want.sku && i.variant_sku === want.sku) || (want.external_item_id && i.metadata?.external_item_id === want.external_item_id)
      )
      if (!line) throw new OrderStatusError("unknown_item", `Order ${label} has no line ${want.sku ?? want.external_item_id}`)
      if (want.quantity > open(line)) {
        throw new OrderStatusError("impossible_transition", `Order ${label}: ${want.quantity} × ${want.sku ?? want.external_item_id} asked, ${open(line)} left to ship`)
      }
      return { id: line.id, quantity: want.quantity }
    })
  } else {
    lines = items.filter((i: any) => open(i) > 0).map((i: any) => ({ id: i.id, quantity: open(i) }))
  }
  if (!lines.length) {
    // Fulfilled but not shipped yet: ship what is packed.
    const packed = live.filter((f: any) => !f.shipped_at)
    if (!packed.length) return { outcome: "unchanged", message: `Order ${label} is already shipped` }
    for (const f of packed) await ship(container, order.id, f, change)
    return { outcome: "shipped", message: shippedMessage(label, change), fulfillment_id: packed[0].id }
  }
  let fulfillment: any
  try {
    const { result } = await createOrderFulfillmentWorkflow(container).run({
      input: {
        order_id: order.id,
        items: lines,
        no_notification: true,
        metadata: { source: "status_import", carrier: change.carrier ?? null, shipped_at: change.shipped_at ?? null, ...(change.metadata ?? {}) },
      } as any,
    })
    fulfillment = result
  } catch (e: any) {
    const message = String(e?.message ?? e)
    throw new OrderStatusError(/on hold/i.test(message) ? "on_hold" : "impossible_transition", `Order ${label} could not be fulfilled: ${message}`)
  }
  await ship(container, order.id, { ...fulfillment, items: lines.map((l) => ({ line_item_id: l.id, quantity: l.quantity })) }, change).catch(async (e) => {
    // The fulfilment without its shipment is undone, so the row can be sent again.
    await cancelOrderFulfillmentWorkflow(container)
      .run({ input: { order_id: order.id, fulfillment_id: fulfillment.id, no_notification: true } })
      .catch(() => undefined)
    throw e
  })
  return { outcome: "shipped", message: shippedMessage(label, change), fulfillment_id: fulfillment.id }
}

function shippedMessage(label: string, change: OrderStatusChange) {
  return `Order ${label} shipped per ${change.source}${change.tracking_number ? `, tracking ${change.tracking_number}` : ""}${change.carrier ? ` (${change.carrier})` : ""}`
}

async function ship(container: MedusaContainer, orderId: string, fulfillment: any, change: OrderStatusChange) {
  const items = (fulfillment.items ?? []).map((i: any) => ({ id: i.line_item_id, quantity: Number(i.quantity) }))
  try {
    await createOrderShipmentWorkflow(container).run({
      input: {
        order_id: orderId,
        fulfillment_id: fulfillment.id,
        items,
        no_notification: true,
        labels: change.tracking_number
          ? [{ tracking_number: change.tracking_number, tracking_url: change.tracking_url ?? "", label_url: "" }]
          : [],
      } as any,
    })
  } catch (e: any) {
    const message = String(e?.message ?? e)
    throw new OrderStatusError(/on hold/i.test(message) ? "on_hold" : "impossible_transition", `The shipment could not be created: ${message}`)
  }
}
