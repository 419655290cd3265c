import { loadMiraklMoneyCases, miraklMoneyCases, type MiraklMoneyCase } from "../../../../integration-tests/fixtures/money/mirakl"
import { makeOrder, type MiraklOrderJson, type MiraklSimulator } from "../../../../integration-tests/simulators/mirakl"
import { parseCanonicalOrder, type CanonicalOrder } from "../../../modules/channel/types/canonical-order"
import { marketplaceFigures, orderAmounts, predictTotals } from "../../../workflows/import-orders/order-amounts"
import { chargeType } from "../mapper"
import { API_KEY, channel, finish, provider, startSimulator } from "./mirakl-harness"

const parse = (raw: unknown): CanonicalOrder => {
  const result = parseCanonicalOrder(provider().normalize(raw, { settings: {} }))
  if (!result.success) throw new Error(result.message)
  return result.order
}

const cents = (n: number) => Math.round(n * 100) / 100
const addTax = (o: CanonicalOrder, tax: number) => (o.prices_include_tax ? 0 : tax)

/** What the buyer pays for each part, as the core adds it up (tax added only when prices exclude it). */
function parts(o: CanonicalOrder) {
  const items = o.items.map((i) => ({ sku: i.sku ?? null, total: i.unit_price * i.quantity - i.discount_total + addTax(o, i.tax_total) }))
  const charges = o.charges.map((c) => ({ sku: null, title: c.name, total: c.amount - c.discount_total + addTax(o, c.tax_total) }))
  const shipping = o.shipping.price - o.shipping.discount_total + addTax(o, o.shipping.tax_total)
  const total = [...items, ...charges].reduce((s, l) => s + l.total, shipping)
  const tax = o.items.reduce((s, i) => s + i.tax_total, o.shipping.tax_total) + o.charges.reduce((s, c) => s + c.tax_total, 0)
  return { lines: [...items, ...charges], shipping, total, tax }
}

const captured = (o: CanonicalOrder, total: number) => (o.payment_status === "pending" || !(total > 0) ? 0 : cents(total))

const idOf = (c: MiraklMoneyCase) => (c.raw as MiraklOrderJson).order_id

