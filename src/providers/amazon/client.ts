import { createHash } from "node:crypto"
import { gunzipSync } from "node:zlib"
import { ChannelProviderError } from "../../modules/channel/errors"
import type { ChannelRateLimiter, RateLimit } from "../../modules/channel/types/provider"
import {
  backoffDelay,
  DEFAULT_RETRY,
  requestMarketplace,
  type MarketplaceErrorParser,
  type MarketplaceResponse,
  type RetryPolicy,
} from "../shared/http-client"
import {
  accessToken,
  cachedToken,
  credentialFingerprint,
  forgetAccessToken,
  forgetCachedToken,
  usableSeconds,
  type LwaSession,
} from "./lwa"
import {
  RESTRICTED_INCLUDED_DATA,
  type AmazonOrder,
  type ConfirmShipmentRequest,
  type CreateRestrictedDataTokenResponse,
  type GetOrderResponse,
  type RestrictedResource,
  type SearchOrdersResponse,
} from "./types"

/** `Feed.processingStatus` of the Feeds API 2021-06-30. */
export const FEED_PROCESSING_STATUSES = ["IN_QUEUE", "IN_PROGRESS", "DONE", "CANCELLED", "FATAL"] as const
export type FeedProcessingStatus = (typeof FEED_PROCESSING_STATUSES)[number]

/** `Feed` (feeds_2021-06-30.json): what getFeed answers. */
export type AmazonFeed = {
  feedId: string
  feedType: string
  marketplaceIds?: string[]
  createdTime: string
  processingStatus: FeedProcessingStatus
  processingStartTime?: string
  processingEndTime?: string
  /** The processing report, once the feed is DONE (or FATAL with a report). */
  resultFeedDocumentId?: string
}

/** `FeedDocument`: where to download a document, and whether it is gzip-compressed. */
export type AmazonFeedDocument = { feedDocumentId: string; url: string; compressionAlgorithm?: string }

/** Default usage plans from the models (rate in requests per second, burst in requests). */
export const AMAZON_RATE_LIMITS = {
  searchOrders: { rate: 0.0056, burst: 20 },
  getOrder: { rate: 0.5, burst: 30 },
  confirmShipment: { rate: 2, burst: 10 },
  createFeedDocument: { rate: 0.5, burst: 15 },
  createFeed: { rate: 0.0083, burst: 15 },
  getFeed: { rate: 2, burst: 15 },
  getFeedDocument: { rate: 0.0222, burst: 10 },
  createRestrictedDataToken: { rate: 1, burst: 10 },
  // LWA publishes no limit; one exchange a second is far above what a channel needs.
  lwaToken: { rate: 1, burst: 10 },
} satisfies Record<string, RateLimit>

export type AmazonOperation = keyof typeof AMAZON_RATE_LIMITS

export const DEFAULT_BASE_URL = "https://sellingpartnerapi-na.amazon.com"
export const DEFAULT_AUTH_URL = "https://api.amazon.com/auth/o2/token"

export const SEARCH_ORDERS_PATH = "/orders/2026-01-01/orders"
export const GET_ORDER_PATH = "/orders/2026-01-01/orders/{orderId}"
export const RESTRICTED_DATA_TOKEN_PATH = "/tokens/2021-03-01/restrictedDataToken"

/**
 * The restricted resources a pull needs for the restricted part of `includedData`: searchOrders
 * and getOrder (generic `{orderId}`, so one token serves every order), each with the data elements
 * of the restricted datasets asked for. Null when nothing restricted is asked.
 */
export function restrictedResourcesFor(includedData: string[]): RestrictedResource[] | null {
  const elements = [
    ...new Set(
      includedData
        .filter((d): d is keyof typeof RESTRICTED_INCLUDED_DATA => d in RESTRICTED_INCLUDED_DATA)
        .map((d) => RESTRICTED_INCLUDED_DATA[d])
    ),
  ].sort()
  if (!elements.length) return null
  return [
    { method: "GET", path: SEARCH_ORDERS_PATH, dataElements: elements },
    { method: "GET", path: GET_ORDER_PATH, dataElements: elements },
  ]
}

