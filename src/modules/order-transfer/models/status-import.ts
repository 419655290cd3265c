import { model } from "@medusajs/framework/utils"

export const STATUS_IMPORT_FORMATS = ["csv", "json", "jsonl"] as const

/** A status import configuration: where its files come from (`source`), their format, how often. */
export const StatusImport = model.define("status_import", {
  id: model.id({ prefix: "simp" }).primaryKey(),
  name: model.text(),
  description: model.text().nullable(),
  enabled: model.boolean().default(true),
  interval_minutes: model.number().nullable(),
  source: model.json(),
  credentials_encrypted: model.text().nullable(),
  format: model.enum([...STATUS_IMPORT_FORMATS]).default("csv"),
})
