import { ChannelProviderError } from "../../../modules/channel/errors"
import { parseCanonicalOrder, type CanonicalOrder } from "../../../modules/channel/types/canonical-order"
import { STATUS_ACTIONS } from "../../../modules/channel/types/provider"
import { makeOrder, projectOrder } from "../../../../integration-tests/simulators/amazon"
import { loadSample, loadSpec, sampleOrders2026 } from "../../../../integration-tests/simulators/amazon/fixtures"
import { validateResponse, SPECS } from "../../../../integration-tests/simulators/openapi"
import { DEFAULT_INCLUDED_DATA } from "../service"
import amazonModule from "../index"
import { amazonProvider } from "./channel"

const provider = amazonProvider()

function canonical(raw: unknown, settings: Record<string, any> = {}): CanonicalOrder {
  const parsed = parseCanonicalOrder(provider.normalize(raw, { settings }))
  if (!parsed.success) throw new Error(parsed.message)
  return parsed.order
}

describe("Amazon mapping: shipped samples", () => {
  const samples = sampleOrders2026()

  it("has the official examples and sandbox orders to work on", () => {
    expect(samples.length).toBeGreaterThanOrEqual(8)
  })

  it.each(samples.map((s) => [`${s.source} ${s.order.orderId}`, s.order]))("%s normalizes into a valid canonical order", (_name, raw) => {
    const order = canonical(raw)
    expect(order.external_id).toBe((raw as any).orderId)
    expect(order.status).toBe((raw as any).fulfillment.fulfillmentStatus)
    expect(order.items.length).toBe((raw as any).orderItems.length)
    expect(provider.identify(raw)).toEqual({
      external_id: (raw as any).orderId,
      status: (raw as any).fulfillment.fulfillmentStatus,
      updated_at: new Date((raw as any).lastUpdatedTime).toISOString(),
    })
  })

  it("maps the searchOrders example field by field", () => {
    const raw = loadSample("amazon_orders2026_searchOrders_200.example.json").orders[0]
    const o = canonical(raw)
    expect(o).toMatchObject({
      external_id: "123-4567890-1234567",
      status: "SHIPPED",
      created_at: "2024-12-25T10:30:00.000Z",
      updated_at: "2024-12-25T14:45:00.000Z",
      currency_code: "usd",
      email: "buyer-email@marketplace.amazon.com",
      customer: { first_name: "John", last_name: "Smith", phone: "555-123-4567" },
      shipping_address: {
        first_name: "John",
        last_name: "Smith",
        company: "Smith Industries LLC",
        address_1: "123 Main Street",
        address_2: "Suite 456",
        city: "Seattle",
        province: "WA",
        postal_code: "98101",
        country_code: "US",
        country: null,
        phone: "555-123-4567",
      },
      billing_address: null,
      shipping: { service_code: "STANDARD", price: 0, discount_total: 0, tax_total: 0 },
      fulfilled_by_marketplace: false,
      // The first item must be paid on delivery (shippingConstraints.cashOnDelivery: MANDATORY).
      payment_status: "pending",
      payment_method: "cash_on_delivery",
      prices_include_tax: false,
      tax_collected_by: "marketplace",
      replaces_external_id: "123-4567890-1234566",
      totals: { total: 154.99, tax_total: 0.02, paid_total: null },
      gift_message: "Happy Holidays! Enjoy your new smart speakers.",
    })
    expect(o.items).toEqual([
      {
        external_id: "12345678901234",
        sku: "ECHO-DOT-4-CHARCOAL",
        marketplace_product_id: "B08N5WRWNW",
        title: "Echo Dot (4th Gen) | Smart speaker with Alexa | Charcoal",
        quantity: 2,
        shipped_quantity: 0,
        unit_price: 49.99,
        tax_total: 0.02,
        tax_rate: null,
        tax_lines: [],
        discount_total: 0,
        discounts: [],
      },
      {
        external_id: "12345678901235",
        sku: "FIRE-TV-4K-2021",
        marketplace_product_id: "B07XJ8C8F5",
        title: "Fire TV Stick 4K with Alexa Voice Remote",
        quantity: 1,
        shipped_quantity: 0,
        unit_price: 49.99,
        tax_total: 0,
        tax_rate: null,
        tax_lines: [],
        discount_total: 0,
        discounts: [],
      },
    ])
    expect(o.custom_fields).toMatchObject({
      marketplace_id: "ATVPDKIKX0DER",
      is_prime: true,
      is_business_order: true,
      seller_order_id: "SELLER-ORDER-2024-001",
      buyer_company_name: "Smith Industries LLC",
      purchase_order_number: "PO-2024-12345",
      replaces_order_id: "123-4567890-1234566",
      delivery_tip: 5,
      delivery_tip_status: "FINALIZED",
      promotion_ids: ["PROMO-HOLIDAY-2024"],
      buyer_requested_cancel: true,
    })
    expect(o.notes).toMatch(/main lobby/)
  })

  it("maps the Amazon-fulfilled JPY sandbox order (AFN → fulfilled_by_marketplace)", () => {
    const raw = samples.find((s) => s.order.orderId === "250-1234567-8901234")!.order
    const o = canonical(raw)
    expect(o.fulfilled_by_marketplace).toBe(true)
    expect(o.currency_code).toBe("jpy")
    expect(o.items.map((i) => [i.quantity, i.unit_price])).toEqual([
      [1, 5980],
      [2, 6980],
    ])
    expect(o.shipping_address?.country_code).toBe("JP")
  })

  it("maps the getOrder example (GB) and the item tax of the US sandbox order", () => {
    const gb = canonical(loadSample("amazon_orders2026_getOrder_200.example.json").order)
    expect(gb.currency_code).toBe("gbp")
    expect(gb.shipping_address?.postal_code).toBe("M1 2AB")
    const us = canonical(samples.find((s) => s.order.orderId === "114-9876543-1234567")!.order)
    expect(us.items[0]).toMatchObject({ unit_price: 39.99, tax_total: 10 })
    expect(us.email).toBeNull()
  })
})

