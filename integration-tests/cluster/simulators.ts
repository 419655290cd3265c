/**
 * The marketplaces of the cluster suite: the Amazon, eBay and Mirakl simulators
 * (integration-tests/simulators) in a process of their own, so the Medusa processes reach them over
 * real HTTP and the driver (scripts/cluster.js) can kill Medusa processes without touching them.
 * Started by sim-host.js; the driver talks to it over the IPC channel of `child_process.fork`:
 *
 *   { id, cmd: "start", args: { multiplier } }            → the simulators' base URLs
 *   { id, cmd: "add", args: { kind, count, skus, updated_ms } } → the external ids of new orders
 *   { id, cmd: "confirmations" }                           → shipment confirmations received, per order
 *   { id, cmd: "stop" }
 */
import { AmazonSimulator, makeOrder as makeAmazonOrder, SIM_CLIENT_ID, SIM_CLIENT_SECRET, SIM_REFRESH_TOKEN } from "../simulators/amazon"
import { EbaySimulator, makeOrder as makeEbayOrder } from "../simulators/ebay"
import { MiraklSimulator, makeOrder as makeMiraklOrder } from "../simulators/mirakl"

export const AMAZON_DE = "A1PA6795UKMFR9"
export const EBAY_CREDENTIALS = {
  client_id: "SimApp-PRD-0123456789-abcdef",
  client_secret: "PRD-sim-client-secret",
  refresh_token: "v^1.1#i^1#r^1#sim-refresh-token",
}
export const MIRAKL_API_KEY = "cluster-shop-key"

type Kind = "amazon" | "ebay" | "mirakl"

let amazon: AmazonSimulator
let ebay: EbaySimulator
let mirakl: MiraklSimulator
let ebaySeq = 0
let miraklSeq = 0

/** Two lines per order, rotating through the SKUs the store stocks. */
function lines(skus: string[], n: number): Array<[string, number]> {
  return [
    [skus[n % skus.length], 1 + (n % 2)],
    [skus[(n + 3) % skus.length], 1],
  ]
}

