import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { Modules } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../../../../modules/channel"
import type ChannelModuleService from "../../../../../modules/channel/service"
import { placeOrderHoldWorkflow } from "../../../../../workflows/holds/place-order-hold"
import type { PostOrderHoldType } from "../../validators"

/** Puts an order on hold by hand (reason `manual`), recording who did it. */
export async function POST(req: AuthenticatedMedusaRequest<PostOrderHoldType>, res: MedusaResponse) {
  const orderId = req.params.id
  await req.scope.resolve(Modules.ORDER).retrieveOrder(orderId, { select: ["id"] })
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const [co] = await channels.listChannelOrders({ order_id: orderId }, { select: ["id"] })
  const actor = req.auth_context?.actor_id ?? null
  const { result } = await placeOrderHoldWorkflow(req.scope).run({
    input: { order_id: orderId, channel_order_id: co?.id ?? null, reason: "manual", detail: req.validatedBody.detail ?? null, created_by: actor },
  })
  if (co) {
    await channels.createChannelOrderEvents({ channel_order_id: co.id, order_id: orderId, type: "hold", message: "Put on hold by an admin", data: { hold_id: result.id, by: actor } })
  }
  res.status(201).json({ hold: result })
}
