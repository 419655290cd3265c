import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../../../../../modules/channel"
import type ChannelModuleService from "../../../../../../modules/channel/service"

export async function DELETE(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const [mapping] = await channels.listChannelSkuMappings({ id: req.params.mapping_id, channel_id: req.params.id })
  if (!mapping) throw new MedusaError(MedusaError.Types.NOT_FOUND, `SKU mapping ${req.params.mapping_id} not found`)
  await channels.deleteChannelSkuMappings(mapping.id)
  res.json({ id: mapping.id, object: "sku_mapping", deleted: true })
}
