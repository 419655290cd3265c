import { ChannelProviderError } from "../../modules/channel/errors"
import type { ChannelRateLimiter, RateLimit } from "../../modules/channel/types/provider"
import { requestMarketplace, type MarketplaceErrorParser, type RetryPolicy } from "../shared/http-client"
import type { MiraklCarrier, MiraklTrackingBody } from "./carriers"
import type { MiraklOrder, MiraklOrderList, MiraklShipment, MiraklShipmentRequest, MiraklShipmentsCreated } from "./types"

export type MiraklOperation = "OR11" | "OR21" | "OR23" | "OR24" | "OR29" | "SH21" | "ST01" | "ST11"

/**
 * A rate-limit bucket: one per operation, except that OR11 has two. The import's listing spends
 * `OR11`; single-order reads (the feedback read-back that checks a shipment landed, and the reads
 * that settle a lost OR21/OR24 answer) spend `OR11_READ`, so that verifying shipments never delays
 * an import and a long import never starves feedback.
 */
export type MiraklBucket = MiraklOperation | "OR11_READ"

/**
 * Mirakl publishes call frequencies ("OR11 async: at most once a minute", "SH21: once a day") but no
 * bucket sizes, so these are our own conservative buckets. A sync run may page through OR11 in a
 * burst; the scheduler is what keeps whole runs to the published frequency. Mirakl counts OR11 per
 * shop key whoever calls it, so its two buckets split one budget of 1 call per 6 s, burst 10:
 * together they never send more OR11 calls than a single bucket would.
 */
export const MIRAKL_RATE_LIMITS: Record<MiraklBucket, RateLimit> = {
  OR11: { rate: 1 / 8, burst: 8 },
  OR11_READ: { rate: 1 / 24, burst: 2 },
  OR21: { rate: 1, burst: 5 },
  OR23: { rate: 1, burst: 5 },
  OR24: { rate: 1, burst: 5 },
  OR29: { rate: 1, burst: 5 },
  SH21: { rate: 1 / 600, burst: 2 },
  // "On each new shipment" / "at each shipment page display": no figure, same buckets as OR23/OR24.
  ST01: { rate: 1, burst: 5 },
  ST11: { rate: 1, burst: 5 },
}

/**
 * Mirakl's seller spec declares no error body. Legacy endpoints answer `{"message", "status"}`;
 * newer ones `{"code", "errors": [{"field", "message"}]}`. Read both, and anything else leniently.
 */
export const parseMiraklError: MarketplaceErrorParser = (_status, body) => {
  if (!body || typeof body !== "object") return undefined
  const b = body as Record<string, any>
  const fieldErrors = Array.isArray(b.errors)
    ? b.errors
        .map((e: any) => (e && typeof e === "object" ? [e.field, e.message ?? e.code].filter(Boolean).join(": ") : String(e)))
        .filter(Boolean)
        .join("; ")
    : ""
  const message =
    (typeof b.message === "string" && b.message) ||
    fieldErrors ||
    (typeof b.error_description === "string" && b.error_description) ||
    (typeof b.error === "string" && b.error) ||
    undefined
  const code = typeof b.code === "string" ? b.code : typeof b.error_code === "string" ? b.error_code : undefined
  return { code, message }
}

export type MiraklClientConfig = {
  base_url: string
  api_key: string
  shop_id?: number
  /** Scopes the rate-limit buckets: Mirakl counts calls per shop key. */
  channel_id: string
  limiter: ChannelRateLimiter
  rate_limit_multiplier?: number
  timeout_ms?: number
  retry?: Partial<RetryPolicy>
}

type Query = Record<string, string | number | boolean | undefined>

/** Thin typed wrapper over the seller endpoints this provider uses; every call goes through requestMarketplace. */
export class MiraklClient {
  constructor(private readonly config: MiraklClientConfig) {}

  async listOrders(query: Query): Promise<MiraklOrderList> {
    const body = await this.call<unknown>("OR11", "GET", "/api/orders", query)
    const list = body as Partial<MiraklOrderList> | undefined
    if (!list || typeof list !== "object" || !Array.isArray(list.orders)) {
      throw new ChannelProviderError("malformed_response", "Mirakl OR11 answered without an `orders` list", { retryable: true })
    }
    const total = Number(list.total_count)
    return { orders: list.orders, total_count: Number.isFinite(total) ? total : list.orders.length }
  }

  /**
   * One order by id (OR11 filtered by `order_ids`; OR12 is deprecated), on the `OR11_READ` bucket so
   * that it never spends the import listing's budget. Undefined when Mirakl does not list it.
   */
  async getOrder(orderId: string): Promise<MiraklOrder | undefined> {
    const body = await this.call<unknown>("OR11", "GET", "/api/orders", { order_ids: orderId, max: 1 }, undefined, undefined, "OR11_READ")
    const list = body as Partial<MiraklOrderList> | undefined
    if (!list || typeof list !== "object" || !Array.isArray(list.orders)) {
      throw new ChannelProviderError("malformed_response", "Mirakl OR11 answered without an `orders` list", { retryable: true })
    }
    return list.orders.find((o) => o?.order_id === orderId)
  }

