import { createHook, createStep, createWorkflow, StepResponse, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { CHANNEL_MODULE } from "../../modules/channel"
import type ChannelModuleService from "../../modules/channel/service"
import { scrubSecrets } from "../../modules/channel/scrub"
import { failpoint } from "./failpoints"
import type { ChannelOrderEventInput } from "./steps/record-channel-order-events"

/** One order the marketplace wants accepted before it can ship (Mirakl OR21), and the lines to accept or refuse. */
export type ChannelOrderAcceptance = {
  channel_order_id: string
  external_order_id: string
  accept_item_ids: string[]
  refuse_item_ids: string[]
  raw_order?: unknown
}

export type AcceptChannelOrdersInput = { channel_id: string; orders: ChannelOrderAcceptance[] }

export type AcceptChannelOrdersResult = {
  /** Accepted now, each recorded on its timeline (`accepted`) the moment the marketplace answered. */
  accepted: Array<{ channel_order_id: string; event_id: string }>
  /** Already accepted by an earlier attempt (an `accepted` event exists): not sent again. */
  already: string[]
  failed: Array<{ channel_order_id: string; message: string; code: string | null }>
}

/**
 * Sends each acceptance through the provider's `acceptOrder` capability, once per order: an order
 * whose timeline already holds `accepted` is not sent again, and each accept is recorded right after
 * the marketplace answered, so a retry (or the next run after a crash) never accepts twice.
 *
 * Compensation: an accept cannot be undone on the marketplace (Mirakl has no "un-accept"). When a
 * later step of the workflow fails, the `accepted` events stay (they are the truth: the marketplace
 * did accept) and an `accept_kept` event says so; the channel order itself stays `waiting`, and the
 * next run reads its new marketplace status (WAITING_DEBIT_PAYMENT, then SHIPPING) and imports it.
 */
export const acceptChannelOrdersStep = createStep(
  "channel-orders-accept-on-marketplace",
  async (input: AcceptChannelOrdersInput, { container }) => {
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const result: AcceptChannelOrdersResult = { accepted: [], already: [], failed: [] }
    if (!input.orders.length) return new StepResponse(result, result.accepted)
    const { provider, ctx } = await channels.getChannelContext(input.channel_id)
    if (!provider.acceptOrder) return new StepResponse(result, result.accepted)
    const done = await channels.listChannelOrderEvents({ channel_order_id: input.orders.map((o) => o.channel_order_id), type: "accepted" }, { select: ["channel_order_id"] })
    const before = new Set(done.map((e) => e.channel_order_id))
    for (const o of input.orders) {
      if (before.has(o.channel_order_id)) {
        result.already.push(o.channel_order_id)
        continue
      }
      try {
        await provider.acceptOrder(ctx, { external_order_id: o.external_order_id, accept_item_ids: o.accept_item_ids, refuse_item_ids: o.refuse_item_ids, raw_order: o.raw_order })
      } catch (e: any) {
        const message = `Could not accept the order: ${scrubSecrets(String(e?.message ?? e), ctx?.credentials)}`
        result.failed.push({ channel_order_id: o.channel_order_id, message, code: e?.code ?? null })
        await channels.createChannelOrderEvents([{ channel_order_id: o.channel_order_id, type: "accept_failed", message, data: { code: e?.code ?? null } }] as any)
        continue
      }
      // The marketplace has accepted; a death here leaves no record of it (the crash suite's case).
      await failpoint("after-accept")
      const accept = o.accept_item_ids.length
      const refuse = o.refuse_item_ids.length
      const event = await channels.createChannelOrderEvents(
        {
          channel_order_id: o.channel_order_id,
          type: "accepted",
          message: `Accepted ${accept} line(s)${refuse ? `, refused ${refuse} with unknown SKUs` : ""}`,
          data: { accept: o.accept_item_ids, refuse: o.refuse_item_ids },
        } as any)
      result.accepted.push({ channel_order_id: o.channel_order_id, event_id: event.id })
    }
    return new StepResponse(result, result.accepted)
  },
  async (accepted, { container }) => {
    if (!accepted?.length) return
    // The marketplace keeps the accept: record that it happened instead of pretending to undo it.
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const events: ChannelOrderEventInput[] = accepted.map((a) => ({
      channel_order_id: a.channel_order_id,
      type: "accept_kept",
      message: "The import step after the acceptance failed; the marketplace keeps the acceptance, and the next run imports the order when its status allows",
      data: { accepted_event_id: a.event_id },
    }))
    await channels.createChannelOrderEvents(events as any)
  }
)

/**
 * Accepts orders on the marketplace after the decision said they wait for acceptance (or import).
 * `ordersAccepted` lets a store act on the acceptances (notify, reserve ahead); if its handler throws,
 * the step's compensation records that the accepts stand.
 */
export const acceptChannelOrdersWorkflow = createWorkflow("channel-orders-accept-channel-orders", (input: AcceptChannelOrdersInput) => {
  const result = acceptChannelOrdersStep(input)
  const ordersAccepted = createHook("ordersAccepted", { channel_id: input.channel_id, accepted: transform(result, (r) => r.accepted) })
  return new WorkflowResponse(result, { hooks: [ordersAccepted] })
})
