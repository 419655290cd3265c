import fs from "node:fs"
import path from "node:path"
import { makeOrder } from "../../../../integration-tests/simulators/ebay"
import { ebayResponseProblems } from "../../../../integration-tests/simulators/ebay/spec-check"
import { assertValidResponse, SPECS } from "../../../../integration-tests/simulators/openapi"
import { ChannelOrderImportError } from "../../../modules/channel/errors"
import { parseCanonicalOrder, type CanonicalOrder } from "../../../modules/channel/types/canonical-order"
import { EbayChannelProvider } from "../service"

const SAMPLE_DIRS = [
  path.resolve(__dirname, "../../../../../shared/reference/samples"),
  path.resolve(process.cwd(), "../shared/reference/samples"),
]

function loadSample(name: string): any {
  const file = SAMPLE_DIRS.map((d) => path.join(d, name)).find((p) => fs.existsSync(p))
  if (!file) throw new Error(`sample ${name} not found`)
  const { _comment, ...body } = JSON.parse(fs.readFileSync(file, "utf8"))
  return body
}

const provider = new EbayChannelProvider({}, {})

/** Σ items, shipping and charges after discounts, with tax added where prices exclude it. */
function buyerPaid(order: CanonicalOrder): number {
  const tax = (t: number) => (order.prices_include_tax ? 0 : t)
  const items = order.items.reduce((s, i) => s + i.unit_price * i.quantity - i.discount_total + tax(i.tax_total), 0)
  const charges = order.charges.reduce((s, c) => s + c.amount - c.discount_total + tax(c.tax_total), 0)
  return items + charges + order.shipping.price - order.shipping.discount_total + tax(order.shipping.tax_total)
}

function canonical(raw: unknown, settings: Record<string, any> = {}): CanonicalOrder {
  const parsed = parseCanonicalOrder(provider.normalize(raw, { settings }))
  if (!parsed.success) throw new Error(parsed.message)
  return parsed.order
}

describe("eBay mapping: the shipped getOrders sample", () => {
  const sample = loadSample("ebay_getOrders_200.schema-conformant.json")

  it("is a valid getOrders response", () => {
    assertValidResponse(SPECS.ebayFulfillment, "getOrders", 200, sample)
    expect(ebayResponseProblems("getOrders", 200, sample)).toEqual([])
  })

  it("maps the open order: buyer, address, lines, prices, taxes, shipping, currency", () => {
    const order = canonical(sample.orders[0])
    expect(order).toMatchObject({
      external_id: "01-03955-36441",
      status: "NOT_STARTED",
      created_at: "2026-03-01T10:15:02.000Z",
      updated_at: "2026-03-01T10:16:40.000Z",
      currency_code: "usd",
      email: "jane.buyer@example.com",
      customer: { first_name: "Jane", last_name: "Buyer", phone: "4085550100" },
      shipping_address: {
        first_name: "Jane",
        last_name: "Buyer",
        address_1: "2145 Hamilton Ave",
        city: "San Jose",
        province: "CA",
        postal_code: "95125",
        // As eBay wrote it: the pipeline resolves and checks country codes.
        country_code: "US",
        phone: "4085550100",
      },
      billing_address: { address_1: "2145 Hamilton Ave", country_code: "US" },
      shipping: { service_code: "USPSPriority", price: 5, discount_total: 0, tax_total: 0 },
      fulfilled_by_marketplace: false,
      payment_status: "paid",
      payment_method: "EBAY",
      // total 48.18 = 39.98 + 5.00 + 3.20: the tax comes on top.
      prices_include_tax: false,
      tax_collected_by: "seller",
      totals: { total: 48.18, tax_total: 3.2, paid_total: null },
      charges: [],
      replaces_external_id: null,
      notes: null,
    })
    expect(order.items).toEqual([
      {
        external_id: "10022882297012",
        sku: "SKU-RED-M",
        marketplace_product_id: "110551100598",
        title: "Example T-Shirt Red M",
        quantity: 2,
        shipped_quantity: 0,
        unit_price: 19.99,
        discount_total: 0,
        discounts: [],
        tax_total: 3.2,
        tax_rate: null,
        tax_lines: [],
      },
    ])
    expect(order.custom_fields).toMatchObject({
      ebay_username: "example_buyer",
      sales_record_reference: "1001",
      marketplace_id: "EBAY_US",
      ship_by_date: "2026-03-02T07:59:59.000Z",
      total_due_seller: "44.98",
      payment_methods: ["EBAY"],
    })
    expect(order.custom_fields.total).toBeUndefined()
    // Items + shipping + tax add up to what the buyer paid.
    expect(buyerPaid(order)).toBeCloseTo(48.18, 6)
  })

  it("maps the shipped order with little buyer data", () => {
    const order = canonical(sample.orders[1])
    expect(order).toMatchObject({
      external_id: "04-08231-77510",
      status: "FULFILLED",
      email: null,
      customer: { first_name: "Sam", last_name: "Example" },
      shipping_address: { address_1: "1 Main St", city: "Austin", country_code: "US" },
      billing_address: null,
      shipping: { service_code: "UPSGround", price: 0 },
      totals: { total: 12, tax_total: null },
    })
    expect(order.items[0]).toMatchObject({ sku: "MUG-01", unit_price: 12, quantity: 1, tax_total: 0 })
    expect(provider.identify(sample.orders[1])).toEqual({
      external_id: "04-08231-77510",
      status: "FULFILLED",
      updated_at: "2026-03-01T12:30:00.000Z",
    })
  })
})