  async acceptLines(orderId: string, lines: { id: string; accepted: boolean }[]): Promise<void> {
    await this.call("OR21", "PUT", `/api/orders/${encodeURIComponent(orderId)}/accept`, {}, { order_lines: lines })
  }

  async updateTracking(orderId: string, body: MiraklTrackingBody): Promise<void> {
    await this.call("OR23", "PUT", `/api/orders/${encodeURIComponent(orderId)}/tracking`, {}, body)
  }

  /**
   * OR24. `once` makes a single attempt: a lost answer is then the caller's to resolve (by reading the
   * order back) instead of being retried blindly into "not in the expected state".
   */
  async ship(orderId: string, opts: { once?: boolean } = {}): Promise<void> {
    await this.call("OR24", "PUT", `/api/orders/${encodeURIComponent(orderId)}/ship`, {}, undefined, opts.once ? { maxAttempts: 1 } : undefined)
  }

  /** ST01, one attempt: creating shipments is not idempotent, so the caller checks ST11 before any repeat. */
  async createShipments(shipments: MiraklShipmentRequest[]): Promise<MiraklShipmentsCreated> {
    const body = await this.call<Partial<MiraklShipmentsCreated>>("ST01", "POST", "/api/shipments", {}, { shipments }, { maxAttempts: 1 })
    if (!body || typeof body !== "object") {
      throw new ChannelProviderError("malformed_response", "Mirakl ST01 answered without a body", { retryable: true })
    }
    return {
      shipment_success: Array.isArray(body.shipment_success) ? body.shipment_success : [],
      shipment_errors: Array.isArray(body.shipment_errors) ? body.shipment_errors : [],
    }
  }

  /** ST11 for one order, every page (seek pagination). */
  async listShipments(orderId: string, maxPages = 20): Promise<MiraklShipment[]> {
    const out: MiraklShipment[] = []
    let token: string | undefined
    for (let page = 0; page < maxPages; page++) {
      const body = await this.call<{ data?: unknown; next_page_token?: string }>("ST11", "GET", "/api/shipments", {
        order_id: orderId,
        page_token: token,
      })
      if (!body || !Array.isArray(body.data)) {
        throw new ChannelProviderError("malformed_response", "Mirakl ST11 answered without a `data` list", { retryable: true })
      }
      out.push(...(body.data as MiraklShipment[]))
      token = typeof body.next_page_token === "string" && body.next_page_token ? body.next_page_token : undefined
      if (!token) break
    }
    return out
  }

  async cancel(orderId: string): Promise<void> {
    await this.call("OR29", "PUT", `/api/orders/${encodeURIComponent(orderId)}/cancel`)
  }

  async carriers(): Promise<MiraklCarrier[]> {
    const body = await this.call<{ carriers?: unknown }>("SH21", "GET", "/api/shipping/carriers")
    if (!body || !Array.isArray(body.carriers)) {
      throw new ChannelProviderError("malformed_response", "Mirakl SH21 answered without a `carriers` list", { retryable: true })
    }
    return body.carriers.filter((c: any) => c && typeof c.code === "string")
  }

  private async call<T>(
    op: MiraklOperation,
    method: "GET" | "PUT" | "POST",
    path: string,
    query: Query = {},
    body?: unknown,
    retry?: Partial<RetryPolicy>,
    bucket: MiraklBucket = op
  ): Promise<T> {
    const url = new URL(this.config.base_url + path)
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined) url.searchParams.set(k, String(v))
    }
    if (this.config.shop_id !== undefined) url.searchParams.set("shop_id", String(this.config.shop_id))

    const published = MIRAKL_RATE_LIMITS[bucket]
    const multiplier = this.config.rate_limit_multiplier ?? 1
    try {
      const res = await requestMarketplace<T>({
        method,
        url: url.toString(),
        // The raw key: Mirakl's shop_api_key scheme takes no "Bearer" prefix.
        headers: { authorization: this.config.api_key },
        body,
        operation: `mirakl:${this.config.channel_id}:${bucket}`,
        limit: { rate: published.rate * multiplier, burst: published.burst },
        limiter: this.config.limiter,
        timeoutMs: this.config.timeout_ms,
        retry: retry ? { ...(this.config.retry ?? {}), ...retry } : this.config.retry,
        parseError: parseMiraklError,
      })
      return res.body
    } catch (e) {
      throw explain(e, op)
    }
  }
}

/** Adds what to do about auth failures; everything else is already worded by the HTTP client. */
function explain(e: unknown, op: MiraklOperation): unknown {
  if (!(e instanceof ChannelProviderError) || (e.code !== "unauthorized" && e.code !== "forbidden")) return e
  const hint =
    e.code === "unauthorized"
      ? "Mirakl rejected the shop API key: check credentials.api_key (keys differ per environment) and base_url"
      : "Mirakl refused access: the API key's user lacks the rights for this call or the shop_id"
  return new ChannelProviderError(e.code, `${hint} (${op}, HTTP ${e.status}${e.marketplace_message ? `: ${e.marketplace_message}` : ""})`, {
    retryable: false,
    status: e.status,
    marketplace_code: e.marketplace_code,
    marketplace_message: e.marketplace_message,
    cause: e,
  })
}
