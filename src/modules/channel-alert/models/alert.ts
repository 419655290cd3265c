import { model } from "@medusajs/framework/utils"

/**
 * One alert raised: by an import rule (`source: rule`), by the operational checks
 * (`source: operational`, `state` open until its cause goes away, then cleared) or by a test send.
 * `suppressed` marks a repeat of the same `key` within the dedupe window: recorded, not sent.
 */
export const ChannelAlert = model
  .define("channel_alert", {
    id: model.id({ prefix: "chalrt" }).primaryKey(),
    source: model.enum(["rule", "operational", "test"]),
    code: model.text(),
    key: model.text(),
    state: model.enum(["open", "cleared"]).nullable(),
    severity: model.enum(["info", "warning", "error"]).default("warning"),
    title: model.text(),
    message: model.text(),
    channel_id: model.text().nullable(),
    rule_id: model.text().nullable(),
    order_id: model.text().nullable(),
    data: model.json().nullable(),
    suppressed: model.boolean().default(false),
    raised_at: model.dateTime(),
    cleared_at: model.dateTime().nullable(),
  })
  .indexes([{ on: ["key", "raised_at"] }, { on: ["source", "state"] }])
