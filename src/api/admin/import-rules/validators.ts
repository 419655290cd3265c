import { z } from "@medusajs/framework/zod"

/** The dry run's body; the rule itself is validated by `parseImportRule` (every problem named). */
export const PostImportRuleDryRun = z.strictObject({
  channel_order_id: z.string().trim().min(1),
  rule: z.record(z.string(), z.unknown()).optional(),
  exclude_rule_id: z.string().trim().min(1).optional(),
})
export type PostImportRuleDryRunType = z.infer<typeof PostImportRuleDryRun>
