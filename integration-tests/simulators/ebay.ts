import http from "node:http"
import type { AddressInfo, Socket } from "node:net"
import { randomBytes } from "node:crypto"
import { refill } from "../../src/providers/shared/rate-limiter"
import type { RateLimit } from "../../src/modules/channel/types/provider"
import { scaledRateLimits } from "../../src/providers/ebay/client"
import { EBAY_CARRIER_CODES } from "../../src/providers/ebay/carriers"
import { validateRequest, SPECS } from "./openapi"
import { ebayResponseProblems } from "./ebay/spec-check"
import { callKey, type FaultKind, type FaultReplies, type FaultSchedule, type StatusFlip } from "./faults"

export { makeOrder, simOrderId } from "./ebay/orders"
export type { MakeOrderInput, SimLineItemInput } from "./ebay/orders"

/**
 * A local eBay: OAuth refresh-token grant and the Sell Fulfillment order/shipping_fulfillment
 * operations over real HTTP on 127.0.0.1, with an in-memory order store, eBay's filter syntax and
 * error shape, a rate limit, fault injection and a log of every request and response.
 */

export type EbayOperation =
  | "token"
  | "getOrders"
  | "getOrder"
  | "createShippingFulfillment"
  | "getShippingFulfillments"
  | "getShippingFulfillment"
  | "unknown"

export type EbayFault =
  /** Answer with a 5xx and eBay's 30500 "System error". */
  | { kind: "server_error"; status?: number }
  /** Do the work, then hold the answer this long (longer than the client's timeout). */
  | { kind: "timeout"; holdMs?: number }
  /** Do the work, then send a truncated JSON body with status 200. */
  | { kind: "malformed" }
  /** Answer 401 "Invalid access token" whatever the token. */
  | { kind: "unauthorized" }
  /** Answer 429 whatever the bucket holds. */
  | { kind: "rate_limited" }

export type RecordedRequest = {
  seq: number
  operation: EbayOperation
  method: string
  path: string
  /** The query string exactly as received, percent-encoding untouched. */
  rawQuery: string
  query: Record<string, string>
  headers: http.IncomingHttpHeaders
  body: string
  time: number
  status?: number
  fault?: EbayFault["kind"]
  /** The fault the seeded schedule injected (./faults). */
  injected?: FaultKind
}

export type RecordedResponse = {
  seq: number
  operation: EbayOperation
  status: number
  /** Parsed JSON (undefined for an empty or malformed body). */
  body: unknown
  raw: string
  /** Set when the body was deliberately broken by a fault. */
  malformed?: boolean
}

export type EbaySimulatorOptions = {
  clientId?: string
  clientSecret?: string
  /** Refresh tokens the simulator accepts. */
  refreshTokens?: string[]
  /** Scopes a refresh token may ask for. */
  grantedScopes?: string[]
  accessTokenTtlSeconds?: number
  /** Same meaning as the provider's `rate_limit_multiplier`. */
  rateLimitMultiplier?: number
  /** Overrides the published limits (already scaled). */
  rateLimits?: Partial<Record<"fulfillment" | "oauth", RateLimit>>
  enforceRateLimit?: boolean
  /** Seconds sent in Retry-After with a 429; eBay documents none, so none by default. */
  retryAfterSeconds?: number
  /**
   * Arrival jitter the bucket forgives: a request that acquired its token on time may reach the
   * server a few ms before the bucket refilled.
   */
  rateSlackMs?: number
  now?: () => number
  /** A seeded fault schedule (./faults); none by default. */
  faults?: FaultSchedule
}

type Order = Record<string, any>
type Fulfillment = {
  fulfillmentId: string
  lineItems: { lineItemId: string; quantity: number }[]
  shipmentTrackingNumber?: string
  shippedDate: string
  shippingCarrierCode?: string
}

const FULFILLMENT_BASE = "/sell/fulfillment/v1"
const TOKEN_PATH = "/identity/v1/oauth2/token"
const DEFAULT_SCOPES = [
  "https://api.ebay.com/oauth/api_scope",
  "https://api.ebay.com/oauth/api_scope/sell.fulfillment",
  "https://api.ebay.com/oauth/api_scope/sell.fulfillment.readonly",
]
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/
const TWO_YEARS_MS = 2 * 365 * 24 * 3600 * 1000
const KNOWN_CARRIERS = new Set<string>(EBAY_CARRIER_CODES)

class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {}
  ) {}
}

