import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"
import { createChannelWorkflow } from "../../../workflows/channels/create-channel"
import { presentChannel } from "./presenters"
import type { PostChannelType } from "./validators"

export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const { limit = 50, offset = 0 } = (req.validatedQuery ?? {}) as { limit?: number; offset?: number }
  const [rows, count] = await channels.listAndCountChannels({}, { take: limit, skip: offset, order: { created_at: "ASC" } })
  const latest = await channels.latestRunsByChannel(rows.map((c) => c.id))
  res.json({
    channels: rows.map((c) => ({ ...presentChannel(c, channels), last_run: latest.get(c.id) ?? null })),
    count,
    limit,
    offset,
    providers: channels.listProviderIds(),
  })
}

export async function POST(req: AuthenticatedMedusaRequest<PostChannelType>, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const { credentials, ...rest } = req.validatedBody
  // Sealed before any workflow sees them: the engine keeps workflow input (workflow_execution).
  const { result } = await createChannelWorkflow(req.scope).run({ input: { ...rest, credentials_sealed: channels.sealCredentials(credentials ?? null) } })
  res.status(201).json({ channel: presentChannel(result, channels) })
}
