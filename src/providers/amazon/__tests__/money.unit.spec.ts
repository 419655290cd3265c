import { ChannelProviderError } from "../../../modules/channel/errors"
import { parseCanonicalOrder, type CanonicalOrder } from "../../../modules/channel/types/canonical-order"
import {
  AmazonSimulator,
  AMAZON_MONEY_ORDERS,
  makeOrder,
  projectOrder,
  type AmazonMoneyCaseName,
} from "../../../../integration-tests/simulators/amazon"
import { loadSample, sampleOrders2026 } from "../../../../integration-tests/simulators/amazon/fixtures"
import {
  AMAZON_MONEY_MARKETPLACES,
  amazonMoneyCases,
  loadAmazonMoneyCases,
  type AmazonMoneyCase,
} from "../../../../integration-tests/fixtures/money/amazon"
import { SPECS, validateResponse } from "../../../../integration-tests/simulators/openapi"
import type { AmazonOrder } from "../types"
import { amazonChannel, amazonProvider, iso, pullWindow } from "./channel"
import { cents, paidParts } from "./money"

const provider = amazonProvider({ rate_limit_multiplier: 1000 })

function canonical(raw: unknown, settings: Record<string, any> = {}): CanonicalOrder {
  const parsed = parseCanonicalOrder(provider.normalize(raw, { settings }))
  if (!parsed.success) throw new Error(parsed.message)
  return parsed.order
}

/** The full simulator case (every dataset, PAYMENT and TAX included). */
const full = (name: AmazonMoneyCaseName): AmazonOrder => structuredClone(AMAZON_MONEY_ORDERS.find((c) => c.name === name)!.order)
const fixture = (name: AmazonMoneyCaseName): AmazonMoneyCase => amazonMoneyCases.find((c) => c.name === name)!

/** Every expected figure of a fixture case against the canonical order the provider made of it. */
function expectPaid(o: CanonicalOrder, c: AmazonMoneyCase): void {
  const e = c.expected
  const parts = paidParts(o)
  expect(o.currency_code).toBe(e.currency_code)
  expect(o.prices_include_tax).toBe(e.prices_include_tax)
  expect(cents(parts.total)).toBe(e.total)
  expect(cents(parts.tax)).toBe(e.tax_total)
  expect(cents(parts.shipping)).toBe(e.shipping_total)
  expect(parts.lines.map((l) => ({ sku: l.sku, total: cents(l.total), quantity: l.quantity }))).toEqual(
    e.lines.map((l) => ({ sku: l.sku, total: l.total, quantity: l.quantity }))
  )
  for (const [i, l] of e.lines.entries()) if (l.title) expect(parts.lines[i].title).toBe(l.title)
  // The marketplace's own figures travel with the order for the reconciliation.
  expect(o.totals.total).toBe(e.total)
  expect(o.totals.tax_total).toBe(e.tax_total)
  const captured = o.payment_status === "pending" ? 0 : cents(parts.total)
  expect(captured).toBe(e.captured)
}

