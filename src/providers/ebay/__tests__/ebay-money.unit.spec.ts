import {
  ebayMoneyCases,
  ebayMoneyOrder,
  loadEbayMoneyCases,
  type EbayMoneyCase,
} from "../../../../integration-tests/fixtures/money/ebay"
import { makeOrder, withoutTaxBreakdown } from "../../../../integration-tests/simulators/ebay"
import { ebayResponseProblems } from "../../../../integration-tests/simulators/ebay/spec-check"
import { assertValidResponse, SPECS } from "../../../../integration-tests/simulators/openapi"
import { parseCanonicalOrder, type CanonicalOrder } from "../../../modules/channel/types/canonical-order"
import { EbayChannelProvider } from "../service"
import { pullWindow, startEbayChannel, type EbayChannel } from "./ebay-channel-fixture"

const provider = new EbayChannelProvider({}, {})

function canonical(raw: unknown, settings: Record<string, any> = {}): CanonicalOrder {
  const parsed = parseCanonicalOrder(provider.normalize(raw, { settings }))
  if (!parsed.success) throw new Error(parsed.message)
  return parsed.order
}

/** To the cent, without binary-float noise deciding a half cent. */
const cents = (n: number) => Math.round(Math.round(n * 1e6) / 1e4) / 100

/**
 * What the core will charge for a canonical order: Σ (price − discount [+ tax when prices exclude
 * it]) over items, shipping and charges.
 */
function buyerPaid(order: CanonicalOrder) {
  const tax = (t: number) => (order.prices_include_tax ? 0 : t)
  const lines = [
    ...order.items.map((i) => ({ sku: i.sku ?? null, title: i.title, total: cents(i.unit_price * i.quantity - i.discount_total + tax(i.tax_total)) })),
    ...order.charges.map((c) => ({ sku: null, title: c.name, total: cents(c.amount - c.discount_total + tax(c.tax_total)) })),
  ]
  const shipping = cents(order.shipping.price - order.shipping.discount_total + tax(order.shipping.tax_total))
  const taxTotal = cents(
    order.items.reduce((s, i) => s + i.tax_total, 0) + order.shipping.tax_total + order.charges.reduce((s, c) => s + c.tax_total, 0)
  )
  return { lines, shipping, tax_total: taxTotal, total: cents(lines.reduce((s, l) => s + l.total, 0) + shipping) }
}

function expectBuyerPaid(order: CanonicalOrder, c: EbayMoneyCase) {
  const paid = buyerPaid(order)
  expect({
    total: paid.total,
    tax_total: paid.tax_total,
    shipping_total: paid.shipping,
    prices_include_tax: order.prices_include_tax,
    currency_code: order.currency_code,
    captured: order.payment_status === "paid" ? paid.total : 0,
  }).toEqual({
    total: c.expected.total,
    tax_total: c.expected.tax_total,
    shipping_total: c.expected.shipping_total,
    prices_include_tax: c.expected.prices_include_tax,
    currency_code: c.expected.currency_code,
    captured: c.expected.captured,
  })
  expect(paid.lines.map((l) => ({ sku: l.sku, total: l.total, ...(l.sku === null ? { title: l.title } : {}) }))).toEqual(
    c.expected.lines.map((l) => ({ sku: l.sku, total: l.total, ...(l.sku === null ? { title: l.title } : {}) }))
  )
  // The marketplace's own figures agree with the parts.
  expect(order.totals.total).toBe(c.expected.total)
  expect(order.totals.tax_total ?? 0).toBe(c.expected.tax_total)
}

const byName = (name: string) => {
  const c = ebayMoneyCases.find((m) => m.name === name)
  if (!c) throw new Error(`no case ${name}`)
  return c
}

