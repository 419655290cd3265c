import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"
import type { FeedbackOutcome } from "./send-channel-feedback"

/**
 * Writes an attempt's outcome if this process still holds the claim. No compensation: what the
 * marketplace answered is a fact, and undoing it would only make the row be sent again.
 */
export const settleChannelFeedbackStep = createStep(
  "settle-channel-feedback",
  async (outcome: FeedbackOutcome | null, { container }) => {
    if (!outcome) return new StepResponse(false)
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const settled = await channels.settleChannelFeedback(
      outcome.feedback_id,
      { state: outcome.claim.state, attempts: outcome.claim.attempts, lease_until: new Date(outcome.claim.lease_until) },
      {
        state: outcome.state,
        next_attempt_at: outcome.next_attempt_at ? new Date(outcome.next_attempt_at) : null,
        error_code: outcome.error_code,
        error_message: outcome.error_message,
        response: outcome.response,
      }
    )
    if (!settled) {
      container
        .resolve(ContainerRegistrationKeys.LOGGER)
        .warn(`Channel feedback ${outcome.feedback_id}: the claim expired before the outcome (${outcome.state}) was written; another process owns it now`)
    }
    return new StepResponse(settled)
  }
)