/** Amazon's token shapes: LWA access (`Atza|`), refresh (`Atzr|`) and restricted data (`Atz.sprdt|`) tokens. */
const TOKEN_PATTERN = /Atz[a-z]?[.|][A-Za-z0-9._|+/=~-]{8,}/g

/** SP-API error body: `{"errors":[{"code","message","details"}]}`. */
export const parseAmazonError: MarketplaceErrorParser = (_status, body) => {
  const first = (body as any)?.errors?.[0]
  if (!first || typeof first !== "object") return undefined
  const details = typeof first.details === "string" && first.details.trim() ? first.details.trim() : ""
  const message = typeof first.message === "string" ? first.message : undefined
  return {
    code: typeof first.code === "string" ? first.code : undefined,
    message: message && details && !message.includes(details) ? `${message} (${details})` : message ?? (details || undefined),
  }
}

export type AmazonClientConfig = {
  baseUrl: string
  lwa: LwaSession
  limiter: ChannelRateLimiter
  /** `amazon:<seller or channel>`; each operation gets its own bucket under it. */
  limiterPrefix: string
  rateMultiplier: number
  timeoutMs?: number
  retry?: Partial<RetryPolicy>
  /** Values that must never appear in an error message. */
  secrets: string[]
}

export type SearchOrdersParams = {
  lastUpdatedAfter?: string
  lastUpdatedBefore?: string
  createdAfter?: string
  createdBefore?: string
  marketplaceIds: string[]
  fulfillmentStatuses?: string[]
  fulfilledBy?: string[]
  includedData?: string[]
  maxResultsPerPage?: number
  paginationToken?: string
}

type Query = Record<string, string | number | string[] | undefined>

/** Swagger-2 arrays are comma-separated; every value is percent-encoded exactly once. */
export function encodeQuery(query: Query): string {
  const parts: string[] = []
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue
    if (Array.isArray(value)) {
      if (value.length) parts.push(`${key}=${value.map(encodeURIComponent).join(",")}`)
    } else {
      parts.push(`${key}=${encodeURIComponent(String(value))}`)
    }
  }
  return parts.length ? `?${parts.join("&")}` : ""
}

function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "")
}

/** Replaces any secret in a provider error's texts, so credentials never reach logs or the admin. */
export function withoutSecrets(e: unknown, secrets: string[]): unknown {
  if (!(e instanceof ChannelProviderError)) return e
  const usable = secrets.filter((s) => typeof s === "string" && s.length >= 4)
  const clean = (t: string | undefined) =>
    usable.reduce((acc, s) => acc?.split(s).join("***"), t)?.replace(TOKEN_PATTERN, "***")
  const message = clean(e.message) ?? e.message
  const marketplaceMessage = clean(e.marketplace_message)
  if (message === e.message && marketplaceMessage === e.marketplace_message) return e
  return new ChannelProviderError(e.code, message, {
    retryable: e.retryable,
    status: e.status,
    marketplace_code: e.marketplace_code,
    marketplace_message: marketplaceMessage,
  })
}

/** Amazon's words for "this application lacks the role for that data" (Tokens API and Orders API). */
const NO_ACCESS = /\b(does|do) not have access\b/i

/**
 * Amazon says "expired or invalid token" with 401, or with 403 and code `Unauthorized`; but not when
 * it says the app has no access to the data asked for (a new token cannot change that).
 */
function refusedToken(e: unknown): boolean {
  return (
    e instanceof ChannelProviderError &&
    (e.status === 401 || (e.status === 403 && e.marketplace_code === "Unauthorized")) &&
    !NO_ACCESS.test(`${e.marketplace_message ?? ""}`)
  )
}

/**
 * Whether Amazon refused restricted data because the application lacks the role: a 403 that is not
 * about the token (e.g. `AccessDeniedException`), or any refusal saying the app has no access.
 */
export function refusedForRole(e: unknown): boolean {
  if (!(e instanceof ChannelProviderError)) return false
  if (e.code === "restricted_data_refused") return true
  if ((e.status === 403 || e.status === 400) && NO_ACCESS.test(`${e.marketplace_message ?? ""}`)) return true
  return e.status === 403 && e.code !== "unauthorized" && !!e.marketplace_code && e.marketplace_code !== "Unauthorized"
}

