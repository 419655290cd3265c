import { CanonicalOrderSchema, type CanonicalOrderInput } from "../../../modules/channel/types/canonical-order"
import { marketplaceFigures, orderAmounts, predictTotals, reconcile, reconciliationInput, reconciliationOutcome, type TaxMode } from "../order-amounts"

const base: CanonicalOrderInput = {
  external_id: "X-1",
  status: "PAID",
  created_at: "2026-12-01T10:00:00Z",
  updated_at: "2026-12-01T10:00:00Z",
  currency_code: "EUR",
  items: [],
}
const order = (o: Partial<CanonicalOrderInput>) => CanonicalOrderSchema.parse({ ...base, ...o })
const totals = (o: ReturnType<typeof order>, mode: TaxMode = "marketplace") => predictTotals(o, orderAmounts(o, mode))

describe("order amounts: Medusa's totals equal the marketplace's figures", () => {
  it("VAT-inclusive lines and shipping keep the price the buyer paid; the tax is the marketplace's", () => {
    const o = order({
      prices_include_tax: true,
      items: [
        { external_id: "1", title: "Mug", quantity: 2, unit_price: 29.99, tax_total: 9.58, tax_rate: 19 },
        { external_id: "2", title: "Cap", quantity: 1, unit_price: 10.3, tax_total: 1.64, tax_rate: 19 },
      ],
      shipping: { price: 4.99, tax_total: 0.8, tax_rate: 19 },
    })
    const a = orderAmounts(o, "marketplace")
    expect(a.items["1"].is_tax_inclusive).toBe(true)
    expect(a.items["1"].tax_lines).toHaveLength(1)
    expect(a.items["1"].tax_lines[0].description).toBe("TAX 19%")
    expect(totals(o)).toEqual({ total: 75.27, tax_total: 12.02 })
    expect(marketplaceFigures(o)).toEqual({ total: 75.27, tax_total: 12.02, reported: false })
  })

  it("never rounds a sub-cent unit price before multiplying", () => {
    const o = order({ items: [{ external_id: "1", title: "Screw", quantity: 2, unit_price: 22.495, tax_total: 3.71 }] })
    expect(totals(o)).toEqual({ total: 48.7, tax_total: 3.71 })
    expect(totals(o, "none")).toEqual({ total: 44.99, tax_total: 0 })
  })

  it("item and shipping promotions on inclusive prices are adjustments that give back the exact discount", () => {
    const o = order({
      prices_include_tax: true,
      items: [{ external_id: "1", title: "Lamp", quantity: 1, unit_price: 39.9, discount_total: 5, discounts: [{ code: "PROMO5", amount: 5 }], tax_total: 5.57 }],
      shipping: { price: 5.9, discount_total: 2, tax_total: 0.62 },
    })
    const a = orderAmounts(o, "marketplace")
    expect(a.items["1"].adjustments).toEqual([expect.objectContaining({ code: "PROMO5", amount: "5", is_tax_inclusive: true })])
    expect(a.shipping.adjustments).toHaveLength(1)
    expect(totals(o)).toEqual({ total: 38.8, tax_total: 6.19 })
  })

  it("charges (gift wrap, COD fee) become lines of their own", () => {
    const o = order({
      prices_include_tax: true,
      items: [{ external_id: "1", title: "Book", quantity: 1, unit_price: 20, tax_total: 1.31 }],
      charges: [
        { type: "gift_wrap", name: "Gift wrap", amount: 3.33, tax_total: 0.53 },
        { type: "cod_fee", name: "Cash on delivery fee", amount: 2, tax_total: 0 },
      ],
    })
    const a = orderAmounts(o, "marketplace")
    expect(a.charges.map((c) => [c.key, c.title, c.unit_price])).toEqual([
      ["charge:0", "Gift wrap", "3.33"],
      ["charge:1", "Cash on delivery fee", "2"],
    ])
    expect(totals(o)).toEqual({ total: 25.33, tax_total: 1.84 })
  })

  it("US marketplace-collected tax is on the order and says who collected it", () => {
    const o = order({
      currency_code: "USD",
      tax_collected_by: "marketplace",
      items: [{ external_id: "1", title: "Pen", quantity: 1, unit_price: 34.99, tax_lines: [{ code: "STATE_SALES_TAX", amount: 2.45 }, { code: "COUNTY", amount: 0.35 }], tax_total: 2.8 }],
    })
    const a = orderAmounts(o, "marketplace")
    expect(a.items["1"].tax_lines.map((t) => t.code)).toEqual(["STATE_SALES_TAX", "COUNTY"])
    expect(a.items["1"].tax_lines[0].description).toMatch(/^Collected by the marketplace/)
    expect(totals(o)).toEqual({ total: 37.79, tax_total: 2.8 })
  })

  it("store mode leaves taxes to Medusa but keeps inclusive prices inclusive; none mode adds no tax", () => {
    const o = order({ prices_include_tax: true, items: [{ external_id: "1", title: "Mug", quantity: 1, unit_price: 29.99, tax_total: 4.79 }] })
    expect(orderAmounts(o, "store").items["1"]).toMatchObject({ is_tax_inclusive: true, tax_lines: [] })
    expect(orderAmounts(o, "none").items["1"]).toMatchObject({ is_tax_inclusive: false, tax_lines: [] })
    expect(totals(o, "none")).toEqual({ total: 29.99, tax_total: 0 })
  })

  it("a zero-value replacement totals 0", () => {
    const o = order({ items: [{ external_id: "1", title: "Replacement", quantity: 1, unit_price: 0 }], replaces_external_id: "X-0" })
    expect(totals(o)).toEqual({ total: 0, tax_total: 0 })
  })
})

describe("reconciliation", () => {
  const o = order({
    prices_include_tax: true,
    items: [{ external_id: "1", title: "Mug", quantity: 1, unit_price: 39.9, tax_total: 6.37 }],
    totals: { total: 39.9, tax_total: 6.37, paid_total: 39.9 },
  })
  const input = reconciliationInput(o, orderAmounts(o, "marketplace"))

  it("reconciles equal figures and holds a difference over a cent with both figures", () => {
    expect(reconcile(input, { total: 39.9, tax_total: 6.37, paid_total: 39.9 }).status).toBe("reconciled")
    expect(reconcile(input, { total: 39.905, tax_total: 6.37, paid_total: null }).status).toBe("reconciled")
    const off = reconcile(input, { total: 48.28, tax_total: 7.71, paid_total: 48.28 })
    expect(off.status).toBe("mismatch")
    expect(off.difference).toEqual({ total: 8.38, tax_total: 1.34 })
    const outcome = reconciliationOutcome(off, "eur")
    expect(outcome.hold).toEqual({ reason: "total_mismatch", detail: expect.stringContaining("total 48.28 EUR in Medusa, 39.9 EUR on the marketplace") })
  })

  it("a tax no line can carry is a mismatch, whatever the totals", () => {
    const bad = order({ items: [{ external_id: "1", title: "Free", quantity: 1, unit_price: 0, tax_total: 1 }] })
    const a = orderAmounts(bad, "marketplace")
    expect(a.problems).toEqual(["Line 1: tax of 1 on a net amount of 0"])
    expect(reconcile(reconciliationInput(bad, a), { total: 0, tax_total: 0, paid_total: 0 }).status).toBe("mismatch")
  })

  it("store and none modes record the figures without judging them", () => {
    const r = reconcile(reconciliationInput(o, orderAmounts(o, "store")), { total: 41, tax_total: 7, paid_total: 41 })
    expect(r).toMatchObject({ status: "not_checked", reason: 'tax_mode is "store"' })
  })
})
