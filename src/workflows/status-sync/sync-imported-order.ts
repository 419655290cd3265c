import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { cancelOrderWorkflow, createOrderFulfillmentWorkflow, deleteReservationsByLineItemsStep, updateOrderWorkflow } from "@medusajs/medusa/core-flows"
import { CHANNEL_MODULE } from "../../modules/channel"
import type ChannelModuleService from "../../modules/channel/service"
import type { ChannelSettings } from "../../modules/channel/settings"
import type { CanonicalOrder } from "../../modules/channel/types/canonical-order"
import { ENDED_KINDS, statusKindOf, type IChannelProvider } from "../../modules/channel/types/provider"
import { registerHistoryShipmentStep } from "../import-orders/steps/register-history-shipment"
import type { ChannelOrderEventInput } from "../import-orders/steps/record-channel-order-events"

/** Who Medusa's order changes are attributed to when the marketplace caused them. */
export const CHANNEL_SYNC_ACTOR = "channel-orders-sync"

/** How the timeline says it: "<Done> on eBay", "because eBay <did> it". */
const ENDED_WORDS: Record<string, { done: string; did: string }> = {
  canceled: { done: "Canceled", did: "canceled it" },
  refunded: { done: "Refunded", did: "refunded it" },
  unfulfillable: { done: "Declared unfulfillable", did: "declared it unfulfillable" },
}

/**
 * Marks an order shipped without moving stock: the marketplace (or someone else) shipped it, so
 * the reservations are released and a fulfillment is recorded as shipped, with no inventory change.
 */
export type MarkShippedElsewhereInput = {
  order_id: string
  location_id?: string | null
  items: Array<{ id: string; quantity: number; title: string; variant_title?: string | null; variant_sku?: string | null; variant_barcode?: string | null; requires_shipping: boolean }>
}

export const markShippedElsewhereWorkflow = createWorkflow("channel-orders-mark-shipped-elsewhere", (input: MarkShippedElsewhereInput) => {
  const plan = transform({ input }, ({ input }) => ({
    lineIds: input.items.map((i) => i.id),
    fulfil: input.items.map((i) => ({ id: i.id, quantity: Number(i.quantity) })),
    itemsList: input.items.map((i) => ({ ...i, quantity: Number(i.quantity), variant: { manage_inventory: false, inventory_items: [] } })),
  }))
  deleteReservationsByLineItemsStep(transform({ plan }, ({ plan }) => plan.lineIds))
  const fulfillment = createOrderFulfillmentWorkflow.runAsStep({
    input: transform({ input, plan }, ({ input, plan }) => ({
      order_id: input.order_id,
      items: plan.fulfil,
      items_list: plan.itemsList as any,
      location_id: input.location_id ?? undefined,
      no_notification: true,
      metadata: { source: "channel_import", reason: "shipped_on_marketplace" },
    })),
  })
  registerHistoryShipmentStep(transform({ input, plan, fulfillment }, ({ input, plan, fulfillment }) => ({ order_id: input.order_id, fulfillment_id: fulfillment.id, items: plan.fulfil })))
  return new WorkflowResponse(fulfillment)
})

const ADDRESS_KEYS = ["first_name", "last_name", "company", "address_1", "address_2", "city", "province", "postal_code", "country_code", "phone"] as const

function addressChanges(current: Record<string, any> | null | undefined, next: CanonicalOrder["shipping_address"]) {
  if (!next) return null
  const changed: Record<string, string | null> = {}
  for (const k of ADDRESS_KEYS) {
    const want = (next as any)[k] ?? null
    if (want === null) continue
    const have = current?.[k] ?? null
    if (String(have ?? "").toLowerCase() !== String(want).toLowerCase()) changed[k] = want
  }
  return Object.keys(changed).length ? changed : null
}

/**
 * Follows a marketplace-side change of an order that is already imported: a cancellation before
 * shipment cancels the Medusa order (after shipment it is held for a person to decide), a shipment
 * made elsewhere marks it fulfilled without a stock movement, and a new shipping address updates
 * the order through Medusa's update workflow. Never re-creates an order. Returns the timeline.
 */
