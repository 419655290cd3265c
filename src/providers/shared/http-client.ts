import { ChannelProviderError } from "../../modules/channel/errors"
import type { ChannelRateLimiter, RateLimit } from "../../modules/channel/types/provider"

export type RetryPolicy = {
  /** Attempts in all, the first one included. */
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 30_000 }

export type MarketplaceErrorParser = (
  status: number,
  body: unknown
) => { code?: string; message?: string } | undefined

export type MarketplaceRequest = {
  method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH"
  url: string
  headers?: Record<string, string>
  /** JSON body (serialised here) or a pre-encoded string (form bodies). */
  body?: unknown
  /** Rate-limit bucket name, e.g. `amazon:searchOrders`; with `limit`, a token is spent before each attempt. */
  operation?: string
  limit?: RateLimit
  limiter?: ChannelRateLimiter
  timeoutMs?: number
  retry?: Partial<RetryPolicy>
  parseError?: MarketplaceErrorParser
  /** Lets tests and benchmarks run retries without real sleeping. */
  sleep?: (ms: number) => Promise<void>
  /** The longest Retry-After slept inside a call (default MAX_RETRY_AFTER_MS); longer ones fail the call, retryable. */
  maxRetryAfterMs?: number
}

/** A job does not sleep longer than this on one Retry-After. */
export const MAX_RETRY_AFTER_MS = 60_000

export type MarketplaceResponse<T> = { status: number; headers: Headers; body: T }

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** Full-jitter exponential backoff: a random delay in [0, min(cap, base·2^attempt)]. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt)
  return Math.round(random() * ceiling)
}

/** `Retry-After` as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text()
  if (!text) return undefined
  const type = res.headers.get("content-type") ?? ""
  if (type.includes("json") || /^[\s]*[[{]/.test(text)) {
    try {
      return JSON.parse(text)
    } catch {
      if (res.ok) {
        throw new ChannelProviderError("malformed_response", `The marketplace sent a body that is not valid JSON (HTTP ${res.status})`, {
          retryable: true,
          status: res.status,
        })
      }
      return text
    }
  }
  return text
}

/**
 * One marketplace call with the shared rules: a token per attempt from the rate limiter, a timeout,
 * 429 honouring Retry-After, jittered exponential backoff for 5xx, network errors and malformed bodies,
 * and 4xx (other than 429) failing at once with the marketplace's own code and message kept.
 * 401 is returned as an error with code `unauthorized` so the provider can refresh its token once.
 */
export async function requestMarketplace<T = unknown>(req: MarketplaceRequest): Promise<MarketplaceResponse<T>> {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...(req.retry ?? {}) }
  const sleep = req.sleep ?? realSleep
  const timeoutMs = req.timeoutMs ?? 30_000
  let lastError: ChannelProviderError | undefined

  for (let attempt = 0; attempt < policy.maxAttempts; attempt++) {
    if (req.limiter && req.operation && req.limit) {
      await req.limiter.acquire(req.operation, req.limit)
    }
    const headers: Record<string, string> = { accept: "application/json", ...(req.headers ?? {}) }
    let body: string | undefined
    if (req.body !== undefined) {
      if (typeof req.body === "string") {
        body = req.body
      } else {
        body = JSON.stringify(req.body)
        headers["content-type"] ??= "application/json"
      }
    }

    let res: Response
    try {
      res = await fetch(req.url, { method: req.method, headers, body, signal: AbortSignal.timeout(timeoutMs) })
    } catch (e: any) {
      const timedOut = e?.name === "TimeoutError" || e?.name === "AbortError"
      lastError = new ChannelProviderError(
        timedOut ? "timeout" : "network_error",
        timedOut ? `No answer from the marketplace within ${timeoutMs} ms` : `Network error: ${e?.message ?? e}`,
        { retryable: true, cause: e }
      )
      await sleep(backoffDelay(attempt, policy))
      continue
    }

    let parsed: unknown
    try {
      parsed = await readBody(res)
    } catch (e) {
      lastError = e as ChannelProviderError
      await sleep(backoffDelay(attempt, policy))
      continue
    }

    if (res.ok) {
      return { status: res.status, headers: res.headers, body: parsed as T }
    }

    const mp = req.parseError?.(res.status, parsed) ?? {}
    const detail = mp.message ?? (typeof parsed === "string" ? parsed.slice(0, 500) : undefined)
    if (res.status === 429) {
      lastError = new ChannelProviderError("rate_limited", `The marketplace throttled the call${detail ? `: ${detail}` : ""}`, {
        retryable: true,
        status: 429,
        marketplace_code: mp.code,
        marketplace_message: mp.message,
      })
      const asked = parseRetryAfter(res.headers.get("retry-after"))
      // A long Retry-After (an hour, a day) is not slept inside a job: the call fails now, retryable,
      // saying when to come back, and the run's cursor lets the next run pick up from here.
      if (asked !== undefined && asked > (req.maxRetryAfterMs ?? MAX_RETRY_AFTER_MS)) {
        throw new ChannelProviderError(
          "rate_limited",
          `The marketplace throttled the call and asks to wait ${Math.ceil(asked / 1000)} s; the next run tries again${detail ? `: ${detail}` : ""}`,
          { retryable: true, status: 429, marketplace_code: mp.code, marketplace_message: mp.message, retry_after_ms: asked }
        )
      }
      await sleep(asked ?? backoffDelay(attempt + 1, policy))
      continue
    }
    if (res.status >= 500) {
      lastError = new ChannelProviderError("marketplace_unavailable", `The marketplace answered HTTP ${res.status}${detail ? `: ${detail}` : ""}`, {
        retryable: true,
        status: res.status,
        marketplace_code: mp.code,
        marketplace_message: mp.message,
      })
      await sleep(backoffDelay(attempt, policy))
      continue
    }
    throw new ChannelProviderError(
      res.status === 401 ? "unauthorized" : res.status === 403 ? "forbidden" : "marketplace_rejected",
      `The marketplace refused the call (HTTP ${res.status}${mp.code ? ` ${mp.code}` : ""})${detail ? `: ${detail}` : ""}`,
      { retryable: false, status: res.status, marketplace_code: mp.code, marketplace_message: mp.message }
    )
  }
  throw lastError ?? new ChannelProviderError("marketplace_unavailable", "The marketplace call failed", { retryable: true })
}
