import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { CHANNEL_MODULE } from "../../src/modules/channel"
import { seedStore, type SeededStore } from "../../src/scripts/seed-store"
import { MIRAKL_RATE_LIMITS } from "../../src/providers/mirakl/client"
import { MiraklSimulator, makeOrder, type MiraklOrderJson, type RecordedRequest } from "../simulators/mirakl"
import { SPECS, validateRequest, validateResponse } from "../simulators/openapi"
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
  reservationsByLine,
  runImport,
  stockSnapshot,
  SuiteMetrics,
  timedImport,
  useRateLimitMultiplier,
  variantBySku,
  wellStockedSkus,
  type Auth,
} from "../helpers/marketplace"

/**
 * Mirakl (MMP seller API) end to end: the local Mirakl simulator (OR11, OR21, OR23, OR24, SH21 with
 * shop API key auth) → the Mirakl provider → the import pipeline → Medusa orders, on a real Medusa
 * app and PostgreSQL. Mirakl's call rates run 60× faster (both sides).
 */
const MULTIPLIER = useRateLimitMultiplier(60)
const OR11_LIMIT = { rate: MIRAKL_RATE_LIMITS.OR11.rate * MULTIPLIER, burst: MIRAKL_RATE_LIMITS.OR11.burst }
const API_KEY = "3f9c2a71-sim-shop-key"
/** The key the shop generates after revoking the old one. */
const NEW_API_KEY = "8d04be55-sim-shop-key-rotated"
const CREDENTIALS = { api_key: API_KEY }
const SHOP_ID = 2001
const OPERATOR_CENTER = "OPERATOR-FC-1"
const MIN = 60_000

jest.setTimeout(240_000)

const round2 = (n: number) => Math.round(n * 100) / 100
const same = (a: unknown, b: number) => Math.abs(Number(a) - b) < 1e-6

/** ISO-3 as Mirakl sends it, ISO-2 as Medusa stores it, and a plausible address. */
const PLACES = [
  { iso3: "FRA", iso2: "fr", city: "Paris", zip: "75011", street: "12 rue des Lilas" },
  { iso3: "DEU", iso2: "de", city: "Berlin", zip: "10115", street: "Invalidenstraße 3" },
  { iso3: "ESP", iso2: "es", city: "Madrid", zip: "28013", street: "Calle Mayor 5" },
  { iso3: "ITA", iso2: "it", city: "Roma", zip: "00186", street: "Via del Corso 21" },
  { iso3: "BEL", iso2: "be", city: "Bruxelles", zip: "1000", street: "Rue Neuve 8" },
]
const FIRST = ["Camille", "Lukas", "Lucía", "Giulia", "Noah", "Léa", "Jan", "Sofia"]
const LAST = ["Martin", "Müller", "García", "Rossi", "Peeters", "Dubois", "de Vries", "Bianchi"]

type LineSpec = { sku: string; qty: number; unit: number; shipping: number; taxRate: number }
type OrderSpec = { id: string; state: string; operator: boolean; service: "STD" | "EXP"; place: (typeof PLACES)[number]; first: string; last: string; lines: LineSpec[] }

