import { model } from "@medusajs/framework/utils"

/** An order's file-transfer timeline: exported (when, which file), export failed, status imported. */
export const OrderTransferEvent = model
  .define("order_transfer_event", {
    id: model.id({ prefix: "oxev" }).primaryKey(),
    order_id: model.text(),
    configuration_id: model.text(),
    run_id: model.text().nullable(),
    type: model.text(),
    message: model.text(),
    data: model.json().nullable(),
  })
  .indexes([{ on: ["order_id"] }])