describe("Amazon money cases through the simulator", () => {
  let sim: AmazonSimulator
  const now = Date.now()
  let pulled: Map<string, any>
  let loaded: ReturnType<typeof loadAmazonMoneyCases>

  beforeAll(async () => {
    sim = await new AmazonSimulator({ rateLimitMultiplier: 1000 }).start()
    loaded = loadAmazonMoneyCases(sim, { now })
    const ctx = amazonChannel(sim, { settings: { marketplace_ids: AMAZON_MONEY_MARKETPLACES } })
    const { orders } = await pullWindow(provider, ctx, { updated_after: iso(now - 3_600_000), updated_before: iso(now - 5 * 60_000) })
    pulled = new Map(orders.map((o) => [o.orderId, o]))
  })
  afterAll(() => sim.stop())

  it("serves every case, spec-valid, exactly as the fixture's raw payload (times moved into the present)", () => {
    expect(loaded.map((c) => c.name).sort()).toEqual(AMAZON_MONEY_ORDERS.map((c) => c.name).sort())
    expect(pulled.size).toBe(AMAZON_MONEY_ORDERS.length)
    for (const c of loaded) {
      expect(pulled.get(c.raw.orderId)).toEqual(c.served)
      const { lastUpdatedTime, createdTime, ...rest } = c.served
      const { lastUpdatedTime: _u, createdTime: _c, ...restRaw } = c.raw
      expect(Object.keys(rest).sort()).toEqual(Object.keys(restRaw).sort())
      expect(rest.proceeds).toEqual(restRaw.proceeds)
      expect(rest.orderItems).toEqual(restRaw.orderItems)
      expect(Date.parse(lastUpdatedTime) - Date.parse(createdTime)).toBe(Date.parse(c.raw.lastUpdatedTime) - Date.parse(c.raw.createdTime))
    }
    expect(sim.specViolations).toEqual([])
    expect(sim.validated.filter((v) => v.operation === "searchOrders").length).toBeGreaterThan(0)
  })

  it("the full cases (with PAYMENT and TAX) match the model too", () => {
    for (const { name, order } of AMAZON_MONEY_ORDERS) {
      const r = validateResponse(SPECS.amazonOrders2026, "getOrder", 200, { order })
      expect([name, r.errors]).toEqual([name, ""])
    }
  })

  it.each(amazonMoneyCases.map((c) => [c.name, c] as const))("%s: the canonical order adds up to what the buyer paid", (_name, c) => {
    const o = canonical(pulled.get(c.raw.orderId))
    expectPaid(o, c)
    // The same with the full payload: PAYMENT and TAX change who collects the tax, never an amount.
    const f = canonical(full(c.name))
    expect(cents(paidParts(f).total)).toBe(c.expected.total)
    expect(f.prices_include_tax).toBe(c.expected.prices_include_tax)
  })

  it("every case's expected lines and shipping add up to its total (the fixture is consistent)", () => {
    for (const c of amazonMoneyCases) {
      const sum = c.expected.lines.reduce((s, l) => s + l.total, 0) + c.expected.shipping_total
      expect([c.name, cents(sum)]).toEqual([c.name, c.expected.total])
      expect([c.name, c.expected.total]).toEqual([c.name, Number(c.raw.proceeds!.grandTotal!.amount)])
    }
  })
})

