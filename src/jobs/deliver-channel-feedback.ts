import type { MedusaContainer } from "@medusajs/framework/types"
import { scrubSecrets } from "../modules/channel/scrub"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { runChannelFeedbackPass, sweepMissedFeedback } from "../workflows/feedback/run-feedback-pass"

/**
 * Every minute: record shipments, completions and cancellations whose event was lost, then deliver due feedback (and read back
 * what was sent). Instances may tick at once: every row is claimed before it is sent.
 * `CHANNEL_FEEDBACK_DELIVERY=off` pauses delivery (rows wait in the outbox).
 */
export default async function deliverChannelFeedbackJob(container: MedusaContainer) {
  if (process.env.CHANNEL_FEEDBACK_DELIVERY === "off") return
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  try {
    const swept = await sweepMissedFeedback(container)
    if (swept.recorded.length) logger.warn(`Channel feedback: recorded ${swept.recorded.length} shipment(s) or cancellation(s) whose event was missed`)
  } catch (e) {
    logger.error(`Channel feedback sweep failed: ${scrubSecrets((e as Error).message)}`)
  }
  const pass = await runChannelFeedbackPass(container)
  if (pass.due) {
    const fmt = (m: Record<string, number>) => Object.entries(m).map(([k, v]) => `${v} ${k}`).join(", ") || "none"
    logger.info(
      `Channel feedback: ${pass.due} due; delivered: ${fmt(pass.delivered)}; read back: ${fmt(pass.verified)}; ${pass.not_claimed} taken by another process`
    )
  }
}

export const config = {
  name: "channel-orders-deliver-feedback",
  schedule: "* * * * *",
}
