import { model } from "@medusajs/framework/utils"

/**
 * One run of an export or a status import: its files, counts and errors. `errors` lists what failed
 * row by row (status imports) or order by order (exports): `{ file?, row?, order?, code, message }`.
 */
export const TransferRun = model
  .define("transfer_run", {
    id: model.id({ prefix: "xrun" }).primaryKey(),
    kind: model.enum(["order_export", "status_import"]),
    configuration_id: model.text(),
    trigger: model.enum(["schedule", "manual"]),
    status: model.enum(["running", "succeeded", "partial", "failed"]).default("running"),
    started_at: model.dateTime(),
    finished_at: model.dateTime().nullable(),
    /** The file written (exports): its path at the destination. */
    file: model.text().nullable(),
    /** The files read (status imports): `{ name, moved_to, rows, applied, failed, report? }`. */
    files: model.json().nullable(),
    exported: model.number().default(0),
    /** Rows read (status imports). */
    processed: model.number().default(0),
    /** Rows applied to orders (status imports). */
    applied: model.number().default(0),
    failed: model.number().default(0),
    errors: model.json().nullable(),
    error: model.text().nullable(),
    error_code: model.text().nullable(),
  })
  .indexes([{ on: ["configuration_id", "started_at"] }])
