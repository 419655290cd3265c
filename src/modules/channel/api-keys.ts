import crypto from "node:crypto"
import type { IChannelProvider, RateLimit } from "./types/provider"

/**
 * The channel API's keys, rate limit and idempotency records (issue 18): small helpers on Node's
 * crypto and the module's own tables, kept out of the module service.
 *
 * A token reads `cok_<prefix>_<secret>`: the 12-hex prefix is public (it is listed in the admin and
 * finds the key's row), the secret is 32 random bytes. Only SHA-256(token) is stored, and it is
 * compared with `timingSafeEqual`, so neither the database nor the response time gives a token away.
 */

export const API_TOKEN_SCHEME = "cok"
const TOKEN_RE = /^cok_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/

/** Providers whose orders are pushed to `/channel-api` declare it (the core never looks at a provider id). */
export type PushChannelProvider = IChannelProvider & { readonly accepts_pushed_orders: true }
export function acceptsPushedOrders(provider: IChannelProvider | null | undefined): provider is PushChannelProvider {
  return (provider as any)?.accepts_pushed_orders === true
}

export function hashApiToken(token: string): string {
  return crypto.createHash("sha256").update(token, "utf8").digest("hex")
}

/** A new token, shown once; store `prefix` and `token_hash` only. */
export function generateApiToken(): { token: string; prefix: string; token_hash: string } {
  const prefix = crypto.randomBytes(6).toString("hex")
  const token = `${API_TOKEN_SCHEME}_${prefix}_${crypto.randomBytes(32).toString("base64url")}`
  return { token, prefix, token_hash: hashApiToken(token) }
}

/** The prefix of a well-formed token; null for anything else (a malformed key is a 401 without a query). */
export function parseApiToken(token: string | null | undefined): { prefix: string } | null {
  const m = typeof token === "string" ? TOKEN_RE.exec(token) : null
  return m ? { prefix: m[1] } : null
}

/** Constant-time comparison of a presented token with a stored hash. */
export function apiTokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashApiToken(token), "hex")
  const b = Buffer.from(String(storedHash ?? ""), "hex")
  if (a.length !== b.length) {
    // Still spend the comparison, so a malformed stored hash takes as long as a wrong token.
    crypto.timingSafeEqual(a, a)
    return false
  }
  return crypto.timingSafeEqual(a, b)
}

/** The bearer token of an `Authorization` header, or null. */
export function bearerToken(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header
  const m = typeof value === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(value) : null
  return m ? m[1] : null
}

// ---- rate limit ------------------------------------------------------------------------------

/** What a key may send unless its channel's `api_rate_limit` setting says otherwise. */
export const DEFAULT_API_RATE_LIMIT: RateLimit = { rate: 10, burst: 20 }

/**
 * The channel's per-key limit: setting `api_rate_limit: { rate, burst }` (requests a second, bucket
 * size). `rate_limit` and the spellings `per_second` / `requests_per_second` are read too.
 */
export function apiRateLimitOf(settings: Record<string, any> | null | undefined): RateLimit {
  const s = settings?.api_rate_limit ?? settings?.rate_limit
  const rate = Number(s?.rate ?? s?.per_second ?? s?.requests_per_second)
  const burst = Number(s?.burst)
  return {
    rate: Number.isFinite(rate) && rate > 0 ? rate : DEFAULT_API_RATE_LIMIT.rate,
    burst: Number.isFinite(burst) && burst >= 1 ? Math.floor(burst) : DEFAULT_API_RATE_LIMIT.burst,
  }
}

export type RateDecision = {
  allowed: boolean
  limit: number
  remaining: number
  /** Seconds until the bucket is full again. */
  reset_seconds: number
  /** Seconds until one token is free (for Retry-After), 0 when allowed. */
  retry_after_seconds: number
}

type Knex = any

/**
 * Takes one token of the key's bucket. The same token bucket as the marketplace limiter
 * (`ChannelModuleService.tryTakeRateToken`: the `channel_rate_bucket` table, refilled from the
 * database clock, so every instance shares one budget), plus the tokens left, which the
 * `RateLimit-*` headers need and the service method does not return.
 */
