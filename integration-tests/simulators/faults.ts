import type http from "node:http"
import { seededRandom } from "../../src/providers/sandbox/generator"

/**
 * A seeded fault schedule that the Amazon, eBay and Mirakl simulators can share. Off unless a
 * simulator is given one (`faults` option or `useFaults()`); with the same seed and the same
 * sequence of requests it injects the same faults, so a failure it finds can be replayed.
 *
 * Every request of the operations it covers (normally the listing: searchOrders, getOrders, OR11)
 * is logged, faulted or not, so a test can tell a fault the client's retries absorbed (the same
 * call answered later in the run) from one that made the call fail (which must show in the run).
 *
 * Kinds:
 *   - `throttle_retry_after` 429 with `Retry-After` (seconds, default 1); `throttle` 429 without
 *   - `server_500`, `server_503` the marketplace's own error body
 *   - `timeout` no answer for `timeoutHoldMs` (set it above the client's timeout), then the socket closes
 *   - `reset` the connection is destroyed without an answer
 *   - `truncated` 200 with a JSON body cut short
 *   - `cut_off` 200's headers and the start of its body, then the connection drops
 *   - `stalled` 200's headers and the start of its body, then nothing until `timeoutHoldMs` has passed
 *   - `expired_page` the marketplace refuses the page the client asks for (Amazon: 400 InvalidInput on
 *     the paginationToken; eBay: 400 errorId 31000 "Invalid offset"; Mirakl, which documents no such
 *     error: 400 `{message, status}` naming the offset). Like a real expiry it sticks: every request
 *     for a later page is refused until the client asks for a first page again.
 *   - `status_flip` not an HTTP fault: before answering a request for a later page, one open order
 *     changes status (e.g. to canceled), as a buyer or the marketplace would between two pages.
 *
 * An HTTP fault is "persistent" with probability `persistence`: it then hits every attempt of the
 * same call (same method, path and query) up to `attempts`, which makes the client give up on it.
 */
export type FaultKind =
  | "throttle_retry_after"
  | "throttle"
  | "server_500"
  | "server_503"
  | "timeout"
  | "reset"
  | "truncated"
  | "cut_off"
  | "stalled"
  | "expired_page"
  | "status_flip"

export const FAULT_KINDS: FaultKind[] = [
  "throttle_retry_after",
  "throttle",
  "server_500",
  "server_503",
  "timeout",
  "reset",
  "truncated",
  "cut_off",
  "stalled",
  "expired_page",
  "status_flip",
]

/** What an order's status flip changed. */
export type StatusFlip = { order_id: string; from: string; to: string }

export type FaultScheduleOptions = {
  seed: number
  /** Probability that a covered request meets a new fault (default 0.25). */
  rate?: number
  /**
   * Copies of each kind in the deck faults are dealt from (default 1 each; 0 leaves a kind out).
   * The deck is shuffled with the seed and dealt without replacement, so every kind comes up once
   * per deck; a new deck is shuffled when no card left fits the request.
   */
  weights?: Partial<Record<FaultKind, number>>
  /** Probability that an HTTP fault repeats on every attempt of its call (default 0.2). */
  persistence?: number
  /** Attempts a persistent fault hits: the client's retry policy's maxAttempts (default 4). */
  attempts?: number
  /** Seconds in `Retry-After` for `throttle_retry_after` (default 1). */
  retryAfterSeconds?: number
  /** How long a `timeout` holds the request before closing it (default 5 s). */
  timeoutHoldMs?: number
  /** Operations the schedule covers; others pass untouched. Default: every operation. */
  operations?: string[]
  /** Starts active (default true); `pause()`/`resume()` switch it. */
  active?: boolean
}

/** One covered request as the schedule saw it. */
export type FaultEvent = {
  /** 1-based position among covered requests. */
  n: number
  at: number
  operation: string
  /** The call's identity: method, path and query; retries of one call share it. */
  key: string
  /** A request for a page after the first (a page token, a non-zero offset). */
  paged: boolean
  /** The fault injected, or null for a request answered normally. */
  kind: FaultKind | null
  /** Injected because an earlier fault persists (same call, or an expired page token). */
  repeat?: boolean
  flip?: StatusFlip
  /** The simulator's own record of the request (its status, response). */
  record?: unknown
}

