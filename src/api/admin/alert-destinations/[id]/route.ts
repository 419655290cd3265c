import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CHANNEL_ALERT_MODULE } from "../../../../modules/channel-alert"
import type ChannelAlertModuleService from "../../../../modules/channel-alert/service"
import { redactUrl } from "../../../../modules/channel-alert/policy"
import { deleteAlertDestinationWorkflow, saveAlertDestinationWorkflow } from "../../../../workflows/alerts/save-alert-destination"
import { presentAlertDestination } from "../presenters"
import type { UpdateAlertDestinationType } from "../validators"

export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const alerts: ChannelAlertModuleService = req.scope.resolve(CHANNEL_ALERT_MODULE)
  const d = await alerts.retrieveChannelAlertDestination(req.params.id)
  res.json({ alert_destination: presentAlertDestination(d, redactUrl(alerts.destinationUrl(d))) })
}

export async function POST(req: AuthenticatedMedusaRequest<UpdateAlertDestinationType>, res: MedusaResponse) {
  const alerts: ChannelAlertModuleService = req.scope.resolve(CHANNEL_ALERT_MODULE)
  const { result } = await saveAlertDestinationWorkflow(req.scope).run({ input: { id: req.params.id, data: req.validatedBody } })
  res.json({ alert_destination: presentAlertDestination(result, redactUrl(alerts.destinationUrl(result))) })
}

export async function DELETE(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  await deleteAlertDestinationWorkflow(req.scope).run({ input: { id: req.params.id } })
  res.json({ id: req.params.id, object: "alert_destination", deleted: true })
}
