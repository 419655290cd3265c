import { model } from "@medusajs/framework/utils"

/**
 * What an export with status updates did to one order: `exporting` while its file is being written,
 * `exported` (when, in which file) once it is, `export_failed` with the reason when writing failed.
 * One row per order and export configuration: an exported order is not exported again by it.
 */
export const OrderExportRecord = model
  .define("order_export_record", {
    id: model.id({ prefix: "oexr" }).primaryKey(),
    order_export_id: model.text(),
    order_id: model.text(),
    run_id: model.text().nullable(),
    state: model.enum(["exporting", "exported", "export_failed"]),
    file: model.text().nullable(),
    exported_at: model.dateTime().nullable(),
    error: model.text().nullable(),
  })
  .indexes([{ on: ["order_export_id", "order_id"], unique: true }, { on: ["order_id"] }])
