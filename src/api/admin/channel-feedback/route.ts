import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"
import { presentChannelFeedback } from "./presenters"
import type { ListChannelFeedbackQueryType } from "./validators"

/** The feedback outbox: `?state=failed` is the list of confirmations the marketplaces refused. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const q = req.validatedQuery as unknown as ListChannelFeedbackQueryType
  const filters: Record<string, unknown> = {}
  for (const key of ["state", "kind", "channel_id", "order_id", "channel_order_id", "fulfillment_id", "error_code"] as const) {
    if (q[key] !== undefined) filters[key] = q[key]
  }
  const [rows, count] = await channels.listAndCountChannelFeedbacks(filters, {
    take: q.limit,
    skip: q.offset,
    order: { created_at: "DESC" },
  })
  res.json({ channel_feedback: rows.map(presentChannelFeedback), count, limit: q.limit, offset: q.offset })
}
