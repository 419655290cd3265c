import { ChannelProviderError } from "../../../modules/channel/errors"
import { parseCanonicalOrder, type CanonicalOrder } from "../../../modules/channel/types/canonical-order"
import {
  AmazonSimulator,
  makeOrder,
  MESSAGES,
  SIM_CLIENT_SECRET,
  SIM_REFRESH_TOKEN,
  TOKENS_SPEC,
  type AmazonSimulatorOptions,
} from "../../../../integration-tests/simulators/amazon"
import { assertValidRequest, validateResponse } from "../../../../integration-tests/simulators/openapi"
import { InProcessRateLimiter } from "../../shared/rate-limiter"
import { AmazonChannelProvider, type AmazonProviderOptions } from "../service"
import { amazonChannel, CREDENTIALS, iso, MemoryCache, pullWindow, US, VirtualClock } from "./channel"

/**
 * Buyer and address data (PII): restricted data tokens from the Tokens API 2021-03-01, and what
 * happens when the application lacks the restricted roles.
 */

const MULTIPLIER = 500
const HOUR = 3_600_000
const EXPECTED_RESOURCES = [
  { method: "GET", path: "/orders/2026-01-01/orders", dataElements: ["buyerInfo", "shippingAddress"] },
  { method: "GET", path: "/orders/2026-01-01/orders/{orderId}", dataElements: ["buyerInfo", "shippingAddress"] },
]

type Warned = string[]

function provider(options: AmazonProviderOptions = {}, warned: Warned = []): AmazonChannelProvider {
  const logger = { warn: (m: string) => warned.push(m) }
  return new AmazonChannelProvider(
    { logger },
    { timeout_ms: 2_000, retry: { baseDelayMs: 20, maxDelayMs: 200 }, rate_limit_multiplier: MULTIPLIER, ...options }
  )
}

function canonical(p: AmazonChannelProvider, raw: unknown): CanonicalOrder {
  const parsed = parseCanonicalOrder(p.normalize(raw, { settings: {} }))
  if (!parsed.success) throw new Error(parsed.message)
  return parsed.order
}

/** 250 unshipped merchant orders (three pages) updated in the last day. */
async function withSimulator<T>(options: AmazonSimulatorOptions, run: (sim: AmazonSimulator, now: number) => Promise<T>): Promise<T> {
  const sim = await new AmazonSimulator({ rateLimitMultiplier: MULTIPLIER, ...options }).start()
  try {
    const now = (options.now ?? Date.now)()
    const base = now - 20 * HOUR
    sim.addOrders(
      Array.from({ length: 250 }, (_, i) =>
        makeOrder({ createdTime: new Date(base + i * 60_000 - HOUR), lastUpdatedTime: new Date(base + i * 60_000), status: "UNSHIPPED" })
      )
    )
    return await run(sim, now)
  } finally {
    await sim.stop()
  }
}

const windowOf = (now: number) => ({ updated_after: iso(now - 24 * HOUR), updated_before: iso(now - 10 * 60_000) })

async function lwaToken(sim: AmazonSimulator): Promise<string> {
  const res = await fetch(sim.authUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" },
    body: new URLSearchParams({ grant_type: "refresh_token", ...CREDENTIALS }).toString(),
  })
  return (await res.json()).access_token
}

