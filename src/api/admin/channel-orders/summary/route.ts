import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CHANNEL_MODULE } from "../../../../modules/channel"
import type ChannelModuleService from "../../../../modules/channel/service"

/**
 * Per channel, the module summary (last import, imported, not imported), and overall the number in
 * the error banner: orders that cannot be imported without someone acting (failed ones), and
 * orders a dead run left behind (stuck past their grace period), which the banner must not hide.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const rows = await channels.channelOrderSummary()
  res.json({
    channels: rows,
    not_importable_count: rows.reduce((n, r) => n + r.failed + r.stuck, 0),
    stuck_count: rows.reduce((n, r) => n + r.stuck, 0),
    waiting_count: rows.reduce((n, r) => n + r.waiting, 0),
  })
}
