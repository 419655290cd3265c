/**
 * The demo's marketplaces (issue 20): the Amazon, eBay and Mirakl simulators of the test suites
 * (integration-tests/simulators), run as local processes by `npm run demo`, selling the demo store's
 * catalogue. Their traffic is checked against the official models like in the tests.
 *
 * The order book is a pure function of the demo's start time (`epoch`, kept in the demo folder):
 * a history of orders over the two days before it, then one new order every few minutes on one of
 * the three marketplaces. After a restart the simulators rebuild the same orders with the same ids
 * and times, so the store's next pull finds nothing new to import twice. What a marketplace was told
 * (accepted, shipped) lives in memory only and starts over with the process; the store keeps its
 * own record.
 */
import { makeOrder as makeAmazonOrder, AmazonSimulator, SIM_CLIENT_ID, SIM_CLIENT_SECRET, SIM_REFRESH_TOKEN } from "../integration-tests/simulators/amazon"
import { EbaySimulator, makeOrder as makeEbayOrder } from "../integration-tests/simulators/ebay"
import { MiraklSimulator, makeOrder as makeMiraklOrder } from "../integration-tests/simulators/mirakl"
import { seededRandom } from "../src/providers/sandbox/generator"
import { demoCatalogue, TUTORIAL_SKU } from "../src/scripts/demo-catalogue"

export const AMAZON_DE = "A1PA6795UKMFR9"
const EBAY_CREDENTIALS = {
  client_id: "DemoShop-PRD-0123456789-abcdef",
  client_secret: "PRD-demo-client-secret",
  refresh_token: "v^1.1#i^1#r^1#demo-refresh-token",
}
const MIRAKL_API_KEY = "demo-shop-api-key"

const MINUTE = 60_000
const HOUR = 60 * MINUTE
/** One new order every TICK on the next marketplace in turn. */
export const TICK_MS = Number(process.env.DEMO_ORDER_EVERY_MS || 4 * MINUTE)
/** Orders older than this before a restart are not rebuilt (the store imported them long ago). */
const REPLAY_MS = 48 * HOUR
const HISTORY = 12

type Kind = "amazon" | "ebay" | "mirakl"
const KINDS: Kind[] = ["amazon", "ebay", "mirakl"]

const BUYERS = [
  ["Lena", "Hoffmann", "Bergmannstraße 12", "Berlin", "10961"],
  ["Jonas", "Becker", "Sendlinger Str. 7", "München", "80331"],
  ["Mia", "Schulz", "Schanzenstraße 41", "Hamburg", "20357"],
  ["Paul", "Wagner", "Ehrenstraße 3", "Köln", "50672"],
  ["Emma", "Keller", "Königstraße 28", "Stuttgart", "70173"],
  ["Felix", "Richter", "Berger Straße 110", "Frankfurt am Main", "60316"],
] as const

export type DemoLine = { sku: string; title: string; quantity: number; price: number }
export type DemoOrder = { kind: Kind; n: number; created: Date; updated: Date; lines: DemoLine[]; status: string; buyer: (typeof BUYERS)[number] }

const catalogue = demoCatalogue().filter((c) => c.sku !== TUTORIAL_SKU.sku)

/**
 * The n-th order of a marketplace. A few are chosen to show the desk's features: the seed-002
 * tutorial order (V789 × 5, held by the "quantity over 4" rule and tagged "Review Needed"), a SKU
 * the store does not sell (a problem to fix), orders still waiting for payment or acceptance,
 * and large orders the second rule tags "High Priority".
 */
