import { ChannelProviderError } from "../../../modules/channel/errors"
import type { ShipmentConfirmation } from "../../../modules/channel/types/provider"
import { AmazonSimulator, makeOrder, MESSAGES } from "../../../../integration-tests/simulators/amazon"
import { loadSample } from "../../../../integration-tests/simulators/amazon/fixtures"
import { assertValidRequest, SPECS } from "../../../../integration-tests/simulators/openapi"
import { packageReferenceFor } from "../service"
import { amazonChannel, amazonProvider, shipment, CREDENTIALS, US } from "./channel"

const MULTIPLIER = 50

describe("Amazon provider: shipment confirmation and cancellation", () => {
  let sim: AmazonSimulator
  const provider = amazonProvider({ rate_limit_multiplier: MULTIPLIER, timeout_ms: 1_500 })

  beforeAll(async () => {
    sim = await new AmazonSimulator({ rateLimitMultiplier: MULTIPLIER }).start()
  })
  afterAll(() => sim.stop())
  afterEach(() => sim.clearFaults())

  function lastConfirmation() {
    const r = sim.requestsFor("confirmShipment").at(-1)!
    return { record: r, body: JSON.parse(r.body) }
  }

  it("confirms an unshipped order with a spec-valid v0 request; Amazon's bare 204 means 'sent'", async () => {
    const raw = makeOrder({ items: [{ quantity: 2 }, { quantity: 1 }] })
    sim.addOrders(raw)
    const result = await provider.confirmShipment(amazonChannel(sim), shipment(raw))
    expect(result.state).toBe("sent")
    expect(result.external_reference).toBe(packageReferenceFor(raw.orderId, "1Z999AA10123456784"))

    const { record, body } = lastConfirmation()
    expect(record.status).toBe(204)
    expect(record.path).toBe(`/orders/v0/orders/${raw.orderId}/shipmentConfirmation`)
    assertValidRequest(SPECS.amazonOrdersV0, "confirmShipment", body)
    expect(body).toEqual({
      marketplaceId: US,
      packageDetail: {
        packageReferenceId: expect.stringMatching(/^[1-9]\d*$/),
        carrierCode: "UPS",
        shippingMethod: "UPS Ground",
        trackingNumber: "1Z999AA10123456784",
        shipDate: "2026-03-02T14:04:05.000Z",
        orderItems: raw.orderItems.map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantityOrdered })),
      },
    })
    expect(sim.order(raw.orderId)!.fulfillment!.fulfillmentStatus).toBe("SHIPPED")
  })

  it("builds the same body as Amazon's own confirmShipment example", async () => {
    const example = loadSample("amazon_ordersV0_confirmShipment_request.example.json")
    const orderId = example.path.split("/")[4]
    const item = example.body.packageDetail.orderItems[0]
    const raw = makeOrder({ id: orderId, items: [{ orderItemId: item.orderItemId, quantity: 1 }] })
    sim.addOrders(raw)
    await provider.confirmShipment(amazonChannel(sim), {
      external_order_id: orderId,
      items: [{ external_item_id: item.orderItemId, quantity: item.quantity }],
      carrier_code: example.body.packageDetail.carrierCode,
      carrier_name: example.body.packageDetail.carrierName,
      shipping_method: example.body.packageDetail.shippingMethod,
      tracking_numbers: [example.body.packageDetail.trackingNumber],
      shipped_at: example.body.packageDetail.shipDate,
    })
    const { body } = lastConfirmation()
    const { packageReferenceId: _a, shipFromSupplySourceId: _b, orderItems: expectedItems, ...expected } = example.body.packageDetail
    const { packageReferenceId: _c, orderItems, ...sent } = body.packageDetail
    expect(sent).toEqual(expected)
    expect(orderItems).toEqual(expectedItems.map((i: any) => ({ orderItemId: i.orderItemId, quantity: i.quantity })))
    expect(body.marketplaceId).toBe(example.body.marketplaceId)
  })

  it("replays the ordersV0 sandbox cases of confirmShipment against the simulator", async () => {
    const cases = loadSample("amazon_ordersV0_sandbox_cases.json").confirmShipment
    const token = await fetch(sim.authUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", ...CREDENTIALS }).toString(),
    }).then((r) => r.json())
    for (const c of cases) {
      const orderId = c.request.parameters.orderId.value
      const body = c.request.parameters.body.value
      sim.addOrders(makeOrder({ id: orderId, items: [{ orderItemId: body.packageDetail.orderItems[0].orderItemId, quantity: 1 }] }))
      const res = await fetch(`${sim.baseUrl}/orders/v0/orders/${orderId}/shipmentConfirmation`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-amz-access-token": token.access_token },
        body: JSON.stringify(body),
      })
      expect([orderId, res.status]).toEqual([orderId, c.status])
      if (c.status === 400) {
        const err = await res.json()
        expect(err.errors[0].code).toBe("InvalidInput")
        expect(err.errors[0].message).toMatch(/packageDetail\.shipDate/)
      }
    }
    expect(sim.specViolations).toEqual([])
  })

  it("sends 'Other' with a carrier name for carriers outside Amazon's list, and partial shipments", async () => {
    const raw = makeOrder({ items: [{ quantity: 2 }, { quantity: 1 }] })
    sim.addOrders(raw)
    const first = raw.orderItems[0]
    await provider.confirmShipment(
      amazonChannel(sim),
      shipment(raw, { carrier_code: "Bring", items: [{ external_item_id: first.orderItemId, quantity: 1 }], tracking_numbers: ["70701234"] })
    )
    let { body } = lastConfirmation()
    assertValidRequest(SPECS.amazonOrdersV0, "confirmShipment", body)
    expect(body.packageDetail).toMatchObject({ carrierCode: "Other", carrierName: "Bring" })
    expect(sim.order(raw.orderId)!.fulfillment!.fulfillmentStatus).toBe("PARTIALLY_SHIPPED")

    await provider.confirmShipment(
      amazonChannel(sim),
      shipment(raw, {
        carrier_code: "other",
        carrier_name: "Posti",
        tracking_numbers: ["JJFI1234"],
        items: [
          { external_item_id: first.orderItemId, quantity: 1 },
          { external_item_id: raw.orderItems[1].orderItemId, quantity: 1 },
        ],
      })
    )
    ;({ body } = lastConfirmation())
    expect(body.packageDetail).toMatchObject({ carrierCode: "Other", carrierName: "Posti" })
    expect(sim.order(raw.orderId)!.fulfillment!.fulfillmentStatus).toBe("SHIPPED")
    expect(new Set(sim.order(raw.orderId)!.packages!.map((p) => p.packageReferenceId)).size).toBe(2)

    // Known codes travel in Amazon's exact spelling.
    const again = makeOrder()
    sim.addOrders(again)
    await provider.confirmShipment(amazonChannel(sim), shipment(again, { carrier_code: "royal mail" }))
    expect(lastConfirmation().body.packageDetail.carrierCode).toBe("Royal Mail")
  })

  it("turns Amazon's 400 InvalidInput into a non-retryable error that keeps Amazon's message", async () => {
    const raw = makeOrder()
    sim.addOrders(raw)
    const err = await provider
      .confirmShipment(amazonChannel(sim), shipment(raw, { items: [{ external_item_id: "00000000000000", quantity: 1 }] }))
      .catch((e) => e)
    expect(err).toBeInstanceOf(ChannelProviderError)
    expect(err.retryable).toBe(false)
    expect(err.status).toBe(400)
    expect(err.marketplace_code).toBe("InvalidInput")
    expect(err.marketplace_message).toBe(MESSAGES.badOrderItem)
    expect(err.message).toContain(MESSAGES.badOrderItem)
    expect(err.message).toContain(raw.orderId)
    expect(sim.requestsFor("confirmShipment").at(-1)!.status).toBe(400)
    expect(sim.specViolations).toEqual([])
  })

  it("refuses a shipment Amazon could not take, before calling it", async () => {
    const raw = makeOrder()
    const calls = sim.requestsFor("confirmShipment").length
    await expect(provider.confirmShipment(amazonChannel(sim), shipment(raw, { tracking_numbers: [] }))).rejects.toThrow(/tracking number/)
    await expect(provider.confirmShipment(amazonChannel(sim), shipment(raw, { carrier_code: "Other", carrier_name: null }))).rejects.toThrow(
      /carrier name/
    )
    expect(sim.requestsFor("confirmShipment")).toHaveLength(calls)
  })

  it("retries a lost answer and takes Amazon's 'already fulfilled' as success", async () => {
    const raw = makeOrder()
    sim.addOrders(raw)
    sim.injectFault({ kind: "timeout", operation: "confirmShipment", holdMs: 2_500 })
    const result = await provider.confirmShipment(amazonChannel(sim), shipment(raw))
    expect(result.state).toBe("sent")
    const calls = sim.requestsFor("confirmShipment").filter((r) => r.path.includes(raw.orderId))
    expect(calls.map((c) => c.status)).toEqual([204, 400])
    expect(sim.order(raw.orderId)!.packages).toHaveLength(1)
  })

  it("retries a 503 and confirms once", async () => {
    const raw = makeOrder()
    sim.addOrders(raw)
    sim.injectFault({ kind: "server_error", operation: "confirmShipment", status: 503 })
    expect((await provider.confirmShipment(amazonChannel(sim), shipment(raw))).state).toBe("sent")
    const calls = sim.requestsFor("confirmShipment").filter((r) => r.path.includes(raw.orderId))
    expect(calls.map((c) => c.status)).toEqual([503, 204])
  })

  it("cancels through a POST_ORDER_ACKNOWLEDGEMENT_DATA feed, confirmed by its processing report", async () => {
    const raw = makeOrder({ items: [{}, {}] })
    sim.addOrders(raw)
    const result = await provider.cancelOrder(amazonChannel(sim, { settings: { seller_id: "A1SIMSELLER" } }), {
      external_order_id: raw.orderId,
      reason: "no inventory",
      raw_order: raw,
    })
    // The feed was processed at once and its report shows no error.
    expect(result.state).toBe("confirmed")
    const doc = sim.requestsFor("createFeedDocument").at(-1)!
    assertValidRequest(SPECS.amazonFeeds, "createFeedDocument", JSON.parse(doc.body))
    const feed = sim.requestsFor("createFeed").at(-1)!
    const feedBody = JSON.parse(feed.body)
    assertValidRequest(SPECS.amazonFeeds, "createFeed", feedBody)
    expect(feedBody).toMatchObject({ feedType: "POST_ORDER_ACKNOWLEDGEMENT_DATA", marketplaceIds: [US] })
    const upload = sim.requestsFor("uploadFeedDocument").at(-1)!
    expect(upload.accessToken).toBeUndefined()
    expect(upload.body).toContain(`<AmazonOrderID>${raw.orderId}</AmazonOrderID>`)
    expect(upload.body).toContain("<StatusCode>Failure</StatusCode>")
    expect(upload.body).toContain("<MerchantIdentifier>A1SIMSELLER</MerchantIdentifier>")
    expect(upload.body.match(/<CancelReason>NoInventory<\/CancelReason>/g)).toHaveLength(2)
    const cancelled = sim.order(raw.orderId)!
    expect(cancelled.fulfillment!.fulfillmentStatus).toBe("CANCELLED")
    expect(cancelled.orderItems[0].cancellation?.cancellationExecution?.cancelledBy).toBe("MERCHANT")
    expect(sim.specViolations).toEqual([])
  })
})
