import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { CHANNEL_MODULE } from "../../src/modules/channel"
import { seedStore, type SeededStore } from "../../src/scripts/seed-store"
import { AMAZON_RATE_LIMITS } from "../../src/providers/amazon/client"
import {
  AmazonSimulator,
  makeOrder,
  SIM_CLIENT_ID,
  SIM_CLIENT_SECRET,
  SIM_REFRESH_TOKEN,
  type Fault,
  type MakeOrderInput,
  type RecordedRequest,
} from "../simulators/amazon"
import { SPECS, validateRequest } from "../simulators/openapi"
import { adminHeaders } from "../helpers/admin"
import {
  adminOrder,
  channelOrders,
  counts,
  createChannel,
  enableAndImport,
  expectEachImportedOnce,
  medusaOrdersOf,
  minimumSeconds,
  overLimit,
  patchProviderOptions,
  providerOptions,
  regionFor,
  reservationsByLine,
  runImport,
  stockSnapshot,
  SuiteMetrics,
  timedImport,
  useRateLimitMultiplier,
  variantBySku,
  wellStockedSkus,
  type Auth, currentAdjustments } from "../helpers/marketplace"

/**
 * Amazon SP-API end to end: the local SP-API simulator (LWA, Orders API 2026-01-01 searchOrders,
 * Orders v0 confirmShipment) → the Amazon provider → the import pipeline → Medusa orders, on a real
 * Medusa app and PostgreSQL. Amazon's published usage plans run 1000× faster (both sides).
 */
const MULTIPLIER = useRateLimitMultiplier(1000)
const SEARCH_LIMIT = { rate: AMAZON_RATE_LIMITS.searchOrders.rate * MULTIPLIER, burst: AMAZON_RATE_LIMITS.searchOrders.burst }
const MARKETPLACE = "ATVPDKIKX0DER"
/** The refresh token the seller issues when re-authorizing the app after revoking it. */
const REAUTH_TOKEN = "Atzr|IwEBIsimulator-reauthorized-9876543210"
const MIN = 60_000
const CREDENTIALS = { client_id: SIM_CLIENT_ID, client_secret: SIM_CLIENT_SECRET, refresh_token: SIM_REFRESH_TOKEN }

jest.setTimeout(240_000)

const round2 = (n: number) => Math.round(n * 100) / 100
/** Equal to the cent-fraction, whatever float noise either side carries. */
const same = (a: unknown, b: number) => Math.abs(Number(a) - b) < 1e-6

/** What the test asked the marketplace for, kept as the oracle of the mapping checks. */
type LineSpec = { sku: string; qty: number; unit: number; tax: number; discount: number; shipping: number; shippingDiscount: number }
type OrderSpec = { id: string; afn: boolean; service: string; buyerName: string; email: string | null; city: string; state: string; zip: string; lines: LineSpec[] }

const NAMES = ["Jane Doe", "Omar Haddad", "Li Wei", "Carlos García", "Anna Kowalska", "Jane van der Berg", "Kofi Mensah", "Maria Rossi"]
const CITIES = [
  ["Seattle", "WA", "98101"],
  ["Austin", "TX", "78701"],
  ["Portland", "OR", "97201"],
  ["Denver", "CO", "80202"],
]
const SERVICES = ["STANDARD", "EXPEDITED", "STANDARD", "NEXT_DAY", "FREE_ECONOMY"]