const ebayError = (status: number, errorId: number, message: string, extra: Record<string, unknown> = {}) =>
  new Reply(status, {
    errors: [
      {
        errorId,
        domain: extra.domain ?? "API_FULFILLMENT",
        category: extra.category ?? (status >= 500 ? "APPLICATION" : "REQUEST"),
        message,
        ...(extra.longMessage ? { longMessage: extra.longMessage } : {}),
        ...(extra.parameters ? { parameters: extra.parameters } : {}),
      },
    ],
  })

const invalidToken = () =>
  ebayError(401, 1001, "Invalid access token", {
    domain: "OAuth",
    longMessage: "Invalid access token. Check the value of the Authorization HTTP request header.",
  })

const systemError = (status = 500) => ebayError(status, 30500, "System error")

/** eBay's answers for the seeded faults (./faults). */
const EBAY_FAULT_REPLIES: FaultReplies = {
  throttle: (seconds) => {
    const r = ebayError(429, 2001, "Too many requests", { domain: "ACCESS", longMessage: "The request limit has been reached for the resource." })
    return { status: r.status, body: r.body, headers: seconds !== undefined ? { "retry-after": String(seconds) } : {} }
  },
  serverError: (status) => {
    const r = systemError(status)
    return { status: r.status, body: r.body }
  },
  truncated: () => '{"href":"https://api.ebay.com/sell/fulfillment/v1/order?limit=50","total":12,"orders":[{"orderId":"',
  // eBay's getOrders error for an offset it refuses (31000).
  expiredPage: () => {
    const r = ebayError(400, 31000, "Invalid offset")
    return { status: r.status, body: r.body }
  },
}

export class EbaySimulator {
  readonly options: Required<Omit<EbaySimulatorOptions, "rateLimits" | "retryAfterSeconds" | "faults">> &
    Pick<EbaySimulatorOptions, "retryAfterSeconds">
  readonly limits: Record<"fulfillment" | "oauth", RateLimit>

  readonly requests: RecordedRequest[] = []
  readonly responses: RecordedResponse[] = []
  /** Token exchanges that succeeded. */
  tokensIssued = 0
  /** 429s sent because the bucket was empty (not injected ones). */
  throttled = 0

  private server?: http.Server
  private readonly sockets = new Set<Socket>()
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly orders = new Map<string, Order>()
  private readonly fulfillments = new Map<string, Fulfillment[]>()
  private readonly accessTokens = new Map<string, { expiresAt: number; refreshToken: string }>()
  private readonly refreshTokens: Set<string>
  private readonly revoked = new Set<string>()
  private readonly buckets = new Map<string, { tokens: number; updated_at_ms: number }>()
  private faults: { fault: EbayFault; remaining: number; skip: number; operation: EbayOperation | "api" }[] = []
  private seq = 0
  private fulfillmentSeq = 998
  private faultSchedule?: FaultSchedule

