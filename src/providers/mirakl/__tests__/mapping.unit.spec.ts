import fs from "node:fs"
import path from "node:path"
import { ChannelOrderImportError } from "../../../modules/channel/errors"
import { parseCanonicalOrder } from "../../../modules/channel/types/canonical-order"
import { STATUS_ACTIONS } from "../../../modules/channel/types/provider"
import { loadSampleOrder, makeOrder, repairSampleOrder, type MiraklSimulator } from "../../../../integration-tests/simulators/mirakl"
import { SPECS, validateResponse } from "../../../../integration-tests/simulators/openapi"
import { trackingBody } from "../carriers"
import { ALPHA3_TO_ALPHA2, toAlpha2 } from "../countries"
import { MIRAKL_ORDER_STATES } from "../statuses"
import { caught, channel, finish, expectSpecValidTraffic, provider, startSimulator } from "./mirakl-harness"

const parse = (raw: unknown, settings: Record<string, any> = {}) => {
  const result = parseCanonicalOrder(provider().normalize(raw, { settings }))
  if (!result.success) throw new Error(result.message)
  return result.order
}

describe("Mirakl → canonical order", () => {
  let sim: MiraklSimulator | undefined
  afterEach(async () => {
    await finish(sim)
    sim = undefined
  })

  it("maps an order fetched from the simulator: countries, amounts, lines, shipping", async () => {
    sim = await startSimulator()
    sim.addOrder({
      id: "MAP_1-A",
      state: "SHIPPING",
      createdAt: "2026-02-28T23:30:00+01:00",
      lastUpdated: "2026-03-01T08:00:00Z",
      currency: "EUR",
      shippingCountry: "DEU",
      billingCountry: "AUT",
      firstname: "Jonas",
      lastname: "Weber",
      shippingTypeCode: "EXP",
      shippingTypeLabel: "Express",
      additionalFields: [
        { code: "gift-wrap", type: "BOOLEAN", value: true },
        { code: "customer-vat", type: "STRING", value: "ATU12345678" },
      ],
      lines: [
        { id: "MAP_1-A-1", sku: "TEA-GREEN", productSku: "MKP-998", title: "Green tea 100 g", quantity: 3, unitPrice: 4.99, shippingPrice: 2.5, taxRate: 19 },
        { id: "MAP_1-A-2", sku: "TEA-CUP", quantity: 1, unitPrice: 0.1, shippingPrice: 0.2, taxRate: 19 },
      ],
    })
    const raw = await provider().getOrder(channel(sim), "MAP_1-A")
    expectSpecValidTraffic(sim)
    const order = parse(raw)

    expect(order).toMatchObject({
      external_id: "MAP_1-A",
      status: "SHIPPING",
      created_at: "2026-02-28T22:30:00.000Z",
      updated_at: "2026-03-01T08:00:00.000Z",
      currency_code: "eur",
      email: "notification+map_1@notification.mirakl.net",
      customer: { first_name: "Jonas", last_name: "Weber", phone: "+33 1 23 45 67 89" },
      payment_status: "paid",
      fulfilled_by_marketplace: false,
    })
    expect(order.shipping_address).toMatchObject({
      first_name: "Jonas",
      address_1: "12 rue des Lilas",
      address_2: "Bâtiment B",
      postal_code: "75011",
      city: "Paris",
      province: "Île-de-France",
      country_code: "de",
    })
    expect(order.billing_address?.country_code).toBe("at")
    expect(order.items).toEqual([
      {
        external_id: "MAP_1-A-1",
        sku: "TEA-GREEN",
        marketplace_product_id: "MKP-998",
        title: "Green tea 100 g",
        quantity: 3,
        shipped_quantity: 0,
        unit_price: 4.99,
        discount_total: 0,
        discounts: [],
        tax_total: 2.84,
        tax_rate: 19,
        tax_lines: [{ code: "TAXDEFAULT", name: null, rate: 19, amount: 2.84 }],
      },
      expect.objectContaining({ external_id: "MAP_1-A-2", sku: "TEA-CUP", quantity: 1, unit_price: 0.1, tax_total: 0.02 }),
    ])
    // 2.5 + 0.2 without float drift; the shipping taxes of both lines, per code.
    expect(order.shipping).toEqual({
      service_code: "EXP",
      name: "Express",
      price: 2.7,
      discount_total: 0,
      discounts: [],
      tax_total: 0.52,
      tax_rate: 19,
      tax_lines: [{ code: "TAXDEFAULT", name: null, rate: 19, amount: 0.52 }],
    })
    expect(order).toMatchObject({
      prices_include_tax: false,
      tax_collected_by: "seller",
      charges: [],
      // TAX_EXCLUDED: total_price (14.97 + 0.1 + 2.7) plus order_taxes (2.86 + 0.52).
      totals: { total: 21.15, tax_total: 3.38, paid_total: null },
      payment_method: "Visa",
    })
    expect(order.custom_fields).toMatchObject({
      "gift-wrap": true,
      "customer-vat": "ATU12345678",
      mirakl: { commercial_id: "MAP_1", order_tax_mode: "TAX_EXCLUDED", fulfillment_center: "DEFAULT" },
    })
  })

  it("maps the official OR11 example (repaired): USA → us, its amount-only cancelation, fee and two taxes", () => {
    const order = parse(repairSampleOrder())
    expect(order.shipping_address).toMatchObject({ country_code: "us", country: "USA", city: "New York", company: "LIMARK Company, Paris branch" })
    expect(order.notes).toBe("One article per box")
    // The example's cancelation takes 12.34 (quantity 0: no unit less) and 0.75 of each tax off the line.
    expect(order.items).toEqual([
      expect.objectContaining({
        sku: "S2000",
        marketplace_product_id: "MKP100000000037254",
        quantity: 3,
        unit_price: 55,
        discount_total: 12.34,
        discounts: [{ code: "MIRAKL_PRICE_ADJUSTMENT", name: "Amount canceled by the shop", amount: 12.34 }],
        tax_total: 18.5,
        // tax2 has no rate in the example: no nominal rate for the line.
        tax_rate: null,
        tax_lines: [
          { code: "tax1", name: null, rate: 17.5, amount: 9.25 },
          { code: "tax2", name: null, rate: null, amount: 9.25 },
        ],
      }),
    ])
    // Shipping 8 less the canceled 1.23; taxes 10 − 1.54 each.
    expect(order.shipping).toMatchObject({ price: 6.77, tax_total: 16.92 })
    // fee1 0.65 less the canceled 0.35.
    expect(order.charges).toEqual([
      { type: "fee", external_id: "Order_00010-A-1", name: "fee1", amount: 0.3, discount_total: 0, tax_total: 0, tax_rate: null, tax_lines: [] },
    ])
    // The eco-contribution is part of the price: kept for reference only.
    expect(order.custom_fields.mirakl.eco_contributions).toEqual([
      { order_line_id: "Order_00010-A-1", epr_category_code: "FR_DEE", unit_amount: 2, total_amount: 6 },
    ])
    expect(order).toMatchObject({ currency_code: "usd", prices_include_tax: false, payment_method: "Visa", payment_status: "paid" })
  })

  it("keeps an unaccepted order without customer or address, as Mirakl sends it", () => {
    const raw = { ...makeOrder({ id: "NEW_1-A", state: "WAITING_ACCEPTANCE" }), customer: null }
    const order = parse(raw)
    expect(order.shipping_address).toBeNull()
    expect(order.billing_address).toBeNull()
    expect(order.customer).toEqual({ first_name: null, last_name: null, phone: null })
    expect(order.payment_status).toBe("pending")
  })

  it("leaves refused lines out, and marks operator-fulfilled orders", () => {
    const raw = makeOrder({ id: "MIX_1-A", state: "SHIPPING", fulfillmentCenter: "OPERATOR_WH", lines: [{ sku: "A" }, { sku: "B" }] })
    raw.order_lines[1].order_line_state = "REFUSED"
    const order = parse(raw, { operator_fulfillment_centers: ["OPERATOR_WH"] })
    expect(order.items.map((i) => i.sku)).toEqual(["A"])
    expect(order.fulfilled_by_marketplace).toBe(true)
  })

  it("passes an unknown or missing country code on, with the country's name, instead of refusing the order", () => {
    const raw = makeOrder({ id: "BAD_1-A", shippingCountry: "XYZ", shippingCountryName: "France" })
    expect(parse(raw).shipping_address).toMatchObject({ country_code: "XYZ", country: "France" })
    delete raw.customer.billing_address.country_iso_code
    raw.customer.billing_address.country = "Belgique"
    expect(parse(raw).billing_address).toMatchObject({ country_code: null, country: "Belgique" })
    delete raw.customer.billing_address.country
    expect(parse(raw).billing_address).toMatchObject({ country_code: null, country: null })
  })

  it("names the order when its currency is missing", () => {
    const raw = makeOrder({ id: "CUR_1-A" })
    delete raw.currency_iso_code
    expect(() => provider().normalize(raw, { settings: {} })).toThrow(ChannelOrderImportError)
    expect(() => provider().normalize(raw, { settings: {} })).toThrow("Mirakl order CUR_1-A has no currency_iso_code")
  })

  it("identifies raw payloads and refuses ones without id or state", () => {
    const p = provider()
    expect(p.identify(makeOrder({ id: "ID_1-A", state: "SHIPPED", lastUpdated: "2026-03-01T10:00:00+02:00" }))).toEqual({
      external_id: "ID_1-A",
      status: "SHIPPED",
      updated_at: "2026-03-01T08:00:00.000Z",
    })
    expect(() => p.identify({ order_state: "SHIPPING" })).toThrow(expect.objectContaining({ code: "unidentified_payload" }))
  })
})