describe("Amazon money cases, field by field", () => {
  it("eu_vat_inclusive: VAT inside the prices, read from grandTotal = non-tax amounts", () => {
    const o = canonical(fixture("eu_vat_inclusive").raw)
    expect(o).toMatchObject({
      prices_include_tax: true,
      tax_collected_by: "seller",
      payment_status: "paid",
      payment_method: null,
      totals: { total: 57.47, tax_total: 9.18, paid_total: null },
      shipping: { price: 4.99, discount_total: 0, tax_total: 0.8 },
      charges: [],
    })
    expect(o.items.map((i) => [i.unit_price, i.quantity, i.discount_total, i.tax_total])).toEqual([
      [19.99, 2, 0, 6.38],
      [12.5, 1, 0, 2],
    ])
    expect(o.custom_fields.prices_include_tax_from).toBe("grand_total")
  })

  it("us_marketplace_facilitator: tax added, collected by Amazon (from TAX when present, else the US marketplace)", () => {
    const served = canonical(fixture("us_marketplace_facilitator").raw)
    expect(served).toMatchObject({
      prices_include_tax: false,
      tax_collected_by: "marketplace",
      shipping: { price: 5.99, tax_total: 0.49 },
      shipping_address: { province: "CA", country_code: "US", address_2: "Apt 3" },
    })
    expect(served.items[0]).toMatchObject({ unit_price: 39.99, tax_total: 3.3, tax_rate: null, tax_lines: [] })
    const withTax = canonical(full("us_marketplace_facilitator"))
    expect(withTax.tax_collected_by).toBe("marketplace")
    expect(withTax.custom_fields.tax_responsible_party).toBe("Amazon Services, Inc.")
    // Outside the US only the item's tax collection model says so.
    const de = full("us_marketplace_facilitator")
    de.salesChannel.marketplaceId = "A1PA6795UKMFR9"
    expect(canonical(de).tax_collected_by).toBe("marketplace")
    delete de.orderItems[0].tax
    expect(canonical(de).tax_collected_by).toBe("seller")
  })

  it("item_promotion: a positive discount with the promotion id, tax after the promotion", () => {
    const o = canonical(fixture("item_promotion").raw)
    expect(o.items[0]).toMatchObject({
      unit_price: 15,
      quantity: 3,
      discount_total: 5,
      discounts: [{ code: "BUY3-SAVE5", name: "Amazon promotion", amount: 5 }],
      tax_total: 3.2,
    })
    expect(o.shipping).toMatchObject({ price: 0, discount_total: 0, discounts: [] })
  })

  it("shipping_promotion: shipping before its discount, the discount counted once", () => {
    const o = canonical(fixture("shipping_promotion").raw)
    expect(o.shipping).toMatchObject({
      price: 4.99,
      discount_total: 4.99,
      discounts: [{ code: "FREESHIP-25", name: "Amazon shipping promotion", amount: 4.99 }],
      tax_total: 0,
    })
    expect(o.items[0]).toMatchObject({ discount_total: 0, discounts: [], tax_total: 2 })
    expect(o.custom_fields.unattributed_proceeds).toBeUndefined()
  })

  it("gift_wrap: a gift_wrap charge with its own VAT, gift message kept", () => {
    const o = canonical(fixture("gift_wrap").raw)
    expect(o.charges).toEqual([
      { type: "gift_wrap", external_id: "20248100050001", name: "Gift wrap", amount: 3.99, discount_total: 0, tax_total: 0.67, tax_lines: [] },
    ])
    expect(o).toMatchObject({ prices_include_tax: true, shipping: { price: 2.99, tax_total: 0.5 }, gift_message: "Happy birthday, Sam!" })
    expect(o.items[0].tax_total).toBe(4)
  })

  it("sub_cent_unit_price: the listed 22.495 and a divided 10/3 are kept unrounded", () => {
    const o = canonical(fixture("sub_cent_unit_price").raw)
    expect(o.items[0].unit_price).toBe(22.495)
    expect(o.items[1].unit_price).toBe(10 / 3)
    expect(o.items.map((i) => i.tax_total)).toEqual([3.71, 0.83])
  })

  it("order_level_shipping: shipping and its tax reported only by the order are kept", () => {
    const o = canonical(fixture("order_level_shipping").raw)
    expect(o.shipping).toMatchObject({ service_code: "EXPEDITED", price: 6.99, discount_total: 0, tax_total: 0.56 })
    expect(o.items[0]).toMatchObject({ unit_price: 50, tax_total: 4 })
    expect(o.custom_fields.unattributed_proceeds).toBeUndefined()
  })

  it("zero_value_replacement: the original order id, a zero total, nothing to capture", () => {
    const o = canonical(fixture("zero_value_replacement").raw)
    expect(o).toMatchObject({ replaces_external_id: "114-3941689-8772232", payment_status: "paid", totals: { total: 0, tax_total: 0 } })
    expect(o.items[0]).toMatchObject({ unit_price: 0, quantity: 1, tax_total: 0 })
    expect(o.custom_fields.replaces_order_id).toBe("114-3941689-8772232")
  })

  it("country_by_name: the name goes to `country`, the code stays empty, nothing throws", () => {
    const o = canonical(fixture("country_by_name").raw)
    expect(o.shipping_address).toMatchObject({ country_code: null, country: "Belgique", city: "Bruxelles", postal_code: "1040", province: "Bruxelles-Capitale" })
    expect(o.prices_include_tax).toBe(true)
  })

  it("cash_on_delivery: unpaid, COD fee as a charge; detected with or without the PAYMENT dataset", () => {
    const served = canonical(fixture("cash_on_delivery").raw)
    expect(served).toMatchObject({ payment_status: "pending", payment_method: "cash_on_delivery", currency_code: "jpy", prices_include_tax: true })
    expect(served.charges).toEqual([
      { type: "cod_fee", external_id: null, name: "Cash on delivery fee", amount: 330, discount_total: 0, tax_total: 30, tax_lines: [] },
    ])
    expect(served.totals.paid_total).toBeNull()
    const withPayment = canonical(full("cash_on_delivery"))
    expect(withPayment).toMatchObject({ payment_status: "pending", payment_method: "cash_on_delivery", totals: { total: 6310, paid_total: 0 } })
    expect(withPayment.custom_fields.payment_methods).toEqual(["CashOnDelivery"])
    // PAYMENT alone is enough: no fee, no constraint.
    const bare = full("cash_on_delivery")
    bare.orderItems[0].fulfillment = { quantityFulfilled: 0, quantityUnfulfilled: 2 }
    bare.orderItems[0].proceeds!.breakdowns = bare.orderItems[0].proceeds!.breakdowns!.filter((b) => b.type === "ITEM")
    bare.proceeds!.breakdowns = [{ type: "ITEM", subtotal: { amount: "5980", currencyCode: "JPY" } }]
    bare.proceeds!.grandTotal = { amount: "5980", currencyCode: "JPY" }
    expect(canonical(bare)).toMatchObject({ payment_status: "pending", payment_method: "cash_on_delivery", charges: [] })
    // A card payment names its method and counts as paid.
    bare.payment = { paymentExecutions: [{ paymentMethod: "CreditCard", paymentAmount: { amount: "5980", currencyCode: "JPY" } }] }
    expect(canonical(bare)).toMatchObject({ payment_status: "paid", payment_method: "CreditCard", totals: { paid_total: 5980 } })
  })

  it("partly_cancelled_line: imports what remains and records what shipped and what was cancelled", () => {
    const o = canonical(fixture("partly_cancelled_line").raw)
    expect(o.status).toBe("PARTIALLY_SHIPPED")
    expect(o.items.map((i) => [i.external_id, i.quantity, i.unit_price, i.tax_total])).toEqual([
      ["11248100110001", 2, 10, 1.6],
      ["11248100110002", 2, 12.5, 2],
    ])
    expect(o.custom_fields).toMatchObject({
      shipped_quantities: { "11248100110001": 1, "11248100110002": 0 },
      cancelled_quantities: { "11248100110002": 1 },
    })
    expect(o.shipping).toMatchObject({ price: 5, tax_total: 0.4 })
  })
})

