import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../../../../../../modules/channel"
import type ChannelModuleService from "../../../../../../../modules/channel/service"
import { presentApiKey, pushChannel } from "../../helpers"

/** Revokes a key at once: the next request with it is a 401. Revoking twice keeps the first time. */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const channel = await pushChannel(channels, req.params.id)
  const [key] = await channels.listChannelApiKeys({ id: req.params.key_id, channel_id: channel.id }, { take: 1 })
  if (!key) throw new MedusaError(MedusaError.Types.NOT_FOUND, `API key ${req.params.key_id} not found on channel ${channel.id}`)
  const updated = key.revoked_at ? key : await channels.updateChannelApiKeys({ id: key.id, revoked_at: new Date() })
  res.json({ api_key: presentApiKey(updated) })
}