describe("countries", () => {
  it("covers every ISO-3166 country Intl knows, each alpha-2 once", () => {
    const names = new Intl.DisplayNames("en", { type: "region" })
    const alpha2 = [...ALPHA3_TO_ALPHA2.values()]
    expect(new Set(alpha2).size).toBe(alpha2.length)
    expect(ALPHA3_TO_ALPHA2.size).toBe(250) // 249 ISO entries + XK
    for (const code of alpha2) expect(names.of(code)).not.toBe(code)
  })

  it.each([
    ["FRA", "FR"],
    ["DEU", "DE"],
    ["GBR", "GB"],
    ["USA", "US"],
    ["CHE", "CH"],
    ["REU", "RE"],
    ["fra", "FR"],
    ["FR", "FR"],
    ["XXX", undefined],
    ["", undefined],
  ])("%s → %s", (input, expected) => {
    expect(toAlpha2(input)).toBe(expected)
  })
})

describe("statuses", () => {
  it("lists every order_state of the spec and gives each a valid default rule", () => {
    const p = provider()
    // The OR11 `order_state_codes` parameter carries the order_state enum.
    const specFile = [path.resolve(__dirname, "../../../../../shared/reference/specs"), path.resolve(process.cwd(), "../shared/reference/specs")]
      .map((d) => path.join(d, SPECS.mirakl))
      .find((f) => fs.existsSync(f))!
    const spec = JSON.parse(fs.readFileSync(specFile, "utf8"))
    const param = spec.paths["/api/orders"].get.parameters.find((x: any) => x.name === "order_state_codes")
    const specStates: string[] = param.schema.enum
    expect(specStates.length).toBeGreaterThanOrEqual(11)
    for (const s of specStates) expect(MIRAKL_ORDER_STATES).toContain(s)
    const rules = new Map(p.defaultStatusRules().map((r) => [r.external_status, r]))
    expect(p.statuses().map((s) => s.external_status)).toEqual([...MIRAKL_ORDER_STATES])
    for (const r of rules.values()) expect(STATUS_ACTIONS).toContain(r.action)
    expect(rules.get("WAITING_ACCEPTANCE")).toEqual({ external_status: "WAITING_ACCEPTANCE", action: "do_not_import", retry: true })
    expect(rules.get("WAITING_DEBIT_PAYMENT")).toMatchObject({ action: "do_not_import", retry: true })
    expect(rules.get("SHIPPING")).toMatchObject({ action: "import_as_valid" })
    for (const s of ["SHIPPED", "TO_COLLECT", "RECEIVED", "CLOSED"]) expect(rules.get(s)).toMatchObject({ action: "import_as_history" })
    for (const s of ["REFUSED", "CANCELED"]) expect(rules.get(s)).toEqual({ external_status: s, action: "do_not_import", retry: false })
    expect(rules.get("STAGING")).toMatchObject({ action: "do_not_import", retry: true })
  })
})

