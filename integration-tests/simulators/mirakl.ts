import http from "node:http"
import { randomUUID } from "node:crypto"
import type { AddressInfo, Socket } from "node:net"
import type { RateLimit } from "../../src/modules/channel/types/provider"
import { refill } from "../../src/providers/shared/rate-limiter"
import { SPECS, validateRequest } from "./openapi"
import { callKey, type FaultKind, type FaultReplies, type FaultSchedule, type StatusFlip } from "./faults"
import { applyState, makeOrder, rankOf, recomputeTotals, type MakeOrderInput, type MiraklOrderJson } from "./mirakl/orders"

export { makeOrder, repairSampleOrder, loadSampleOrder, type MakeOrderInput, type MiraklOrderJson } from "./mirakl/orders"

/**
 * A local Mirakl (MMP seller API) for tests: a real HTTP server on 127.0.0.1 with an in-memory order
 * store, the OR11/OR21/OR23/OR24/OR29/OR30/SH21 endpoints and the shipments API (ST01 create, ST11
 * list), API-key auth, per-operation rate limits answered with 429 + Retry-After, injectable faults,
 * and a log of every request and response.
 */

export type SimOperation = "OR11" | "OR21" | "OR23" | "OR24" | "OR29" | "OR30" | "SH21" | "ST01" | "ST11"

/** Mirakl publishes call frequencies, not bucket sizes; these mirror the provider's assumption. */
export const SIMULATOR_DEFAULT_LIMITS: Record<SimOperation, RateLimit> = {
  OR11: { rate: 1 / 6, burst: 10 },
  OR21: { rate: 1, burst: 5 },
  OR23: { rate: 1, burst: 5 },
  OR24: { rate: 1, burst: 5 },
  OR29: { rate: 1, burst: 5 },
  OR30: { rate: 1, burst: 5 },
  SH21: { rate: 1 / 600, burst: 2 },
  ST01: { rate: 1, burst: 5 },
  ST11: { rate: 1, burst: 5 },
}

export const DEFAULT_CARRIERS = [
  { code: "DHL", label: "DHL", standard_code: "DHL", tracking_url: "https://www.dhl.com/track?AWB={trackingId}" },
  { code: "COLISSIMO", label: "Colissimo", tracking_url: "https://www.laposte.fr/outils/suivre-vos-envois?code={trackingId}" },
  { code: "UPS", label: "UPS", standard_code: "UPS", tracking_url: "https://wwwapps.ups.com/WebTracking/track?track=yes&trackNums={trackingId}" },
]

export type MiraklSimulatorOptions = {
  apiKey?: string
  /** When set, a `shop_id` query parameter must match it. */
  shopId?: number
  rateLimitMultiplier?: number
  limits?: Partial<Record<SimOperation, RateLimit>>
  /** Grace for requests that were spaced right on the client but arrive bunched. */
  rateLimitToleranceMs?: number
  /** After OR21, when the customer is debited (WAITING_DEBIT_PAYMENT → SHIPPING): ms, or "manual" for `debit()`. */
  debitAfterMs?: number | "manual"
  /** Mirakl subtracts a safety delta from start_update_date. */
  startUpdateDeltaMs?: number
  /** OR11 page size when `max` is absent (Mirakl's SDKs say 10). */
  defaultPageSize?: number
  maxPageSize?: number
  carriers?: { code: string; label: string; standard_code?: string; tracking_url?: string }[]
  /**
   * Realistic but NOT spec-valid: send `customer: null` before acceptance, as Mirakl does while the
   * spec marks the customer required. Off by default so every body validates.
   */
  hideCustomerUntilAccepted?: boolean
  /**
   * Whether the operator enables several shipments per order (the shipments API). Default true. When
   * false, ST01 answers 400; the wording is ours, the spec documents no error body.
   */
  multiShipment?: boolean
  now?: () => number
  /** A seeded fault schedule (./faults); none by default. */
  faults?: FaultSchedule
}

export type RecordedRequest = {
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string | undefined>
  body: unknown
  rawBody: string
  at: number
  operation: SimOperation | "unknown"
  response?: { status: number; body: unknown; headers: Record<string, string>; at: number }
  /** What the simulator did instead of answering normally. */
  fault?: "error" | "hang" | "malformed"
  /** The fault the seeded schedule injected (./faults). */
  injected?: FaultKind
}

type Fault = {
  kind: "error" | "hang" | "malformed"
  remaining: number
  operation?: SimOperation
  status?: number
  ms?: number
  /** For hangs: apply the request, then lose the response (the "it worked but the client never heard" case). */
  afterHandling?: boolean
}

type Reply = { status: number; body?: unknown; headers?: Record<string, string> }

class MiraklHttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
  }
}

const fail = (status: number, message: string): never => {
  throw new MiraklHttpError(status, message)
}