async function requestRdt(sim: AmazonSimulator, token: string, body: unknown) {
  const res = await fetch(`${sim.baseUrl}/tokens/2021-03-01/restrictedDataToken`, {
    method: "POST",
    headers: { "x-amz-access-token": token, "content-type": "application/json" },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: await res.json() }
}

async function get(sim: AmazonSimulator, path: string, token: string) {
  const res = await fetch(`${sim.baseUrl}${path}`, { headers: { "x-amz-access-token": token } })
  return { status: res.status, body: await res.json() }
}

describe("Amazon simulator: restricted data tokens", () => {
  const now = Date.now()
  const search = (included: string) =>
    `/orders/2026-01-01/orders?lastUpdatedAfter=${iso(now - 6 * HOUR)}&lastUpdatedBefore=${iso(now - 3 * 60_000)}&marketplaceIds=${US}&includedData=${included}`
  const seed = (sim: AmazonSimulator) =>
    sim.addOrders(makeOrder({ lastUpdatedTime: new Date(now - HOUR), createdTime: new Date(now - 2 * HOUR), status: "UNSHIPPED" }))

  it("with the roles: issues a spec-valid token, valid only for its resources and data elements, and only until it expires", async () => {
    const clock = new VirtualClock(now)
    const sim = await new AmazonSimulator({ rateLimitMultiplier: 1000, now: clock.now, restrictedDataTokenTtlSeconds: 600 }).start()
    try {
      seed(sim)
      const lwa = await lwaToken(sim)
      const issued = await requestRdt(sim, lwa, { restrictedResources: EXPECTED_RESOURCES })
      expect(issued.status).toBe(200)
      expect(issued.body).toEqual({ restrictedDataToken: expect.stringMatching(/^Atz\.sprdt\|/), expiresIn: 600 })
      const rdt = issued.body.restrictedDataToken

      const found = await get(sim, search("BUYER,RECIPIENT,FULFILLMENT"), rdt)
      expect(found.status).toBe(200)
      const order = found.body.orders[0]
      expect(order.buyer.buyerEmail).toMatch(/@marketplace\.amazon\.com$/)
      expect(order.recipient.deliveryAddress.addressLine1).toBeTruthy()
      expect((await get(sim, `/orders/2026-01-01/orders/${order.orderId}?includedData=RECIPIENT`, rdt)).status).toBe(200)

      // Not for other operations, not for another token.
      const feed = await fetch(`${sim.baseUrl}/feeds/2021-06-30/documents`, {
        method: "POST",
        headers: { "x-amz-access-token": rdt, "content-type": "application/json" },
        body: JSON.stringify({ contentType: "text/xml; charset=UTF-8" }),
      })
      expect(feed.status).toBe(403)
      expect((await requestRdt(sim, rdt, { restrictedResources: EXPECTED_RESOURCES })).status).toBe(403)

      // Only the data elements it names.
      const onlyAddress = await requestRdt(sim, lwa, {
        restrictedResources: [{ method: "GET", path: "/orders/2026-01-01/orders", dataElements: ["shippingAddress"] }],
      })
      const narrow = onlyAddress.body.restrictedDataToken
      expect((await get(sim, search("RECIPIENT"), narrow)).status).toBe(200)
      const buyer = await get(sim, search("BUYER"), narrow)
      expect(buyer.status).toBe(403)
      expect(buyer.body.errors[0].details).toMatch(/buyerInfo/)

      // Expired.
      clock.advance(600_000)
      const expired = await get(sim, search("BUYER"), rdt)
      expect(expired.status).toBe(403)
      expect(expired.body.errors[0]).toMatchObject({ code: "Unauthorized", details: "The access token you provided has expired." })
      expect(sim.specViolations).toEqual([])
      expect(sim.validated.filter((v) => v.operation === "createRestrictedDataToken").map((v) => v.status)).toEqual([200, 403, 200])
    } finally {
      await sim.stop()
    }
  })

  it("checks the request against the Tokens model and Amazon's rules", async () => {
    const sim = await new AmazonSimulator({ rateLimitMultiplier: 1000 }).start()
    try {
      const lwa = await lwaToken(sim)
      const cases: [unknown, RegExp][] = [
        [{}, /restrictedResources/],
        [{ restrictedResources: [{ method: "FETCH", path: "/orders/2026-01-01/orders", dataElements: ["buyerInfo"] }] }, /method|allowed values/],
        [{ restrictedResources: [] }, new RegExp(MESSAGES.noResource.replace(".", "\\."))],
        [{ restrictedResources: [{ method: "GET", path: "/orders/2026-01-01/orders" }] }, /dataElements is required/],
        [{ restrictedResources: [{ method: "GET", path: "/orders/2026-01-01/orders", dataElements: ["creditCard"] }] }, /Invalid dataElements/],
        [{ restrictedResources: [{ method: "GET", path: "/catalog/2022-04-01/items", dataElements: ["buyerInfo"] }] }, /not a restricted resource/],
      ]
      for (const [body, details] of cases) {
        const r = await requestRdt(sim, lwa, body)
        expect([body, r.status]).toEqual([body, 400])
        expect(r.body.errors[0].details).toMatch(details)
      }
      expect(sim.specViolations).toEqual([])
    } finally {
      await sim.stop()
    }
  })

  it("without the roles: 403 for the token and for BUYER/RECIPIENT on the access token, orders without PII otherwise", async () => {
    const sim = await new AmazonSimulator({ rateLimitMultiplier: 1000, restrictedRoles: false }).start()
    try {
      seed(sim)
      const lwa = await lwaToken(sim)
      const refused = await requestRdt(sim, lwa, { restrictedResources: EXPECTED_RESOURCES })
      expect(refused.status).toBe(403)
      expect(refused.body.errors[0]).toEqual({
        code: "Unauthorized",
        message: MESSAGES.denied,
        details: `${MESSAGES.noDataAccess}: [buyerInfo, shippingAddress]`,
      })
      expect(validateResponse(TOKENS_SPEC, "createRestrictedDataToken", 403, refused.body).errors).toBe("")

      const denied = await get(sim, search("BUYER,FULFILLMENT"), lwa)
      expect(denied.status).toBe(403)
      expect(denied.body.errors[0].code).toBe("AccessDeniedException")
      const plain = await get(sim, search("FULFILLMENT,PROCEEDS"), lwa)
      expect(plain.status).toBe(200)
      expect(plain.body.orders[0].buyer).toBeUndefined()
      expect(plain.body.orders[0].recipient).toBeUndefined()
      expect(plain.body.orders[0].fulfillment.fulfillmentStatus).toBe("UNSHIPPED")
      expect(sim.specViolations).toEqual([])
    } finally {
      await sim.stop()
    }
  })

  it("with the roles, the plain access token gets BUYER/RECIPIENT (Orders 2026) unless told to require a token", async () => {
    for (const requireRestrictedDataToken of [false, true]) {
      const sim = await new AmazonSimulator({ rateLimitMultiplier: 1000, requireRestrictedDataToken }).start()
      try {
        seed(sim)
        const r = await get(sim, search("BUYER,RECIPIENT"), await lwaToken(sim))
        expect([requireRestrictedDataToken, r.status]).toEqual([requireRestrictedDataToken, requireRestrictedDataToken ? 403 : 200])
        expect(sim.specViolations).toEqual([])
      } finally {
        await sim.stop()
      }
    }
  })
})

describe("Amazon provider: with the restricted roles", () => {
  it("requests one restricted data token, sends it on every page, and the orders carry address and e-mail", async () => {
    await withSimulator({ requireRestrictedDataToken: true }, async (sim, now) => {
      const p = provider()
      const ctx = amazonChannel(sim)
      const { orders, pages } = await pullWindow(p, ctx, windowOf(now))
      expect(pages).toBe(3)
      expect(orders).toHaveLength(250)

      const [tokenRequest, ...more] = sim.requestsFor("createRestrictedDataToken")
      expect(more).toEqual([])
      expect(tokenRequest).toMatchObject({ method: "POST", path: "/tokens/2021-03-01/restrictedDataToken", status: 200 })
      expect(tokenRequest.headers["content-type"]).toMatch(/^application\/json/)
      expect(tokenRequest.accessToken).toBe((sim.requestsFor("lwaToken")[0].response as any).access_token)
      const body = JSON.parse(tokenRequest.body)
      assertValidRequest(TOKENS_SPEC, "createRestrictedDataToken", body)
      expect(body).toEqual({ restrictedResources: EXPECTED_RESOURCES })

      const rdt = sim.restrictedDataTokens()[0]
      const searches = sim.requestsFor("searchOrders")
      expect(searches.map((r) => [r.status, r.accessToken])).toEqual(searches.map(() => [200, rdt]))
      expect(searches[0].query.includedData[0].split(",")).toEqual(expect.arrayContaining(["BUYER", "RECIPIENT"]))

      for (const raw of orders) {
        expect(raw._channel_orders).toBeUndefined()
        const o = canonical(p, raw)
        expect(o.email).toMatch(/@marketplace\.amazon\.com$/)
        expect(o.shipping_address).toMatchObject({ address_1: expect.any(String), city: "Seattle", country_code: "US" })
        expect(o.shipping_address?.first_name).toBeTruthy()
        expect(o.custom_fields.pii_unavailable).toBeUndefined()
      }

      // getOrder is a resource of the same token: no new request.
      const raw: any = await p.getOrder(ctx, orders[7].orderId)
      expect(raw.recipient.deliveryAddress.addressLine1).toBeTruthy()
      expect(sim.requestsFor("getOrder")[0].accessToken).toBe(rdt)
      expect(sim.restrictedDataTokens()).toHaveLength(1)
      expect(sim.specViolations).toEqual([])
    })
  })

  it("keeps the token until shortly before expiresIn, in ctx.cache, per channel and credentials", async () => {
    const clock = new VirtualClock()
    await withSimulator({ now: clock.now, restrictedDataTokenTtlSeconds: 3600, accessTokenTtlSeconds: 7200 }, async (sim) => {
      const cache = new MemoryCache(clock.now)
      const limiter = new InProcessRateLimiter(clock.now, clock.sleep)
      const a = provider({ now: clock.now })
      const b = provider({ now: clock.now })
      const ids = sim.orderIds()
      await a.getOrder(amazonChannel(sim, { cache, limiter }), ids[0])
      await b.getOrder(amazonChannel(sim, { cache, limiter }), ids[1])
      clock.advance(3_250_000) // 54 min: still kept
      await a.getOrder(amazonChannel(sim, { cache, limiter }), ids[2])
      expect(sim.restrictedDataTokens()).toHaveLength(1)
      const rdtKeys = [...cache.entries.keys()].filter((k) => k.startsWith("amazon:rdt:chan_amazon_test:"))
      expect(rdtKeys).toHaveLength(1)
      expect(rdtKeys[0]).not.toContain(SIM_REFRESH_TOKEN)
      expect(JSON.stringify([...cache.entries.keys()])).not.toContain("Atz")
      clock.advance(100_000) // 56 min: renewed before Amazon's hour is up, without a refused call
      await a.getOrder(amazonChannel(sim, { cache, limiter }), ids[3])
      expect(sim.restrictedDataTokens()).toHaveLength(2)
      expect(sim.requests.filter((r) => r.status === 403 || r.status === 401)).toEqual([])
      // Another channel does not borrow it.
      await a.getOrder(amazonChannel(sim, { cache, limiter, channel_id: "chan_other" }), ids[4])
      expect(sim.restrictedDataTokens()).toHaveLength(3)
    })
  })

  it("makes one token request for concurrent calls", async () => {
    await withSimulator({}, async (sim) => {
      const p = provider()
      const ctx = amazonChannel(sim)
      const got = await Promise.all(sim.orderIds().slice(0, 8).map((id) => p.getOrder(ctx, id)))
      expect(got.every(Boolean)).toBe(true)
      expect(sim.requestsFor("createRestrictedDataToken")).toHaveLength(1)
      expect(sim.lwaExchanges()).toBe(1)
    })
  })

  it("renews a token Amazon says expired, without a new LWA exchange", async () => {
    await withSimulator({}, async (sim, now) => {
      const p = provider()
      const ctx = amazonChannel(sim)
      const window = windowOf(now)
      const first = await p.listOrders(ctx, window)
      sim.expireRestrictedDataTokens()
      const second = await p.listOrders(ctx, { ...window, page_token: first.next_page_token })
      expect(second.orders).toHaveLength(100)
      expect(sim.requestsFor("searchOrders").map((r) => r.status)).toEqual([200, 403, 200])
      expect(sim.restrictedDataTokens()).toHaveLength(2)
      expect(sim.lwaExchanges()).toBe(1)
      const [, refused, retried] = sim.requestsFor("searchOrders")
      expect(refused.accessToken).toBe(sim.restrictedDataTokens()[0])
      expect(retried.accessToken).toBe(sim.restrictedDataTokens()[1])
    })
  })

  it("after an hour (every token expired): the token request refreshes the access token first", async () => {
    await withSimulator({}, async (sim, now) => {
      const p = provider()
      const ctx = amazonChannel(sim)
      const window = windowOf(now)
      const first = await p.listOrders(ctx, window)
      sim.expireAccessTokens()
      const second = await p.listOrders(ctx, { ...window, page_token: first.next_page_token })
      expect(second.orders).toHaveLength(100)
      expect(sim.requests.map((r) => `${r.operation} ${r.status}`)).toEqual([
        "lwaToken 200",
        "createRestrictedDataToken 200",
        "searchOrders 200",
        "searchOrders 403",
        "createRestrictedDataToken 403",
        "lwaToken 200",
        "createRestrictedDataToken 200",
        "searchOrders 200",
      ])
      expect(sim.specViolations).toEqual([])
    })
  })

  it("never puts a token into an error, even when Amazon's answer quotes it", async () => {
    await withSimulator({}, async (sim, now) => {
      const p = provider()
      const ctx = amazonChannel(sim)
      await p.listOrders(ctx, windowOf(now))
      sim.injectFault({ kind: "echo_token", operation: "searchOrders" })
      const err = await p.listOrders(ctx, windowOf(now)).catch((e) => e)
      expect(err).toBeInstanceOf(ChannelProviderError)
      const rdt = sim.restrictedDataTokens()[0]
      expect(sim.requestsFor("searchOrders").at(-1)!.response).toMatchObject({ errors: [{ details: expect.stringContaining(rdt) }] })
      const everything = JSON.stringify({ message: err.message, mp: err.marketplace_message, code: err.marketplace_code, err })
      expect(everything).toMatch(/\*\*\*|\[redacted\]/) // the shared client scrubs first (issue 17)
      expect(everything).not.toContain(rdt)
      expect(everything).not.toContain("Atz.sprdt|")
      expect(everything).not.toContain(SIM_CLIENT_SECRET)
    })
  })

  it("never puts a token into an error when the seller revoked the app mid-pull", async () => {
    await withSimulator({}, async (sim, now) => {
      const p = provider()
      const ctx = amazonChannel(sim)
      const window = windowOf(now)
      const first = await p.listOrders(ctx, window)
      sim.revokeRefreshToken()
      const err = await p.listOrders(ctx, { ...window, page_token: first.next_page_token }).catch((e) => e)
      expect(err).toBeInstanceOf(ChannelProviderError)
      expect(err.code).toBe("unauthorized")
      expect(err.marketplace_code).toBe("invalid_grant")
      const everything = JSON.stringify({ message: err.message, mp: err.marketplace_message, err })
      for (const secret of [sim.restrictedDataTokens()[0], SIM_REFRESH_TOKEN, SIM_CLIENT_SECRET]) expect(everything).not.toContain(secret)
      // A revoked app is not a missing role: nothing falls back to pulling without PII.
      expect(sim.requestsFor("searchOrders").filter((r) => !r.query.includedData?.[0]?.includes("BUYER"))).toEqual([])
    })
  })

  it("use_restricted_data_token off (option or channel setting): the access token asks BUYER and RECIPIENT itself", async () => {
    await withSimulator({}, async (sim, now) => {
      for (const [p, settings] of [
        [provider({ use_restricted_data_token: false }), {}],
        [provider(), { use_restricted_data_token: false }],
      ] as const) {
        sim.resetRequests()
        const { orders } = await pullWindow(p, amazonChannel(sim, { settings }), windowOf(now))
        expect(orders).toHaveLength(250)
        expect(sim.requestsFor("createRestrictedDataToken")).toEqual([])
        const lwa = (sim.requestsFor("lwaToken")[0]?.response as any)?.access_token
        for (const r of sim.requestsFor("searchOrders")) {
          expect(r.query.includedData[0].split(",")).toEqual(expect.arrayContaining(["BUYER", "RECIPIENT"]))
          if (lwa) expect(r.accessToken).toBe(lwa)
          expect(sim.isRestrictedDataToken(r.accessToken)).toBe(false)
        }
        expect(canonical(p, orders[0]).shipping_address?.address_1).toBeTruthy()
      }
    })
  })

  it("validateSettings refuses a use_restricted_data_token that is not a boolean", () => {
    const p = provider()
    expect(() => p.validateSettings({ marketplace_ids: [US], use_restricted_data_token: "yes" }, CREDENTIALS)).toThrow(/true or false/)
    expect(() => p.validateSettings({ marketplace_ids: [US], use_restricted_data_token: false }, CREDENTIALS)).not.toThrow()
    expect(() => provider({ use_restricted_data_token: "no" as any })).toThrow(/true or false/)
  })

  it("testConnection says the buyer and address data are granted", async () => {
    await withSimulator({}, async (sim) => {
      const check = await provider().testConnection(amazonChannel(sim))
      expect(check).toMatchObject({ ok: true, message: expect.stringMatching(/restricted data token granted/) })
      expect(check.message).not.toContain("Atz")
    })
  })

  it("a cancellation reads the order without buyer or address data (no token request)", async () => {
    await withSimulator({}, async (sim) => {
      const p = provider()
      const id = sim.orderIds()[0]
      await p.cancelOrder(amazonChannel(sim), { external_order_id: id, reason: "NoInventory" })
      expect(sim.requestsFor("createRestrictedDataToken")).toEqual([])
      expect(sim.requestsFor("getOrder")[0].query.includedData[0].split(",")).not.toEqual(expect.arrayContaining(["BUYER"]))
      expect(sim.order(id)!.fulfillment!.fulfillmentStatus).toBe("CANCELLED")
    })
  })
})

describe("Amazon provider: without the restricted roles", () => {
  it("pulls every order without PII, marked pii_unavailable and with no address to ship to, after one refused token request", async () => {
    await withSimulator({ restrictedRoles: false }, async (sim, now) => {
      const warned: Warned = []
      const p = provider({}, warned)
      const ctx = amazonChannel(sim)
      const { orders, pages } = await pullWindow(p, ctx, windowOf(now))
      expect(pages).toBe(3)
      expect(orders).toHaveLength(250)

      expect(sim.requestsFor("createRestrictedDataToken").map((r) => r.status)).toEqual([403])
      const searches = sim.requestsFor("searchOrders")
      expect(searches.map((r) => r.status)).toEqual([200, 200, 200])
      const lwa = (sim.requestsFor("lwaToken")[0].response as any).access_token
      for (const r of searches) {
        expect(r.accessToken).toBe(lwa)
        const included = r.query.includedData[0].split(",")
        expect(included).not.toContain("BUYER")
        expect(included).not.toContain("RECIPIENT")
        expect(included).toEqual(expect.arrayContaining(["FULFILLMENT", "PROCEEDS"]))
      }
      // One refused token, one refresh at most: no 403 loop.
      expect(sim.lwaExchanges()).toBe(1)

      for (const raw of orders) {
        expect(raw.buyer).toBeUndefined()
        expect(raw.recipient).toBeUndefined()
        expect(raw._channel_orders).toMatchObject({ pii_unavailable: true })
        const o = canonical(p, raw)
        // The pipeline holds an order without a shipping address (address_incomplete).
        expect(o.shipping_address).toBeNull()
        expect(o.email).toBeNull()
        expect(o.customer).toMatchObject({ first_name: null, last_name: null, phone: null })
        expect(o.custom_fields.pii_unavailable).toBe(true)
        expect(o.custom_fields.pii_unavailable_reason).toMatch(/restricted data token.*lacks the restricted role/)
        // Everything else is still there.
        expect(o.items.length).toBeGreaterThan(0)
        expect(o.totals.total).toBeGreaterThan(0)
      }

      expect(warned).toHaveLength(1)
      expect(warned[0]).toMatch(/chan_amazon_test.*buyer and address data \(PII\) are unavailable.*custom_fields\.pii_unavailable/)
      expect(warned[0]).not.toMatch(/Atz[a-z]?[.|]/)
      expect(sim.specViolations).toEqual([])
    })
  })

  it("remembers the refusal for restricted_data_retry_seconds, then asks once more (and gets PII once the roles are granted)", async () => {
    const clock = new VirtualClock()
    await withSimulator({ restrictedRoles: false, now: clock.now, accessTokenTtlSeconds: 7200 }, async (sim) => {
      const warned: Warned = []
      const p = provider({ now: clock.now, restricted_data_retry_seconds: 1800 }, warned)
      const ctx = amazonChannel(sim, { limiter: new InProcessRateLimiter(clock.now, clock.sleep) })
      const window = windowOf(clock.t)
      await pullWindow(p, ctx, window)
      clock.advance(20 * 60_000)
      const again = await pullWindow(p, ctx, window)
      const single: any = await p.getOrder(ctx, sim.orderIds()[0])
      expect(single._channel_orders).toMatchObject({ pii_unavailable: true })
      expect(again.orders.every((o) => o._channel_orders?.pii_unavailable)).toBe(true)
      expect(sim.requestsFor("createRestrictedDataToken")).toHaveLength(1)
      expect(sim.requests.filter((r) => r.operation !== "createRestrictedDataToken" && r.status !== 200)).toEqual([])
      expect(warned).toHaveLength(1)

      // Past the window, still no role: one more refused request, remembered again.
      clock.advance(11 * 60_000)
      await pullWindow(p, ctx, window)
      await pullWindow(p, ctx, window)
      expect(sim.requestsFor("createRestrictedDataToken").map((r) => r.status)).toEqual([403, 403])
      expect(warned).toHaveLength(2)

      // The seller's app gets the roles: after the window the PII comes back.
      sim.setRestrictedRoles(true)
      clock.advance(31 * 60_000)
      const granted = await pullWindow(p, ctx, window)
      expect(sim.requestsFor("createRestrictedDataToken").map((r) => r.status)).toEqual([403, 403, 200])
      expect(granted.orders.every((o) => o._channel_orders === undefined && o.recipient?.deliveryAddress?.addressLine1)).toBe(true)
      expect(canonical(p, granted.orders[0]).custom_fields.pii_unavailable).toBeUndefined()
    })
  })

  it("keeps the refusal in ctx.cache, shared by provider instances; other credentials ask again", async () => {
    await withSimulator({ restrictedRoles: false, refreshTokens: [SIM_REFRESH_TOKEN, "Atzr|IwEBIsecond-seller-token-0123456789"] }, async (sim) => {
      const cache = new MemoryCache()
      const ids = sim.orderIds()
      await provider().getOrder(amazonChannel(sim, { cache }), ids[0])
      const raw: any = await provider().getOrder(amazonChannel(sim, { cache }), ids[1])
      expect(raw._channel_orders).toMatchObject({ pii_unavailable: true })
      expect(sim.requestsFor("createRestrictedDataToken")).toHaveLength(1)
      const key = [...cache.entries.keys()].find((k) => k.startsWith("amazon:pii-refused:chan_amazon_test:"))
      expect(key).toBeDefined()
      expect(key).not.toContain(SIM_REFRESH_TOKEN)
      await provider().getOrder(amazonChannel(sim, { cache, credentials: { refresh_token: "Atzr|IwEBIsecond-seller-token-0123456789" } }), ids[2])
      expect(sim.requestsFor("createRestrictedDataToken")).toHaveLength(2)
    })
  })

  it("handles Amazon's 400 'does not have access' answer to the token request the same way", async () => {
    await withSimulator({ restrictedRoles: false, restrictedDataRefusalStatus: 400 }, async (sim, now) => {
      const p = provider({}, [])
      const { orders } = await pullWindow(p, amazonChannel(sim), windowOf(now))
      expect(orders).toHaveLength(250)
      expect(sim.requestsFor("createRestrictedDataToken").map((r) => r.status)).toEqual([400])
      expect(canonical(p, orders[0]).custom_fields).toMatchObject({ pii_unavailable: true })
      expect(sim.specViolations).toEqual([])
    })
  })

  it("with tokens off, a 403 for BUYER/RECIPIENT on the access token falls back the same way, once", async () => {
    await withSimulator({ restrictedRoles: false }, async (sim, now) => {
      const warned: Warned = []
      const p = provider({ use_restricted_data_token: false }, warned)
      const { orders } = await pullWindow(p, amazonChannel(sim), windowOf(now))
      expect(orders).toHaveLength(250)
      expect(sim.requestsFor("createRestrictedDataToken")).toEqual([])
      // The first page is refused with the restricted datasets, then every page goes without them.
      expect(sim.requestsFor("searchOrders").map((r) => r.status)).toEqual([403, 200, 200, 200])
      expect(sim.lwaExchanges()).toBe(1)
      expect(orders.every((o) => o._channel_orders?.pii_unavailable)).toBe(true)
      expect(warned).toHaveLength(1)
      expect(warned[0]).toMatch(/AccessDeniedException/)
    })
  })

  it("testConnection stays ok but warns that buyer and address data are unavailable", async () => {
    await withSimulator({ restrictedRoles: false }, async (sim) => {
      const check = await provider({}, []).testConnection(amazonChannel(sim))
      expect(check.ok).toBe(true)
      expect(check.message).toMatch(/WARNING: buyer and address data are unavailable/)
    })
  })
})
