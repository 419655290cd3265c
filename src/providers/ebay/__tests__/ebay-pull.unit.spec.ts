import { makeOrder } from "../../../../integration-tests/simulators/ebay"
import { ChannelProviderError } from "../../../modules/channel/errors"
import { refill } from "../../shared/rate-limiter"
import { scaledRateLimits } from "../client"
import { PAGE_OVERLAP } from "../order-pages"
import {
  CREDENTIALS,
  countBy,
  memoryCache,
  newProvider,
  pullWindow,
  startEbayChannel,
  type EbayChannel,
} from "./ebay-channel-fixture"

const FROM = "2026-11-01T00:00:00.000Z"
const TO = "2026-11-10T00:00:00.000Z"
const EXPECTED_FILTER = "filter=lastmodifieddate:%5B2026-11-01T00:00:00.000Z..2026-11-09T23:59:59.999Z%5D"

/** `count` orders modified inside [FROM, TO), created in order, plus a few outside the window. */
function seedWindow(channel: EbayChannel, count: number, firstSeq = 1): string[] {
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const created = new Date(Date.parse(FROM) + i * 45_000).toISOString()
    const order = makeOrder({
      seq: firstSeq + i,
      creationDate: created,
      lastModifiedDate: new Date(Date.parse(created) + 60_000 + (i % 7) * 1000).toISOString(),
      lineItems: [{ tax: 1.2 }, ...(i % 3 === 0 ? [{ quantity: 2 }] : [])],
    })
    channel.sim.addOrders(order)
    ids.push(order.orderId)
  }
  channel.sim.addOrders(
    makeOrder({ seq: 90001, creationDate: "2026-10-20T10:00:00.000Z", lastModifiedDate: "2026-10-31T23:59:59.999Z" }),
    makeOrder({ seq: 90002, creationDate: "2026-10-20T11:00:00.000Z", lastModifiedDate: TO }),
    makeOrder({ seq: 90003, creationDate: "2026-11-09T11:00:00.000Z", lastModifiedDate: "2026-11-12T08:00:00.000Z" })
  )
  return ids
}

function expectSpecValid(channel: EbayChannel) {
  expect(channel.sim.responses.length).toBeGreaterThan(0)
  expect(channel.sim.specViolations()).toEqual([])
}

function expectNoSecrets(message: string) {
  expect(message).not.toContain(CREDENTIALS.client_secret)
  expect(message).not.toContain(CREDENTIALS.refresh_token)
  expect(message).not.toContain(Buffer.from(`${CREDENTIALS.client_id}:${CREDENTIALS.client_secret}`).toString("base64"))
}

