import { model } from "@medusajs/framework/utils"

/** A marketplace rate-limit bucket shared by every Medusa instance (one row per account and operation). */
export const ChannelRateBucket = model.define("channel_rate_bucket", {
  id: model.text().primaryKey(),
  tokens: model.float(),
  refilled_at: model.dateTime(),
})