export function demoOrder(kind: Kind, n: number, at: Date): DemoOrder {
  const rnd = seededRandom(n * 31 + KINDS.indexOf(kind) * 7919 + 1)
  const count = 1 + Math.floor(rnd() * 3)
  const lines: DemoLine[] = []
  for (let i = 0; i < count; i++) {
    const c = catalogue[Math.floor(rnd() * catalogue.length)]
    if (lines.some((l) => l.sku === c.sku)) continue
    lines.push({ sku: c.sku, title: c.title, quantity: 1 + Math.floor(rnd() * 2), price: c.price })
  }
  let status = kind === "amazon" ? "UNSHIPPED" : kind === "ebay" ? "PAID" : "SHIPPING"
  if (n === 3 && kind === "amazon") lines.splice(0, lines.length, { ...TUTORIAL_SKU, quantity: 5 })
  else if (n % 11 === 6) lines.push({ ...TUTORIAL_SKU, quantity: 6 })
  if (n === 5 && kind === "ebay") lines[0] = { ...lines[0], sku: "DISCONTINUED-MUG", title: "Discontinued mug" }
  if (n === 2 && kind === "amazon") status = "PENDING"
  if (n === 4 && kind === "ebay") status = "PENDING"
  if (kind === "mirakl" && n % 5 === 1) status = "WAITING_ACCEPTANCE"
  const created = new Date(at.getTime() - 20 * MINUTE)
  return { kind, n, created, updated: at, lines, status, buyer: BUYERS[Math.floor(rnd() * BUYERS.length)] }
}

/** Every order the marketplaces hold at `now`, for a demo that started at `epoch`. */
export function orderBook(epoch: Date, now: Date): DemoOrder[] {
  const out: DemoOrder[] = []
  const counters: Record<Kind, number> = { amazon: 0, ebay: 0, mirakl: 0 }
  // History: HISTORY orders per marketplace over the two days before the demo's first start.
  for (let i = 0; i < HISTORY; i++) {
    for (const kind of KINDS) {
      const at = new Date(epoch.getTime() - (HISTORY - i) * 4 * HOUR + KINDS.indexOf(kind) * 7 * MINUTE)
      out.push(demoOrder(kind, ++counters[kind], at))
    }
  }
  // Then one order per tick, the marketplaces taking turns.
  const ticks = Math.floor((now.getTime() - epoch.getTime()) / TICK_MS)
  for (let t = 1; t <= ticks; t++) {
    const kind = KINDS[t % 3]
    const n = ++counters[kind]
    const at = new Date(epoch.getTime() + t * TICK_MS)
    if (now.getTime() - at.getTime() <= REPLAY_MS) out.push(demoOrder(kind, n, at))
  }
  return out
}

/** External ids, so the demo test can look the orders up. */
export function externalId(o: Pick<DemoOrder, "kind" | "n">): string {
  if (o.kind === "amazon") return `302-${String(4_200_000 + o.n).padStart(7, "0")}-${String((o.n * 7919) % 10_000_000).padStart(7, "0")}`
  if (o.kind === "ebay") return `12-${String(40_000 + o.n).padStart(5, "0")}-${String(70_000 + o.n * 13).slice(-5)}`
  return `DEMO-${String(o.n).padStart(5, "0")}-A`
}

export class DemoMarketplaces {
  amazon!: AmazonSimulator
  ebay!: EbaySimulator
  mirakl!: MiraklSimulator
  private added = new Set<string>()
  private timer?: NodeJS.Timeout

  constructor(private readonly epoch: Date) {}

  async start() {
    this.amazon = await new AmazonSimulator({}).start()
    this.ebay = await new EbaySimulator({
      clientId: EBAY_CREDENTIALS.client_id,
      clientSecret: EBAY_CREDENTIALS.client_secret,
      refreshTokens: [EBAY_CREDENTIALS.refresh_token],
    }).start()
    this.mirakl = new MiraklSimulator({ apiKey: MIRAKL_API_KEY })
    await this.mirakl.start()
    this.catchUp()
    // New orders keep coming while the demo runs.
    this.timer = setInterval(() => this.catchUp(), Math.min(TICK_MS, MINUTE))
    this.timer.unref()
    return this.describe()
  }

  /** Adds every order of the book not yet on its marketplace. */
  catchUp(now = new Date()) {
    const fresh = orderBook(this.epoch, now).filter((o) => !this.added.has(`${o.kind}:${o.n}`))
    for (const o of fresh) {
      this.add(o)
      this.added.add(`${o.kind}:${o.n}`)
    }
    return fresh.length
  }

