import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { scrubSecrets } from "../modules/channel/scrub"
import { evaluateOperationalAlertsWorkflow } from "../workflows/alerts/evaluate-operational-alerts"
import { runAlertDeliveryPass } from "../workflows/alerts/deliver-alert"

/**
 * Every minute: check the channels for operational alerts (raise / clear), then send due alerts.
 * `CHANNEL_ORDERS_ALERTS=off` pauses both (alerts wait in the outbox).
 */
export default async function channelAlertsJob(container: MedusaContainer) {
  if (process.env.CHANNEL_ORDERS_ALERTS === "off") return
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  try {
    const { result } = await evaluateOperationalAlertsWorkflow(container).run({ input: {} })
    if (result.raised.length || result.cleared.length) logger.info(`Channel alerts: ${result.raised.length} raised, ${result.cleared.length} cleared`)
  } catch (e) {
    logger.error(`Channel alert checks failed: ${scrubSecrets((e as Error).message)}`)
  }
  const pass = await runAlertDeliveryPass(container)
  if (pass.due) logger.info(`Channel alerts: ${pass.due} due; ${Object.entries(pass.outcomes).map(([k, v]) => `${v} ${k}`).join(", ")}`)
}

export const config = {
  name: "channel-orders-alerts",
  schedule: "* * * * *",
}