type TokenSource = {
  /** How errors name the token. */
  name: "access token" | "restricted data token"
  get(fresh: boolean): Promise<string>
  forget(token: string): Promise<void>
}

/**
 * Rates Amazon announced per bucket (x-amzn-RateLimit-Limit), for every client of this process. The
 * buckets themselves live in PostgreSQL; each instance learns the rate from its own responses.
 */
const LEARNED_RATES = new Map<string, number>()

/** For tests: forget what was learned. */
export function forgetLearnedRates(): void {
  LEARNED_RATES.clear()
}

/** A typed Selling Partner API client for one channel call. */
export class AmazonSpApiClient {
  constructor(private readonly config: AmazonClientConfig) {}

  limitOf(operation: AmazonOperation): RateLimit {
    const { rate, burst } = AMAZON_RATE_LIMITS[operation]
    // The rate Amazon last announced for this account (x-amzn-RateLimit-Limit: dynamic usage plans
    // raise or lower it) wins over the published one; it is already the account's real rate.
    const learned = LEARNED_RATES.get(this.bucket(operation))
    return { rate: learned ?? rate * this.config.rateMultiplier, burst }
  }

  /** Remembers the rate Amazon announced in a response, for this bucket (the account and operation). */
  private learnRate(operation: AmazonOperation, headers: Headers | undefined) {
    const announced = Number(headers?.get("x-amzn-ratelimit-limit"))
    if (Number.isFinite(announced) && announced > 0) LEARNED_RATES.set(this.bucket(operation), announced)
  }

  bucket(operation: AmazonOperation): string {
    return `${this.config.limiterPrefix}:${operation}`
  }

  /** Fetches a token now (forcing a new exchange when `fresh`), e.g. to check credentials. */
  async authenticate(fresh = false): Promise<void> {
    try {
      await accessToken(this.config.lwa, { fresh })
    } catch (e) {
      throw withoutSecrets(e, this.config.secrets)
    }
  }

  /**
   * One SP-API call: a rate-limit token per attempt, the shared client's retries, and one
   * refresh-and-retry when Amazon refuses the access token.
   */
  private async call<T>(
    operation: AmazonOperation,
    req: {
      method: "GET" | "POST"
      path: string
      query?: Query
      body?: unknown
      retry?: Partial<RetryPolicy>
      /** Sends a restricted data token for these resources instead of the LWA access token. */
      restricted?: RestrictedResource[] | null
    }
  ): Promise<MarketplaceResponse<T>> {
    const lwa = this.config.lwa
    const restricted = req.restricted
    const source: TokenSource = restricted
      ? {
          name: "restricted data token",
          get: (fresh) => this.restrictedDataToken(restricted, fresh),
          forget: (token) => forgetCachedToken(lwa, this.rdtKey(restricted), token),
        }
      : {
          name: "access token",
          get: (fresh) => accessToken(lwa, { fresh }),
          forget: (token) => forgetAccessToken(lwa, token),
        }
    // Tokens used by this call: scrubbed from any error, like the credentials.
    const used: string[] = []
    const bucket = this.bucket(operation)
    const limit = this.limitOf(operation)
    const limiter = this.config.limiter
    // The first attempt's rate-limit token is taken before the access token is read, so a long
    // wait for the bucket cannot outlive the access token; retries take theirs per attempt.
    let prepaid = false
    const perAttempt: ChannelRateLimiter = {
      acquire: (op, l) => {
        if (prepaid) {
          prepaid = false
          return Promise.resolve()
        }
        return limiter.acquire(op, l)
      },
    }
    const send = async (token: string) => {
      const res = await requestMarketplace<T>({
        method: req.method,
        url: `${this.config.baseUrl.replace(/\/+$/, "")}${req.path}${encodeQuery(req.query ?? {})}`,
        headers: {
          "x-amz-access-token": token,
          "x-amz-date": amzDate(this.config.lwa.now()),
          "user-agent": "medusa-channel-orders/0.1 (Language=JavaScript; Platform=Node.js)",
        },
        body: req.body,
        operation: bucket,
        limit,
        limiter: perAttempt,
        timeoutMs: this.config.timeoutMs,
        retry: { ...(this.config.retry ?? {}), ...(req.retry ?? {}) },
        parseError: parseAmazonError,
      })
      this.learnRate(operation, res.headers)
      return res
    }
    const tokenAfterBucket = async (fresh: boolean) => {
      await limiter.acquire(bucket, limit)
      prepaid = true
      const token = await source.get(fresh)
      used.push(token)
      return token
    }
    try {
      const token = await tokenAfterBucket(false)
      try {
        return await send(token)
      } catch (e) {
        if (!refusedToken(e)) throw e
        await source.forget(token)
      }
      const fresh = await tokenAfterBucket(true)
      try {
        return await send(fresh)
      } catch (e) {
        if (!refusedToken(e)) throw e
        const err = e as ChannelProviderError
        throw new ChannelProviderError(
          "unauthorized",
          `Amazon refused a freshly issued ${source.name} for ${operation} (HTTP ${err.status}${
            err.marketplace_code ? ` ${err.marketplace_code}` : ""
          }): the app may lack the role for this operation or the seller authorization was revoked`,
          {
            retryable: false,
            status: err.status,
            marketplace_code: err.marketplace_code,
            marketplace_message: err.marketplace_message,
          }
        )
      }
    } catch (e) {
      throw withoutSecrets(e, [...this.config.secrets, ...used])
    }
  }

