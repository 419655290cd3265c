import { createHash } from "node:crypto"
import { ChannelProviderError } from "../../modules/channel/errors"
import type {
  ChannelContext,
  ChannelProviderCache,
  ChannelRateLimiter,
  RateLimit,
} from "../../modules/channel/types/provider"
import {
  requestMarketplace,
  type MarketplaceErrorParser,
  type MarketplaceResponse,
  type RetryPolicy,
} from "../shared/http-client"
import type {
  EbayError,
  EbayOrder,
  EbayOrderPage,
  EbayShippingFulfillment,
  EbayShippingFulfillmentDetails,
} from "./types"

export const EBAY_DEFAULT_BASE_URL = "https://api.ebay.com"
export const EBAY_DEFAULT_AUTH_URL = "https://api.ebay.com/identity/v1/oauth2/token"
export const EBAY_FULFILLMENT_PATH = "/sell/fulfillment/v1"
export const EBAY_DEFAULT_SCOPE = "https://api.ebay.com/oauth/api_scope/sell.fulfillment"
export const EBAY_MAX_PAGE_SIZE = 200
/**
 * Asked on every order read. Without it eBay leaves out each tax's `taxType`, the order's special
 * fees (`pricingSummary.fee`) and, for eBay-collected tax, leaves that tax out of `total`.
 */
export const EBAY_FIELD_GROUPS = "TAX_BREAKDOWN"

/**
 * eBay meters calls per application and day (reset at midnight Pacific), not per second. The daily
 * allowance is spread evenly so a backfill cannot spend it in one burst. Sell Fulfillment's default
 * allowance is taken as 100,000 calls/day (not confirmed in eBay's call-limits table); the OAuth
 * refresh_token grant allows 50,000/day.
 */
export const EBAY_RATE_LIMITS = {
  fulfillment: { rate: 100_000 / 86_400, burst: 10 },
  oauth: { rate: 50_000 / 86_400, burst: 5 },
} as const satisfies Record<string, RateLimit>

export const EBAY_OPERATIONS = { fulfillment: "ebay:sell.fulfillment", oauth: "ebay:oauth" } as const

/**
 * The Sell Fulfillment allowance is one per application, but two kinds of work draw on it: the
 * import's listing (getOrders) and the per-order calls of shipment feedback (getOrder read-backs,
 * shipping fulfillments). Each gets its own bucket with half of the allowance (rate and burst), so
 * that verifying shipments never delays an import and a long backfill never starves feedback; the
 * two together never exceed the allowance.
 */
export type EbayFulfillmentBucket = "listing" | "orders"
export const EBAY_FULFILLMENT_SHARES: Record<EbayFulfillmentBucket, { rate: number; burst: number }> = {
  listing: { rate: 1 / 2, burst: 5 },
  orders: { rate: 1 / 2, burst: 5 },
}

export type EbayRateLimits = {
  /** The application's whole Sell Fulfillment allowance (what eBay meters). */
  fulfillment: RateLimit
  /** getOrders' share of it. */
  listing: RateLimit
  /** The share of every other Sell Fulfillment call (getOrder, shipping fulfillments). */
  orders: RateLimit
  oauth: RateLimit
}

export function scaledRateLimits(multiplier = 1): EbayRateLimits {
  const m = multiplier > 0 ? multiplier : 1
  const fulfillment = { rate: EBAY_RATE_LIMITS.fulfillment.rate * m, burst: EBAY_RATE_LIMITS.fulfillment.burst }
  const share = (b: EbayFulfillmentBucket): RateLimit => ({
    rate: fulfillment.rate * EBAY_FULFILLMENT_SHARES[b].rate,
    burst: EBAY_FULFILLMENT_SHARES[b].burst,
  })
  return {
    fulfillment,
    listing: share("listing"),
    orders: share("orders"),
    oauth: { rate: EBAY_RATE_LIMITS.oauth.rate * m, burst: EBAY_RATE_LIMITS.oauth.burst },
  }
}

