import { MedusaError } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { CHANNEL_ALERT_MODULE } from "../../modules/channel-alert"
import type ChannelAlertModuleService from "../../modules/channel-alert/service"
import { webhookUrlProblem } from "../../modules/channel-alert/policy"
import { CHANNEL_MODULE } from "../../modules/channel"
import { deliverChannelAlertStep } from "./deliver-alert"
import type ChannelModuleService from "../../modules/channel/service"

export type SaveAlertDestinationInput = {
  id?: string
  data: {
    name?: string
    kind?: "email" | "webhook" | "feed"
    enabled?: boolean
    recipients?: string[]
    template?: string | null
    url?: string | null
    format?: "slack" | "teams" | "generic" | null
    secret?: string | null
    operational_alerts?: string[]
  }
}

const COLUMNS = ["name", "kind", "enabled", "recipients", "template", "url", "format", "secret_encrypted", "operational_alerts"] as const

/**
 * Creates or changes a destination, checked as a whole: an e-mail destination needs recipients, a
 * webhook an allowed URL (https; http only for allowed_hosts outside production). The URL and the
 * secret are sealed with the plugin's encryption key; leaving them out keeps the stored ones.
 */
export const saveAlertDestinationStep = createStep(
  "save-alert-destination",
  async (input: SaveAlertDestinationInput, { container }) => {
    const alerts: ChannelAlertModuleService = container.resolve(CHANNEL_ALERT_MODULE)
    const before = input.id ? await alerts.retrieveChannelAlertDestination(input.id) : null
    const d = input.data
    const kind = (before?.kind ?? d.kind) as string
    const problems: string[] = []
    const recipients = d.recipients ?? (before?.recipients as string[] | undefined) ?? []
    if (kind === "email" && !recipients.length) problems.push("recipients: an e-mail destination needs at least one address")
    if (kind !== "email" && d.recipients?.length) problems.push(`recipients: only e-mail destinations have recipients`)
    if (kind !== "webhook" && (d.url || d.secret || d.format)) problems.push("url, format and secret are for webhook destinations")
    if (kind !== "email" && d.template) problems.push("template is for e-mail destinations")
    const row: Record<string, unknown> = {}
    if (d.name !== undefined) row.name = d.name
    if (!before) row.kind = kind
    if (d.enabled !== undefined) row.enabled = d.enabled
    if (d.recipients !== undefined) row.recipients = d.recipients
    if (d.template !== undefined) row.template = d.template
    if (d.operational_alerts !== undefined) row.operational_alerts = d.operational_alerts
    if (kind === "webhook") {
      if (d.url !== undefined || !before) {
        const problem = webhookUrlProblem(d.url, alerts.allowedHosts())
        if (problem) problems.push(problem)
        else row.url = alerts.sealSecret(String(d.url).trim())
      }
      if (d.format !== undefined || !before) row.format = d.format ?? "generic"
      if (d.secret !== undefined) row.secret_encrypted = d.secret ? alerts.sealSecret(d.secret) : null
    }
    if (problems.length) throw new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid alert destination: ${problems.join("; ")}`)
    if (before) {
      const updated = await alerts.updateChannelAlertDestinations({ id: before.id, ...row } as any)
      const restore = Object.fromEntries(COLUMNS.filter((k) => k !== "kind").map((k) => [k, (before as any)[k]]))
      return new StepResponse(updated as Record<string, any>, { created_id: null as string | null, restore: { id: before.id, ...restore } as Record<string, any> | null })
    }
    const created = await alerts.createChannelAlertDestinations(row as any)
    return new StepResponse(created as Record<string, any>, { created_id: created.id as string | null, restore: null as Record<string, any> | null })
  },
  async (comp, { container }) => {
    if (!comp) return
    const alerts: ChannelAlertModuleService = container.resolve(CHANNEL_ALERT_MODULE)
    if (comp.created_id) await alerts.deleteChannelAlertDestinations(comp.created_id)
    if (comp.restore) await alerts.updateChannelAlertDestinations(comp.restore as any)
  }
)

export const saveAlertDestinationWorkflow = createWorkflow("channel-orders-save-alert-destination", (input: SaveAlertDestinationInput) => {
  return new WorkflowResponse(saveAlertDestinationStep(input))
})

/** Deletes a destination no import rule names (409 listing the rules otherwise). */
export const deleteAlertDestinationStep = createStep(
  "delete-alert-destination",
  async (input: { id: string }, { container }) => {
    const alerts: ChannelAlertModuleService = container.resolve(CHANNEL_ALERT_MODULE)
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    await alerts.retrieveChannelAlertDestination(input.id)
    const rules = await channels.listImportRules({}, { select: ["id", "name", "actions"] })
    const using = rules.filter((r: any) => (r.actions ?? []).some((a: any) => a?.type === "alert" && (a.destination_ids ?? []).includes(input.id)))
    if (using.length) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `The destination is used by import rule(s) ${using.map((r: any) => `"${r.name}"`).join(", ")}: remove it from their alert actions first`
      )
    }
    await alerts.softDeleteChannelAlertDestinations(input.id)
    return new StepResponse({ id: input.id }, input.id)
  },
  async (id, { container }) => {
    if (!id) return
    await (container.resolve(CHANNEL_ALERT_MODULE) as ChannelAlertModuleService).restoreChannelAlertDestinations(id)
  }
)

export const deleteAlertDestinationWorkflow = createWorkflow("channel-orders-delete-alert-destination", (input: { id: string }) => {
  return new WorkflowResponse(deleteAlertDestinationStep(input))
})

/** Sends a test alert to one destination now (no dedupe, no gathering) and returns the delivery with its outcome. */
export const testAlertDestinationStep = createStep(
  "test-alert-destination",
  async (input: { id: string; message?: string; now?: string }, { container }) => {
    const alerts: ChannelAlertModuleService = container.resolve(CHANNEL_ALERT_MODULE)
    const d = await alerts.retrieveChannelAlertDestination(input.id)
    const now = input.now ? new Date(input.now) : new Date()
    const raised = await alerts.raiseAlert(
      {
        source: "test",
        code: "test",
        key: `test:${d.id}:${now.getTime()}`,
        group_key: `test:${d.id}:${now.getTime()}`,
        severity: "info",
        title: `Test alert from medusa-channel-orders`,
        message: input.message ?? `This is a test of the alert destination "${d.name}".`,
        routes: [{ destination_id: d.id, kind: d.kind as any, recipients: d.kind === "email" ? ((d.recipients as unknown as string[]) ?? []) : undefined }],
        force: true,
      },
      now
    )
    // Due at once: a test is not gathered into a digest.
    await alerts.updateChannelAlertDeliveries(raised.delivery_ids.map((id) => ({ id, next_attempt_at: now })) as any)
    return new StepResponse({ alert_id: raised.alert_id, delivery_ids: raised.delivery_ids })
  }
)

export const testAlertDestinationWorkflow = createWorkflow(
  "channel-orders-test-alert-destination",
  (input: { id: string; message?: string; now?: string }) => {
    const raised = testAlertDestinationStep(input)
    const target = transform({ raised, input }, ({ raised, input }) => ({ id: raised.delivery_ids[0], now: input.now }))
    const outcome = deliverChannelAlertStep(target)
    return new WorkflowResponse({ alert_id: raised.alert_id, delivery_id: target.id, outcome })
  }
)