function buildOrders(
  count: number,
  skus: string[],
  opts: { afnEvery?: number; now: number; seed?: number; updatedAt?: (i: number) => number }
): { specs: OrderSpec[]; orders: ReturnType<typeof makeOrder>[] } {
  const specs: OrderSpec[] = []
  const orders: ReturnType<typeof makeOrder>[] = []
  const seed = opts.seed ?? 0
  for (let i = 0; i < count; i++) {
    const k = i + seed
    const afn = !!opts.afnEvery && i % opts.afnEvery === opts.afnEvery - 1
    const service = SERVICES[k % SERVICES.length]
    const lineCount = k % 3 === 0 ? 2 : 1
    const lines: LineSpec[] = Array.from({ length: lineCount }, (_, j) => {
      const qty = 1 + ((k + j) % 3)
      const unit = round2(10 + ((k * 13 + j * 7) % 50) + 0.99)
      return {
        sku: skus[(k * 7 + j * 3) % skus.length],
        qty,
        unit,
        tax: round2(unit * qty * 0.08),
        discount: j === 0 && k % 5 === 0 ? 2 * qty : 0,
        shipping: j === 0 ? (service === "STANDARD" || service === "FREE_ECONOMY" ? 4.99 : 9.99) : 0,
        shippingDiscount: j === 0 && k % 20 === 0 ? 1 : 0,
      }
    })
    const [city, state, zip] = CITIES[k % CITIES.length]
    const buyerName = NAMES[k % NAMES.length]
    const updated = opts.updatedAt ? opts.updatedAt(i) : opts.now - 10 * MIN - i * 3 * MIN
    const input: MakeOrderInput = {
      status: afn ? "SHIPPED" : "UNSHIPPED",
      afn,
      marketplaceId: MARKETPLACE,
      createdTime: new Date(updated - 60 * MIN),
      lastUpdatedTime: new Date(updated),
      serviceLevel: service,
      buyerName,
      buyerEmail: `buyer${k}@marketplace.amazon.com`,
      programs: k % 4 === 0 ? ["PRIME"] : [],
      address: { addressLine1: `${100 + k} Pine Street`, city, stateOrRegion: state, postalCode: zip },
      items: lines.map((l) => ({ sku: l.sku, title: `Seeded ${l.sku}`, quantity: l.qty, unitPrice: l.unit, tax: l.tax, discount: l.discount, shipping: l.shipping, shippingDiscount: l.shippingDiscount })),
    }
    const order = makeOrder(input)
    orders.push(order)
    specs.push({ id: order.orderId, afn, service, buyerName, email: afn ? null : `buyer${k}@marketplace.amazon.com`, city, state, zip, lines })
  }
  return { specs, orders }
}

/** Calls `fn` when the n-th request matching `match` arrives, before the simulator answers it. */
function onRequest(sim: AmazonSimulator, match: (r: RecordedRequest) => boolean, n: number, fn: () => void) {
  let seen = 0
  const push = sim.requests.push.bind(sim.requests)
  sim.requests.push = (...items: RecordedRequest[]) => {
    for (const r of items) if (match(r) && ++seen === n) fn()
    return push(...items)
  }
}

