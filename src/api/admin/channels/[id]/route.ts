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
  res.json({ channel: { ...presentChannel(channel), last_run: latest.get(channel.id) ?? null } })
}

export async function POST(req: AuthenticatedMedusaRequest<UpdateChannelType>, res: MedusaResponse) {
  const { result } = await updateChannelWorkflow(req.scope).run({ input: { id: req.params.id, ...req.validatedBody } })
  res.json({ channel: presentChannel(result) })
}

export async function DELETE(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  await deleteChannelWorkflow(req.scope).run({ input: { id: req.params.id } })
  res.json({ id: req.params.id, object: "channel", deleted: true })
}
