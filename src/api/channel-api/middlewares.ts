import type { MedusaNextFunction, MedusaRequest, MedusaResponse, MiddlewareRoute } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../modules/channel"
import type ChannelModuleService from "../../modules/channel/service"
import {
  acceptsPushedOrders,
  apiRateLimitOf,
  apiTokenMatches,
  bearerToken,
  parseApiToken,
  takeApiRateToken,
} from "../../modules/channel/api-keys"
import { hostileInputProblem } from "../input-guard"

/** The largest body `POST /channel-api/orders` reads; past it the answer is 413. */
export const MAX_BODY_BYTES = 1024 * 1024

export type ChannelApiCaller = { key_id: string; channel_id: string; channel_name: string }
export type ChannelApiRequest = MedusaRequest & { channel_api?: ChannelApiCaller; raw_body?: Buffer }

/** Every error of the channel API: `{ type, message }`, plus `field` when a field is to blame. */
export function sendApiError(res: MedusaResponse, status: number, type: string, message: string, extra: Record<string, unknown> = {}) {
  res.status(status).json({ type, message, ...extra })
}

/**
 * Authenticates `Authorization: Bearer <channel API key>` (no Medusa session, no publishable key)
 * and spends one token of the key's rate-limit bucket. 401 for a missing, malformed, unknown or
 * revoked key (checked on every request, so a revocation takes effect at once); 429 with
 * `Retry-After` past the key's limit; 403 when the key's channel is disabled or no longer takes
 * pushed orders. Every answer to a known key carries `RateLimit-Limit/-Remaining/-Reset`.
 */
export async function authenticateChannelApiKey(req: ChannelApiRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const token = bearerToken(req.headers.authorization)
  if (!token) return sendApiError(res, 401, "unauthorized", "Send the channel's API key as Authorization: Bearer <key>")
  const parsed = parseApiToken(token)
  if (!parsed) return sendApiError(res, 401, "unauthorized", "The API key is malformed")
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const [key] = await channels.listChannelApiKeys({ prefix: parsed.prefix }, { take: 1 })
  if (!key || !apiTokenMatches(token, key.token_hash)) return sendApiError(res, 401, "unauthorized", "Unknown API key")
  if (key.revoked_at) return sendApiError(res, 401, "unauthorized", "This API key was revoked")
  const [channel] = await channels.listChannels({ id: key.channel_id }, { take: 1, select: ["id", "name", "provider", "enabled", "settings"] })
  if (!channel) return sendApiError(res, 401, "unauthorized", "Unknown API key")

  const knex = req.scope.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const rate = await takeApiRateToken(knex, `channel-api:${key.id}`, apiRateLimitOf(channel.settings as Record<string, any>))
  res.setHeader("RateLimit-Limit", String(rate.limit))
  res.setHeader("RateLimit-Remaining", String(rate.remaining))
  res.setHeader("RateLimit-Reset", String(rate.reset_seconds))
  if (!rate.allowed) {
    res.setHeader("Retry-After", String(rate.retry_after_seconds))
    return sendApiError(res, 429, "rate_limited", `Too many requests for this API key: at most ${apiRateLimitOf(channel.settings as any).rate} a second (burst ${rate.limit}); retry after ${rate.retry_after_seconds} s`)
  }

  if (!channel.enabled) return sendApiError(res, 403, "forbidden", `Channel ${channel.name} is disabled`)
  let pushable = false
  try {
    pushable = acceptsPushedOrders(channels.getProvider(channel.provider))
  } catch {
    pushable = false
  }
  if (!pushable) return sendApiError(res, 403, "forbidden", `Channel ${channel.name} does not take orders over the API`)

  // last_used_at at most every 30 s per key: one cheap conditional update, not a write per request.
  await knex
    .raw(`update channel_api_key set last_used_at = now() where id = ? and (last_used_at is null or last_used_at < now() - interval '30 seconds')`, [key.id])
    .catch(() => undefined)
  req.channel_api = { key_id: key.id, channel_id: channel.id, channel_name: channel.name }
  next()
}

/**
 * Reads the body of `POST /channel-api/orders` itself (Medusa's JSON parser is off for this route):
 * more than 1 MB is a 413 (declared or streamed), a body that is not JSON a 400 naming `body`.
 */
export function readJsonBody(limit = MAX_BODY_BYTES) {
  return (req: ChannelApiRequest, res: MedusaResponse, next: MedusaNextFunction) => {
    const tooLarge = () => sendApiError(res, 413, "payload_too_large", `The body may have at most ${limit} bytes (1 MB); send fewer orders per request`, { field: "body" })
    const declared = Number(req.headers["content-length"])
    if (Number.isFinite(declared) && declared > limit) {
      req.resume()
      return tooLarge()
    }
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    req.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) over = true
      if (!over) chunks.push(chunk)
      // Drained so the client reads the 413, but not forever.
      else if (size > 16 * limit && !res.headersSent) {
        tooLarge()
        req.destroy()
      }
    })
    req.on("error", (e) => next(e))
    req.on("end", () => {
      if (res.headersSent) return
      if (over) return tooLarge()
      const buf = Buffer.concat(chunks)
      req.raw_body = buf
      const text = buf.toString("utf8")
      if (!text.trim()) return sendApiError(res, 400, "invalid_json", "The body is empty: send { \"orders\": [ … ] } as JSON", { field: "body" })
      try {
        ;(req as any).body = JSON.parse(text)
      } catch (e: any) {
        return sendApiError(res, 400, "invalid_json", `The body is not JSON: ${e?.message ?? e}`, { field: "body" })
      }
      next()
    })
  }
}

/**
 * After readJsonBody: a body nested deeper than 32 levels, or with a key that reaches or shadows a
 * prototype (`__proto__`, `constructor`, `hasOwnProperty`…), is a 400 naming the field; the
 * pipeline's hashing and Medusa's workflow engine would otherwise fail on it with a 500 (issue 17).
 */
export function refuseHostilePushBody(req: ChannelApiRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const problem = hostileInputProblem((req as any).body, "body")
  if (problem) return sendApiError(res, 400, "invalid_data", problem.message, { field: problem.field })
  next()
}

/** Spread into src/api/middlewares.ts. */
export const channelApiRoutes: MiddlewareRoute[] = [
  {
    matcher: "/channel-api/orders",
    methods: ["POST"],
    bodyParser: false,
    middlewares: [authenticateChannelApiKey as any, readJsonBody() as any, refuseHostilePushBody as any],
  },
  { matcher: "/channel-api/orders/:external_id", methods: ["GET"], middlewares: [authenticateChannelApiKey as any] },
]
