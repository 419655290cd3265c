import { createStep, createWorkflow, StepResponse, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { CHANNEL_ALERT_MODULE } from "../../modules/channel-alert"
import type ChannelAlertModuleService from "../../modules/channel-alert/service"
import type { RaiseAlertInput } from "../../modules/channel-alert/service"
import { ruleAlertInput, type RuleAlertEvent } from "./routing"

export type RaiseAlertsResult = Array<{ alert_id: string; suppressed: boolean; delivery_ids: string[]; already_open?: boolean }>

/** Records alerts and puts them in the outbox (dedupe and digest in the module's `raiseAlert`). */
export const raiseChannelAlertsStep = createStep(
  "raise-channel-alerts",
  async (input: { alerts: RaiseAlertInput[]; now?: string }, { container }) => {
    const alerts: ChannelAlertModuleService = container.resolve(CHANNEL_ALERT_MODULE)
    const now = input.now ? new Date(input.now) : new Date()
    const out: RaiseAlertsResult = []
    for (const a of input.alerts) out.push(await alerts.raiseAlert(a, now))
    return new StepResponse(out)
  }
)

/** Raises alerts (operational, test, or any a script builds): `raiseChannelAlertsWorkflow(container).run({ input: { alerts } })`. */
export const raiseChannelAlertsWorkflow = createWorkflow("channel-orders-raise-alerts", (input: { alerts: RaiseAlertInput[]; now?: string }) => {
  return new WorkflowResponse(raiseChannelAlertsStep(input))
})

/** Routes import-rule alerts to their destinations and recipients (the admin feed got them from the import). */
export const routeRuleAlertsStep = createStep("route-rule-alerts", async (input: { alerts: RuleAlertEvent[]; now?: string }, { container }) => {
  const alerts: ChannelAlertModuleService = container.resolve(CHANNEL_ALERT_MODULE)
  const wanted = [...new Set(input.alerts.flatMap((a) => a.destination_ids ?? []))]
  const destinations = wanted.length
    ? await alerts.listChannelAlertDestinations({ id: wanted }, { select: ["id", "kind", "enabled", "recipients", "operational_alerts"] })
    : []
  const raised = input.alerts
    .map((a) => ruleAlertInput(a, destinations as any))
    .filter((a) => a.routes.length > 0)
  return new StepResponse({ alerts: raised, now: input.now })
})

export const raiseRuleAlertsWorkflow = createWorkflow("channel-orders-raise-rule-alerts", (input: { alerts: RuleAlertEvent[]; now?: string }) => {
  const routed = routeRuleAlertsStep(input)
  return new WorkflowResponse(raiseChannelAlertsStep(routed))
})
