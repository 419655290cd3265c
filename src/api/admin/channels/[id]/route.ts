import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CHANNEL_MODULE } from "../../../../modules/channel"
import type ChannelModuleService from "../../../../modules/channel/service"
import { updateChannelWorkflow } from "../../../../workflows/channels/update-channel"
import { deleteChannelWorkflow } from "../../../../workflows/channels/delete-channel"
import { presentChannel } from "../presenters"
import type { UpdateChannelType } from "../validators"

export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const channel = await channels.retrieveChannel(req.params.id)
  const latest = await channels.latestRunsByChannel([channel.id])
  res.json({ channel: { ...presentChannel(channel, channels), last_run: latest.get(channel.id) ?? null } })
}

export async function POST(req: AuthenticatedMedusaRequest<UpdateChannelType>, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const { credentials, ...rest } = req.validatedBody
  // Sealed before any workflow sees them: the engine keeps workflow input (workflow_execution).
  // undefined keeps the stored credentials; null (or an empty object) removes them.
  const credentials_sealed = credentials === undefined ? undefined : channels.sealCredentials(credentials)
  const { result } = await updateChannelWorkflow(req.scope).run({ input: { id: req.params.id, ...rest, credentials_sealed } })
  res.json({ channel: presentChannel(result, channels) })
}

export async function DELETE(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  await deleteChannelWorkflow(req.scope).run({ input: { id: req.params.id } })
  res.json({ id: req.params.id, object: "channel", deleted: true })
}
