import { MIRAKL_RATE_LIMITS } from "../client"
import type { MiraklSimulator } from "../../../../integration-tests/simulators/mirakl"
import {
  API_KEY,
  FAST,
  SHORT_TIMEOUT,
  caught,
  finish,
  channel,
  countIds,
  expectSpecValidTraffic,
  expectWithinLimit,
  provider,
  pullWindow,
  seedOrders,
  startSimulator,
} from "./mirakl-harness"

const T0 = Date.parse("2026-03-01T00:00:00Z")
const HOUR = 3_600_000
const FROM = new Date(T0).toISOString()
const TO = new Date(T0 + HOUR).toISOString()

describe("Mirakl OR11 listing against the simulator", () => {
  let sim: MiraklSimulator
  afterEach(async () => finish(sim))

  it("pulls 250 orders over three pages, each exactly once, with spec-valid traffic", async () => {
    sim = await startSimulator()
    seedOrders(sim, 250, T0, HOUR - 1000)
    // Outside the window on both sides.
    sim.addOrder({ id: "EARLY-A", createdAt: new Date(T0 - 5 * HOUR), lastUpdated: new Date(T0 - HOUR) })
    sim.addOrder({ id: "LATE-A", createdAt: new Date(T0 - 5 * HOUR), lastUpdated: new Date(T0 + 2 * HOUR) })

    const orders = await pullWindow(provider(), channel(sim), FROM, TO)

    const counts = countIds(orders)
    expect(counts.size).toBe(250)
    expect([...counts.values()].every((n) => n === 1)).toBe(true)
    expect(counts.has("EARLY-A") || counts.has("LATE-A")).toBe(false)

    const calls = sim.requestsFor("OR11")
    expect(calls).toHaveLength(3)
    expect(calls.map((c) => c.query.offset)).toEqual(["0", "100", "200"])
    for (const c of calls) {
      expect(c.query).toMatchObject({ start_update_date: FROM, end_update_date: TO, max: "100", sort: "dateCreated", order: "asc" })
      // Raw key, no Bearer prefix.
      expect(c.headers.authorization).toBe(API_KEY)
    }
    // Raw payloads come through untouched.
    expect(orders[0]).toEqual(sim.order(orders[0].order_id))
    expect(expectSpecValidTraffic(sim)).toBe(3)
  })

  it("passes shop_id on every call when the channel sets one", async () => {
    sim = await startSimulator({ shopId: 2042 })
    seedOrders(sim, 5, T0, HOUR - 1000)
    const p = provider()
    const orders = await pullWindow(p, channel(sim, { shop_id: "2042" }), FROM, TO)
    expect(orders).toHaveLength(5)
    expect(sim.requests.every((r) => r.query.shop_id === "2042")).toBe(true)

    const wrongShop = await caught(pullWindow(p, channel(sim, { shop_id: 7 }), FROM, TO))
    expect(wrongShop).toMatchObject({ code: "forbidden", retryable: false, status: 403 })
  })

  it("steps back when orders leave the window mid-pull, so none is skipped and none doubled", async () => {
    sim = await startSimulator()
    seedOrders(sim, 60, T0, HOUR - 1000)
    const p = provider()
    const ctx = channel(sim, { page_size: 10 })
    const seen: any[] = []
    let token: string | null | undefined = null
    let page = 0
    do {
      const res = await p.listOrders(ctx, { updated_after: FROM, updated_before: TO, page_token: token })
      seen.push(...res.orders)
      token = res.next_page_token
      page++
      if (page === 2) {
        // Orders from the first pages get updated (leave the window), sliding the rest back by 3.
        for (const o of seen.slice(2, 5)) sim.update(o.order_id, (x) => (x.has_customer_message = true), T0 + 5 * HOUR)
      }
      if (page === 4) {
        // One not yet listed leaves too: it belongs to a later window, not this one.
        const later = sim.allOrders().find((o) => !seen.some((s) => s.order_id === o.order_id) && Date.parse(o.last_updated_date) < T0 + HOUR)!
        sim.update(later.order_id, (x) => (x.has_customer_message = true), T0 + 5 * HOUR)
      }
    } while (token)

    const counts = countIds(seen)
    expect([...counts.values()].every((n) => n === 1)).toBe(true)
    // 60 seeded, one left the window before it was listed.
    expect(counts.size).toBe(59)
    expectSpecValidTraffic(sim)
  })

  it("does not repeat orders when a late order appears before the cursor", async () => {
    sim = await startSimulator()
    seedOrders(sim, 30, T0, HOUR - 1000)
    const p = provider()
    const ctx = channel(sim, { page_size: 10 })
    const first = await p.listOrders(ctx, { updated_after: FROM, updated_before: TO })
    // Committed late with an update time inside the window and the oldest creation date.
    sim.addOrder({ id: "LATECOMER-A", createdAt: new Date(T0 - 10 * 86_400_000), lastUpdated: new Date(T0 + 60_000) })
    const rest: any[] = []
    let token = first.next_page_token
    while (token) {
      const res = await p.listOrders(ctx, { updated_after: FROM, updated_before: TO, page_token: token })
      rest.push(...res.orders)
      token = res.next_page_token
    }
    const counts = countIds([...first.orders, ...rest])
    expect([...counts.values()].every((n) => n === 1)).toBe(true)
    expect(counts.size).toBe(30)
  })

  it("stays under the scaled rate limit with no 429 over 25 pages", async () => {
    const multiplier = 60 // OR11 becomes 10 req/s, burst 10
    sim = await startSimulator({ rateLimitMultiplier: multiplier })
    seedOrders(sim, 250, T0, HOUR - 1000)
    const p = provider({ ...FAST, rate_limit_multiplier: multiplier })
    const started = Date.now()
    const orders = await pullWindow(p, channel(sim, { page_size: 10 }), FROM, TO)
    const elapsed = Date.now() - started

    expect(countIds(orders).size).toBe(250)
    const calls = sim.requestsFor("OR11")
    expect(calls).toHaveLength(25)
    expect(calls.filter((c) => c.response?.status === 429)).toHaveLength(0)
    const limit = { rate: MIRAKL_RATE_LIMITS.OR11.rate * multiplier, burst: MIRAKL_RATE_LIMITS.OR11.burst }
    expectWithinLimit(calls.map((c) => c.at), limit)
    // 10 from the burst, then 15 at 10/s.
    expect(elapsed).toBeGreaterThanOrEqual(1300)
  })

  it("waits out 429 + Retry-After and still lists every order once", async () => {
    // The operator is stricter than the provider assumes: 2 at once, then 1 per second.
    sim = await startSimulator({ rateLimitMultiplier: 1, limits: { OR11: { rate: 1, burst: 2 } } })
    seedOrders(sim, 40, T0, HOUR - 1000)
    const orders = await pullWindow(provider(), channel(sim, { page_size: 10 }), FROM, TO)

    expect(countIds(orders).size).toBe(40)
    expect([...countIds(orders).values()].every((n) => n === 1)).toBe(true)
    const calls = sim.requestsFor("OR11")
    const throttled = calls.filter((c) => c.response?.status === 429)
    expect(throttled.length).toBeGreaterThanOrEqual(1)
    for (const t of throttled) {
      const retryAfter = Number(t.response!.headers["retry-after"])
      expect(retryAfter).toBeGreaterThanOrEqual(1)
      const next = calls.find((c) => c.at > t.at)!
      expect(next.at - t.at).toBeGreaterThanOrEqual(retryAfter * 1000 - 20)
    }
    expectSpecValidTraffic(sim)
  })

  describe("faults", () => {
    const pullWithFault = async (inject: (sim: MiraklSimulator) => void) => {
      sim = await startSimulator()
      seedOrders(sim, 250, T0, HOUR - 1000)
      const orders = await pullWindow(provider(SHORT_TIMEOUT), channel(sim), FROM, TO, (page) => {
        if (page === 1) inject(sim)
      })
      const counts = countIds(orders)
      expect(counts.size).toBe(250)
      expect([...counts.values()].every((n) => n === 1)).toBe(true)
      expectSpecValidTraffic(sim)
      return sim.requestsFor("OR11")
    }

    it("recovers from a run of 5xx answers", async () => {
      const calls = await pullWithFault((s) => s.failNext(2, { operation: "OR11", status: 503 }))
      expect(calls.filter((c) => c.fault === "error")).toHaveLength(2)
      expect(calls.filter((c) => c.response?.status === 200)).toHaveLength(3)
    })

    it("recovers from a timeout", async () => {
      const calls = await pullWithFault((s) => s.hangNext(1, { operation: "OR11", ms: 5000 }))
      expect(calls[1].fault).toBe("hang")
      expect(calls[2].query.offset).toBe(calls[1].query.offset)
    })

    it("recovers from a malformed body", async () => {
      const calls = await pullWithFault((s) => s.malformNext(1, { operation: "OR11" }))
      expect(calls.filter((c) => c.fault === "malformed")).toHaveLength(1)
      expect(calls[2].query.offset).toBe(calls[1].query.offset)
    })

    it("gives up after the retry budget with a retryable error, and the same token resumes", async () => {
      sim = await startSimulator()
      seedOrders(sim, 150, T0, HOUR - 1000)
      const p = provider()
      const ctx = channel(sim)
      const first = await p.listOrders(ctx, { updated_after: FROM, updated_before: TO })
      sim.failNext(10, { operation: "OR11", status: 502 })
      const err = await caught(p.listOrders(ctx, { updated_after: FROM, updated_before: TO, page_token: first.next_page_token }))
      expect(err).toMatchObject({ code: "marketplace_unavailable", retryable: true, status: 502 })
      expect(sim.requestsFor("OR11").filter((r) => r.fault)).toHaveLength(4)
      sim.clearFaults()
      const second = await p.listOrders(ctx, { updated_after: FROM, updated_before: TO, page_token: first.next_page_token })
      const ids = countIds([...first.orders, ...second.orders])
      expect(ids.size).toBe(150)
      expect(second.next_page_token).toBeNull()
    })

    it("stops at once on a revoked key with a clear, non-retryable error", async () => {
      sim = await startSimulator()
      seedOrders(sim, 250, T0, HOUR - 1000)
      const p = provider()
      const ctx = channel(sim)
      const first = await p.listOrders(ctx, { updated_after: FROM, updated_before: TO })
      sim.revokeKey()
      const before = sim.requests.length
      const err = await caught(p.listOrders(ctx, { updated_after: FROM, updated_before: TO, page_token: first.next_page_token }))
      expect(err).toMatchObject({ code: "unauthorized", retryable: false, status: 401 })
      expect(err.message).toMatch(/API key/)
      expect(err.message).not.toContain(API_KEY)
      // No retries on a 401.
      expect(sim.requests.length - before).toBe(1)
    })
  })

  it("rejects a page token it did not make", async () => {
    sim = await startSimulator()
    const err = await caught(provider().listOrders(channel(sim), { updated_after: FROM, updated_before: TO, page_token: "not-a-token" }))
    expect(err).toMatchObject({ code: "invalid_page_token", retryable: false })
    expect(sim.requests).toHaveLength(0)
  })
})