/** What each case must fill, beyond the totals every case checks. */
const CANONICAL: Record<string, (o: CanonicalOrder) => void> = {
  "MNY_EU_TTC-A": (o) => {
    expect(o).toMatchObject({ prices_include_tax: true, tax_collected_by: "seller", charges: [], totals: { total: 134.87, tax_total: 22.48 } })
    expect(o.items[0]).toMatchObject({
      sku: "KETTLE-1",
      quantity: 2,
      unit_price: 59.99,
      discount_total: 0,
      tax_total: 20,
      tax_rate: 20,
      tax_lines: [{ code: "TAXDEFAULT", rate: 20, amount: 20 }],
    })
    expect(o.shipping).toMatchObject({ price: 4.99, discount_total: 0, tax_total: 0.83, tax_rate: 20 })
    // Included in the price: listed, never charged again.
    expect(o.custom_fields.mirakl.eco_contributions).toEqual([
      { order_line_id: "MNY_EU_TTC-A-1", epr_category_code: "FR_DEE", unit_amount: 0.5, total_amount: 1 },
    ])
    expect(o.shipping_address).toMatchObject({ country_code: "fr", country: "France" })
  },
  "MNY_US_TAX-A": (o) => {
    expect(o).toMatchObject({ prices_include_tax: false, tax_collected_by: "marketplace", currency_code: "usd", totals: { total: 60.7, tax_total: 5.7 } })
    expect(o.items[0]).toMatchObject({
      unit_price: 25,
      quantity: 2,
      tax_total: 5.18,
      tax_rate: 10.35,
      tax_lines: [
        { code: "US_WA_STATE", rate: 6.5, amount: 3.25 },
        { code: "US_WA_SEATTLE", rate: 3.85, amount: 1.93 },
      ],
    })
    expect(o.shipping).toMatchObject({
      price: 5,
      tax_total: 0.52,
      tax_rate: 10.35,
      tax_lines: [
        { code: "US_WA_STATE", rate: 6.5, amount: 0.33 },
        { code: "US_WA_SEATTLE", rate: 3.85, amount: 0.19 },
      ],
    })
    expect(o.shipping_address).toMatchObject({ country_code: "us", province: "WA" })
  },
  "MNY_PROMO-A": (o) => {
    expect(o.items.map((i) => [i.unit_price, i.quantity, i.discount_total, i.discounts])).toEqual([
      [30, 2, 10, [{ code: "SPRING10", name: "10 EUR off running shoes", amount: 10 }]],
      [19.9, 1, 1.99, [{ code: "BASKET10", name: "10 % off the basket", amount: 1.99 }]],
    ])
    expect(o.items.map((i) => i.tax_total)).toEqual([7.98, 2.86])
    // The order's promotion summary repeats the lines' promotions: nothing is left over or deducted twice.
    expect(o.shipping).toMatchObject({ price: 3.9, discount_total: 0, discounts: [] })
    expect(o.custom_fields.mirakl.unallocated_promotions).toBeUndefined()
  },
  "MNY_FEES-A": (o) => {
    expect(o.charges).toEqual([
      { type: "gift_wrap", external_id: "MNY_FEES-A-1", name: "GIFT_WRAP", amount: 3.5, discount_total: 0, tax_total: 0, tax_rate: null, tax_lines: [] },
      { type: "fee", external_id: "MNY_FEES-A-1", name: "CARD_FEE", amount: 0.5, discount_total: 0, tax_total: 0, tax_rate: null, tax_lines: [] },
      { type: "fee", external_id: "MNY_FEES-A-1", name: "EU_DRS", amount: 0.25, discount_total: 0, tax_total: 0, tax_rate: null, tax_lines: [] },
    ])
    expect(o.totals).toMatchObject({ total: 55.07, tax_total: 8.82 })
  },
  "MNY_SUBCENT-A": (o) => {
    expect(o.items[0].unit_price).toBe(22.495)
    expect(o.items[0]).toMatchObject({ quantity: 2, discount_total: 0, tax_total: 7.5 })
  },
  "MNY_ZERO-A": (o) => {
    expect(o.items[0]).toMatchObject({ unit_price: 0, quantity: 1, tax_total: 0, tax_lines: [] })
    expect(o).toMatchObject({ payment_status: "paid", totals: { total: 0, tax_total: 0 } })
  },
  "MNY_COUNTRY-A": (o) => {
    expect(o.shipping_address).toMatchObject({ country_code: "be", country: "Belgique" })
    expect(o.billing_address).toMatchObject({ country_code: "de", country: "Deutschland" })
  },
  "MNY_COD-A": (o) => {
    expect(o).toMatchObject({ payment_status: "pending", payment_method: "cash_on_delivery", prices_include_tax: true })
    expect(o.charges).toEqual([expect.objectContaining({ type: "cod_fee", name: "COD_FEE", amount: 2.5 })])
    expect(o.custom_fields.mirakl).toMatchObject({ payment_workflow: "PAY_ON_DELIVERY", payment_type: "CASH_ON_DELIVERY" })
  },
  "MNY_CANCEL-A": (o) => {
    expect(o.items.map((i) => [i.sku, i.quantity, i.unit_price, i.discount_total, i.tax_total])).toEqual([
      ["PLATE-6", 2, 12.5, 0, 5],
      ["CUP-2", 1, 8, 0, 1.6],
    ])
    expect(o.shipping).toMatchObject({ price: 4.9, tax_total: 0.98 })
    expect(o.totals).toMatchObject({ total: 45.48, tax_total: 7.58 })
  },
}

describe("Mirakl money cases, served by the simulator", () => {
  let sim: MiraklSimulator
  const fetched = new Map<string, unknown>()

  beforeAll(async () => {
    sim = await startSimulator()
    loadMiraklMoneyCases(sim)
    for (const c of miraklMoneyCases) fetched.set(idOf(c), await provider().getOrder(channel(sim), idOf(c)))
  })
  afterAll(() => finish(sim))

  it("has a canonical check for every case, and every case is served as it is written", () => {
    expect(Object.keys(CANONICAL).sort()).toEqual(miraklMoneyCases.map(idOf).sort())
    for (const c of miraklMoneyCases) {
      const served = fetched.get(idOf(c)) as MiraklOrderJson
      const { created_date, last_updated_date, ...money } = c.raw as MiraklOrderJson
      // Only the dates move; every money field is what the fixture says.
      expect(served).toMatchObject({ order_lines: money.order_lines.map((l: any) => ({ price: l.price, taxes: l.taxes, total_price: l.total_price })) })
      expect(served).toMatchObject({ total_price: money.total_price, order_taxes: money.order_taxes, order_tax_mode: money.order_tax_mode })
    }
  })

  it.each(miraklMoneyCases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const order = parse(fetched.get(idOf(c)))
    const e = c.expected
    const p = parts(order)

    // The buyer's figures, by the core's formula.
    expect(cents(p.total)).toBe(e.total)
    expect(cents(p.tax)).toBe(e.tax_total)
    expect(cents(p.shipping)).toBe(e.shipping_total)
    expect(p.lines.map((l) => ({ ...l, total: cents(l.total) }))).toEqual(e.lines)
    expect(order.prices_include_tax).toBe(e.prices_include_tax)
    expect(order.currency_code).toBe(e.currency_code)
    expect(captured(order, p.total)).toBe(e.captured)
    // The marketplace's own figures agree, so reconciliation holds nothing.
    expect(order.totals.total).toBe(e.total)
    expect(cents(order.totals.tax_total ?? NaN)).toBe(e.tax_total)

    // And Medusa's own totals over the records the core builds give the same.
    const amounts = orderAmounts(order, "marketplace")
    expect(amounts.problems).toEqual([])
    const medusa = predictTotals(order, amounts)
    expect(cents(medusa.total)).toBe(e.total)
    expect(cents(medusa.tax_total)).toBe(e.tax_total)
    expect(marketplaceFigures(order)).toMatchObject({ total: e.total, reported: true })

    CANONICAL[idOf(c)](order)
  })
})

