import { model } from "@medusajs/framework/utils"

/** A marketplace SKU that the store sells under another SKU: maps it to a variant for one channel. */
export const ChannelSkuMapping = model
  .define("channel_sku_mapping", {
    id: model.id({ prefix: "chsku" }).primaryKey(),
    channel_id: model.text(),
    external_sku: model.text(),
    variant_id: model.text(),
  })
  .indexes([{ on: ["channel_id", "external_sku"], unique: true }])
