import { AmazonSimulator, makeOrder, overLimit } from "../../../../integration-tests/simulators/amazon"
import { InProcessRateLimiter } from "../../shared/rate-limiter"
import { AMAZON_RATE_LIMITS } from "../client"
import { PAGE_SIZE } from "../service"
import { amazonChannel, amazonProvider, iso, pullWindow, VirtualClock } from "./channel"

/**
 * How long a backfill takes under searchOrders' usage plan (0.0056 rps, burst 20, 100 orders a
 * page): the theoretical minimum of a token bucket, what the plugin's limiter computes, and what
 * a run against the simulator takes, at the real rate on a virtual clock and at a scaled rate on
 * the wall clock.
 */

const { rate: RATE, burst: BURST } = AMAZON_RATE_LIMITS.searchOrders
const HOUR = 3_600_000

/** Seconds a token bucket needs for `calls` requests, starting with `tokens` in the bucket. */
function theoreticalSeconds(calls: number, tokens: number, rate = RATE): number {
  return Math.max(0, calls - tokens) / rate
}

/** Seconds the plugin's InProcessRateLimiter waits for the same calls, on a virtual clock. */
async function limiterSeconds(calls: number, drained: boolean, rate = RATE): Promise<number> {
  const clock = new VirtualClock(0)
  const limiter = new InProcessRateLimiter(clock.now, clock.sleep)
  const limit = { rate, burst: BURST }
  if (drained) for (let i = 0; i < BURST; i++) await limiter.acquire("b", limit)
  const start = clock.t
  for (let i = 0; i < calls; i++) await limiter.acquire("b", limit)
  return (clock.t - start) / 1000
}

async function seed(sim: AmazonSimulator, count: number, end: number): Promise<string[]> {
  const orders = Array.from({ length: count }, (_, i) => {
    const t = end - 20 * HOUR + Math.floor((i * 19 * HOUR) / count)
    return makeOrder({ createdTime: new Date(t - HOUR), lastUpdatedTime: new Date(t) })
  })
  sim.addOrders(orders)
  return orders.map((o) => o.orderId)
}

const numbers: Record<string, unknown> = {}

afterAll(() => {
  // eslint-disable-next-line no-console
  console.log(`Amazon backfill numbers\n${JSON.stringify(numbers, null, 2)}`)
})