describe("eBay mapping: simulator orders", () => {
  it("builds spec-valid orders", () => {
    const orders = [
      makeOrder({ seq: 1 }),
      makeOrder({ seq: 2, lineItems: [{ discount: 2, tax: 1.5 }, { quantity: 3, unitPrice: 3.33 }], deliveryDiscount: 1 }),
      makeOrder({ seq: 3, ebayInternationalShipping: true, currency: "GBP" }),
      makeOrder({ seq: 4, fulfilledByEbay: true, cancelState: "CANCELED" }),
      makeOrder({ seq: 5, paymentStatus: "PENDING", ebayCollectAndRemitTax: true, lineItems: [{ tax: 2 }] }),
    ]
    for (const o of orders) {
      assertValidResponse(SPECS.ebayFulfillment, "getOrder", 200, o)
      expect(ebayResponseProblems("getOrder", 200, o)).toEqual([])
    }
  })

  it("maps several lines with discounts, taxes and a shipping discount", () => {
    const raw = makeOrder({
      seq: 2,
      checkoutNotes: "Please gift wrap",
      lineItems: [
        { sku: "A-1", quantity: 2, unitPrice: 10, discount: 2, tax: 1.5, shipping: 4 },
        { sku: null, quantity: 3, unitPrice: 3.33, shipping: 1, variationAspects: [{ name: "Colour", value: "Red" }] },
      ],
      deliveryDiscount: 1,
    })
    const order = canonical(raw)
    expect(order.items).toEqual([
      expect.objectContaining({ sku: "A-1", quantity: 2, unit_price: 10, discount_total: 2, tax_total: 1.5 }),
      expect.objectContaining({ sku: null, quantity: 3, unit_price: 3.33, discount_total: 0, tax_total: 0 }),
    ])
    // Shipping before its discount, the order's deliveryDiscount beside it.
    expect(order.shipping).toMatchObject({ price: 5, discount_total: 1, discounts: [{ code: null, name: "eBay shipping discount", amount: 1 }] })
    expect(order.items[0].discounts).toEqual([{ code: "PROMO2", name: "Sim promotion", amount: 2 }])
    expect(order.notes).toBe("Please gift wrap")
    const lineId = raw.lineItems[1].lineItemId
    expect(order.custom_fields.line_items[lineId]).toMatchObject({ variation_aspects: [{ name: "Colour", value: "Red" }] })
    expect(buyerPaid(order)).toBeCloseTo(Number(raw.pricingSummary.total.value), 6)
    expect(order.totals.total).toBe(Number(raw.pricingSummary.total.value))
  })

  it("ships GSP / eBay International orders to eBay's hub and keeps the buyer's home", () => {
    const raw = makeOrder({ seq: 3, currency: "GBP", ebayInternationalShipping: true })
    const order = canonical(raw)
    expect(order.currency_code).toBe("gbp")
    expect(order.shipping_address).toMatchObject({ city: "Erlanger", country_code: "US", address_2: "Reference #3" })
    expect(order.custom_fields.ebay_supported_fulfillment).toBe(true)
    expect(order.custom_fields.final_destination_address).toMatchObject({ countryCode: "GB" })
    expect(order.fulfilled_by_marketplace).toBe(false)
  })

  it("flags eBay-fulfilled orders and derives statuses", () => {
    expect(canonical(makeOrder({ seq: 4, fulfilledByEbay: true })).fulfilled_by_marketplace).toBe(true)
    const cases: [Parameters<typeof makeOrder>[0], string, "paid" | "pending"][] = [
      [{ status: "NOT_STARTED" }, "NOT_STARTED", "paid"],
      [{ status: "IN_PROGRESS", lineItems: [{}, {}] }, "IN_PROGRESS", "paid"],
      [{ status: "FULFILLED" }, "FULFILLED", "paid"],
      [{ paymentStatus: "PENDING" }, "PAYMENT_PENDING", "pending"],
      [{ paymentStatus: "FAILED" }, "PAYMENT_FAILED", "pending"],
      [{ paymentStatus: "FULLY_REFUNDED" }, "REFUNDED", "paid"],
      [{ paymentStatus: "PARTIALLY_REFUNDED", status: "FULFILLED" }, "FULFILLED", "paid"],
      [{ cancelState: "IN_PROGRESS" }, "CANCEL_REQUESTED", "paid"],
      [{ cancelState: "CANCELED", paymentStatus: "FULLY_REFUNDED" }, "CANCELED", "paid"],
    ]
    for (const [input, status, payment] of cases) {
      const raw = makeOrder({ seq: 9, ...input })
      const order = canonical(raw)
      expect([order.status, order.payment_status]).toEqual([status, payment])
      expect(provider.identify(raw).status).toBe(status)
    }
  })

  it("keeps masked emails out of the email field and passes unknown fulfilment values through", () => {
    const raw = makeOrder({ seq: 11, buyer: { email: "j*****@e*****.com" }, shipTo: { email: null } })
    const order = canonical(raw)
    expect(order.email).toBeNull()
    expect(order.custom_fields.masked_email).toBe("j*****@e*****.com")
    expect(canonical({ ...raw, orderFulfillmentStatus: "SOMETHING_NEW" }).status).toBe("SOMETHING_NEW")
  })

  it("records eBay collect-and-remit tax without counting it twice", () => {
    const raw = makeOrder({ seq: 12, ebayCollectAndRemitTax: true, lineItems: [{ quantity: 1, unitPrice: 20, tax: 1.6 }] })
    const order = canonical(raw)
    expect(order.items[0].tax_total).toBe(1.6)
    expect(order.tax_collected_by).toBe("marketplace")
    expect(buyerPaid(order)).toBeCloseTo(Number(raw.pricingSummary.total.value), 6)
    expect(order.custom_fields.ebay_collect_and_remit_tax).toBe(true)
    expect(order.custom_fields.line_items[raw.lineItems[0].lineItemId].ebay_collect_and_remit_tax).toBe(1.6)
  })

  it("refuses a payload without orderId", () => {
    expect(() => provider.identify({ foo: 1 })).toThrow(ChannelOrderImportError)
    expect(() => provider.normalize({}, { settings: {} })).toThrow(/orderId/)
  })
})

describe("eBay statuses and default rules", () => {
  it("has a rule for every listed status, as the import table expects", () => {
    const listed = provider.statuses().map((s) => s.external_status)
    const rules = provider.defaultStatusRules()
    expect(rules.map((r) => r.external_status).sort()).toEqual([...listed].sort())
    const rule = (s: string) => rules.find((r) => r.external_status === s)
    expect(rule("NOT_STARTED")).toMatchObject({ action: "import_as_valid" })
    expect(rule("IN_PROGRESS")).toMatchObject({ action: "import_as_valid" })
    expect(rule("FULFILLED")).toMatchObject({ action: "import_as_history" })
    expect(rule("PAYMENT_PENDING")).toMatchObject({ action: "do_not_import", retry: true })
    expect(rule("CANCELED")).toMatchObject({ action: "do_not_import", retry: false })
    expect(rule("CANCEL_REQUESTED")).toMatchObject({ action: "do_not_import", retry: true })
  })
})