describe("Amazon mapping: simulator orders", () => {
  it("builds orders that match the model, whatever includedData trims", () => {
    const full = makeOrder({ status: "PARTIALLY_SHIPPED", items: [{ quantity: 2 }, { quantity: 1, giftMessage: "Happy birthday" }] })
    const sets = [new Set(DEFAULT_INCLUDED_DATA), new Set<string>(), new Set(["FULFILLMENT"])]
    for (const s of sets) {
      const r = validateResponse(SPECS.amazonOrders2026, "getOrder", 200, { order: projectOrder(full, s) })
      expect(r.errors).toBe("")
    }
  })

  it("computes prices, taxes, discounts and shipping from the proceeds breakdowns", () => {
    const raw = makeOrder({
      marketplaceId: "A1PA6795UKMFR9",
      items: [
        { quantity: 3, unitPrice: 10, tax: 5.7, discount: 2.5, shipping: 6, shippingTax: 1.14, shippingDiscount: 1 },
        { quantity: 1, unitPrice: 7.5, tax: 1.43, shipping: 0 },
      ],
      programs: ["PRIME", "AMAZON_BUSINESS"],
    })
    const o = canonical(raw)
    expect(o.currency_code).toBe("eur")
    expect(o.items.map((i) => ({ q: i.quantity, u: i.unit_price, t: i.tax_total, d: i.discount_total }))).toEqual([
      { q: 3, u: 10, t: 5.7, d: 2.5 },
      { q: 1, u: 7.5, t: 1.43, d: 0 },
    ])
    // Shipping before its discount; the simulator adds the tax on top, as its grandTotal shows.
    expect(o.shipping).toMatchObject({ price: 6, discount_total: 1, tax_total: 1.14 })
    expect(o.prices_include_tax).toBe(false)
    expect(o.totals.total).toBe(Number(raw.proceeds!.grandTotal!.amount))
    expect(o.custom_fields).toMatchObject({ is_prime: true, is_business_order: true })
    expect(o.shipping_address?.country_code).toBe("DE")
  })

  it("falls back to the ITEM subtotal ÷ quantity when there is no unit price", () => {
    const raw = makeOrder({ items: [{ quantity: 3, unitPrice: 3.33 }] })
    delete (raw.orderItems[0].product as any).price
    expect(canonical(raw).items[0].unit_price).toBeCloseTo(3.33, 4)
  })

  it("keeps a PENDING order importable: payment pending, no address, no prices, currency from the marketplace", () => {
    const o = canonical(makeOrder({ status: "PENDING", marketplaceId: "A1F83G8C2ARO7P" }))
    expect(o.payment_status).toBe("pending")
    expect(o.shipping_address).toBeNull()
    expect(o.items[0].unit_price).toBe(0)
    expect(o.currency_code).toBe("gbp")
  })

  it("maps an Amazon-fulfilled order without buyer e-mail or phone", () => {
    const o = canonical(makeOrder({ afn: true, status: "SHIPPED" }))
    expect(o.fulfilled_by_marketplace).toBe(true)
    expect(o.email).toBeNull()
    expect(o.customer.phone).toBeNull()
    expect(o.custom_fields.fulfilled_by).toBe("AMAZON")
  })

  it("drops fully cancelled lines and records them", () => {
    const raw = makeOrder({ items: [{ quantity: 2 }, { quantity: 1 }] })
    raw.orderItems[1].quantityOrdered = 0
    const o = canonical(raw)
    expect(o.items).toHaveLength(1)
    expect(o.custom_fields.cancelled_item_ids).toEqual([raw.orderItems[1].orderItemId])
  })

  it("refuses payloads it cannot identify", () => {
    expect(() => provider.identify({ foo: 1 })).toThrow(ChannelProviderError)
    const noStatus = projectOrder(makeOrder(), new Set(["BUYER"]))
    expect(() => provider.identify(noStatus)).toThrow(/includedData=FULFILLMENT/)
  })
})