  /** Cache key of the restricted data token for these resources: channel, credentials, resource set. */
  private rdtKey(resources: RestrictedResource[]): string {
    const lwa = this.config.lwa
    const set = createHash("sha256").update(JSON.stringify(resources)).digest("hex").slice(0, 12)
    return `amazon:rdt:${lwa.channelId}:${credentialFingerprint(lwa.credentials)}:${set}`
  }

  /**
   * A restricted data token for `resources`: the cached one until shortly before it expires, or a
   * new one from the Tokens API (one request at a time per channel, credentials and resource set).
   * Throws `restricted_data_refused` when Amazon refuses it for want of a role.
   */
  async restrictedDataToken(resources: RestrictedResource[], fresh = false): Promise<string> {
    const lwa = this.config.lwa
    return cachedToken(lwa, this.rdtKey(resources), { fresh }, async () => {
      const issued = await this.createRestrictedDataToken(resources)
      return { access_token: issued.token, expires_at_ms: lwa.now() + usableSeconds(issued.expiresIn) * 1000 }
    })
  }

  /** Tokens API 2021-03-01 `createRestrictedDataToken`, with the LWA access token. */
  private async createRestrictedDataToken(resources: RestrictedResource[]): Promise<{ token: string; expiresIn: number }> {
    let res: MarketplaceResponse<CreateRestrictedDataTokenResponse>
    try {
      res = await this.call<CreateRestrictedDataTokenResponse>("createRestrictedDataToken", {
        method: "POST",
        path: RESTRICTED_DATA_TOKEN_PATH,
        body: { restrictedResources: resources },
      })
    } catch (e) {
      // 403 (after a fresh access token), or Amazon's 400 "Application does not have access to one
      // or more requested data elements": the app lacks the restricted role.
      if (e instanceof ChannelProviderError && (e.status === 403 || (e.status === 400 && NO_ACCESS.test(e.marketplace_message ?? "")))) {
        const elements = [...new Set(resources.flatMap((r) => r.dataElements ?? []))].join(", ")
        throw new ChannelProviderError(
          "restricted_data_refused",
          `Amazon refused a restricted data token for ${elements || "the restricted resources"} (HTTP ${e.status}${
            e.marketplace_code ? ` ${e.marketplace_code}` : ""
          }${e.marketplace_message ? `: ${e.marketplace_message}` : ""}): the app lacks the restricted role`,
          { retryable: false, status: e.status, marketplace_code: e.marketplace_code, marketplace_message: e.marketplace_message }
        )
      }
      throw e
    }
    const token = res.body?.restrictedDataToken
    const expiresIn = res.body?.expiresIn
    if (typeof token !== "string" || !token) {
      // Never quote the body: it may hold a token.
      throw new ChannelProviderError("malformed_response", "Amazon createRestrictedDataToken answered without a token", {
        retryable: true,
        status: res.status,
      })
    }
    return { token, expiresIn: typeof expiresIn === "number" && expiresIn > 0 ? expiresIn : 3600 }
  }

