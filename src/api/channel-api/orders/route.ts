import type { MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { abandonIdempotentRequest, beginIdempotentRequest, finishIdempotentRequest, requestHash } from "../../../modules/channel/api-keys"
import { receivePushedOrders } from "../../../workflows/channel-api/receive-pushed-orders"
import { sendApiError, type ChannelApiRequest } from "../middlewares"

/** Orders per request. More is a 413, like a body over 1 MB. */
export const MAX_ORDERS = 100

/**
 * `POST /channel-api/orders`: a reseller's system sends `{ orders: [ <canonical order>, … ] }` (1 to
 * 100). Every order is staged, then decided and imported like a pulled page; 202 with one result per
 * order, in the order sent. An invalid order fails alone (`failed` / `invalid_payload`, staged).
 * With `Idempotency-Key`, a repeated request gets the first answer byte for byte for 24 hours, and
 * the same key with another body a 422.
 */
export async function POST(req: ChannelApiRequest, res: MedusaResponse) {
  const caller = req.channel_api!
  const body = req.body as any
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    return sendApiError(res, 400, "invalid_data", "The body must be a JSON object { \"orders\": [ … ] }", { field: "body" })
  }
  if (!Array.isArray(body.orders)) {
    return sendApiError(res, 400, "invalid_data", "Field 'orders' is required: an array of 1 to 100 canonical orders", { field: "orders" })
  }
  if (body.orders.length === 0) {
    return sendApiError(res, 400, "invalid_data", "Field 'orders' must hold at least one order", { field: "orders" })
  }
  if (body.orders.length > MAX_ORDERS) {
    return sendApiError(res, 413, "payload_too_large", `Field 'orders' holds ${body.orders.length} orders; send at most ${MAX_ORDERS} per request`, { field: "orders" })
  }

  const header = req.headers["idempotency-key"]
  const idempotencyKey = Array.isArray(header) ? header[0] : header
  if (idempotencyKey !== undefined && (!idempotencyKey.trim() || idempotencyKey.length > 255)) {
    return sendApiError(res, 400, "invalid_data", "Header 'Idempotency-Key' must be 1 to 255 characters", { field: "Idempotency-Key" })
  }

  const knex = req.scope.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  let recordId: string | null = null
  if (idempotencyKey !== undefined) {
    const start = await beginIdempotentRequest(knex, {
      channel_id: caller.channel_id,
      api_key_id: caller.key_id,
      idempotency_key: idempotencyKey,
      request_hash: requestHash(body),
    })
    if (start.kind === "replay") {
      res.setHeader("Idempotent-Replayed", "true")
      res.status(start.status_code).type("application/json").send(start.body)
      return
    }
    if (start.kind === "mismatch") {
      return sendApiError(res, 422, "idempotency_key_reused", "This Idempotency-Key was used with a different body; use a new key for a new request", { field: "Idempotency-Key" })
    }
    if (start.kind === "in_progress") {
      res.setHeader("Retry-After", "1")
      return sendApiError(res, 409, "idempotency_key_in_use", "A request with this Idempotency-Key is still being processed; retry shortly")
    }
    recordId = start.id
  }

  let text: string
  try {
    const results = await receivePushedOrders(req.scope, caller.channel_id, body.orders)
    text = JSON.stringify({ results })
  } catch (e) {
    if (recordId) await abandonIdempotentRequest(knex, recordId).catch(() => undefined)
    throw e
  }
  if (recordId) await finishIdempotentRequest(knex, recordId, 202, text)
  res.status(202).type("application/json").send(text)
}
