import { model } from "@medusajs/framework/utils"

/**
 * The alert outbox: one message to one destination. Alerts of the same group (rule + message
 * template, or operational code + channel) that arrive before it is sent join it, and it goes out as
 * a digest ("37 orders … in the last 10 minutes"). Delivered by the alerts job with retries.
 */
export const ChannelAlertDelivery = model
  .define("channel_alert_delivery", {
    id: model.id({ prefix: "chaldl" }).primaryKey(),
    /** Null for the admin feed's default route and for a rule's own recipients without a destination. */
    destination_id: model.text().nullable(),
    kind: model.enum(["email", "webhook", "feed"]),
    group_key: model.text(),
    recipients: model.json().default([] as any),
    title: model.text(),
    message: model.text(),
    severity: model.enum(["info", "warning", "error"]).default("warning"),
    /** How many alerts this delivery carries (> 1: a digest). */
    count: model.number().default(1),
    /** The alerts' own messages (the first 20), listed in a digest. */
    lines: model.json().default([] as any),
    alert_ids: model.json().default([] as any),
    first_at: model.dateTime(),
    last_at: model.dateTime(),
    state: model.enum(["pending", "sending", "retrying", "sent", "failed"]).default("pending"),
    attempts: model.number().default(0),
    next_attempt_at: model.dateTime().nullable(),
    sent_at: model.dateTime().nullable(),
    last_error: model.text().nullable(),
    last_status: model.number().nullable(),
    response: model.json().nullable(),
  })
  .indexes([{ on: ["state", "next_attempt_at"] }, { on: ["destination_id", "group_key", "state"] }])