describe("carriers", () => {
  const base = { carrier_code: "", tracking_numbers: ["T1"] }
  const list = [{ code: "CHRONO", label: "Chronopost" }, { code: "UPS", label: "UPS" }]

  it("uses the registered code, matched by code or label", () => {
    expect(trackingBody({ ...base, carrier_code: "chrono" }, list)).toEqual({ carrier_code: "CHRONO", tracking_number: "T1" })
    expect(trackingBody({ ...base, carrier_code: "Chronopost" }, list)).toEqual({ carrier_code: "CHRONO", tracking_number: "T1" })
  })

  it("sends name and URL for an unregistered carrier or an 'other' code", () => {
    expect(trackingBody({ ...base, carrier_code: "OTHER", carrier_name: "Coursier Léon", tracking_url: "https://leon.example/T1" }, list)).toEqual({
      carrier_name: "Coursier Léon",
      carrier_url: "https://leon.example/T1",
      tracking_number: "T1",
    })
    expect(trackingBody({ ...base, carrier_code: "GLS" }, list)).toEqual({ carrier_name: "GLS", tracking_number: "T1" })
  })

  it("trusts the code when the operator's list is unknown, and needs some carrier", () => {
    expect(trackingBody({ ...base, carrier_code: "GLS" }, undefined)).toEqual({ carrier_code: "GLS", tracking_number: "T1" })
    expect(() => trackingBody({ ...base, carrier_code: "other" }, list)).toThrow(expect.objectContaining({ code: "invalid_shipment" }))
  })
})