describe("eBay provider against the simulator: pulling orders", () => {
  let channel: EbayChannel
  afterEach(async () => {
    const problems = channel?.sim.specViolations() ?? []
    await channel?.sim.stop()
    channel = undefined as unknown as EbayChannel
    expect(problems).toEqual([])
  })

  it("pulls 250 orders over several pages, each exactly once, with one token exchange", async () => {
    channel = await startEbayChannel()
    const ids = seedWindow(channel, 250)

    const { orders, pages } = await pullWindow(channel, FROM, TO)

    expect(pages).toBeGreaterThanOrEqual(2)
    const counts = countBy(orders, (o) => o.orderId)
    expect([...counts.values()].every((n) => n === 1)).toBe(true)
    expect(new Set(counts.keys())).toEqual(new Set(ids))
    expect(channel.sim.tokensIssued).toBe(1)
    expect(channel.provider.client.tokenExchanges).toBe(1)

    const listCalls = channel.sim.requestsFor("getOrders")
    expect(listCalls.length).toBe(pages)
    for (const call of listCalls) {
      expect(call.rawQuery.startsWith(`${EXPECTED_FILTER}&fieldGroups=TAX_BREAKDOWN&`)).toBe(true)
      expect(call.query.limit).toBe("200")
      expect(call.headers.authorization).toMatch(/^Bearer /)
      expect(call.headers["x-ebay-c-marketplace-id"]).toBe("EBAY_US")
    }
    expect(listCalls.map((c) => c.query.offset)).toEqual(["0", String(200 - PAGE_OVERLAP)])
    const token = channel.sim.requestsFor("token")[0]
    expect(token.headers["content-type"]).toBe("application/x-www-form-urlencoded")
    expect(new URLSearchParams(token.body).get("grant_type")).toBe("refresh_token")
    expect(new URLSearchParams(token.body).get("scope")).toBe("https://api.ebay.com/oauth/api_scope/sell.fulfillment")
    expectSpecValid(channel)
  })

  it("returns raw orders exactly as eBay sent them", async () => {
    channel = await startEbayChannel()
    seedWindow(channel, 3)
    const { orders } = await pullWindow(channel, FROM, TO)
    const sent = channel.sim.responses.find((r) => r.operation === "getOrders")!.body as any
    expect(orders).toEqual(sent.orders)
  })

  it("loses no order when orders already read leave the window during the pull", async () => {
    channel = await startEbayChannel({ settings: { page_size: 50 } })
    const ids = seedWindow(channel, 180)
    const modified: string[] = []

    const first = await pullWindow(channel, FROM, TO, (page, orders) => {
      // After page 1 and 2, more orders leave than the page overlap covers.
      if (page <= 1) {
        for (const o of orders.slice(0, PAGE_OVERLAP + 5)) {
          channel.sim.updateOrder(o.orderId, { buyerCheckoutNotes: "changed during the pull" })
          modified.push(o.orderId)
        }
      }
    })

    // The window shrank by more than the overlap, so some pages were read again from further back.
    expect(channel.sim.requestsFor("getOrders").length).toBeGreaterThan(first.pages)
    const seen = new Set(first.orders.map((o) => o.orderId))
    expect(ids.filter((id) => !seen.has(id))).toEqual([])
    // Re-reads only happen when the window shrank by more than the overlap; they stay bounded.
    expect(first.orders.length - ids.length).toBeLessThanOrEqual(2 * (PAGE_OVERLAP + 5))
    expectSpecValid(channel)
  })

  it("returns each order exactly once when fewer orders than the overlap leave mid-pull", async () => {
    channel = await startEbayChannel({ settings: { page_size: 40 } })
    const ids = seedWindow(channel, 130)
    const leftUnread: string[] = []
    const { orders } = await pullWindow(channel, FROM, TO, (page, pageOrders) => {
      if (page === 0) {
        for (const o of pageOrders.slice(5, 9)) channel.sim.updateOrder(o.orderId, { buyerCheckoutNotes: "edited" })
        // Two orders not read yet also change; they leave this window for the next one.
        for (const id of ids.slice(100, 102)) {
          channel.sim.updateOrder(id, { buyerCheckoutNotes: "edited" })
          leftUnread.push(id)
        }
      }
    })
    const counts = countBy(orders, (o) => o.orderId)
    expect([...counts.values()].every((n) => n === 1)).toBe(true)
    expect(new Set(counts.keys())).toEqual(new Set(ids.filter((id) => !leftUnread.includes(id))))

    // The next window picks up the orders that moved.
    const next = await pullWindow(channel, TO, new Date(Date.now() + 60_000).toISOString())
    expect(next.orders.map((o) => o.orderId)).toEqual(expect.arrayContaining(leftUnread))
  })

  it("sends no request over the scaled rate limit", async () => {
    const multiplier = 10
    const slackMs = 50
    channel = await startEbayChannel({
      sim: { rateLimitMultiplier: multiplier, rateSlackMs: slackMs },
      provider: { rate_limit_multiplier: multiplier },
    })
    const ids = seedWindow(channel, 60)
    const started = Date.now()
    await pullWindow(channel, FROM, TO)
    for (const id of ids.slice(0, 24)) await channel.provider.getOrder(channel.ctx, id)

    expect(channel.sim.throttled).toBe(0)
    expect(channel.sim.responses.filter((r) => r.status === 429)).toEqual([])
    // Re-check the arrival times against the bucket, forgiving a little network jitter per request.
    const limit = scaledRateLimits(multiplier).fulfillment
    let bucket = { tokens: limit.burst, updated_at_ms: channel.sim.requests[0].time }
    for (const r of channel.sim.requests.filter((x) => x.operation !== "token")) {
      const { tokens } = refill(bucket, limit, r.time)
      expect(tokens + (slackMs / 1000) * limit.rate).toBeGreaterThanOrEqual(1)
      bucket = { tokens: tokens - 1, updated_at_ms: r.time }
    }
    // 25 calls with a burst of 10 must have been spread out by the limiter.
    const minimum = ((25 - limit.burst) / limit.rate) * 1000
    expect(Date.now() - started).toBeGreaterThanOrEqual(minimum * 0.9)
  })

  it("recovers from 429s when a provider ignores the published rate", async () => {
    channel = await startEbayChannel({ sim: { retryAfterSeconds: 0.05 }, provider: { rate_limit_multiplier: 10_000 } })
    const ids = seedWindow(channel, 5)
    const got: unknown[] = []
    for (let i = 0; i < 25; i++) got.push(await channel.provider.getOrder(channel.ctx, ids[i % ids.length]))
    expect(got.every((o: any) => o && ids.includes(o.orderId))).toBe(true)
    expect(channel.sim.throttled).toBeGreaterThan(0)
    expectSpecValid(channel)
  })
})