describe("Amazon money mapping: official examples and generated orders", () => {
  it("every official example with a grandTotal adds up to it", () => {
    const samples = sampleOrders2026().filter((s) => s.order.proceeds?.grandTotal)
    expect(samples.length).toBeGreaterThanOrEqual(7)
    for (const s of samples) {
      const o = canonical(s.order)
      expect([s.order.orderId, cents(paidParts(o).total)]).toEqual([s.order.orderId, Number(s.order.proceeds.grandTotal.amount)])
      expect(o.totals.total).toBe(Number(s.order.proceeds.grandTotal.amount))
    }
  })

  it("the GB getOrder example adds its TAX on top: its figures win over the marketplace", () => {
    const o = canonical(loadSample("amazon_orders2026_getOrder_200.example.json").order)
    expect(o).toMatchObject({ prices_include_tax: false, totals: { total: 103.97, tax_total: 4 }, shipping: { price: 10, tax_total: 1 } })
    expect(o.items[0]).toMatchObject({ unit_price: 29.99, quantity: 3, tax_total: 3 })
    expect(o.custom_fields.prices_include_tax_from).toBe("grand_total")
  })

  it("the US searchOrders example: delivery tip as a charge, a replacement, cash on delivery by its item's constraint", () => {
    const o = canonical(loadSample("amazon_orders2026_searchOrders_200.example.json").orders[0])
    expect(o.charges).toEqual([{ type: "other", external_id: null, name: "Delivery tip", amount: 5, discount_total: 0, tax_total: 0, tax_lines: [] }])
    expect(o).toMatchObject({
      replaces_external_id: "123-4567890-1234566",
      tax_collected_by: "marketplace",
      prices_include_tax: false,
      payment_status: "pending",
      payment_method: "cash_on_delivery",
      totals: { total: 154.99, tax_total: 0.02 },
    })
  })

  it("the Turkish sandbox order names Amazon as the tax collector", () => {
    const tr = sampleOrders2026().find((s) => s.order.orderId === "028-1234567-8901234")!.order
    expect(canonical(tr)).toMatchObject({ tax_collected_by: "marketplace", prices_include_tax: true, custom_fields: { tax_reporting_schemes: ["IOSS"] } })
  })

  it("generated orders of every marketplace add up to their grandTotal", () => {
    for (const marketplaceId of ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1PA6795UKMFR9", "A1F83G8C2ARO7P"]) {
      for (let n = 0; n < 20; n++) {
        const raw = makeOrder({
          marketplaceId,
          items: Array.from({ length: 1 + (n % 3) }, (_, j) => ({
            quantity: 1 + ((n + j) % 4),
            discount: (n + j) % 4 === 0 ? 1 : 0,
            shippingDiscount: n % 5 === 0 && j === 0 ? 2 : 0,
            shippingTax: j === 0 ? 0.4 : 0,
          })),
        })
        const o = canonical(raw)
        expect([raw.orderId, cents(paidParts(o).total)]).toEqual([raw.orderId, Number(raw.proceeds!.grandTotal!.amount)])
      }
    }
  })

  it("proceeds only at order level: taxes and discounts go to the lines, nothing is lost", () => {
    const raw = structuredClone(full("item_promotion"))
    delete raw.orderItems[0].proceeds
    const o = canonical(raw)
    expect(o.items[0]).toMatchObject({ unit_price: 15, discount_total: 5, tax_total: 3.2 })
    expect(cents(paidParts(o).total)).toBe(43.2)
  })

  it("proceeds still covering the cancelled units: tax and discount pro rata, flagged as estimated", () => {
    const raw = full("partly_cancelled_line")
    const line = raw.orderItems[1]
    line.proceeds = { proceedsTotal: { amount: "40.50", currencyCode: "USD" }, breakdowns: [
      { type: "ITEM", subtotal: { amount: "37.50", currencyCode: "USD" } },
      { type: "TAX", subtotal: { amount: "3.00", currencyCode: "USD" } },
    ] }
    const o = canonical(raw)
    expect(o.items[1]).toMatchObject({ quantity: 2, unit_price: 12.5, tax_total: 2 })
    expect(o.custom_fields.estimated_amount_item_ids).toEqual(["11248100110002"])
  })

  it("without the restricted roles: the partial address as it came, or null when there is none", () => {
    const raw = full("us_marketplace_facilitator")
    raw.recipient = { deliveryAddress: { city: "Los Angeles", stateOrRegion: "CA", postalCode: "90026", countryCode: "US" } }
    delete raw.buyer
    const o = canonical(raw)
    expect(o.shipping_address).toEqual({
      first_name: null,
      last_name: null,
      company: null,
      address_1: null,
      address_2: null,
      city: "Los Angeles",
      province: "CA",
      postal_code: "90026",
      country_code: "US",
      country: null,
      phone: null,
    })
    expect(o.customer).toEqual({ first_name: null, last_name: null, phone: null })
    expect(o.email).toBeNull()
    raw.recipient = { deliveryAddress: { addressLine3: "  " } }
    expect(canonical(raw).shipping_address).toBeNull()
    delete raw.recipient
    expect(canonical(raw).shipping_address).toBeNull()
  })

  it("country codes: alpha-2 and alpha-3 pass as given, a missing one is not an error", () => {
    const raw = full("eu_vat_inclusive")
    raw.recipient!.deliveryAddress!.countryCode = "DEU"
    expect(canonical(raw).shipping_address).toMatchObject({ country_code: "DEU", country: null })
    delete raw.recipient!.deliveryAddress!.countryCode
    expect(canonical(raw).shipping_address).toMatchObject({ country_code: null, country: null, address_1: "Bergmannstraße 12" })
  })

  it("explains what it cannot map: no line left, no currency", () => {
    const raw = full("item_promotion")
    raw.orderItems[0].quantityOrdered = 0
    expect(() => provider.normalize(raw, { settings: {} })).toThrow(ChannelProviderError)
    expect(() => provider.normalize(raw, { settings: {} })).toThrow(/113-4810003-0000303 \(UNSHIPPED\) has no line left to import: every item was cancelled \(11348100030001\)/)
    // A CANCELLED order stays readable, so that the cancellation of an imported order can be followed.
    raw.fulfillment!.fulfillmentStatus = "CANCELLED"
    const cancelled = canonical(raw)
    expect(cancelled.items.map((i) => [i.external_id, i.quantity])).toEqual([["11348100030001", 1]])
    expect(cancelled.custom_fields).toMatchObject({ placeholder_lines: true, cancelled_item_ids: ["11348100030001"] })
    const whole = full("partly_cancelled_line")
    whole.fulfillment!.fulfillmentStatus = "CANCELLED"
    for (const i of whole.orderItems) i.fulfillment = { quantityFulfilled: 0, quantityUnfulfilled: 0 }
    expect(canonical(whole).items.map((i) => i.quantity)).toEqual([2, 3])
    const pending = projectOrder(makeOrder({ status: "PENDING", marketplaceId: "AXXXXXXXXXXXXX" }), new Set(["FULFILLMENT"]))
    expect(() => provider.normalize(pending, { settings: {} })).toThrow(/no amount to read a currency from.*AXXXXXXXXXXXXX.*currency_code/)
    expect(canonical(pending, { currency_code: "USD" }).currency_code).toBe("usd")
  })
})