describe("settings", () => {
  it("fills defaults and normalises the base URL", () => {
    const settings: Record<string, any> = { base_url: "https://acme-prod.mirakl.net/api/", shop_id: "2001" }
    const credentials: Record<string, any> = { api_key: "  k-1  " }
    provider().validateSettings(settings, credentials)
    expect(settings).toEqual({ base_url: "https://acme-prod.mirakl.net", shop_id: 2001, accept_orders: true, page_size: 100 })
    expect(credentials.api_key).toBe("k-1")
  })

  it.each([
    [{}, { api_key: "k" }, /base_url/],
    [{ base_url: "ftp://x" }, { api_key: "k" }, /http/],
    [{ base_url: "https://x.mirakl.net" }, {}, /api_key/],
    [{ base_url: "https://x.mirakl.net", page_size: 500 }, { api_key: "k" }, /page_size/],
    [{ base_url: "https://x.mirakl.net", shop_id: "abc" }, { api_key: "k" }, /shop_id/],
    [{ base_url: "https://x.mirakl.net", carriers: "UPS" }, { api_key: "k" }, /carriers/],
  ])("rejects %j", (settings, credentials, message) => {
    expect(() => provider().validateSettings(settings as any, credentials as any)).toThrow(
      expect.objectContaining({ code: "invalid_settings", message: expect.stringMatching(message) })
    )
  })

  it("fails a call cleanly when the channel is misconfigured", async () => {
    const err = await caught(
      provider().listOrders(
        { channel_id: "c", credentials: {}, settings: {}, limiter: { acquire: async () => undefined } },
        { updated_after: "2026-01-01T00:00:00Z", updated_before: "2026-01-02T00:00:00Z" }
      )
    )
    expect(err).toMatchObject({ code: "invalid_settings", retryable: false })
  })
})

describe("the shipped OR11 sample", () => {
  it("does not validate as shipped, and validates once repaired", () => {
    const raw = validateResponse(SPECS.mirakl, "OR11", 200, { orders: [loadSampleOrder()], total_count: 1 })
    expect(raw.valid).toBe(false)
    expect(raw.errors).toContain("must have required property 'paymentType'")
    expect(raw.errors).toContain("order_state_reason_code must be string")
    const repaired = validateResponse(SPECS.mirakl, "OR11", 200, { orders: [repairSampleOrder()], total_count: 1 })
    expect(repaired.errors).toBe("")
  })
})
