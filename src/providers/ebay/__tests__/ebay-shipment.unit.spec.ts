import fs from "node:fs"
import path from "node:path"
import { makeOrder } from "../../../../integration-tests/simulators/ebay"
import { ebayRequestProblems } from "../../../../integration-tests/simulators/ebay/spec-check"
import { assertValidRequest, SPECS } from "../../../../integration-tests/simulators/openapi"
import { ChannelProviderError } from "../../../modules/channel/errors"
import type { ShipmentConfirmation } from "../../../modules/channel/types/provider"
import { startEbayChannel, type EbayChannel } from "./ebay-channel-fixture"

const SHIPPED_AT = "2026-11-21T15:00:00.000Z"

function shipment(order: any, overrides: Partial<ShipmentConfirmation> = {}): ShipmentConfirmation {
  return {
    external_order_id: order.orderId,
    items: order.lineItems.map((l: any) => ({ external_item_id: l.lineItemId, quantity: l.quantity })),
    carrier_code: "USPS",
    tracking_numbers: ["9400111899223344556677"],
    shipped_at: SHIPPED_AT,
    raw_order: order,
    ...overrides,
  }
}

/** Every createShippingFulfillment body the simulator received, checked against the spec's request schema. */
function postedBodies(channel: EbayChannel): any[] {
  return channel.sim.requestsFor("createShippingFulfillment").map((r) => {
    const body = JSON.parse(r.body)
    assertValidRequest(SPECS.ebayFulfillment, "createShippingFulfillment", body)
    expect(ebayRequestProblems("ShippingFulfillmentDetails", body)).toEqual([])
    expect(r.headers["content-type"]).toBe("application/json")
    return body
  })
}

