import { z } from "@medusajs/framework/zod"
import { STATUS_ACTIONS } from "../../../modules/channel/types/provider"

/**
 * Bodies are strict (an unknown top-level key is a 400 naming it). Settings and credential keys depend
 * on the provider, so `refuseUnknownChannelKeys` checks them next (src/modules/channel/settings-keys.ts).
 */
export const PostChannel = z.strictObject({
  name: z.string().trim().min(1).max(200),
  provider: z.string().min(1),
  enabled: z.boolean().optional(),
  credentials: z.record(z.string(), z.any()).optional(),
  settings: z.record(z.string(), z.any()).optional(),
})
export type PostChannelType = z.infer<typeof PostChannel>

export const UpdateChannel = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  enabled: z.boolean().optional(),
  /** Replaces the stored credentials; omit to keep them, `null` to remove them. */
  credentials: z.record(z.string(), z.any()).nullable().optional(),
  /** Merged into the stored settings. */
  settings: z.record(z.string(), z.any()).optional(),
})
export type UpdateChannelType = z.infer<typeof UpdateChannel>

export const PutStatusRules = z.object({
  status_rules: z.array(
    z.object({
      external_status: z.string().trim().min(1).max(100),
      action: z.enum(STATUS_ACTIONS),
      retry: z.boolean(),
    })
  ),
})
export type PutStatusRulesType = z.infer<typeof PutStatusRules>

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})

export const SandboxOrders = z.object({
  orders: z.array(z.record(z.string(), z.any())).min(1).max(1000),
})
export type SandboxOrdersType = z.infer<typeof SandboxOrders>

export const SandboxStatus = z.strictObject({ status: z.string().trim().min(1) })
export type SandboxStatusType = z.infer<typeof SandboxStatus>

export const PostImport = z.object({}).loose()

export const PostSkuMapping = z.strictObject({
  external_sku: z.string().trim().min(1).max(200),
  variant_id: z.string().min(1),
})
export type PostSkuMappingType = z.infer<typeof PostSkuMapping>
