import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../../../../../modules/channel"
import type ChannelModuleService from "../../../../../../modules/channel/service"
import type { SandboxOrdersType } from "../../../validators"

export async function sandboxChannel(channels: ChannelModuleService, id: string) {
  const channel = await channels.retrieveChannel(id)
  const provider = channels.getProvider(channel.provider) as any
  if (provider.constructor?.identifier !== "sandbox") {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `Channel ${channel.name} is not a sandbox channel`)
  }
  return channel
}

/** Puts canonical orders into a sandbox channel's marketplace, as if buyers had just placed them. */
export async function POST(req: AuthenticatedMedusaRequest<SandboxOrdersType>, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const channel = await sandboxChannel(channels, req.params.id)
  const missing = req.validatedBody.orders.findIndex((o) => typeof o.external_id !== "string" || !o.external_id)
  if (missing >= 0) throw new MedusaError(MedusaError.Types.INVALID_DATA, `orders[${missing}].external_id is required`)
  const orders = await channels.putSandboxOrders(channel.id, req.validatedBody.orders)
  res.status(201).json({ orders })
}