/** The canonical fields each case is about, beyond the totals every case checks. */
const CANONICAL: Record<string, (o: CanonicalOrder, raw: any) => void> = {
  "ebay-de-vat-inclusive": (o) => {
    expect(o).toMatchObject({ prices_include_tax: true, tax_collected_by: "seller", payment_status: "paid", payment_method: "EBAY" })
    expect(o.items).toEqual([
      expect.objectContaining({
        sku: "MONEY-DE-GRINDER",
        quantity: 2,
        unit_price: 29.99,
        discount_total: 0,
        tax_total: 10.36,
        tax_lines: [{ code: "VAT", name: "VAT", rate: null, amount: 10.36 }],
      }),
      expect.objectContaining({ sku: "MONEY-DE-FILTER", quantity: 1, unit_price: 9.99, tax_total: 1.6 }),
    ])
    expect(o.shipping).toMatchObject({ service_code: "DE_DHLPaket", price: 4.9, discount_total: 0, tax_total: 0 })
    expect(o.shipping_address).toMatchObject({ city: "Köln", country_code: "DE", province: null })
  },
  "ebay-us-marketplace-collected-tax": (o) => {
    expect(o).toMatchObject({ prices_include_tax: false, tax_collected_by: "marketplace" })
    expect(o.items[0]).toMatchObject({
      unit_price: 45,
      tax_total: 3.88,
      tax_lines: [{ code: "STATE_SALES_TAX", name: "State sales tax", amount: 3.88 }],
    })
    expect(o.shipping).toMatchObject({ price: 6.5, tax_total: 0 })
    expect(o.shipping_address).toMatchObject({ province: "CA", country_code: "US" })
  },
  "ebay-us-item-promotion": (o) => {
    expect(o.items[0]).toMatchObject({
      sku: "MONEY-US-MUG",
      quantity: 3,
      unit_price: 12,
      discount_total: 3.6,
      discounts: [{ code: "5012345678", name: "Buy 3, save 10%", amount: 3.6 }],
    })
    expect(o.items[1]).toMatchObject({ sku: "MONEY-US-COASTER", discount_total: 0, discounts: [] })
    expect(o.shipping).toMatchObject({ price: 5, discount_total: 0, discounts: [] })
  },
  "ebay-gb-shipping-promotion": (o) => {
    expect(o.prices_include_tax).toBe(true)
    expect(o.items.map((i) => [i.sku, i.discount_total, i.discounts])).toEqual([
      ["MONEY-GB-KETTLE", 0, []],
      ["MONEY-GB-DESCALER", 0.8, [{ code: "5011223344", name: "Multi-buy: 10% off 2", amount: 0.8 }]],
    ])
    // The free-postage promotion, reported three ways, is one shipping discount.
    expect(o.shipping).toMatchObject({
      price: 6.49,
      discount_total: 6.49,
      discounts: [{ code: "5099887766", name: "Free postage on orders over £35", amount: 6.49 }],
    })
  },
  "ebay-us-recycling-fee": (o, raw) => {
    expect(o.items[0]).toMatchObject({ tax_total: 14.5, tax_lines: [{ code: "STATE_SALES_TAX", amount: 14.5 }] })
    expect(o.charges).toEqual([
      {
        type: "eco_fee",
        external_id: raw.lineItems[0].lineItemId,
        name: "Electronic recycling fee",
        amount: 6,
        discount_total: 0,
        tax_total: 0,
        tax_rate: null,
        tax_lines: [],
      },
    ])
    expect(o.tax_collected_by).toBe("marketplace")
  },
  "ebay-us-sub-cent-unit-price": (o) => {
    expect(o.items[0]).toMatchObject({ quantity: 2, unit_price: 22.495 })
  },
  "ebay-us-order-level-shipping": (o) => {
    expect(o.items.map((i) => i.tax_total)).toEqual([2.06, 1.24])
    expect(o.shipping).toMatchObject({ price: 8.95, discount_total: 0, tax_total: 0.74 })
  },
  "ebay-it-cash-on-delivery": (o, raw) => {
    // Unpaid until delivered, yet to be shipped: not held as PAYMENT_PENDING.
    expect(provider.identify(raw).status).toBe("NOT_STARTED")
    expect(o).toMatchObject({
      status: "NOT_STARTED",
      payment_status: "pending",
      payment_method: "cash_on_delivery",
      prices_include_tax: true,
      totals: { total: 64.9, paid_total: 0 },
    })
  },
  "ebay-gb-import-vat-added": (o) => {
    expect(o).toMatchObject({ prices_include_tax: false, tax_collected_by: "marketplace" })
    expect(o.items[0]).toMatchObject({ tax_total: 11, tax_lines: [{ code: "VAT", amount: 11 }] })
  },
  "ebay-ca-gst-and-pst": (o) => {
    expect(o.items[0]).toMatchObject({
      tax_total: 16.2,
      tax_lines: [
        { code: "GST", name: "GST", rate: null, amount: 6.75 },
        { code: "PROVINCE_SALES_TAX", name: "Provincial sales tax", rate: null, amount: 9.45 },
      ],
    })
  },
}

