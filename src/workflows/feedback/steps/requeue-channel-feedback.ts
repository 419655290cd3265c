import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"
import { parseChannelSettings } from "../../../modules/channel/settings"
import { resolveCarrier } from "../policy"

export type RequeuePlan = {
  id: string
  channel_order_id: string
  order_id: string
  kind: string
  previous: { state: string; attempts: number; next_attempt_at: Date | null; error_code: string | null; error_message: string | null; carrier_code: string | null; carrier_name: string | null }
  carrier_code: string | null
  carrier_name: string | null
  mapped_from: string | null
}

/**
 * Prepares the retry of a failed item: only `failed` rows are retried, and a shipment's carrier is
 * computed again from the channel's current carrier_mapping (the usual fix is a mapping added).
 */
export const planChannelFeedbackRetryStep = createStep(
  "plan-channel-feedback-retry",
  async (input: { id: string }, { container }) => {
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const row = await channels.retrieveChannelFeedback(input.id)
    // A `sent` row the marketplace never showed (not_confirmed) says "retry the item if it is missing":
    // it can be, like a failed one.
    const retryable = row.state === "failed" || (row.state === "sent" && row.error_code === "not_confirmed")
    if (!retryable) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Channel feedback ${row.id} is ${row.state}; only failed or not_confirmed items can be retried`)
    }
    let carrier: ReturnType<typeof resolveCarrier> = null
    if (row.kind === "shipment" && row.fulfillment_id) {
      const channel = await channels.retrieveChannel(row.channel_id, { select: ["id", "settings"] })
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "fulfillment",
        fields: ["id", "shipping_option_id", "provider_id"],
        filters: { id: row.fulfillment_id },
      })
      const f = data[0] as any
      carrier = f ? resolveCarrier(parseChannelSettings(channel.settings).carrier_mapping, f) : null
    }
    const plan: RequeuePlan = {
      id: row.id,
      channel_order_id: row.channel_order_id,
      order_id: row.order_id,
      kind: row.kind,
      previous: {
        state: row.state,
        attempts: row.attempts,
        next_attempt_at: row.next_attempt_at ? new Date(row.next_attempt_at) : null,
        error_code: row.error_code ?? null,
        error_message: row.error_message ?? null,
        carrier_code: row.carrier_code ?? null,
        carrier_name: row.carrier_name ?? null,
      },
      carrier_code: row.kind === "shipment" ? carrier?.carrier_code ?? null : row.carrier_code ?? null,
      carrier_name: row.kind === "shipment" ? carrier?.carrier_name ?? null : row.carrier_name ?? null,
      mapped_from: carrier?.mapped_from ?? null,
    }
    return new StepResponse(plan)
  }
)

/** Puts a failed row back in the queue, due now, with a fresh attempt budget. Compensation restores it. */
export const requeueChannelFeedbackStep = createStep(
  "requeue-channel-feedback",
  async (input: { plan: RequeuePlan; now: string }, { container }) => {
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const { plan } = input
    const updated = await channels.updateChannelFeedbacks({
      id: plan.id,
      state: "pending",
      attempts: 0,
      next_attempt_at: new Date(input.now),
      error_code: null,
      error_message: null,
      carrier_code: plan.carrier_code,
      carrier_name: plan.carrier_name,
    })
    return new StepResponse(updated, plan)
  },
  async (plan, { container }) => {
    if (!plan) return
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    await channels.updateChannelFeedbacks({ id: plan.id, ...plan.previous } as any)
  }
)
