import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../../../../modules/channel"
import type ChannelModuleService from "../../../../../modules/channel/service"
import { presentChannelOrder } from "../../presenters"

/** An admin decides an order will not be imported: it leaves the problems list and is never retried automatically. */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const current = await channels.retrieveChannelOrder(req.params.id)
  if (current.state === "imported") {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "An imported order cannot be ignored")
  }
  const updated = await channels.updateChannelOrders({ id: current.id, state: "ignored" })
  await channels.createChannelOrderEvents({
    channel_order_id: current.id,
    type: "ignored",
    message: `Ignored by an admin`,
    data: { by: req.auth_context?.actor_id ?? null, previous_state: current.state, previous_error: current.error_code },
  })
  res.json({ channel_order: presentChannelOrder(updated) })
}