  constructor(options: EbaySimulatorOptions = {}) {
    this.options = {
      clientId: options.clientId ?? "SimApp-PRD-0123456789-abcdef",
      clientSecret: options.clientSecret ?? "PRD-sim-client-secret",
      refreshTokens: options.refreshTokens ?? ["v^1.1#i^1#r^1#sim-refresh-token"],
      grantedScopes: options.grantedScopes ?? DEFAULT_SCOPES,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 7200,
      rateLimitMultiplier: options.rateLimitMultiplier ?? 1,
      enforceRateLimit: options.enforceRateLimit ?? true,
      retryAfterSeconds: options.retryAfterSeconds,
      rateSlackMs: options.rateSlackMs ?? 25,
      now: options.now ?? Date.now,
    }
    const scaled = scaledRateLimits(this.options.rateLimitMultiplier)
    this.limits = { ...scaled, ...(options.rateLimits ?? {}) }
    this.refreshTokens = new Set(this.options.refreshTokens)
    if (options.faults) this.useFaults(options.faults)
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res))
    this.server.on("connection", (socket) => {
      this.sockets.add(socket)
      socket.on("close", () => this.sockets.delete(socket))
    })
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve))
    return this
  }

  async stop(): Promise<void> {
    this.faultSchedule?.dispose()
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }

  /** Origin, e.g. http://127.0.0.1:50123 — the provider's `base_url`. */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null
    if (!address) throw new Error("The eBay simulator is not started")
    return `http://127.0.0.1:${address.port}`
  }

  /** The provider's `auth_url`. */
  get authUrl(): string {
    return `${this.url}${TOKEN_PATH}`
  }

  // ---- order store --------------------------------------------------------------------------

  addOrders(...orders: Order[]): void {
    for (const o of orders) this.orders.set(o.orderId, structuredClone(o))
  }

  getStoredOrder(orderId: string): Order | undefined {
    const o = this.orders.get(orderId)
    return o ? structuredClone(o) : undefined
  }

  orderIds(): string[] {
    return this.sorted().map((o) => o.orderId)
  }

  /** Changes an order as eBay would: the patch is merged and lastModifiedDate moves to now. */
  updateOrder(orderId: string, patch: Partial<Order> | ((order: Order) => void) = {}): Order {
    const order = this.orders.get(orderId)
    if (!order) throw new Error(`No simulated eBay order ${orderId}`)
    if (typeof patch === "function") patch(order)
    else Object.assign(order, structuredClone(patch))
    if (typeof patch === "function" || !("lastModifiedDate" in patch)) order.lastModifiedDate = this.isoNow()
    return structuredClone(order)
  }

  shippingFulfillments(orderId: string): Fulfillment[] {
    return structuredClone(this.fulfillments.get(orderId) ?? [])
  }

  // ---- faults and auth controls --------------------------------------------------------------

  /** The next `count` requests of `operation` (default: any Sell Fulfillment call) meet `fault`. */
  /** `after` lets that many matching requests through untouched first (e.g. fail only the second parcel). */
  injectFault(fault: EbayFault, opts: { count?: number; operation?: EbayOperation | "api"; after?: number } = {}): void {
    this.faults.push({ fault, remaining: opts.count ?? 1, skip: opts.after ?? 0, operation: opts.operation ?? "api" })
  }

  clearFaults(): void {
    this.faults = []
  }

  /** Attaches a seeded fault schedule (or detaches it with undefined); its status flips use `flipForFaults`. */
  useFaults(schedule: FaultSchedule | undefined): void {
    this.faultSchedule = schedule
    if (schedule) schedule.flipper ??= (random) => this.flipForFaults(random)
  }

  /** A status flip between two pages: a paid order nothing has shipped from is canceled. */
  flipForFaults(random: () => number): StatusFlip | undefined {
    const open = this.sorted().filter(
      (o) => o.orderFulfillmentStatus === "NOT_STARTED" && o.orderPaymentStatus === "PAID" && (o.cancelStatus?.cancelState ?? "NONE_REQUESTED") === "NONE_REQUESTED"
    )
    if (!open.length) return undefined
    const order = open[Math.floor(random() * open.length)]
    const at = this.isoNow()
    order.cancelStatus = {
      cancelState: "CANCELED",
      cancelRequests: [
        {
          cancelInitiator: "SELLER",
          cancelReason: "OUT_OF_STOCK_OR_CANNOT_FULFILL",
          cancelRequestedDate: at,
          cancelRequestId: `5${String(this.seq).padStart(9, "0")}`,
          cancelRequestState: "COMPLETED",
          cancelCompletedDate: at,
        },
      ],
      cancelledDate: at,
    }
    order.lastModifiedDate = at
    return { order_id: order.orderId, from: "NOT_STARTED", to: "CANCELED" }
  }

  /** Every access token issued so far stops working (as if its 2 hours were up). */
  expireAccessTokens(): void {
    for (const t of this.accessTokens.values()) t.expiresAt = 0
  }

  /** The user revoked the app: the refresh token and the access tokens it issued stop working. */
  revokeRefreshToken(refreshToken = this.options.refreshTokens[0]): void {
    this.revoked.add(refreshToken)
    for (const t of this.accessTokens.values()) if (t.refreshToken === refreshToken) t.expiresAt = 0
  }

  /** Spec problems of every response sent so far (deliberately malformed bodies excepted). */
  specViolations(): string[] {
    const problems: string[] = []
    for (const r of this.responses) {
      if (r.malformed || r.body === undefined || r.operation === "unknown") continue
      for (const p of ebayResponseProblems(r.operation, r.status, r.body)) {
        problems.push(`#${r.seq} ${r.operation} ${r.status}: ${p}`)
      }
    }
    return problems
  }

  requestsFor(operation: EbayOperation): RecordedRequest[] {
    return this.requests.filter((r) => r.operation === operation)
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  private isoNow(): string {
    return new Date(this.options.now()).toISOString()
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const target = req.url ?? "/"
    const q = target.indexOf("?")
    const path = q < 0 ? target : target.slice(0, q)
    const rawQuery = q < 0 ? "" : target.slice(q + 1)
    const recorded: RecordedRequest = {
      seq: ++this.seq,
      operation: this.route(req.method ?? "GET", path).operation,
      method: req.method ?? "GET",
      path,
      rawQuery,
      query: parseQuery(rawQuery),
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
      time: this.options.now(),
    }
    this.requests.push(recorded)

    if (this.faultSchedule?.covers(recorded.operation)) {
      const event = this.faultSchedule.decide({
        operation: recorded.operation,
        key: callKey(recorded.method, path, new URLSearchParams(rawQuery)),
        paged: Number(recorded.query.offset ?? 0) > 0,
        record: recorded,
      })
      if (event.kind) recorded.injected = event.kind
      if (this.faultSchedule.deliver(event, res, EBAY_FAULT_REPLIES, (status) => (recorded.status = status))) return
    }

    let reply: Reply
    let fault: EbayFault | undefined
    try {
      fault = this.takeFault(recorded.operation)
      recorded.fault = fault?.kind
      reply = this.answer(recorded, fault)
    } catch {
      // A simulator bug should look like eBay's own 500, not hang the client.
      reply = systemError()
    }

    const send = () => this.send(res, recorded, reply, fault?.kind === "malformed")
    if (fault?.kind === "timeout") {
      const timer = setTimeout(() => {
        this.timers.delete(timer)
        if (!res.destroyed && !res.writableEnded) send()
      }, fault.holdMs ?? 2_000)
      this.timers.add(timer)
      return
    }
    send()
  }

  private send(res: http.ServerResponse, request: RecordedRequest, reply: Reply, malformed: boolean): void {
    let raw = reply.body === undefined ? "" : JSON.stringify(reply.body)
    const status = malformed ? 200 : reply.status
    if (malformed) raw = raw.slice(0, Math.max(1, Math.floor(raw.length / 2)))
    request.status = status
    this.responses.push({
      seq: request.seq,
      operation: request.operation,
      status,
      body: malformed || raw === "" ? undefined : reply.body,
      raw,
      malformed: malformed || undefined,
    })
    const headers: Record<string, string> = { ...reply.headers }
    if (raw) headers["content-type"] = "application/json"
    res.writeHead(status, headers)
    res.end(raw)
  }

  private takeFault(operation: EbayOperation): EbayFault | undefined {
    const entry = this.faults.find(
      (f) => f.remaining > 0 && (f.operation === operation || (f.operation === "api" && operation !== "token"))
    )
    if (!entry) return undefined
    if (entry.skip > 0) {
      entry.skip--
      return undefined
    }
    entry.remaining--
    this.faults = this.faults.filter((f) => f.remaining > 0)
    return entry.fault
  }

  private route(method: string, path: string): { operation: EbayOperation; params: string[] } {
    if (path === TOKEN_PATH && method === "POST") return { operation: "token", params: [] }
    if (!path.startsWith(FULFILLMENT_BASE)) return { operation: "unknown", params: [] }
    const parts = path.slice(FULFILLMENT_BASE.length).split("/").filter(Boolean).map(decodeURIComponent)
    if (parts[0] !== "order") return { operation: "unknown", params: [] }
    if (parts.length === 1 && method === "GET") return { operation: "getOrders", params: [] }
    if (parts.length === 2 && method === "GET") return { operation: "getOrder", params: [parts[1]] }
    if (parts.length === 3 && parts[2] === "shipping_fulfillment") {
      if (method === "POST") return { operation: "createShippingFulfillment", params: [parts[1]] }
      if (method === "GET") return { operation: "getShippingFulfillments", params: [parts[1]] }
    }
    if (parts.length === 4 && parts[2] === "shipping_fulfillment" && method === "GET") {
      return { operation: "getShippingFulfillment", params: [parts[1], parts[3]] }
    }
    return { operation: "unknown", params: [] }
  }

  private answer(request: RecordedRequest, fault: EbayFault | undefined): Reply {
    const { operation, params } = this.route(request.method, request.path)
    if (operation === "unknown") return ebayError(404, 2002, "Resource not found", { domain: "API_FULFILLMENT" })

    if (fault?.kind === "server_error") return systemError(fault.status ?? 500)
    if (fault?.kind === "unauthorized") return invalidToken()
    if (fault?.kind === "rate_limited" || !this.takeRateToken(operation === "token" ? "oauth" : "fulfillment")) {
      if (fault?.kind !== "rate_limited") this.throttled++
      const reply = ebayError(429, 2001, "Too many requests", {
        domain: "ACCESS",
        longMessage: "The request limit has been reached for the resource.",
      })
      if (this.options.retryAfterSeconds !== undefined) reply.headers["retry-after"] = String(this.options.retryAfterSeconds)
      return reply
    }

    if (operation === "token") return this.token(request)

    const auth = /^Bearer (.+)$/i.exec(String(request.headers.authorization ?? ""))
    const grant = auth ? this.accessTokens.get(auth[1]) : undefined
    if (!grant || grant.expiresAt <= this.options.now()) return invalidToken()

    switch (operation) {
      case "getOrders":
        return this.getOrders(request)
      case "getOrder":
        return this.getOrder(request, params[0])
      case "createShippingFulfillment":
        return this.createShippingFulfillment(request, params[0])
      case "getShippingFulfillments":
        return this.getShippingFulfillments(params[0])
      case "getShippingFulfillment":
        return this.getShippingFulfillment(params[0], params[1])
    }
  }

  private takeRateToken(bucket: "fulfillment" | "oauth"): boolean {
    if (!this.options.enforceRateLimit) return true
    const limit = this.limits[bucket]
    const now = this.options.now()
    const saved = this.buckets.get(bucket) ?? { tokens: limit.burst, updated_at_ms: now }
    const { tokens } = refill(saved, limit, now)
    // The slack lends what the next few ms would refill; the debt stays in the bucket, so it never adds up.
    if (tokens + (this.options.rateSlackMs / 1000) * limit.rate < 1) {
      this.buckets.set(bucket, { tokens, updated_at_ms: now })
      return false
    }
    this.buckets.set(bucket, { tokens: tokens - 1, updated_at_ms: now })
    return true
  }

  // ---- OAuth ------------------------------------------------------------------------------------

  private token(request: RecordedRequest): Reply {
    const basic = /^Basic (.+)$/i.exec(String(request.headers.authorization ?? ""))
    const expected = Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`).toString("base64")
    if (!basic || basic[1] !== expected) {
      return new Reply(401, { error: "invalid_client", error_description: "client authentication failed" })
    }
    if (!String(request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
      return new Reply(400, { error: "invalid_request", error_description: "request is missing a required parameter or malformed." })
    }
    const form = new URLSearchParams(request.body)
    if (form.get("grant_type") !== "refresh_token") {
      return new Reply(400, { error: "unsupported_grant_type", error_description: "grant type in request is not supported by the authorization server" })
    }
    const refreshToken = form.get("refresh_token") ?? ""
    if (!this.refreshTokens.has(refreshToken) || this.revoked.has(refreshToken)) {
      return new Reply(400, {
        error: "invalid_grant",
        error_description: "the provided authorization refresh token is invalid or was issued to another client",
      })
    }
    const scopes = (form.get("scope") ?? "").split(" ").filter(Boolean)
    if (scopes.some((s) => !this.options.grantedScopes.includes(s))) {
      return new Reply(400, {
        error: "invalid_scope",
        error_description: "The requested scope is invalid, unknown, malformed, or exceeds the scope granted to the client",
      })
    }
    const accessToken = `v^1.1#i^1#p^3#sim${randomBytes(12).toString("hex")}`
    const ttl = this.options.accessTokenTtlSeconds
    this.accessTokens.set(accessToken, { expiresAt: this.options.now() + ttl * 1000, refreshToken })
    this.tokensIssued++
    return new Reply(200, { access_token: accessToken, expires_in: ttl, token_type: "User Access Token" })
  }

  // ---- orders -------------------------------------------------------------------------------

  private sorted(): Order[] {
    return [...this.orders.values()].sort(
      (a, b) => Date.parse(a.creationDate) - Date.parse(b.creationDate) || String(a.orderId).localeCompare(String(b.orderId))
    )
  }

  private getOrders(request: RecordedRequest): Reply {
    const rawParams = splitRawQuery(request.rawQuery)
    const rawFilter = rawParams.get("filter")
    if (rawFilter !== undefined && /[\[\]{}|]/.test(rawFilter)) {
      // eBay's docs require these characters percent-encoded in the filter.
      return ebayError(400, 30800, `Invalid filter value ${safeDecode(rawFilter)} for filter filter`)
    }
    const query = request.query
    const breakdown = taxBreakdown(query)
    if (breakdown instanceof Reply) return breakdown

    const limitText = query.limit ?? "50"
    const limit = Number(limitText)
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > 200) return ebayError(400, 31100, `Invalid limit: ${limitText}`)
    const offsetText = query.offset ?? "0"
    const offset = Number(offsetText)
    if (!/^\d+$/.test(offsetText)) return ebayError(400, 31000, `Invalid offset: ${offsetText}`)

    let matches: Order[]
    if (query.orderIds) {
      const ids = query.orderIds.split(",").map((s) => s.trim()).filter(Boolean)
      if (ids.length > 50) return ebayError(400, 30900, "Exceeded maximum number of order IDs (the current limit is 50)")
      matches = this.sorted().filter((o) => ids.includes(o.orderId))
    } else {
      const parsed = this.parseFilter(query.filter)
      if (parsed instanceof Reply) return parsed
      matches = this.sorted().filter(parsed)
    }

    const page = matches.slice(offset, offset + limit).map((o) => forGetOrders(breakdown ? o : withoutTaxBreakdown(o)))
    const link = (o: number) => `${this.url}${FULFILLMENT_BASE}/order?${withPaging(rawParams, limit, o)}`
    const body: Record<string, unknown> = {
      href: `${this.url}${FULFILLMENT_BASE}/order${request.rawQuery ? `?${request.rawQuery}` : ""}`,
      total: matches.length,
      limit,
      offset,
      orders: page,
    }
    if (offset + limit < matches.length) body.next = link(offset + limit)
    if (offset > 0) body.prev = link(Math.max(0, offset - limit))
    return new Reply(200, body)
  }

  /** eBay's filter grammar: comma-separated `name:value`; dates as `[start..end]`, statuses as `{A|B}`. */
  private parseFilter(filter: string | undefined): ((o: Order) => boolean) | Reply {
    const now = this.options.now()
    if (!filter) return (o) => Date.parse(o.creationDate) >= now - 90 * 86_400_000

    const criteria = new Map<string, string>()
    for (const part of splitCriteria(filter)) {
      const colon = part.indexOf(":")
      const name = colon < 0 ? part : part.slice(0, colon)
      if (!["creationdate", "lastmodifieddate", "orderfulfillmentstatus"].includes(name)) {
        return ebayError(400, 30700, `Invalid filter name: ${name}`)
      }
      criteria.set(name, colon < 0 ? "" : part.slice(colon + 1))
    }

    const tests: ((o: Order) => boolean)[] = []
    // With both, eBay uses creationdate only.
    const dateName = criteria.has("creationdate") ? "creationdate" : criteria.has("lastmodifieddate") ? "lastmodifieddate" : null
    if (dateName) {
      const range = /^\[(.*?)\.\.(.*)\]$/.exec(criteria.get(dateName)!)
      if (!range) return ebayError(400, 30800, `Invalid filter value ${criteria.get(dateName)} for filter ${dateName}`)
      const [, startText, endText] = range
      if (!startText) return ebayError(400, 30820, "Start date is missing")
      if (!ISO_UTC.test(startText) || (endText && !ISO_UTC.test(endText))) return ebayError(400, 30810, "Invalid date format")
      const start = Date.parse(startText)
      const end = endText ? Date.parse(endText) : now
      if (start > now + 1000 || end > now + 1000) return ebayError(400, 30850, "Start and end dates can't be in the future")
      if (start > end) return ebayError(400, 30840, "Start date should be before end date")
      if (end - start > TWO_YEARS_MS) {
        return ebayError(400, 30830, "Time range between start date and end date must be within '2' years.")
      }
      const field = dateName === "creationdate" ? "creationDate" : "lastModifiedDate"
      tests.push((o) => {
        const t = Date.parse(o[field])
        return t >= start && t <= end
      })
    }
    if (criteria.has("orderfulfillmentstatus")) {
      const value = criteria.get("orderfulfillmentstatus")!
      const allowed: Record<string, string[]> = {
        "{NOT_STARTED|IN_PROGRESS}": ["NOT_STARTED", "IN_PROGRESS"],
        "{FULFILLED|IN_PROGRESS}": ["FULFILLED", "IN_PROGRESS"],
      }
      const statuses = allowed[value]
      if (!statuses) return ebayError(400, 30800, `Invalid filter value ${value} for filter orderfulfillmentstatus`)
      tests.push((o) => statuses.includes(o.orderFulfillmentStatus))
    }
    if (!dateName) tests.push((o) => Date.parse(o.creationDate) >= now - 90 * 86_400_000)
    return (o) => tests.every((t) => t(o))
  }

  private getOrder(request: RecordedRequest, orderId: string): Reply {
    const breakdown = taxBreakdown(request.query)
    if (breakdown instanceof Reply) return breakdown
    const order = this.orders.get(orderId)
    if (!order) return ebayError(404, 32100, `Invalid order ID: ${orderId}`)
    return new Reply(200, breakdown ? structuredClone(order) : withoutTaxBreakdown(order))
  }

  // ---- shipping fulfillments ------------------------------------------------------------------

  private createShippingFulfillment(request: RecordedRequest, orderId: string): Reply {
    const order = this.orders.get(orderId)
    if (!order) return ebayError(400, 32100, `Invalid Order Id: ${orderId}`)
    if (!String(request.headers["content-type"] ?? "").includes("application/json")) {
      return ebayError(400, 32600, "Invalid input data")
    }
    let body: any
    try {
      body = JSON.parse(request.body)
    } catch {
      return ebayError(400, 32600, "Invalid input data")
    }
    if (!validateRequest(SPECS.ebayFulfillment, "createShippingFulfillment", body).valid || !Array.isArray(body?.lineItems)) {
      return ebayError(400, 32600, "Invalid input data")
    }
    const lines: { lineItemId: string; quantity: number }[] = body.lineItems
    if (!lines.length) return ebayError(400, 32600, "Invalid input data")
    const ids = new Set<string>()
    for (const line of lines) {
      if (ids.has(line.lineItemId)) return ebayError(400, 32210, "Duplicate line item in the request")
      ids.add(line.lineItemId)
      const ordered = (order.lineItems ?? []).find((l: Order) => l.lineItemId === line.lineItemId)
      if (!ordered) return ebayError(400, 32200, `Invalid line item id: ${line.lineItemId}`)
      if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > ordered.quantity) {
        return ebayError(400, 32600, "Invalid input data")
      }
    }

    const tracking: string | undefined = body.trackingNumber
    const carrier: string | undefined = body.shippingCarrierCode
    if (Boolean(tracking) !== Boolean(carrier)) return ebayError(400, 32300, "Invalid shipment tracking number or carrier")
    if (tracking && (!/^[A-Za-z0-9]+$/.test(tracking) || !KNOWN_CARRIERS.has(carrier!))) {
      return ebayError(400, 32300, "Invalid shipment tracking number or carrier")
    }
    let shippedDate = this.isoNow()
    if (body.shippedDate !== undefined) {
      const t = Date.parse(body.shippedDate)
      if (!ISO_UTC.test(body.shippedDate) || Number.isNaN(t) || t > this.options.now() + 1000) {
        return ebayError(400, 32500, "Invalid shipped date")
      }
      shippedDate = new Date(t).toISOString()
    }

    const existing = this.fulfillments.get(orderId) ?? []
    if (tracking && existing.some((f) => f.shipmentTrackingNumber === tracking)) {
      return ebayError(400, 34500, "Please use PUT operation for updating shipping fulfillment")
    }
    const shipped = new Map<string, number>()
    for (const f of existing) for (const l of f.lineItems) shipped.set(l.lineItemId, (shipped.get(l.lineItemId) ?? 0) + l.quantity)
    for (const line of lines) {
      const ordered = order.lineItems.find((l: Order) => l.lineItemId === line.lineItemId)
      if ((shipped.get(line.lineItemId) ?? 0) + line.quantity > ordered.quantity) {
        return ebayError(409, 32600, "Invalid input data", {
          longMessage: `Line item ${line.lineItemId} is already fulfilled.`,
        })
      }
    }

    const fulfillmentId = tracking ?? String(++this.fulfillmentSeq)
    const fulfillment: Fulfillment = {
      fulfillmentId,
      lineItems: lines.map((l) => ({ lineItemId: l.lineItemId, quantity: l.quantity })),
      shippedDate,
      ...(tracking ? { shipmentTrackingNumber: tracking, shippingCarrierCode: carrier } : {}),
    }
    this.fulfillments.set(orderId, [...existing, fulfillment])

    // Any quantity of a line in a fulfillment marks the line FULFILLED (eBay's rule).
    for (const line of order.lineItems) if (ids.has(line.lineItemId)) line.lineItemFulfillmentStatus = "FULFILLED"
    const done = order.lineItems.filter((l: Order) => l.lineItemFulfillmentStatus === "FULFILLED").length
    order.orderFulfillmentStatus = done === order.lineItems.length ? "FULFILLED" : "IN_PROGRESS"
    const location = `${this.url}${FULFILLMENT_BASE}/order/${encodeURIComponent(orderId)}/shipping_fulfillment/${encodeURIComponent(fulfillmentId)}`
    order.fulfillmentHrefs = [...(order.fulfillmentHrefs ?? []), location]
    order.lastModifiedDate = this.isoNow()
    return new Reply(201, {}, { location })
  }

  private getShippingFulfillments(orderId: string): Reply {
    if (!this.orders.has(orderId)) return ebayError(400, 32100, `Invalid order ID: ${orderId}`)
    const list = this.fulfillments.get(orderId) ?? []
    return new Reply(200, { fulfillments: structuredClone(list), total: list.length })
  }

  private getShippingFulfillment(orderId: string, fulfillmentId: string): Reply {
    const found = (this.fulfillments.get(orderId) ?? []).find((f) => f.fulfillmentId === fulfillmentId)
    if (!found) return ebayError(404, 32100, `Invalid order ID: ${orderId}`)
    return new Reply(200, structuredClone(found))
  }
}

