import http from "node:http"
import type { AddressInfo } from "node:net"
import { backoffDelay, parseRetryAfter, requestMarketplace } from "../http-client"
import { InProcessRateLimiter, refill } from "../rate-limiter"
import { ChannelProviderError } from "../../../modules/channel/errors"

type Reply = { status: number; body?: string; headers?: Record<string, string>; delayMs?: number }

/** A scripted marketplace: answers each request with the next reply and records what it got. */
async function scriptedServer(replies: Reply[]) {
  const received: Array<{ method?: string; url?: string; at: number }> = []
  const server = http.createServer((req, res) => {
    received.push({ method: req.method, url: req.url, at: Date.now() })
    const reply = replies.shift() ?? { status: 500 }
    setTimeout(() => {
      res.writeHead(reply.status, { "content-type": "application/json", ...(reply.headers ?? {}) })
      res.end(reply.body ?? "")
    }, reply.delayMs ?? 0)
  })
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) }
}

const noSleep = async () => {}

describe("requestMarketplace", () => {
  it("retries 5xx and malformed bodies, then returns the parsed answer", async () => {
    const srv = await scriptedServer([{ status: 503 }, { status: 200, body: "{not json" }, { status: 200, body: '{"ok":true}' }])
    try {
      const res = await requestMarketplace<{ ok: boolean }>({ method: "GET", url: `${srv.url}/x`, sleep: noSleep })
      expect(res.body).toEqual({ ok: true })
      expect(srv.received).toHaveLength(3)
    } finally {
      await srv.close()
    }
  })

  it("waits for Retry-After on 429", async () => {
    const srv = await scriptedServer([{ status: 429, headers: { "retry-after": "2" } }, { status: 200, body: "{}" }])
    const slept: number[] = []
    try {
      await requestMarketplace({ method: "GET", url: srv.url, sleep: async (ms) => void slept.push(ms) })
      expect(slept).toEqual([2000])
    } finally {
      await srv.close()
    }
  })

  it("does not sleep a Retry-After of a day inside a job: fails at once, retryable, saying how long to wait", async () => {
    const srv = await scriptedServer([{ status: 429, headers: { "retry-after": "86400" } }, { status: 200, body: "{}" }])
    const slept: number[] = []
    try {
      const err = await requestMarketplace({ method: "GET", url: srv.url, sleep: async (ms) => void slept.push(ms) }).catch((e) => e)
      expect(err).toBeInstanceOf(ChannelProviderError)
      expect(err).toMatchObject({ code: "rate_limited", retryable: true, status: 429, retry_after_ms: 86_400_000 })
      expect(err.message).toMatch(/asks to wait 86400 s/)
      expect(slept).toEqual([])
      expect(srv.received).toHaveLength(1)
    } finally {
      await srv.close()
    }
  })

  it("fails a 4xx at once, keeping the marketplace's code and message", async () => {
    const srv = await scriptedServer([{ status: 400, body: JSON.stringify({ errors: [{ code: "InvalidInput", message: "bad carrier" }] }) }])
    try {
      const err = await requestMarketplace({
        method: "POST",
        url: srv.url,
        body: { a: 1 },
        sleep: noSleep,
        parseError: (_s, b: any) => ({ code: b?.errors?.[0]?.code, message: b?.errors?.[0]?.message }),
      }).catch((e) => e)
      expect(err).toBeInstanceOf(ChannelProviderError)
      expect(err).toMatchObject({ code: "marketplace_rejected", retryable: false, status: 400, marketplace_code: "InvalidInput", marketplace_message: "bad carrier" })
      expect(srv.received).toHaveLength(1)
    } finally {
      await srv.close()
    }
  })

  it("reports 401 as unauthorized so the provider can refresh its token", async () => {
    const srv = await scriptedServer([{ status: 401, body: "{}" }])
    try {
      await expect(requestMarketplace({ method: "GET", url: srv.url, sleep: noSleep })).rejects.toMatchObject({ code: "unauthorized" })
    } finally {
      await srv.close()
    }
  })

  it("times out a silent marketplace and gives up after the last attempt", async () => {
    const srv = await scriptedServer([{ status: 200, body: "{}", delayMs: 500 }, { status: 200, body: "{}", delayMs: 500 }])
    try {
      const err = await requestMarketplace({ method: "GET", url: srv.url, timeoutMs: 100, retry: { maxAttempts: 2 }, sleep: noSleep }).catch((e) => e)
      expect(err).toMatchObject({ code: "timeout", retryable: true })
      expect(srv.received).toHaveLength(2)
    } finally {
      await srv.close()
    }
  })

  /**
   * A server that sends a 200's headers and part of its body, then either drops the connection or
   * goes silent. Regression (issue 16, marketplace fault schedule): the failure came out of reading
   * the body, where it escaped as a bare TypeError "terminated" or DOMException instead of a
   * retryable ChannelProviderError, so providers that settle a lost answer (Mirakl OR24/ST01,
   * Amazon confirmShipment) did not recognise it and the run's error said only "terminated".
   */
  async function halfAnswer(mode: "drop" | "stall", answers: number) {
    const received: number[] = []
    const server = http.createServer((req, res) => {
      received.push(Date.now())
      if (received.length > answers) {
        res.writeHead(200, { "content-type": "application/json" })
        return void res.end('{"ok":true}')
      }
      res.writeHead(200, { "content-type": "application/json", "content-length": "200" })
      res.write('{"orders":[{"order_id":"')
      if (mode === "drop") setTimeout(() => res.socket?.destroy(), 20)
    })
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    return {
      url,
      received,
      close: () => {
        server.closeAllConnections()
        return new Promise<void>((r) => server.close(() => r()))
      },
    }
  }

  it("a connection dropped in the middle of a body is a retryable network error, and is retried", async () => {
    const srv = await halfAnswer("drop", 1)
    try {
      const res = await requestMarketplace<{ ok: boolean }>({ method: "GET", url: srv.url, sleep: noSleep })
      expect(res.body).toEqual({ ok: true })
      expect(srv.received).toHaveLength(2)
    } finally {
      await srv.close()
    }
    const always = await halfAnswer("drop", 99)
    try {
      const err = await requestMarketplace({ method: "GET", url: always.url, retry: { maxAttempts: 2 }, sleep: noSleep }).catch((e) => e)
      expect(err).toBeInstanceOf(ChannelProviderError)
      expect(err).toMatchObject({ code: "network_error", retryable: true, status: 200 })
      expect(err.message).toMatch(/connection broke while the answer \(HTTP 200\) was being read/)
      expect(always.received).toHaveLength(2)
    } finally {
      await always.close()
    }
  })

  it("a body that stops arriving times out like a silent marketplace", async () => {
    const srv = await halfAnswer("stall", 99)
    try {
      const err = await requestMarketplace({ method: "GET", url: srv.url, timeoutMs: 150, retry: { maxAttempts: 2 }, sleep: noSleep }).catch((e) => e)
      expect(err).toBeInstanceOf(ChannelProviderError)
      expect(err).toMatchObject({ code: "timeout", retryable: true })
      expect(err.message).toMatch(/No answer from the marketplace within 150 ms/)
      expect(srv.received).toHaveLength(2)
    } finally {
      await srv.close()
    }
  })

  it("spends a rate-limit token before every attempt", async () => {
    const srv = await scriptedServer([{ status: 502 }, { status: 200, body: "{}" }])
    const taken: string[] = []
    try {
      await requestMarketplace({
        method: "GET",
        url: srv.url,
        operation: "op",
        limit: { rate: 1, burst: 1 },
        limiter: { acquire: async (op) => void taken.push(op) },
        sleep: noSleep,
      })
      expect(taken).toEqual(["op", "op"])
    } finally {
      await srv.close()
    }
  })
})

