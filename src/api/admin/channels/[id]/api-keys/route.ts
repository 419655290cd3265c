import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CHANNEL_MODULE } from "../../../../../modules/channel"
import type ChannelModuleService from "../../../../../modules/channel/service"
import { generateApiToken } from "../../../../../modules/channel/api-keys"
import { presentApiKey, pushChannel } from "./helpers"

/** The channel's API keys, newest first, without tokens. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const channel = await pushChannel(channels, req.params.id)
  const keys = await channels.listChannelApiKeys({ channel_id: channel.id }, { order: { created_at: "DESC" } })
  res.json({ api_keys: keys.map(presentApiKey) })
}

/** Creates a key; its token is in this answer only (only its SHA-256 is stored). */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const channel = await pushChannel(channels, req.params.id)
  const { token, prefix, token_hash } = generateApiToken()
  const key = await channels.createChannelApiKeys({ channel_id: channel.id, prefix, token_hash })
  res.status(201).json({ api_key: presentApiKey(key), token })
}