export async function syncImportedOrder(
  container: MedusaContainer,
  dc: { channel: { id: string; name: string }; settings: ChannelSettings; provider: IChannelProvider },
  row: { id: string; order_id: string },
  order: CanonicalOrder
): Promise<ChannelOrderEventInput[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const events: ChannelOrderEventInput[] = []
  const event = (type: string, message: string, data?: Record<string, unknown>) =>
    events.push({ channel_order_id: row.id, order_id: row.order_id, type, message, data: data ?? null })

  const { data } = await query.graph({
    entity: "order",
    fields: [
      "id",
      "status",
      "shipping_address.*",
      "fulfillments.id",
      "fulfillments.shipped_at",
      "fulfillments.canceled_at",
      "items.*",
    ],
    filters: { id: row.order_id },
  })
  const medusa = data[0] as any
  if (!medusa) return events
  const live = (medusa.fulfillments ?? []).filter((f: any) => !f.canceled_at)
  const shipped = live.some((f: any) => f.shipped_at)
  // What the status means is the provider's word (its statuses() declare a kind for each).
  const kind = statusKindOf(dc.provider, order.status)
  const ended = ENDED_WORDS[kind]

  if (ENDED_KINDS.has(kind) && medusa.status !== "canceled") {
    if (live.length) {
      const open = await channels.listOrderHolds({ order_id: row.order_id, reason: "marketplace_canceled", released_at: null })
      if (!open.length) {
        await channels.createOrderHolds({
          order_id: row.order_id,
          channel_order_id: row.id,
          reason: "marketplace_canceled",
          detail: `${ended.done} on ${dc.channel.name} after it was ${shipped ? "shipped" : "fulfilled"} in Medusa; decide whether to recall it`,
        })
        event("hold", `${ended.done} on the marketplace after fulfilment: put on hold (marketplace_canceled)`, { reason: "marketplace_canceled", kind })
      }
    } else {
      try {
        await cancelOrderWorkflow(container).run({ input: { order_id: row.order_id, no_notification: true, canceled_by: CHANNEL_SYNC_ACTOR } })
        event("canceled", `Canceled in Medusa because ${dc.channel.name} ${ended.did}; its reservations were released`, { kind })
      } catch (e: any) {
        await channels.createOrderHolds({ order_id: row.order_id, channel_order_id: row.id, reason: "marketplace_canceled", detail: `Canceled on ${dc.channel.name}, but Medusa refused to cancel: ${e?.message ?? e}` })
        event("hold", `Canceled on the marketplace; Medusa could not cancel it (${e?.message ?? e}): put on hold`, { reason: "marketplace_canceled" })
      }
    }
    return events
  }

  if (kind === "shipped" && !live.length && medusa.status !== "canceled" && (dc.settings as any).sync_marketplace_shipments !== false) {
    await markShippedElsewhereWorkflow(container).run({ input: { order_id: row.order_id, location_id: dc.settings.stock_location_id, items: medusa.items } })
    event("shipped_elsewhere", `Shipped on ${dc.channel.name}: marked fulfilled and shipped without a stock movement`)
    return events
  }

  if (!shipped && medusa.status !== "canceled") {
    const changes = addressChanges(medusa.shipping_address, order.shipping_address)
    if (changes) {
      await updateOrderWorkflow(container).run({
        input: { id: row.order_id, user_id: CHANNEL_SYNC_ACTOR, shipping_address: { ...stripNulls(medusa.shipping_address), ...changes } as any },
      })
      event("address_changed", `Shipping address updated from ${dc.channel.name}: ${Object.keys(changes).join(", ")}`, { changes })
    }
  }
  return events
}

function stripNulls(a: Record<string, any> | null | undefined) {
  const out: Record<string, any> = {}
  for (const k of ADDRESS_KEYS) if (a?.[k] !== null && a?.[k] !== undefined) out[k] = a[k]
  return out
}

