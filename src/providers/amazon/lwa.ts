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

/** A short digest of the credentials: keys never hold a secret, and new credentials get new keys. */
export function credentialFingerprint(c: Pick<LwaCredentials, "client_id" | "refresh_token">): string {
  return createHash("sha256").update(`${c.client_id}\n${c.refresh_token}`).digest("hex").slice(0, 16)
}

/** Keyed by channel and by credentials, so new credentials never reuse a token of the old ones. */
function cacheKey(s: LwaSession): string {
  return `amazon:lwa:${s.channelId}:${credentialFingerprint(s.credentials)}`
}

/**
 * Refresh before expiry so a token never dies in flight: a retry can wait a whole searchOrders
 * period (~3 min) for its rate-limit token after the access token was read. Short TTLs keep half.
 */
export function usableSeconds(expiresIn: number): number {
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

/** Where tokens are kept: `ctx.cache` when the module gives one, else the provider's memory. */
export type TokenStore = { cache?: ChannelProviderCache; memory: AccessTokenMemory; now: () => number }

/**
 * A valid token under `key`: the cached one, or a new one from `issue` (one at a time per key, so
 * concurrent calls share a single exchange).
 */
export async function cachedToken(
  store: TokenStore,
  key: string,
  opts: { fresh?: boolean },
  issue: () => Promise<CachedAccessToken>
): Promise<string> {
  if (!opts.fresh) {
    const cached = store.cache ? await store.cache.get<CachedAccessToken>(key) : store.memory.tokens.get(key)
    if (cached && cached.expires_at_ms > store.now()) return cached.access_token
  }
  let pending = store.memory.inFlight.get(key)
  if (!pending) {
    pending = (async () => {
      const token = await issue()
      const ttl = Math.max(1, Math.floor((token.expires_at_ms - store.now()) / 1000))
      if (store.cache) await store.cache.set(key, token, ttl)
      else store.memory.tokens.set(key, token)
      return token
    })()
    store.memory.inFlight.set(key, pending)
    pending.then(
      () => store.memory.inFlight.delete(key),
      () => store.memory.inFlight.delete(key)
    )
  }
  return (await pending).access_token
}

/** Forgets a token the marketplace refused, unless another call already replaced it. */
export async function forgetCachedToken(store: TokenStore, key: string, refused: string): Promise<void> {
  if (store.cache) {
    const cached = await store.cache.get<CachedAccessToken>(key)
    if (cached?.access_token === refused) await store.cache.delete(key)
  } else if (store.memory.tokens.get(key)?.access_token === refused) {
    store.memory.tokens.delete(key)
  }
}

/** A valid access token: the cached one, or a fresh exchange (one at a time per channel). */
export async function accessToken(s: LwaSession, opts: { fresh?: boolean } = {}): Promise<string> {
  return cachedToken(s, cacheKey(s), opts, () => exchange(s))
}

/** Forgets an access token Amazon refused, unless another call already replaced it. */
export async function forgetAccessToken(s: LwaSession, refused: string): Promise<void> {
  return forgetCachedToken(s, cacheKey(s), refused)
}