  async searchOrders(params: SearchOrdersParams, opts: { restricted?: RestrictedResource[] | null } = {}): Promise<SearchOrdersResponse> {
    const res = await this.call<SearchOrdersResponse>("searchOrders", {
      restricted: opts.restricted,
      method: "GET",
      path: SEARCH_ORDERS_PATH,
      query: {
        createdAfter: params.createdAfter,
        createdBefore: params.createdBefore,
        lastUpdatedAfter: params.lastUpdatedAfter,
        lastUpdatedBefore: params.lastUpdatedBefore,
        fulfillmentStatuses: params.fulfillmentStatuses,
        marketplaceIds: params.marketplaceIds,
        fulfilledBy: params.fulfilledBy,
        maxResultsPerPage: params.maxResultsPerPage,
        paginationToken: params.paginationToken,
        includedData: params.includedData,
      },
    })
    const body = res.body
    if (!body || typeof body !== "object" || !Array.isArray(body.orders)) {
      throw new ChannelProviderError("malformed_response", "Amazon searchOrders answered without an orders list", {
        retryable: true,
        status: res.status,
      })
    }
    return body
  }

  /** The order, or null when Amazon does not know it (404). */
  async getOrder(
    orderId: string,
    includedData: string[],
    opts: { restricted?: RestrictedResource[] | null } = {}
  ): Promise<AmazonOrder | null> {
    try {
      const res = await this.call<GetOrderResponse>("getOrder", {
        restricted: opts.restricted,
        method: "GET",
        path: GET_ORDER_PATH.replace("{orderId}", encodeURIComponent(orderId)),
        query: { includedData },
      })
      if (!res.body || typeof res.body !== "object" || !res.body.order) {
        throw new ChannelProviderError("malformed_response", "Amazon getOrder answered without an order", {
          retryable: true,
          status: res.status,
        })
      }
      return res.body.order
    } catch (e) {
      if (e instanceof ChannelProviderError && e.status === 404) return null
      throw e
    }
  }

  /** v0 confirmShipment; Amazon answers 204 with no body. */
  async confirmShipment(
    orderId: string,
    body: ConfirmShipmentRequest,
    opts: { retry?: Partial<RetryPolicy> } = {}
  ): Promise<number> {
    const res = await this.call<unknown>("confirmShipment", {
      method: "POST",
      path: `/orders/v0/orders/${encodeURIComponent(orderId)}/shipmentConfirmation`,
      body,
      retry: opts.retry,
    })
    return res.status
  }

  async createFeedDocument(contentType: string): Promise<{ feedDocumentId: string; url: string }> {
    const res = await this.call<{ feedDocumentId?: string; url?: string }>("createFeedDocument", {
      method: "POST",
      path: "/feeds/2021-06-30/documents",
      body: { contentType },
    })
    const { feedDocumentId, url } = res.body ?? {}
    if (!feedDocumentId || !url) {
      throw new ChannelProviderError("malformed_response", "Amazon createFeedDocument answered without an upload URL", {
        retryable: true,
      })
    }
    return { feedDocumentId, url }
  }

  /** Uploads to the pre-signed URL: no SP-API token, the URL carries its own authorization. */
  async uploadFeedDocument(url: string, contentType: string, content: string): Promise<void> {
    try {
      await requestMarketplace({
        method: "PUT",
        url,
        headers: { "content-type": contentType },
        body: content,
        timeoutMs: this.config.timeoutMs,
        retry: this.config.retry,
      })
    } catch (e) {
      throw withoutSecrets(e, this.config.secrets)
    }
  }

  /** Feeds API getFeed: the feed's processing status and, when done, its result document. */
  async getFeed(feedId: string): Promise<AmazonFeed> {
    const res = await this.call<AmazonFeed>("getFeed", {
      method: "GET",
      path: `/feeds/2021-06-30/feeds/${encodeURIComponent(feedId)}`,
    })
    const feed = res.body
    if (!feed || typeof feed !== "object" || !(FEED_PROCESSING_STATUSES as readonly string[]).includes(feed.processingStatus)) {
      throw new ChannelProviderError("malformed_response", "Amazon getFeed answered without a known processingStatus", {
        retryable: true,
        status: res.status,
      })
    }
    return feed
  }

