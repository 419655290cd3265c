import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../../../../modules/channel"
import type ChannelModuleService from "../../../../../modules/channel/service"
import { addOrderTagsWorkflow } from "../../../../../workflows/tags/add-order-tags"
import { TAG_MAX_LENGTH } from "../../../../../workflows/tags/normalize"
import type { PostOrderTagsType } from "../../validators"

export async function POST(req: AuthenticatedMedusaRequest<PostOrderTagsType>, res: MedusaResponse) {
  const orderId = req.params.id
  await req.scope.resolve(Modules.ORDER).retrieveOrder(orderId, { select: ["id"] })
  const tooLong = req.validatedBody.tags.find((t) => t.trim().length > TAG_MAX_LENGTH || !t.trim())
  if (tooLong !== undefined) throw new MedusaError(MedusaError.Types.INVALID_DATA, `Tags must be 1 to ${TAG_MAX_LENGTH} characters: "${tooLong}"`)
  await addOrderTagsWorkflow(req.scope).run({ input: { order_id: orderId, tags: req.validatedBody.tags } })
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const tags = await channels.listOrderTags({ order_id: orderId }, { order: { created_at: "ASC" } })
  res.json({ tags: tags.map((t) => ({ id: t.id, value: t.value })) })
}
