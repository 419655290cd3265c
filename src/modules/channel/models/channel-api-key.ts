import { model } from "@medusajs/framework/utils"

/**
 * A key an `api` channel's reseller sends as `Authorization: Bearer <token>`. Only the token's
 * SHA-256 is stored; `prefix` (the token's public part) finds the row, and the hash is compared in
 * constant time. A revoked key stays listed, with `revoked_at`.
 */
export const ChannelApiKey = model
  .define("channel_api_key", {
    id: model.id({ prefix: "chak" }).primaryKey(),
    channel_id: model.text(),
    prefix: model.text(),
    token_hash: model.text(),
    last_used_at: model.dateTime().nullable(),
    revoked_at: model.dateTime().nullable(),
  })
  .indexes([{ on: ["prefix"], unique: true }, { on: ["channel_id"] }])