describe("eBay provider against the simulator: shipment feedback", () => {
  let channel: EbayChannel
  afterEach(async () => {
    const problems = channel?.sim.specViolations() ?? []
    await channel?.sim.stop()
    channel = undefined as unknown as EbayChannel
    expect(problems).toEqual([])
  })

  async function withOrder(input: Parameters<typeof makeOrder>[0] = {}, opts: Parameters<typeof startEbayChannel>[0] = {}) {
    channel = await startEbayChannel(opts)
    const order = makeOrder({ seq: 31, ...input })
    channel.sim.addOrders(order)
    return order
  }

  it("the shipped request sample is a valid ShippingFulfillmentDetails", () => {
    const dirs = [
      path.resolve(__dirname, "../../../../../shared/reference/samples"),
      path.resolve(process.cwd(), "../shared/reference/samples"),
    ]
    const file = dirs.map((d) => path.join(d, "ebay_createShippingFulfillment_request.json")).find((p) => fs.existsSync(p))!
    const sample = JSON.parse(fs.readFileSync(file, "utf8"))
    assertValidRequest(SPECS.ebayFulfillment, "createShippingFulfillment", sample)
    expect(ebayRequestProblems("ShippingFulfillmentDetails", sample)).toEqual([])
  })

  it("creates a shipping fulfillment with normalised tracking and reads it back", async () => {
    const order = await withOrder({ lineItems: [{ quantity: 2 }] })
    const result = await channel.provider.confirmShipment(
      channel.ctx,
      shipment(order, { carrier_code: "usps", tracking_numbers: ["9400 1118-9922 3344 5566 77"] })
    )

    const [body] = postedBodies(channel)
    expect(body).toEqual({
      lineItems: [{ lineItemId: order.lineItems[0].lineItemId, quantity: 2 }],
      shippedDate: SHIPPED_AT,
      shippingCarrierCode: "USPS",
      trackingNumber: "9400111899223344556677",
    })
    expect(result).toMatchObject({ state: "confirmed", external_reference: "9400111899223344556677" })
    expect(channel.sim.getStoredOrder(order.orderId)!.orderFulfillmentStatus).toBe("FULFILLED")
    expect(channel.sim.specViolations()).toEqual([])
  })

  it("reports `sent` with the Location's fulfillment id when read-back is off", async () => {
    const order = await withOrder({}, { provider: { verify_shipments: false } })
    const result = await channel.provider.confirmShipment(channel.ctx, shipment(order))
    expect(result.state).toBe("sent")
    expect(result.external_reference).toBe("9400111899223344556677")
    expect((result.response as any).location).toMatch(
      new RegExp(`/sell/fulfillment/v1/order/${order.orderId}/shipping_fulfillment/9400111899223344556677$`)
    )
    expect(channel.sim.requestsFor("getShippingFulfillments")).toHaveLength(0)
  })

  it("sends only the shipped lines of a partial shipment", async () => {
    const order = await withOrder({ lineItems: [{ quantity: 1 }, { quantity: 3 }, { quantity: 1 }] })
    const [first, second] = order.lineItems
    await channel.provider.confirmShipment(
      channel.ctx,
      shipment(order, {
        items: [
          { external_item_id: first.lineItemId, quantity: 1 },
          { external_item_id: second.lineItemId, quantity: 2 },
          { external_item_id: second.lineItemId, quantity: 1 },
        ],
      })
    )
    const [body] = postedBodies(channel)
    expect(body.lineItems).toEqual([
      { lineItemId: first.lineItemId, quantity: 1 },
      { lineItemId: second.lineItemId, quantity: 3 },
    ])
    expect(channel.sim.getStoredOrder(order.orderId)!.orderFulfillmentStatus).toBe("IN_PROGRESS")
  })

  it("ships without tracking: no carrier either, eBay numbers the fulfillment", async () => {
    const order = await withOrder()
    const result = await channel.provider.confirmShipment(channel.ctx, shipment(order, { tracking_numbers: [] }))
    const [body] = postedBodies(channel)
    expect(body.trackingNumber).toBeUndefined()
    expect(body.shippingCarrierCode).toBeUndefined()
    expect(result).toMatchObject({ state: "confirmed", external_reference: "999" })
  })

  it("refuses a tracking number with other characters before calling eBay", async () => {
    const order = await withOrder()
    const error = await channel.provider
      .confirmShipment(channel.ctx, shipment(order, { tracking_numbers: ["1Z/999#AA1"] }))
      .catch((e) => e)
    expect(error).toBeInstanceOf(ChannelProviderError)
    expect(error).toMatchObject({ code: "invalid_tracking_number", retryable: false })
    expect(error.message).toContain("1Z/999#AA1")
    expect(channel.sim.requests).toHaveLength(0)
  })

  it("refuses lines that are not on the staged order", async () => {
    const order = await withOrder()
    await expect(
      channel.provider.confirmShipment(channel.ctx, shipment(order, { items: [{ external_item_id: "123", quantity: 1 }] }))
    ).rejects.toMatchObject({ code: "invalid_input", retryable: false })
  })

  it("turns eBay's 400 into a non-retryable error with eBay's message", async () => {
    const order = await withOrder({ lineItems: [{ quantity: 1 }] })
    // Without the staged order the provider cannot catch the excess quantity itself: eBay refuses it.
    const error = await channel.provider
      .confirmShipment(channel.ctx, shipment(order, { raw_order: undefined, items: [{ external_item_id: order.lineItems[0].lineItemId, quantity: 5 }] }))
      .catch((e) => e)
    expect(error).toBeInstanceOf(ChannelProviderError)
    expect(error).toMatchObject({ retryable: false, status: 400, marketplace_code: "32600" })
    expect(error.marketplace_message).toContain("Invalid input data")
    expect(error.message).toContain("Invalid input data")
    expect(channel.sim.requestsFor("createShippingFulfillment")).toHaveLength(1)
    expect(channel.sim.specViolations()).toEqual([])
  })

  it("sends a carrier eBay does not list as \"Other\" instead of the unknown code", async () => {
    const order = await withOrder()
    const result = await channel.provider.confirmShipment(channel.ctx, shipment(order, { carrier_code: "PigeonPost" }))
    const [body] = postedBodies(channel)
    expect(body.shippingCarrierCode).toBe("Other")
    expect(body.trackingNumber).toBe("9400111899223344556677")
    expect(result).toMatchObject({ state: "confirmed", response: { carrier_fallback: { given: "PigeonPost", sent: "Other" } } })
  })

  it("keeps a code the channel declares in carrier_codes (from the site's GeteBayDetails list)", async () => {
    const order = await withOrder()
    // The simulator only knows the built-in list, so it refuses Evri (32300); what matters is what was sent.
    const error = await channel.provider
      .confirmShipment({ ...channel.ctx, settings: { ...channel.ctx.settings, carrier_codes: ["Evri"] } }, shipment(order, { carrier_code: "evri" }))
      .catch((e) => e)
    expect(error).toMatchObject({ marketplace_code: "32300" })
    expect(JSON.parse(channel.sim.requestsFor("createShippingFulfillment")[0].body).shippingCarrierCode).toBe("Evri")
  })

  it("reports an already shipped line as a non-retryable error", async () => {
    const order = await withOrder()
    await channel.provider.confirmShipment(channel.ctx, shipment(order))
    const error = await channel.provider
      .confirmShipment(channel.ctx, shipment(order, { tracking_numbers: ["1Z999AA10123456784"], carrier_code: "UPS" }))
      .catch((e) => e)
    expect(error).toMatchObject({ code: "already_shipped", retryable: false, status: 409 })
    expect(error.message).toContain("already fulfilled")
  })

  it("treats the same shipment sent twice as done, without a second fulfillment", async () => {
    const order = await withOrder()
    await channel.provider.confirmShipment(channel.ctx, shipment(order))
    const again = await channel.provider.confirmShipment(channel.ctx, shipment(order))
    expect(again).toMatchObject({ state: "confirmed", external_reference: "9400111899223344556677" })
    expect(channel.sim.shippingFulfillments(order.orderId)).toHaveLength(1)
  })

  it("does not create a second fulfillment when the answer to the POST is lost", async () => {
    const order = await withOrder({}, { provider: { timeout_ms: 300 } })
    channel.sim.injectFault({ kind: "timeout", holdMs: 1_000 }, { operation: "createShippingFulfillment" })
    const result = await channel.provider.confirmShipment(channel.ctx, shipment(order))
    expect(result.state).toBe("confirmed")
    expect(channel.sim.shippingFulfillments(order.orderId)).toHaveLength(1)
    expect(channel.sim.requestsFor("createShippingFulfillment")).toHaveLength(1)
  })

  it("sends the POST again after a 5xx that created nothing", async () => {
    const order = await withOrder()
    channel.sim.injectFault({ kind: "server_error", status: 503 }, { operation: "createShippingFulfillment" })
    const result = await channel.provider.confirmShipment(channel.ctx, shipment(order))
    expect(result).toMatchObject({ state: "confirmed", external_reference: "9400111899223344556677" })
    expect(channel.sim.requestsFor("createShippingFulfillment")).toHaveLength(2)
    expect(channel.sim.shippingFulfillments(order.orderId)).toHaveLength(1)
    postedBodies(channel)
  })

  it("refreshes an expired token before shipping", async () => {
    const order = await withOrder()
    await channel.provider.getOrder(channel.ctx, order.orderId)
    channel.sim.expireAccessTokens()
    const result = await channel.provider.confirmShipment(channel.ctx, shipment(order))
    expect(result.state).toBe("confirmed")
    expect(channel.sim.tokensIssued).toBe(2)
    expect(channel.sim.shippingFulfillments(order.orderId)).toHaveLength(1)
  })

  it("creates one shipping fulfillment per parcel, each with its tracking number; line totals stay exact", async () => {
    const order = await withOrder({ lineItems: [{ quantity: 2 }, { quantity: 1 }] })
    const [a, b] = order.lineItems
    const result = await channel.provider.confirmShipment(
      channel.ctx,
      shipment(order, { tracking_numbers: ["AAA111", "BBB222"], carrier_code: "DHL" })
    )
    const bodies = postedBodies(channel)
    expect(bodies.map((x) => [x.trackingNumber, x.shippingCarrierCode, x.lineItems])).toEqual([
      ["AAA111", "DHL", [{ lineItemId: a.lineItemId, quantity: 2 }]],
      ["BBB222", "DHL", [{ lineItemId: b.lineItemId, quantity: 1 }]],
    ])
    expect(channel.sim.shippingFulfillments(order.orderId).map((f) => f.fulfillmentId)).toEqual(["AAA111", "BBB222"])
    expect(result).toMatchObject({
      state: "confirmed",
      external_reference: "AAA111",
      response: { split: "spread", packages: [{ fulfillment_id: "AAA111" }, { fulfillment_id: "BBB222" }] },
    })
    expect(channel.sim.getStoredOrder(order.orderId)!.orderFulfillmentStatus).toBe("FULFILLED")
  })

  it("splits one line over its parcels when there are more parcels than lines", async () => {
    const order = await withOrder({ lineItems: [{ quantity: 3 }] })
    const id = order.lineItems[0].lineItemId
    await channel.provider.confirmShipment(channel.ctx, shipment(order, { tracking_numbers: ["P1", "P2", "P3"], carrier_code: "UPS" }))
    expect(postedBodies(channel).map((x) => x.lineItems)).toEqual([
      [{ lineItemId: id, quantity: 1 }],
      [{ lineItemId: id, quantity: 1 }],
      [{ lineItemId: id, quantity: 1 }],
    ])
  })

  it("uses what each parcel holds when the caller knows it", async () => {
    const order = await withOrder({ lineItems: [{ quantity: 2 }, { quantity: 1 }] })
    const [a, b] = order.lineItems
    await channel.provider.confirmShipment(
      channel.ctx,
      shipment(order, {
        tracking_numbers: ["AAA111", "BBB222"],
        packages: [
          { tracking_number: "AAA111", items: [{ external_item_id: a.lineItemId, quantity: 1 }, { external_item_id: b.lineItemId, quantity: 1 }] },
          { tracking_number: "BBB222", items: [{ external_item_id: a.lineItemId, quantity: 1 }] },
        ],
      })
    )
    expect(postedBodies(channel).map((x) => x.lineItems)).toEqual([
      [{ lineItemId: a.lineItemId, quantity: 1 }, { lineItemId: b.lineItemId, quantity: 1 }],
      [{ lineItemId: a.lineItemId, quantity: 1 }],
    ])
  })

  it("reports tracking numbers beyond the shipped units as not sent", async () => {
    const order = await withOrder({ lineItems: [{ quantity: 1 }] })
    const result = await channel.provider.confirmShipment(
      channel.ctx,
      shipment(order, { tracking_numbers: ["AAA111", "BBB222"], carrier_code: "DHL" })
    )
    expect(postedBodies(channel).map((x) => x.trackingNumber)).toEqual(["AAA111"])
    expect(result.response).toMatchObject({ tracking_numbers_not_sent: ["BBB222"], not_sent_reason: expect.stringContaining("at least one unit") })
  })

  it("a retry after the second parcel failed does not create the first one again", async () => {
    const order = await withOrder({ lineItems: [{ quantity: 1 }, { quantity: 1 }] })
    const ship = () => channel.provider.confirmShipment(channel.ctx, shipment(order, { tracking_numbers: ["AAA111", "BBB222"], carrier_code: "DHL" }))
    // The first POST goes through; the second meets an outage longer than the provider's retries.
    channel.sim.injectFault({ kind: "server_error", status: 503 }, { operation: "createShippingFulfillment", count: 4, after: 1 })
    const error = await ship().catch((e) => e)
    expect(error).toMatchObject({ code: "marketplace_unavailable", retryable: true })
    expect(channel.sim.shippingFulfillments(order.orderId).map((f) => f.fulfillmentId)).toEqual(["AAA111"])
    const result = await ship()
    expect(result.state).toBe("confirmed")
    expect(channel.sim.shippingFulfillments(order.orderId).map((f) => f.fulfillmentId)).toEqual(["AAA111", "BBB222"])
  })
})