export type FaultRequest = { operation: string; key: string; paged: boolean; record?: unknown }

/** The marketplace's own answers for the HTTP faults. */
export type FaultReplies = {
  throttle(retryAfterSeconds: number | undefined): { status: number; headers?: Record<string, string>; body: unknown }
  serverError(status: 500 | 503): { status: number; headers?: Record<string, string>; body: unknown }
  /** A 200 body cut short (not parseable JSON). */
  truncated(): string
  expiredPage(): { status: number; headers?: Record<string, string>; body: unknown }
}

/** mulberry32, shared with the sandbox generator: the same seed gives the same faults. */
export { seededRandom }

export class FaultSchedule {
  readonly log: FaultEvent[] = []
  readonly random: () => number
  /** Set by the simulator the schedule is attached to: flips one open order, or undefined if none. */
  flipper?: (random: () => number) => StatusFlip | undefined
  private readonly opts: Required<Omit<FaultScheduleOptions, "operations" | "weights" | "active">> & {
    operations?: Set<string>
    weights: Record<FaultKind, number>
  }
  private active: boolean
  private readonly persisting = new Map<string, { kind: FaultKind; left: number }>()
  private pagesExpired = false
  private readonly timers = new Set<NodeJS.Timeout>()
  private deck: FaultKind[] = []

  constructor(options: FaultScheduleOptions) {
    const weights = Object.fromEntries(FAULT_KINDS.map((k) => [k, options.weights?.[k] ?? 1])) as Record<FaultKind, number>
    this.opts = {
      seed: options.seed,
      rate: options.rate ?? 0.25,
      persistence: options.persistence ?? 0.2,
      attempts: options.attempts ?? 4,
      retryAfterSeconds: options.retryAfterSeconds ?? 1,
      timeoutHoldMs: options.timeoutHoldMs ?? 5_000,
      operations: options.operations ? new Set(options.operations) : undefined,
      weights,
    }
    this.active = options.active ?? true
    this.random = seededRandom(options.seed)
  }

  get seed(): number {
    return this.opts.seed
  }

  get isActive(): boolean {
    return this.active
  }

  covers(operation: string): boolean {
    return !this.opts.operations || this.opts.operations.has(operation)
  }

  /** Stops injecting (requests are still logged); pending persistent faults and expiries are dropped. */
  pause(): void {
    this.active = false
    this.persisting.clear()
    this.pagesExpired = false
  }

  resume(): void {
    this.active = true
  }

  /** The faults injected so far (status flips included), by kind. */
  counts(): Record<FaultKind, number> {
    const out = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>
    for (const e of this.log) if (e.kind) out[e.kind]++
    return out
  }

  /**
   * Decides the fate of one request of a covered operation (the caller checks `covers`), logs it
   * and returns the event. The simulator then calls `deliver`.
   */
  decide(req: FaultRequest, now = Date.now()): FaultEvent {
    const event: FaultEvent = { n: this.log.length + 1, at: now, operation: req.operation, key: req.key, paged: req.paged, kind: null, record: req.record }
    this.log.push(event)
    if (!this.active) return event

    const persisting = this.persisting.get(req.key)
    if (persisting) {
      persisting.left--
      if (persisting.left <= 0) this.persisting.delete(req.key)
      event.kind = persisting.kind
      event.repeat = true
      return event
    }
    if (!req.paged) this.pagesExpired = false
    else if (this.pagesExpired) {
      event.kind = "expired_page"
      event.repeat = true
      return event
    }

    if (this.random() >= this.opts.rate) return event
    const kind = this.deal(req.paged)
    if (!kind) return event
    if (kind === "status_flip") {
      const flip = this.flipper!(this.random)
      if (!flip) return event
      event.kind = kind
      event.flip = flip
      return event
    }
    event.kind = kind
    if (kind === "expired_page") this.pagesExpired = true
    else if (this.opts.attempts > 1 && this.random() < this.opts.persistence) {
      this.persisting.set(req.key, { kind, left: this.opts.attempts - 1 })
    }
    return event
  }