describe("Amazon backfill under the searchOrders usage plan", () => {
  it("limiter time matches the token-bucket minimum", async () => {
    for (const orders of [2_000, 10_000]) {
      const pages = Math.ceil(orders / PAGE_SIZE)
      const row = {
        pages,
        full_bucket: { theoretical_s: theoreticalSeconds(pages, BURST), limiter_s: await limiterSeconds(pages, false) },
        empty_bucket: { theoretical_s: theoreticalSeconds(pages, 0), limiter_s: await limiterSeconds(pages, true) },
      }
      numbers[`${orders}_orders`] = row
      for (const k of ["full_bucket", "empty_bucket"] as const) {
        // The limiter rounds each wait up to the millisecond; nothing more.
        expect(row[k].limiter_s).toBeGreaterThanOrEqual(row[k].theoretical_s)
        expect(row[k].limiter_s - row[k].theoretical_s).toBeLessThanOrEqual(pages / 1000)
      }
    }
    const two = numbers["2000_orders"] as any
    expect(two.full_bucket.theoretical_s).toBe(0)
    expect(two.empty_bucket.theoretical_s).toBeCloseTo(3571.4, 1)
  })

  it("2,000 orders at the real rate (virtual clock, empty bucket) take the computed time and never trip the simulator", async () => {
    const clock = new VirtualClock()
    const sim = await new AmazonSimulator({ now: clock.now }).start()
    try {
      const end = clock.t - 10 * 60_000
      const ids = await seed(sim, 2_000, end)
      const limiter = new InProcessRateLimiter(clock.now, clock.sleep)
      const provider = amazonProvider({ now: clock.now })
      const ctx = amazonChannel(sim, { limiter })
      // Earlier syncs spent the whole burst, on our side and on Amazon's.
      for (let i = 0; i < BURST; i++) {
        await provider.listOrders(ctx, { updated_after: iso(end - 60_000), updated_before: iso(end - 30_000) })
      }
      const start = clock.t
      const { orders, pages } = await pullWindow(provider, ctx, { updated_after: iso(end - 24 * HOUR), updated_before: iso(end + 1) })
      const seconds = (clock.t - start) / 1000
      numbers.simulated_real_rate_2000_orders = {
        pages,
        virtual_seconds: seconds,
        theoretical_s: theoreticalSeconds(pages, 0),
        lwa_exchanges: sim.lwaExchanges(),
      }
      expect(new Set(orders.map((o) => o.orderId))).toEqual(new Set(ids))
      expect(pages).toBe(20)
      expect(seconds).toBeGreaterThanOrEqual(theoreticalSeconds(pages, 0))
      expect(seconds).toBeLessThan(theoreticalSeconds(pages, 0) + 1)
      expect(sim.requests.filter((r) => r.status === 429)).toEqual([])
      const times = sim.requestsFor("searchOrders").map((r) => r.time)
      expect(overLimit(times, { rate: RATE, burst: BURST }, 0)).toEqual([])
      expect(sim.specViolations).toEqual([])
    } finally {
      await sim.stop()
    }
  })

  it("2,000 orders at ×1000 on the wall clock: full bucket at once, empty bucket at the scaled rate", async () => {
    const MULTIPLIER = 1000
    const sim = await new AmazonSimulator({ rateLimitMultiplier: MULTIPLIER }).start()
    try {
      const end = Date.now() - 10 * 60_000
      const ids = await seed(sim, 2_000, end)
      const provider = amazonProvider({ rate_limit_multiplier: MULTIPLIER })
      // Measures how long the provider waited on its limiter, apart from HTTP and CPU time.
      const inner = new InProcessRateLimiter()
      let waitedMs = 0
      const limiter = {
        acquire: async (op: string, limit: { rate: number; burst: number }) => {
          const t0 = Date.now()
          await inner.acquire(op, limit)
          if (op.endsWith(":searchOrders")) waitedMs += Date.now() - t0
        },
      }
      const ctx = amazonChannel(sim, { limiter })
      const window = { updated_after: iso(end - 24 * HOUR), updated_before: iso(end + 1) }

      let t = Date.now()
      const full = await pullWindow(provider, ctx, window)
      const fullSeconds = (Date.now() - t) / 1000
      const fullWaitedMs = waitedMs

      // The first pull spent the burst; the second starts with what refilled meanwhile.
      const scaledRate = RATE * MULTIPLIER
      const refilled = Math.min(BURST, fullSeconds * scaledRate)
      t = Date.now()
      const empty = await pullWindow(provider, ctx, window)
      const emptySeconds = (Date.now() - t) / 1000
      const expected = theoreticalSeconds(empty.pages, refilled, scaledRate)
      numbers.scaled_x1000_2000_orders = {
        pages: full.pages,
        full_bucket_wall_s: fullSeconds,
        full_bucket_limiter_wait_s: fullWaitedMs / 1000,
        second_pull_tokens_at_start: Number(refilled.toFixed(2)),
        second_pull_wall_s: emptySeconds,
        second_pull_theoretical_s: Number(expected.toFixed(3)),
        empty_bucket_theoretical_s: Number(theoreticalSeconds(empty.pages, 0, scaledRate).toFixed(3)),
      }
      for (const run of [full, empty]) expect(new Set(run.orders.map((o) => o.orderId))).toEqual(new Set(ids))
      // Twenty pages fit the burst: no waiting at all. Then the bucket paces the second pull.
      expect(fullWaitedMs).toBeLessThan(50)
      expect(emptySeconds).toBeGreaterThanOrEqual(expected * 0.9)
      expect(emptySeconds).toBeLessThan(expected + 5)
      expect(sim.requests.filter((r) => r.status === 429)).toEqual([])
      const times = sim.requestsFor("searchOrders").map((r) => r.time)
      expect(overLimit(times, { rate: RATE * MULTIPLIER, burst: BURST })).toEqual([])
      expect(sim.specViolations).toEqual([])
    } finally {
      await sim.stop()
    }
  })
})