/** OR21's documented error codes, worded as their descriptions (the legacy body carries only a message). */
const OR21_ERRORS = {
  ORDER_INVALID_STATE: "Order is not in the expected state for this operation",
  ORDER_LINE_ACCEPTANCE_DECISION_MISSING: "Some order lines are missing from the acceptance decision",
  ORDER_LINE_DUPLICATE_ID: "The order lines list contains duplicate order line IDs",
  ORDER_LINE_NOT_FOUND: "The requested order line does not exist or is not associated with the order",
  ORDER_LINE_NULL_ELEMENT: "The order lines list contains a null element",
  ORDER_NOT_FOUND: "The requested order does not exist",
}

/** Mirakl's answers for the seeded faults; the legacy `{message, status}` body. */
const MIRAKL_FAULT_REPLIES: FaultReplies = {
  throttle: (seconds) => ({
    status: 429,
    headers: seconds !== undefined ? { "retry-after": String(seconds) } : {},
    body: { message: "Too Many Requests", status: 429 },
  }),
  serverError: (status) => ({ status, body: { message: status === 503 ? "Service Temporarily Unavailable" : "Internal Server Error", status } }),
  truncated: () => '{"orders":[{"order_id":"',
  // Mirakl documents no error for an offset it no longer serves; this wording is ours.
  expiredPage: () => ({ status: 400, body: { message: "Parameter 'offset' is out of the result set; request the first page again", status: 400 } }),
}

const round2 = (n: number) => Math.round(n * 100) / 100
const canceledUnits = (line: any): number => (line.cancelations ?? []).reduce((n: number, c: any) => n + (c.quantity ?? 0), 0)
const LIVE = (l: any) => l.order_line_state !== "REFUSED" && l.order_line_state !== "CANCELED"

export class MiraklSimulator {
  readonly requests: RecordedRequest[] = []
  private readonly orders = new Map<string, MiraklOrderJson>()
  private readonly shipmentsByOrder = new Map<string, any[]>()
  private readonly debitAt = new Map<string, number>()
  private readonly buckets = new Map<string, { tokens: number; updated_at_ms: number }>()
  private readonly faults: Fault[] = []
  private readonly sockets = new Set<Socket>()
  private readonly timers = new Set<NodeJS.Timeout>()
  private server?: http.Server
  private apiKey: string
  private revoked = false
  private cancelationSeq = 1000
  private faultSchedule?: FaultSchedule
  readonly options: Required<Omit<MiraklSimulatorOptions, "shopId" | "limits" | "faults">> & Pick<MiraklSimulatorOptions, "shopId"> & {
    limits: Record<SimOperation, RateLimit>
  }
  url = ""

  constructor(options: MiraklSimulatorOptions = {}) {
    this.apiKey = options.apiKey ?? "sim-shop-api-key"
    this.options = {
      apiKey: this.apiKey,
      shopId: options.shopId,
      rateLimitMultiplier: options.rateLimitMultiplier ?? 1,
      limits: { ...SIMULATOR_DEFAULT_LIMITS, ...(options.limits ?? {}) },
      rateLimitToleranceMs: options.rateLimitToleranceMs ?? 50,
      debitAfterMs: options.debitAfterMs ?? 0,
      startUpdateDeltaMs: options.startUpdateDeltaMs ?? 0,
      defaultPageSize: options.defaultPageSize ?? 10,
      maxPageSize: options.maxPageSize ?? 100,
      carriers: options.carriers ?? DEFAULT_CARRIERS,
      hideCustomerUntilAccepted: options.hideCustomerUntilAccepted ?? false,
      multiShipment: options.multiShipment ?? true,
      now: options.now ?? Date.now,
    }
    if (options.faults) this.useFaults(options.faults)
  }

