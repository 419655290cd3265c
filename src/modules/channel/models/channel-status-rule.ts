import { model } from "@medusajs/framework/utils"
import { STATUS_ACTIONS } from "../types/provider"

/** A row of the "Order import settings" table: what to do with orders in one marketplace status. */
export const ChannelStatusRule = model
  .define("channel_status_rule", {
    id: model.id({ prefix: "chsr" }).primaryKey(),
    channel_id: model.text(),
    external_status: model.text(),
    action: model.enum([...STATUS_ACTIONS]),
    retry: model.boolean().default(true),
  })
  .indexes([{ on: ["channel_id", "external_status"], unique: true }])
