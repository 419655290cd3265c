import { model } from "@medusajs/framework/utils"

/**
 * An `Idempotency-Key` a channel's API client sent with `POST /channel-api/orders`: the request's
 * hash and, once answered, the exact response (status and body bytes), kept 24 hours. Unique per
 * channel and key, so two instances receiving the same retry agree on one first request.
 */
export const ChannelApiRequest = model
  .define("channel_api_request", {
    id: model.id({ prefix: "chareq" }).primaryKey(),
    channel_id: model.text(),
    api_key_id: model.text(),
    idempotency_key: model.text(),
    request_hash: model.text(),
    status_code: model.number().nullable(),
    response_body: model.text().nullable(),
    expires_at: model.dateTime(),
  })
  .indexes([{ on: ["channel_id", "idempotency_key"], unique: true }, { on: ["expires_at"] }])
