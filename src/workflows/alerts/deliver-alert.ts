import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { scrubSecrets } from "../../modules/channel/scrub"
import { CHANNEL_ALERT_MODULE } from "../../modules/channel-alert"
import type ChannelAlertModuleService from "../../modules/channel-alert/service"
import {
  ALERT_LEASE_MS,
  alertBackoffMs,
  DEFAULT_EMAIL_TEMPLATE,
  DELIVERY_HEADER,
  deliveryText,
  emailData,
  isRetryableStatus,
  redactUrl,
  SIGNATURE_HEADER,
  signAlertBody,
  webhookBody,
  webhookUrlProblem,
  type DeliveryContent,
  type WebhookFormat,
} from "../../modules/channel-alert/policy"

export type DeliverAlertResult = { id: string; outcome: "sent" | "retrying" | "failed" | "not_claimed"; error?: string | null }

class SendError extends Error {
  constructor(message: string, readonly retryable: boolean, readonly status: number | null = null, readonly response: unknown = null) {
    super(message)
  }
}

type Delivery = DeliveryContent & { destination_id: string | null; kind: "email" | "webhook" | "feed"; recipients: string[]; alert_ids: string[]; attempts: number }

async function send(container: MedusaContainer, d: Delivery): Promise<{ status: number | null; response: unknown }> {
  const alerts: ChannelAlertModuleService = container.resolve(CHANNEL_ALERT_MODULE)
  let destination: Record<string, any> | null = null
  if (d.destination_id) {
    ;[destination] = await alerts.listChannelAlertDestinations({ id: d.destination_id })
    if (!destination) throw new SendError("the destination was deleted", false)
    if (!destination.enabled) throw new SendError("the destination is disabled", false)
  }
  const notifications = container.resolve(Modules.NOTIFICATION)
  if (d.kind === "feed") {
    const t = deliveryText(d)
    const [n] = await notifications.createNotifications([
      {
        to: "",
        channel: "feed",
        template: "admin-ui",
        idempotency_key: `channel-alert-delivery:${d.id}`,
        data: { title: t.subject, description: [t.text, ...t.lines].join("\n") },
      },
    ])
    return { status: null, response: { notification_ids: [n?.id].filter(Boolean) } }
  }
  if (d.kind === "email") {
    const to = d.recipients ?? []
    if (!to.length) throw new SendError("no recipients", false)
    const template = destination?.template || DEFAULT_EMAIL_TEMPLATE
    const data = emailData(d)
    try {
      const created = await notifications.createNotifications(
        to.map((address) => ({ to: address, channel: "email", template, data, idempotency_key: `channel-alert-delivery:${d.id}:${address}` }))
      )
      return { status: null, response: { notification_ids: created.map((n: any) => n.id), template, to } }
    } catch (e: any) {
      throw new SendError(`e-mail not sent: ${e?.message ?? e}`, true)
    }
  }
  // webhook
  const url = alerts.destinationUrl(destination) ?? ""
  const problem = webhookUrlProblem(url, alerts.allowedHosts())
  if (problem) throw new SendError(problem, false)
  const body = JSON.stringify(webhookBody((destination?.format ?? "generic") as WebhookFormat, d, { alert_ids: d.alert_ids }))
  const secret = await alerts.webhookSecret(destination!.id)
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "medusa-channel-orders-alerts/1",
    [DELIVERY_HEADER]: d.id,
  }
  if (secret) headers[SIGNATURE_HEADER] = signAlertBody(secret, body)
  let res: Response
  try {
    res = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(15_000) })
  } catch (e: any) {
    throw new SendError(`webhook ${redactUrl(url)} did not answer: ${e?.name === "TimeoutError" ? "timeout" : e?.message ?? e}`, true)
  }
  const text = (await res.text().catch(() => "")).slice(0, 500)
  if (res.ok) return { status: res.status, response: { status: res.status, body: text } }
  throw new SendError(`webhook ${redactUrl(url)} answered ${res.status}`, isRetryableStatus(res.status), res.status, { status: res.status, body: text })
}

/** Claims one due delivery, sends it, and writes the outcome: sent, retrying (backoff) or failed. */
export const deliverChannelAlertStep = createStep("deliver-channel-alert", async (input: { id: string; now?: string }, { container }) => {
  const alerts: ChannelAlertModuleService = container.resolve(CHANNEL_ALERT_MODULE)
  const now = input.now ? new Date(input.now) : new Date()
  const claimed = await alerts.claimDelivery(input.id, now, ALERT_LEASE_MS)
  if (!claimed) return new StepResponse<DeliverAlertResult>({ id: input.id, outcome: "not_claimed" })
  const max = alerts.alertOptions().max_attempts
  try {
    const { status, response } = await send(container, claimed as Delivery)
    await alerts.settleDelivery(claimed.id, claimed.attempts, { state: "sent", status, response })
    return new StepResponse<DeliverAlertResult>({ id: claimed.id, outcome: "sent" })
  } catch (e: any) {
    const error = scrubSecrets(String(e?.message ?? e)).slice(0, 1000)
    const retry = e instanceof SendError ? e.retryable : true
    const giveUp = !retry || claimed.attempts >= max
    await alerts.settleDelivery(claimed.id, claimed.attempts, {
      state: giveUp ? "failed" : "retrying",
      next_attempt_at: giveUp ? null : new Date(now.getTime() + alertBackoffMs(claimed.attempts)),
      error,
      status: e instanceof SendError ? e.status : null,
      response: e instanceof SendError ? e.response : null,
    })
    container.resolve(ContainerRegistrationKeys.LOGGER).warn(`Channel alert ${claimed.id} ${giveUp ? "failed" : "will be retried"}: ${error}`)
    return new StepResponse<DeliverAlertResult>({ id: claimed.id, outcome: giveUp ? "failed" : "retrying", error })
  }
})

export const deliverChannelAlertWorkflow = createWorkflow("channel-orders-deliver-alert", (input: { id: string; now?: string }) => {
  return new WorkflowResponse(deliverChannelAlertStep(input))
})

/** Sends every due delivery once (the alerts job; exported for tests and scripts). */
export async function runAlertDeliveryPass(container: MedusaContainer, opts: { now?: Date } = {}) {
  const alerts: ChannelAlertModuleService = container.resolve(CHANNEL_ALERT_MODULE)
  const now = opts.now ?? new Date()
  const ids = await alerts.dueDeliveryIds(now)
  const outcomes: Record<string, number> = {}
  for (const id of ids) {
    const { result } = await deliverChannelAlertWorkflow(container).run({ input: { id, now: now.toISOString() } })
    outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1
  }
  return { due: ids.length, outcomes }
}
