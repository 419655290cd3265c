import { CanonicalOrderSchema, type CanonicalOrderInput } from "../../../modules/channel/types/canonical-order"
import { buildRuleFacts, readFact } from "../facts"

const channel = { id: "chan_1", provider: "sandbox" }

function order(overrides: Partial<CanonicalOrderInput> = {}) {
  return CanonicalOrderSchema.parse({
    external_id: "1203",
    status: "Unshipped",
    created_at: "2024-05-01T10:00:00Z",
    updated_at: "2024-05-01T10:00:00Z",
    currency_code: "EUR",
    email: "Buyer@Example.com",
    shipping_address: { country_code: "DE", city: "Berlin" },
    items: [
      { external_id: "l1", sku: "V789", title: "Vase", quantity: 5, unit_price: 10.1, tax_total: 1.92, discount_total: 0.5 },
      { external_id: "l2", sku: "A100", title: "Bowl", quantity: 2, unit_price: 0.1 },
      { external_id: "l3", sku: null, title: "Gift card", quantity: 1, unit_price: 0.2 },
      { external_id: "l4", sku: "V789", title: "Vase again", quantity: 1, unit_price: 0 },
    ],
    shipping: { service_code: "EXPRESS", name: "Express 24h", price: 4.99 },
    notes: "  Leave at the door ",
    custom_fields: { gift_wrap: true, priority: "high", weight: 2.5, empty: "  ", nested: { a: 1 }, list: ["x"] },
    ...overrides,
  })
}

describe("buildRuleFacts", () => {
  it("computes totals and quantities from the lines", () => {
    const facts = buildRuleFacts(order(), channel, { store_country_code: "FR" })
    // 10.1*5 + 1.92 - 0.5 = 51.92; 0.1*2 = 0.2; 0.2; 0; + 4.99 shipping
    expect(facts.total).toBe(57.31)
    expect(facts.item_count).toBe(4)
    expect(facts.total_quantity).toBe(9)
    expect(facts.max_item_quantity).toBe(5)
    expect(facts.skus).toEqual(["V789", "A100"])
  })

  it("rounds the total to cents without float drift", () => {
    const facts = buildRuleFacts(
      order({
        items: [
          { external_id: "a", title: "A", quantity: 3, unit_price: 0.1 },
          { external_id: "b", title: "B", quantity: 1, unit_price: 0.2 },
          { external_id: "c", title: "C", quantity: 1, unit_price: 1.005 },
        ],
        shipping: { price: 0 },
      }),
      channel
    )
    expect(facts.total).toBe(1.51)
  })

  it("exposes the order, channel and shipping fields", () => {
    const facts = buildRuleFacts(order(), channel, { store_country_code: "FR" })
    expect(facts).toMatchObject({
      external_id: "1203",
      currency_code: "eur",
      shipping_country: "de",
      is_international: true,
      shipping_service: "EXPRESS",
      email: "Buyer@Example.com",
      notes: "Leave at the door",
      channel_id: "chan_1",
      channel_provider: "sandbox",
      external_status: "Unshipped",
      fulfilled_by_marketplace: false,
    })
  })

  it("falls back to the shipping name when there is no service code", () => {
    const facts = buildRuleFacts(order({ shipping: { name: "Standard", price: 0 } }), channel)
    expect(facts.shipping_service).toBe("Standard")
  })

  it("compares the shipping country with the store's, ignoring case", () => {
    expect(buildRuleFacts(order(), channel, { store_country_code: "de" }).is_international).toBe(false)
    expect(buildRuleFacts(order(), channel, { store_country_code: "DE" }).is_international).toBe(false)
  })

  it("leaves is_international missing when either country is unknown", () => {
    expect(buildRuleFacts(order(), channel, {}).is_international).toBeNull()
    expect(buildRuleFacts(order(), channel, { store_country_code: null }).is_international).toBeNull()
    expect(buildRuleFacts(order({ shipping_address: null }), channel, { store_country_code: "fr" })).toMatchObject({
      shipping_country: null,
      is_international: null,
    })
  })

  it("turns blank text into missing values", () => {
    const facts = buildRuleFacts(order({ email: " ", notes: "" }), channel)
    expect(facts.email).toBeNull()
    expect(facts.notes).toBeNull()
  })

  it("keeps only scalar custom fields", () => {
    const facts = buildRuleFacts(order(), channel)
    expect(facts.custom_fields).toEqual({ gift_wrap: true, priority: "high", weight: 2.5 })
  })

  it("reads fields, list variants and custom fields by name", () => {
    const facts = buildRuleFacts(order({ fulfilled_by_marketplace: true }), channel)
    expect(readFact(facts, "total")).toBe(57.31)
    expect(readFact(facts, "skus.all")).toEqual(["V789", "A100"])
    expect(readFact(facts, "custom_fields.priority")).toBe("high")
    expect(readFact(facts, "custom_fields.missing")).toBeNull()
    expect(readFact(facts, "custom_fields.toString")).toBeNull()
    expect(readFact(facts, "fulfilled_by_marketplace")).toBe(true)
    expect(readFact(facts, "nope")).toBeNull()
  })
})