describe("Mirakl money edge cases", () => {
  let sim: MiraklSimulator | undefined
  afterEach(async () => {
    await finish(sim)
    sim = undefined
  })

  it("imports what is left of a line partly canceled through OR30, with Mirakl's proportional taxes", async () => {
    sim = await startSimulator()
    sim.addOrder({
      id: "OR30_1-A",
      state: "SHIPPING",
      lines: [{ id: "OR30_1-A-1", sku: "GLASS-6", quantity: 3, unitPrice: 7.5, shippingPrice: 3, taxRate: 20 }],
    })
    const res = await fetch(`${sim.url}/api/orders/cancel`, {
      method: "PUT",
      headers: { authorization: API_KEY, "content-type": "application/json" },
      body: JSON.stringify({ cancelations: [{ order_line_id: "OR30_1-A-1", quantity: 1, amount: 7.5, shipping_amount: 1, reason_code: "34" }] }),
    })
    expect(res.status).toBe(200)
    const order = parse(await provider().getOrder(channel(sim), "OR30_1-A"))
    // Ordered 3 × 7.50 (tax 4.50), shipping 3 (tax 0.60); canceled 7.50 (tax 1.50) and 1 of shipping (tax 0.20).
    expect(order.items).toEqual([expect.objectContaining({ quantity: 2, unit_price: 7.5, discount_total: 0, tax_total: 3 })])
    expect(order.shipping).toMatchObject({ price: 2, tax_total: 0.4 })
    expect(cents(parts(order).total)).toBe(20.4)
    expect(order.totals).toMatchObject({ total: 20.4, tax_total: 3.4 })
  })

  it("keeps shipping the order reports beyond its lines'", () => {
    const raw = makeOrder({ id: "SHIP_ONLY-A", lines: [{ sku: "A", quantity: 1, unitPrice: 10, shippingPrice: 0, taxRate: 20 }] })
    raw.shipping_price = 5.9
    raw.total_price = 15.9
    const order = parse(raw)
    expect(order.shipping.price).toBe(5.9)
    expect(order.custom_fields.mirakl.order_level_shipping).toBe(5.9)
    // 10 + 2 tax + 5.9 (no tax figure for it) = 17.9, as the order reports.
    expect(cents(parts(order).total)).toBe(17.9)
    expect(order.totals.total).toBe(17.9)
  })

  it("divides the line price, unrounded, when price_unit is a rounded figure", () => {
    const raw = makeOrder({ id: "ROUND_1-A", taxMode: "TAX_INCLUDED", lines: [{ sku: "A", quantity: 3, unitPrice: 22.495, taxRate: 20 }] })
    raw.order_lines[0].price = 67.49
    const item = parse(raw).items[0]
    expect(item.unit_price).toBe(67.49 / 3)
    expect(item.discount_total).toBe(0)
    expect(cents(item.unit_price * item.quantity)).toBe(67.49)
  })

  it("scales a promotion to the units left after a proportional cancelation", () => {
    const raw = makeOrder({
      id: "PROMO_CANCEL-A",
      lines: [
        {
          sku: "A",
          quantity: 4,
          unitPrice: 10,
          taxRate: 20,
          promotions: [{ id: "P1", amount: 4 }],
          cancelations: [{ quantity: 1, amount: 9, taxes: [{ code: "TAXDEFAULT", amount: 1.8 }] }],
        },
      ],
    })
    const item = parse(raw).items[0]
    // 4 × 10 − 4 = 36, less the canceled 9 = 27 for 3 units: 30 − 3 of the promotion.
    expect(item).toMatchObject({ quantity: 3, unit_price: 10, discount_total: 3, discounts: [{ code: "P1", name: "P1", amount: 3 }], tax_total: 5.4 })
  })

  it("leaves out a line whose every unit was canceled, but keeps the shipping its cancelation did not take back", () => {
    const raw = makeOrder({
      id: "ALL_CANCELED-A",
      lines: [
        { sku: "GONE", quantity: 1, unitPrice: 10, shippingPrice: 4, taxRate: 20, cancelations: [{ quantity: 1, amount: 10, taxes: [{ code: "TAXDEFAULT", amount: 2 }] }] },
        { sku: "KEPT", quantity: 1, unitPrice: 5, shippingPrice: 0, taxRate: 20 },
      ],
    })
    const order = parse(raw)
    expect(order.items.map((i) => i.sku)).toEqual(["KEPT"])
    expect(order.shipping).toMatchObject({ price: 4, tax_total: 0.8 })
    // 5 + 1 + 4 + 0.8
    expect(cents(parts(order).total)).toBe(10.8)
    expect(order.totals.total).toBe(10.8)
  })

  it("leaves an order-level promotion no line carries out of the amounts, for reference", () => {
    const raw = makeOrder({ id: "PROMO_ORDER-A", lines: [{ sku: "A", quantity: 1, unitPrice: 10, taxRate: 20 }] })
    raw.promotions = {
      applied_promotions: [{ apportioned: false, configuration: { internal_description: "Welcome", type: "AMOUNT_OFF" }, deduced_amount: 2, id: "WELCOME" }],
      total_deduced_amount: 2,
    }
    const order = parse(raw)
    expect(order.items[0]).toMatchObject({ unit_price: 10, discount_total: 0 })
    expect(order.custom_fields.mirakl.unallocated_promotions).toEqual([{ id: "WELCOME", deduced_amount: 2 }])
  })

  it.each([
    ["PAY_ON_ACCEPTANCE", "SHIPPING", "paid"],
    ["PAY_ON_ACCEPTANCE", "WAITING_DEBIT_PAYMENT", "pending"],
    ["PAY_ON_DELIVERY", "SHIPPED", "pending"],
    // Debited once received.
    ["PAY_ON_DELIVERY", "RECEIVED", "paid"],
    ["PAY_ON_DUE_DATE", "SHIPPING", "pending"],
    ["PAY_ON_SHIPMENT", "SHIPPING", "paid"],
    ["NO_CUSTOMER_PAYMENT_CONFIRMATION", "SHIPPING", "paid"],
  ] as const)("payment workflow %s in %s is %s", (paymentWorkflow, state, status) => {
    const order = parse(makeOrder({ id: "PAY_1-A", state, paymentWorkflow, paymentType: "Visa" }))
    expect(order.payment_status).toBe(status)
    expect(order.payment_method).toBe(paymentWorkflow === "PAY_ON_DELIVERY" ? "cash_on_delivery" : "Visa")
  })

  it("leaves the tax to the seller unless the operator keeps every tax amount", () => {
    const build = () =>
      makeOrder({ id: "TAX_WHO-A", currency: "USD", shippingCountry: "USA", operatorCollectsTax: true, lines: [{ sku: "A", shippingPrice: 2, taxRate: 8 }] })
    expect(parse(build()).tax_collected_by).toBe("marketplace")
    const paidToShop = build()
    paidToShop.order_lines[0].shipping_taxes[0].amount_breakdown.parts[0].payable_to_shop = true
    expect(parse(paidToShop).tax_collected_by).toBe("seller")
    const direct = build()
    direct.customer_directly_pays_seller = true
    expect(parse(direct).tax_collected_by).toBe("seller")
    expect(parse(makeOrder({ id: "TAX_WHO-A", lines: [{ sku: "A", taxRate: 20 }] })).tax_collected_by).toBe("seller")
  })

  it.each([
    ["GIFT_WRAP", "gift_wrap"],
    ["giftwrapping", "gift_wrap"],
    ["COD_FEE", "cod_fee"],
    ["CASH_ON_DELIVERY", "cod_fee"],
    ["ECO_PARTICIPATION", "eco_fee"],
    ["WEEE", "eco_fee"],
    ["HANDLING_FEE", "handling"],
    ["CARD_FEE", "fee"],
    ["CODE_PROMO_FEE", "fee"],
  ] as const)("fee code %s is a %s charge", (code, type) => {
    expect(chargeType(code)).toBe(type)
  })
})
