import { model } from "@medusajs/framework/utils"
import { HOLD_REASONS } from "../types/states"


/** A hold on a Medusa order. While any hold is open the order cannot be fulfilled. */
export const OrderHold = model
  .define("order_hold", {
    id: model.id({ prefix: "ohold" }).primaryKey(),
    order_id: model.text(),
    channel_order_id: model.text().nullable(),
    reason: model.enum([...HOLD_REASONS]),
    detail: model.text().nullable(),
    rule_id: model.text().nullable(),
    created_by: model.text().nullable(),
    released_at: model.dateTime().nullable(),
    released_by: model.text().nullable(),
    release_note: model.text().nullable(),
  })
  .indexes([{ on: ["order_id"] }])