describe("eBay provider against the simulator: faults", () => {
  let channel: EbayChannel
  afterEach(async () => {
    const problems = channel?.sim.specViolations() ?? []
    await channel?.sim.stop()
    channel = undefined as unknown as EbayChannel
    expect(problems).toEqual([])
  })

  async function pullWithFaultOnSecondPage(inject: () => void, provider = {}) {
    channel = await startEbayChannel({ settings: { page_size: 100 }, provider })
    const ids = seedWindow(channel, 250)
    const result = await pullWindow(channel, FROM, TO, (page) => {
      if (page === 0) inject()
    })
    const counts = countBy(result.orders, (o) => o.orderId)
    expect([...counts.values()].every((n) => n === 1)).toBe(true)
    expect(new Set(counts.keys())).toEqual(new Set(ids))
    expectSpecValid(channel)
    return result
  }

  it("retries 5xx answers", async () => {
    await pullWithFaultOnSecondPage(() => channel.sim.injectFault({ kind: "server_error" }, { count: 2 }))
    expect(channel.sim.responses.filter((r) => r.status === 500)).toHaveLength(2)
  })

  it("retries a call that times out", async () => {
    await pullWithFaultOnSecondPage(() => channel.sim.injectFault({ kind: "timeout", holdMs: 1_500 }), { timeout_ms: 300 })
    expect(channel.sim.requests.filter((r) => r.fault === "timeout")).toHaveLength(1)
  })

  it("retries a malformed body", async () => {
    await pullWithFaultOnSecondPage(() => channel.sim.injectFault({ kind: "malformed" }))
    expect(channel.sim.responses.filter((r) => r.malformed)).toHaveLength(1)
  })

  it("refreshes an expired access token once and carries on", async () => {
    await pullWithFaultOnSecondPage(() => channel.sim.expireAccessTokens())
    expect(channel.sim.responses.filter((r) => r.status === 401)).toHaveLength(1)
    expect(channel.sim.tokensIssued).toBe(2)
  })

  it("fails clearly, without secrets, when the refresh token is revoked mid-run", async () => {
    channel = await startEbayChannel()
    seedWindow(channel, 20)
    await pullWindow(channel, FROM, TO)
    channel.sim.revokeRefreshToken()

    const error = await channel.provider.listOrders(channel.ctx, { updated_after: FROM, updated_before: TO }).catch((e) => e)
    expect(error).toBeInstanceOf(ChannelProviderError)
    expect(error.code).toBe("unauthorized")
    expect(error.retryable).toBe(false)
    expect(error.marketplace_code).toBe("invalid_grant")
    expect(error.message).toMatch(/revoked/)
    expect(error.message).toMatch(/Reconnect the eBay account/)
    expectNoSecrets(error.message)
    expect(channel.sim.requestsFor("token")).toHaveLength(2)
    expectSpecValid(channel)
  })

  it("gives up after one refresh when eBay keeps refusing the token", async () => {
    channel = await startEbayChannel()
    seedWindow(channel, 2)
    channel.sim.injectFault({ kind: "unauthorized" }, { count: 2 })
    const error = await channel.provider.listOrders(channel.ctx, { updated_after: FROM, updated_before: TO }).catch((e) => e)
    expect(error).toBeInstanceOf(ChannelProviderError)
    expect(error.code).toBe("unauthorized")
    expect(error.message).toMatch(/sell\.fulfillment scope/)
    expect(channel.sim.requestsFor("getOrders")).toHaveLength(2)
    expect(channel.sim.tokensIssued).toBe(2)
  })

  it("refuses wrong app credentials without repeating them", async () => {
    channel = await startEbayChannel()
    channel.ctx.credentials = { ...CREDENTIALS, client_secret: "not-the-secret" }
    const check = await channel.provider.testConnection(channel.ctx)
    expect(check.ok).toBe(false)
    expect(check.message).toMatch(/invalid_client/)
    expect(check.message).not.toContain("not-the-secret")
    expectNoSecrets(check.message)
  })

  it("shares the access token through ctx.cache between provider instances", async () => {
    channel = await startEbayChannel()
    seedWindow(channel, 3)
    const cache = memoryCache()
    channel.ctx.cache = cache
    await pullWindow(channel, FROM, TO)
    const other = newProvider()
    await pullWindow({ provider: other, ctx: channel.ctx }, FROM, TO)
    expect(channel.sim.tokensIssued).toBe(1)
    expect(other.client.tokenExchanges).toBe(0)
    const stored = JSON.stringify([...cache.entries.values()])
    expect(stored).not.toContain(CREDENTIALS.refresh_token)
    expect(stored).not.toContain(CREDENTIALS.client_secret)
  })

  it("makes one token exchange for concurrent first calls", async () => {
    channel = await startEbayChannel()
    const ids = seedWindow(channel, 6)
    channel.ctx.cache = memoryCache()
    await Promise.all(ids.map((id) => channel.provider.getOrder(channel.ctx, id)))
    expect(channel.sim.tokensIssued).toBe(1)
  })

  it("renews a token shortly before it expires", async () => {
    channel = await startEbayChannel({ sim: { accessTokenTtlSeconds: 1 } })
    const ids = seedWindow(channel, 2)
    await channel.provider.getOrder(channel.ctx, ids[0])
    await new Promise((r) => setTimeout(r, 1_000))
    await channel.provider.getOrder(channel.ctx, ids[1])
    expect(channel.sim.tokensIssued).toBe(2)
    expect(channel.sim.responses.filter((r) => r.status === 401)).toEqual([])
  })
})

