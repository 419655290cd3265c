import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../../../../../../modules/channel"
import type ChannelModuleService from "../../../../../../../modules/channel/service"
import { sandboxChannel } from "../route"
import type { SandboxStatusType } from "../../../../validators"

/** Changes a sandbox order's marketplace status and bumps its update time, so the next pull sees it. */
export async function POST(req: AuthenticatedMedusaRequest<SandboxStatusType>, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const channel = await sandboxChannel(channels, req.params.id)
  const [existing] = await channels.listSandboxOrders({ channel_id: channel.id, external_id: req.params.external_id })
  if (!existing) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Sandbox order ${req.params.external_id} not found`)
  const [order] = await channels.putSandboxOrders(channel.id, [{ ...(existing.payload as Record<string, any>), status: req.validatedBody.status }])
  res.json({ order })
}
