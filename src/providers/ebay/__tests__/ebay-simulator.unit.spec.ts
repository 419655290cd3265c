import { EbaySimulator, makeOrder } from "../../../../integration-tests/simulators/ebay"
import { ebayResponseProblems } from "../../../../integration-tests/simulators/ebay/spec-check"
import { CREDENTIALS } from "./ebay-channel-fixture"

/** The simulator's own eBay behaviour, checked with plain fetch calls. */
describe("eBay simulator", () => {
  let sim: EbaySimulator
  let token: string

  const basic = Buffer.from(`${CREDENTIALS.client_id}:${CREDENTIALS.client_secret}`).toString("base64")

  async function exchange(refreshToken = CREDENTIALS.refresh_token, auth = basic) {
    const res = await fetch(sim.authUrl, {
      method: "POST",
      headers: { authorization: `Basic ${auth}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken }).toString(),
    })
    return { status: res.status, body: (await res.json()) as any }
  }

  async function list(rawQuery: string) {
    const res = await fetch(`${sim.url}/sell/fulfillment/v1/order?${rawQuery}`, { headers: { authorization: `Bearer ${token}` } })
    return { status: res.status, body: (await res.json()) as any, headers: res.headers }
  }

  beforeEach(async () => {
    sim = await new EbaySimulator({
      clientId: CREDENTIALS.client_id,
      clientSecret: CREDENTIALS.client_secret,
      refreshTokens: [CREDENTIALS.refresh_token],
      enforceRateLimit: false,
    }).start()
    for (let i = 0; i < 5; i++) {
      sim.addOrders(
        makeOrder({
          seq: i + 1,
          creationDate: `2026-11-0${i + 1}T10:00:00.000Z`,
          lastModifiedDate: `2026-11-0${i + 2}T10:00:00.000Z`,
          status: i % 2 ? "FULFILLED" : "NOT_STARTED",
          cancelState: i === 4 ? "IN_PROGRESS" : "NONE_REQUESTED",
        })
      )
    }
    token = (await exchange()).body.access_token
  })
  afterEach(async () => {
    expect(sim.specViolations()).toEqual([])
    await sim.stop()
  })

  it("issues user tokens for a valid refresh token only", async () => {
    expect(await exchange()).toMatchObject({ status: 200, body: { expires_in: 7200, token_type: "User Access Token" } })
    expect(await exchange("v^1.1#wrong")).toMatchObject({ status: 400, body: { error: "invalid_grant" } })
    expect(await exchange(CREDENTIALS.refresh_token, "bm9wZTpub3Bl")).toMatchObject({
      status: 401,
      body: { error: "invalid_client" },
    })
    sim.revokeRefreshToken()
    expect((await exchange()).body.error).toBe("invalid_grant")
    expect((await list("limit=1")).status).toBe(401)
  })

  it("pages with limit/offset and gives total, href, next and prev", async () => {
    const filter = "filter=lastmodifieddate:%5B2026-11-01T00:00:00.000Z..2026-11-20T00:00:00.000Z%5D"
    const page = await list(`${filter}&limit=2&offset=2`)
    expect(page.status).toBe(200)
    expect(page.body).toMatchObject({ total: 5, limit: 2, offset: 2 })
    expect(page.body.orders.map((o: any) => o.creationDate)).toEqual(["2026-11-03T10:00:00.000Z", "2026-11-04T10:00:00.000Z"])
    expect(page.body.href).toBe(`${sim.url}/sell/fulfillment/v1/order?${filter}&limit=2&offset=2`)
    expect(page.body.next).toBe(`${sim.url}/sell/fulfillment/v1/order?${filter}&limit=2&offset=4`)
    expect(page.body.prev).toBe(`${sim.url}/sell/fulfillment/v1/order?${filter}&limit=2&offset=0`)
    const last = await fetch(page.body.next, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json() as any)
    expect(last.orders).toHaveLength(1)
    expect(last.next).toBeUndefined()
  })

  it("filters by lastmodifieddate bounds inclusively, and by creationdate when both are given", async () => {
    const modified = await list("filter=lastmodifieddate:%5B2026-11-03T10:00:00.000Z..2026-11-04T10:00:00.000Z%5D")
    expect(modified.body.total).toBe(2)
    const both = await list(
      "filter=creationdate:%5B2026-11-01T00:00:00.000Z..2026-11-01T23:00:00.000Z%5D,lastmodifieddate:%5B2026-11-05T00:00:00.000Z..%5D"
    )
    expect(both.body.total).toBe(1)
    const open = await list("filter=lastmodifieddate:%5B2026-11-05T00:00:00.000Z..%5D,orderfulfillmentstatus:%7BNOT_STARTED%7CIN_PROGRESS%7D")
    expect(open.body.orders.map((o: any) => o.orderFulfillmentStatus)).toEqual(["NOT_STARTED"])
  })

  it("answers eBay's 400s in eBay's error shape", async () => {
    const cases: [string, number][] = [
      ["limit=201", 31100],
      ["limit=0", 31100],
      ["offset=-1", 31000],
      ["filter=lastmodifieddate:[2026-11-01T00:00:00.000Z..]", 30800],
      ["filter=lastmodifieddate:%5B2026-11-01..%5D", 30810],
      ["filter=lastmodifieddate:%5B..2026-11-01T00:00:00.000Z%5D", 30820],
      ["filter=lastmodifieddate:%5B2026-11-05T00:00:00.000Z..2026-11-01T00:00:00.000Z%5D", 30840],
      ["filter=lastmodifieddate:%5B2099-01-01T00:00:00.000Z..%5D", 30850],
      ["filter=modifieddate:%5B2026-11-01T00:00:00.000Z..%5D", 30700],
      ["filter=orderfulfillmentstatus:NOT_STARTED", 30800],
    ]
    for (const [query, errorId] of cases) {
      const res = await list(query)
      expect([query, res.status, res.body.errors[0].errorId]).toEqual([query, 400, errorId])
      expect(res.body.errors[0]).toMatchObject({ domain: "API_FULFILLMENT", category: "REQUEST" })
    }
  })

  it("leaves cancelRequests empty in getOrders and fills them in getOrder", async () => {
    const id = sim.orderIds()[4]
    const listed = await list("filter=lastmodifieddate:%5B2026-11-06T00:00:00.000Z..%5D")
    expect(listed.body.orders[0].cancelStatus).toEqual({ cancelState: "IN_PROGRESS", cancelRequests: [] })
    const one = await fetch(`${sim.url}/sell/fulfillment/v1/order/${id}`, { headers: { authorization: `Bearer ${token}` } })
    expect(((await one.json()) as any).cancelStatus.cancelRequests).toHaveLength(1)
  })

  it("bumps lastModifiedDate on update and records requests", async () => {
    const id = sim.orderIds()[0]
    const before = Date.now()
    const updated = sim.updateOrder(id, { buyerCheckoutNotes: "leave at the door" })
    expect(Date.parse(updated.lastModifiedDate)).toBeGreaterThanOrEqual(before)
    await list("limit=1")
    const last = sim.requests[sim.requests.length - 1]
    expect(last).toMatchObject({ method: "GET", operation: "getOrders", rawQuery: "limit=1", query: { limit: "1" }, status: 200 })
    expect(last.time).toBeGreaterThanOrEqual(before)
  })

  it("throttles with 429 in eBay's error shape when the bucket is empty", async () => {
    const limited = await new EbaySimulator({
      refreshTokens: [CREDENTIALS.refresh_token],
      rateLimits: { fulfillment: { rate: 1, burst: 2 } },
    }).start()
    try {
      const statuses: number[] = []
      for (let i = 0; i < 4; i++) statuses.push((await fetch(`${limited.url}/sell/fulfillment/v1/order`)).status)
      expect(statuses).toEqual([401, 401, 429, 429])
      expect(limited.throttled).toBe(2)
      expect(limited.specViolations()).toEqual([])
    } finally {
      await limited.stop()
    }
  })

  it("has a spec check that refuses invented keys", () => {
    const order = makeOrder({ seq: 1 })
    expect(ebayResponseProblems("getOrder", 200, order)).toEqual([])
    expect(ebayResponseProblems("getOrder", 200, { ...order, shippingLabel: "x" }).join()).toMatch(/additional/)
    expect(ebayResponseProblems("getOrders", 500, { message: "boom" })).not.toEqual([])
  })
})