export type EbayProviderOptions = {
  base_url?: string
  auth_url?: string
  /** Multiplies eBay's published rates; only tests and simulators should raise it. */
  rate_limit_multiplier?: number
  /** getOrders `limit`, 1–200. */
  page_size?: number
  timeout_ms?: number
  retry?: Partial<RetryPolicy>
  /** Read a new shipping fulfillment back after creating it, to report it as confirmed. */
  verify_shipments?: boolean
  /** For tests: replaces real sleeping between retries. */
  sleep?: (ms: number) => Promise<void>
  /** For tests: the clock that bounds a listing window ("now" as eBay would see it). */
  now?: () => number
}

/** Everything one call needs, resolved from the provider options and one channel's context. */
export type EbayConnection = {
  channelId: string
  baseUrl: string
  authUrl: string
  clientId: string
  clientSecret: string
  refreshToken: string
  scope: string
  marketplaceId?: string
  limiter: ChannelRateLimiter
  cache?: ChannelProviderCache
  limits: EbayRateLimits
  timeoutMs: number
  retry?: Partial<RetryPolicy>
  sleep?: (ms: number) => Promise<void>
}

const stripSlash = (url: string) => url.replace(/\/+$/, "")

function stringSetting(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() ? value.trim() : undefined
}

function checkUrl(name: string, value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ChannelProviderError("invalid_settings", `eBay ${name} is not a URL: ${value}`)
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ChannelProviderError("invalid_settings", `eBay ${name} must be an http(s) URL`)
  }
  return stripSlash(value)
}

export function resolveScope(scopes: unknown): string {
  if (Array.isArray(scopes)) {
    const list = scopes.filter((s): s is string => typeof s === "string" && Boolean(s.trim()))
    return list.length ? list.join(" ") : EBAY_DEFAULT_SCOPE
  }
  return stringSetting(scopes) ?? EBAY_DEFAULT_SCOPE
}

/** Reads and checks a channel's settings and credentials; the messages never quote a secret. */
export function resolveConnection(ctx: ChannelContext, options: EbayProviderOptions): EbayConnection {
  const settings = ctx.settings ?? {}
  const credentials = ctx.credentials ?? {}
  const missing = ["client_id", "client_secret", "refresh_token"].filter((k) => !stringSetting(credentials[k]))
  if (missing.length) {
    throw new ChannelProviderError("invalid_settings", `eBay credentials are missing: ${missing.join(", ")}`)
  }
  const multiplier = Number(settings.rate_limit_multiplier ?? options.rate_limit_multiplier ?? 1)
  return {
    channelId: ctx.channel_id,
    baseUrl: checkUrl("base_url", stringSetting(settings.base_url) ?? options.base_url ?? EBAY_DEFAULT_BASE_URL),
    authUrl: checkUrl("auth_url", stringSetting(settings.auth_url) ?? options.auth_url ?? EBAY_DEFAULT_AUTH_URL),
    clientId: String(credentials.client_id).trim(),
    clientSecret: String(credentials.client_secret).trim(),
    refreshToken: String(credentials.refresh_token).trim(),
    scope: resolveScope(credentials.scopes ?? settings.scopes),
    marketplaceId: stringSetting(settings.marketplace_id),
    limiter: ctx.limiter,
    cache: ctx.cache,
    limits: scaledRateLimits(Number.isFinite(multiplier) ? multiplier : 1),
    timeoutMs: options.timeout_ms ?? 30_000,
    retry: options.retry,
    sleep: options.sleep,
  }
}

/** eBay's `{errors:[{errorId, message, longMessage, ...}]}`: the first error's id, every message. */
export const parseEbayError: MarketplaceErrorParser = (_status, body) => {
  const errors = (body as { errors?: EbayError[] } | undefined)?.errors
  if (!Array.isArray(errors) || !errors.length) return undefined
  const message = errors
    .map((e) => {
      const long = e.longMessage && e.longMessage !== e.message ? ` (${e.longMessage})` : ""
      return `${e.message ?? "eBay error"}${long}`
    })
    .join("; ")
  return { code: errors[0].errorId !== undefined ? String(errors[0].errorId) : undefined, message }
}

