import { model } from "@medusajs/framework/utils"

/** The import timeline of a channel order: staged, decided, rules matched, created, status changes, feedback. */
export const ChannelOrderEvent = model
  .define("channel_order_event", {
    id: model.id({ prefix: "choev" }).primaryKey(),
    channel_order_id: model.text(),
    order_id: model.text().nullable(),
    type: model.text(),
    message: model.text(),
    data: model.json().nullable(),
  })
  .indexes([{ on: ["channel_order_id"] }, { on: ["order_id"] }])
