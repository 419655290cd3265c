import { CanonicalOrderSchema } from "../../../modules/channel/types/canonical-order"
import { normalizeProvince, resolveCountry, resolveOrderCountries } from "../countries"

describe("countries", () => {
  it.each([
    ["FR", "fr"],
    ["fr", "fr"],
    ["FRA", "fr"],
    ["France", "fr"],
    ["Belgique", "be"],
    ["België", "be"],
    ["Deutschland", "de"],
    ["Allemagne", "de"],
    ["ESPAÑA", "es"],
    ["United Kingdom", "gb"],
    ["UK", "gb"],
    ["Vereinigte Staaten", "us"],
    ["USA", "us"],
  ])("%s → %s", (given, code) => expect(resolveCountry(given)).toBe(code))

  it("unknown or empty values resolve to null", () => {
    expect(resolveCountry("")).toBeNull()
    expect(resolveCountry("XX")).toBeNull()
    expect(resolveCountry("Atlantis")).toBeNull()
    expect(resolveCountry(null)).toBeNull()
  })

  it("provinces become the ISO 3166-2 codes Medusa's tax regions use", () => {
    expect(normalizeProvince("us", "CA")).toBe("us-ca")
    expect(normalizeProvince("us", "US-CA")).toBe("us-ca")
    expect(normalizeProvince("us", "California")).toBe("us-ca")
    expect(normalizeProvince("de", "Bayern")).toBe("Bayern")
    expect(normalizeProvince("us", null)).toBeNull()
  })

  it("an order's addresses get a country from a name or the channel default, or are reported", () => {
    const order = CanonicalOrderSchema.parse({
      external_id: "1",
      status: "x",
      created_at: "2026-12-01T00:00:00Z",
      updated_at: "2026-12-01T00:00:00Z",
      currency_code: "EUR",
      items: [{ external_id: "1", title: "t", quantity: 1, unit_price: 1 }],
      shipping_address: { address_1: "1 rue", city: "Paris", country_code: "", country: "France" },
      billing_address: { address_1: "1 rue", city: "Nowhere", country: "Atlantis" },
    })
    const r = resolveOrderCountries(order)
    expect(r.order.shipping_address?.country_code).toBe("fr")
    expect(r.problems).toEqual([{ address: "billing_address", given: "Atlantis" }])
    expect(resolveOrderCountries(order, "DE").order.billing_address?.country_code).toBe("de")
  })
})