  // ---- lifecycle --------------------------------------------------------------------------

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res))
    this.server.on("connection", (s) => {
      this.sockets.add(s)
      s.on("close", () => this.sockets.delete(s))
    })
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve))
    const { port } = this.server.address() as AddressInfo
    this.url = `http://127.0.0.1:${port}`
    return this.url
  }

  async stop(): Promise<void> {
    this.faultSchedule?.dispose()
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    for (const s of this.sockets) s.destroy()
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()))
    this.server = undefined
  }

  // ---- store ------------------------------------------------------------------------------

  addOrder(input: MakeOrderInput | MiraklOrderJson): MiraklOrderJson {
    const order = "order_lines" in input ? structuredClone(input as MiraklOrderJson) : makeOrder(input as MakeOrderInput)
    this.orders.set(order.order_id, order)
    return order
  }

  /** The live stored order (mutations show in later responses; use `update` to also bump the date). */
  order(id: string): MiraklOrderJson {
    const o = this.orders.get(id)
    if (!o) throw new Error(`simulator has no order ${id}`)
    return o
  }

  /** The shipments (ST01) of an order, oldest first. */
  shipments(orderId: string): any[] {
    return this.shipmentsByOrder.get(orderId) ?? []
  }

  allOrders(): MiraklOrderJson[] {
    return [...this.orders.values()]
  }

  /** Changes an order the way the operator would, bumping last_updated_date. */
  update(id: string, change: (order: MiraklOrderJson) => void, at: number = this.options.now()): MiraklOrderJson {
    const order = this.order(id)
    change(order)
    order.last_updated_date = new Date(at).toISOString()
    return order
  }

  setState(id: string, state: string, at: number = this.options.now()): MiraklOrderJson {
    const order = this.order(id)
    applyState(order, state, new Date(at).toISOString())
    return order
  }

  /** Manual debit step (with `debitAfterMs: "manual"`): WAITING_DEBIT_PAYMENT → SHIPPING. */
  debit(id: string): MiraklOrderJson {
    this.debitAt.delete(id)
    const order = this.order(id)
    if (order.order_state !== "WAITING_DEBIT_PAYMENT" && order.order_state !== "WAITING_DEBIT") {
      throw new Error(`order ${id} is ${order.order_state}, not waiting for debit`)
    }
    applyState(order, "SHIPPING", new Date(this.options.now()).toISOString())
    return order
  }

  // ---- auth, limits, faults -----------------------------------------------------------------

  revokeKey(): void {
    this.revoked = true
  }

  setApiKey(key: string): void {
    this.apiKey = key
    this.revoked = false
  }

  setLimit(operation: SimOperation, limit: RateLimit): void {
    this.options.limits[operation] = limit
    this.buckets.delete(operation)
  }

  /** The next `n` matching requests answer `status` (default 503) with a plain-text body. */
  failNext(n: number, opts: { status?: number; operation?: SimOperation } = {}): void {
    this.faults.push({ kind: "error", remaining: n, status: opts.status ?? 503, operation: opts.operation })
  }

  /** The next `n` matching requests get no answer for `ms`, then the connection is dropped. */
  hangNext(n: number, opts: { ms: number; operation?: SimOperation; afterHandling?: boolean }): void {
    this.faults.push({ kind: "hang", remaining: n, ms: opts.ms, operation: opts.operation, afterHandling: opts.afterHandling })
  }

  /** The next `n` matching requests answer 200 with a truncated JSON body. */
  malformNext(n: number, opts: { operation?: SimOperation } = {}): void {
    this.faults.push({ kind: "malformed", remaining: n, operation: opts.operation })
  }

  clearFaults(): void {
    this.faults.length = 0
  }

  /** Attaches a seeded fault schedule (or detaches it with undefined); its status flips use `flipForFaults`. */
  useFaults(schedule: FaultSchedule | undefined): void {
    this.faultSchedule = schedule
    if (schedule) schedule.flipper ??= (random) => this.flipForFaults(random)
  }

  /** A status flip between two pages: a SHIPPING order is canceled by the operator (OR29's effect) or shipped. */
  flipForFaults(random: () => number): StatusFlip | undefined {
    const open = [...this.orders.values()].filter((o) => o.order_state === "SHIPPING")
    if (!open.length) return undefined
    const order = open[Math.floor(random() * open.length)]
    const to = random() < 0.5 ? "CANCELED" : "SHIPPED"
    if (to === "CANCELED") this.cancelOrder(order.order_id)
    else applyState(order, "SHIPPED", new Date(this.options.now()).toISOString())
    return { order_id: order.order_id, from: "SHIPPING", to }
  }

  requestsFor(operation: SimOperation): RecordedRequest[] {
    return this.requests.filter((r) => r.operation === operation)
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const rawBody = await new Promise<string>((resolve) => {
      let data = ""
      req.setEncoding("utf8")
      req.on("data", (c) => (data += c))
      req.on("end", () => resolve(data))
      req.on("error", () => resolve(data))
    })
    const url = new URL(req.url ?? "/", "http://127.0.0.1")
    const method = req.method ?? "GET"
    const route = this.route(method, url.pathname)
    let body: unknown = undefined
    let badJson = false
    if (rawBody) {
      try {
        body = JSON.parse(rawBody)
      } catch {
        badJson = true
        body = rawBody
      }
    }
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : v])),
      body,
      rawBody,
      at: this.options.now(),
      operation: route?.operation ?? "unknown",
    }
    this.requests.push(record)

    const send = (reply: Reply) => {
      const headers: Record<string, string> = { ...(reply.headers ?? {}) }
      let payload = ""
      if (reply.body !== undefined) {
        payload = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body)
        headers["content-type"] ??= typeof reply.body === "string" ? "text/plain" : "application/json;charset=UTF-8"
      }
      record.response = { status: reply.status, body: reply.body, headers, at: this.options.now() }
      if (!res.writableEnded && !res.destroyed) {
        res.writeHead(reply.status, headers)
        res.end(payload)
      }
    }

    if (this.faultSchedule?.covers(record.operation)) {
      const event = this.faultSchedule.decide({
        operation: record.operation,
        key: callKey(method, url.pathname, url.searchParams),
        paged: Number(url.searchParams.get("offset") ?? 0) > 0,
        record,
      })
      if (event.kind) record.injected = event.kind
      const delivered = this.faultSchedule.deliver(event, res, MIRAKL_FAULT_REPLIES, (status, body) => {
        record.response = { status, body, headers: {}, at: this.options.now() }
      })
      if (delivered) return
    }

    const fault = this.takeFault(record.operation)
    if (fault) {
      record.fault = fault.kind
      if (fault.kind === "error") return send({ status: fault.status ?? 503, body: "Service Temporarily Unavailable" })
      if (fault.kind === "malformed") {
        record.response = { status: 200, body: '{"orders":[{"order_id":', headers: {}, at: this.options.now() }
        res.writeHead(200, { "content-type": "application/json;charset=UTF-8" })
        return void res.end('{"orders":[{"order_id":')
      }
      if (fault.afterHandling) this.respond(method, url, route, body, badJson, req)
      const t = setTimeout(() => {
        this.timers.delete(t)
        res.destroy()
      }, fault.ms ?? 60_000)
      this.timers.add(t)
      return
    }

    send(this.respond(method, url, route, body, badJson, req))
  }

  /** Auth, shop, rate limit, then the operation; errors become Mirakl's legacy `{message, status}` body. */
  private respond(
    method: string,
    url: URL,
    route: ReturnType<MiraklSimulator["route"]>,
    body: unknown,
    badJson: boolean,
    req: http.IncomingMessage
  ): Reply {
    try {
      if (req.headers.authorization !== this.apiKey || this.revoked) {
        return { status: 401, body: { message: "Unauthorized", status: 401 } }
      }
      if (!route) fail(404, `No endpoint ${method} ${url.pathname}`)
      const shop = url.searchParams.get("shop_id")
      if (shop !== null && this.options.shopId !== undefined && Number(shop) !== this.options.shopId) {
        fail(403, `Access to shop ${shop} is denied`)
      }
      const wait = this.spendToken(route!.operation)
      if (wait > 0) {
        return {
          status: 429,
          headers: { "retry-after": String(Math.max(1, Math.ceil(wait / 1000))) },
          body: { message: "Too Many Requests", status: 429 },
        }
      }
      if (badJson) fail(400, "Malformed JSON request body")
      this.advance()
      return route!.handler(url.searchParams, body)
    } catch (e) {
      if (e instanceof MiraklHttpError) return { status: e.status, body: { message: e.message, status: e.status } }
      return { status: 500, body: { message: `Simulator error: ${(e as Error).message}`, status: 500 } }
    }
  }

  private takeFault(operation: SimOperation | "unknown"): Fault | undefined {
    const i = this.faults.findIndex((f) => f.remaining > 0 && (!f.operation || f.operation === operation))
    if (i < 0) return undefined
    const f = this.faults[i]
    f.remaining--
    if (f.remaining === 0) this.faults.splice(i, 1)
    return f
  }

  /** Milliseconds until a token is free for `operation`; 0 means one was spent. */
  private spendToken(operation: SimOperation): number {
    const published = this.options.limits[operation]
    const limit = { rate: published.rate * this.options.rateLimitMultiplier, burst: published.burst }
    const now = this.options.now()
    const saved = this.buckets.get(operation) ?? { tokens: limit.burst, updated_at_ms: now }
    const { tokens } = refill(saved, limit, now)
    // Requests spaced right by the client can arrive bunched by transit jitter: lend up to
    // `tolerance` worth of tokens, paid back by later refills (the bucket may dip below zero).
    const grace = (limit.rate * this.options.rateLimitToleranceMs) / 1000
    if (tokens + grace >= 1) {
      this.buckets.set(operation, { tokens: tokens - 1, updated_at_ms: now })
      return 0
    }
    return Math.ceil(((1 - tokens - grace) / limit.rate) * 1000)
  }

  /** Applies debits whose time has come, dated when they were due. */
  advance(): void {
    const now = this.options.now()
    for (const [id, due] of [...this.debitAt]) {
      if (due > now) continue
      this.debitAt.delete(id)
      const order = this.orders.get(id)
      if (order && (order.order_state === "WAITING_DEBIT_PAYMENT" || order.order_state === "WAITING_DEBIT")) {
        applyState(order, "SHIPPING", new Date(due).toISOString())
      }
    }
  }

  private route(method: string, path: string): { operation: SimOperation; handler: (q: URLSearchParams, body: unknown) => Reply } | undefined {
    const parts = path.split("/").filter(Boolean).map(decodeURIComponent)
    if (parts[0] !== "api") return undefined
    const [, a, b, c] = parts
    if (method === "GET" && a === "orders" && parts.length === 2) return { operation: "OR11", handler: (q) => this.listOrders(q) }
    if (a === "shipments" && parts.length === 2) {
      if (method === "POST") return { operation: "ST01", handler: (_q, body) => this.createShipments(body) }
      if (method === "GET") return { operation: "ST11", handler: (q) => this.listShipments(q) }
    }
    if (method === "GET" && a === "shipping" && b === "carriers" && parts.length === 3) {
      return { operation: "SH21", handler: () => ({ status: 200, body: { carriers: structuredClone(this.options.carriers) } }) }
    }
    if (method !== "PUT" || a !== "orders") return undefined
    if (b === "cancel" && parts.length === 3) return { operation: "OR30", handler: (_q, body) => this.cancelLines(body) }
    if (parts.length !== 4) return undefined
    if (c === "accept") return { operation: "OR21", handler: (_q, body) => this.accept(b, body) }
    if (c === "tracking") return { operation: "OR23", handler: (_q, body) => this.tracking(b, body) }
    if (c === "ship") return { operation: "OR24", handler: () => this.ship(b) }
    if (c === "cancel") return { operation: "OR29", handler: () => this.cancelOrder(b) }
    return undefined
  }

  // ---- operations ---------------------------------------------------------------------------

  private present(order: MiraklOrderJson): MiraklOrderJson {
    const copy = structuredClone(order)
    if (this.options.hideCustomerUntilAccepted && rankOf(order.order_state) <= 1) copy.customer = null
    return copy
  }

  /** OR11 */
  private listOrders(q: URLSearchParams): Reply {
    const int = (name: string, dflt: number) => {
      const v = q.get(name)
      if (v === null || v === "") return dflt
      const n = Number(v)
      if (!Number.isInteger(n) || n < 0) fail(400, `Parameter '${name}' must be a positive integer`)
      return n
    }
    const date = (name: string) => {
      const v = q.get(name)
      if (v === null || v === "") return undefined
      const ms = Date.parse(v)
      if (Number.isNaN(ms)) fail(400, `Parameter '${name}' is not a valid date: ${v}`)
      return ms
    }
    const max = int("max", this.options.defaultPageSize)
    if (max < 1 || max > this.options.maxPageSize) fail(400, `Parameter 'max' must be between 1 and ${this.options.maxPageSize}`)
    const offset = int("offset", 0)
    const sort = q.get("sort") ?? "dateCreated"
    if (sort !== "dateCreated") fail(400, `Sort field '${sort}' is not supported`)
    const direction = q.get("order") ?? "asc"
    if (direction !== "asc" && direction !== "desc") fail(400, `Parameter 'order' must be asc or desc`)
    const startUpdate = date("start_update_date")
    const endUpdate = date("end_update_date")
    const start = date("start_date")
    const end = date("end_date")
    const ids = q.get("order_ids")?.split(",").map((s) => s.trim()).filter(Boolean)
    if (ids && ids.length > 100) fail(400, "Parameter 'order_ids' accepts at most 100 identifiers")
    const states = q.get("order_state_codes")?.split(",").map((s) => s.trim()).filter(Boolean)

    const matched = [...this.orders.values()].filter((o) => {
      const updated = Date.parse(o.last_updated_date)
      const created = Date.parse(o.created_date)
      return (
        (!ids || ids.includes(o.order_id)) &&
        (!states || states.includes(o.order_state)) &&
        (startUpdate === undefined || updated >= startUpdate - this.options.startUpdateDeltaMs) &&
        (endUpdate === undefined || updated <= endUpdate) &&
        (start === undefined || created >= start) &&
        (end === undefined || created <= end)
      )
    })
    // "Sort by creation date, and then by order identifier."
    matched.sort((x, y) => Date.parse(x.created_date) - Date.parse(y.created_date) || (x.order_id < y.order_id ? -1 : x.order_id > y.order_id ? 1 : 0))
    if (direction === "desc") matched.reverse()
    const page = q.get("paginate") === "false" ? matched : matched.slice(offset, offset + max)
    return { status: 200, body: { orders: page.map((o) => this.present(o)), total_count: matched.length } }
  }

  private find(id: string): MiraklOrderJson {
    return this.orders.get(id) ?? fail(404, OR21_ERRORS.ORDER_NOT_FOUND)
  }

  private validate(operationId: SimOperation, body: unknown): void {
    const check = validateRequest(SPECS.mirakl, operationId, body)
    if (!check.valid) fail(400, `Input validation failed: ${check.errors.split("\n")[0]}`)
  }

  /** OR21 */
  private accept(id: string, body: unknown): Reply {
    const order = this.find(id)
    if (Array.isArray((body as any)?.order_lines) && (body as any).order_lines.some((l: unknown) => l === null)) {
      fail(400, OR21_ERRORS.ORDER_LINE_NULL_ELEMENT)
    }
    this.validate("OR21", body)
    if (order.order_state !== "WAITING_ACCEPTANCE") fail(400, OR21_ERRORS.ORDER_INVALID_STATE)
    const decisions: { id: string; accepted: boolean }[] = (body as any).order_lines
    const seen = new Set<string>()
    for (const d of decisions) {
      if (seen.has(d.id)) fail(400, OR21_ERRORS.ORDER_LINE_DUPLICATE_ID)
      seen.add(d.id)
      if (!order.order_lines.some((l: any) => l.order_line_id === d.id)) fail(400, OR21_ERRORS.ORDER_LINE_NOT_FOUND)
    }
    const waiting = order.order_lines.filter((l: any) => l.order_line_state === "WAITING_ACCEPTANCE")
    if (waiting.some((l: any) => !seen.has(l.order_line_id))) fail(400, OR21_ERRORS.ORDER_LINE_ACCEPTANCE_DECISION_MISSING)

    const at = new Date(this.options.now()).toISOString()
    for (const d of decisions) {
      const line = order.order_lines.find((l: any) => l.order_line_id === d.id)
      if (!d.accepted) {
        line.order_line_state = "REFUSED"
        line.last_updated_date = at
      }
    }
    recomputeTotals(order)
    if (!order.order_lines.some(LIVE)) {
      applyState(order, "REFUSED", at)
      return { status: 204 }
    }
    applyState(order, "WAITING_DEBIT_PAYMENT", at)
    if (this.options.debitAfterMs === 0) applyState(order, "SHIPPING", at)
    else if (this.options.debitAfterMs !== "manual") this.debitAt.set(id, this.options.now() + this.options.debitAfterMs)
    return { status: 204 }
  }

  /** OR23 */
  private tracking(id: string, body: unknown): Reply {
    const order = this.find(id)
    this.validate("OR23", body)
    if (!["SHIPPING", "SHIPPED", "TO_COLLECT"].includes(order.order_state)) fail(400, OR21_ERRORS.ORDER_INVALID_STATE)
    const t = body as { carrier_code?: string; carrier_name?: string; carrier_url?: string; tracking_number?: string }
    for (const k of ["shipping_carrier_code", "shipping_carrier_standard_code", "shipping_company", "shipping_tracking", "shipping_tracking_url"]) {
      delete order[k]
    }
    if (t.carrier_code) {
      const carrier = this.options.carriers.find((c) => c.code === t.carrier_code)
      if (!carrier) fail(400, `Carrier with code '${t.carrier_code}' not found`)
      if (carrier!.tracking_url?.includes("{trackingId}") && !t.tracking_number) {
        fail(400, `A tracking number is required for carrier '${carrier!.code}'`)
      }
      order.shipping_carrier_code = carrier!.code
      if (carrier!.standard_code) order.shipping_carrier_standard_code = carrier!.standard_code
      order.shipping_company = carrier!.label
      if (t.tracking_number) {
        order.shipping_tracking = t.tracking_number
        if (carrier!.tracking_url) order.shipping_tracking_url = carrier!.tracking_url.replace("{trackingId}", encodeURIComponent(t.tracking_number))
      }
    } else {
      if (!t.carrier_name) fail(400, "carrier_code or carrier_name is required")
      order.shipping_company = t.carrier_name
      if (t.tracking_number) order.shipping_tracking = t.tracking_number
      if (t.carrier_url) order.shipping_tracking_url = t.carrier_url
    }
    order.last_updated_date = new Date(this.options.now()).toISOString()
    return { status: 204 }
  }

  /** OR24 */
  private ship(id: string): Reply {
    const order = this.find(id)
    if (order.order_state !== "SHIPPING") fail(400, OR21_ERRORS.ORDER_INVALID_STATE)
    applyState(order, "SHIPPED", new Date(this.options.now()).toISOString())
    return { status: 204 }
  }

  /** Units of a line already in a (not canceled) shipment. */
  private shippedUnits(orderId: string, lineId: string): number {
    let n = 0
    for (const s of this.shipments(orderId)) {
      if (s.status === "CANCELED") continue
      for (const l of s.shipment_lines ?? []) if (l.order_line_id === lineId) n += l.quantity
    }
    return n
  }

  /**
   * ST01. Each shipment is checked on its own, as the batch answer suggests: refused ones go to
   * `shipment_errors` (wording from the spec's example where it has one), the others are created.
   */
  private createShipments(body: unknown): Reply {
    if (!this.options.multiShipment) fail(400, "Multiple shipments are not enabled on this platform")
    this.validate("ST01", body)
    const at = new Date(this.options.now()).toISOString()
    const success: any[] = []
    const errors: { order_id: string; message: string }[] = []
    for (const req of (body as any).shipments as any[]) {
      const order = this.orders.get(req.order_id)
      if (!order) {
        errors.push({ order_id: req.order_id, message: OR21_ERRORS.ORDER_NOT_FOUND })
        continue
      }
      if (order.order_state !== "SHIPPING") {
        errors.push({ order_id: req.order_id, message: `The order status must be 'SHIPPING' but it is '${order.order_state}'.` })
        continue
      }
      const wanted = new Map<any, number>()
      let problem: string | undefined
      for (const l of req.shipment_lines as any[]) {
        const line = order.order_lines.find((x: any) => (l.order_line_id ? x.order_line_id === l.order_line_id : x.offer_sku === l.offer_sku))
        if (!line || !LIVE(line)) {
          problem = `Order line '${l.order_line_id ?? l.offer_sku}' not found`
          break
        }
        wanted.set(line, (wanted.get(line) ?? 0) + l.quantity)
      }
      if (!problem) {
        for (const [line, q] of wanted) {
          if (q > line.quantity - canceledUnits(line) - this.shippedUnits(order.order_id, line.order_line_id)) problem = "Shipment quantity is invalid."
        }
      }
      let tracking: Record<string, string> | undefined
      if (!problem && req.tracking) {
        const t = req.tracking
        if (t.carrier_code) {
          const carrier = this.options.carriers.find((c) => c.code === t.carrier_code)
          if (!carrier) problem = `Carrier with code '${t.carrier_code}' not found`
          else if (carrier.tracking_url?.includes("{trackingId}") && !t.tracking_number) problem = `A tracking number is required for carrier '${carrier.code}'`
          else
            tracking = {
              carrier_code: carrier.code,
              carrier_name: carrier.label,
              ...(carrier.standard_code ? { carrier_standard_code: carrier.standard_code } : {}),
              ...(t.tracking_number ? { tracking_number: t.tracking_number } : {}),
              ...(carrier.tracking_url && t.tracking_number ? { tracking_url: carrier.tracking_url.replace("{trackingId}", encodeURIComponent(t.tracking_number)) } : {}),
            }
        } else if (!t.carrier_name) {
          problem = "carrier_code or carrier_name is required"
        } else {
          tracking = {
            carrier_name: t.carrier_name,
            ...(t.tracking_number ? { tracking_number: t.tracking_number } : {}),
            ...(t.tracking_url ? { tracking_url: t.tracking_url } : {}),
          }
        }
      }
      if (problem) {
        errors.push({ order_id: req.order_id, message: problem })
        continue
      }
      const created = {
        created_date: at,
        id: randomUUID(),
        last_updated_date: at,
        order_id: order.order_id,
        shipment_lines: (req.shipment_lines as any[]).map((l) => {
          const line = order.order_lines.find((x: any) => (l.order_line_id ? x.order_line_id === l.order_line_id : x.offer_sku === l.offer_sku))
          return {
            offer_sku: line.offer_sku,
            order_line_id: line.order_line_id,
            ...(l.package_reference !== undefined ? { package_reference: l.package_reference } : {}),
            quantity: l.quantity,
          }
        }),
        ...(req.shipped ? { shipped_date: at } : {}),
        status: req.shipped ? "SHIPPED" : "SHIPPING",
        status_customer_debit: order.customer_debited_date ? "DEBIT_OK" : "NOT_STARTED",
        ...(tracking ? { tracking } : {}),
      }
      this.shipmentsByOrder.set(order.order_id, [...this.shipments(order.order_id), created])
      success.push(structuredClone(created))
      // The order is shipped once every live unit is in a shipped shipment.
      const all = this.shipments(order.order_id).filter((x) => x.status !== "CANCELED")
      const done = order.order_lines
        .filter(LIVE)
        .every((l: any) => this.shippedUnits(order.order_id, l.order_line_id) >= l.quantity - canceledUnits(l))
      if (done && all.every((x) => x.status === "SHIPPED")) applyState(order, "SHIPPED", at)
      else order.last_updated_date = at
    }
    return { status: 201, body: { shipment_errors: errors, shipment_success: success } }
  }

  /** ST11: seek pagination with an opaque token (here, the offset). */
  private listShipments(q: URLSearchParams): Reply {
    const ids = q.getAll("order_id")
    const states = q.getAll("shipment_state_code")
    const limit = Number(q.get("limit") ?? 10)
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) fail(400, "Parameter 'limit' must be between 1 and 100")
    const token = q.get("page_token")
    const offset = token ? Number(Buffer.from(token, "base64url").toString("utf8")) : 0
    if (!Number.isInteger(offset) || offset < 0) fail(400, "Invalid page_token")
    const all = [...this.shipmentsByOrder.values()]
      .flat()
      .filter((x) => (!ids.length || ids.includes(x.order_id)) && (!states.length || states.includes(x.status)))
      .sort((x, y) => Date.parse(x.created_date) - Date.parse(y.created_date))
    const page = all.slice(offset, offset + limit)
    const next = offset + limit < all.length ? Buffer.from(String(offset + limit), "utf8").toString("base64url") : undefined
    return { status: 200, body: { data: structuredClone(page), ...(next ? { next_page_token: next } : {}) } }
  }

  /**
   * Records a cancelation on a line. Taxes the request does not give are computed as Mirakl does for
   * PROPORTIONAL_TO_AMOUNT taxes (share of the canceled amount); NONE taxes are only canceled when given.
   */
  private addCancelation(
    line: any,
    c: { quantity: number; amount: number; shipping: number; reason: string; taxes?: any[]; shippingTaxes?: any[]; fees?: any[] },
    at: string
  ): string {
    const id = String(++this.cancelationSeq)
    const share = (given: any[] | undefined, taxes: any[] | undefined, base: number, part: number) =>
      given ??
      (taxes ?? [])
        .filter((t: any) => t.tax_calculation_rule === "PROPORTIONAL_TO_AMOUNT")
        .map((t: any) => ({ amount: base > 0 ? round2((t.amount * part) / base) : 0, code: t.code, ...(t.rate !== undefined ? { rate: t.rate } : {}) }))
    line.cancelations.push({
      amount: c.amount,
      commission_amount: 0,
      commission_taxes: [],
      commission_total_amount: 0,
      created_date: at,
      fees: (c.fees ?? []).map((f: any) => ({ amount: Number(f.amount), code: f.code })),
      id,
      quantity: c.quantity,
      reason_code: c.reason,
      shipping_amount: c.shipping,
      shipping_taxes: share(c.shippingTaxes, line.shipping_taxes, line.shipping_price, c.shipping).map((t: any) => ({ ...t, amount: Number(t.amount) })),
      taxes: share(c.taxes, line.taxes, line.price, c.amount).map((t: any) => ({ ...t, amount: Number(t.amount) })),
    })
    return id
  }

  /** OR29 */
  private cancelOrder(id: string): Reply {
    const order = this.find(id)
    if (!order.can_cancel) fail(400, OR21_ERRORS.ORDER_INVALID_STATE)
    const at = new Date(this.options.now()).toISOString()
    for (const line of order.order_lines.filter(LIVE)) {
      this.addCancelation(
        line,
        { quantity: line.quantity, amount: line.price, shipping: line.shipping_price, reason: "SELLER_CANCELATION", fees: line.fees },
        at
      )
      line.order_line_state = "CANCELED"
      line.last_updated_date = at
    }
    applyState(order, "CANCELED", at)
    return { status: 204 }
  }

  /** OR30 */
  private cancelLines(body: unknown): Reply {
    this.validate("OR30", body)
    const req = body as { cancelations: any[]; order_tax_mode?: string }
    const at = new Date(this.options.now()).toISOString()
    const targets = req.cancelations.map((c) => {
      const order = [...this.orders.values()].find((o) => o.order_lines.some((l: any) => l.order_line_id === c.order_line_id))
      if (!order) fail(404, `Order line '${c.order_line_id}' not found`)
      if (!order!.can_cancel) fail(400, OR21_ERRORS.ORDER_INVALID_STATE)
      const line = order!.order_lines.find((l: any) => l.order_line_id === c.order_line_id)
      if (!LIVE(line) || c.quantity > line.quantity - canceledUnits(line)) {
        fail(400, `Order line '${c.order_line_id}' cannot be canceled for quantity ${c.quantity}`)
      }
      return { order: order!, line, c }
    })
    const created = targets.map(({ order, line, c }) => {
      const cancelation_id = this.addCancelation(
        line,
        {
          quantity: c.quantity,
          amount: c.amount,
          shipping: c.shipping_amount,
          reason: String(c.reason_code),
          taxes: c.taxes,
          shippingTaxes: c.shipping_taxes,
          fees: c.fees,
        },
        at
      )
      // Cancelations add up: the line is canceled once none of its units is left.
      if (canceledUnits(line) >= line.quantity) line.order_line_state = "CANCELED"
      line.last_updated_date = at
      recomputeTotals(order)
      if (!order.order_lines.some(LIVE)) applyState(order, "CANCELED", at)
      else order.last_updated_date = at
      return {
        amount: c.amount,
        cancelation_id,
        currency_iso_code: order.currency_iso_code,
        order_line_id: line.order_line_id,
        quantity: c.quantity,
        reason_code: String(c.reason_code),
        shipping_amount: c.shipping_amount,
      }
    })
    return { status: 200, body: { cancelations: created, order_tax_mode: req.order_tax_mode ?? "TAX_EXCLUDED" } }
  }
}