describe("eBay money cases (integration-tests/fixtures/money/ebay.ts)", () => {
  it("has one check per case, and every raw order is a spec-valid eBay order", () => {
    expect(Object.keys(CANONICAL).sort()).toEqual(ebayMoneyCases.map((c) => c.name).sort())
    for (const c of ebayMoneyCases) {
      assertValidResponse(SPECS.ebayFulfillment, "getOrder", 200, c.raw)
      expect([c.name, ebayResponseProblems("getOrder", 200, c.raw)]).toEqual([c.name, []])
      // The documented arithmetic: the lines and shipping add up to the total.
      const sum = c.expected.lines.reduce((s, l) => s + l.total, 0) + c.expected.shipping_total
      expect([c.name, cents(sum)]).toEqual([c.name, c.expected.total])
    }
  })

  it.each(ebayMoneyCases.map((c) => [c.name, c] as const))("%s: normalizes to what the buyer paid", (name, c) => {
    const order = canonical(c.raw)
    expectBuyerPaid(order, c)
    CANONICAL[name](order, c.raw)
  })

  it("re-dates a case without changing anything else", () => {
    const c = byName("ebay-us-item-promotion")
    const moved = ebayMoneyOrder(c, Date.parse("2026-11-05T12:00:00.000Z"))
    expect(moved.lastModifiedDate).toBe("2026-11-05T12:00:00.000Z")
    expect(moved.creationDate).toBe("2026-11-05T11:00:00.000Z")
    expect({ ...moved, creationDate: 0, lastModifiedDate: 0, paymentSummary: 0, fulfillmentStartInstructions: 0, lineItems: 0 }).toEqual({
      ...(c.raw as any),
      creationDate: 0,
      lastModifiedDate: 0,
      paymentSummary: 0,
      fulfillmentStartInstructions: 0,
      lineItems: 0,
    })
    expect(moved.pricingSummary).toEqual((c.raw as any).pricingSummary)
  })
})

describe("eBay money cases through the simulator and the provider", () => {
  let channel: EbayChannel
  afterEach(async () => {
    const problems = channel?.sim.specViolations() ?? []
    await channel?.sim.stop()
    expect(problems).toEqual([])
  })

  it("pulls every case with TAX_BREAKDOWN and normalizes each to what the buyer paid", async () => {
    channel = await startEbayChannel()
    const modifiedAt = Date.now() - 30 * 60_000
    const stored = loadEbayMoneyCases(channel.sim, { modifiedAt })
    const { orders } = await pullWindow(channel, new Date(modifiedAt - 60_000).toISOString(), new Date().toISOString())

    const calls = channel.sim.requestsFor("getOrders")
    expect(calls.length).toBeGreaterThan(0)
    for (const call of calls) expect(call.query.fieldGroups).toBe("TAX_BREAKDOWN")
    expect(orders).toHaveLength(ebayMoneyCases.length)
    for (const c of ebayMoneyCases) {
      const raw = orders.find((o) => o.orderId === (c.raw as any).orderId)
      // What the provider stages is the case's payload (re-dated), byte for byte.
      expect(raw).toEqual(stored.find((o) => o.orderId === (c.raw as any).orderId))
      const order = canonical(raw)
      expectBuyerPaid(order, c)
      CANONICAL[c.name](order, raw)
    }
  })

  it("reads one order with TAX_BREAKDOWN too", async () => {
    channel = await startEbayChannel()
    const [stored] = loadEbayMoneyCases(channel.sim, { names: ["ebay-us-recycling-fee"] })
    const got = await channel.provider.getOrder(channel.ctx, stored.orderId)
    expect(channel.sim.requestsFor("getOrder")[0].query).toEqual({ fieldGroups: "TAX_BREAKDOWN" })
    expect(got).toEqual(stored)
  })

  it("serves the breakdown only when asked, as eBay does, and refuses other field groups", async () => {
    channel = await startEbayChannel()
    const [stored] = loadEbayMoneyCases(channel.sim, { names: ["ebay-us-recycling-fee"] })
    const token = await channel.provider.client.accessToken(channel.provider.connection(channel.ctx))
    const get = (query: string) =>
      fetch(`${channel.sim.url}/sell/fulfillment/v1/order/${stored.orderId}${query}`, {
        headers: { authorization: `Bearer ${token}` },
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }))

    const plain = await get("")
    expect(plain.status).toBe(200)
    // No taxType, no fee, and eBay's collected tax and fee left out of the totals.
    expect(plain.body.lineItems[0].taxes).toEqual([{ amount: { value: "14.50", currency: "USD" } }, { amount: { value: "6.00", currency: "USD" } }])
    expect(plain.body.pricingSummary.fee).toBeUndefined()
    expect(plain.body.pricingSummary.total.value).toBe("199.99")
    expect(plain.body.lineItems[0].total.value).toBe("199.99")
    expect(plain.body).toEqual(withoutTaxBreakdown(stored))
    // The mapper still finds what the buyer paid: eBay's total plus the tax it collected.
    expect(canonical(plain.body).totals.total).toBe(220.49)
    expect(buyerPaid(canonical(plain.body)).total).toBe(220.49)

    expect((await get("?fieldGroups=TAX_BREAKDOWN")).body).toEqual(stored)
    const wrong = await get("?fieldGroups=EVERYTHING")
    expect([wrong.status, wrong.body.errors[0].errorId]).toEqual([400, 32800])
  })
})

