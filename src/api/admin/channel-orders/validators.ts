import { z } from "@medusajs/framework/zod"
import { CHANNEL_ORDER_STATES } from "../../../modules/channel/types/states"

const oneOrMany = <T extends z.ZodTypeAny>(t: T) => z.union([t, z.array(t)]).optional()

export const ListChannelOrdersQuery = z.object({
  channel_id: oneOrMany(z.string()),
  state: oneOrMany(z.enum(CHANNEL_ORDER_STATES)),
  external_id: oneOrMany(z.string()),
  order_id: z.string().optional(),
  error_code: oneOrMany(z.string()),
  /** Only non-final orders past their grace period (pending undecided, importing with an expired lease). */
  stuck: z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean()).optional(),
  /** Orders carrying this tag (case-insensitive). */
  tag: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})
export type ListChannelOrdersQueryType = z.infer<typeof ListChannelOrdersQuery>