  private add(o: DemoOrder) {
    const [first, last, street, city, zip] = o.buyer
    const id = externalId(o)
    if (o.kind === "amazon") {
      this.amazon.addOrders(
        makeAmazonOrder({
          id,
          marketplaceId: AMAZON_DE,
          status: o.status as any,
          createdTime: o.created,
          lastUpdatedTime: o.updated,
          buyerName: `${first} ${last}`,
          address: { name: `${first} ${last}`, addressLine1: street, city, postalCode: zip, countryCode: "DE" },
          items: o.lines.map((l) => ({ sku: l.sku, title: l.title, quantity: l.quantity, unitPrice: l.price, tax: 0, shipping: 0 })),
        })
      )
    } else if (o.kind === "ebay") {
      this.ebay.addOrders(
        makeEbayOrder({
          seq: o.n,
          id,
          currency: "EUR",
          marketplaceId: "EBAY_DE",
          paymentStatus: o.status === "PENDING" ? "PENDING" : "PAID",
          creationDate: o.created.toISOString(),
          lastModifiedDate: o.updated.toISOString(),
          buyer: { fullName: `${first} ${last}`, addressLine1: street, city, postalCode: zip, stateOrProvince: undefined, countryCode: "DE" },
          lineItems: o.lines.map((l, i) => ({ sku: l.sku, title: l.title, quantity: l.quantity, unitPrice: l.price, shipping: i === 0 ? 4.9 : 0 })),
        }) as any
      )
    } else {
      this.mirakl.addOrder(
        makeMiraklOrder({
          id,
          state: o.status,
          createdAt: o.created,
          lastUpdated: o.updated,
          currency: "EUR",
          shippingCountry: "DEU",
          shippingCountryName: "Germany",
          firstname: first,
          lastname: last,
          lines: o.lines.map((l) => ({ sku: l.sku, title: l.title, quantity: l.quantity, unitPrice: l.price, taxRate: 19 })),
        })
      )
    }
  }

  /** What the channels need: URLs, the marketplace and the (simulated) credentials. */
  describe() {
    return {
      amazon: {
        settings: { base_url: this.amazon.baseUrl, auth_url: this.amazon.authUrl, marketplace_ids: [AMAZON_DE] },
        credentials: { client_id: SIM_CLIENT_ID, client_secret: SIM_CLIENT_SECRET, refresh_token: SIM_REFRESH_TOKEN },
      },
      ebay: { settings: { base_url: this.ebay.url, auth_url: this.ebay.authUrl, marketplace_id: "EBAY_DE" }, credentials: EBAY_CREDENTIALS },
      mirakl: { settings: { base_url: this.mirakl.url }, credentials: { api_key: MIRAKL_API_KEY } },
    }
  }

  /** Shipment confirmations each marketplace accepted, by external order id (for the demo test). */
  shipments() {
    const ok = (s: number | undefined) => s !== undefined && s >= 200 && s < 300
    const out: Record<Kind, string[]> = { amazon: [], ebay: [], mirakl: [] }
    for (const r of this.amazon.requestsFor("confirmShipment")) {
      const m = /\/orders\/v0\/orders\/([^/]+)\/shipmentConfirmation$/.exec(r.path)
      if (m && ok(r.status)) out.amazon.push(decodeURIComponent(m[1]))
    }
    const ebayStatus = new Map(this.ebay.responses.map((r) => [r.seq, r.status]))
    for (const r of this.ebay.requestsFor("createShippingFulfillment")) {
      const m = /\/order\/([^/]+)\/shipping_fulfillment$/.exec(r.path)
      if (m && ok(ebayStatus.get(r.seq))) out.ebay.push(decodeURIComponent(m[1]))
    }
    for (const r of this.mirakl.requestsFor("OR24")) {
      const m = /\/orders\/([^/]+)\/ship$/.exec(r.path)
      if (m && ok(r.response?.status)) out.mirakl.push(decodeURIComponent(m[1]))
    }
    return out
  }

  async stop() {
    if (this.timer) clearInterval(this.timer)
    await Promise.all([this.amazon?.stop(), this.ebay?.stop(), this.mirakl?.stop()])
  }
}