const search = (r: RecordedRequest) => r.operation === "searchOrders"

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let usRegion: string
    let auth: Auth
    let sim: AmazonSimulator
    const metrics = new SuiteMetrics("amazon")

    beforeAll(async () => {
      store = await seedStore(getContainer(), { withAdmin: true })
      usRegion = await regionFor(getContainer(), "usd")
    })

    beforeEach(async () => {
      auth = await adminHeaders(api, getContainer())
      sim = await new AmazonSimulator({ rateLimitMultiplier: MULTIPLIER, refreshTokens: [SIM_REFRESH_TOKEN, REAUTH_TOKEN] }).start()
    })

    afterEach(async () => {
      const name = expect.getState().currentTestName ?? "?"
      metrics.addRequests(sim.requests.length, name)
      try {
        // Every JSON body the simulator sent in the test matches the official models.
        expect(sim.specViolations).toEqual([])
        expect(sim.validated.length).toBeGreaterThan(0)
      } finally {
        await sim.stop()
      }
    })

    afterAll(() => {
      metrics.report()
    })

    const newChannel = async (extra: Record<string, unknown> = {}) =>
      createChannel(api, auth, {
        name: "Amazon US",
        provider: "amazon",
        enabled: false,
        credentials: CREDENTIALS,
        settings: {
          sales_channel_id: store.sales_channel_id,
          region_id: usRegion,
          stock_location_id: store.stock_location_id,
          shipping_mapping: { STANDARD: store.shipping_options.standard, EXPEDITED: store.shipping_options.express, NEXT_DAY: store.shipping_options.express },
          default_shipping_option_id: store.shipping_options.standard,
          lookback_hours: 24,
          marketplace_ids: [MARKETPLACE],
          seller_id: "A2SIMSELLER01",
          base_url: sim.baseUrl,
          auth_url: sim.authUrl,
          ...extra,
        },
      })

    it("the rate multiplier reached the provider, and the channel starts with the merchant-fulfilled default rules", async () => {
      expect(providerOptions(getContainer(), "amazon").rate_limit_multiplier).toBe(MULTIPLIER)
      const channel = await newChannel()
      const { data } = await api.get(`/admin/channels/${channel.id}/status-rules`, auth)
      const rule = (s: string) => data.status_rules.find((r: any) => r.external_status === s)
      expect(rule("UNSHIPPED")).toMatchObject({ action: "import_as_valid" })
      expect(rule("SHIPPED")).toMatchObject({ action: "import_as_history" })
      expect(rule("PENDING")).toMatchObject({ action: "do_not_import", retry: true })
      expect(rule("CANCELLED")).toMatchObject({ action: "do_not_import", retry: false })
      // Something must have been validated for afterEach: a connection check is the cheapest call.
      const check = await api.post(`/admin/channels/${channel.id}/test-connection`, {}, auth)
      expect(check.data).toMatchObject({ ok: true })
      expect(JSON.stringify(check.data)).not.toContain(SIM_CLIENT_SECRET)
    })

    it("a channel can be enabled and its settings changed without sending the credentials again", async () => {
      // Regression (update-channel validated updates against empty credentials, so the Amazon provider
      // refused any update that did not resend them; fixed in 77826aa).
      const channel = await newChannel()
      expect((await api.post(`/admin/channels/${channel.id}/test-connection`, {}, auth)).data).toMatchObject({ ok: true })
      const enabled = await api.post(`/admin/channels/${channel.id}`, { enabled: true }, auth).catch((e: any) => e.response)
      expect([enabled.status, enabled.data?.message]).toEqual([200, undefined])
      const changed = await api.post(`/admin/channels/${channel.id}`, { settings: { lookback_hours: 48 } }, auth).catch((e: any) => e.response)
      expect([changed.status, changed.data?.message]).toEqual([200, undefined])
      expect(changed.data.channel.settings.lookback_hours).toBe(48)
      // The stored credentials were kept and still work.
      expect((await api.post(`/admin/channels/${channel.id}/test-connection`, {}, auth)).data).toMatchObject({ ok: true })
    })

    it("calls faster than searchOrders' rate are paced by the shared PostgreSQL limiter: no 429, none over the limit, one LWA token", async () => {
      sim.addOrders(buildOrders(5, wellStockedSkus(store), { now: Date.now() }).orders)
      const channel = await newChannel()
      const { provider, ctx } = await (getContainer().resolve(CHANNEL_MODULE) as any).getChannelContext(channel.id)
      const window = { updated_after: new Date(Date.now() - 3600_000).toISOString(), updated_before: new Date(Date.now() - 5 * MIN).toISOString() }
      // Twice the burst, back to back: the second half must wait for the bucket to refill.
      const calls = 2 * SEARCH_LIMIT.burst
      const started = Date.now()
      for (let i = 0; i < calls; i++) expect((await provider.listOrders(ctx, window)).orders).toHaveLength(5)
      const seconds = (Date.now() - started) / 1000
      metrics.data.pacing = { calls, seconds: Math.round(seconds * 100) / 100, token_bucket_minimum_s: Math.round(minimumSeconds(calls, SEARCH_LIMIT) * 100) / 100 }

      const searches = sim.requestsFor("searchOrders")
      expect(searches).toHaveLength(calls)
      expect(sim.requests.filter((r) => r.status === 429)).toEqual([])
      expect(overLimit(searches.map((r) => r.time), SEARCH_LIMIT, 100)).toEqual([])
      expect(seconds).toBeGreaterThanOrEqual(minimumSeconds(calls, SEARCH_LIMIT) - 0.3)
      expect(sim.lwaExchanges()).toBe(1)
      expect(new Set(searches.map((r) => r.accessToken)).size).toBe(1)
    })

    it("pulls 250 orders over 3 pages into Medusa with every field mapped and AFN orders as history, on one LWA token and within the rate limit", async () => {
      const container = getContainer()
      const skus = wellStockedSkus(store)
      const { specs, orders } = buildOrders(250, skus, { afnEvery: 10, now: Date.now() })
      sim.addOrders(orders)
      const channel = await newChannel()
      const stockBefore = await stockSnapshot(container, store, skus)

      const { run, ms } = await timedImport(api, auth, channel.id, true)
      expect(counts(run)).toMatchObject({ status: "succeeded", pages: 3, fetched: 250, imported: 250, failed: 0, waiting: 0, skipped: 0 })
      metrics.pull(250, ms, { pages: run.pages, marketplace_requests: sim.requests.length })

      // ---- the request pattern Amazon saw: the LWA exchange, one restricted data token for the
      // buyer and address data, and three pages
      expect(sim.requests.map((r) => r.operation)).toEqual(["lwaToken", "createRestrictedDataToken", "searchOrders", "searchOrders", "searchOrders"])
      const pulls = sim.requestsFor("searchOrders")
      expect(sim.requests.filter((r) => r.status === 429)).toEqual([])
      expect(overLimit(pulls.map((r) => r.time), SEARCH_LIMIT, 100)).toEqual([])
      // One LWA exchange and one RDT for the whole pull; every page carried that RDT.
      expect(sim.lwaExchanges()).toBe(1)
      expect(sim.restrictedDataTokens()).toHaveLength(1)
      expect(new Set(pulls.map((r) => r.accessToken))).toEqual(new Set(sim.restrictedDataTokens()))
      const q = pulls[0].query
      expect(q.marketplaceIds).toEqual([MARKETPLACE])
      expect(q.maxResultsPerPage).toEqual(["100"])
      expect(q.includedData[0].split(",")).toEqual(expect.arrayContaining(["BUYER", "RECIPIENT", "PROCEEDS", "FULFILLMENT", "PROMOTION"]))
      // The upper bound sits at least two minutes in the past, and later pages repeat it exactly.
      expect(Date.parse(q.lastUpdatedBefore[0])).toBeLessThanOrEqual(pulls[0].time - 2 * MIN)
      expect(pulls[0].query.paginationToken).toBeUndefined()
      expect(pulls[1].query.paginationToken).toHaveLength(1)
      expect(pulls[2].query.lastUpdatedBefore).toEqual(q.lastUpdatedBefore)

      // ---- what landed in Medusa
      const byExternal = await medusaOrdersOf(container, channel.id)
      expect(byExternal.size).toBe(250)
      const problems: string[] = []
      const check = (cond: boolean, what: string) => {
        if (!cond) problems.push(what)
      }
      const reservedBySku: Record<string, number> = {}
      const allLineIds: string[] = []
      const expectedReserved = new Map<string, number>()
      for (const spec of specs) {
        const found = byExternal.get(spec.id) ?? []
        check(found.length === 1, `${spec.id}: ${found.length} orders`)
        const o = found[0]
        if (!o) continue
        const raw = sim.order(spec.id)!
        const tag = `${spec.id}${spec.afn ? " (AFN)" : ""}`
        check(o.currency_code === "usd", `${tag} currency ${o.currency_code}`)
        check(o.region_id === usRegion, `${tag} region`)
        check(o.sales_channel_id === store.sales_channel_id, `${tag} sales channel`)
        check(o.status === (spec.afn ? "completed" : "pending"), `${tag} status ${o.status}`)
        check(o.metadata.external_status === (spec.afn ? "SHIPPED" : "UNSHIPPED"), `${tag} external_status`)
        check(o.metadata.fulfilled_by_marketplace === spec.afn, `${tag} fulfilled_by_marketplace`)
        // Buyer: e-mail kept (policy "keep"); AFN orders carry none, so they get a non-deliverable one.
        if (spec.afn) check(o.email === `amazon-us-${spec.id}@marketplace.invalid`, `${tag} email ${o.email}`)
        else check(o.email === spec.email, `${tag} email ${o.email}`)
        const [first, ...rest] = spec.buyerName.split(" ")
        const a = o.shipping_address ?? {}
        check(a.first_name === first && a.last_name === rest.join(" "), `${tag} names ${a.first_name}|${a.last_name}`)
        check(a.address_1 === raw.recipient!.deliveryAddress!.addressLine1, `${tag} address_1`)
        check(a.city === spec.city && a.province === `us-${spec.state.toLowerCase()}` && a.postal_code === spec.zip, `${tag} city/province/zip`)
        check(a.country_code === "us", `${tag} country ${a.country_code}`)
        check((a.phone ?? null) === (spec.afn ? null : "+1 206-555-0100"), `${tag} phone ${a.phone}`)
        // Amazon gives no billing address: the shipping one stands in.
        const b = o.billing_address ?? {}
        check(b.address_1 === a.address_1 && b.country_code === "us" && b.last_name === a.last_name, `${tag} billing address`)
        // Lines: SKU → seeded variant, quantity, net unit price; Amazon's own figures in metadata.
        check(o.items.length === spec.lines.length, `${tag} ${o.items.length} lines`)
        for (const [j, line] of spec.lines.entries()) {
          const rawItem = raw.orderItems[j]
          const item = o.items.find((it: any) => it.metadata?.external_item_id === rawItem.orderItemId)
          if (!item) {
            problems.push(`${tag} line ${rawItem.orderItemId} missing`)
            continue
          }
          allLineIds.push(item.id)
          const v = variantBySku(store, line.sku)
          check(item.variant_id === v.id && item.variant_sku === line.sku && item.product_id === v.product_id, `${tag} ${line.sku} variant`)
          check(item.quantity === line.qty, `${tag} ${line.sku} qty ${item.quantity}`)
          // The marketplace's unit price, unrounded; its discount is an adjustment, not folded into the price.
          check(same(item.unit_price, line.unit), `${tag} ${line.sku} unit_price ${item.unit_price}`)
          const adjusted = round2(currentAdjustments(o, item.adjustments).reduce((s: number, a: any) => s + Number(a.amount), 0))
          check(same(adjusted, line.discount), `${tag} ${line.sku} discount adjustments ${adjusted} ≠ ${line.discount}`)
          check(item.is_tax_inclusive === false, `${tag} tax inclusive`)
          check(same(item.metadata.marketplace_unit_price, line.unit), `${tag} marketplace_unit_price ${item.metadata.marketplace_unit_price}`)
          check(same(item.metadata.marketplace_tax_total, line.tax), `${tag} marketplace_tax_total ${item.metadata.marketplace_tax_total} ≠ ${line.tax}`)
          check(same(item.metadata.marketplace_discount_total, line.discount), `${tag} marketplace_discount_total ${item.metadata.marketplace_discount_total}`)
          check(item.metadata.marketplace_product_id === rawItem.product!.asin, `${tag} asin`)
          if (!spec.afn) {
            reservedBySku[line.sku] = (reservedBySku[line.sku] ?? 0) + line.qty
            expectedReserved.set(item.id, line.qty)
          }
        }
        // Shipping: the service level's mapped option (FREE_ECONOMY has none: the default), net amount.
        const sm = o.shipping_methods ?? []
        const option = { STANDARD: store.shipping_options.standard, FREE_ECONOMY: store.shipping_options.standard }[spec.service] ?? store.shipping_options.express
        // Shipping as charged, before its discount; the discount is the shipping method's adjustment.
        const shipping = round2(spec.lines.reduce((s, l) => s + l.shipping, 0))
        const shippingDiscount = spec.lines.reduce((s, l) => s + l.shippingDiscount, 0)
        check(currentAdjustments(o, sm[0]?.adjustments).length === (shippingDiscount > 0 ? 1 : 0), `${tag} shipping discount adjustment`)
        check(sm.length === 1 && sm[0].shipping_option_id === option, `${tag} shipping option`)
        check(same(sm[0]?.amount, shipping), `${tag} shipping amount ${sm[0]?.amount} ≠ ${shipping}`)
        check(sm[0]?.data?.marketplace_service_code === spec.service, `${tag} service code`)
      }
      expect(problems).toEqual([])

      // Stock: merchant-fulfilled lines are reserved, AFN history touched nothing, nothing shipped.
      const reservations = await reservationsByLine(container, allLineIds)
      expect(Object.fromEntries(reservations)).toEqual(Object.fromEntries(expectedReserved))
      const stockAfter = await stockSnapshot(container, store, skus)
      for (const sku of skus) {
        expect({ sku, ...stockAfter[sku] }).toEqual({ sku, stocked: stockBefore[sku].stocked, reserved: stockBefore[sku].reserved + (reservedBySku[sku] ?? 0) })
      }

      // Medusa's own statuses, through its admin API, for one order of each kind.
      const afn = specs.find((s) => s.afn)!
      const mfn = specs.find((s) => !s.afn && s.lines.length === 2)!
      const afnOrder = await adminOrder(api, auth, byExternal.get(afn.id)![0].id)
      expect(afnOrder).toMatchObject({ status: "completed", payment_status: "captured", fulfillment_status: "shipped" })
      expect(afnOrder.fulfillments).toHaveLength(1)
      const mfnOrder = await adminOrder(api, auth, byExternal.get(mfn.id)![0].id)
      expect(mfnOrder).toMatchObject({ status: "pending", payment_status: "captured", fulfillment_status: "not_fulfilled", currency_code: "usd" })

      const cos = await channelOrders(api, auth, channel.id)
      expect(cos.map((c) => c.state).every((s) => s === "imported")).toBe(true)
      expect(cos.filter((c) => c.action === "import_as_history").length).toBe(specs.filter((s) => s.afn).length)
    })

    it("a shipment confirmation through the module sends a confirmShipment body that matches ordersV0", async () => {
      const container = getContainer()
      const { specs, orders } = buildOrders(3, wellStockedSkus(store), { now: Date.now() })
      sim.addOrders(orders)
      const channel = await newChannel()
      expect(await enableAndImport(api, auth, channel.id)).toMatchObject({ status: "succeeded", imported: 3 })

      const spec = specs.find((s) => s.lines.length === 2)!
      const [order] = (await medusaOrdersOf(container, channel.id)).get(spec.id)!
      const channels: any = container.resolve(CHANNEL_MODULE)
      const [co] = await channels.listChannelOrders({ channel_id: channel.id, external_id: spec.id }, { select: ["id", "raw"] })
      const { provider, ctx } = await channels.getChannelContext(channel.id)
      const shippedAt = new Date(Date.now() - 5 * MIN).toISOString()
      const result = await provider.confirmShipment(ctx, {
        external_order_id: spec.id,
        items: order.items.map((i: any) => ({ external_item_id: i.metadata.external_item_id, quantity: i.quantity })),
        carrier_code: "UPS",
        shipping_method: "UPS Ground",
        tracking_numbers: ["1Z999AA10123456784"],
        shipped_at: shippedAt,
        raw_order: co.raw,
      })
      expect(result.state).toBe("sent")

      const [req] = sim.requestsFor("confirmShipment")
      expect(req).toMatchObject({ method: "POST", path: `/orders/v0/orders/${spec.id}/shipmentConfirmation`, status: 204 })
      const body = JSON.parse(req.body)
      const valid = validateRequest(SPECS.amazonOrdersV0, "confirmShipment", body)
      expect(valid.errors).toBe("")
      expect(valid.valid).toBe(true)
      expect(body).toEqual({
        marketplaceId: MARKETPLACE,
        packageDetail: {
          packageReferenceId: expect.stringMatching(/^[1-9]\d*$/),
          carrierCode: "UPS",
          shippingMethod: "UPS Ground",
          trackingNumber: "1Z999AA10123456784",
          shipDate: shippedAt,
          orderItems: expect.arrayContaining(sim.order(spec.id)!.orderItems.map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantityOrdered }))),
        },
      })
      expect(body.packageDetail.orderItems).toHaveLength(2)
      // Shipment confirmation needs no buyer data: it carries the LWA token, never the RDT.
      expect(req.accessToken).toBe(sim.requestsFor("createRestrictedDataToken")[0].accessToken)
      expect(sim.restrictedDataTokens()).not.toContain(req.accessToken)
      expect(sim.order(spec.id)!.fulfillment!.fulfillmentStatus).toBe("SHIPPED")
    })

    describe("recovers from injected faults with nothing lost and nothing doubled", () => {
      /**
       * Two pages (Amazon's page size is a fixed 100), the fault striking page 2. To keep the suite
       * fast most of page 1 is PENDING (staged and left waiting, no Medusa order): page 1 holds the
       * 95 PENDING orders and 5 importable ones, page 2 the 10 newest importable ones.
       */
      const setup = async () => {
        const now = Date.now()
        const { specs, orders } = buildOrders(15, wellStockedSkus(store), {
          now,
          seed: 1000,
          // 0..9 newest (page 2); 10..14 among the pending ones (page 1).
          updatedAt: (i) => (i < 10 ? now - 10 * MIN - i * MIN : now - 3 * 3600_000 - (i - 10) * 17 * MIN),
        })
        const pending = Array.from({ length: 95 }, (_, i) =>
          makeOrder({ status: "PENDING", marketplaceId: MARKETPLACE, lastUpdatedTime: new Date(now - 2 * 3600_000 - i * 2 * MIN), createdTime: new Date(now - 10 * 3600_000) })
        )
        sim.addOrders(orders, pending)
        const channel = await newChannel()
        return { ids: specs.map((s) => s.id), pending: { state: "waiting", ids: pending.map((o) => o.orderId) }, channel }
      }
      const onPage2 = (fn: () => void) => onRequest(sim, search, 2, fn)
      const inject = (fault: Fault) => onPage2(() => sim.injectFault({ operation: "searchOrders", ...fault }))

      it("5xx on every attempt at page 2: the run fails after page 1, the rerun resumes at page 2", async () => {
        const { ids, pending, channel } = await setup()
        inject({ kind: "server_error", status: 503, count: 4 })
        const first = await enableAndImport(api, auth, channel.id)
        expect(counts(first)).toMatchObject({ status: "failed", pages: 1, fetched: 100, imported: 5, waiting: 95 })
        expect(first.error).toMatch(/503/)
        expect(sim.requestsFor("searchOrders").filter((r) => r.status === 503)).toHaveLength(4)
        const second = await runImport(api, auth, channel.id)
        expect(counts(second)).toMatchObject({ status: "succeeded", pages: 1, fetched: 10, imported: 10, failed: 0 })
        // The rerun asked for page 2 with the token page 1 returned, not for the window again.
        const resumed = sim.requestsFor("searchOrders").at(-1)!
        expect(resumed.query.paginationToken).toEqual(sim.requestsFor("searchOrders")[1].query.paginationToken)
        await expectEachImportedOnce(api, auth, getContainer(), channel.id, ids, pending)
        expect(sim.lwaExchanges()).toBe(1)
      })

      it("a timeout at page 2 is retried within the run", async () => {
        const { ids, pending, channel } = await setup()
        const restore = patchProviderOptions(getContainer(), "amazon", { timeout_ms: 2_000 })
        try {
          inject({ kind: "timeout", holdMs: 8_000 })
          const run = await enableAndImport(api, auth, channel.id)
          expect(counts(run)).toMatchObject({ status: "succeeded", pages: 2, fetched: 110, imported: 15, waiting: 95, failed: 0 })
        } finally {
          restore()
        }
        expect(sim.requestsFor("searchOrders").filter((r) => r.fault === "timeout")).toHaveLength(1)
        expect(sim.requestsFor("searchOrders")).toHaveLength(3)
        await expectEachImportedOnce(api, auth, getContainer(), channel.id, ids, pending)
        // A rerun finds nothing new.
        expect(await runImport(api, auth, channel.id)).toMatchObject({ status: "succeeded", imported: 0 })
        await expectEachImportedOnce(api, auth, getContainer(), channel.id, ids, pending)
      })

      it("malformed bodies at page 2 are retried within the run", async () => {
        const { ids, pending, channel } = await setup()
        inject({ kind: "malformed", count: 2 })
        const run = await enableAndImport(api, auth, channel.id)
        expect(counts(run)).toMatchObject({ status: "succeeded", pages: 2, fetched: 110, imported: 15, waiting: 95 })
        expect(sim.requestsFor("searchOrders").filter((r) => r.fault === "malformed")).toHaveLength(2)
        await expectEachImportedOnce(api, auth, getContainer(), channel.id, ids, pending)
      })

      it("an access token that expires at page 2 is refreshed once and the run goes on", async () => {
        const { ids, pending, channel } = await setup()
        inject({ kind: "expired_token" })
        const run = await enableAndImport(api, auth, channel.id)
        expect(counts(run)).toMatchObject({ status: "succeeded", pages: 2, fetched: 110, imported: 15, waiting: 95 })
        const searches = sim.requestsFor("searchOrders")
        expect(searches.map((r) => r.status)).toEqual([200, 403, 200])
        // Exactly the one renewal the expiry forced: a new restricted data token (the LWA token it
        // was asked with is still valid, so no second LWA exchange).
        expect(sim.lwaExchanges()).toBe(1)
        expect(sim.restrictedDataTokens()).toHaveLength(2)
        expect(searches[2].accessToken).not.toBe(searches[1].accessToken)
        await expectEachImportedOnce(api, auth, getContainer(), channel.id, ids, pending)
      })

      it("a refresh token revoked mid-run fails the run after page 1; after re-authorization the rerun finishes", async () => {
        const { ids, pending, channel } = await setup()
        onPage2(() => sim.revokeRefreshToken(SIM_REFRESH_TOKEN))
        const first = await enableAndImport(api, auth, channel.id)
        expect(counts(first)).toMatchObject({ status: "failed", pages: 1, imported: 5, waiting: 95 })
        expect(first.error).toMatch(/invalid_grant|revoked/)
        expect(first.error).not.toContain(SIM_REFRESH_TOKEN)
        expect(first.error).not.toContain(SIM_CLIENT_SECRET)
        // A refused grant is not hammered: one refresh attempt, no retries of it.
        expect(sim.requestsFor("lwaToken").map((r) => r.status)).toEqual([200, 400])

        await api.post(`/admin/channels/${channel.id}`, { credentials: { client_id: SIM_CLIENT_ID, client_secret: SIM_CLIENT_SECRET, refresh_token: REAUTH_TOKEN } }, auth)
        const second = await runImport(api, auth, channel.id)
        expect(counts(second)).toMatchObject({ status: "succeeded", fetched: 10, imported: 10 })
        await expectEachImportedOnce(api, auth, getContainer(), channel.id, ids, pending)
      })
    })
  },
})
