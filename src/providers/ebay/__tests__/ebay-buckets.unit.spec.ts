import { makeOrder } from "../../../../integration-tests/simulators/ebay"
import type { ChannelRateLimiter, RateLimit } from "../../../modules/channel/types/provider"
import { InProcessRateLimiter } from "../../shared/rate-limiter"
import { EBAY_FULFILLMENT_SHARES, EBAY_RATE_LIMITS, scaledRateLimits } from "../client"
import { pullWindow, startEbayChannel, type EbayChannel } from "./ebay-channel-fixture"

const FROM = "2026-11-01T00:00:00.000Z"
const TO = "2026-11-10T00:00:00.000Z"

/** The in-process limiter on a clock that only moves when it sleeps, recording every acquire. */
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

function seed(channel: EbayChannel, n: number): string[] {
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const created = new Date(Date.parse(FROM) + i * 60_000).toISOString()
    const o = makeOrder({ seq: i + 1, creationDate: created, lastModifiedDate: new Date(Date.parse(created) + 60_000).toISOString() })
    channel.sim.addOrders(o)
    ids.push(o.orderId)
  }
  return ids
}

describe("eBay rate-limit buckets: import listing and per-order calls", () => {
  let channel: EbayChannel
  afterEach(async () => channel?.sim.stop())

  it("the two shares add up to the application's Sell Fulfillment allowance", () => {
    const l = scaledRateLimits(7)
    expect(l.listing.rate + l.orders.rate).toBeCloseTo(l.fulfillment.rate, 9)
    expect(l.listing.burst + l.orders.burst).toBe(EBAY_RATE_LIMITS.fulfillment.burst)
    expect(l.fulfillment.rate).toBeCloseTo(EBAY_RATE_LIMITS.fulfillment.rate * 7, 9)
    expect(EBAY_FULFILLMENT_SHARES.listing.rate + EBAY_FULFILLMENT_SHARES.orders.rate).toBe(1)
  })

  it("getOrders spends the listing bucket; getOrder (the feedback read-back) spends the orders bucket", async () => {
    channel = await startEbayChannel({ provider: { rate_limit_multiplier: 1 }, settings: { page_size: 4 } })
    const rec = recordingLimiter()
    channel.ctx = { ...channel.ctx, limiter: rec.limiter }
    const ids = seed(channel, 10)
    const { orders, pages } = await pullWindow(channel, FROM, TO)
    expect(orders.map((o) => o.orderId).sort()).toEqual([...ids].sort())
    expect(pages).toBeGreaterThan(1)
    const api = rec.calls.filter((c) => !c.operation.startsWith("ebay:oauth"))
    const clientId = channel.ctx.credentials!.client_id
    expect(new Set(api.map((c) => c.operation))).toEqual(new Set([`ebay:sell.fulfillment:listing:${clientId}`]))
    expect(api[0].limit).toEqual(scaledRateLimits(1).listing)

    const before = rec.calls.length
    expect(((await channel.provider.getOrder(channel.ctx, ids[2])) as any).orderId).toBe(ids[2])
    expect(rec.calls.slice(before).map((c) => c.operation)).toEqual([`ebay:sell.fulfillment:orders:${clientId}`])
    expect(rec.calls.at(-1)!.limit).toEqual(scaledRateLimits(1).orders)
  })

  it("read-backs that used up their burst do not delay the import's listing", async () => {
    channel = await startEbayChannel({ provider: { rate_limit_multiplier: 1 } })
    const rec = recordingLimiter()
    channel.ctx = { ...channel.ctx, limiter: rec.limiter }
    const ids = seed(channel, 3)
    const share = scaledRateLimits(1)
    for (let i = 0; i < share.orders.burst; i++) await channel.provider.getOrder(channel.ctx, ids[i % ids.length])
    expect(rec.slept).toEqual([])
    await pullWindow(channel, FROM, TO)
    expect(rec.slept).toEqual([])
    await channel.provider.getOrder(channel.ctx, ids[0])
    expect(rec.slept.map((s) => s.operation)).toEqual([`ebay:sell.fulfillment:orders:${channel.ctx.credentials!.client_id}`])
  })
})
