import { ChannelProviderError } from "../../../modules/channel/errors"
import {
  AmazonSimulator,
  makeOrder,
  SIM_CLIENT_SECRET,
  SIM_REFRESH_TOKEN,
  type AmazonSimulatorOptions,
  type Fault,
} from "../../../../integration-tests/simulators/amazon"
import { InProcessRateLimiter } from "../../shared/rate-limiter"
import { amazonChannel, amazonProvider, iso, MemoryCache, VirtualClock } from "./channel"

const MULTIPLIER = 500
const HOUR = 3_600_000

/** 250 orders in a window, pulled with a fault injected at a given call. */
async function withSimulator<T>(options: AmazonSimulatorOptions, run: (sim: AmazonSimulator, ids: string[]) => Promise<T>): Promise<T> {
  const sim = await new AmazonSimulator({ rateLimitMultiplier: MULTIPLIER, ...options }).start()
  try {
    const base = (options.now ?? Date.now)() - 20 * HOUR
    const orders = Array.from({ length: 250 }, (_, i) =>
      makeOrder({ createdTime: new Date(base + i * 60_000 - HOUR), lastUpdatedTime: new Date(base + i * 60_000) })
    )
    sim.addOrders(orders)
    return await run(sim, orders.map((o) => o.orderId))
  } finally {
    await sim.stop()
  }
}

function windowOf(now: number) {
  return { updated_after: iso(now - 24 * HOUR), updated_before: iso(now - 10 * 60_000) }
}

function expectEachOnce(orders: any[], ids: string[]) {
  const got = orders.map((o) => o.orderId)
  expect(got).toHaveLength(ids.length)
  expect(new Set(got)).toEqual(new Set(ids))
}

