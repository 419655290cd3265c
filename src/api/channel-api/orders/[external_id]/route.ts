import type { MedusaResponse } from "@medusajs/framework/http"
import { CHANNEL_MODULE } from "../../../../modules/channel"
import type ChannelModuleService from "../../../../modules/channel/service"
import { readPushedOrder } from "../../../../workflows/channel-api/read-pushed-order"
import { sendApiError, type ChannelApiRequest } from "../../middlewares"

/** `GET /channel-api/orders/:external_id`: one of the key's channel's orders, with its Medusa state and shipments. */
export async function GET(req: ChannelApiRequest, res: MedusaResponse) {
  const caller = req.channel_api!
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const order = await readPushedOrder(req.scope, channels, caller.channel_id, req.params.external_id)
  if (!order) return sendApiError(res, 404, "not_found", `No order ${req.params.external_id} was received on this channel`)
  res.json({ order })
}