describe("Amazon statuses and settings", () => {
  it("lists every FulfillmentStatus of the 2026 model", () => {
    const spec = loadSpec("orders_2026-01-01.json")
    expect(provider.statuses().map((s) => s.external_status).sort()).toEqual([...spec.definitions.FulfillmentStatus.enum].sort())
  })

  it("defaults: ship paid orders, keep shipped ones as history, wait on pending, drop cancelled", () => {
    const rules = Object.fromEntries(provider.defaultStatusRules().map((r) => [r.external_status, r]))
    expect(Object.keys(rules).sort()).toEqual(provider.statuses().map((s) => s.external_status).sort())
    expect(rules.PENDING).toMatchObject({ action: "do_not_import", retry: true })
    expect(rules.PENDING_AVAILABILITY).toMatchObject({ action: "do_not_import", retry: true })
    expect(rules.UNSHIPPED.action).toBe("import_as_valid")
    expect(rules.PARTIALLY_SHIPPED.action).toBe("import_as_valid")
    expect(rules.SHIPPED.action).toBe("import_as_history")
    expect(rules.CANCELLED).toMatchObject({ action: "do_not_import", retry: false })
    expect(rules.UNFULFILLABLE).toMatchObject({ action: "do_not_import", retry: true })
    for (const r of Object.values(rules)) expect(STATUS_ACTIONS).toContain(r.action)
  })

  const creds = { client_id: "id", client_secret: "secret", refresh_token: "Atzr|x" }

  it("validateSettings fills marketplace_ids and refuses what Amazon would", () => {
    const settings: Record<string, any> = { marketplace_ids: "ATVPDKIKX0DER, A2EUQ1WTGCTBG2" }
    provider.validateSettings(settings, creds)
    expect(settings.marketplace_ids).toEqual(["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"])

    const bad: [Record<string, any>, Record<string, any>, RegExp][] = [
      [{}, creds, /marketplace_ids is required/],
      [{ marketplace_ids: [] }, creds, /1 to 50/],
      [{ marketplace_ids: ["us"] }, creds, /1 to 50/],
      [{ marketplace_ids: ["ATVPDKIKX0DER"], base_url: "ftp://x" }, creds, /base_url/],
      [{ marketplace_ids: ["ATVPDKIKX0DER"], included_data: ["BUYER"] }, creds, /FULFILLMENT/],
      [{ marketplace_ids: ["ATVPDKIKX0DER"], included_data: ["NOPE"] }, creds, /included_data/],
      [{ marketplace_ids: ["ATVPDKIKX0DER"] }, { client_id: "id" }, /client_secret, refresh_token/],
    ]
    for (const [s, c, message] of bad) {
      const err = (() => {
        try {
          provider.validateSettings(s, c)
        } catch (e) {
          return e as ChannelProviderError
        }
      })()
      expect(err).toBeInstanceOf(ChannelProviderError)
      expect(err?.code).toBe("invalid_settings")
      expect(err?.message).toMatch(message)
    }
  })

  it("registers as a Medusa module provider with the identifier amazon", () => {
    expect((amazonModule.services[0] as any).identifier).toBe("amazon")
  })
})