function buildOrders(
  count: number,
  skus: string[],
  opts: { now: number; prefix: string; operatorEvery?: number; state?: string; updatedAt?: (i: number) => number; lines?: (i: number) => LineSpec[] }
): { specs: OrderSpec[]; orders: MiraklOrderJson[] } {
  const specs: OrderSpec[] = []
  const orders: MiraklOrderJson[] = []
  for (let i = 0; i < count; i++) {
    const operator = !!opts.operatorEvery && i % opts.operatorEvery === opts.operatorEvery - 1
    // Orders the operator fulfils: half still SHIPPING (the override must apply), half SHIPPED.
    const state = opts.state ?? (operator ? (i % 20 === 19 ? "SHIPPED" : "SHIPPING") : "SHIPPING")
    const service = i % 4 === 1 ? "EXP" : "STD"
    const place = PLACES[i % PLACES.length]
    const lines: LineSpec[] =
      opts.lines?.(i) ??
      Array.from({ length: i % 3 === 0 ? 2 : 1 }, (_, j) => ({
        sku: skus[(i * 3 + j * 11) % skus.length],
        qty: 1 + ((i + j) % 3),
        unit: round2(8 + ((i * 17 + j * 3) % 60) + 0.9),
        shipping: j === 0 ? (service === "EXP" ? 9.9 : 3.9) : 1,
        taxRate: place.iso3 === "DEU" ? 19 : 20,
      }))
    const updated = opts.updatedAt ? opts.updatedAt(i) : opts.now - 10 * MIN - i * 3 * MIN
    const id = `${opts.prefix}${String(i).padStart(5, "0")}-A`
    const first = FIRST[i % FIRST.length]
    const last = LAST[(i >> 1) % LAST.length]
    const order = makeOrder({
      id,
      state,
      createdAt: new Date(updated - 2 * 3600_000 + i * 1000),
      lastUpdated: new Date(updated),
      currency: "EUR",
      shippingCountry: place.iso3,
      billingCountry: PLACES[(i + 1) % PLACES.length].iso3,
      firstname: first,
      lastname: last,
      shippingTypeCode: service,
      shippingTypeLabel: service === "EXP" ? "Express" : "Standard",
      fulfillmentCenter: operator ? OPERATOR_CENTER : "SHOP-WAREHOUSE",
      lines: lines.map((l) => ({ sku: l.sku, quantity: l.qty, unitPrice: l.unit, shippingPrice: l.shipping, taxRate: l.taxRate })),
    })
    Object.assign(order.customer.shipping_address, { street_1: place.street, city: place.city, zip_code: place.zip })
    orders.push(order)
    specs.push({ id, state, operator, service, place, first, last, lines })
  }
  return { specs, orders }
}

/** Calls `fn` when the n-th request matching `match` arrives, before the simulator answers it. */
function onRequest(sim: MiraklSimulator, match: (r: RecordedRequest) => boolean, n: number, fn: () => void) {
  let seen = 0
  const push = sim.requests.push.bind(sim.requests)
  sim.requests.push = (...items: RecordedRequest[]) => {
    for (const r of items) if (match(r) && ++seen === n) fn()
    return push(...items)
  }
}

const or11 = (r: RecordedRequest) => r.operation === "OR11"

/**
 * Every documented JSON answer the simulator gave (OR11, SH21, OR30) validates against the official
 * seller OpenAPI, and so does every request body the provider sent (OR21, OR23); OR24 has no body.
 * Deliberately broken answers (fault injection) are left out. Returns the number of bodies checked.
 */
