import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { scrubSecrets } from "../modules/channel/scrub"
import { raiseRuleAlertsWorkflow } from "../workflows/alerts/raise-alerts"
import type { RuleAlertEvent } from "../workflows/alerts/routing"

/** An import rule's alert (one event per alert, emitted when its order is imported) goes to its destinations and recipients. */
export default async function channelOrderAlertHandler({ event: { data }, container }: SubscriberArgs<RuleAlertEvent>) {
  if (!data?.destination_ids?.length && !data?.recipients?.length) return
  try {
    await raiseRuleAlertsWorkflow(container).run({ input: { alerts: [data] } })
  } catch (e) {
    container.resolve(ContainerRegistrationKeys.LOGGER).error(`Routing an import rule alert failed: ${scrubSecrets((e as Error).message)}`)
    throw e
  }
}

export const config: SubscriberConfig = {
  event: "channel_order.alert",
  context: { subscriberId: "channel-orders-route-rule-alert" },
}
