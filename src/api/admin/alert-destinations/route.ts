import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CHANNEL_ALERT_MODULE } from "../../../modules/channel-alert"
import type ChannelAlertModuleService from "../../../modules/channel-alert/service"
import { redactUrl } from "../../../modules/channel-alert/policy"
import { saveAlertDestinationWorkflow } from "../../../workflows/alerts/save-alert-destination"
import { presentAlertDestination } from "./presenters"
import type { PostAlertDestinationType } from "./validators"

export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const alerts: ChannelAlertModuleService = req.scope.resolve(CHANNEL_ALERT_MODULE)
  const q = req.validatedQuery as { limit: number; offset: number }
  const [rows, count] = await alerts.listAndCountChannelAlertDestinations({}, { order: { created_at: "ASC" }, take: q.limit, skip: q.offset })
  res.json({
    alert_destinations: rows.map((d) => presentAlertDestination(d, redactUrl(alerts.destinationUrl(d)))),
    count,
    limit: q.limit,
    offset: q.offset,
  })
}

export async function POST(req: AuthenticatedMedusaRequest<PostAlertDestinationType>, res: MedusaResponse) {
  const alerts: ChannelAlertModuleService = req.scope.resolve(CHANNEL_ALERT_MODULE)
  const { result } = await saveAlertDestinationWorkflow(req.scope).run({ input: { data: req.validatedBody } })
  res.status(201).json({ alert_destination: presentAlertDestination(result, redactUrl(alerts.destinationUrl(result))) })
}
