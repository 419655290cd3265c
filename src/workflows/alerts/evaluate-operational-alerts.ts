import { createStep, createWorkflow, StepResponse, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { CHANNEL_MODULE } from "../../modules/channel"
import type ChannelModuleService from "../../modules/channel/service"
import { parseChannelSettings } from "../../modules/channel/settings"
import { CHANNEL_ALERT_MODULE } from "../../modules/channel-alert"
import type ChannelAlertModuleService from "../../modules/channel-alert/service"
import type { OperationalAlertCode } from "../../modules/channel-alert/policy"
import { operationalCauses, operationalKey, type ChannelHealth, type OperationalCause } from "./operational"
import { operationalRoutes } from "./routing"

export type EvaluateAlertsResult = { raised: string[]; cleared: string[]; open: string[] }

/**
 * Checks every channel (operational.ts), raises an alert for each cause that has no open alert and
 * clears each open alert whose cause went away (a "Resolved" notice goes the same way). A raise of a
 * key raised within the dedupe window stays open but is not sent again (a flapping channel is quiet).
 */
export const evaluateOperationalAlertsStep = createStep(
  "evaluate-operational-alerts",
  async (input: { now?: string }, { container }) => {
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const alerts: ChannelAlertModuleService = container.resolve(CHANNEL_ALERT_MODULE)
    const opts = alerts.alertOptions()
    const now = input.now ? new Date(input.now) : new Date()
    const all = await channels.listChannels({}, { select: ["id", "name", "enabled", "settings", "created_at"] })
    const causes: OperationalCause[] = []
    for (const c of all) {
      const runs = await channels.listChannelImportRuns(
        { channel_id: c.id, status: ["succeeded", "failed"] } as any,
        { select: ["status", "error", "error_code", "started_at", "finished_at"], order: { started_at: "DESC" }, take: Math.max(1, opts.run_failures) }
      )
      const [lastSuccess] = await channels.listChannelImportRuns(
        { channel_id: c.id, status: "succeeded" } as any,
        { select: ["started_at", "finished_at"], order: { started_at: "DESC" }, take: 1 }
      )
      const [, failed] = await channels.listAndCountChannelOrders(
        { channel_id: c.id, state: "failed", updated_at: { $gt: new Date(now.getTime() - 3_600_000) } } as any,
        { select: ["id"], take: 1 }
      )
      const [, unconfirmed] = await channels.listAndCountChannelFeedbacks(
        { channel_id: c.id, state: ["pending", "sending", "sent", "failed"], created_at: { $lt: new Date(now.getTime() - opts.feedback_unconfirmed_hours * 3_600_000) } } as any,
        { select: ["id"], take: 1 }
      )
      let interval = 15
      try {
        interval = parseChannelSettings(c.settings as any).pull_interval_minutes
      } catch {
        interval = 15
      }
      const health: ChannelHealth = {
        channel: { id: c.id, name: c.name, enabled: c.enabled, created_at: (c as any).created_at, pull_interval_minutes: interval },
        recent_runs: runs as any,
        last_success_at: lastSuccess ? ((lastSuccess as any).finished_at ?? (lastSuccess as any).started_at) : null,
        failed_last_hour: failed,
        unconfirmed_feedback: unconfirmed,
      }
      causes.push(...operationalCauses(health, opts, now))
    }
    const open = await alerts.listChannelAlerts({ source: "operational", state: "open" }, { take: 10_000 })
    const openKeys = new Map(open.map((a) => [a.key, a]))
    const causeKeys = new Set(causes.map((c) => operationalKey(c.code, c.channel_id)))
    const destinations = await alerts.listChannelAlertDestinations({ enabled: true }, { select: ["id", "kind", "enabled", "recipients", "operational_alerts"] })
    const result: EvaluateAlertsResult = { raised: [], cleared: [], open: [] }
    for (const c of causes) {
      const key = operationalKey(c.code, c.channel_id)
      if (openKeys.has(key)) {
        result.open.push(openKeys.get(key)!.id)
        continue
      }
      const raised = await alerts.raiseAlert(
        {
          source: "operational",
          code: c.code,
          key,
          group_key: key,
          state: "open",
          severity: c.severity,
          title: c.title,
          message: c.message,
          channel_id: c.channel_id,
          data: c.data,
          routes: operationalRoutes(c.code, destinations as any, opts.feed),
        },
        now
      )
      if (raised.already_open) result.open.push(raised.alert_id)
      else result.raised.push(raised.alert_id)
    }
    for (const a of open) {
      if (causeKeys.has(a.key)) continue
      await alerts.updateChannelAlerts({ id: a.id, state: "cleared", cleared_at: now })
      result.cleared.push(a.id)
      if (a.suppressed) continue
      await alerts.raiseAlert(
        {
          source: "operational",
          code: a.code,
          key: `cleared:${a.key}`,
          group_key: `cleared:${a.key}`,
          severity: "info",
          title: `Resolved: ${a.title}`,
          message: `Resolved: ${a.message}`,
          channel_id: a.channel_id,
          data: { cleared_alert_id: a.id },
          routes: operationalRoutes(a.code as OperationalAlertCode, destinations as any, opts.feed),
        },
        now
      )
    }
    return new StepResponse(result)
  }
)

export const evaluateOperationalAlertsWorkflow = createWorkflow("channel-orders-evaluate-alerts", (input: { now?: string }) => {
  return new WorkflowResponse(evaluateOperationalAlertsStep(input))
})
