import { defineLink } from "@medusajs/framework/utils"
import OrderModule from "@medusajs/medusa/order"
import ChannelModule from "../modules/channel"

/** The other direction, so an order can be read with its channel order: fields ["channel_order.*"]. */
export default defineLink(
  { linkable: OrderModule.linkable.order, field: "id" },
  { ...ChannelModule.linkable.channelOrder.id, primaryKey: "order_id" },
  { readOnly: true }
)