/** `fieldGroups`: TAX_BREAKDOWN is the only value eBay knows (anything else is error 32800). */
function taxBreakdown(query: Record<string, string>): boolean | Reply {
  const groups = query.fieldGroups
  if (groups === undefined) return false
  if (groups !== "TAX_BREAKDOWN") return ebayError(400, 32800, `Invalid field group: ${groups}`)
  return true
}

const cents = (value: unknown) => Math.round(Number(value ?? 0) * 100)
const decimal = (c: number) => (c / 100).toFixed(2)

/**
 * The stored orders carry the tax breakdown (what eBay sends with fieldGroups=TAX_BREAKDOWN). Without
 * it eBay leaves out each tax's taxType and the order's special fees (pricingSummary.fee), and leaves
 * the tax it collects and remits itself out of the line and order totals.
 */
export function withoutTaxBreakdown(stored: Order): Order {
  const order = structuredClone(stored)
  let remitted = 0
  for (const line of order.lineItems ?? []) {
    line.taxes = (line.taxes ?? []).map(({ taxType: _type, ...rest }: Order) => rest)
    const own = (line.ebayCollectAndRemitTaxes ?? []).reduce((s: number, t: Order) => s + cents(t.amount?.value), 0)
    if (own && line.total) line.total = { ...line.total, value: decimal(cents(line.total.value) - own) }
    remitted += own
  }
  const summary = order.pricingSummary
  if (summary) {
    delete summary.fee
    if (remitted && summary.total) summary.total = { ...summary.total, value: decimal(cents(summary.total.value) - remitted) }
  }
  return order
}

