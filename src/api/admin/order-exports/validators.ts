import { z } from "@medusajs/framework/zod"
import { EXPORT_FORMATS } from "../../../modules/order-transfer/models/order-export"
import { STATUS_IMPORT_FORMATS } from "../../../modules/order-transfer/models/status-import"

/**
 * Bodies of /admin/order-exports and /admin/status-imports. Strict: an unknown key is a 400 naming it.
 * A location's secrets (SFTP password, private key and its passphrase; a URL's Authorization header)
 * are write-only: inline in the location or in `credentials`; sealed at rest, never answered.
 */
const secret = z.string().min(1).max(20_000).optional()

const DirectoryLocation = z.strictObject({ type: z.literal("directory"), path: z.string().trim().min(1).max(1000) })
const SftpLocation = z.strictObject({
  type: z.literal("sftp"),
  host: z.string().trim().min(1).max(255),
  port: z.number().int().min(1).max(65535).optional(),
  username: z.string().trim().min(1).max(255),
  path: z.string().trim().min(1).max(1000),
  host_key_fingerprint: z.string().trim().min(1).max(200).optional(),
  password: secret,
  private_key: secret,
  passphrase: secret,
})
const UrlLocation = z.strictObject({ type: z.literal("url"), url: z.string().url().max(2000), authorization: secret })

export const Destination = z.discriminatedUnion("type", [DirectoryLocation, SftpLocation])
export const Source = z.discriminatedUnion("type", [DirectoryLocation, SftpLocation, UrlLocation])
export const Credentials = z.strictObject({ password: secret, private_key: secret, passphrase: secret, authorization: secret }).nullable().optional()

export const ORDER_STATUSES = ["pending", "completed", "canceled", "archived", "requires_action"] as const
export const FULFILLMENT_STATUSES = [
  "not_fulfilled",
  "partially_fulfilled",
  "fulfilled",
  "partially_shipped",
  "shipped",
  "partially_delivered",
  "delivered",
  "canceled",
] as const

export const Conditions = z.strictObject({
  channel_ids: z.array(z.string().min(1)).max(200).optional(),
  statuses: z.array(z.enum(ORDER_STATUSES)).optional(),
  fulfillment_statuses: z.array(z.enum(FULFILLMENT_STATUSES)).optional(),
  tags: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
  hold: z.enum(["any", "on_hold", "not_on_hold"]).optional(),
  since_last_export: z.enum(["created", "updated"]).nullable().optional(),
})

const common = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).nullable().optional(),
  enabled: z.boolean().optional(),
  /** Minutes between scheduled runs; null or absent: by the Run button only. */
  interval_minutes: z.number().int().min(1).max(7 * 24 * 60).nullable().optional(),
  credentials: Credentials,
}

export const PostOrderExport = z.strictObject({
  ...common,
  destination: Destination,
  format: z.enum(EXPORT_FORMATS).default("csv"),
  conditions: Conditions.default({}),
  status_updates: z.boolean().default(true),
})
export type PostOrderExportType = z.infer<typeof PostOrderExport>

export const UpdateOrderExport = z.strictObject({
  ...common,
  name: common.name.optional(),
  destination: Destination.optional(),
  format: z.enum(EXPORT_FORMATS).optional(),
  conditions: Conditions.optional(),
  status_updates: z.boolean().optional(),
})
export type UpdateOrderExportType = z.infer<typeof UpdateOrderExport>

export const PostStatusImport = z.strictObject({ ...common, source: Source, format: z.enum(STATUS_IMPORT_FORMATS).default("csv") })
export type PostStatusImportType = z.infer<typeof PostStatusImport>

export const UpdateStatusImport = z.strictObject({ ...common, name: common.name.optional(), source: Source.optional(), format: z.enum(STATUS_IMPORT_FORMATS).optional() })
export type UpdateStatusImportType = z.infer<typeof UpdateStatusImport>

export const ListTransfersQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})


