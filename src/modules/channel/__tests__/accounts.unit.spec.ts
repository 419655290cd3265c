import { channelAccountKey } from "../accounts"
import { amazonAccountIdentity } from "../../../providers/amazon/account"
import { ebayAccountIdentity } from "../../../providers/ebay/account"
import { miraklAccountIdentity } from "../../../providers/mirakl/account"

const channel = { id: "chan_1", provider: "amazon" }

describe("channel accounts: orders are unique per marketplace account, not per channel record", () => {
  it("prefixes the provider's identity with its id, and falls back to the channel itself", () => {
    expect(channelAccountKey(channel, { accountIdentity: () => "seller:A1" }, { settings: {}, credentials: {} })).toBe("amazon:seller:A1")
    expect(channelAccountKey(channel, { accountIdentity: () => null }, { settings: {}, credentials: {} })).toBe("channel:chan_1")
    expect(channelAccountKey(channel, {}, { settings: {}, credentials: {} })).toBe("channel:chan_1")
    expect(channelAccountKey(channel, null, { settings: {}, credentials: {} })).toBe("channel:chan_1")
    const throwing = { accountIdentity: () => { throw new Error("half-configured") } }
    expect(channelAccountKey(channel, throwing, { settings: {}, credentials: {} })).toBe("channel:chan_1")
  })

  it("Amazon: the seller id wins; without it the refresh token, never in clear; the marketplace list does not count", () => {
    const a = amazonAccountIdentity({ settings: { seller_id: " A2SELLER ", marketplace_ids: ["A1PA6795UKMFR9"] }, credentials: { refresh_token: "Atzr|x" } })
    const b = amazonAccountIdentity({ settings: { seller_id: "A2SELLER", marketplace_ids: ["A13V1IB3VIYZZH", "A1PA6795UKMFR9"] }, credentials: { refresh_token: "Atzr|other" } })
    expect(a).toBe("seller:A2SELLER")
    expect(b).toBe(a)
    const t1 = amazonAccountIdentity({ settings: {}, credentials: { refresh_token: "Atzr|secret-token" } })!
    expect(t1).toMatch(/^token:[0-9a-f]{20}$/)
    expect(t1).not.toContain("secret")
    expect(amazonAccountIdentity({ settings: {}, credentials: { refresh_token: " Atzr|secret-token " } })).toBe(t1)
    expect(amazonAccountIdentity({ settings: {}, credentials: { refresh_token: "Atzr|another" } })).not.toBe(t1)
    expect(amazonAccountIdentity({ settings: {}, credentials: {} })).toBeNull()
  })

  it("eBay: the seller's user name or refresh token, per API host (sandbox and production are separate)", () => {
    const prod = ebayAccountIdentity({ settings: { seller_username: "Shop-1" }, credentials: {} })
    expect(prod).toBe("api.ebay.com:user:shop-1")
    expect(ebayAccountIdentity({ settings: { seller_username: "shop-1", base_url: "https://api.sandbox.ebay.com" }, credentials: {} })).toBe("api.sandbox.ebay.com:user:shop-1")
    const byToken = ebayAccountIdentity({ settings: {}, credentials: { refresh_token: "v^1.1#i^1#r^1" } })!
    expect(byToken).toMatch(/^api\.ebay\.com:token:[0-9a-f]{20}$/)
  })

  it("Mirakl: the operator's host plus the shop id, or the shop's API key", () => {
    expect(miraklAccountIdentity({ settings: { base_url: "https://acme.mirakl.net/api", shop_id: 2001 }, credentials: { api_key: "k" } })).toBe("acme.mirakl.net:shop:2001")
    expect(miraklAccountIdentity({ settings: { base_url: "https://other.mirakl.net", shop_id: "2001" }, credentials: {} })).toBe("other.mirakl.net:shop:2001")
    expect(miraklAccountIdentity({ settings: { base_url: "https://acme.mirakl.net" }, credentials: { api_key: "shop-key" } })).toMatch(/^acme\.mirakl\.net:key:[0-9a-f]{20}$/)
    expect(miraklAccountIdentity({ settings: {}, credentials: { api_key: "shop-key" } })).toBeNull()
  })
})
