import { randomBytes, randomUUID, createHash } from "node:crypto"
import http from "node:http"
import { gzipSync } from "node:zlib"
import type { AddressInfo } from "node:net"
import type { RateLimit } from "../../src/modules/channel/types/provider"
import { AMAZON_CARRIER_CODES } from "../../src/providers/amazon/carriers"
import type { AmazonOrder } from "../../src/providers/amazon/types"
import { refill } from "../../src/providers/shared/rate-limiter"
import { FULFILLMENT_STATUSES, projectOrder } from "./amazon/orders"
import { SPECS, validateRequest, validateResponse } from "./openapi"

import { callKey, type FaultKind as ScheduledFaultKind, type FaultReplies, type FaultSchedule, type StatusFlip } from "./faults"
export { makeOrder, projectOrder, nextOrderId, nextOrderItemId, FULFILLMENT_STATUSES } from "./amazon/orders"
export type { MakeOrderInput, MakeItemInput, FulfillmentStatus } from "./amazon/orders"
export { AMAZON_MONEY_ORDERS, withTimes } from "./amazon/money-cases"
export type { AmazonMoneyCaseName } from "./amazon/money-cases"

/**
 * A local Amazon Selling Partner API: Login with Amazon, the Tokens API (restricted data tokens),
 * Orders API 2026-01-01 (searchOrders, getOrder), Orders v0 confirmShipment and the Feeds API calls a
 * seller cancellation needs (createFeedDocument, the upload, createFeed, getFeed, getFeedDocument and
 * the download of an XML processing report, whose outcome a test can choose with queueFeedOutcome). The application's restricted roles are an option. It keeps
 * an in-memory order store, enforces the published usage plans with the same token-bucket
 * arithmetic as the plugin, injects faults on demand, records every request and checks every JSON
 * body it sends against the official models.
 */

export type SimOperation =
  | "lwaToken"
  | "searchOrders"
  | "getOrder"
  | "confirmShipment"
  | "createFeedDocument"
  | "uploadFeedDocument"
  | "createFeed"
  | "getFeed"
  | "getFeedDocument"
  | "downloadFeedDocument"
  | "createRestrictedDataToken"

/** Published default usage plans; null = not throttled here (LWA and the S3 upload publish none). */
export const SIM_RATE_LIMITS: Record<SimOperation, RateLimit | null> = {
  lwaToken: null,
  uploadFeedDocument: null,
  downloadFeedDocument: null,
  searchOrders: { rate: 0.0056, burst: 20 },
  getOrder: { rate: 0.5, burst: 30 },
  confirmShipment: { rate: 2, burst: 10 },
  createFeedDocument: { rate: 0.5, burst: 15 },
  createFeed: { rate: 0.0083, burst: 15 },
  getFeed: { rate: 2, burst: 15 },
  getFeedDocument: { rate: 0.0222, burst: 10 },
  createRestrictedDataToken: { rate: 1, burst: 10 },
}

/** The Tokens API model (not in the shared SPECS list; the validator finds any file of the specs folder). */
export const TOKENS_SPEC = "tokens_2021-03-01.json"

/**
 * Restricted `includedData` of the 2026 Orders API and the Tokens API `dataElements` value that
 * authorizes each (buyer information, shipping address).
 */
export const RESTRICTED_DATA_ELEMENTS: Record<string, string> = { BUYER: "buyerInfo", RECIPIENT: "shippingAddress" }
/** `dataElements` values the Tokens model documents. */
const DATA_ELEMENTS = ["buyerInfo", "shippingAddress", "buyerTaxInformation"]
/** Restricted operations the simulator issues tokens for: the Orders API paths (2026 and v0). */
const RESTRICTED_PATHS: { method: string; pattern: RegExp }[] = [
  { method: "GET", pattern: /^\/orders\/2026-01-01\/orders$/ },
  { method: "GET", pattern: /^\/orders\/2026-01-01\/orders\/[^/]+$/ },
  { method: "GET", pattern: /^\/orders\/v0\/orders$/ },
  { method: "GET", pattern: /^\/orders\/v0\/orders\/[^/]+(\/(orderItems|address|buyerInfo))?$/ },
]

const SPEC_OF: Partial<Record<SimOperation, { file: string; operationId: string }>> = {
  searchOrders: { file: SPECS.amazonOrders2026, operationId: "searchOrders" },
  getOrder: { file: SPECS.amazonOrders2026, operationId: "getOrder" },
  confirmShipment: { file: SPECS.amazonOrdersV0, operationId: "confirmShipment" },
  createFeedDocument: { file: SPECS.amazonFeeds, operationId: "createFeedDocument" },
  createFeed: { file: SPECS.amazonFeeds, operationId: "createFeed" },
  getFeed: { file: SPECS.amazonFeeds, operationId: "getFeed" },
  getFeedDocument: { file: SPECS.amazonFeeds, operationId: "getFeedDocument" },
  createRestrictedDataToken: { file: TOKENS_SPEC, operationId: "createRestrictedDataToken" },
}

export const SIM_CLIENT_ID = "amzn1.application-oa2-client.simulator"
export const SIM_CLIENT_SECRET = "amzn1.oa2-cs.v1.simulator-secret-0123456789"
export const SIM_REFRESH_TOKEN = "Atzr|IwEBIsimulator-refresh-token-0123456789"

export const MESSAGES = {
  beforeTooRecent:
    "The input you have submitted is not valid. Note that the error may be due to a systematic delay in data retrieval. The most updated data is 2 minutes after an order is created or last updated. If you set the CreatedBefore or LastUpdatedBefore parameters, please provide a date that is at least 2 minutes before current time and try again.",
  badToken:
    "We could not decode your NextToken. Possible reasons include: a transmission error, improper quoting or a truncation problem.",
  quota: "You exceeded your quota for the requested resource.",
  denied: "Access to requested resource is denied.",
  alreadyFulfilled: "Unable to find package to update with the given PackageReferenceId or order already fulfilled.",
  badPackageReference: "PackageReferenceId: is invalid, must be a positive numeric value.",
  badOrderItem: "OrderItemId is invalid, please obtain the value through the getOrderItems API or Manage Orders page",
  noDataAccess: "Application does not have access to one or more requested data elements",
  noResource: "Resource not provided.",
} as const

/**
 * `echo_token`: a 400 whose details quote the access token sent, as a careless gateway might; it
 * checks that the provider never lets a token reach an error.
 */
export type FaultKind = "server_error" | "timeout" | "malformed" | "expired_token" | "throttle" | "echo_token"

export type Fault = {
  kind: FaultKind
  /** Only requests of this operation; any operation when absent. */
  operation?: SimOperation
  /** How many matching requests it hits (default 1). */
  count?: number
  /** server_error: 500 or 503 (default 500). */
  status?: number
  /** timeout: how long the answer is held (default 5 s). */
  holdMs?: number
  /** Lets this many matching requests through untouched before the fault starts hitting (default 0). */
  after?: number
}

/**
 * How the next feed submitted (createFeed) is processed. By default it is processed at once (DONE)
 * and its messages applied: an OrderAcknowledgement with StatusCode Failure cancels the order, or
 * gets an error result when the order is unknown or already shipped.
 */
export type FeedOutcome = {
  /**
   * `accepted` (default): applied as above; `rejected`: DONE with an error result for every message
   * and nothing applied; `fatal`: FATAL with an error result; `cancelled`: CANCELLED, no report.
   */
  result?: "accepted" | "rejected" | "fatal" | "cancelled"
  /**
   * getFeed answers that still say IN_QUEUE (the first) or IN_PROGRESS before the feed is processed
   * (default 0); Infinity keeps it in progress until finishFeed().
   */
  pendingPolls?: number
  /** rejected/fatal: the error result's ResultMessageCode and ResultDescription. */
  code?: string
  description?: string
  /** A warning result added to every message. */
  warning?: { code: string; description: string }
  /** Serve the processing report gzip-compressed (getFeedDocument then says compressionAlgorithm GZIP). */
  gzip?: boolean
  /** DONE/FATAL without a result document (no resultFeedDocumentId). */
  noReport?: boolean
  /** The result document is this text instead of a processing report. */
  reportContent?: string
}

