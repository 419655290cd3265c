import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"

/**
 * Medusa has no "on hold" status, so the plugin guards the core fulfillment route itself: while an
 * order has an open hold, creating a fulfillment answers 409 naming the open reasons. (A middleware
 * rather than the core workflow's hook, because each hook takes a single handler and the store may
 * already use it.)
 */
export async function blockFulfillmentWhileOnHold(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const open = await channels.listOrderHolds({ order_id: req.params.id, released_at: null }, { select: ["id", "reason", "detail"] })
  if (!open.length) return next()
  res.status(409).json({
    type: "not_allowed",
    code: "order_on_hold",
    message: `Order ${req.params.id} is on hold (${[...new Set(open.map((h) => h.reason))].join(", ")}); release its holds before fulfilling it`,
    holds: open,
  })
}