function specProblems(sim: MiraklSimulator): { checked: number; problems: string[] } {
  const problems: string[] = []
  let checked = 0
  for (const [i, r] of sim.requests.entries()) {
    if (r.operation === "OR21" || r.operation === "OR23" || r.operation === "OR30") {
      const v = validateRequest(SPECS.mirakl, r.operation, r.body)
      checked++
      if (!v.valid) problems.push(`#${i} ${r.operation} request: ${v.errors}`)
    }
    if ((r.operation === "OR24" || r.operation === "OR29") && r.rawBody !== "") problems.push(`#${i} ${r.operation} sent a body`)
    const res = r.response
    if (!res || r.fault) continue
    if (res.status === 200 && (r.operation === "OR11" || r.operation === "SH21" || r.operation === "OR30")) {
      const v = validateResponse(SPECS.mirakl, r.operation, 200, res.body)
      checked++
      if (!v.valid) problems.push(`#${i} ${r.operation} response: ${v.errors}`)
    }
  }
  return { checked, problems }
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let auth: Auth
    let sim: MiraklSimulator
    const metrics = new SuiteMetrics("mirakl")

    beforeAll(async () => {
      store = await seedStore(getContainer(), { withAdmin: true })
    })

    beforeEach(async () => {
      auth = await adminHeaders(api, getContainer())
      sim = new MiraklSimulator({ apiKey: API_KEY, shopId: SHOP_ID, rateLimitMultiplier: MULTIPLIER })
      await sim.start()
    })

    afterEach(async () => {
      metrics.addRequests(sim.requests.length, expect.getState().currentTestName ?? "?")
      try {
        const { checked, problems } = specProblems(sim)
        expect(problems).toEqual([])
        expect(checked).toBeGreaterThan(0)
      } finally {
        await sim.stop()
      }
    })

    afterAll(() => {
      metrics.report()
    })

    const newChannel = async (extra: Record<string, unknown> = {}) =>
      createChannel(api, auth, {
        name: "Mirakl Marketplace EU",
        provider: "mirakl",
        enabled: false,
        credentials: CREDENTIALS,
        settings: {
          sales_channel_id: store.sales_channel_id,
          region_id: store.region_id,
          stock_location_id: store.stock_location_id,
          shipping_mapping: { STD: store.shipping_options.standard, EXP: store.shipping_options.express },
          lookback_hours: 24,
          base_url: sim.url,
          shop_id: SHOP_ID,
          page_size: 50,
          operator_fulfillment_centers: [OPERATOR_CENTER],
          ...extra,
        },
      })

    it("the rate multiplier reached the provider, and the channel starts with Mirakl's default rules and acceptance on", async () => {
      expect(providerOptions(getContainer(), "mirakl").rate_limit_multiplier).toBe(MULTIPLIER)
      const channel = await newChannel()
      expect(channel.settings.accept_orders).toBe(true)
      const { data } = await api.get(`/admin/channels/${channel.id}/status-rules`, auth)
      const rule = (s: string) => data.status_rules.find((r: any) => r.external_status === s)
      expect(rule("SHIPPING")).toMatchObject({ action: "import_as_valid" })
      expect(rule("SHIPPED")).toMatchObject({ action: "import_as_history" })
      expect(rule("WAITING_ACCEPTANCE")).toMatchObject({ action: "do_not_import", retry: true })
      expect(rule("REFUSED")).toMatchObject({ action: "do_not_import", retry: false })
      const check = await api.post(`/admin/channels/${channel.id}/test-connection`, {}, auth)
      expect(check.data).toMatchObject({ ok: true })
      expect(JSON.stringify(check.data)).not.toContain(API_KEY)
      // Mirakl's key goes in the Authorization header as is, with the shop named in the query.
      expect(sim.requests[0].headers.authorization).toBe(API_KEY)
      expect(sim.requests[0].query.shop_id).toBe(String(SHOP_ID))
    })

    it("a channel can be enabled and its settings changed without sending the credentials again", async () => {
      // Regression (update-channel validated updates against empty credentials, so the Mirakl provider
      // refused any update that did not resend them; fixed in 77826aa).
      const channel = await newChannel()
      await api.post(`/admin/channels/${channel.id}/test-connection`, {}, auth) // one call, for the spec check
      const enabled = await api.post(`/admin/channels/${channel.id}`, { enabled: true }, auth).catch((e: any) => e.response)
      expect([enabled.status, enabled.data?.message]).toEqual([200, undefined])
      const changed = await api.post(`/admin/channels/${channel.id}`, { settings: { page_size: 20 } }, auth).catch((e: any) => e.response)
      expect([changed.status, changed.data?.message]).toEqual([200, undefined])
      // The stored credentials were kept and still work.
      expect((await api.post(`/admin/channels/${channel.id}/test-connection`, {}, auth)).data).toMatchObject({ ok: true })
    })

    it("calls faster than OR11's rate are paced by the shared PostgreSQL limiter: no 429, none over the limit", async () => {
      sim.addOrder(buildOrders(1, wellStockedSkus(store), { now: Date.now(), prefix: "PACE_" }).orders[0])
      const channel = await newChannel()
      const { provider, ctx } = await (getContainer().resolve(CHANNEL_MODULE) as any).getChannelContext(channel.id)
      const window = { updated_after: new Date(Date.now() - 3600_000).toISOString(), updated_before: new Date().toISOString() }
      const n = 3 * OR11_LIMIT.burst
      const started = Date.now()
      for (let i = 0; i < n; i++) expect((await provider.listOrders(ctx, window)).orders).toHaveLength(1)
      const seconds = (Date.now() - started) / 1000
      metrics.data.pacing = { calls: n, seconds: Math.round(seconds * 100) / 100, token_bucket_minimum_s: Math.round(minimumSeconds(n, OR11_LIMIT) * 100) / 100 }
      const calls = sim.requestsFor("OR11")
      expect(calls).toHaveLength(n)
      expect(sim.requests.filter((r) => r.response?.status === 429)).toEqual([])
      expect(overLimit(calls.map((r) => r.at), OR11_LIMIT, 50)).toEqual([])
      expect(seconds).toBeGreaterThanOrEqual(minimumSeconds(n, OR11_LIMIT) - 0.2)
    })

    it("pulls 250 orders over 5 pages into Medusa with every field mapped, ISO-3 countries as ISO-2, and operator-fulfilled orders as history", async () => {
      const container = getContainer()
      const skus = wellStockedSkus(store)
      const { specs, orders } = buildOrders(250, skus, { now: Date.now(), prefix: "MKP_", operatorEvery: 10 })
      for (const o of orders) sim.addOrder(o)
      const channel = await newChannel()
      const stockBefore = await stockSnapshot(container, store, skus)

      const { run, ms } = await timedImport(api, auth, channel.id, true)
      expect(counts(run)).toMatchObject({ status: "succeeded", pages: 5, fetched: 250, imported: 250, failed: 0, waiting: 0, skipped: 0 })
      metrics.pull(250, ms, { pages: run.pages, marketplace_requests: sim.requests.length })

      // ---- the request pattern Mirakl saw
      const calls = sim.requestsFor("OR11")
      expect(sim.requests.map((r) => r.operation)).toEqual(["OR11", "OR11", "OR11", "OR11", "OR11"])
      expect(sim.requests.filter((r) => r.response?.status !== 200)).toEqual([])
      expect(overLimit(calls.map((r) => r.at), OR11_LIMIT, 50)).toEqual([])
      expect(calls.every((r) => r.headers.authorization === API_KEY && r.query.shop_id === String(SHOP_ID))).toBe(true)
      expect(calls.map((r) => [r.query.max, r.query.offset])).toEqual([0, 50, 100, 150, 200].map((o) => ["50", String(o)]))
      expect(calls[0].query).toMatchObject({ sort: "dateCreated", order: "asc" })
      expect(calls.every((r) => r.query.start_update_date === calls[0].query.start_update_date && r.query.end_update_date === calls[0].query.end_update_date)).toBe(true)
      expect(calls.map((r) => (r.response!.body as any).total_count)).toEqual([250, 250, 250, 250, 250])

      // ---- what landed in Medusa
      const byExternal = await medusaOrdersOf(container, channel.id)
      expect(byExternal.size).toBe(250)
      const problems: string[] = []
      const check = (cond: boolean, what: string) => {
        if (!cond) problems.push(what)
      }
      const expectedReserved = new Map<string, number>()
      const reservedBySku: Record<string, number> = {}
      const lineIds: string[] = []
      for (const spec of specs) {
        const found = byExternal.get(spec.id) ?? []
        check(found.length === 1, `${spec.id}: ${found.length} orders`)
        const o = found[0]
        if (!o) continue
        const raw = sim.order(spec.id)
        const tag = `${spec.id}${spec.operator ? " (operator-fulfilled)" : ""}`
        check(o.currency_code === "eur" && o.region_id === store.region_id, `${tag} currency/region`)
        check(o.status === (spec.operator ? "completed" : "pending"), `${tag} status ${o.status}`)
        check(o.metadata.fulfilled_by_marketplace === spec.operator, `${tag} fulfilled_by_marketplace`)
        check(o.metadata.external_status === spec.state, `${tag} external_status`)
        // Mirakl shares only its anonymised relay address; the "keep" policy keeps it.
        check(o.email === raw.customer_notification_email && /@notification\.mirakl\.net$/.test(o.email), `${tag} email ${o.email}`)
        const a = o.shipping_address ?? {}
        check(a.first_name === spec.first && a.last_name === spec.last, `${tag} names ${a.first_name}|${a.last_name}`)
        check(a.address_1 === spec.place.street && a.city === spec.place.city && a.postal_code === spec.place.zip, `${tag} street/city/zip`)
        check(a.address_2 === raw.customer.shipping_address.street_2 && a.province === raw.customer.shipping_address.state, `${tag} street_2/state`)
        check(a.country_code === spec.place.iso2, `${tag} country ${a.country_code} ≠ ${spec.place.iso2}`)
        check(a.phone === raw.customer.shipping_address.phone, `${tag} phone ${a.phone}`)
        check(a.company === [raw.customer.shipping_address.company, raw.customer.shipping_address.company_2].filter(Boolean).join(", "), `${tag} company`)
        const b = o.billing_address ?? {}
        const rb = raw.customer.billing_address
        check(b.country_code === PLACES[(specs.indexOf(spec) + 1) % PLACES.length].iso2, `${tag} billing country ${b.country_code}`)
        check(b.address_1 === rb.street_1 && b.city === rb.city && b.postal_code === rb.zip_code && b.last_name === spec.last, `${tag} billing address`)
        check(o.items.length === spec.lines.length, `${tag} ${o.items.length} lines`)
        for (const [j, line] of spec.lines.entries()) {
          const rawLine = raw.order_lines[j]
          const item = o.items.find((it: any) => it.metadata?.external_item_id === rawLine.order_line_id)
          if (!item) {
            problems.push(`${tag} line ${rawLine.order_line_id} missing`)
            continue
          }
          lineIds.push(item.id)
          const v = variantBySku(store, line.sku)
          check(item.variant_id === v.id && item.variant_sku === line.sku, `${tag} ${line.sku} variant`)
          check(item.quantity === line.qty, `${tag} ${line.sku} qty ${item.quantity}`)
          // Mirakl amounts as the API gives them: the line price is net of promotions, tax excluded.
          check(same(item.unit_price, line.unit), `${tag} ${line.sku} unit_price ${item.unit_price} ≠ ${line.unit}`)
          check(same(item.metadata.marketplace_unit_price, line.unit), `${tag} marketplace_unit_price`)
          check(same(item.metadata.marketplace_tax_total, round2((round2(line.unit * line.qty) * line.taxRate) / 100)), `${tag} marketplace_tax_total ${item.metadata.marketplace_tax_total}`)
          check(same(item.metadata.marketplace_discount_total, 0), `${tag} marketplace_discount_total`)
          check(item.metadata.marketplace_product_id === `MKP-${line.sku}`, `${tag} product_sku`)
          if (!spec.operator) {
            expectedReserved.set(item.id, line.qty)
            reservedBySku[line.sku] = (reservedBySku[line.sku] ?? 0) + line.qty
          }
        }
        const sm = o.shipping_methods ?? []
        check(sm.length === 1 && sm[0].shipping_option_id === (spec.service === "EXP" ? store.shipping_options.express : store.shipping_options.standard), `${tag} shipping option`)
        check(same(sm[0]?.amount, round2(spec.lines.reduce((s, l) => s + l.shipping, 0))), `${tag} shipping amount ${sm[0]?.amount}`)
        check(sm[0]?.data?.marketplace_service_code === spec.service, `${tag} service code`)
      }
      expect(problems).toEqual([])

      const reservations = await reservationsByLine(container, lineIds)
      expect(Object.fromEntries(reservations)).toEqual(Object.fromEntries(expectedReserved))
      const stockAfter = await stockSnapshot(container, store, skus)
      for (const sku of skus) {
        expect({ sku, ...stockAfter[sku] }).toEqual({ sku, stocked: stockBefore[sku].stocked, reserved: stockBefore[sku].reserved + (reservedBySku[sku] ?? 0) })
      }

      const operatorShipping = specs.find((s) => s.operator && s.state === "SHIPPING")!
      const own = specs.find((s) => !s.operator && s.lines.length === 2)!
      expect(await adminOrder(api, auth, byExternal.get(operatorShipping.id)![0].id)).toMatchObject({ status: "completed", payment_status: "captured", fulfillment_status: "shipped" })
      expect(await adminOrder(api, auth, byExternal.get(own.id)![0].id)).toMatchObject({ status: "pending", payment_status: "captured", fulfillment_status: "not_fulfilled", currency_code: "eur" })
      const cos = await channelOrders(api, auth, channel.id)
      expect(cos.every((c) => c.state === "imported")).toBe(true)
      // The operator's orders go in as history whatever their status rule says (SHIPPING → import_as_valid).
      expect(cos.filter((c) => c.action === "import_as_history").map((c) => c.external_id).sort()).toEqual(specs.filter((s) => s.operator).map((s) => s.id).sort())
    })

    it("accepts orders waiting for acceptance with OR21 (matched lines accepted, the others refused), then imports them", async () => {
      // The pipeline's acceptance step (decide-channel-orders acceptWaitingOrders, setting
      // accept_orders, on by default): one OR21 per waiting order, once.
      const container = getContainer()
      const skus = wellStockedSkus(store)
      const now = Date.now()
      const UNKNOWN = "MKP-UNKNOWN-SKU-7"
      const shapes: Array<Array<[string, number]>> = [
        [[skus[0], 1]],
        [[skus[1], 2], [skus[2], 1]],
        [[skus[3], 1], [UNKNOWN, 1]],
        [[skus[4], 3]],
      ]
      const waiting = buildOrders(4, skus, {
        now,
        prefix: "WA_",
        state: "WAITING_ACCEPTANCE",
        lines: (i) => shapes[i].map(([sku, qty]) => ({ sku, qty, unit: 19.9, shipping: 2.5, taxRate: 20 })),
      })
      const control = buildOrders(1, skus, { now, prefix: "SH_" })
      for (const o of [...waiting.orders, ...control.orders]) sim.addOrder(o)
      const channel = await newChannel()

      const first = await enableAndImport(api, auth, channel.id)
      expect(first.status).toBe("succeeded")
      const or21 = sim.requestsFor("OR21")
      // One OR21 per waiting order, none for the order already in SHIPPING.
      expect(or21.map((r) => r.path).sort()).toEqual(waiting.specs.map((s) => `/api/orders/${s.id}/accept`).sort())
      expect(or21.every((r) => r.response?.status === 204 && r.headers.authorization === API_KEY)).toBe(true)
      for (const [i, spec] of waiting.specs.entries()) {
        const req = or21.find((r) => r.path === `/api/orders/${spec.id}/accept`)!
        const valid = validateRequest(SPECS.mirakl, "OR21", req.body)
        expect(valid.errors).toBe("")
        const decisions = Object.fromEntries((req.body as any).order_lines.map((l: any) => [l.id, l.accepted]))
        expect(decisions).toEqual(Object.fromEntries(shapes[i].map(([sku], j) => [`${spec.id}-${j + 1}`, sku !== UNKNOWN])))
      }
      // Mirakl moved them on: debited, ready to ship; the unmatched line was refused.
      expect(waiting.specs.map((s) => sim.order(s.id).order_state)).toEqual(["SHIPPING", "SHIPPING", "SHIPPING", "SHIPPING"])
      expect(sim.order(waiting.specs[2].id).order_lines.map((l: any) => l.order_line_state)).toEqual(["SHIPPING", "REFUSED"])

      // The next pull sees them in SHIPPING and imports them (if the first did not already).
      const second = await runImport(api, auth, channel.id)
      expect(second.status).toBe("succeeded")
      const ids = [...waiting.specs, ...control.specs].map((s) => s.id)
      await expectEachImportedOnce(api, auth, container, channel.id, ids)
      expect(sim.requestsFor("OR21")).toHaveLength(4)
      const orders = await medusaOrdersOf(container, channel.id)
      // The refused line is not part of the Medusa order.
      const mixed = orders.get(waiting.specs[2].id)![0]
      expect(mixed.items.map((i: any) => [i.variant_sku, i.quantity])).toEqual([[skus[3], 1]])
      expect(orders.get(waiting.specs[1].id)![0].items.map((i: any) => [i.variant_sku, i.quantity]).sort()).toEqual([[skus[1], 2], [skus[2], 1]].sort())
      expect((await channelOrders(api, auth, channel.id)).filter((c) => ids.includes(c.external_id)).every((c) => c.external_status === "SHIPPING")).toBe(true)
    })

    it("accept_orders: false leaves waiting orders to the back office: no OR21", async () => {
      const { orders } = buildOrders(2, wellStockedSkus(store), { now: Date.now(), prefix: "WB_", state: "WAITING_ACCEPTANCE" })
      for (const o of orders) sim.addOrder(o)
      const channel = await newChannel({ accept_orders: false })
      expect(await enableAndImport(api, auth, channel.id)).toMatchObject({ status: "succeeded", waiting: 2, imported: 0 })
      expect(sim.requestsFor("OR21")).toEqual([])
    })

    it("a shipment confirmation through the module sends OR23 (tracking, spec-valid) then OR24", async () => {
      const container = getContainer()
      const { specs, orders } = buildOrders(3, wellStockedSkus(store), { now: Date.now(), prefix: "SHP_" })
      for (const o of orders) sim.addOrder(o)
      const channel = await newChannel()
      expect(await enableAndImport(api, auth, channel.id)).toMatchObject({ status: "succeeded", imported: 3 })

      const spec = specs.find((s) => s.lines.length === 2)!
      const [order] = (await medusaOrdersOf(container, channel.id)).get(spec.id)!
      const channels: any = container.resolve(CHANNEL_MODULE)
      const [co] = await channels.listChannelOrders({ channel_id: channel.id, external_id: spec.id }, { select: ["id", "raw"] })
      const { provider, ctx } = await channels.getChannelContext(channel.id)
      const result = await provider.confirmShipment(ctx, {
        external_order_id: spec.id,
        items: order.items.map((i: any) => ({ external_item_id: i.metadata.external_item_id, quantity: i.quantity })),
        carrier_code: "ups",
        tracking_numbers: ["1Z999AA10123456784"],
        shipped_at: new Date(Date.now() - 5 * MIN).toISOString(),
        raw_order: co.raw,
      })
      expect(result).toMatchObject({ state: "sent", external_reference: "1Z999AA10123456784" })

      const after = sim.requests.slice(sim.requests.findIndex((r) => r.operation !== "OR11"))
      // The operator's carrier list (SH21) to find the registered code, then OR23, then OR24.
      expect(after.map((r) => [r.operation, r.method, r.response?.status])).toEqual([
        ["SH21", "GET", 200],
        ["OR23", "PUT", 204],
        ["OR24", "PUT", 204],
      ])
      const [or23] = sim.requestsFor("OR23")
      expect(or23.path).toBe(`/api/orders/${spec.id}/tracking`)
      const valid = validateRequest(SPECS.mirakl, "OR23", or23.body)
      expect(valid.errors).toBe("")
      expect(or23.body).toEqual({ carrier_code: "UPS", tracking_number: "1Z999AA10123456784" })
      const [or24] = sim.requestsFor("OR24")
      expect(or24.path).toBe(`/api/orders/${spec.id}/ship`)
      expect(or24.rawBody).toBe("")
      expect(sim.order(spec.id)).toMatchObject({ order_state: "SHIPPED", shipping_carrier_code: "UPS", shipping_tracking: "1Z999AA10123456784" })
    })

    describe("recovers from injected faults with nothing lost and nothing doubled", () => {
      /**
       * Pages of 10: page 1 holds 7 orders waiting for the debit (staged, left waiting) and 3
       * importable ones, page 2 four importable ones. The fault strikes page 2. (An API key does not
       * expire, so Mirakl has no expired-token case; a revoked key is the auth fault.)
       */
      const setup = async () => {
        const now = Date.now()
        const skus = wellStockedSkus(store)
        // OR11 sorts by creation date: page 1 gets the 10 oldest.
        const early = buildOrders(3, skus, { now, prefix: "FE_", updatedAt: (i) => now - 3 * 3600_000 - i * MIN })
        const late = buildOrders(4, skus, { now, prefix: "FL_", updatedAt: (i) => now - 10 * MIN - i * MIN })
        const debit = buildOrders(7, skus, { now, prefix: "FD_", state: "WAITING_DEBIT_PAYMENT", updatedAt: (i) => now - 4 * 3600_000 - i * MIN })
        for (const o of [...early.orders, ...late.orders, ...debit.orders]) sim.addOrder(o)
        const channel = await newChannel({ page_size: 10 })
        return {
          channel,
          ids: [...early.specs, ...late.specs].map((s) => s.id),
          pending: { state: "waiting", ids: debit.specs.map((s) => s.id) },
        }
      }
      const onPage2 = (fn: () => void) => onRequest(sim, or11, 2, fn)

      it("5xx on every attempt at page 2: the run fails after page 1, the rerun resumes at page 2", async () => {
        const { ids, pending, channel } = await setup()
        onPage2(() => sim.failNext(4, { status: 503, operation: "OR11" }))
        const first = await enableAndImport(api, auth, channel.id)
        expect(counts(first)).toMatchObject({ status: "failed", pages: 1, fetched: 10, imported: 3, waiting: 7 })
        expect(first.error).toMatch(/503/)
        expect(sim.requestsFor("OR11").filter((r) => r.fault === "error")).toHaveLength(4)
        const second = await runImport(api, auth, channel.id)
        expect(counts(second)).toMatchObject({ status: "succeeded", pages: 1, fetched: 4, imported: 4, failed: 0 })
        expect(sim.requestsFor("OR11").at(-1)!.query.offset).toBe("10")
        await expectEachImportedOnce(api, auth, getContainer(), channel.id, ids, pending)
      })

      it("a timeout at page 2 is retried within the run", async () => {
        const { ids, pending, channel } = await setup()
        const restore = patchProviderOptions(getContainer(), "mirakl", { timeout_ms: 2_000 })
        try {
          onPage2(() => sim.hangNext(1, { ms: 8_000, operation: "OR11" }))
          const run = await enableAndImport(api, auth, channel.id)
          expect(counts(run)).toMatchObject({ status: "succeeded", pages: 2, fetched: 14, imported: 7, waiting: 7, failed: 0 })
        } finally {
          restore()
        }
        expect(sim.requestsFor("OR11").map((r) => r.fault ?? "ok")).toEqual(["ok", "hang", "ok"])
        await expectEachImportedOnce(api, auth, getContainer(), channel.id, ids, pending)
      })

      it("malformed bodies at page 2 are retried within the run", async () => {
        const { ids, pending, channel } = await setup()
        onPage2(() => sim.malformNext(2, { operation: "OR11" }))
        const run = await enableAndImport(api, auth, channel.id)
        expect(counts(run)).toMatchObject({ status: "succeeded", pages: 2, fetched: 14, imported: 7, waiting: 7 })
        expect(sim.requestsFor("OR11").map((r) => r.fault ?? "ok")).toEqual(["ok", "malformed", "malformed", "ok"])
        await expectEachImportedOnce(api, auth, getContainer(), channel.id, ids, pending)
      })

      it("an API key revoked mid-run fails the run after page 1; with the new key the rerun finishes", async () => {
        const { ids, pending, channel } = await setup()
        onPage2(() => sim.revokeKey())
        const first = await enableAndImport(api, auth, channel.id)
        expect(counts(first)).toMatchObject({ status: "failed", pages: 1, imported: 3, waiting: 7 })
        expect(first.error).toMatch(/API key/)
        expect(first.error).not.toContain(API_KEY)
        // A refused key is not retried.
        expect(sim.requestsFor("OR11").map((r) => r.response?.status)).toEqual([200, 401])

        sim.setApiKey(NEW_API_KEY)
        await api.post(`/admin/channels/${channel.id}`, { credentials: { api_key: NEW_API_KEY } }, auth)
        const second = await runImport(api, auth, channel.id)
        expect(counts(second)).toMatchObject({ status: "succeeded", fetched: 4, imported: 4 })
        expect(sim.requestsFor("OR11").at(-1)!.headers.authorization).toBe(NEW_API_KEY)
        await expectEachImportedOnce(api, auth, getContainer(), channel.id, ids, pending)
      })
    })
  },
})