/** The identity service answers in plain OAuth 2: `{error, error_description}`. */
const parseOAuthError: MarketplaceErrorParser = (_status, body) => {
  const b = body as { error?: string; error_description?: string } | undefined
  if (!b || typeof b !== "object" || !b.error) return undefined
  return { code: b.error, message: b.error_description ?? b.error }
}

/**
 * The filter eBay expects, with the brackets percent-encoded as its docs require (`[`=%5B, `]`=%5D,
 * `{`=%7B, `|`=%7C, `}`=%7D) and the colons and commas between criteria left as they are.
 */
export function encodeFilter(filter: string): string {
  return encodeURIComponent(filter).replace(/%3A/gi, ":").replace(/%2C/gi, ",")
}

type CachedToken = { access_token: string; expires_at: number }

const TOKEN_CACHE_KEY = "ebay:access_token"

/** A token is reused until this long before it expires (5 min, or a tenth of short test lifetimes). */
const renewalMargin = (lifetimeMs: number) => Math.min(300_000, Math.floor(lifetimeMs / 10))

type ApiRequest = {
  method: "GET" | "POST"
  /** Below /sell/fulfillment/v1, already encoded. */
  path: string
  query?: string
  body?: unknown
  /** Attempts for this call; a POST that creates something is not retried blindly. */
  maxAttempts?: number
  /** Whose share of the allowance the call spends (default `orders`; getOrders spends `listing`). */
  bucket?: EbayFulfillmentBucket
}

/** The eBay Sell Fulfillment client: OAuth refresh-token grant, cached tokens, rate-limited calls. */
export class EbayClient {
  private readonly tokens = new Map<string, CachedToken & { lifetime_ms: number }>()
  private readonly exchanges = new Map<string, Promise<string>>()
  private readonly now: () => number
  /** Number of token exchanges this client made, for tests and diagnostics. */
  tokenExchanges = 0

  constructor(now: () => number = Date.now) {
    this.now = now
  }

  /** Identifies one set of credentials without keeping them: a changed refresh token gets a new token. */
  private fingerprint(conn: EbayConnection): string {
    return createHash("sha256")
      .update([conn.authUrl, conn.clientId, conn.refreshToken, conn.scope].join("\n"))
      .digest("hex")
      .slice(0, 16)
  }

  private memoryKey(conn: EbayConnection): string {
    return `${conn.channelId}:${this.fingerprint(conn)}`
  }

  private cacheKey(conn: EbayConnection): string {
    return `${TOKEN_CACHE_KEY}:${this.fingerprint(conn)}`
  }

  /**
   * A valid user access token. `rejected` is the token eBay just answered 401 to: it is dropped, and
   * if another call already replaced it the replacement is used instead of exchanging again.
   */
  async accessToken(conn: EbayConnection, rejected?: string): Promise<string> {
    const key = this.memoryKey(conn)
    const fresh = (t: { access_token: string; expires_at: number; lifetime_ms?: number } | undefined) =>
      t && t.access_token !== rejected && this.now() < t.expires_at - renewalMargin(t.lifetime_ms ?? 7_200_000)

    const inMemory = this.tokens.get(key)
    if (fresh(inMemory)) return inMemory!.access_token
    if (rejected && inMemory?.access_token === rejected) this.tokens.delete(key)

    const pending = this.exchanges.get(key)
    if (pending) {
      const token = await pending
      if (token !== rejected) return token
    }
    // Registered before any await so concurrent callers share one cache read and one exchange.
    const loading = this.storedOrExchanged(conn, rejected).finally(() => this.exchanges.delete(key))
    this.exchanges.set(key, loading)
    return loading
  }

  private async storedOrExchanged(conn: EbayConnection, rejected?: string): Promise<string> {
    if (conn.cache) {
      const cacheKey = this.cacheKey(conn)
      const stored = await conn.cache.get<CachedToken>(cacheKey)
      if (stored && stored.access_token !== rejected && this.now() < stored.expires_at) {
        this.tokens.set(this.memoryKey(conn), { ...stored, lifetime_ms: 0 })
        return stored.access_token
      }
      if (stored && stored.access_token === rejected) await conn.cache.delete(cacheKey)
    }
    return this.exchange(conn)
  }

