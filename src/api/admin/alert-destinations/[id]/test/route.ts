import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CHANNEL_ALERT_MODULE } from "../../../../../modules/channel-alert"
import type ChannelAlertModuleService from "../../../../../modules/channel-alert/service"
import { testAlertDestinationWorkflow } from "../../../../../workflows/alerts/save-alert-destination"
import { presentAlertDelivery } from "../../presenters"

/** Sends a test alert to the destination now; answers with the delivery (state sent, retrying or failed, and its error). */
export async function POST(req: AuthenticatedMedusaRequest<{ message?: string }>, res: MedusaResponse) {
  const alerts: ChannelAlertModuleService = req.scope.resolve(CHANNEL_ALERT_MODULE)
  const { result } = await testAlertDestinationWorkflow(req.scope).run({ input: { id: req.params.id, message: req.validatedBody?.message } })
  const delivery = await alerts.retrieveChannelAlertDelivery(result.delivery_id)
  res.json({ alert_delivery: presentAlertDelivery(delivery) })
}
