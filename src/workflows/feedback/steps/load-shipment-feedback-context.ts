import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"
import { parseChannelSettings } from "../../../modules/channel/settings"
import type { FulfillmentLike, OrderItemLike } from "../policy"

export type ShipmentFeedbackTrigger = "shipment_created" | "order_completed"

export type LoadShipmentFeedbackContextInput =
  | { trigger: ShipmentFeedbackTrigger; fulfillment_id: string; order_id?: undefined }
  | { trigger: ShipmentFeedbackTrigger; order_id: string; fulfillment_id?: undefined }

export type ShipmentFeedbackContext = {
  /** Why nothing is recorded; null when there is something to record. */
  skip: string | null
  trigger: ShipmentFeedbackTrigger
  order_id: string | null
  channel_order: { id: string; channel_id: string; external_id: string; action: string | null } | null
  carrier_mapping: Record<string, string>
  shipped_when: ShipmentFeedbackTrigger
  order_items: OrderItemLike[]
  fulfillments: FulfillmentLike[]
}

const FULFILLMENT_FIELDS = [
  "id",
  "shipped_at",
  "canceled_at",
  "provider_id",
  "shipping_option_id",
  "metadata",
  "labels.tracking_number",
  "labels.tracking_url",
  "items.line_item_id",
  "items.quantity",
]

/**
 * Reads what a shipment feedback needs: the fulfillment(s) with labels and items, the order's lines
 * with their marketplace ids, the channel order and the channel's feedback settings. Orders that
 * did not come from a channel are skipped here, cheaply.
 */
export const loadShipmentFeedbackContextStep = createStep(
  "load-shipment-feedback-context",
  async (input: LoadShipmentFeedbackContextInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const empty = (skip: string, order_id: string | null = null): ShipmentFeedbackContext => ({
      skip,
      trigger: input.trigger,
      order_id,
      channel_order: null,
      carrier_mapping: {},
      shipped_when: "shipment_created",
      order_items: [],
      fulfillments: [],
    })

    let orderId: string | null = input.order_id ?? null
    let fulfillments: FulfillmentLike[] = []
    if (input.fulfillment_id) {
      const { data } = await query.graph({
        entity: "fulfillment",
        fields: [...FULFILLMENT_FIELDS, "order.id"],
        filters: { id: input.fulfillment_id },
      })
      const f = data[0] as any
      if (!f) return new StepResponse<ShipmentFeedbackContext>(empty("fulfillment_not_found"))
      orderId = f.order?.id ?? null
      fulfillments = [f]
    }
    if (!orderId) return new StepResponse<ShipmentFeedbackContext>(empty("no_order"))

    const [channelOrder] = await channels.listChannelOrders(
      { order_id: orderId },
      { select: ["id", "channel_id", "external_id", "action"], take: 1 }
    )
    if (!channelOrder) return new StepResponse<ShipmentFeedbackContext>(empty("not_a_channel_order", orderId))

    const { data: orders } = await query.graph({
      entity: "order",
      fields: ["id", "items.id", "items.metadata", ...(input.fulfillment_id ? [] : FULFILLMENT_FIELDS.map((f) => `fulfillments.${f}`))],
      filters: { id: orderId },
    })
    const order = orders[0] as any
    if (!order) return new StepResponse<ShipmentFeedbackContext>(empty("order_not_found", orderId))
    if (!input.fulfillment_id) fulfillments = (order.fulfillments ?? []).filter(Boolean)

    const [channel] = await channels.listChannels({ id: channelOrder.channel_id }, { select: ["id", "settings"], take: 1 })
    if (!channel) return new StepResponse<ShipmentFeedbackContext>(empty("channel_not_found", orderId))
    const settings = parseChannelSettings(channel.settings)

    const context: ShipmentFeedbackContext = {
      skip: null,
      trigger: input.trigger,
      order_id: orderId,
      channel_order: {
        id: channelOrder.id,
        channel_id: channelOrder.channel_id,
        external_id: channelOrder.external_id,
        action: channelOrder.action ?? null,
      },
      carrier_mapping: settings.carrier_mapping ?? {},
      shipped_when: settings.shipped_when,
      order_items: (order.items ?? []).filter(Boolean).map((i: any) => ({ id: i.id, metadata: i.metadata ?? null })),
      fulfillments,
    }
    return new StepResponse<ShipmentFeedbackContext>(context)
  }
)
