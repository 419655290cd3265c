import type { MedusaContainer } from "@medusajs/framework/types"
import { CHANNEL_MODULE } from "../../src/modules/channel"
import type ChannelModuleService from "../../src/modules/channel/service"
import type { SeededStore } from "../../src/scripts/seed-store"
import { runChannelFeedbackPass, type FeedbackPassOptions } from "../../src/workflows/feedback/run-feedback-pass"
import { LEASE_MS } from "../../src/workflows/feedback/policy"

export const channelsOf = (container: MedusaContainer): ChannelModuleService => container.resolve(CHANNEL_MODULE)

export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const started = Date.now()
  for (;;) {
    const v = await fn()
    if (v) return v as T
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** The order's lines as [line item id, sku, quantity]. */
export async function orderLines(api: any, auth: any, orderId: string): Promise<Array<{ id: string; sku: string; quantity: number; external_item_id: string }>> {
  const { data } = await api.get(`/admin/orders/${orderId}?fields=id,*items,*fulfillments`, auth)
  return data.order.items.map((i: any) => ({
    id: i.id,
    sku: i.variant_sku,
    quantity: Number(i.quantity),
    external_item_id: i.metadata?.external_item_id,
  }))
}

async function fulfillmentIds(api: any, auth: any, orderId: string): Promise<string[]> {
  const { data } = await api.get(`/admin/orders/${orderId}?fields=id,*fulfillments`, auth)
  return (data.order.fulfillments ?? []).map((f: any) => f.id)
}

/**
 * Fulfils and ships through Medusa's admin API, as a warehouse user would: `lines` are [sku, qty]
 * (all lines in full when omitted). Returns the fulfillment id.
 */
export async function shipThroughAdmin(
  api: any,
  auth: any,
  store: SeededStore,
  orderId: string,
  opts: { lines?: Array<[string, number]>; tracking?: string[] } = {}
): Promise<string> {
  const lines = await orderLines(api, auth, orderId)
  const items = opts.lines
    ? opts.lines.map(([sku, quantity]) => {
        const line = lines.find((l) => l.sku === sku)
        if (!line) throw new Error(`order ${orderId} has no line ${sku}`)
        return { id: line.id, quantity }
      })
    : lines.map((l) => ({ id: l.id, quantity: l.quantity }))
  const before = new Set(await fulfillmentIds(api, auth, orderId))
  await api.post(`/admin/orders/${orderId}/fulfillments`, { items, location_id: store.stock_location_id }, auth)
  const fulfillmentId = (await fulfillmentIds(api, auth, orderId)).find((id) => !before.has(id))
  if (!fulfillmentId) throw new Error("no new fulfillment")
  const tracking = opts.tracking ?? ["1Z999AA10123456784"]
  await api.post(
    `/admin/orders/${orderId}/fulfillments/${fulfillmentId}/shipments`,
    {
      items,
      labels: tracking.map((t) => ({
        tracking_number: t,
        tracking_url: `https://track.example/${encodeURIComponent(t)}`,
        label_url: `https://labels.example/${encodeURIComponent(t)}.pdf`,
      })),
    },
    auth
  )
  return fulfillmentId
}

/** The outbox row of a fulfillment, once the subscriber wrote it. */
export async function feedbackFor(container: MedusaContainer, fulfillmentId: string, timeoutMs = 10_000): Promise<any> {
  return waitFor(async () => (await channelsOf(container).listChannelFeedbacks({ fulfillment_id: fulfillmentId }))[0], `feedback of ${fulfillmentId}`, timeoutMs)
}

export async function cancelFeedbackFor(container: MedusaContainer, orderId: string, timeoutMs = 10_000): Promise<any> {
  return waitFor(
    async () => (await channelsOf(container).listChannelFeedbacks({ order_id: orderId, kind: "cancel" }))[0],
    `cancel feedback of ${orderId}`,
    timeoutMs
  )
}

export async function feedbackRow(container: MedusaContainer, id: string): Promise<any> {
  return channelsOf(container).retrieveChannelFeedback(id)
}

/** One delivery pass now (or at `now`), as the job would run it. */
export async function deliverNow(container: MedusaContainer, opts: FeedbackPassOptions = {}) {
  return runChannelFeedbackPass(container, opts)
}

/** A pass late enough for a row's backoff (or a verification delay) to be due. */
export async function deliverWhenDue(container: MedusaContainer, id: string, opts: FeedbackPassOptions = {}) {
  const row = await feedbackRow(container, id)
  const at = row.next_attempt_at ? new Date(row.next_attempt_at).getTime() + 1 : Date.now()
  return runChannelFeedbackPass(container, { ...opts, now: new Date(Math.max(Date.now(), at)) })
}

export const AFTER_LEASE = () => new Date(Date.now() + LEASE_MS + 1_000)

/** The feedback entries of a channel order's timeline, oldest first. */
export async function feedbackTimeline(container: MedusaContainer, channelOrderId: string) {
  const events = await channelsOf(container).listChannelOrderEvents(
    { channel_order_id: channelOrderId, type: "feedback" },
    { order: { created_at: "ASC" } }
  )
  return events.map((e: any) => ({ message: e.message as string, data: e.data as Record<string, any> }))
}
