import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CHANNEL_ALERT_MODULE } from "../../../../modules/channel-alert"
import type ChannelAlertModuleService from "../../../../modules/channel-alert/service"
import type { ListRaisedAlertsQueryType } from "../../alert-destinations/validators"

/** Raised alerts: `?source=operational&state=open` is what is wrong right now; `suppressed` ones were repeats within the dedupe window. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const alerts: ChannelAlertModuleService = req.scope.resolve(CHANNEL_ALERT_MODULE)
  const q = req.validatedQuery as unknown as ListRaisedAlertsQueryType
  const filters: Record<string, unknown> = {}
  for (const key of ["state", "source", "code", "channel_id"] as const) if (q[key] !== undefined) filters[key] = q[key]
  const [rows, count] = await alerts.listAndCountChannelAlerts(filters, { order: { raised_at: "DESC" }, take: q.limit, skip: q.offset })
  res.json({ raised_alerts: rows, count, limit: q.limit, offset: q.offset })
}
