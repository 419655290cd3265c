import { AmazonSimulator, makeOrder } from "../../../../integration-tests/simulators/amazon"
import { ChannelProviderError } from "../../../modules/channel/errors"
import { PAGE_SIZE } from "../service"
import { amazonChannel, amazonProvider, CREDENTIALS, US } from "./channel"

const MIN = 60_000
const iso = (ms: number) => new Date(ms).toISOString()

describe("Amazon channel setting page_size", () => {
  let sim: AmazonSimulator
  afterEach(async () => sim?.stop())

  it("asks searchOrders for pages of page_size and still lists every order once", async () => {
    sim = await new AmazonSimulator({ rateLimitMultiplier: 1000 }).start()
    const now = Date.now()
    for (let i = 0; i < 11; i++) sim.addOrders(makeOrder({ marketplaceId: US, lastUpdatedTime: new Date(now - 60 * MIN + i * MIN) }))
    const provider = amazonProvider({ rate_limit_multiplier: 1000 })
    const settings = { marketplace_ids: [US], page_size: 4 }
    provider.validateSettings(settings, { ...CREDENTIALS })
    const ctx = amazonChannel(sim, { settings })
    const ids: string[] = []
    let token: string | null = null
    do {
      const page = await provider.listOrders(ctx, { updated_after: iso(now - 2 * 3600_000), updated_before: iso(now - 5 * MIN), page_token: token })
      ids.push(...page.orders.map((o: any) => o.orderId))
      token = page.next_page_token
    } while (token)
    const calls = sim.requestsFor("searchOrders")
    expect(calls.map((c) => c.query.maxResultsPerPage)).toEqual([["4"], ["4"], ["4"]])
    expect(new Set(ids).size).toBe(11)
    expect(ids).toHaveLength(11)
  })

  it("defaults to Amazon's maximum and refuses sizes Amazon does not take", () => {
    const provider = amazonProvider()
    expect(PAGE_SIZE).toBe(100)
    for (const bad of [0, 101, 2.5, "x"]) {
      const err = (() => {
        try {
          provider.validateSettings({ marketplace_ids: [US], page_size: bad }, { ...CREDENTIALS })
        } catch (e) {
          return e
        }
      })()
      expect(err).toBeInstanceOf(ChannelProviderError)
      expect((err as Error).message).toMatch(/page_size must be a whole number from 1 to 100/)
    }
    const settings: Record<string, any> = { marketplace_ids: [US], page_size: "25" }
    provider.validateSettings(settings, { ...CREDENTIALS })
    expect(settings.page_size).toBe(25)
  })
})