describe("eBay provider against the simulator: single orders and connection", () => {
  let channel: EbayChannel
  beforeEach(async () => {
    channel = await startEbayChannel()
  })
  afterEach(async () => {
    const problems = channel.sim.specViolations()
    await channel.sim.stop()
    expect(problems).toEqual([])
  })

  it("reads one order with its cancel requests, and null for an unknown id", async () => {
    const order = makeOrder({ seq: 7, cancelState: "IN_PROGRESS" })
    channel.sim.addOrders(order)
    const got = (await channel.provider.getOrder(channel.ctx, order.orderId)) as any
    expect(got.cancelStatus.cancelRequests).toHaveLength(1)
    expect(channel.provider.identify(got).status).toBe("CANCEL_REQUESTED")
    expect(await channel.provider.getOrder(channel.ctx, "99-99999-99999")).toBeNull()
    expectSpecValid(channel)
  })

  it("tests the connection with one token exchange and one limit=1 call", async () => {
    channel.sim.addOrders(makeOrder({ seq: 1, creationDate: new Date(Date.now() - 86_400_000).toISOString() }))
    const check = await channel.provider.testConnection(channel.ctx)
    expect(check).toEqual({ ok: true, message: expect.stringContaining("EBAY_US") })
    expect(check.message).toContain("1 order")
    const calls = channel.sim.requestsFor("getOrders")
    expect(calls).toHaveLength(1)
    expect(calls[0].query.limit).toBe("1")
    expectNoSecrets(check.message)
  })

  it("validates settings and credentials", () => {
    const good = { marketplace_id: "EBAY_DE" }
    expect(() => channel.provider.validateSettings(good, CREDENTIALS)).not.toThrow()
    expect(() => channel.provider.validateSettings(good, { client_id: "x" })).toThrow(/client_secret, refresh_token/)
    expect(() => channel.provider.validateSettings({ page_size: 250 }, CREDENTIALS)).toThrow(/page_size/)
    expect(() => channel.provider.validateSettings({ base_url: "ftp://x" }, CREDENTIALS)).toThrow(/http/)
    expect(() => channel.provider.validateSettings({ marketplace_id: "US" }, CREDENTIALS)).toThrow(/marketplace_id/)
  })

  it("skips the call for an empty window and rejects a foreign page token", async () => {
    expect(await channel.provider.listOrders(channel.ctx, { updated_after: TO, updated_before: TO })).toEqual({
      orders: [],
      next_page_token: null,
    })
    await expect(
      channel.provider.listOrders(channel.ctx, { updated_after: FROM, updated_before: TO, page_token: "42" })
    ).rejects.toMatchObject({ code: "invalid_page_token" })
    expect(channel.sim.requests).toHaveLength(0)
  })
})
