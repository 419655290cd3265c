import { AmazonSimulator, makeOrder, overLimit } from "../../../../integration-tests/simulators/amazon"
import { InProcessRateLimiter } from "../../shared/rate-limiter"
import { forgetLearnedRates } from "../client"
import { amazonChannel as channel, amazonProvider, iso, pullWindow } from "./channel"

const MULTIPLIER = 500
const HOUR = 3_600_000

/**
 * Dynamic usage plans: Amazon may give an account another rate than the published one, and says so
 * in every answer's x-amzn-RateLimit-Limit. The provider paces itself by what Amazon announced.
 */
describe("Amazon provider: rate learned from x-amzn-RateLimit-Limit", () => {
  let sim: AmazonSimulator
  const now = Date.now()
  afterEach(async () => {
    forgetLearnedRates()
    await sim?.stop()
  })

  it("slows to the lower rate Amazon announces for the account: no 429 once the burst is spent", async () => {
    // This account's plan: searchOrders at a fifth of the published rate (published 0.0056/s, burst 20).
    const plan = { rate: 0.0056 / 5, burst: 20 }
    sim = await new AmazonSimulator({ rateLimitMultiplier: MULTIPLIER, rateLimits: { searchOrders: plan }, enforceRateLimits: true }).start()
    // 23 pages: past the burst of 20, each page waits for a token at the plan's rate.
    const orders = Array.from({ length: 2300 }, (_, i) => makeOrder({ createdTime: new Date(now - 3 * HOUR), lastUpdatedTime: new Date(now - 2 * HOUR + i * 1000) }))
    sim.addOrders(orders)
    const provider = amazonProvider({ rate_limit_multiplier: MULTIPLIER })
    const ctx = channel(sim, { limiter: new InProcessRateLimiter(), settings: { seller_id: "A1SIMSELLER" } })
    const { orders: got } = await pullWindow(provider, ctx, { updated_after: iso(now - 4 * HOUR), updated_before: iso(now - 30 * 60_000) })
    expect(got).toHaveLength(2300)
    const searches = sim.requestsFor("searchOrders")
    const ok = searches.filter((r) => r.status === 200)
    expect(ok).toHaveLength(23)
    // Tokens that accrued at the published rate before Amazon's first answer can cost one 429;
    // after that the provider keeps to the announced rate, and Amazon throttles nothing more.
    const throttled = searches.filter((r) => r.status === 429)
    expect(throttled.length).toBeLessThanOrEqual(1)
    const announced = { rate: plan.rate * MULTIPLIER, burst: 1 }
    const afterBurst = searches.slice(21).map((r) => r.time)
    expect(overLimit(afterBurst, announced, 50)).toEqual([])
    expect(afterBurst.length).toBeGreaterThanOrEqual(2)
  }, 60_000)
})
