import { AmazonSimulator, makeOrder, MESSAGES } from "../../../../integration-tests/simulators/amazon"
import { sandboxCases } from "../../../../integration-tests/simulators/amazon/fixtures"
import { SPECS, validateResponse } from "../../../../integration-tests/simulators/openapi"
import { CREDENTIALS, iso, US } from "./channel"

/** The simulator's own contract: Amazon's documented rules, so the provider tests mean something. */

const HOUR = 3_600_000

describe("Amazon simulator", () => {
  let sim: AmazonSimulator
  let token: string
  const now = Date.now()

  beforeAll(async () => {
    sim = await new AmazonSimulator({ rateLimitMultiplier: 1000 }).start()
    sim.addOrders(
      Array.from({ length: 7 }, (_, i) =>
        makeOrder({ lastUpdatedTime: new Date(now - 5 * HOUR + i * 60_000), createdTime: new Date(now - 6 * HOUR), afn: i === 0 })
      )
    )
    const res = await fetch(sim.authUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" },
      body: new URLSearchParams({ grant_type: "refresh_token", ...CREDENTIALS }).toString(),
    })
    const body = await res.json()
    expect(body).toMatchObject({ token_type: "bearer", expires_in: 3600, refresh_token: CREDENTIALS.refresh_token })
    token = body.access_token
  })
  afterAll(() => sim.stop())

  async function search(query: string, accessToken: string | null = token) {
    const res = await fetch(`${sim.baseUrl}/orders/2026-01-01/orders?${query}`, {
      headers: accessToken ? { "x-amz-access-token": accessToken } : {},
    })
    return { status: res.status, headers: res.headers, body: await res.json() }
  }

  const window = `lastUpdatedAfter=${iso(now - 6 * HOUR)}&lastUpdatedBefore=${iso(now - 3 * 60_000)}&marketplaceIds=${US}`

  it("refuses windows the documentation rules out, with Amazon's error shape", async () => {
    const cases: [string, RegExp | string][] = [
      [`marketplaceIds=${US}`, /Exactly one of createdAfter and lastUpdatedAfter/],
      [`createdAfter=${iso(now - HOUR)}&lastUpdatedAfter=${iso(now - HOUR)}`, /Exactly one/],
      [`createdAfter=${iso(now - HOUR)}&lastUpdatedBefore=${iso(now - 10 * 60_000)}`, /cannot be combined/],
      [`lastUpdatedAfter=${iso(now - HOUR)}&lastUpdatedBefore=${iso(now - 60_000)}`, MESSAGES.beforeTooRecent],
      [`lastUpdatedAfter=${iso(now - HOUR)}&lastUpdatedBefore=${iso(now - 2 * HOUR)}`, /must be equal to or after/],
      [`lastUpdatedAfter=yesterday`, /ISO 8601/],
      [`${window}&maxResultsPerPage=101`, /between 1 and 100/],
      [`${window}&includedData=BUYER,ADDRESS`, /includedData/],
      [`${window}&paginationToken=notatoken`, MESSAGES.badToken],
    ]
    for (const [query, message] of cases) {
      const r = await search(query)
      expect([query, r.status]).toEqual([query, 400])
      expect(r.body.errors[0].code).toBe("InvalidInput")
      expect(r.body.errors[0].message).toMatch(message)
      expect(r.headers.get("x-amzn-ratelimit-limit")).toBe(String(0.0056 * 1000))
      expect(r.headers.get("x-amzn-requestid")).toBeTruthy()
    }
    expect(sim.specViolations).toEqual([])
  })

  it("pages with an opaque token that must be URL-encoded and come with the same filters", async () => {
    const first = await search(`${window}&maxResultsPerPage=3`)
    expect(first.status).toBe(200)
    expect(first.body.orders).toHaveLength(3)
    const next = first.body.pagination.nextToken as string
    expect(next).toMatch(/\+/)
    // Stable: the same request gives the same token.
    expect((await search(`${window}&maxResultsPerPage=3`)).body.pagination.nextToken).toBe(next)
    // Sent raw, "+" turns into a space and the token cannot be read.
    expect((await search(`${window}&maxResultsPerPage=3&paginationToken=${next}`)).body.errors[0].message).toBe(MESSAGES.badToken)
    const mismatch = await search(`${window.replace(iso(now - 3 * 60_000), iso(now - 4 * 60_000))}&paginationToken=${encodeURIComponent(next)}`)
    expect(mismatch.body.errors[0].message).toMatch(/must be identical/)
    const second = await search(`${window}&maxResultsPerPage=5&paginationToken=${encodeURIComponent(next)}`)
    expect(second.body.orders).toHaveLength(4)
    expect(second.body.pagination).toBeUndefined()
    const ids = [...first.body.orders, ...second.body.orders].map((o: any) => o.orderId)
    expect(new Set(ids).size).toBe(7)
  })

  it("returns only the datasets asked for in includedData", async () => {
    const bare = await search(window)
    expect(bare.body.orders[0].buyer).toBeUndefined()
    expect(bare.body.orders[0].fulfillment).toBeUndefined()
    expect(bare.body.orders[0].orderItems[0].proceeds).toBeUndefined()
    const rich = await search(`${window}&includedData=BUYER,FULFILLMENT,PROCEEDS`)
    expect(rich.body.orders[1].buyer).toBeDefined()
    expect(rich.body.orders[1].fulfillment.fulfillmentStatus).toBe("UNSHIPPED")
    expect(rich.body.orders[1].recipient).toBeUndefined()
    expect(rich.body.orders[1].orderItems[0].proceeds).toBeDefined()
    expect(sim.specViolations).toEqual([])
  })

  it("filters by marketplace (a repeated key counts once) and fulfilledBy", async () => {
    const repeated = await search(`${window}&marketplaceIds=A1F83G8C2ARO7P`)
    expect(repeated.body.orders).toHaveLength(7)
    const uk = await search(window.replace(US, "A1F83G8C2ARO7P"))
    expect(uk.body.orders).toHaveLength(0)
    const afn = await search(`${window}&fulfilledBy=AMAZON&includedData=FULFILLMENT`)
    expect(afn.body.orders.map((o: any) => o.fulfillment.fulfilledBy)).toEqual(["AMAZON"])
  })

  it("answers 403 Unauthorized without a valid token, and 404 for an unknown order", async () => {
    const none = await search(window, null)
    expect(none.status).toBe(403)
    expect(none.body.errors[0]).toMatchObject({ code: "Unauthorized", details: "Access token is missing in the request header." })
    const res = await fetch(`${sim.baseUrl}/orders/2026-01-01/orders/000-0000000-0000000`, { headers: { "x-amz-access-token": token } })
    expect(res.status).toBe(404)
    expect(sim.specViolations).toEqual([])
  })

  it("throttles past the burst with 429 QuotaExceeded and no Retry-After", async () => {
    const strict = await new AmazonSimulator().start()
    try {
      const t = await fetch(strict.authUrl, {
        method: "POST",
        body: new URLSearchParams({ grant_type: "refresh_token", ...CREDENTIALS }).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      }).then((r) => r.json())
      const statuses: number[] = []
      let last: Response | undefined
      for (let i = 0; i < 21; i++) {
        last = await fetch(`${strict.baseUrl}/orders/2026-01-01/orders?${window}`, { headers: { "x-amz-access-token": t.access_token } })
        statuses.push(last.status)
      }
      expect(statuses.filter((s) => s === 200)).toHaveLength(20)
      expect(statuses[20]).toBe(429)
      expect(last!.headers.get("retry-after")).toBeNull()
      expect((await last!.json()).errors[0]).toEqual({ code: "QuotaExceeded", message: MESSAGES.quota, details: "" })
      expect(strict.specViolations).toEqual([])
    } finally {
      await strict.stop()
    }
  })

  it("uses the model's own 2026 sandbox responses as fixtures: they match the model", () => {
    const cases = sandboxCases("orders_2026-01-01.json")
    expect(cases.filter((c) => c.status === 200)).toHaveLength(6)
    for (const c of cases) {
      expect([c.operationId, c.status, validateResponse(SPECS.amazonOrders2026, c.operationId, c.status, c.response).errors]).toEqual([
        c.operationId,
        c.status,
        "",
      ])
    }
  })
})
