import { parseCanonicalOrder } from "../types/canonical-order"

const valid = {
  external_id: "A-1",
  status: "paid",
  created_at: "2026-01-01T10:00:00Z",
  updated_at: "2026-01-01T10:05:00Z",
  currency_code: "EUR",
  shipping_address: { country_code: "DE", city: "Berlin" },
  items: [{ external_id: "L1", sku: "TSHIRT-M", title: "Tee", quantity: 2, unit_price: 19.9 }],
}

describe("canonical order validation", () => {
  it("accepts a minimal order and fills defaults", () => {
    const r = parseCanonicalOrder(valid)
    expect(r.success).toBe(true)
    if (!r.success) return
    expect(r.order.currency_code).toBe("eur")
    // Countries are resolved by the pipeline (codes, ISO-3 codes, names), not refused here.
    expect(r.order.shipping_address?.country_code).toBe("DE")
    expect(r.order.items[0]).toMatchObject({ tax_total: 0, discount_total: 0, tax_lines: [], discounts: [] })
    expect(r.order).toMatchObject({
      fulfilled_by_marketplace: false,
      payment_status: "paid",
      custom_fields: {},
      prices_include_tax: false,
      tax_collected_by: "seller",
      charges: [],
      totals: {},
      shipping: { price: 0, discount_total: 0, tax_total: 0 },
    })
  })

  it("keeps decimal strings exact and refuses amounts that are not numbers", () => {
    const r = parseCanonicalOrder({ ...valid, items: [{ ...valid.items[0], unit_price: "22.495", tax_total: "1.5" }] })
    expect(r.success && r.order.items[0]).toMatchObject({ unit_price: 22.495, tax_total: 1.5 })
    const bad = parseCanonicalOrder({ ...valid, items: [{ ...valid.items[0], unit_price: "12,50" }] })
    expect(bad.success).toBe(false)
    if (!bad.success) expect(bad.message).toContain("items.0.unit_price: must be a number or a decimal amount")
  })

  it("names every bad field in one readable message", () => {
    const r = parseCanonicalOrder({
      ...valid,
      currency_code: "EURO",
      shipping_address: { country_code: "DEU" },
      items: [{ external_id: "L1", title: "Tee", quantity: 0, unit_price: -1 }],
    })
    expect(r.success).toBe(false)
    if (r.success) return
    expect(r.message).toContain("currency_code")
    expect(r.message).toContain("items.0.quantity")
    expect(r.message).toContain("items.0.unit_price")
  })

  it("refuses an order without items or dates", () => {
    const r = parseCanonicalOrder({ ...valid, items: [], updated_at: "yesterday" })
    expect(r.success).toBe(false)
    if (r.success) return
    expect(r.message).toMatch(/items: an order needs at least one item/)
    expect(r.message).toMatch(/updated_at/)
  })
})
