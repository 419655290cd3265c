import { ChannelProviderError } from "../../modules/channel/errors"
import type { ChannelRateLimiter, RateLimit } from "../../modules/channel/types/provider"
import { scrubError, scrubSecrets } from "../../modules/channel/scrub"
import { reportCallError } from "./call-errors"

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
  /** Extra values to scrub from any error text (the request's auth headers and form body are scrubbed anyway). */
  secrets?: string[]
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

async function readBody(res: Response, timeoutMs: number): Promise<unknown> {
  let text: string
  try {
    text = await res.text()
  } catch (e: any) {
    // The headers came, the body did not: the timeout ran out while it trickled in, or the
    // connection dropped half-way (undici: TypeError "terminated"). Either way the answer is lost
    // and the call may have been applied: the same retryable codes as a failure before the headers.
    const timedOut = e?.name === "TimeoutError" || e?.name === "AbortError"
    throw new ChannelProviderError(
      timedOut ? "timeout" : "network_error",
      timedOut
        ? `No answer from the marketplace within ${timeoutMs} ms (the body of its HTTP ${res.status} stopped arriving)`
        : `Network error: the connection broke while the answer (HTTP ${res.status}) was being read: ${e?.cause?.code ?? e?.message ?? e}`,
      { retryable: true, status: res.status, cause: e }
    )
  }
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
  try {
    return await requestOnce<T>(req)
  } catch (e) {
    // Whatever wrote the message (fetch quoting a header value it refused, a marketplace echoing a
    // token), it leaves here without the request's credentials in it.
    throw scrubError(e, requestSecrets(req))
  }
}

/** Header values that authenticate (anything but content negotiation) and the form body's values. */
const PLAIN_HEADERS = new Set(["accept", "content-type", "user-agent", "accept-language", "accept-encoding", "x-amz-date", "host"])
export function requestSecrets(req: Pick<MarketplaceRequest, "headers" | "body" | "secrets">): string[] {
  const out: string[] = [...(req.secrets ?? [])]
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    if (PLAIN_HEADERS.has(name.toLowerCase()) || typeof value !== "string") continue
    out.push(value)
    const scheme = /^(bearer|basic)\s+(.+)$/i.exec(value)
    if (scheme) {
      out.push(scheme[2])
      if (/^basic$/i.test(value.split(/\s/)[0])) {
        try {
          out.push(...Buffer.from(scheme[2], "base64").toString("utf8").split(":"))
        } catch {
          // not base64
        }
      }
    }
  }
  if (typeof req.body === "string" && /=/.test(req.body)) {
    try {
      for (const [key, value] of new URLSearchParams(req.body)) {
        if (!/^(grant_type|scope|redirect_uri)$/i.test(key)) out.push(value)
      }
    } catch {
      // not a form body
    }
  }
  return out
}

/** A call without a rate-limit bucket is named by its method and path (its query may carry a token). */
function callName(req: Pick<MarketplaceRequest, "method" | "url">): string {
  try {
    return `${req.method} ${new URL(req.url).pathname}`
  } catch {
    return req.method
  }
}

async function requestOnce<T>(req: MarketplaceRequest): Promise<MarketplaceResponse<T>> {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...(req.retry ?? {}) }
  const sleep = req.sleep ?? realSleep
  const timeoutMs = req.timeoutMs ?? 30_000
  let lastError: ChannelProviderError | undefined
  // Every failed attempt goes to the caller's record of failed calls (a run's `errors`), retried
  // or not, scrubbed of the request's credentials.
  const operation = req.operation ?? callName(req)
  let secrets: string[] | undefined
  const failed = (error: ChannelProviderError, attempt: number): ChannelProviderError => {
    secrets ??= requestSecrets(req)
    reportCallError({
      at: new Date().toISOString(),
      code: error.code,
      message: scrubSecrets(error.message, secrets),
      operation,
      retryable: error.retryable,
      ...(error.status !== undefined ? { status: error.status } : {}),
      attempt: attempt + 1,
    })
    return error
  }

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
      failed(lastError, attempt)
      await sleep(backoffDelay(attempt, policy))
      continue
    }

    let parsed: unknown
    try {
      parsed = await readBody(res, timeoutMs)
    } catch (e) {
      lastError =
        e instanceof ChannelProviderError
          ? e
          : new ChannelProviderError("network_error", `Network error while reading the answer: ${(e as any)?.message ?? e}`, { retryable: true, cause: e })
      failed(lastError, attempt)
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
      failed(lastError, attempt)
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
      failed(lastError, attempt)
      await sleep(backoffDelay(attempt, policy))
      continue
    }
    throw failed(
      new ChannelProviderError(
        res.status === 401 ? "unauthorized" : res.status === 403 ? "forbidden" : "marketplace_rejected",
        `The marketplace refused the call (HTTP ${res.status}${mp.code ? ` ${mp.code}` : ""})${detail ? `: ${detail}` : ""}`,
        { retryable: false, status: res.status, marketplace_code: mp.code, marketplace_message: mp.message }
      ),
      attempt
    )
  }
  throw lastError ?? new ChannelProviderError("marketplace_unavailable", "The marketplace call failed", { retryable: true })
}
