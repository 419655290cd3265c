import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { recordChannelOrderEventsStep } from "../import-orders/steps/record-channel-order-events"
import { FEEDBACK_EVENT_TYPE, LEASE_MS } from "./policy"
import { claimChannelFeedbackStep } from "./steps/claim-channel-feedback"
import { sendChannelFeedbackStep, verifyChannelFeedbackStep, type FeedbackOutcome } from "./steps/send-channel-feedback"
import { settleChannelFeedbackStep } from "./steps/settle-channel-feedback"

export type DeliverChannelFeedbackInput = {
  feedback_id: string
  /** ISO time the attempt counts as made at (tests move it forward); now by default. */
  now?: string
  lease_ms?: number
}

export type DeliverChannelFeedbackResult = {
  feedback_id: string
  /** False when the row was not due or another process had it. */
  claimed: boolean
  settled: boolean
  state: FeedbackOutcome["state"] | null
  called: boolean
  error_code: string | null
}

const resolveNow = (input: { now?: string }) => input.now ?? new Date().toISOString()

const timeline = (outcome: FeedbackOutcome | null, settled: boolean) =>
  outcome && settled
    ? [
        {
          channel_order_id: outcome.channel_order_id,
          order_id: outcome.order_id,
          type: FEEDBACK_EVENT_TYPE,
          message: outcome.event.message,
          data: outcome.event.data,
        },
      ]
    : []

const result = (input: { feedback_id: string }, outcome: FeedbackOutcome | null, settled: boolean): DeliverChannelFeedbackResult => ({
  feedback_id: input.feedback_id,
  claimed: !!outcome,
  settled,
  state: outcome?.state ?? null,
  called: outcome?.called ?? false,
  error_code: outcome?.error_code ?? null,
})

/**
 * Delivers one outbox row: claim it (so no other instance sends it), send it through the channel's
 * provider, write the outcome under the claim, and put the attempt on the channel order's timeline.
 */
export const deliverChannelFeedbackWorkflow = createWorkflow(
  "channel-orders-deliver-channel-feedback",
  (input: DeliverChannelFeedbackInput) => {
    const now = transform({ input }, ({ input }) => resolveNow(input))
    const claimed = claimChannelFeedbackStep(
      transform({ input, now }, ({ input, now }) => ({
        feedback_id: input.feedback_id,
        mode: "deliver" as const,
        now,
        lease_ms: input.lease_ms ?? LEASE_MS,
      }))
    )
    const outcome = sendChannelFeedbackStep(transform({ claimed, now }, ({ claimed, now }) => ({ claimed, now })))
    const settled = settleChannelFeedbackStep(outcome)
    recordChannelOrderEventsStep(transform({ outcome, settled }, ({ outcome, settled }) => timeline(outcome, settled)))
    return new WorkflowResponse(transform({ input, outcome, settled }, ({ input, outcome, settled }) => result(input, outcome, settled)))
  }
)

/** Reads one `sent` row back from the marketplace and promotes it to `confirmed`, reschedules or flags it. */
export const verifyChannelFeedbackWorkflow = createWorkflow(
  "channel-orders-verify-channel-feedback",
  (input: DeliverChannelFeedbackInput) => {
    const now = transform({ input }, ({ input }) => resolveNow(input))
    const claimed = claimChannelFeedbackStep(
      transform({ input, now }, ({ input, now }) => ({
        feedback_id: input.feedback_id,
        mode: "verify" as const,
        now,
        lease_ms: input.lease_ms ?? LEASE_MS,
      }))
    )
    const outcome = verifyChannelFeedbackStep(transform({ claimed, now }, ({ claimed, now }) => ({ claimed, now })))
    const settled = settleChannelFeedbackStep(outcome)
    recordChannelOrderEventsStep(transform({ outcome, settled }, ({ outcome, settled }) => timeline(outcome, settled)))
    return new WorkflowResponse(transform({ input, outcome, settled }, ({ input, outcome, settled }) => result(input, outcome, settled)))
  }
)
