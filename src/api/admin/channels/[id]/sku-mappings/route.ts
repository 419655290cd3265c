import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../../../../modules/channel"
import type ChannelModuleService from "../../../../../modules/channel/service"
import type { PostSkuMappingType } from "../../validators"

export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const sku_mappings = await channels.listChannelSkuMappings({ channel_id: req.params.id }, { order: { external_sku: "ASC" } })
  res.json({ sku_mappings })
}

/** Maps a marketplace SKU to a variant for this channel (replacing an earlier mapping of the same SKU). */
export async function POST(req: AuthenticatedMedusaRequest<PostSkuMappingType>, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  await channels.retrieveChannel(req.params.id)
  const query = req.scope.resolve("query")
  const { data } = await query.graph({ entity: "product_variant", fields: ["id"], filters: { id: req.validatedBody.variant_id } })
  if (!data.length) throw new MedusaError(MedusaError.Types.INVALID_DATA, `variant_id ${req.validatedBody.variant_id} does not exist`)
  const [existing] = await channels.listChannelSkuMappings({ channel_id: req.params.id, external_sku: req.validatedBody.external_sku })
  const sku_mapping = existing
    ? await channels.updateChannelSkuMappings({ id: existing.id, variant_id: req.validatedBody.variant_id })
    : await channels.createChannelSkuMappings({ channel_id: req.params.id, ...req.validatedBody })
  res.status(existing ? 200 : 201).json({ sku_mapping })
}
