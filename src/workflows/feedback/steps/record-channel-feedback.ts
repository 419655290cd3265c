import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"
import type { NewChannelFeedbackRow } from "../../../modules/channel/service"

/**
 * Writes outbox rows, idempotently: a row already recorded for the same (fulfillment, kind), or a
 * second cancel for the same order, is skipped by the database, so a redelivered event or a sweep
 * never doubles a confirmation. Returns the rows written now; compensation deletes exactly those.
 */
export const recordChannelFeedbackStep = createStep(
  "record-channel-feedback",
  async (rows: NewChannelFeedbackRow[], { container }) => {
    if (!rows.length) return new StepResponse([] as any[], [] as string[])
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const inserted = await channels.insertChannelFeedbacks(rows)
    return new StepResponse(inserted, inserted.map((r) => r.id as string))
  },
  async (ids, { container }) => {
    if (!ids?.length) return
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    await channels.deleteChannelFeedbacks(ids)
  }
)
