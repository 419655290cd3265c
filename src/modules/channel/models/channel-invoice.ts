import { model } from "@medusajs/framework/utils"

/** The invoice of "Import and invoice": a sequential number per store, its date and totals. */
export const ChannelInvoice = model
  .define("channel_invoice", {
    id: model.id({ prefix: "chinv" }).primaryKey(),
    number: model.autoincrement(),
    order_id: model.text(),
    channel_order_id: model.text().nullable(),
    issued_at: model.dateTime(),
    currency_code: model.text(),
    subtotal: model.bigNumber(),
    tax_total: model.bigNumber(),
    shipping_total: model.bigNumber(),
    total: model.bigNumber(),
  })
  .indexes([{ on: ["order_id"], unique: true }])
