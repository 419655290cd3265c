import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CHANNEL_MODULE } from "../../../../../modules/channel"
import type ChannelModuleService from "../../../../../modules/channel/service"
import { presentChannel } from "../../../channels/presenters"

/** Everything the order page's channel panel shows: channel order, channel, tags, holds, timeline, feedback. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const orderId = req.params.id
  const [[channelOrder], tags, holds, feedback] = await Promise.all([
    channels.listChannelOrders({ order_id: orderId }),
    channels.listOrderTags({ order_id: orderId }, { order: { created_at: "ASC" } }),
    channels.listOrderHolds({ order_id: orderId }, { order: { created_at: "ASC" } }),
    channels.listChannelFeedbacks({ order_id: orderId }, { order: { created_at: "ASC" } }),
  ])
  const [channel, timeline, invoices] = await Promise.all([
    channelOrder ? channels.listChannels({ id: channelOrder.channel_id }, { withDeleted: true }).then((r) => r[0] ?? null) : null,
    channelOrder ? channels.listChannelOrderEvents({ channel_order_id: channelOrder.id }, { order: { created_at: "ASC" } }) : [],
    channels.listChannelInvoices({ order_id: orderId }),
  ])
  res.json({
    channel_order: channelOrder ?? null,
    channel: channel ? presentChannel(channel) : null,
    tags: tags.map((t) => ({ id: t.id, value: t.value, created_at: t.created_at })),
    holds,
    open_hold_count: holds.filter((h) => !h.released_at).length,
    timeline,
    feedback,
    invoice: invoices[0] ? { ...invoices[0], display_number: `INV-${String(invoices[0].number).padStart(6, "0")}` } : null,
  })
}
