import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { NewChannelFeedbackRow } from "../../modules/channel/service"
import { recordChannelOrderEventsStep } from "../import-orders/steps/record-channel-order-events"
import { FEEDBACK_EVENT_TYPE, NO_CANCEL_FEEDBACK_ACTIONS } from "./policy"
import { loadCancelFeedbackContextStep, type CancelFeedbackContext } from "./steps/load-cancel-feedback-context"
import { recordChannelFeedbackStep } from "./steps/record-channel-feedback"

export const MANUAL_CANCEL_REQUIRED = "manual_cancel_required"

/**
 * The cancel outbox row of a canceled channel order, or null with the reason. Orders the import
 * created canceled (or already shipped) and orders the marketplace canceled itself send nothing;
 * a marketplace without a cancel API gets a failed row `manual_cancel_required`, so the admin
 * sees that the order must be canceled on the marketplace by hand.
 */
export function buildCancelFeedback(context: CancelFeedbackContext, now: Date): { row: NewChannelFeedbackRow | null; skip: string | null } {
  if (context.skip) return { row: null, skip: context.skip }
  const co = context.channel_order!
  if (co.action && NO_CANCEL_FEEDBACK_ACTIONS.has(co.action)) return { row: null, skip: `imported_as_${co.action}` }
  if (context.canceled_on_marketplace) return { row: null, skip: "canceled_on_marketplace" }
  const base: NewChannelFeedbackRow = {
    channel_id: co.channel_id,
    channel_order_id: co.id,
    order_id: context.order_id,
    fulfillment_id: null,
    kind: "cancel",
  }
  if (!context.can_cancel) {
    return {
      row: {
        ...base,
        state: "failed",
        next_attempt_at: null,
        error_code: MANUAL_CANCEL_REQUIRED,
        error_message: `The ${context.provider_id} channel cannot cancel orders through its API: cancel order ${co.external_id} on the marketplace by hand`,
      },
      skip: null,
    }
  }
  return { row: { ...base, state: "pending", next_attempt_at: now }, skip: null }
}

/** `order.canceled` on an imported order → a cancellation for the marketplace (outbox row). */
export const recordCancelFeedbackWorkflow = createWorkflow(
  "channel-orders-record-cancel-feedback",
  (input: { order_id: string; now?: string }) => {
    const context = loadCancelFeedbackContextStep(transform({ input }, ({ input }) => ({ order_id: input.order_id })))
    const built = transform({ context, input }, ({ context, input }) =>
      buildCancelFeedback(context, input.now ? new Date(input.now) : new Date())
    )
    const recorded = recordChannelFeedbackStep(transform({ built }, ({ built }) => (built.row ? [built.row] : [])))
    recordChannelOrderEventsStep(
      transform({ recorded }, ({ recorded }) =>
        recorded.map((row: any) => ({
          channel_order_id: row.channel_order_id,
          order_id: row.order_id,
          type: FEEDBACK_EVENT_TYPE,
          message:
            row.state === "failed"
              ? `Order canceled in Medusa; ${row.error_message}`
              : "Order canceled in Medusa; cancellation queued for the marketplace",
          data: { feedback_id: row.id, kind: "cancel", action: "recorded", state: row.state, error_code: row.error_code ?? null },
        }))
      )
    )
    return new WorkflowResponse(
      transform({ recorded, built }, ({ recorded, built }) => ({
        recorded: recorded.map((r: any) => r.id as string),
        skip: built.skip,
      }))
    )
  }
)