describe("Amazon provider: faults", () => {
  const cases: { name: string; fault: Fault; timeout_ms?: number }[] = [
    { name: "two 500s", fault: { kind: "server_error", operation: "searchOrders", count: 2 } },
    { name: "a 503", fault: { kind: "server_error", operation: "searchOrders", status: 503 } },
    { name: "a held answer (timeout)", fault: { kind: "timeout", operation: "searchOrders", holdMs: 2_000 }, timeout_ms: 800 },
    { name: "a malformed JSON body", fault: { kind: "malformed", operation: "searchOrders" } },
    { name: "a 429 QuotaExceeded without Retry-After", fault: { kind: "throttle", operation: "searchOrders" } },
    { name: "a failing LWA endpoint", fault: { kind: "server_error", operation: "lwaToken" } },
  ]

  for (const c of cases) {
    it(`recovers from ${c.name} on the second page without losing or duplicating an order`, async () => {
      await withSimulator({}, async (sim, ids) => {
        const provider = amazonProvider({ rate_limit_multiplier: MULTIPLIER, timeout_ms: c.timeout_ms ?? 2_000 })
        const ctx = amazonChannel(sim)
        const window = windowOf(Date.now())
        const first = await provider.listOrders(ctx, window)
        if (c.fault.operation === "lwaToken") sim.expireAccessTokens()
        sim.injectFault(c.fault)
        const orders = [...first.orders]
        let token = first.next_page_token
        while (token) {
          const page = await provider.listOrders(ctx, { ...window, page_token: token })
          orders.push(...page.orders)
          token = page.next_page_token
        }
        expectEachOnce(orders, ids)
        expect(sim.requests.filter((r) => r.fault)).toHaveLength(c.fault.count ?? 1)
        expect(sim.specViolations).toEqual([])
      })
    })
  }

  // The next four are about the LWA access token alone, so they run without restricted data tokens
  // (rdt.unit.spec.ts covers the same faults with them).
  it("refreshes once when Amazon says the token expired (403 Unauthorized), then succeeds", async () => {
    await withSimulator({}, async (sim, ids) => {
      const provider = amazonProvider({ rate_limit_multiplier: MULTIPLIER, use_restricted_data_token: false })
      const ctx = amazonChannel(sim)
      const window = windowOf(Date.now())
      const first = await provider.listOrders(ctx, window)
      sim.expireAccessTokens()
      const second = await provider.listOrders(ctx, { ...window, page_token: first.next_page_token })
      const third = await provider.listOrders(ctx, { ...window, page_token: second.next_page_token })
      expect(third.next_page_token).toBeNull()
      expectEachOnce([...first.orders, ...second.orders, ...third.orders], ids)
      const refused = sim.requests.filter((r) => r.status === 403)
      expect(refused).toHaveLength(1)
      expect(sim.lwaExchanges()).toBe(2)
      // The retry carried the new token.
      const afterRefusal = sim.requests.find((r) => r.seq > refused[0].seq && r.operation === "searchOrders")!
      expect(afterRefusal.accessToken).not.toBe(refused[0].accessToken)
      expect(sim.specViolations).toEqual([])
    })
  })

  it("does the same on a 401 and on a token expiring mid-pull", async () => {
    await withSimulator({ expiredTokenStatus: 401 }, async (sim, ids) => {
      const provider = amazonProvider({ rate_limit_multiplier: MULTIPLIER, use_restricted_data_token: false })
      const ctx = amazonChannel(sim)
      const window = windowOf(Date.now())
      const first = await provider.listOrders(ctx, window)
      sim.injectFault({ kind: "expired_token", operation: "searchOrders" })
      const second = await provider.listOrders(ctx, { ...window, page_token: first.next_page_token })
      const third = await provider.listOrders(ctx, { ...window, page_token: second.next_page_token })
      expect(third.next_page_token).toBeNull()
      expectEachOnce([...first.orders, ...second.orders, ...third.orders], ids)
      expect(sim.requests.filter((r) => r.status === 401)).toHaveLength(1)
      expect(sim.lwaExchanges()).toBe(2)
    })
  })

  it("fails clearly, once, when the seller revoked the refresh token mid-run", async () => {
    await withSimulator({}, async (sim) => {
      const provider = amazonProvider({ rate_limit_multiplier: MULTIPLIER })
      const ctx = amazonChannel(sim)
      const window = windowOf(Date.now())
      const first = await provider.listOrders(ctx, window)
      sim.revokeRefreshToken()
      const err = await provider.listOrders(ctx, { ...window, page_token: first.next_page_token }).catch((e) => e)
      expect(err).toBeInstanceOf(ChannelProviderError)
      expect(err.code).toBe("unauthorized")
      expect(err.retryable).toBe(false)
      expect(err.marketplace_code).toBe("invalid_grant")
      expect(err.message).toMatch(/refresh token.*authorize the app again/i)
      expect(err.message).not.toContain(SIM_REFRESH_TOKEN)
      expect(err.message).not.toContain(SIM_CLIENT_SECRET)
      // One refused call, one refused exchange: no loop.
      expect(sim.requests.filter((r) => r.operation === "searchOrders" && r.status === 403)).toHaveLength(1)
      expect(sim.requests.filter((r) => r.operation === "lwaToken" && r.status === 400)).toHaveLength(1)

      const check = await provider.testConnection(ctx)
      expect(check.ok).toBe(false)
      expect(check.message).toMatch(/invalid_grant/)
      expect(check.message).not.toContain(SIM_REFRESH_TOKEN)
    })
  })

  it("gives up after one refresh when Amazon keeps refusing fresh tokens (e.g. a missing role)", async () => {
    await withSimulator({}, async (sim) => {
      const provider = amazonProvider({ rate_limit_multiplier: MULTIPLIER, use_restricted_data_token: false })
      const ctx = amazonChannel(sim)
      sim.injectFault({ kind: "expired_token", operation: "searchOrders", count: 5 })
      const err = await provider.listOrders(ctx, windowOf(Date.now())).catch((e) => e)
      expect(err).toBeInstanceOf(ChannelProviderError)
      expect(err.code).toBe("unauthorized")
      expect(err.message).toMatch(/freshly issued access token/)
      expect(sim.requestsFor("searchOrders")).toHaveLength(2)
      expect(sim.lwaExchanges()).toBe(2)
    })
  })

  it("refreshes a short-lived token before it expires, without a refused call", async () => {
    const clock = new VirtualClock()
    await withSimulator({ accessTokenTtlSeconds: 120, now: clock.now }, async (sim) => {
      const provider = amazonProvider({ rate_limit_multiplier: MULTIPLIER, now: clock.now, use_restricted_data_token: false })
      const ctx = amazonChannel(sim, { limiter: new InProcessRateLimiter(clock.now, clock.sleep) })
      await provider.getOrder(ctx, sim.orderIds()[0])
      clock.advance(50_000)
      await provider.getOrder(ctx, sim.orderIds()[1])
      expect(sim.lwaExchanges()).toBe(1)
      clock.advance(15_000) // 65 s: past the refresh point of a 120 s token, before its expiry
      await provider.getOrder(ctx, sim.orderIds()[2])
      expect(sim.lwaExchanges()).toBe(2)
      expect(sim.requests.filter((r) => r.status === 403 || r.status === 401)).toEqual([])
    })
  })

  it("keeps the token in ctx.cache (no secret in the key) and shares it across provider instances", async () => {
    await withSimulator({}, async (sim) => {
      const cache = new MemoryCache()
      const a = amazonProvider({ rate_limit_multiplier: MULTIPLIER })
      const b = amazonProvider({ rate_limit_multiplier: MULTIPLIER })
      await a.getOrder(amazonChannel(sim, { cache }), sim.orderIds()[0])
      await b.getOrder(amazonChannel(sim, { cache }), sim.orderIds()[1])
      expect(sim.lwaExchanges()).toBe(1)
      // The access token and the restricted data token for the order's buyer and address data.
      const keys = [...cache.entries.keys()].sort()
      expect(keys).toHaveLength(2)
      expect(keys[0]).toMatch(/^amazon:lwa:chan_amazon_test:/)
      expect(keys[1]).toMatch(/^amazon:rdt:chan_amazon_test:/)
      for (const key of keys) expect(key).not.toContain(SIM_REFRESH_TOKEN)
      expect(sim.restrictedDataTokens()).toHaveLength(1)
      // Other credentials on the same channel never reuse that token.
      await b
        .getOrder(amazonChannel(sim, { cache, credentials: { refresh_token: "Atzr|other" } }), sim.orderIds()[1])
        .catch(() => undefined)
      expect(sim.requests.filter((r) => r.operation === "lwaToken")).toHaveLength(2)
    })
  })

  it("makes one LWA exchange for concurrent calls", async () => {
    await withSimulator({}, async (sim) => {
      const provider = amazonProvider({ rate_limit_multiplier: MULTIPLIER })
      const ctx = amazonChannel(sim)
      const got = await Promise.all(sim.orderIds().slice(0, 8).map((id) => provider.getOrder(ctx, id)))
      expect(got.every(Boolean)).toBe(true)
      expect(sim.lwaExchanges()).toBe(1)
    })
  })

  it("testConnection: ok with good credentials, a clean message with bad ones", async () => {
    await withSimulator({}, async (sim) => {
      const provider = amazonProvider({ rate_limit_multiplier: MULTIPLIER })
      const ok = await provider.testConnection(amazonChannel(sim))
      expect(ok.ok).toBe(true)
      expect(ok.message).toMatch(/Connected/)
      const call = sim.requestsFor("searchOrders")[0]
      expect(call.query.maxResultsPerPage).toEqual(["1"])
      const bad = await provider.testConnection(
        amazonChannel(sim, { channel_id: "chan_bad", credentials: { client_secret: "amzn1.oa2-cs.v1.wrong-secret-value" } })
      )
      expect(bad.ok).toBe(false)
      expect(bad.message).toMatch(/client_id and client_secret/)
      expect(bad.message).not.toContain("wrong-secret-value")
    })
  })
})