  /** Feeds API getFeedDocument: a pre-signed URL (valid 5 minutes) and the compression, if any. */
  async getFeedDocument(feedDocumentId: string): Promise<AmazonFeedDocument> {
    const res = await this.call<Partial<AmazonFeedDocument>>("getFeedDocument", {
      method: "GET",
      path: `/feeds/2021-06-30/documents/${encodeURIComponent(feedDocumentId)}`,
    })
    const { url, compressionAlgorithm } = res.body ?? {}
    if (typeof url !== "string" || !url) {
      throw new ChannelProviderError("malformed_response", "Amazon getFeedDocument answered without a download URL", {
        retryable: true,
        status: res.status,
      })
    }
    return { feedDocumentId, url, ...(typeof compressionAlgorithm === "string" ? { compressionAlgorithm } : {}) }
  }

  /**
   * Downloads a feed document from its pre-signed URL (no SP-API token: the URL carries its own
   * authorization) and returns its text, gunzipped when it arrives compressed. Network errors, 5xx
   * and 429 are retried with backoff; any other refusal (an expired URL answers 403) is retryable
   * too, since a new getFeedDocument gives a new URL.
   */
  async downloadFeedDocument(url: string): Promise<string> {
    const policy: RetryPolicy = { ...DEFAULT_RETRY, ...(this.config.retry ?? {}) }
    const timeoutMs = this.config.timeoutMs ?? 30_000
    let last: ChannelProviderError | undefined
    for (let attempt = 0; attempt < policy.maxAttempts; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, backoffDelay(attempt - 1, policy)))
      let res: Response
      try {
        res = await fetch(url, { method: "GET", signal: AbortSignal.timeout(timeoutMs) })
      } catch (e: any) {
        const timedOut = e?.name === "TimeoutError" || e?.name === "AbortError"
        last = new ChannelProviderError(
          timedOut ? "timeout" : "network_error",
          timedOut ? `No answer from Amazon's document store within ${timeoutMs} ms` : `Network error downloading a feed document: ${e?.message ?? e}`,
          { retryable: true }
        )
        continue
      }
      if (res.status === 429 || res.status >= 500) {
        await res.arrayBuffer().catch(() => undefined)
        last = new ChannelProviderError("marketplace_unavailable", `Amazon's document store answered HTTP ${res.status}`, {
          retryable: true,
          status: res.status,
        })
        continue
      }
      if (!res.ok) {
        await res.arrayBuffer().catch(() => undefined)
        throw new ChannelProviderError(
          "marketplace_rejected",
          `Amazon's document store refused the download (HTTP ${res.status}); the pre-signed URL may have expired`,
          { retryable: true, status: res.status }
        )
      }
      let bytes = Buffer.from(await res.arrayBuffer())
      // Decompress by the gzip magic bytes, not by compressionAlgorithm alone: a client or proxy may
      // already have undone a Content-Encoding: gzip.
      if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
        try {
          bytes = gunzipSync(bytes)
        } catch {
          throw new ChannelProviderError("malformed_response", "An Amazon feed document could not be decompressed", { retryable: true })
        }
      }
      const charset = /charset=([^;\s]+)/i.exec(res.headers.get("content-type") ?? "")?.[1]?.replace(/"/g, "").toLowerCase()
      try {
        return new TextDecoder(charset || "utf-8").decode(bytes)
      } catch {
        return new TextDecoder("utf-8").decode(bytes)
      }
    }
    throw last ?? new ChannelProviderError("marketplace_unavailable", "The feed document download failed", { retryable: true })
  }

  async createFeed(input: { feedType: string; marketplaceIds: string[]; inputFeedDocumentId: string }): Promise<string> {
    const res = await this.call<{ feedId?: string }>("createFeed", {
      method: "POST",
      path: "/feeds/2021-06-30/feeds",
      body: input,
    })
    if (!res.body?.feedId) {
      throw new ChannelProviderError("malformed_response", "Amazon createFeed answered without a feedId", {
        retryable: true,
      })
    }
    return res.body.feedId
  }
}
