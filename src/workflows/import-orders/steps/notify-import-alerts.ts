import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { Modules } from "@medusajs/framework/utils"
import type { RuleAlert } from "../../rules/apply"

export type ImportAlertInput = RuleAlert & { order_id: string; external_id: string; channel_order_id: string; channel_name: string }

/**
 * Puts an import rule's alert in the admin's notification feed. Runs last in the import, so an
 * alert is only raised for an order that really was imported; one per order and rule, because
 * an order is imported once and the evaluator already de-duplicates a rule's alerts.
 */
export const notifyImportAlertsStep = createStep("notify-import-alerts", async (alerts: ImportAlertInput[], { container }) => {
  if (!alerts.length) return new StepResponse([])
  const notifications = container.resolve(Modules.NOTIFICATION)
  const created = await notifications.createNotifications(
    alerts.map((a) => ({
      to: "",
      channel: "feed",
      template: "admin-ui",
      resource_id: a.order_id,
      resource_type: "order",
      idempotency_key: `channel-alert:${a.channel_order_id}:${a.rule_id}:${a.message}`,
      data: {
        title: `${a.severity === "error" ? "Error" : a.severity === "info" ? "Info" : "Warning"}: ${a.rule_name}`,
        description: `${a.message} (order ${a.external_id} from ${a.channel_name})`,
      },
    }))
  )
  return new StepResponse(created.map((n) => n.id))
})
