import type { ChannelRateLimiter, RateLimit } from "../../../modules/channel/types/provider"
import { InProcessRateLimiter } from "../../shared/rate-limiter"
import { SIMULATOR_DEFAULT_LIMITS, type MiraklSimulator } from "../../../../integration-tests/simulators/mirakl"
import { MIRAKL_RATE_LIMITS } from "../client"
import { channel, finish, provider, pullWindow, seedOrders, startSimulator, FAST } from "./mirakl-harness"

const T0 = Date.parse("2026-03-01T00:00:00Z")
const HOUR = 3_600_000
const FROM = new Date(T0).toISOString()
const TO = new Date(T0 + HOUR).toISOString()

/** The shared in-process limiter on a clock that only moves when it sleeps, recording every acquire. */
function recordingLimiter() {
  let now = 1_000_000
  const slept: { operation: string; ms: number }[] = []
  const calls: { operation: string; limit: RateLimit }[] = []
  let current = ""
  const inner = new InProcessRateLimiter(
    () => now,
    async (ms) => {
      slept.push({ operation: current, ms })
      now += ms
    }
  )
  const limiter: ChannelRateLimiter = {
    async acquire(operation, limit) {
      calls.push({ operation, limit })
      current = operation
      await inner.acquire(operation, limit)
    },
  }
  return { limiter, calls, slept }
}

describe("Mirakl rate-limit buckets: import listing and single-order reads", () => {
  let sim: MiraklSimulator
  afterEach(async () => finish(sim))

  it("the two OR11 buckets split the one OR11 budget the operator counts", () => {
    const listing = MIRAKL_RATE_LIMITS.OR11
    const read = MIRAKL_RATE_LIMITS.OR11_READ
    expect(listing.rate + read.rate).toBeCloseTo(SIMULATOR_DEFAULT_LIMITS.OR11.rate, 12)
    expect(listing.burst + read.burst).toBe(SIMULATOR_DEFAULT_LIMITS.OR11.burst)
  })

  it("listing spends the OR11 bucket; getOrder (the feedback read-back) spends OR11_READ", async () => {
    sim = await startSimulator()
    seedOrders(sim, 12, T0, HOUR - 1000)
    const rec = recordingLimiter()
    const p = provider({ ...FAST, rate_limit_multiplier: 1 })
    const ctx = { ...channel(sim, { page_size: 5 }), limiter: rec.limiter }

    const listed = await pullWindow(p, ctx, FROM, TO)
    expect(listed).toHaveLength(12)
    const afterListing = rec.calls.length
    expect(rec.calls.map((c) => c.operation)).toEqual(Array(afterListing).fill("mirakl:ch_mirakl_test:OR11"))
    expect(rec.calls[0].limit).toEqual(MIRAKL_RATE_LIMITS.OR11)

    const order: any = await p.getOrder(ctx, listed[3].order_id)
    expect(order.order_id).toBe(listed[3].order_id)
    expect(rec.calls.slice(afterListing).map((c) => c.operation)).toEqual(["mirakl:ch_mirakl_test:OR11_READ"])
    expect(rec.calls.at(-1)!.limit).toEqual(MIRAKL_RATE_LIMITS.OR11_READ)
    // Mirakl sees the same OR11 call either way (OR12 is deprecated).
    expect(sim.requestsFor("OR11").at(-1)!.query).toMatchObject({ order_ids: listed[3].order_id, max: "1" })
  })

  it("an import that used up its OR11 burst does not delay a read-back, and read-backs do not delay the import", async () => {
    sim = await startSimulator()
    seedOrders(sim, 3, T0, HOUR - 1000)
    const rec = recordingLimiter()
    const p = provider({ ...FAST, rate_limit_multiplier: 1 })
    const ctx = { ...channel(sim), limiter: rec.limiter }
    const window = { updated_after: FROM, updated_before: TO }

    // The listing's whole burst, then one more: only that one waits, for the listing's own refill.
    for (let i = 0; i < MIRAKL_RATE_LIMITS.OR11.burst; i++) await p.listOrders(ctx, window)
    expect(rec.slept).toEqual([])
    for (let i = 0; i < MIRAKL_RATE_LIMITS.OR11_READ.burst; i++) await p.getOrder(ctx, "ORD_00001-A")
    expect(rec.slept).toEqual([])
    await p.listOrders(ctx, window)
    expect(rec.slept.map((s) => s.operation)).toEqual(["mirakl:ch_mirakl_test:OR11"])
    expect(rec.slept[0].ms).toBe(Math.ceil(1000 / MIRAKL_RATE_LIMITS.OR11.rate))

    // The read-back's burst is spent too: the next read waits on its own bucket, not the listing's.
    await p.getOrder(ctx, "ORD_00002-A")
    expect(rec.slept.map((s) => s.operation)).toEqual(["mirakl:ch_mirakl_test:OR11", "mirakl:ch_mirakl_test:OR11_READ"])
  })

  it("the reads that settle a lost OR24 answer are single-order reads too", async () => {
    sim = await startSimulator()
    sim.addOrder({ id: "SHIP_1-A", state: "SHIPPING", lines: [{ sku: "SKU-1", quantity: 1, unitPrice: 10 }] })
    const rec = recordingLimiter()
    const p = provider({ ...FAST, timeout_ms: 300 })
    const ctx = { ...channel(sim), limiter: rec.limiter }
    sim.hangNext(1, { operation: "OR24", ms: 2000, afterHandling: true })
    const result = await p.confirmShipment(ctx, {
      external_order_id: "SHIP_1-A",
      raw_order: structuredClone(sim.order("SHIP_1-A")),
      items: [{ external_item_id: sim.order("SHIP_1-A").order_lines[0].order_line_id, quantity: 1 }],
      carrier_code: "",
      tracking_numbers: [],
      shipped_at: new Date().toISOString(),
    } as any)
    expect(result.state).toBe("confirmed")
    const reads = rec.calls.filter((c) => c.operation.includes("OR11"))
    expect(reads.map((c) => c.operation)).toEqual(["mirakl:ch_mirakl_test:OR11_READ"])
  })
})