/** getOrders leaves cancelRequests empty; only getOrder fills them (eBay's documented behaviour). */
function forGetOrders(order: Order): Order {
  const copy = structuredClone(order)
  if (copy.cancelStatus) copy.cancelStatus.cancelRequests = []
  return copy
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

function splitRawQuery(rawQuery: string): Map<string, string> {
  const params = new Map<string, string>()
  for (const pair of rawQuery.split("&").filter(Boolean)) {
    const eq = pair.indexOf("=")
    params.set(safeDecode(eq < 0 ? pair : pair.slice(0, eq)), eq < 0 ? "" : pair.slice(eq + 1))
  }
  return params
}

function parseQuery(rawQuery: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of splitRawQuery(rawQuery)) out[k] = safeDecode(v)
  return out
}

/** The same query with limit/offset replaced, everything else kept byte for byte. */
function withPaging(raw: Map<string, string>, limit: number, offset: number): string {
  const parts: string[] = []
  for (const [k, v] of raw) if (k !== "limit" && k !== "offset") parts.push(`${k}=${v}`)
  parts.push(`limit=${limit}`, `offset=${offset}`)
  return parts.join("&")
}

/** Splits on commas outside brackets and braces. */
function splitCriteria(filter: string): string[] {
  const parts: string[] = []
  let depth = 0
  let current = ""
  for (const ch of filter) {
    if (ch === "[" || ch === "{") depth++
    if (ch === "]" || ch === "}") depth = Math.max(0, depth - 1)
    if (ch === "," && depth === 0) {
      parts.push(current.trim())
      current = ""
    } else {
      current += ch
    }
  }
  if (current.trim()) parts.push(current.trim())
  return parts
}