  /** The next card that fits the request; a page fault first for a request of a later page (they are rarer). */
  private deal(paged: boolean): FaultKind | undefined {
    const pageOnly = (k: FaultKind) => k === "expired_page" || k === "status_flip"
    const usable = (k: FaultKind) => (paged || !pageOnly(k)) && (k !== "status_flip" || !!this.flipper)
    for (let round = 0; round < 2; round++) {
      const i = paged && this.deck.some(pageOnly) ? this.deck.findIndex((k) => pageOnly(k) && usable(k)) : this.deck.findIndex(usable)
      if (i >= 0) return this.deck.splice(i, 1)[0]
      const fresh = FAULT_KINDS.flatMap((k) => Array<FaultKind>(Math.max(0, Math.round(this.opts.weights[k]))).fill(k))
      for (let j = fresh.length - 1; j > 0; j--) {
        const r = Math.floor(this.random() * (j + 1))
        ;[fresh[j], fresh[r]] = [fresh[r], fresh[j]]
      }
      this.deck.push(...fresh)
    }
    return undefined
  }

  /**
   * Carries out an HTTP fault on the response. Returns false when the simulator should answer
   * normally (no fault, or a status flip already applied). `onStatus` lets the simulator record
   * the status it "sent" (0 for no answer at all).
   */
  deliver(event: FaultEvent, res: http.ServerResponse, replies: FaultReplies, onStatus?: (status: number, body?: unknown) => void): boolean {
    const kind = event.kind
    if (!kind || kind === "status_flip") return false
    const json = (r: { status: number; headers?: Record<string, string>; body: unknown }) => {
      onStatus?.(r.status, r.body)
      const payload = typeof r.body === "string" ? r.body : JSON.stringify(r.body)
      res.writeHead(r.status, { "content-type": typeof r.body === "string" ? "text/plain" : "application/json", ...(r.headers ?? {}) })
      res.end(payload)
    }
    switch (kind) {
      case "throttle_retry_after":
        json(replies.throttle(this.opts.retryAfterSeconds))
        return true
      case "throttle":
        json(replies.throttle(undefined))
        return true
      case "server_500":
        json(replies.serverError(500))
        return true
      case "server_503":
        json(replies.serverError(503))
        return true
      case "expired_page":
        json(replies.expiredPage())
        return true
      case "truncated": {
        const body = replies.truncated()
        onStatus?.(200, body)
        res.writeHead(200, { "content-type": "application/json" })
        res.end(body)
        return true
      }
      case "reset":
        onStatus?.(0)
        res.socket?.destroy()
        return true
      case "cut_off":
      case "stalled": {
        const start = replies.truncated()
        onStatus?.(200, start)
        res.writeHead(200, { "content-type": "application/json", "content-length": String(Buffer.byteLength(start) + 4096) })
        res.write(start)
        const t = setTimeout(
          () => {
            this.timers.delete(t)
            res.socket?.destroy()
          },
          kind === "cut_off" ? 20 : this.opts.timeoutHoldMs
        )
        t.unref?.()
        this.timers.add(t)
        return true
      }
      case "timeout": {
        onStatus?.(0)
        const t = setTimeout(() => {
          this.timers.delete(t)
          res.socket?.destroy()
        }, this.opts.timeoutHoldMs)
        t.unref?.()
        this.timers.add(t)
        return true
      }
    }
  }

  /** Drops held timeouts (a simulator calls it when it stops). */
  dispose(): void {
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
  }
}

/** A request's call identity: method, path and its query parameters in a stable order. */
export function callKey(method: string, path: string, query: URLSearchParams | Record<string, string | string[]>): string {
  const pairs: [string, string][] = []
  if (query instanceof URLSearchParams) for (const [k, v] of query) pairs.push([k, v])
  else for (const [k, v] of Object.entries(query)) for (const x of Array.isArray(v) ? v : [v]) pairs.push([k, x])
  pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
  return `${method} ${path}?${pairs.map(([k, v]) => `${k}=${v}`).join("&")}`
}