export async function takeApiRateToken(knex: Knex, bucketKey: string, limit: RateLimit): Promise<RateDecision> {
  const refill = `least(?::float8, channel_rate_bucket.tokens + extract(epoch from (clock_timestamp() - channel_rate_bucket.refilled_at)) * ?::float8)`
  const taken = await knex.raw(
    `insert into channel_rate_bucket (id, tokens, refilled_at, created_at, updated_at)
     values (?, ?::float8 - 1, clock_timestamp(), now(), now())
     on conflict (id) do update set tokens = ${refill} - 1, refilled_at = clock_timestamp(), updated_at = now()
     where ${refill} >= 1
     returning tokens`,
    [bucketKey, limit.burst, limit.burst, limit.rate, limit.burst, limit.rate]
  )
  let tokens: number
  let allowed = true
  if (taken.rows.length) {
    tokens = Number(taken.rows[0].tokens)
  } else {
    allowed = false
    const current = await knex.raw(
      `select least(?::float8, tokens + extract(epoch from (clock_timestamp() - refilled_at)) * ?::float8) as tokens
       from channel_rate_bucket where id = ?`,
      [limit.burst, limit.rate, bucketKey]
    )
    tokens = Number(current.rows[0]?.tokens ?? 0)
  }
  tokens = Math.max(0, tokens)
  return {
    allowed,
    limit: limit.burst,
    remaining: Math.floor(tokens),
    reset_seconds: Math.max(0, Math.ceil((limit.burst - tokens) / limit.rate)),
    retry_after_seconds: allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / limit.rate)),
  }
}

// ---- idempotency -----------------------------------------------------------------------------

export const IDEMPOTENCY_TTL_HOURS = 24

/** A key's JSON identity: the same orders with keys in another order or other whitespace are the same request. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`
  if (value && typeof value === "object") {
    const keys = Object.keys(value as Record<string, unknown>)
      .filter((k) => (value as any)[k] !== undefined)
      .sort()
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((value as any)[k])}`).join(",")}}`
  }
  return JSON.stringify(value ?? null)
}

export function requestHash(body: unknown): string {
  return crypto.createHash("sha256").update(stableJson(body)).digest("hex")
}

export type IdempotencyStart =
  | { kind: "new"; id: string }
  | { kind: "replay"; status_code: number; body: string }
  | { kind: "mismatch" }
  | { kind: "in_progress" }

/**
 * Records the first request under an `Idempotency-Key` (one insert on the unique index, so of two
 * concurrent requests one is first), or tells what an earlier one left: its answer to replay, a
 * different body (422), or an answer not written yet (409). Records expire after 24 hours.
 */
export async function beginIdempotentRequest(
  knex: Knex,
  input: { channel_id: string; api_key_id: string; idempotency_key: string; request_hash: string }
): Promise<IdempotencyStart> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const id = `chareq_${crypto.randomUUID().replace(/-/g, "")}`
    const inserted = await knex.raw(
      `insert into channel_api_request (id, channel_id, api_key_id, idempotency_key, request_hash, expires_at, created_at, updated_at)
       values (?, ?, ?, ?, ?, now() + (? * interval '1 hour'), now(), now())
       on conflict (channel_id, idempotency_key) where deleted_at is null do nothing
       returning id`,
      [id, input.channel_id, input.api_key_id, input.idempotency_key, input.request_hash, IDEMPOTENCY_TTL_HOURS]
    )
    if (inserted.rows.length) return { kind: "new", id }
    const existing = await knex.raw(
      `select id, request_hash, status_code, response_body, expires_at < now() as expired
       from channel_api_request where channel_id = ? and idempotency_key = ? and deleted_at is null`,
      [input.channel_id, input.idempotency_key]
    )
    const row = existing.rows[0]
    if (!row) continue
    if (row.expired) {
      await knex.raw(`delete from channel_api_request where id = ? and expires_at < now()`, [row.id])
      continue
    }
    if (row.request_hash !== input.request_hash) return { kind: "mismatch" }
    if (row.status_code === null || row.response_body === null) return { kind: "in_progress" }
    return { kind: "replay", status_code: Number(row.status_code), body: String(row.response_body) }
  }
  return { kind: "in_progress" }
}

export async function finishIdempotentRequest(knex: Knex, id: string, statusCode: number, body: string): Promise<void> {
  await knex.raw(`update channel_api_request set status_code = ?, response_body = ?, updated_at = now() where id = ?`, [statusCode, body, id])
  // Housekeeping: a few expired records at a time, so the table stays at about a day of requests.
  if (Math.random() < 0.05) {
    await knex
      .raw(`delete from channel_api_request where id in (select id from channel_api_request where expires_at < now() limit 500)`)
      .catch(() => undefined)
  }
}

/** A request that failed before it had an answer gives its key back, so the client's retry runs it. */
export async function abandonIdempotentRequest(knex: Knex, id: string): Promise<void> {
  await knex.raw(`delete from channel_api_request where id = ? and status_code is null`, [id])
}
