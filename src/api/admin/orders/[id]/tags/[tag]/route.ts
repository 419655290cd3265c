import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../../../../../modules/channel"
import type ChannelModuleService from "../../../../../../modules/channel/service"
import { normalizeTag } from "../../../../../../workflows/tags/normalize"

/** Removes a tag, matched without regard to case. */
export async function DELETE(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const n = normalizeTag(decodeURIComponent(req.params.tag))
  const [tag] = n ? await channels.listOrderTags({ order_id: req.params.id, normalized: n.normalized }) : []
  if (!tag) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order ${req.params.id} has no tag "${req.params.tag}"`)
  await channels.deleteOrderTags(tag.id)
  const tags = await channels.listOrderTags({ order_id: req.params.id }, { order: { created_at: "ASC" } })
  res.json({ tags: tags.map((t) => ({ id: t.id, value: t.value })) })
}
