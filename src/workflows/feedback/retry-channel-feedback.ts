import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { recordChannelOrderEventsStep } from "../import-orders/steps/record-channel-order-events"
import { FEEDBACK_EVENT_TYPE } from "./policy"
import { planChannelFeedbackRetryStep, requeueChannelFeedbackStep } from "./steps/requeue-channel-feedback"

/**
 * `POST /admin/channel-feedback/:id/retry`: a failed item goes back to the queue, its carrier
 * recomputed from the channel's current mapping; the next delivery pass sends it.
 */
export const retryChannelFeedbackWorkflow = createWorkflow("channel-orders-retry-channel-feedback", (input: { id: string; now?: string }) => {
  const plan = planChannelFeedbackRetryStep(transform({ input }, ({ input }) => ({ id: input.id })))
  const updated = requeueChannelFeedbackStep(
    transform({ plan, input }, ({ plan, input }) => ({ plan, now: input.now ?? new Date().toISOString() }))
  )
  recordChannelOrderEventsStep(
    transform({ plan }, ({ plan }) => [
      {
        channel_order_id: plan.channel_order_id,
        order_id: plan.order_id,
        type: FEEDBACK_EVENT_TYPE,
        message:
          `${plan.kind === "cancel" ? "Cancellation" : "Shipment feedback"} queued again by an admin (was ${plan.previous.error_code ?? "failed"})` +
          (plan.kind === "shipment"
            ? plan.carrier_code
              ? `; carrier ${plan.carrier_code} from the mapping of ${plan.mapped_from}`
              : "; the carrier is still not mapped"
            : ""),
        data: {
          feedback_id: plan.id,
          kind: plan.kind,
          action: "retry",
          previous_error_code: plan.previous.error_code,
          carrier_code: plan.carrier_code,
        },
      },
    ])
  )
  return new WorkflowResponse(updated)
})
