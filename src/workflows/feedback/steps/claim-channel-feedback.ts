import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MAX_ATTEMPTS } from "../policy"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"
import type { FeedbackRow } from "../policy"

export type ClaimChannelFeedbackInput = {
  feedback_id: string
  mode: "deliver" | "verify"
  /** ISO time; "due" and the lease are computed from it. */
  now: string
  lease_ms: number
}

export type ClaimedFeedback = FeedbackRow & {
  /** `sending` when the row was taken over from a process that died mid-send. */
  previous_state: string
  /** The fence: the outcome is only written while the row still holds this claim. */
  claim: { state: "sending" | "sent"; attempts: number; lease_until: string }
}

/**
 * Takes one row for this process (see ChannelModuleService.claimChannelFeedback): null when it is
 * not due or another instance holds it. No compensation on purpose: once claimed, a row may
 * already be on its way to the marketplace, so it is never silently put back; if this process dies,
 * the lease expires and the next claimer checks the marketplace before sending again.
 */
export const claimChannelFeedbackStep = createStep(
  "claim-channel-feedback",
  async (input: ClaimChannelFeedbackInput, { container }) => {
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const row = await channels.claimChannelFeedback(input.feedback_id, {
      mode: input.mode,
      now: new Date(input.now),
      lease_ms: input.lease_ms,
      max_attempts: MAX_ATTEMPTS,
    })
    if (!row) return new StepResponse(null as ClaimedFeedback | null)
    const claimed: ClaimedFeedback = {
      ...(row as unknown as FeedbackRow),
      previous_state: row.previous_state,
      claim: {
        state: input.mode === "deliver" ? "sending" : "sent",
        attempts: Number(row.attempts),
        lease_until: new Date(row.next_attempt_at).toISOString(),
      },
    }
    return new StepResponse(claimed as ClaimedFeedback | null)
  }
)
