import { model } from "@medusajs/framework/utils"

/**
 * The feedback outbox: a shipment (or cancellation) to send to a channel. Written in the same flow
 * as the Medusa change that caused it and delivered by a job, so no confirmation is ever lost.
 */
export const ChannelFeedback = model
  .define("channel_feedback", {
    id: model.id({ prefix: "chfb" }).primaryKey(),
    channel_id: model.text(),
    channel_order_id: model.text(),
    order_id: model.text(),
    fulfillment_id: model.text().nullable(),
    kind: model.enum(["shipment", "cancel", "status"]).default("shipment"),
    state: model.enum(["pending", "sending", "sent", "confirmed", "failed"]).default("pending"),
    items: model.json().default([] as any),
    carrier_code: model.text().nullable(),
    carrier_name: model.text().nullable(),
    tracking_numbers: model.json().default([] as any),
    shipped_at: model.dateTime().nullable(),
    attempts: model.number().default(0),
    next_attempt_at: model.dateTime().nullable(),
    error_code: model.text().nullable(),
    error_message: model.text().nullable(),
    response: model.json().nullable(),
    /** kind `status`: the change delivered (previous and current status of the Medusa order). */
    payload: model.json().nullable(),
    /** kind `status`: one row per change (unique), so a change reported by several events is sent once. */
    dedupe_key: model.text().nullable(),
  })
  .indexes([
    { on: ["state", "next_attempt_at"] },
    { on: ["fulfillment_id", "kind"], unique: true },
    { on: ["dedupe_key"], unique: true, where: "dedupe_key IS NOT NULL" },
    { on: ["order_id"] },
  ])