describe("eBay money mapping: figures the cases do not cover", () => {
  const base = () => makeOrder({ seq: 41, lineItems: [{ sku: "ADJ-1", quantity: 2, unitPrice: 10, shipping: 5 }] })

  it("counts a price adjustment in whichever direction the total shows", () => {
    const lowered = base()
    lowered.pricingSummary.adjustment = { value: "-3.00", currency: "USD" }
    lowered.pricingSummary.total = { value: "22.00", currency: "USD" }
    const down = canonical(lowered)
    expect(down.items[0]).toMatchObject({ discount_total: 3, discounts: [{ code: null, name: "eBay price adjustment", amount: 3 }] })
    expect(buyerPaid(down).total).toBe(22)

    const raised = base()
    raised.pricingSummary.adjustment = { value: "2.50", currency: "USD" }
    raised.pricingSummary.total = { value: "27.50", currency: "USD" }
    const up = canonical(raised)
    expect(up.charges).toEqual([expect.objectContaining({ type: "other", name: "eBay price adjustment", amount: 2.5 })])
    expect(buyerPaid(up).total).toBe(27.5)
  })

  it("adds import charges and eBay-collected charges only when the total holds them", () => {
    const raw = base()
    raw.lineItems[0].deliveryCost.importCharges = { value: "4.20", currency: "USD" }
    const without = canonical(raw)
    expect(without.charges).toEqual([])
    expect(buyerPaid(without).total).toBe(25)

    raw.pricingSummary.total = { value: "29.20", currency: "USD" }
    const withCharges = canonical(raw)
    expect(withCharges.charges).toEqual([expect.objectContaining({ type: "fee", name: "Import charges", amount: 4.2 })])
    expect(buyerPaid(withCharges).total).toBe(29.2)

    const protectedRaw = base()
    protectedRaw.lineItems[0].ebayCollectedCharges = { charges: [{ chargeType: "BUYER_PROTECTION", amount: { value: "0.90", currency: "USD" } }] }
    protectedRaw.pricingSummary.total = { value: "25.90", currency: "USD" }
    expect(canonical(protectedRaw).charges).toEqual([expect.objectContaining({ type: "fee", name: "eBay buyer protection fee", amount: 0.9 })])
  })

  it("spreads an order discount no line carries over the lines", () => {
    const raw = makeOrder({ seq: 42, lineItems: [{ quantity: 1, unitPrice: 30, shipping: 0 }, { quantity: 1, unitPrice: 10, shipping: 0 }] })
    raw.pricingSummary.priceDiscount = { value: "-4.00", currency: "USD" }
    raw.pricingSummary.total = { value: "36.00", currency: "USD" }
    const order = canonical(raw)
    expect(order.items.map((i) => i.discount_total)).toEqual([3, 1])
    expect(buyerPaid(order).total).toBe(36)
  })

  it("takes a line's promotions for shipping promotions when the order has no item discount", () => {
    const raw = makeOrder({ seq: 43, lineItems: [{ quantity: 1, unitPrice: 20, shipping: 3 }], deliveryDiscount: 3 })
    raw.lineItems[0].appliedPromotions = [{ promotionId: "77", description: "Free shipping", discountAmount: { value: "3.00", currency: "USD" } }]
    const order = canonical(raw)
    expect(order.items[0].discount_total).toBe(0)
    expect(order.shipping).toMatchObject({ price: 3, discount_total: 3, discounts: [{ code: "77", name: "Free shipping", amount: 3 }] })
    expect(buyerPaid(order).total).toBe(Number(raw.pricingSummary.total.value))
  })

  it("spreads tax reported only for the whole order over the lines and the delivery", () => {
    const raw = makeOrder({ seq: 49, lineItems: [{ quantity: 1, unitPrice: 30, shipping: 10 }, { quantity: 2, unitPrice: 5, shipping: 0 }] })
    raw.pricingSummary.tax = { value: "4.00", currency: "USD" }
    raw.pricingSummary.total = { value: "54.00", currency: "USD" }
    const order = canonical(raw)
    // 4.00 over 30 : 10 : 10 (items, then shipping).
    expect(order.items.map((i) => i.tax_total)).toEqual([2.4, 0.8])
    expect(order.shipping.tax_total).toBe(0.8)
    expect(order.prices_include_tax).toBe(false)
    expect(buyerPaid(order)).toMatchObject({ total: 54, tax_total: 4 })
  })

  it("keeps an address without a country and leaves the code as eBay wrote it", () => {
    const raw = makeOrder({ seq: 44 })
    delete raw.fulfillmentStartInstructions[0].shippingStep.shipTo.contactAddress.countryCode
    raw.buyer.buyerRegistrationAddress.contactAddress.countryCode = "de"
    const order = canonical(raw)
    expect(order.shipping_address).toMatchObject({ city: expect.any(String), country_code: null })
    expect(order.billing_address).toMatchObject({ country_code: "de" })
  })

  it("says which line and order are wrong when a figure is missing", () => {
    const raw = makeOrder({ seq: 45 })
    const id = raw.lineItems[0].lineItemId
    expect(() => canonical({ ...raw, lineItems: [{ ...raw.lineItems[0], quantity: 0 }] })).toThrow(
      `eBay order ${raw.orderId}: line item ${id} has quantity 0; a whole number of at least 1 is needed`
    )
    const { lineItemCost: _cost, ...noCost } = raw.lineItems[0]
    expect(() => canonical({ ...raw, lineItems: [noCost] })).toThrow(`line item ${id} has no lineItemCost`)
    expect(() => canonical({ ...raw, lineItems: [] })).toThrow(`eBay order ${raw.orderId} has no line items`)
    const noCurrency = structuredClone(raw)
    delete noCurrency.pricingSummary.total.currency
    delete noCurrency.pricingSummary.priceSubtotal.currency
    delete noCurrency.lineItems[0].lineItemCost.currency
    expect(() => canonical(noCurrency)).toThrow(/gives no currency/)
  })

  it("decides prices_include_tax from the figures first, the site second", () => {
    // A GB order with tax added on top (the total is price + tax) is not tax-inclusive.
    const onTop = makeOrder({ seq: 46, currency: "GBP", lineItems: [{ quantity: 1, unitPrice: 10, tax: 2, shipping: 0 }] })
    expect(canonical(onTop).prices_include_tax).toBe(false)
    // A DE order without tax figures is (site rule); so is one whose total holds its VAT.
    expect(canonical(makeOrder({ seq: 47, currency: "EUR" })).prices_include_tax).toBe(true)
    const inclusive = makeOrder({ seq: 48, currency: "USD", lineItems: [{ quantity: 1, unitPrice: 11.9, tax: 1.9, shipping: 0 }] })
    inclusive.pricingSummary.total = { value: "11.90", currency: "USD" }
    expect(canonical(inclusive).prices_include_tax).toBe(true)
  })
})
