import { model } from "@medusajs/framework/utils"

/** A short label on a Medusa order; unique per order regardless of case. */
export const OrderTag = model
  .define("order_tag", {
    id: model.id({ prefix: "otag" }).primaryKey(),
    order_id: model.text(),
    value: model.text(),
    normalized: model.text(),
  })
  .indexes([{ on: ["order_id", "normalized"], unique: true }, { on: ["normalized"] }])
