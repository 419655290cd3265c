import { createHash } from "node:crypto"
import { ChannelProviderError } from "../../modules/channel/errors"
import type { ChannelProviderCache, ChannelRateLimiter, RateLimit } from "../../modules/channel/types/provider"
import { requestMarketplace, type MarketplaceErrorParser, type RetryPolicy } from "../shared/http-client"

/** Login with Amazon (LWA): refresh token → access token for the `x-amz-access-token` header. */

export type LwaCredentials = { client_id: string; client_secret: string; refresh_token: string }

export type CachedAccessToken = { access_token: string; expires_at_ms: number }

/** Token state a provider instance keeps when the module gives it no `ctx.cache`. */
export type AccessTokenMemory = {
  tokens: Map<string, CachedAccessToken>
  inFlight: Map<string, Promise<CachedAccessToken>>
}

export function newAccessTokenMemory(): AccessTokenMemory {
  return { tokens: new Map(), inFlight: new Map() }
}

export type LwaSession = {
  channelId: string
  authUrl: string
  credentials: LwaCredentials
  limiter: ChannelRateLimiter
  limiterKey: string
  limit: RateLimit
  cache?: ChannelProviderCache
  memory: AccessTokenMemory
  timeoutMs?: number
  retry?: Partial<RetryPolicy>
  now: () => number
}

/** Standard OAuth2 error body of the LWA endpoint. */
export const parseLwaError: MarketplaceErrorParser = (_status, body) => {
  if (body && typeof body === "object") {
    const b = body as Record<string, unknown>
    if (typeof b.error === "string") {
      return { code: b.error, message: typeof b.error_description === "string" ? b.error_description : undefined }
    }
  }
  return undefined
}

/** Keyed by channel and by credentials, so new credentials never reuse a token of the old ones. */
function cacheKey(s: LwaSession): string {
  const fingerprint = createHash("sha256")
    .update(`${s.credentials.client_id}\n${s.credentials.refresh_token}`)
    .digest("hex")
    .slice(0, 16)
  return `amazon:lwa:${s.channelId}:${fingerprint}`
}

/**
 * Refresh before expiry so a token never dies in flight: a retry can wait a whole searchOrders
 * period (~3 min) for its rate-limit token after the access token was read. Short TTLs keep half.
 */
function usableSeconds(expiresIn: number): number {
  return expiresIn >= 900 ? expiresIn - 300 : Math.max(1, Math.floor(expiresIn / 2))
}

async function exchange(s: LwaSession): Promise<CachedAccessToken> {
  const form = new URLSearchParams({
    grant_type: "refresh_token",
    refresh_token: s.credentials.refresh_token,
    client_id: s.credentials.client_id,
    client_secret: s.credentials.client_secret,
  }).toString()
  let body: unknown
  try {
    const res = await requestMarketplace<unknown>({
      method: "POST",
      url: s.authUrl,
      headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" },
      body: form,
      operation: s.limiterKey,
      limit: s.limit,
      limiter: s.limiter,
      timeoutMs: s.timeoutMs,
      retry: s.retry,
      parseError: parseLwaError,
    })
    body = res.body
  } catch (e) {
    if (e instanceof ChannelProviderError && !e.retryable && e.status && e.status >= 400 && e.status < 500) {
      const grant = e.marketplace_code === "invalid_grant"
      throw new ChannelProviderError(
        "unauthorized",
        grant
          ? "Login with Amazon refused the refresh token (invalid_grant): the seller authorization was revoked or expired; authorize the app again"
          : `Login with Amazon refused the app credentials (${e.marketplace_code ?? `HTTP ${e.status}`}): check client_id and client_secret`,
        {
          retryable: false,
          status: e.status,
          marketplace_code: e.marketplace_code,
          marketplace_message: e.marketplace_message,
        }
      )
    }
    throw e
  }
  const b = (body ?? {}) as Record<string, unknown>
  if (typeof b.access_token !== "string" || !b.access_token) {
    throw new ChannelProviderError("malformed_response", "Login with Amazon answered without an access token", {
      retryable: true,
    })
  }
  const expiresIn = typeof b.expires_in === "number" && b.expires_in > 0 ? b.expires_in : 3600
  return { access_token: b.access_token, expires_at_ms: s.now() + usableSeconds(expiresIn) * 1000 }
}

/** A valid access token: the cached one, or a fresh exchange (one at a time per channel). */
export async function accessToken(s: LwaSession, opts: { fresh?: boolean } = {}): Promise<string> {
  const key = cacheKey(s)
  if (!opts.fresh) {
    const cached = s.cache ? await s.cache.get<CachedAccessToken>(key) : s.memory.tokens.get(key)
    if (cached && cached.expires_at_ms > s.now()) return cached.access_token
  }
  let pending = s.memory.inFlight.get(key)
  if (!pending) {
    pending = (async () => {
      const token = await exchange(s)
      const ttl = Math.max(1, Math.floor((token.expires_at_ms - s.now()) / 1000))
      if (s.cache) await s.cache.set(key, token, ttl)
      else s.memory.tokens.set(key, token)
      return token
    })()
    s.memory.inFlight.set(key, pending)
    pending.then(
      () => s.memory.inFlight.delete(key),
      () => s.memory.inFlight.delete(key)
    )
  }
  return (await pending).access_token
}

/** Forgets a token Amazon refused, unless another call already replaced it. */
export async function forgetAccessToken(s: LwaSession, refused: string): Promise<void> {
  const key = cacheKey(s)
  if (s.cache) {
    const cached = await s.cache.get<CachedAccessToken>(key)
    if (cached?.access_token === refused) await s.cache.delete(key)
  } else if (s.memory.tokens.get(key)?.access_token === refused) {
    s.memory.tokens.delete(key)
  }
}
