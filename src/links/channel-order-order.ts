import { defineLink } from "@medusajs/framework/utils"
import OrderModule from "@medusajs/medusa/order"
import ChannelModule from "../modules/channel"

/**
 * channel_order.order_id → order, read-only: the channel order already holds the id, so no link
 * table rows have to be written on the import hot path. Query with fields ["order.*"].
 */
export default defineLink(
  { linkable: ChannelModule.linkable.channelOrder, field: "order_id" },
  OrderModule.linkable.order,
  { readOnly: true }
)
