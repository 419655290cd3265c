import { model } from "@medusajs/framework/utils"

/** One pull of one channel, with its counts and the cursor the next pull resumes from. */
export const ChannelImportRun = model
  .define("channel_import_run", {
    id: model.id({ prefix: "chrun" }).primaryKey(),
    channel_id: model.text(),
    trigger: model.enum(["schedule", "manual", "retry"]),
    status: model.enum(["running", "succeeded", "failed"]).default("running"),
    started_at: model.dateTime(),
    finished_at: model.dateTime().nullable(),
    window_from: model.dateTime().nullable(),
    window_to: model.dateTime().nullable(),
    fetched: model.number().default(0),
    imported: model.number().default(0),
    waiting: model.number().default(0),
    ignored: model.number().default(0),
    failed: model.number().default(0),
    skipped: model.number().default(0),
    pages: model.number().default(0),
    error: model.text().nullable(),
    /** Machine-readable reason of a failed run: a provider error's code (`credentials_undecryptable`, `host_not_allowed`, …). */
    error_code: model.text().nullable(),
    /**
     * Every failed marketplace call of the run, retried ones included (issue 16's fault suite):
     * `[{ at, code, message, operation, retryable, status?, attempt? }]`, the first 50 kept.
     */
    errors: model.json().nullable(),
    /** Failed calls past the cap of `errors`, counted only. */
    errors_dropped: model.number().default(0),
    /** `{ window_from, window_to, page_token }` of the last persisted page, or `{ completed_to }`. */
    cursor: model.json().nullable(),
  })
  .indexes([{ on: ["channel_id", "started_at"] }])
