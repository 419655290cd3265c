import { z } from "@medusajs/framework/zod"

export const PostOrderTags = z.strictObject({ tags: z.array(z.string()).min(1).max(50) })
export type PostOrderTagsType = z.infer<typeof PostOrderTags>

export const PostOrderHold = z.strictObject({ detail: z.string().trim().max(1000).optional() })
export type PostOrderHoldType = z.infer<typeof PostOrderHold>

export const ReleaseOrderHold = z.strictObject({ note: z.string().trim().max(1000).optional() })
export type ReleaseOrderHoldType = z.infer<typeof ReleaseOrderHold>