/**
 * Result codes and texts of the simulated processing reports. The report layout follows Amazon's
 * ProcessingReport; these codes and wordings are the simulator's own, not Amazon's.
 */
export const SIM_FEED_RESULTS = {
  rejected: { code: "90001", description: "The order cannot be cancelled (simulated rejection)." },
  shipped: { code: "90002", description: "The order has already shipped and cannot be cancelled." },
  unknownOrder: { code: "90003", description: "The AmazonOrderID was not found for this merchant." },
  fatal: { code: "90004", description: "The feed could not be processed (simulated fatal error)." },
  notAnEnvelope: { code: "90005", description: "The XML document is not a valid AmazonEnvelope." },
} as const

export type RecordedRequest = {
  seq: number
  operation: SimOperation | "unknown"
  method: string
  path: string
  query: Record<string, string[]>
  headers: http.IncomingHttpHeaders
  accessToken?: string
  body: string
  time: number
  status?: number
  fault?: FaultKind
  /** The fault the seeded schedule injected (./faults). */
  injected?: ScheduledFaultKind
  /** timeout fault: the request is processed at once, its answer held this long. */
  holdMs?: number
  /** The JSON body sent back, when there was one. */
  response?: unknown
}

export type SpecViolation = { seq: number; operation: string; status: number; errors: string }

export type AmazonSimulatorOptions = {
  clientId?: string
  clientSecret?: string
  refreshTokens?: string[]
  accessTokenTtlSeconds?: number
  /** Multiplies every published rate (not the burst), like the provider option of the same meaning. */
  rateLimitMultiplier?: number
  rateLimits?: Partial<Record<SimOperation, RateLimit | null>>
  enforceRateLimits?: boolean
  /** Network jitter allowance: a request this early still finds its token. */
  rateLimitToleranceMs?: number
  /** The 2026 model documents 403 for an expired token; some stacks see 401. */
  expiredTokenStatus?: 401 | 403
  /** Clock for token expiry, the two-minute rule, rate limits and recorded times. */
  now?: () => number
  validateResponses?: boolean
  /**
   * Whether the application holds the restricted roles (Direct-to-Consumer Shipping, Tax
   * Invoicing/Remittance), default true. Without them, restricted data tokens are refused and so is
   * any searchOrders/getOrder asking for BUYER or RECIPIENT; asked without them, orders come back
   * without buyer and recipient.
   */
  restrictedRoles?: boolean
  /** Lifetime of a restricted data token (Amazon: 3600 s). */
  restrictedDataTokenTtlSeconds?: number
  /** Status of a refused token request: 403 (default) or Amazon's observed 400 InvalidInput. */
  restrictedDataRefusalStatus?: 400 | 403
  /**
   * The 2026 Orders API returns BUYER and RECIPIENT to apps with the roles on the plain access token
   * (no RDT needed, per Amazon); true refuses them without a restricted data token, as v0 did.
   */
  requireRestrictedDataToken?: boolean
  /** A seeded fault schedule (./faults); none by default. */
  faults?: FaultSchedule
}

type IssuedToken = { refreshToken: string; expiresAt: number; revoked: boolean }
type RestrictedGrant = { method: string; path: string; dataElements: string[] }
type IssuedRdt = IssuedToken & { resources: RestrictedGrant[] }
type FeedDocument = { id: string; contentType: string; content?: string; gzip?: boolean }
export type FeedRecord = {
  feedId: string
  feedType: string
  marketplaceIds: string[]
  createdTime: string
  processingStatus: "IN_QUEUE" | "IN_PROGRESS" | "DONE" | "FATAL" | "CANCELLED"
  processingStartTime?: string
  processingEndTime?: string
  inputFeedDocumentId: string
  resultFeedDocumentId?: string
  outcome: FeedOutcome
  /** getFeed answers left before processing, and given so far. */
  pendingPolls: number
  polled: number
}
type MessageResult = { messageId: string; orderId?: string; error?: { code: string; description: string }; warning?: { code: string; description: string } }

class HttpError {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
    readonly details = ""
  ) {}
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/

const TOKEN_MAGIC = Buffer.from([0xfb, 0xff])

const amazonError = (code: string, message: string, details = "") => ({ errors: [{ code, message, details }] })

/** Amazon's answers for the seeded faults (./faults). Amazon documents no Retry-After; the schedule can send one anyway. */
const AMAZON_FAULT_REPLIES: FaultReplies = {
  throttle: (seconds) => ({
    status: 429,
    headers: { "x-amzn-RequestId": randomUUID(), ...(seconds !== undefined ? { "retry-after": String(seconds) } : {}) },
    body: amazonError("QuotaExceeded", MESSAGES.quota),
  }),
  serverError: (status) => ({
    status,
    headers: { "x-amzn-RequestId": randomUUID() },
    body: amazonError(status === 503 ? "ServiceUnavailable" : "InternalFailure", "We encountered an internal error. Please try again."),
  }),
  truncated: () => '{"orders":[{"orderId":"113-',
  // A paginationToken past its 24 hours; the wording is ours (Amazon's is not documented).
  expiredPage: () => ({
    status: 400,
    headers: { "x-amzn-RequestId": randomUUID(), "x-amzn-ErrorType": "ValidationException" },
    body: amazonError("InvalidInput", "The paginationToken has expired or is invalid. Request the first page again."),
  }),
}

export class AmazonSimulator {
  readonly requests: RecordedRequest[] = []
  readonly specViolations: SpecViolation[] = []
  /** Bodies checked against the models, by operation and status. */
  readonly validated: { operation: string; status: number }[] = []
  readonly feeds = new Map<string, FeedRecord>()
  readonly feedDocuments = new Map<string, FeedDocument>()

  private server?: http.Server
  private port = 0
  private readonly store = new Map<string, AmazonOrder>()
  private readonly tokens = new Map<string, IssuedToken>()
  private readonly rdts = new Map<string, IssuedRdt>()
  private readonly refreshTokens: Set<string>
  private restrictedRoles: boolean
  private readonly buckets = new Map<string, { tokens: number; updated_at_ms: number }>()
  private readonly faults: (Fault & { left: number; skip: number })[] = []
  private readonly feedOutcomes: FeedOutcome[] = []
  private readonly held = new Set<NodeJS.Timeout>()
  private faultSchedule?: FaultSchedule
  private readonly opts: Required<Omit<AmazonSimulatorOptions, "rateLimits" | "refreshTokens" | "restrictedRoles" | "faults">> & {
    rateLimits: Record<SimOperation, RateLimit | null>
  }
  private seq = 0

  constructor(options: AmazonSimulatorOptions = {}) {
    this.opts = {
      clientId: options.clientId ?? SIM_CLIENT_ID,
      clientSecret: options.clientSecret ?? SIM_CLIENT_SECRET,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
      rateLimitMultiplier: options.rateLimitMultiplier ?? 1,
      enforceRateLimits: options.enforceRateLimits ?? true,
      rateLimitToleranceMs: options.rateLimitToleranceMs ?? 100,
      expiredTokenStatus: options.expiredTokenStatus ?? 403,
      now: options.now ?? Date.now,
      validateResponses: options.validateResponses ?? true,
      rateLimits: { ...SIM_RATE_LIMITS, ...(options.rateLimits ?? {}) },
      restrictedDataTokenTtlSeconds: options.restrictedDataTokenTtlSeconds ?? 3600,
      restrictedDataRefusalStatus: options.restrictedDataRefusalStatus ?? 403,
      requireRestrictedDataToken: options.requireRestrictedDataToken ?? false,
    }
    this.refreshTokens = new Set(options.refreshTokens ?? [SIM_REFRESH_TOKEN])
    this.restrictedRoles = options.restrictedRoles ?? true
    if (options.faults) this.useFaults(options.faults)
  }