const handlers: Record<string, (args: any) => Promise<unknown> | unknown> = {
  async start({ multiplier }: { multiplier: number }) {
    amazon = await new AmazonSimulator({ rateLimitMultiplier: multiplier }).start()
    ebay = await new EbaySimulator({
      clientId: EBAY_CREDENTIALS.client_id,
      clientSecret: EBAY_CREDENTIALS.client_secret,
      refreshTokens: [EBAY_CREDENTIALS.refresh_token],
      rateLimitMultiplier: multiplier,
    }).start()
    mirakl = new MiraklSimulator({ apiKey: MIRAKL_API_KEY, rateLimitMultiplier: multiplier })
    await mirakl.start()
    return {
      amazon: { base_url: amazon.baseUrl, auth_url: amazon.authUrl, marketplace_ids: [AMAZON_DE] },
      ebay: { base_url: ebay.url, auth_url: ebay.authUrl, marketplace_id: "EBAY_DE" },
      mirakl: { base_url: mirakl.url },
      credentials: {
        amazon: { client_id: SIM_CLIENT_ID, client_secret: SIM_CLIENT_SECRET, refresh_token: SIM_REFRESH_TOKEN },
        ebay: EBAY_CREDENTIALS,
        mirakl: { api_key: MIRAKL_API_KEY },
      },
    }
  },

  add({ kind, count, skus, updated_ms }: { kind: Kind; count: number; skus: string[]; updated_ms: number }) {
    const ids: string[] = []
    for (let i = 0; i < count; i++) {
      // Spread over a minute before `updated_ms`, so a window sees them in a realistic order.
      const updated = new Date(updated_ms - (i % 60) * 1000)
      const created = new Date(updated.getTime() - 3_600_000)
      if (kind === "amazon") {
        const order = makeAmazonOrder({
          marketplaceId: AMAZON_DE,
          status: "UNSHIPPED",
          createdTime: created,
          lastUpdatedTime: updated,
          items: lines(skus, i).map(([sku, quantity]) => ({ sku, quantity, unitPrice: 20, shipping: 0, tax: 0 })),
        })
        amazon.addOrders(order)
        ids.push(order.orderId)
      } else if (kind === "ebay") {
        const order = makeEbayOrder({
          seq: ++ebaySeq,
          currency: "EUR",
          marketplaceId: "EBAY_DE",
          creationDate: created.toISOString(),
          lastModifiedDate: updated.toISOString(),
          lineItems: lines(skus, i).map(([sku, quantity], l) => ({ sku, quantity, unitPrice: 20, shipping: l === 0 ? 4.5 : 0 })),
        })
        ebay.addOrders(order)
        ids.push(order.orderId as string)
      } else {
        const order = mirakl.addOrder(
          makeMiraklOrder({
            id: `CLU-${++miraklSeq}-A`,
            state: "SHIPPING",
            createdAt: created,
            lastUpdated: updated,
            lines: lines(skus, i).map(([sku, quantity]) => ({ sku, quantity, unitPrice: 20 })),
          })
        )
        ids.push(order.order_id as string)
      }
    }
    return ids
  },

  /**
   * What each marketplace received for shipments, per external order: every request (`requests`,
   * retries included) and those it accepted (`accepted`, a 2xx answer). Mirakl ships a whole order
   * with OR23 (tracking) + OR24 (ship); OR24 is the confirmation.
   */
  confirmations() {
    const out: Record<string, Record<string, { requests: number; accepted: number; tracking?: number }>> = { amazon: {}, ebay: {}, mirakl: {} }
    const add = (kind: Kind, id: string, ok: boolean, field: "requests" | "tracking" = "requests") => {
      const e = (out[kind][id] ??= { requests: 0, accepted: 0 })
      if (field === "tracking") e.tracking = (e.tracking ?? 0) + 1
      else {
        e.requests++
        if (ok) e.accepted++
      }
    }
    const okStatus = (s: number | undefined) => s !== undefined && s >= 200 && s < 300
    for (const r of amazon.requestsFor("confirmShipment")) {
      const m = /^\/orders\/v0\/orders\/([^/]+)\/shipmentConfirmation$/.exec(r.path)
      if (m) add("amazon", decodeURIComponent(m[1]), okStatus(r.status))
    }
    const ebayStatus = new Map(ebay.responses.map((r) => [r.seq, r.status]))
    for (const r of ebay.requestsFor("createShippingFulfillment")) {
      const m = /\/order\/([^/]+)\/shipping_fulfillment$/.exec(r.path)
      if (m) add("ebay", decodeURIComponent(m[1]), okStatus(ebayStatus.get(r.seq)))
    }
    for (const r of mirakl.requestsFor("OR24")) {
      const m = /\/orders\/([^/]+)\/ship$/.exec(r.path)
      if (m) add("mirakl", decodeURIComponent(m[1]), okStatus(r.response?.status))
    }
    for (const r of mirakl.requestsFor("OR23")) {
      const m = /\/orders\/([^/]+)\/tracking$/.exec(r.path)
      if (m) add("mirakl", decodeURIComponent(m[1]), false, "tracking")
    }
    return {
      confirmations: out,
      requests: { amazon: amazon.requests.length, ebay: ebay.requests.length, mirakl: mirakl.requests.length },
    }
  },

  async stop() {
    await Promise.all([amazon?.stop(), ebay?.stop(), mirakl?.stop()])
  },
}

process.on("message", async (msg: { id: number; cmd: string; args?: unknown }) => {
  try {
    const result = await handlers[msg.cmd](msg.args ?? {})
    process.send!({ id: msg.id, result })
  } catch (e: any) {
    process.send!({ id: msg.id, error: String(e?.stack ?? e) })
  }
})
// The driver going away (even by SIGKILL) closes the IPC channel: stop with it.
process.on("disconnect", () => process.exit(0))
