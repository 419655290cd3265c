import { z } from "@medusajs/framework/zod"
import { CHANNEL_ORDER_STATES, HOLD_REASONS } from "../../../modules/channel/types/states"
import { TAG_MAX_LENGTH } from "../../../workflows/tags/normalize"

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
  /** The marketplace desk's filters (issue 20); PostgreSQL text cannot hold a NUL character. */
  external_status: oneOrMany(z.string().max(200).refine((v) => !v.includes("\u0000"), "must not contain NUL")),
  hold_reason: oneOrMany(z.enum(HOLD_REASONS)),
  on_hold: z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean()).optional(),
  /** A marketplace order number (exact or prefix) or a Medusa display id (`1042` or `#1042`). */
  q: z.string().trim().min(1).max(200).refine((v) => !v.includes("\u0000"), "must not contain NUL").optional(),
  created_from: z.string().datetime({ offset: true }).or(z.string().date()).optional(),
  created_to: z.string().datetime({ offset: true }).or(z.string().date()).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})
export type ListChannelOrdersQueryType = z.infer<typeof ListChannelOrdersQuery>

const ids = z.array(z.string().min(1).max(100).refine((v) => !v.includes("\u0000"), "must not contain NUL")).min(1).max(200)

/** `POST /admin/channel-orders/bulk`: one action on up to 200 channel orders. */
export const PostChannelOrdersBulk = z.discriminatedUnion("action", [
  z.strictObject({ action: z.literal("retry"), ids }),
  z.strictObject({ action: z.literal("ignore"), ids }),
  z.strictObject({
    action: z.literal("release_holds"),
    ids,
    note: z.string().trim().max(1000).optional(),
    /** Only holds with these reasons; every open hold without it. */
    reasons: z.array(z.enum(HOLD_REASONS)).min(1).optional(),
  }),
  z.strictObject({ action: z.literal("add_tag"), ids, tag: z.string().trim().min(1).max(TAG_MAX_LENGTH).refine((v) => !v.includes("\u0000"), "must not contain NUL") }),
  z.strictObject({ action: z.literal("remove_tag"), ids, tag: z.string().trim().min(1).max(TAG_MAX_LENGTH).refine((v) => !v.includes("\u0000"), "must not contain NUL") }),
])
export type PostChannelOrdersBulkType = z.infer<typeof PostChannelOrdersBulk>