  // ---------------------------------------------------------------- lifecycle

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "application/json" })
          res.end(JSON.stringify({ errors: [{ code: "InternalFailure", message: String(e?.message ?? e) }] }))
        }
      })
    })
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve))
    this.port = (this.server.address() as AddressInfo).port
    return this
  }

  async stop(): Promise<void> {
    this.faultSchedule?.dispose()
    for (const t of this.held) clearTimeout(t)
    this.held.clear()
    const server = this.server
    if (!server) return
    this.server = undefined
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`
  }

  get authUrl(): string {
    return `${this.baseUrl}/auth/o2/token`
  }

  now(): number {
    return this.opts.now()
  }

  // ---------------------------------------------------------------- orders

  addOrders(...orders: (AmazonOrder | AmazonOrder[])[]): void {
    for (const o of orders.flat()) this.store.set(o.orderId, structuredClone(o))
  }

  /** A copy of the stored order with every dataset. */
  order(id: string): AmazonOrder | undefined {
    const o = this.store.get(id)
    return o ? structuredClone(o) : undefined
  }

  orderIds(): string[] {
    return [...this.store.keys()]
  }

  /** Shallow patch (a status can be given as `status`); lastUpdatedTime moves to now unless patched. */
  updateOrder(id: string, patch: Partial<AmazonOrder> & { status?: string }): AmazonOrder {
    const o = this.store.get(id)
    if (!o) throw new Error(`No simulated order ${id}`)
    const { status, ...rest } = patch
    Object.assign(o, structuredClone(rest))
    if (status) o.fulfillment = { ...(o.fulfillment ?? { fulfillmentStatus: status }), fulfillmentStatus: status }
    if (!rest.lastUpdatedTime) o.lastUpdatedTime = this.isoNow()
    return structuredClone(o)
  }

  // ---------------------------------------------------------------- auth controls

  /** Every access token and restricted data token issued so far stops working (as if an hour had passed). */
  expireAccessTokens(): void {
    for (const t of this.tokens.values()) t.expiresAt = 0
    this.expireRestrictedDataTokens()
  }

  /** Every restricted data token issued so far stops working; access tokens keep working. */
  expireRestrictedDataTokens(): void {
    for (const t of this.rdts.values()) t.expiresAt = 0
  }

  /** The seller revoked the app: the refresh token and its access and restricted data tokens stop working. */
  revokeRefreshToken(refreshToken = SIM_REFRESH_TOKEN): void {
    this.refreshTokens.delete(refreshToken)
    for (const t of [...this.tokens.values(), ...this.rdts.values()]) if (t.refreshToken === refreshToken) t.revoked = true
  }

  /** Grants or withdraws the application's restricted roles from now on. */
  setRestrictedRoles(granted: boolean): void {
    this.restrictedRoles = granted
  }

  /** Number of access tokens issued. */
  lwaExchanges(): number {
    return this.requests.filter((r) => r.operation === "lwaToken" && r.status === 200).length
  }

  /** Restricted data tokens issued so far (values, in order). */
  restrictedDataTokens(): string[] {
    return this.requestsFor("createRestrictedDataToken")
      .filter((r) => r.status === 200)
      .map((r) => (r.response as { restrictedDataToken: string }).restrictedDataToken)
  }

  /** Whether a value is a restricted data token this simulator issued. */
  isRestrictedDataToken(token: string | undefined): boolean {
    return !!token && this.rdts.has(token)
  }

  // ---------------------------------------------------------------- faults & records

  injectFault(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.count ?? 1, skip: fault.after ?? 0 })
  }

  /** Attaches a seeded fault schedule (or detaches it with undefined); its status flips use `flipForFaults`. */
  useFaults(schedule: FaultSchedule | undefined): void {
    this.faultSchedule = schedule
    if (schedule) schedule.flipper ??= (random) => this.flipForFaults(random)
  }

  /** A status flip between two pages: a merchant-fulfilled order nothing has shipped from is canceled. */
  flipForFaults(random: () => number): StatusFlip | undefined {
    const open = [...this.store.values()]
      .filter((o) => o.fulfillment?.fulfillmentStatus === "UNSHIPPED" && o.fulfillment?.fulfilledBy !== "AMAZON")
      .sort((a, b) => (a.orderId < b.orderId ? -1 : 1))
    if (!open.length) return undefined
    const order = open[Math.floor(random() * open.length)]
    this.updateOrder(order.orderId, { status: "CANCELLED" })
    return { order_id: order.orderId, from: "UNSHIPPED", to: "CANCELLED" }
  }

  /** Faults and queued feed outcomes are dropped. */
  clearFaults(): void {
    this.faults.length = 0
    this.feedOutcomes.length = 0
  }

  // ---------------------------------------------------------------- feed controls

  /** How the next feeds submitted are processed, one outcome per createFeed, in order. */
  queueFeedOutcome(...outcomes: FeedOutcome[]): void {
    this.feedOutcomes.push(...outcomes)
  }

  /** Processes a feed still IN_QUEUE/IN_PROGRESS now, with its queued outcome or the one given. */
  finishFeed(feedId: string, outcome?: FeedOutcome): FeedRecord {
    const f = this.feeds.get(feedId)
    if (!f) throw new Error(`No simulated feed ${feedId}`)
    if (outcome) f.outcome = outcome
    if (f.processingStatus === "IN_QUEUE" || f.processingStatus === "IN_PROGRESS") this.processFeed(f)
    return f
  }

  /** The text of a feed document (an uploaded feed or a processing report). */
  feedDocumentContent(id: string): string | undefined {
    return this.feedDocuments.get(id)?.content
  }

  requestsFor(operation: SimOperation): RecordedRequest[] {
    return this.requests.filter((r) => r.operation === operation)
  }

  resetRequests(): void {
    this.requests.length = 0
    this.validated.length = 0
    this.specViolations.length = 0
  }

  /** Refills every bucket, as after a long pause. */
  resetRateLimits(): void {
    this.buckets.clear()
  }

  // ---------------------------------------------------------------- HTTP plumbing

  private isoNow(): string {
    return new Date(this.now()).toISOString()
  }

  private route(method: string, path: string): { operation: SimOperation | "unknown"; params: string[] } {
    const m = (re: RegExp) => path.match(re)
    let r: RegExpMatchArray | null
    if (method === "POST" && path === "/auth/o2/token") return { operation: "lwaToken", params: [] }
    if (method === "GET" && path === "/orders/2026-01-01/orders") return { operation: "searchOrders", params: [] }
    if (method === "GET" && (r = m(/^\/orders\/2026-01-01\/orders\/([^/]+)$/))) return { operation: "getOrder", params: [decodeURIComponent(r[1])] }
    if (method === "POST" && (r = m(/^\/orders\/v0\/orders\/([^/]+)\/shipmentConfirmation$/)))
      return { operation: "confirmShipment", params: [decodeURIComponent(r[1])] }
    if (method === "POST" && path === "/feeds/2021-06-30/documents") return { operation: "createFeedDocument", params: [] }
    if (method === "PUT" && (r = m(/^\/feed-uploads\/([^/]+)$/))) return { operation: "uploadFeedDocument", params: [r[1]] }
    if (method === "GET" && (r = m(/^\/feed-uploads\/([^/]+)$/))) return { operation: "downloadFeedDocument", params: [r[1]] }
    if (method === "GET" && (r = m(/^\/feeds\/2021-06-30\/documents\/([^/]+)$/)))
      return { operation: "getFeedDocument", params: [decodeURIComponent(r[1])] }
    if (method === "POST" && path === "/feeds/2021-06-30/feeds") return { operation: "createFeed", params: [] }
    if (method === "GET" && (r = m(/^\/feeds\/2021-06-30\/feeds\/([^/]+)$/))) return { operation: "getFeed", params: [r[1]] }
    if (method === "POST" && path === "/tokens/2021-03-01/restrictedDataToken") return { operation: "createRestrictedDataToken", params: [] }
    return { operation: "unknown", params: [] }
  }

  private limitOf(operation: SimOperation): RateLimit | null {
    const l = this.opts.rateLimits[operation]
    return l ? { rate: l.rate * this.opts.rateLimitMultiplier, burst: l.burst } : null
  }

  /** Same bucket arithmetic as the plugin's limiter; throttled calls spend nothing. */
  private takeToken(operation: SimOperation, seller: string): boolean {
    const limit = this.limitOf(operation)
    if (!limit || !this.opts.enforceRateLimits) return true
    const key = `${seller}:${operation}`
    const now = this.now()
    const saved = this.buckets.get(key) ?? { tokens: limit.burst, updated_at_ms: now }
    const { tokens } = refill(saved, limit, now)
    const allowance = (limit.rate * this.opts.rateLimitToleranceMs) / 1000
    if (tokens + allowance >= 1) {
      this.buckets.set(key, { tokens: Math.max(0, tokens - 1), updated_at_ms: now })
      return true
    }
    this.buckets.set(key, { tokens, updated_at_ms: now })
    return false
  }

  private nextFault(operation: SimOperation): Fault | undefined {
    const f = this.faults.find((x) => x.left > 0 && (!x.operation || x.operation === operation))
    if (!f) return undefined
    if (f.skip > 0) {
      f.skip -= 1
      return undefined
    }
    f.left -= 1
    if (f.left === 0) this.faults.splice(this.faults.indexOf(f), 1)
    return f
  }

  /** Writes an answer now, or after the hold of a timeout fault (the work is already done). */
  private write(res: http.ServerResponse, rec: RecordedRequest, status: number, headers: Record<string, string>, payload?: string | Buffer): void {
    rec.status = status
    const out = () => {
      if (res.destroyed || res.writableEnded) return
      res.writeHead(status, headers)
      res.end(payload)
    }
    if (!rec.holdMs) return out()
    const t = setTimeout(() => {
      this.held.delete(t)
      out()
    }, rec.holdMs)
    this.held.add(t)
  }

  private send(res: http.ServerResponse, rec: RecordedRequest, status: number, body?: unknown, headers: Record<string, string> = {}): void {
    const op = rec.operation
    const h: Record<string, string> = { "x-amzn-RequestId": randomUUID(), ...headers }
    const limit = op !== "unknown" ? this.limitOf(op) : null
    if (limit && [200, 201, 202, 204, 400, 404].includes(status)) h["x-amzn-RateLimit-Limit"] = String(limit.rate)
    if (body === undefined) return this.write(res, rec, status, h)
    rec.response = body
    this.check(rec, status, body)
    h["content-type"] = "application/json"
    this.write(res, rec, status, h, JSON.stringify(body))
  }

  private check(rec: RecordedRequest, status: number, body: unknown): void {
    if (!this.opts.validateResponses || rec.operation === "unknown") return
    const spec = SPEC_OF[rec.operation]
    if (!spec) return
    // 401 is not in the 2026 model; its body has the same ErrorList shape as 403.
    const documented = status === 401 && spec.file === SPECS.amazonOrders2026 ? 403 : status
    try {
      const r = validateResponse(spec.file, spec.operationId, documented, body)
      this.validated.push({ operation: rec.operation, status })
      if (!r.valid) this.specViolations.push({ seq: rec.seq, operation: rec.operation, status, errors: r.errors })
    } catch (e: any) {
      this.specViolations.push({ seq: rec.seq, operation: rec.operation, status, errors: String(e?.message ?? e) })
    }
  }

  private error(res: http.ServerResponse, rec: RecordedRequest, e: HttpError): void {
    this.send(res, rec, e.status, { errors: [{ code: e.code, message: e.message, details: e.details }] })
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks).toString("utf8")
    const url = new URL(req.url ?? "/", "http://simulator")
    const query: Record<string, string[]> = {}
    for (const [k, v] of url.searchParams) (query[k] ??= []).push(v)
    const method = req.method ?? "GET"
    const { operation, params } = this.route(method, url.pathname)
    const accessToken = typeof req.headers["x-amz-access-token"] === "string" ? req.headers["x-amz-access-token"] : undefined
    const rec: RecordedRequest = {
      seq: ++this.seq,
      operation,
      method,
      path: url.pathname,
      query,
      headers: req.headers,
      accessToken,
      body,
      time: this.now(),
    }
    this.requests.push(rec)

    if (operation === "unknown") {
      return this.error(res, rec, new HttpError(404, "NotFound", `No resource at ${method} ${url.pathname}`))
    }
    if (this.faultSchedule?.covers(operation)) {
      const event = this.faultSchedule.decide({
        operation,
        key: callKey(method, url.pathname, url.searchParams),
        paged: url.searchParams.has("paginationToken"),
        record: rec,
      })
      if (event.kind) rec.injected = event.kind
      const delivered = this.faultSchedule.deliver(event, res, AMAZON_FAULT_REPLIES, (status, body) => {
        rec.status = status
        if (body !== undefined && typeof body !== "string") rec.response = body
      })
      if (delivered) return
    }
    const seller = (accessToken && (this.tokens.get(accessToken) ?? this.rdts.get(accessToken))?.refreshToken) || "anonymous"
    if (!this.takeToken(operation, seller)) {
      rec.fault = "throttle"
      return this.error(res, rec, new HttpError(429, "QuotaExceeded", MESSAGES.quota))
    }

    const fault = this.nextFault(operation)
    if (fault) rec.fault = fault.kind
    if (fault?.kind === "timeout") rec.holdMs = fault.holdMs ?? 5_000
    this.dispatch(operation, params, rec, body, res, fault)
  }

  private dispatch(
    operation: SimOperation,
    params: string[],
    rec: RecordedRequest,
    body: string,
    res: http.ServerResponse,
    fault: Fault | undefined
  ): void {
    if (fault?.kind === "server_error") {
      const status = fault.status ?? 500
      const code = status === 503 ? "ServiceUnavailable" : "InternalFailure"
      return this.error(res, rec, new HttpError(status, code, "We encountered an internal error. Please try again."))
    }
    if (fault?.kind === "throttle") {
      return this.error(res, rec, new HttpError(429, "QuotaExceeded", MESSAGES.quota))
    }
    if (fault?.kind === "malformed") {
      return this.write(res, rec, 200, { "content-type": "application/json", "x-amzn-RequestId": randomUUID() }, '{"orders":[{"orderId":"113-')
    }
    try {
      if (operation === "lwaToken") return this.lwa(res, rec, body)
      if (operation === "uploadFeedDocument") return this.uploadFeedDocument(res, rec, params[0], body)
      if (operation === "downloadFeedDocument") return this.downloadFeedDocument(res, rec, params[0])
      if (fault?.kind === "expired_token" && rec.accessToken) {
        const t = this.tokens.get(rec.accessToken) ?? this.rdts.get(rec.accessToken)
        if (t) t.expiresAt = 0
      }
      if (fault?.kind === "echo_token") {
        throw new HttpError(400, "InvalidInput", "The request could not be processed.", `Unexpected x-amz-access-token value: ${rec.accessToken ?? ""}`)
      }
      this.authorize(rec, operation)
      switch (operation) {
        case "searchOrders":
          return this.send(res, rec, 200, this.searchOrders(rec.query, rec))
        case "getOrder":
          return this.send(res, rec, 200, this.getOrder(params[0], rec.query, rec))
        case "createRestrictedDataToken":
          return this.send(res, rec, 200, this.createRestrictedDataToken(rec, body))
        case "confirmShipment":
          this.confirmShipment(params[0], body)
          return this.send(res, rec, 204)
        case "createFeedDocument":
          return this.send(res, rec, 201, this.createFeedDocument(body))
        case "createFeed":
          return this.send(res, rec, 202, this.createFeed(body))
        case "getFeed":
          return this.send(res, rec, 200, this.getFeed(params[0]))
        case "getFeedDocument":
          return this.send(res, rec, 200, this.getFeedDocument(params[0]))
      }
    } catch (e) {
      if (e instanceof HttpError) return this.error(res, rec, e)
      throw e
    }
  }

  // ---------------------------------------------------------------- LWA

  private lwa(res: http.ServerResponse, rec: RecordedRequest, body: string): void {
    const form = new URLSearchParams(body)
    const fail = (status: number, error: string, description: string) => {
      rec.response = { error, error_description: description }
      this.write(res, rec, status, { "content-type": "application/json" }, JSON.stringify(rec.response))
    }
    if (form.get("grant_type") !== "refresh_token") {
      return fail(400, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server")
    }
    if (form.get("client_id") !== this.opts.clientId || form.get("client_secret") !== this.opts.clientSecret) {
      return fail(401, "invalid_client", "Client authentication failed")
    }
    const refreshToken = form.get("refresh_token") ?? ""
    if (!this.refreshTokens.has(refreshToken)) {
      return fail(400, "invalid_grant", "The request has an invalid grant parameter : refresh_token")
    }
    const accessToken = `Atza|IwEB${randomBytes(18).toString("base64url")}`
    const ttl = this.opts.accessTokenTtlSeconds
    this.tokens.set(accessToken, { refreshToken, expiresAt: this.now() + ttl * 1000, revoked: false })
    rec.response = { access_token: accessToken, token_type: "bearer", expires_in: ttl, refresh_token: refreshToken }
    this.write(res, rec, 200, { "content-type": "application/json" }, JSON.stringify(rec.response))
  }

  /**
   * An LWA access token works for every operation; a restricted data token only for the restricted
   * resources it was issued for (never for another token request), and only until it expires.
   */
  private authorize(rec: RecordedRequest, operation: SimOperation): void {
    const token = rec.accessToken
    if (!token) throw new HttpError(403, "Unauthorized", MESSAGES.denied, "Access token is missing in the request header.")
    const rdt = this.rdts.get(token)
    const issued = rdt ?? this.tokens.get(token)
    if (!issued || issued.revoked) throw new HttpError(403, "Unauthorized", MESSAGES.denied, "The access token you provided is revoked, malformed or invalid.")
    if (issued.expiresAt <= this.now()) {
      throw new HttpError(this.opts.expiredTokenStatus, "Unauthorized", MESSAGES.denied, "The access token you provided has expired.")
    }
    if (rdt && (operation === "createRestrictedDataToken" || !this.grantFor(rdt, rec))) {
      throw new HttpError(403, "Unauthorized", MESSAGES.denied, "The restricted data token is not valid for this resource.")
    }
  }

  /** The resource of a restricted data token that covers this request (a `{name}` segment matches any one segment). */
  private grantFor(rdt: IssuedRdt, rec: RecordedRequest): RestrictedGrant | undefined {
    const segments = rec.path.split("/").map((p) => decodeURIComponent(p))
    return rdt.resources.find((r) => {
      if (r.method !== rec.method) return false
      const want = r.path.split("/")
      return want.length === segments.length && want.every((w, i) => /^\{[^/]+\}$/.test(w) || w === segments[i])
    })
  }

  /**
   * BUYER and RECIPIENT need the restricted roles; with them, the plain access token gets them
   * (unless `requireRestrictedDataToken`), a restricted data token only if it names their data elements.
   */
  private checkRestrictedData(rec: RecordedRequest, included: Set<string>): void {
    const asked = [...included].filter((d) => d in RESTRICTED_DATA_ELEMENTS)
    if (!asked.length) return
    const denied = (details: string) => new HttpError(403, "AccessDeniedException", MESSAGES.denied, details)
    if (!this.restrictedRoles) {
      throw denied(`${MESSAGES.noDataAccess}: includedData ${asked.join(", ")} needs a restricted role.`)
    }
    const rdt = rec.accessToken ? this.rdts.get(rec.accessToken) : undefined
    if (!rdt) {
      if (this.opts.requireRestrictedDataToken) throw denied(`includedData ${asked.join(", ")} needs a restricted data token.`)
      return
    }
    const grant = this.grantFor(rdt, rec)
    const missing = asked.filter((d) => !grant?.dataElements.includes(RESTRICTED_DATA_ELEMENTS[d]))
    if (missing.length) {
      throw denied(`The restricted data token does not grant ${missing.map((d) => RESTRICTED_DATA_ELEMENTS[d]).join(", ")}.`)
    }
  }

  // ---------------------------------------------------------------- Tokens API 2021-03-01

  private createRestrictedDataToken(rec: RecordedRequest, body: string): unknown {
    let payload: any
    try {
      payload = JSON.parse(body)
    } catch {
      throw new HttpError(400, "InvalidInput", "Request is missing or has invalid parameters", "The request body is not valid JSON.")
    }
    const check = validateRequest(TOKENS_SPEC, "createRestrictedDataToken", payload)
    if (!check.valid) throw new HttpError(400, "InvalidInput", "Request is missing or has invalid parameters", check.errors)
    const resources = payload.restrictedResources as { method: string; path: string; dataElements?: string[] }[]
    if (!resources.length) throw new HttpError(400, "InvalidRequest", "Request is missing or has invalid parameters", MESSAGES.noResource)
    if (resources.length > 50) throw new HttpError(400, "InvalidInput", "Request is missing or has invalid parameters", "At most 50 restricted resources.")
    for (const r of resources) {
      // A generic `{orderId}` segment stands for any order.
      const concrete = r.path.replace(/\{[^/}]+\}/g, "x")
      if (!RESTRICTED_PATHS.some((p) => p.method === r.method && p.pattern.test(concrete))) {
        throw new HttpError(400, "InvalidInput", "Application do not have access to some or all requested resource", `${r.method} ${r.path} is not a restricted resource.`)
      }
      // The Tokens model: dataElements is required for the Orders API operations.
      if (!r.dataElements?.length) {
        throw new HttpError(400, "InvalidInput", "Request is missing or has invalid parameters", `dataElements is required for ${r.method} ${r.path}.`)
      }
      const unknown = r.dataElements.filter((d) => !DATA_ELEMENTS.includes(d))
      if (unknown.length) throw new HttpError(400, "InvalidInput", "Request is missing or has invalid parameters", `Invalid dataElements: ${unknown.join(", ")}.`)
    }
    if (!this.restrictedRoles) {
      const elements = [...new Set(resources.flatMap((r) => r.dataElements ?? []))]
      const message = `${MESSAGES.noDataAccess}: [${elements.join(", ")}]`
      if (this.opts.restrictedDataRefusalStatus === 400) throw new HttpError(400, "InvalidInput", message)
      throw new HttpError(403, "Unauthorized", MESSAGES.denied, message)
    }
    const lwa = this.tokens.get(rec.accessToken!)!
    const token = `Atz.sprdt|${randomBytes(24).toString("base64url")}`
    const ttl = this.opts.restrictedDataTokenTtlSeconds
    this.rdts.set(token, {
      refreshToken: lwa.refreshToken,
      expiresAt: this.now() + ttl * 1000,
      revoked: false,
      resources: resources.map((r) => ({ method: r.method, path: r.path, dataElements: [...(r.dataElements ?? [])] })),
    })
    return { restrictedDataToken: token, expiresIn: ttl }
  }

  // ---------------------------------------------------------------- Orders API 2026-01-01

  /** Swagger-2 csv arrays; a repeated key keeps only its first value, as some gateways do. */
  private list(query: Record<string, string[]>, key: string): string[] | undefined {
    const raw = query[key]?.[0]
    if (raw === undefined) return undefined
    return raw.split(",").map((s) => s.trim()).filter(Boolean)
  }

  private includedData(query: Record<string, string[]>): Set<string> {
    const allowed = ["BUYER", "RECIPIENT", "PROCEEDS", "EXPENSE", "PROMOTION", "CANCELLATION", "FULFILLMENT", "PACKAGES", "TAX", "PAYMENT", "FULFILLMENT_ORDERS"]
    const values = this.list(query, "includedData") ?? []
    const bad = values.filter((v) => !allowed.includes(v))
    if (bad.length) throw new HttpError(400, "InvalidInput", `Invalid value(s) for includedData: ${bad.join(", ")}`)
    return new Set(values)
  }

  private date(query: Record<string, string[]>, key: string): number | undefined {
    const v = query[key]?.[0]
    if (v === undefined) return undefined
    if (!ISO_DATE_TIME.test(v) || Number.isNaN(Date.parse(v))) {
      throw new HttpError(400, "InvalidInput", `${key} is not a valid ISO 8601 date-time.`)
    }
    return Date.parse(v)
  }

  private fingerprint(query: Record<string, string[]>): string {
    const keys = ["createdAfter", "createdBefore", "lastUpdatedAfter", "lastUpdatedBefore", "fulfillmentStatuses", "marketplaceIds", "fulfilledBy"]
    const parts = keys.map((k) => `${k}=${query[k]?.[0] ?? ""}`)
    return createHash("sha256").update(parts.join("&")).digest("base64").slice(0, 12)
  }

  private searchOrders(query: Record<string, string[]>, rec: RecordedRequest): unknown {
    const createdAfter = this.date(query, "createdAfter")
    const createdBefore = this.date(query, "createdBefore")
    const updatedAfter = this.date(query, "lastUpdatedAfter")
    const updatedBefore = this.date(query, "lastUpdatedBefore")
    const byCreated = createdAfter !== undefined
    if (byCreated === (updatedAfter !== undefined)) {
      throw new HttpError(400, "InvalidInput", "Exactly one of createdAfter and lastUpdatedAfter must be provided.")
    }
    if ((byCreated && updatedBefore !== undefined) || (!byCreated && createdBefore !== undefined)) {
      throw new HttpError(400, "InvalidInput", "createdAfter/createdBefore cannot be combined with lastUpdatedAfter/lastUpdatedBefore.")
    }
    const latest = this.now() - 2 * 60_000
    const after = (byCreated ? createdAfter : updatedAfter) as number
    const givenBefore = byCreated ? createdBefore : updatedBefore
    if (givenBefore !== undefined && givenBefore > latest) throw new HttpError(400, "InvalidInput", MESSAGES.beforeTooRecent)
    if (givenBefore !== undefined && givenBefore < after) {
      throw new HttpError(400, "InvalidInput", `${byCreated ? "createdBefore" : "lastUpdatedBefore"} must be equal to or after ${byCreated ? "createdAfter" : "lastUpdatedAfter"}.`)
    }
    const max = query.maxResultsPerPage?.[0] !== undefined ? Number(query.maxResultsPerPage[0]) : 100
    if (!Number.isInteger(max) || max < 1 || max > 100) {
      throw new HttpError(400, "InvalidInput", "maxResultsPerPage must be an integer between 1 and 100.")
    }
    const marketplaceIds = this.list(query, "marketplaceIds")
    if (marketplaceIds && marketplaceIds.length > 50) throw new HttpError(400, "InvalidInput", "marketplaceIds accepts at most 50 values.")
    const statuses = this.list(query, "fulfillmentStatuses")
    if (statuses?.some((s) => !(FULFILLMENT_STATUSES as string[]).includes(s))) {
      throw new HttpError(400, "InvalidInput", "Invalid value for fulfillmentStatuses.")
    }
    const fulfilledBy = this.list(query, "fulfilledBy")
    if (fulfilledBy?.some((s) => s !== "MERCHANT" && s !== "AMAZON")) throw new HttpError(400, "InvalidInput", "Invalid value for fulfilledBy.")
    const included = this.includedData(query)
    this.checkRestrictedData(rec, included)

    // Keyset paging: the token names the last order sent, so later changes cannot shift a page.
    const fingerprint = this.fingerprint(query)
    let cursor: { f: string; t: number; i: string; b: number } | undefined
    const token = query.paginationToken?.[0]
    if (token !== undefined) {
      cursor = this.decodeToken(token)
      if (cursor.f !== fingerprint) {
        throw new HttpError(400, "InvalidInput", "The paginationToken does not match the other request parameters, which must be identical to those of the first page.")
      }
    }
    const before = cursor?.b ?? givenBefore ?? latest
    const timeOf = (o: AmazonOrder) => Date.parse(byCreated ? o.createdTime : o.lastUpdatedTime)
    const matching = [...this.store.values()]
      .filter((o) => {
        const t = timeOf(o)
        if (t < after || t > before) return false
        if (marketplaceIds?.length && !marketplaceIds.includes(o.salesChannel.marketplaceId ?? "")) return false
        if (statuses?.length && !statuses.includes(o.fulfillment?.fulfillmentStatus ?? "")) return false
        if (fulfilledBy?.length && !fulfilledBy.includes(o.fulfillment?.fulfilledBy ?? "")) return false
        return true
      })
      .sort((a, b) => timeOf(a) - timeOf(b) || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0))
    const rest = cursor
      ? matching.filter((o) => timeOf(o) > cursor!.t || (timeOf(o) === cursor!.t && o.orderId > cursor!.i))
      : matching
    const page = rest.slice(0, max)
    const out: Record<string, unknown> = { orders: page.map((o) => projectOrder(o, included)) }
    if (rest.length > max) {
      const last = page[page.length - 1]
      out.pagination = { nextToken: this.encodeToken({ f: fingerprint, t: timeOf(last), i: last.orderId, b: before }) }
    }
    out[byCreated ? "createdBefore" : "lastUpdatedBefore"] = new Date(before).toISOString()
    return out
  }

  /** Standard base64 with a binary prefix, so tokens always hold `+` and `/` and must be URL-encoded. */
  private encodeToken(v: { f: string; t: number; i: string; b: number }): string {
    return Buffer.concat([TOKEN_MAGIC, Buffer.from(JSON.stringify(v))]).toString("base64")
  }

  private decodeToken(token: string): { f: string; t: number; i: string; b: number } {
    try {
      const raw = Buffer.from(token, "base64")
      if (raw.subarray(0, 2).equals(TOKEN_MAGIC)) {
        const v = JSON.parse(raw.subarray(2).toString("utf8"))
        if (typeof v.f === "string" && typeof v.t === "number" && typeof v.i === "string" && typeof v.b === "number") return v
      }
    } catch {
      // reported below
    }
    throw new HttpError(400, "InvalidInput", MESSAGES.badToken)
  }

  private getOrder(orderId: string, query: Record<string, string[]>, rec: RecordedRequest): unknown {
    const included = this.includedData(query)
    this.checkRestrictedData(rec, included)
    const o = this.store.get(orderId)
    if (!o) throw new HttpError(404, "NotFound", `Order ${orderId} was not found.`)
    return { order: projectOrder(o, included) }
  }

  // ---------------------------------------------------------------- Orders v0 confirmShipment

  private confirmShipment(orderId: string, body: string): void {
    let payload: any
    try {
      payload = JSON.parse(body)
    } catch {
      throw new HttpError(400, "InvalidInput", "The input you have submitted is not valid. The request body is not valid JSON.")
    }
    const check = validateRequest(SPECS.amazonOrdersV0, "confirmShipment", payload)
    if (!check.valid) {
      const fields = [...new Set([...check.errors.matchAll(/data(\/\S*)?/g)].map((m) => (m[1] ?? "").replace(/^\//, "").replace(/\//g, ".")).filter(Boolean))]
      throw new HttpError(400, "InvalidInput", `The input you have submitted is not valid. Please check the fields with invalid type [${fields.join(", ") || "body"}].`)
    }
    const order = this.store.get(orderId)
    if (!order) throw new HttpError(404, "NotFound", `Order ${orderId} was not found.`)
    const pkg = payload.packageDetail
    if (payload.marketplaceId !== order.salesChannel.marketplaceId) {
      throw new HttpError(400, "InvalidInput", `Order ${orderId} does not belong to marketplace ${payload.marketplaceId}.`)
    }
    if (order.fulfillment?.fulfilledBy === "AMAZON") {
      throw new HttpError(400, "InvalidInput", "Shipment confirmation is only available for merchant-fulfilled orders.")
    }
    if (!/^[1-9]\d*$/.test(pkg.packageReferenceId)) throw new HttpError(400, "InvalidInput", MESSAGES.badPackageReference)
    const status = order.fulfillment?.fulfillmentStatus
    if (status === "CANCELLED") throw new HttpError(400, "InvalidInput", `Order ${orderId} is cancelled.`)
    if (status === "PENDING" || status === "PENDING_AVAILABILITY") {
      throw new HttpError(400, "InvalidInput", `Order ${orderId} is pending and cannot be shipped yet.`)
    }
    if (status === "SHIPPED" || (order.packages ?? []).some((p) => p.packageReferenceId === pkg.packageReferenceId)) {
      throw new HttpError(400, "InvalidInput", MESSAGES.alreadyFulfilled)
    }
    if (!AMAZON_CARRIER_CODES.includes(pkg.carrierCode)) throw new HttpError(400, "InvalidInput", `Invalid carrierCode: ${pkg.carrierCode}.`)
    if (pkg.carrierCode === "Other" && !pkg.carrierName) {
      throw new HttpError(400, "InvalidInput", 'carrierName is required when carrierCode is "Other".')
    }
    for (const line of pkg.orderItems as { orderItemId: string; quantity: number }[]) {
      const it = order.orderItems.find((i) => i.orderItemId === line.orderItemId)
      if (!it) throw new HttpError(400, "InvalidInput", MESSAGES.badOrderItem)
      const open = it.quantityOrdered - (it.fulfillment?.quantityFulfilled ?? 0)
      if (line.quantity < 1 || line.quantity > open) {
        throw new HttpError(400, "InvalidInput", `Quantity ${line.quantity} for OrderItemId ${line.orderItemId} exceeds the unshipped quantity ${open}.`)
      }
    }
    for (const line of pkg.orderItems as { orderItemId: string; quantity: number }[]) {
      const it = order.orderItems.find((i) => i.orderItemId === line.orderItemId)!
      const done = (it.fulfillment?.quantityFulfilled ?? 0) + line.quantity
      it.fulfillment = { ...(it.fulfillment ?? {}), quantityFulfilled: done, quantityUnfulfilled: it.quantityOrdered - done }
    }
    const now = this.isoNow()
    ;(order.packages ??= []).push({
      packageReferenceId: pkg.packageReferenceId,
      createdTime: now,
      packageStatus: { status: "SHIPPED" },
      carrier: pkg.carrierCode === "Other" ? pkg.carrierName : pkg.carrierCode,
      shipTime: new Date(pkg.shipDate).toISOString(),
      ...(pkg.shippingMethod ? { shippingService: pkg.shippingMethod } : {}),
      trackingNumber: pkg.trackingNumber,
      packageItems: pkg.orderItems.map((l: any) => ({ orderItemId: l.orderItemId, quantity: l.quantity })),
    })
    const allShipped = order.orderItems.every((i) => (i.fulfillment?.quantityFulfilled ?? 0) >= i.quantityOrdered)
    order.fulfillment = { ...(order.fulfillment as NonNullable<AmazonOrder["fulfillment"]>), fulfillmentStatus: allShipped ? "SHIPPED" : "PARTIALLY_SHIPPED" }
    order.lastUpdatedTime = now
  }

  // ---------------------------------------------------------------- Feeds API 2021-06-30

  private createFeedDocument(body: string): unknown {
    let payload: any
    try {
      payload = JSON.parse(body)
    } catch {
      throw new HttpError(400, "InvalidInput", "The request body is not valid JSON.")
    }
    const check = validateRequest(SPECS.amazonFeeds, "createFeedDocument", payload)
    if (!check.valid) throw new HttpError(400, "InvalidInput", `Invalid createFeedDocument request: ${check.errors}`)
    const id = `amzn1.tortuga.4.na.${randomUUID()}`
    this.feedDocuments.set(id, { id, contentType: payload.contentType })
    return { feedDocumentId: id, url: `${this.baseUrl}/feed-uploads/${encodeURIComponent(id)}` }
  }

  private uploadFeedDocument(res: http.ServerResponse, rec: RecordedRequest, id: string, body: string): void {
    const doc = this.feedDocuments.get(decodeURIComponent(id))
    if (doc) doc.content = body
    this.write(res, rec, doc ? 200 : 403, {})
  }

  private createFeed(body: string): unknown {
    let payload: any
    try {
      payload = JSON.parse(body)
    } catch {
      throw new HttpError(400, "InvalidInput", "The request body is not valid JSON.")
    }
    const check = validateRequest(SPECS.amazonFeeds, "createFeed", payload)
    if (!check.valid) throw new HttpError(400, "InvalidInput", `Invalid createFeed request: ${check.errors}`)
    const doc = this.feedDocuments.get(payload.inputFeedDocumentId)
    if (!doc?.content) throw new HttpError(400, "InvalidInput", "The input feed document was not found or not uploaded.")
    const feedId = String(50_000_000_000 + this.feeds.size + 1)
    const outcome = this.feedOutcomes.shift() ?? {}
    const feed: FeedRecord = {
      feedId,
      feedType: payload.feedType,
      marketplaceIds: payload.marketplaceIds,
      createdTime: this.isoNow(),
      processingStatus: "IN_QUEUE",
      inputFeedDocumentId: payload.inputFeedDocumentId,
      outcome,
      pendingPolls: Math.max(0, outcome.pendingPolls ?? 0),
      polled: 0,
    }
    this.feeds.set(feedId, feed)
    if (feed.pendingPolls === 0) this.processFeed(feed)
    return { feedId }
  }

  /** Processes a feed per its outcome and leaves a processing report as its result document. */
  private processFeed(feed: FeedRecord): void {
    const outcome = feed.outcome
    const now = this.isoNow()
    feed.processingStartTime ??= now
    feed.processingEndTime = now
    if (outcome.result === "cancelled") {
      feed.processingStatus = "CANCELLED"
      return
    }
    const xml = this.feedDocuments.get(feed.inputFeedDocumentId)?.content ?? ""
    const messages = [...xml.matchAll(/<Message>([\s\S]*?)<\/Message>/g)].map((m, i) => ({
      id: m[1].match(/<MessageID>([^<]+)<\/MessageID>/)?.[1] ?? String(i + 1),
      inner: m[1],
    }))
    let results: MessageResult[]
    if (!/<AmazonEnvelope[\s>]/.test(xml) || !messages.length) {
      feed.processingStatus = "FATAL"
      results = [{ messageId: "0", error: SIM_FEED_RESULTS.notAnEnvelope }]
    } else if (outcome.result === "fatal" || outcome.result === "rejected") {
      feed.processingStatus = outcome.result === "fatal" ? "FATAL" : "DONE"
      const fallback = outcome.result === "fatal" ? SIM_FEED_RESULTS.fatal : SIM_FEED_RESULTS.rejected
      const error = { code: outcome.code ?? fallback.code, description: outcome.description ?? fallback.description }
      results = messages.map((m) => ({ messageId: m.id, orderId: m.inner.match(/<AmazonOrderID>([^<]+)<\/AmazonOrderID>/)?.[1], error }))
    } else {
      feed.processingStatus = "DONE"
      results = messages.map((m) => ({
        messageId: m.id,
        ...(feed.feedType === "POST_ORDER_ACKNOWLEDGEMENT_DATA" ? this.applyAcknowledgement(m.inner) : {}),
      }))
    }
    if (outcome.warning) for (const r of results) if (!r.error) r.warning = outcome.warning
    if (outcome.noReport) return
    const id = `amzn1.tortuga.4.na.${randomUUID()}`
    this.feedDocuments.set(id, {
      id,
      contentType: "text/xml; charset=UTF-8",
      content: outcome.reportContent ?? this.processingReport(feed, messages.length, results),
      gzip: outcome.gzip,
    })
    feed.resultFeedDocumentId = id
  }

  /** One OrderAcknowledgement message; StatusCode Failure cancels the order unless it shipped. */
  private applyAcknowledgement(inner: string): Omit<MessageResult, "messageId"> {
    const orderId = inner.match(/<AmazonOrderID>([^<]+)<\/AmazonOrderID>/)?.[1]
    const statusCode = inner.match(/<StatusCode>([^<]+)<\/StatusCode>/)?.[1]
    const order = orderId ? this.store.get(orderId) : undefined
    if (!order) return { orderId, error: SIM_FEED_RESULTS.unknownOrder }
    if (statusCode !== "Failure") return { orderId }
    const st = order.fulfillment?.fulfillmentStatus
    if (st === "SHIPPED") return { orderId, error: SIM_FEED_RESULTS.shipped }
    if (st === "CANCELLED") return { orderId }
    const reasons = new Map(
      [...inner.matchAll(/<Item>[\s\S]*?<AmazonOrderItemCode>([^<]+)<\/AmazonOrderItemCode>[\s\S]*?(?:<CancelReason>([^<]+)<\/CancelReason>)?[\s\S]*?<\/Item>/g)].map(
        (m) => [m[1], m[2]]
      )
    )
    for (const it of order.orderItems) {
      it.cancellation = {
        ...(it.cancellation ?? {}),
        cancellationExecution: { cancelledBy: "MERCHANT", cancelReason: reasons.get(it.orderItemId) ?? "GeneralAdjustment" },
      }
    }
    order.fulfillment = { ...(order.fulfillment as NonNullable<AmazonOrder["fulfillment"]>), fulfillmentStatus: "CANCELLED" }
    order.lastUpdatedTime = this.isoNow()
    return { orderId }
  }

  /** An XML processing report: summary counts and one Result per message with an error or a warning. */
  private processingReport(feed: FeedRecord, processed: number, results: MessageResult[]): string {
    const esc = (v: string) => v.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    const errors = results.filter((r) => r.error).length
    const warnings = results.filter((r) => !r.error && r.warning).length
    const lines = [
      `<?xml version="1.0" encoding="UTF-8"?>`,
      `<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">`,
      `  <Header>`,
      `    <DocumentVersion>1.02</DocumentVersion>`,
      `    <MerchantIdentifier>SIMULATED</MerchantIdentifier>`,
      `  </Header>`,
      `  <MessageType>ProcessingReport</MessageType>`,
      `  <Message>`,
      `    <MessageID>1</MessageID>`,
      `    <ProcessingReport>`,
      `      <DocumentTransactionID>${feed.feedId}</DocumentTransactionID>`,
      `      <StatusCode>Complete</StatusCode>`,
      `      <ProcessingSummary>`,
      `        <MessagesProcessed>${processed}</MessagesProcessed>`,
      `        <MessagesSuccessful>${processed - errors}</MessagesSuccessful>`,
      `        <MessagesWithError>${errors}</MessagesWithError>`,
      `        <MessagesWithWarning>${warnings}</MessagesWithWarning>`,
      `      </ProcessingSummary>`,
    ]
    for (const r of results) {
      for (const [kind, v] of [["Error", r.error], ["Warning", r.warning]] as const) {
        if (!v) continue
        lines.push(
          `      <Result>`,
          `        <MessageID>${esc(r.messageId)}</MessageID>`,
          `        <ResultCode>${kind}</ResultCode>`,
          `        <ResultMessageCode>${esc(v.code)}</ResultMessageCode>`,
          `        <ResultDescription>${esc(v.description)}</ResultDescription>`,
          ...(r.orderId ? [`        <AdditionalInfo>`, `          <AmazonOrderID>${esc(r.orderId)}</AmazonOrderID>`, `        </AdditionalInfo>`] : []),
          `      </Result>`
        )
      }
    }
    lines.push(`    </ProcessingReport>`, `  </Message>`, `</AmazonEnvelope>`)
    return lines.join("\n")
  }

  private getFeed(feedId: string): unknown {
    const f = this.feeds.get(feedId)
    if (!f) throw new HttpError(404, "NotFound", `Feed ${feedId} was not found.`)
    if (f.processingStatus === "IN_QUEUE" || f.processingStatus === "IN_PROGRESS") {
      if (f.pendingPolls > 0) {
        // The first answer says IN_QUEUE, later ones IN_PROGRESS.
        if (f.polled > 0 && f.processingStatus === "IN_QUEUE") {
          f.processingStatus = "IN_PROGRESS"
          f.processingStartTime = this.isoNow()
        }
        f.pendingPolls -= 1
        f.polled += 1
      } else {
        this.processFeed(f)
      }
    }
    return {
      feedId: f.feedId,
      feedType: f.feedType,
      marketplaceIds: f.marketplaceIds,
      createdTime: f.createdTime,
      processingStatus: f.processingStatus,
      ...(f.processingStartTime ? { processingStartTime: f.processingStartTime } : {}),
      ...(f.processingEndTime ? { processingEndTime: f.processingEndTime } : {}),
      ...(f.resultFeedDocumentId ? { resultFeedDocumentId: f.resultFeedDocumentId } : {}),
    }
  }

  private getFeedDocument(id: string): unknown {
    const doc = this.feedDocuments.get(id)
    if (!doc) throw new HttpError(404, "NotFound", `Feed document ${id} was not found.`)
    return {
      feedDocumentId: doc.id,
      url: `${this.baseUrl}/feed-uploads/${encodeURIComponent(doc.id)}`,
      ...(doc.gzip ? { compressionAlgorithm: "GZIP" } : {}),
    }
  }

  /** The pre-signed download: no SP-API token, the document as stored (gzipped when so flagged). */
  private downloadFeedDocument(res: http.ServerResponse, rec: RecordedRequest, id: string): void {
    const doc = this.feedDocuments.get(decodeURIComponent(id))
    if (!doc?.content) return this.write(res, rec, 403, { "content-type": "application/xml" }, "<Error><Code>AccessDenied</Code></Error>")
    const payload = doc.gzip ? gzipSync(Buffer.from(doc.content, "utf8")) : doc.content
    this.write(res, rec, 200, { "content-type": doc.contentType }, payload)
  }
}

/**
 * Replays request arrival times through a token bucket: the requests that found no token. The
 * tolerance absorbs the gap between the client's clock and the server's receipt.
 */
export function overLimit(times: number[], limit: RateLimit, toleranceMs = 100): number[] {
  let bucket = { tokens: limit.burst, updated_at_ms: times[0] ?? 0 }
  const late: number[] = []
  for (const t of [...times].sort((a, b) => a - b)) {
    const { tokens } = refill(bucket, limit, t)
    if (tokens + (limit.rate * toleranceMs) / 1000 >= 1) bucket = { tokens: Math.max(0, tokens - 1), updated_at_ms: t }
    else {
      late.push(t)
      bucket = { tokens, updated_at_ms: t }
    }
  }
  return late
}
