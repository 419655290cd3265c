import { z } from "@medusajs/framework/zod"

const oneOrMany = <T extends z.ZodTypeAny>(t: T) => z.union([t, z.array(t)]).optional()

export const FEEDBACK_STATES = ["pending", "sending", "sent", "confirmed", "failed"] as const

export const ListChannelFeedbackQuery = z.object({
  state: oneOrMany(z.enum(FEEDBACK_STATES)),
  kind: oneOrMany(z.enum(["shipment", "cancel", "status"])),
  channel_id: oneOrMany(z.string()),
  order_id: oneOrMany(z.string()),
  channel_order_id: oneOrMany(z.string()),
  fulfillment_id: oneOrMany(z.string()),
  error_code: oneOrMany(z.string()),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})
export type ListChannelFeedbackQueryType = z.infer<typeof ListChannelFeedbackQuery>

export const PostChannelFeedbackRetry = z.object({}).strict()
