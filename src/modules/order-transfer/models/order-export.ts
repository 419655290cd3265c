import { model } from "@medusajs/framework/utils"

export const EXPORT_FORMATS = ["csv", "csv_items", "json", "jsonl"] as const

/**
 * An order export configuration: where (`destination`, a file location; its password or private key
 * sealed in `credentials_encrypted`), which orders (`conditions`), in which format, how often, and
 * whether exporting marks the orders (`status_updates`, on by default).
 */
export const OrderExport = model.define("order_export", {
  id: model.id({ prefix: "oexp" }).primaryKey(),
  name: model.text(),
  description: model.text().nullable(),
  enabled: model.boolean().default(true),
  interval_minutes: model.number().nullable(),
  destination: model.json(),
  credentials_encrypted: model.text().nullable(),
  format: model.enum([...EXPORT_FORMATS]).default("csv"),
  conditions: model.json().nullable(),
  status_updates: model.boolean().default(true),
  /** Start of the last run whose file was written: "created/updated since the last export" counts from here. */
  last_exported_at: model.dateTime().nullable(),
})