  private async exchange(conn: EbayConnection): Promise<string> {
    const form = new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: conn.refreshToken,
      scope: conn.scope,
    }).toString()
    const basic = Buffer.from(`${conn.clientId}:${conn.clientSecret}`).toString("base64")
    this.tokenExchanges++
    let res: MarketplaceResponse<{ access_token?: string; expires_in?: number; token_type?: string }>
    try {
      res = await requestMarketplace({
        method: "POST",
        url: conn.authUrl,
        headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
        body: form,
        // eBay meters per application, so the bucket is the app's, shared by all its channels.
        operation: `${EBAY_OPERATIONS.oauth}:${conn.clientId}`,
        limit: conn.limits.oauth,
        limiter: conn.limiter,
        timeoutMs: conn.timeoutMs,
        retry: conn.retry,
        sleep: conn.sleep,
        parseError: parseOAuthError,
      })
    } catch (e) {
      throw explainTokenError(e)
    }
    const body = res.body
    if (!body || typeof body !== "object" || typeof body.access_token !== "string" || !body.access_token) {
      throw new ChannelProviderError("malformed_response", "eBay's token endpoint answered without an access_token", {
        retryable: true,
        status: res.status,
      })
    }
    const lifetimeMs = Math.max(1, Number(body.expires_in ?? 7200)) * 1000
    const issuedAt = this.now()
    const token = { access_token: body.access_token, expires_at: issuedAt + lifetimeMs }
    this.tokens.set(this.memoryKey(conn), { ...token, lifetime_ms: lifetimeMs })
    if (conn.cache) {
      const ttlSeconds = Math.floor((lifetimeMs - renewalMargin(lifetimeMs)) / 1000)
      if (ttlSeconds > 0) {
        await conn.cache.set(this.cacheKey(conn), { access_token: token.access_token, expires_at: token.expires_at - renewalMargin(lifetimeMs) }, ttlSeconds)
      }
    }
    return token.access_token
  }

  /** One Sell Fulfillment call; a 401 drops the token, exchanges the refresh token once and retries once. */
  private async call<T>(conn: EbayConnection, req: ApiRequest): Promise<MarketplaceResponse<T>> {
    const token = await this.accessToken(conn)
    try {
      return await this.send<T>(conn, req, token)
    } catch (e) {
      if (!(e instanceof ChannelProviderError) || e.code !== "unauthorized") throw e
    }
    const renewed = await this.accessToken(conn, token)
    try {
      return await this.send<T>(conn, req, renewed)
    } catch (e) {
      if (e instanceof ChannelProviderError && e.code === "unauthorized") {
        throw new ChannelProviderError(
          "unauthorized",
          "eBay refused a freshly issued access token. Check that the eBay account granted this app the sell.fulfillment scope.",
          { retryable: false, status: e.status, marketplace_code: e.marketplace_code, marketplace_message: e.marketplace_message }
        )
      }
      throw e
    }
  }

  private send<T>(conn: EbayConnection, req: ApiRequest, token: string): Promise<MarketplaceResponse<T>> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` }
    if (conn.marketplaceId) headers["x-ebay-c-marketplace-id"] = conn.marketplaceId
    const url = `${conn.baseUrl}${EBAY_FULFILLMENT_PATH}${req.path}${req.query ? `?${req.query}` : ""}`
    return requestMarketplace<T>({
      method: req.method,
      url,
      headers,
      body: req.body,
      operation: `${EBAY_OPERATIONS.fulfillment}:${req.bucket ?? "orders"}:${conn.clientId}`,
      limit: conn.limits[req.bucket ?? "orders"],
      limiter: conn.limiter,
      timeoutMs: conn.timeoutMs,
      retry: req.maxAttempts ? { ...(conn.retry ?? {}), maxAttempts: req.maxAttempts } : conn.retry,
      sleep: conn.sleep,
      parseError: parseEbayError,
    })
  }

  async getOrders(conn: EbayConnection, q: { filter?: string; limit: number; offset: number }): Promise<EbayOrderPage> {
    const parts: string[] = []
    if (q.filter) parts.push(`filter=${encodeFilter(q.filter)}`)
    parts.push(`fieldGroups=${EBAY_FIELD_GROUPS}`, `limit=${q.limit}`, `offset=${q.offset}`)
    const res = await this.call<EbayOrderPage>(conn, { method: "GET", path: "/order", query: parts.join("&"), bucket: "listing" })
    const page = res.body
    if (!page || typeof page !== "object" || (page.orders !== undefined && !Array.isArray(page.orders))) {
      throw new ChannelProviderError("malformed_response", "eBay getOrders answered without an orders list", {
        retryable: true,
        status: res.status,
      })
    }
    return page
  }

  /** The order, or null when eBay does not know it (404, or 400 "Invalid order ID"). */
  async getOrder(conn: EbayConnection, orderId: string): Promise<EbayOrder | null> {
    try {
      const res = await this.call<EbayOrder>(conn, {
        method: "GET",
        path: `/order/${encodeURIComponent(orderId)}`,
        query: `fieldGroups=${EBAY_FIELD_GROUPS}`,
      })
      return res.body ?? null
    } catch (e) {
      if (e instanceof ChannelProviderError && (e.status === 404 || (e.status === 400 && e.marketplace_code === "32100"))) {
        return null
      }
      throw e
    }
  }

  /** POST shipping_fulfillment, attempted once: the caller decides after a read-back whether to try again. */
  async createShippingFulfillment(
    conn: EbayConnection,
    orderId: string,
    details: EbayShippingFulfillmentDetails
  ): Promise<{ fulfillmentId: string | null; location: string | null }> {
    const res = await this.call<unknown>(conn, {
      method: "POST",
      path: `/order/${encodeURIComponent(orderId)}/shipping_fulfillment`,
      body: details,
      maxAttempts: 1,
    })
    const location = res.headers.get("location")
    return { fulfillmentId: fulfillmentIdFromLocation(location), location }
  }

  async getShippingFulfillments(conn: EbayConnection, orderId: string): Promise<EbayShippingFulfillment[]> {
    const res = await this.call<{ fulfillments?: EbayShippingFulfillment[] }>(conn, {
      method: "GET",
      path: `/order/${encodeURIComponent(orderId)}/shipping_fulfillment`,
    })
    return Array.isArray(res.body?.fulfillments) ? res.body!.fulfillments! : []
  }
}

/** `…/order/{orderId}/shipping_fulfillment/{fulfillmentId}` → fulfillmentId. */
export function fulfillmentIdFromLocation(location: string | null): string | null {
  if (!location) return null
  const match = /\/shipping_fulfillment\/([^/?#]+)/.exec(location)
  return match ? decodeURIComponent(match[1]) : null
}

/** Token endpoint failures, told in words an admin can act on. */
function explainTokenError(e: unknown): unknown {
  if (!(e instanceof ChannelProviderError) || e.retryable) return e
  const opts = {
    retryable: false,
    status: e.status,
    marketplace_code: e.marketplace_code,
    marketplace_message: e.marketplace_message,
  }
  const said = e.marketplace_message ? ` eBay said: "${e.marketplace_message}".` : ""
  switch (e.marketplace_code) {
    case "invalid_grant":
      return new ChannelProviderError(
        "unauthorized",
        `eBay refused the refresh token (invalid_grant): it was revoked, has expired or belongs to another eBay app. Reconnect the eBay account.${said}`,
        opts
      )
    case "invalid_client":
      return new ChannelProviderError("unauthorized", `eBay refused the app's client_id/client_secret (invalid_client).${said}`, opts)
    case "invalid_scope":
      return new ChannelProviderError("unauthorized", `eBay refused the requested OAuth scopes (invalid_scope).${said}`, opts)
  }
  return new ChannelProviderError(
    e.code === "unauthorized" ? "unauthorized" : e.code,
    `eBay's token endpoint refused the refresh (HTTP ${e.status ?? "?"}).${said}`,
    opts
  )
}
