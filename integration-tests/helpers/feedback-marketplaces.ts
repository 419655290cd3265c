import type { SeededStore } from "../../src/scripts/seed-store"
import { AmazonSimulator, makeOrder as makeAmazonOrder, SIM_CLIENT_ID, SIM_CLIENT_SECRET, SIM_REFRESH_TOKEN } from "../simulators/amazon"
import { EbaySimulator, makeOrder as makeEbayOrder } from "../simulators/ebay"
import { MiraklSimulator, makeOrder as makeMiraklOrder } from "../simulators/mirakl"
import { channelOrder, channelSettings, runImport } from "./channel-fixtures"

/**
 * Marketplace channels for the feedback tests: a simulator per test, a channel pointed at it
 * through its settings (as an admin would set it up), and orders imported through the real
 * `POST /admin/channels/:id/import`. Orders are in EUR and ship to the seeded EU region.
 */

/** Rates run this much faster than the published ones, on both sides (see medusa-config.ts). */
export const RATE_MULTIPLIER = 100

export const AMAZON_DE = "A1PA6795UKMFR9"
export const EBAY_CREDENTIALS = {
  client_id: "SimApp-PRD-0123456789-abcdef",
  client_secret: "PRD-sim-client-secret",
  refresh_token: "v^1.1#i^1#r^1#sim-refresh-token",
}
export const MIRAKL_API_KEY = "feedback-shop-key"

/** The lines every test order has: two units of one SKU, one of another. */
export const LINES: Array<[string, number]> = [
  ["TSHIRT-M", 2],
  ["HOODIE-L", 1],
]

export type Marketplace = "amazon" | "ebay" | "mirakl"

export type MarketplaceChannel = {
  kind: Marketplace
  channel_id: string
  sim: AmazonSimulator | EbaySimulator | MiraklSimulator
  /**
   * Sent again with every settings update: the update workflow validates settings against the
   * credentials in the request, not the stored ones (reported to the lead).
   */
  credentials: Record<string, string>
  /** Adds an order (unshipped, ready to ship) to the marketplace; returns its id. */
  addOrder: (n: number) => string
  stop: () => Promise<void>
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000)

export async function createMarketplaceChannel(
  api: any,
  auth: any,
  store: SeededStore,
  kind: Marketplace,
  extraSettings: Record<string, unknown> = {}
): Promise<MarketplaceChannel> {
  const common = {
    ...channelSettings(store),
    default_shipping_option_id: store.shipping_options.standard,
    carrier_mapping: { [store.shipping_options.standard]: "DHL" },
    ...extraSettings,
  }
  if (kind === "amazon") {
    const sim = await new AmazonSimulator({ rateLimitMultiplier: RATE_MULTIPLIER }).start()
    const credentials = { client_id: SIM_CLIENT_ID, client_secret: SIM_CLIENT_SECRET, refresh_token: SIM_REFRESH_TOKEN }
    const { data } = await api.post(
      "/admin/channels",
      {
        name: "Amazon DE",
        provider: "amazon",
        credentials,
        settings: { ...common, marketplace_ids: [AMAZON_DE], base_url: sim.baseUrl, auth_url: sim.authUrl, ...extraSettings },
      },
      auth
    )
    return {
      kind,
      channel_id: data.channel.id,
      sim,
      credentials,
      addOrder: () => {
        const order = makeAmazonOrder({
          marketplaceId: AMAZON_DE,
          status: "UNSHIPPED",
          createdTime: hoursAgo(3),
          lastUpdatedTime: hoursAgo(2),
          items: LINES.map(([sku, quantity]) => ({ sku, quantity, unitPrice: 20, shipping: 0, tax: 0 })),
        })
        sim.addOrders(order)
        return order.orderId
      },
      stop: () => sim.stop(),
    }
  }
  if (kind === "ebay") {
    const sim = await new EbaySimulator({
      clientId: EBAY_CREDENTIALS.client_id,
      clientSecret: EBAY_CREDENTIALS.client_secret,
      refreshTokens: [EBAY_CREDENTIALS.refresh_token],
      rateLimitMultiplier: RATE_MULTIPLIER,
    }).start()
    const { data } = await api.post(
      "/admin/channels",
      {
        name: "eBay DE",
        provider: "ebay",
        credentials: EBAY_CREDENTIALS,
        settings: { ...common, marketplace_id: "EBAY_DE", base_url: sim.url, auth_url: sim.authUrl },
      },
      auth
    )
    let seq = Math.floor(Math.random() * 1000)
    return {
      kind,
      channel_id: data.channel.id,
      sim,
      credentials: EBAY_CREDENTIALS,
      addOrder: () => {
        const order = makeEbayOrder({
          seq: ++seq,
          currency: "EUR",
          marketplaceId: "EBAY_DE",
          creationDate: hoursAgo(3).toISOString(),
          lastModifiedDate: hoursAgo(2).toISOString(),
          lineItems: LINES.map(([sku, quantity], i) => ({ sku, quantity, unitPrice: 20, shipping: i === 0 ? 4.5 : 0 })),
        })
        sim.addOrders(order)
        return order.orderId as string
      },
      stop: () => sim.stop(),
    }
  }
  const sim = new MiraklSimulator({ apiKey: MIRAKL_API_KEY, rateLimitMultiplier: RATE_MULTIPLIER })
  await sim.start()
  const { data } = await api.post(
    "/admin/channels",
    { name: "Mirakl shop", provider: "mirakl", credentials: { api_key: MIRAKL_API_KEY }, settings: { ...common, base_url: sim.url } },
    auth
  )
  const prefix = `FB${Math.floor(Math.random() * 1e6)}`
  return {
    kind,
    channel_id: data.channel.id,
    sim,
    credentials: { api_key: MIRAKL_API_KEY },
    addOrder: (n: number) => {
      const order = sim.addOrder(
        makeMiraklOrder({
          id: `${prefix}-${n}-A`,
          state: "SHIPPING",
          createdAt: hoursAgo(3),
          lastUpdated: hoursAgo(2),
          lines: LINES.map(([sku, quantity]) => ({ sku, quantity, unitPrice: 20 })),
        })
      )
      return order.order_id as string
    },
    stop: () => sim.stop(),
  }
}

/** Adds `count` orders to the marketplace, imports them, and returns their channel orders. */
export async function importMarketplaceOrders(api: any, auth: any, channel: MarketplaceChannel, count = 1) {
  const ids = Array.from({ length: count }, (_, i) => channel.addOrder(i + 1))
  const run = await runImport(api, auth, channel.channel_id)
  const out: Array<{ id: string; order_id: string; external_id: string; state: string }> = []
  for (const id of ids) {
    const co = await channelOrder(api, auth, channel.channel_id, id)
    if (co?.state !== "imported") {
      throw new Error(`${channel.kind} order ${id} was not imported: ${JSON.stringify({ run, co })}`)
    }
    out.push(co)
  }
  return out
}
