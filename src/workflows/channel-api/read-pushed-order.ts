import type { MedusaContainer } from "@medusajs/framework/types"
import { getOrderDetailWorkflow } from "@medusajs/medusa/core-flows"
import type ChannelModuleService from "../../modules/channel/service"
import { parseChannelSettings } from "../../modules/channel/settings"
import { mapFulfillmentItems, resolveCarrier, trackingNumbersOf, type FulfillmentLike } from "../feedback/policy"
import { resultOf } from "./receive-pushed-orders"

export type PushedOrderShipment = {
  tracking_number: string | null
  tracking_numbers: string[]
  carrier: string | null
  shipped_at: string | null
  items: Array<{ external_item_id: string; quantity: number }>
}

export type PushedOrderState = {
  external_id: string
  state: string
  result: string
  error_code: string | null
  error_message: string | null
  order_id: string | null
  status: string | null
  fulfillment_status: string | null
  shipments: PushedOrderShipment[]
}

/**
 * One of a channel's orders as its reseller sees it: the channel order's state and refusal, and,
 * once imported, the Medusa order's status, fulfilment status and shipped fulfillments (tracking,
 * the carrier as the channel's carrier_mapping names it, the reseller's own line ids). Null for an
 * external id this channel never received (another channel's orders are not visible).
 */
export async function readPushedOrder(
  container: MedusaContainer,
  channels: ChannelModuleService,
  channelId: string,
  externalId: string
): Promise<PushedOrderState | null> {
  const [row] = (await channels.listChannelOrders(
    { channel_id: channelId, external_id: externalId },
    { select: ["id", "external_id", "state", "order_id", "error_code", "error_message"], take: 1 }
  )) as any[]
  if (!row) return null
  const out: PushedOrderState = {
    external_id: row.external_id,
    state: row.state,
    result: resultOf(row),
    error_code: row.order_id ? null : row.error_code ?? null,
    error_message: row.order_id ? null : row.error_message ?? null,
    order_id: row.order_id ?? null,
    status: null,
    fulfillment_status: null,
    shipments: [],
  }
  if (!row.order_id) return out

  const { result: order } = await getOrderDetailWorkflow(container).run({
    input: {
      order_id: row.order_id,
      fields: ["id", "status", "items.id", "items.metadata", "fulfillments.labels.*", "fulfillments.items.*"],
    },
  })
  const o = order as any
  const [channel] = await channels.listChannels({ id: channelId }, { select: ["id", "settings"], take: 1 })
  const carrierMapping = parseChannelSettings(channel?.settings).carrier_mapping
  const items = (o.items ?? []).filter(Boolean).map((i: any) => ({ id: i.id, metadata: i.metadata ?? null }))
  out.status = o.status ?? null
  out.fulfillment_status = o.fulfillment_status ?? null
  out.shipments = ((o.fulfillments ?? []) as FulfillmentLike[])
    .filter((f) => f && f.shipped_at && !f.canceled_at)
    .sort((a, b) => new Date(a.shipped_at as any).getTime() - new Date(b.shipped_at as any).getTime())
    .map((f) => {
      const tracking = trackingNumbersOf(f)
      return {
        tracking_number: tracking[0] ?? null,
        tracking_numbers: tracking,
        carrier: resolveCarrier(carrierMapping, f)?.carrier_code ?? f.provider_id ?? null,
        shipped_at: new Date(f.shipped_at as any).toISOString(),
        items: mapFulfillmentItems(f, items).items.map((i) => ({ external_item_id: i.external_item_id, quantity: i.quantity })),
      }
    })
  return out
}
