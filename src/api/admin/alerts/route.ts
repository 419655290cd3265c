import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CHANNEL_ALERT_MODULE } from "../../../modules/channel-alert"
import type ChannelAlertModuleService from "../../../modules/channel-alert/service"
import { presentAlertDelivery } from "../alert-destinations/presenters"
import type { ListAlertDeliveriesQueryType } from "../alert-destinations/validators"

/** The alert outbox, newest first: every alert message sent, retrying (with its last error) or failed. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const alerts: ChannelAlertModuleService = req.scope.resolve(CHANNEL_ALERT_MODULE)
  const q = req.validatedQuery as unknown as ListAlertDeliveriesQueryType
  const filters: Record<string, unknown> = {}
  for (const key of ["state", "destination_id", "kind"] as const) if (q[key] !== undefined) filters[key] = q[key]
  const [rows, count] = await alerts.listAndCountChannelAlertDeliveries(filters, { order: { created_at: "DESC" }, take: q.limit, skip: q.offset })
  res.json({ alerts: rows.map(presentAlertDelivery), count, limit: q.limit, offset: q.offset })
}
