import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CHANNEL_MODULE } from "../../../../modules/channel"
import type ChannelModuleService from "../../../../modules/channel/service"

/** One channel order with its raw payload, normalized order and timeline. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const channelOrder = await channels.retrieveChannelOrder(req.params.id)
  const timeline = await channels.listChannelOrderEvents({ channel_order_id: channelOrder.id }, { order: { created_at: "ASC" } })
  res.json({ channel_order: channelOrder, timeline })
}
