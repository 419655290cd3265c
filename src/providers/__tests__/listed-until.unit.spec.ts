import { AmazonSimulator } from "../../../integration-tests/simulators/amazon"
import { amazonChannel, amazonProvider } from "../amazon/__tests__/channel"
import { startEbayChannel } from "../ebay/__tests__/ebay-channel-fixture"
import { MIN_UPPER_BOUND_AGE_MS } from "../amazon/service"

/**
 * A provider whose clock is behind the database's cuts the window short (the marketplace refuses a
 * bound in its future): it must say where its listing ended, or the run's cursor would count the
 * stretch in between as read and those orders would never be listed (issue 16, clock skew).
 */
describe("listed_until: where a listing really ended", () => {
  const T = Date.parse("2026-12-04T12:00:00.000Z")

  it("Amazon reports the clamped upper bound, and nothing when the bound asked for was honoured", async () => {
    const sim = await new AmazonSimulator({ now: () => T }).start()
    try {
      const provider = amazonProvider({ now: () => T })
      const ctx = amazonChannel(sim)
      const asked = new Date(T - 60_000).toISOString()
      const cut = await provider.listOrders(ctx, { updated_after: new Date(T - 3_600_000).toISOString(), updated_before: asked })
      expect(cut.listed_until).toBe(new Date(T - MIN_UPPER_BOUND_AGE_MS).toISOString())
      const whole = await provider.listOrders(ctx, { updated_after: new Date(T - 3_600_000).toISOString(), updated_before: new Date(T - 10 * 60_000).toISOString() })
      expect(whole.listed_until ?? null).toBeNull()
    } finally {
      await sim.stop()
    }
  })

  it("eBay reports its own 'now' when the window asked for ends after it", async () => {
    const channel = await startEbayChannel({ provider: { now: () => T } })
    try {
      const future = await channel.provider.listOrders(channel.ctx, { updated_after: new Date(T - 3_600_000).toISOString(), updated_before: new Date(T + 5 * 60_000).toISOString() })
      expect(future.listed_until).toBe(new Date(T + 1).toISOString())
      const past = await channel.provider.listOrders(channel.ctx, { updated_after: new Date(T - 3_600_000).toISOString(), updated_before: new Date(T - 60_000).toISOString() })
      expect(past.listed_until ?? null).toBeNull()
    } finally {
      await channel.sim.stop()
    }
  })
})
