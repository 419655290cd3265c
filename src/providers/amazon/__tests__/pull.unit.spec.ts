import { AmazonSimulator, makeOrder, overLimit, SIM_RATE_LIMITS, type SimOperation } from "../../../../integration-tests/simulators/amazon"
import type { AmazonOrder } from "../types"
import { InProcessRateLimiter } from "../../shared/rate-limiter"
import { amazonChannel as channel, amazonProvider, iso, pullWindow, US } from "./channel"
import { MIN_UPPER_BOUND_AGE_MS } from "../service"

const MULTIPLIER = 500
const HOUR = 3_600_000

describe("Amazon provider: full pull against the simulator", () => {
  let sim: AmazonSimulator
  const now = Date.now()
  const windowStart = now - 30 * HOUR
  const windowEnd = now - 10 * 60_000
  const inWindow: string[] = []
  // One seller, one bucket per operation, whichever channel id a test uses.
  const limiter = new InProcessRateLimiter()
  const amazonChannel = (sim: AmazonSimulator, extra: { channel_id?: string } = {}) =>
    channel(sim, { ...extra, limiter, settings: { seller_id: "A1SIMSELLER" } })

  beforeAll(async () => {
    sim = await new AmazonSimulator({ rateLimitMultiplier: MULTIPLIER }).start()
    const orders: AmazonOrder[] = []
    for (let i = 0; i < 250; i++) {
      // Groups of five share a timestamp, so page boundaries fall inside ties.
      const updated = windowStart + Math.floor(i / 5) * 20 * 60_000 + 1_000
      const o = makeOrder({
        createdTime: new Date(updated - HOUR),
        lastUpdatedTime: new Date(updated),
        status: i % 10 === 0 ? "SHIPPED" : i % 7 === 0 ? "PENDING" : "UNSHIPPED",
        afn: i % 10 === 0,
        items: i % 3 === 0 ? [{}, {}] : [{}],
      })
      inWindow.push(o.orderId)
      orders.push(o)
    }
    // Outside the window on either side, and in another marketplace.
    orders.push(makeOrder({ lastUpdatedTime: new Date(windowStart - 1), createdTime: new Date(windowStart - HOUR) }))
    orders.push(makeOrder({ lastUpdatedTime: new Date(windowEnd), createdTime: new Date(windowStart) }))
    orders.push(makeOrder({ lastUpdatedTime: new Date(now - 60_000), createdTime: new Date(windowStart) }))
    orders.push(makeOrder({ lastUpdatedTime: new Date(windowStart + HOUR), marketplaceId: "A1F83G8C2ARO7P" }))
    sim.addOrders(orders)
  })

  afterAll(() => sim.stop())

  it("returns each of the 250 orders exactly once over three pages, raw and spec-valid", async () => {
    const provider = amazonProvider({ rate_limit_multiplier: MULTIPLIER })
    const ctx = amazonChannel(sim)
    const { orders, pages } = await pullWindow(provider, ctx, { updated_after: iso(windowStart), updated_before: iso(windowEnd) })

    expect(pages).toBe(3)
    const ids = orders.map((o) => o.orderId)
    expect(new Set(ids).size).toBe(ids.length)
    expect([...ids].sort()).toEqual([...inWindow].sort())

    // Raw payloads pass through untouched: each equals what the simulator sent. Amazon's bound is
    // inclusive, so the one order at exactly updated_before was sent and left for the next window.
    const sent = sim.requestsFor("searchOrders").flatMap((r) => (r.response as any).orders)
    expect(sent).toHaveLength(251)
    expect(orders).toEqual(sent.filter((o: any) => Date.parse(o.lastUpdatedTime) < windowEnd))

    // Every response body matched the official model.
    expect(sim.specViolations).toEqual([])
    expect(sim.validated.filter((v) => v.operation === "searchOrders")).toHaveLength(3)

    // One LWA exchange and one restricted data token (BUYER and RECIPIENT are asked) for the whole
    // pull, and that token on every call.
    expect(sim.lwaExchanges()).toBe(1)
    expect(sim.restrictedDataTokens()).toHaveLength(1)
    const tokens = new Set(sim.requestsFor("searchOrders").map((r) => r.accessToken))
    expect(tokens.size).toBe(1)
    expect([...tokens][0]).toBe(sim.restrictedDataTokens()[0])
    expect(sim.requestsFor("createRestrictedDataToken")[0].accessToken).toBe((sim.requestsFor("lwaToken")[0].response as any).access_token)
  })

  it("sends the documented query: csv arrays, same bounds on every page, token encoded once", () => {
    const calls = sim.requestsFor("searchOrders")
    for (const c of calls) {
      expect(c.query.marketplaceIds).toEqual([US])
      expect(c.query.maxResultsPerPage).toEqual(["100"])
      expect(c.query.includedData[0].split(",")).toEqual(
        expect.arrayContaining(["BUYER", "RECIPIENT", "PROCEEDS", "FULFILLMENT"])
      )
      expect(c.query.lastUpdatedAfter).toEqual([iso(windowStart)])
      expect(c.query.lastUpdatedBefore).toEqual([iso(windowEnd)])
      expect(c.query.createdAfter).toBeUndefined()
      expect(c.headers["x-amz-date"]).toMatch(/^\d{8}T\d{6}Z$/)
    }
    // The simulator's tokens contain + and /; they arrive intact only if percent-encoded.
    const issued = calls.slice(0, 2).map((c) => (c.response as any).pagination.nextToken)
    expect(issued[0]).toMatch(/[+/]/)
    expect(calls.slice(1).map((c) => c.query.paginationToken[0])).toEqual(issued)
    expect(calls[0].query.paginationToken).toBeUndefined()
  })

  it("clamps an upper bound closer than two minutes to now and keeps it on every page", async () => {
    sim.resetRequests()
    const provider = amazonProvider({ rate_limit_multiplier: MULTIPLIER })
    const ctx = amazonChannel(sim, { channel_id: "chan_clamp" })
    const started = Date.now()
    const { orders } = await pullWindow(provider, ctx, { updated_after: iso(windowStart), updated_before: iso(started) })
    const calls = sim.requestsFor("searchOrders")
    expect(calls.every((c) => c.status === 200)).toBe(true)
    const bounds = new Set(calls.map((c) => c.query.lastUpdatedBefore[0]))
    expect(bounds.size).toBe(1)
    // Clamped: at least two minutes before the moment the first request reached Amazon (the
    // provider reads its clock a moment after `started`, so `started` itself is not the bound).
    expect(Date.parse([...bounds][0])).toBeLessThanOrEqual(new Date(calls[0].time).getTime() - MIN_UPPER_BOUND_AGE_MS)
    expect(Date.parse([...bounds][0])).toBeLessThan(started)
    // The orders of the window plus the one at its end; not the one updated a minute ago.
    expect(orders).toHaveLength(251)
  })

  it("asks the pipeline for a listing lag that the clamp never has to touch", async () => {
    sim.resetRequests()
    const provider = amazonProvider({ rate_limit_multiplier: MULTIPLIER })
    const ctx = amazonChannel(sim, { channel_id: "chan_lag" })
    const windowTo = iso(Date.now() - provider.listing_lag_seconds * 1000)
    await provider.listOrders(ctx, { updated_after: iso(windowStart), updated_before: windowTo })
    expect(sim.requestsFor("searchOrders")[0].query.lastUpdatedBefore).toEqual([windowTo])
  })

  it("leaves orders at exactly updated_before to the next window (exclusive bound)", async () => {
    const provider = amazonProvider({ rate_limit_multiplier: MULTIPLIER })
    const ctx = amazonChannel(sim, { channel_id: "chan_bounds" })
    const first = await pullWindow(provider, ctx, { updated_after: iso(windowStart), updated_before: iso(windowEnd) })
    const second = await pullWindow(provider, ctx, { updated_after: iso(windowEnd), updated_before: iso(windowEnd + 60_000) })
    const firstIds = new Set(first.orders.map((o) => o.orderId))
    expect(second.orders).toHaveLength(1)
    expect(firstIds.has(second.orders[0].orderId)).toBe(false)
  })

  it("getOrder returns the raw order, and null for an unknown id", async () => {
    const provider = amazonProvider({ rate_limit_multiplier: MULTIPLIER })
    const ctx = amazonChannel(sim, { channel_id: "chan_get" })
    const raw: any = await provider.getOrder(ctx, inWindow[3])
    expect(raw.orderId).toBe(inWindow[3])
    expect(raw.fulfillment.fulfillmentStatus).toBeDefined()
    expect(await provider.getOrder(ctx, "999-0000000-0000000")).toBeNull()
    expect(sim.specViolations).toEqual([])
  })
  it("never exceeded a published rate or burst (scaled by the multiplier), past the burst too", async () => {
    // From full buckets on both sides, 24 calls: the last 4 must wait for refills.
    sim.resetRequests()
    sim.resetRateLimits()
    const provider = amazonProvider({ rate_limit_multiplier: MULTIPLIER })
    const ctx = channel(sim, { limiter: new InProcessRateLimiter(), settings: { seller_id: "A1SIMSELLER" } })
    const started = Date.now()
    for (let i = 0; i < 8; i++) {
      await pullWindow(provider, ctx, { updated_after: iso(windowStart), updated_before: iso(windowEnd) })
    }
    const calls = sim.requestsFor("searchOrders")
    expect(calls).toHaveLength(24)
    const rate = SIM_RATE_LIMITS.searchOrders!.rate * MULTIPLIER
    // A token bucket cannot let n calls through in less than (n - burst) / rate.
    expect(Date.now() - started).toBeGreaterThanOrEqual(((24 - 20) / rate) * 1000 - 5)

    expect(sim.requests.filter((r) => r.status === 429)).toEqual([])
    for (const op of Object.keys(SIM_RATE_LIMITS) as SimOperation[]) {
      const limit = SIM_RATE_LIMITS[op]
      if (!limit) continue
      const times = sim.requestsFor(op).map((r) => r.time)
      expect({ op, late: overLimit(times, { rate: limit.rate * MULTIPLIER, burst: limit.burst }, 100) }).toEqual({ op, late: [] })
    }
  })
})
