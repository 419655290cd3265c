import { ChannelProviderError } from "../../modules/channel/errors"
import type { ChannelRateLimiter, RateLimit } from "../../modules/channel/types/provider"
import {
  requestMarketplace,
  type MarketplaceErrorParser,
  type MarketplaceResponse,
  type RetryPolicy,
} from "../shared/http-client"
import { accessToken, forgetAccessToken, type LwaSession } from "./lwa"
import type { AmazonOrder, ConfirmShipmentRequest, GetOrderResponse, SearchOrdersResponse } from "./types"

/** Default usage plans from the models (rate in requests per second, burst in requests). */
export const AMAZON_RATE_LIMITS = {
  searchOrders: { rate: 0.0056, burst: 20 },
  getOrder: { rate: 0.5, burst: 30 },
  confirmShipment: { rate: 2, burst: 10 },
  createFeedDocument: { rate: 0.5, burst: 15 },
  createFeed: { rate: 0.0083, burst: 15 },
  // LWA publishes no limit; one exchange a second is far above what a channel needs.
  lwaToken: { rate: 1, burst: 10 },
} satisfies Record<string, RateLimit>

export type AmazonOperation = keyof typeof AMAZON_RATE_LIMITS

export const DEFAULT_BASE_URL = "https://sellingpartnerapi-na.amazon.com"
export const DEFAULT_AUTH_URL = "https://api.amazon.com/auth/o2/token"

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
  const clean = (t: string | undefined) => usable.reduce((acc, s) => acc?.split(s).join("***"), t)
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

/** Amazon says "expired or invalid token" with 401, or with 403 and code `Unauthorized`. */
function refusedToken(e: unknown): boolean {
  return (
    e instanceof ChannelProviderError &&
    (e.status === 401 || (e.status === 403 && e.marketplace_code === "Unauthorized"))
  )
}

/** A typed Selling Partner API client for one channel call. */
export class AmazonSpApiClient {
  constructor(private readonly config: AmazonClientConfig) {}

  limitOf(operation: AmazonOperation): RateLimit {
    const { rate, burst } = AMAZON_RATE_LIMITS[operation]
    return { rate: rate * this.config.rateMultiplier, burst }
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
    req: { method: "GET" | "POST"; path: string; query?: Query; body?: unknown; retry?: Partial<RetryPolicy> }
  ): Promise<MarketplaceResponse<T>> {
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
    const send = async (token: string) =>
      requestMarketplace<T>({
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
    const tokenAfterBucket = async (fresh: boolean) => {
      await limiter.acquire(bucket, limit)
      prepaid = true
      return accessToken(this.config.lwa, { fresh })
    }
    try {
      const token = await tokenAfterBucket(false)
      try {
        return await send(token)
      } catch (e) {
        if (!refusedToken(e)) throw e
        await forgetAccessToken(this.config.lwa, token)
      }
      const fresh = await tokenAfterBucket(true)
      try {
        return await send(fresh)
      } catch (e) {
        if (!refusedToken(e)) throw e
        const err = e as ChannelProviderError
        throw new ChannelProviderError(
          "unauthorized",
          `Amazon refused a freshly issued access token for ${operation} (HTTP ${err.status}${
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
      throw withoutSecrets(e, this.config.secrets)
    }
  }

  async searchOrders(params: SearchOrdersParams): Promise<SearchOrdersResponse> {
    const res = await this.call<SearchOrdersResponse>("searchOrders", {
      method: "GET",
      path: "/orders/2026-01-01/orders",
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
  async getOrder(orderId: string, includedData: string[]): Promise<AmazonOrder | null> {
    try {
      const res = await this.call<GetOrderResponse>("getOrder", {
        method: "GET",
        path: `/orders/2026-01-01/orders/${encodeURIComponent(orderId)}`,
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