describe("backoff and Retry-After", () => {
  it("keeps jittered delays under the cap", () => {
    const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 }
    expect(backoffDelay(0, policy, () => 1)).toBe(100)
    expect(backoffDelay(3, policy, () => 1)).toBe(800)
    expect(backoffDelay(10, policy, () => 1)).toBe(1000)
    expect(backoffDelay(10, policy, () => 0)).toBe(0)
  })

  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("3")).toBe(3000)
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000)
    expect(parseRetryAfter(null)).toBeUndefined()
    expect(parseRetryAfter("soon")).toBeUndefined()
  })
})

describe("token bucket", () => {
  it("refills at the published rate up to the burst", () => {
    expect(refill({ tokens: 0, updated_at_ms: 0 }, { rate: 0.5, burst: 30 }, 4000)).toEqual({ tokens: 2, wait_ms: 0 })
    expect(refill({ tokens: 29.5, updated_at_ms: 0 }, { rate: 0.5, burst: 30 }, 60_000).tokens).toBe(30)
    expect(refill({ tokens: 0.5, updated_at_ms: 0 }, { rate: 0.5, burst: 30 }, 0).wait_ms).toBe(1000)
  })

  it("lets a burst through, then paces calls at the rate", async () => {
    let now = 0
    const limiter = new InProcessRateLimiter(() => now, async (ms) => void (now += ms))
    const at: number[] = []
    for (let i = 0; i < 5; i++) {
      await limiter.acquire("op", { rate: 2, burst: 3 })
      at.push(now)
    }
    expect(at).toEqual([0, 0, 0, 500, 1000])
  })
})
