import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CHANNEL_MODULE } from "../../../../../modules/channel"
import type ChannelModuleService from "../../../../../modules/channel/service"

export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const { limit = 20, offset = 0 } = (req.validatedQuery ?? {}) as { limit?: number; offset?: number }
  const [runs, count] = await channels.listAndCountChannelImportRuns(
    { channel_id: req.params.id },
    { take: limit, skip: offset, order: { started_at: "DESC" } }
  )
  res.json({ runs, count, limit, offset })
}
