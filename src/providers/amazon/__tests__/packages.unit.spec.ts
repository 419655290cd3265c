import { ChannelProviderError } from "../../../modules/channel/errors"
import type { ShipmentConfirmation } from "../../../modules/channel/types/provider"
import { AmazonSimulator, makeOrder, MESSAGES } from "../../../../integration-tests/simulators/amazon"
import { assertValidRequest, SPECS } from "../../../../integration-tests/simulators/openapi"
import { AmazonProviderError } from "../errors"
import { packageReferenceFor, type AmazonPackageResult } from "../service"
import { amazonChannel, amazonProvider, shipment } from "./channel"

const MULTIPLIER = 50

describe("Amazon provider: shipments of several packages", () => {
  let sim: AmazonSimulator
  const provider = amazonProvider({ rate_limit_multiplier: MULTIPLIER, timeout_ms: 1_500 })

  beforeAll(async () => {
    sim = await new AmazonSimulator({ rateLimitMultiplier: MULTIPLIER }).start()
  })
  afterAll(() => sim.stop())
  afterEach(() => sim.clearFaults())

  const confirmationsOf = (orderId: string) => sim.requestsFor("confirmShipment").filter((r) => r.path.includes(orderId))
  const bodiesOf = (orderId: string) => confirmationsOf(orderId).map((r) => JSON.parse(r.body))
  const readsOf = (orderId: string) => sim.requestsFor("getOrder").filter((r) => r.path.endsWith(`/${orderId}`))
  const states = (packages: AmazonPackageResult[]) => packages.map((p) => p.state)

  /** Per orderItemId, the units over all packages. */
  function totals(bodies: any[]): Record<string, number> {
    const out: Record<string, number> = {}
    for (const b of bodies) for (const i of b.packageDetail.orderItems) out[i.orderItemId] = (out[i.orderItemId] ?? 0) + i.quantity
    return out
  }

  it("sends one spec-valid confirmShipment per tracking number, each with its own reference and lines, adding up to the shipment", async () => {
    const raw = makeOrder({ items: [{ quantity: 2 }, { quantity: 1 }] })
    sim.addOrders(raw)
    const tracking = ["1ZAAA0000000000001", "1ZBBB0000000000002"]
    const result = await provider.confirmShipment(amazonChannel(sim), shipment(raw, { tracking_numbers: tracking }))

    const bodies = bodiesOf(raw.orderId)
    expect(bodies).toHaveLength(2)
    for (const b of bodies) assertValidRequest(SPECS.amazonOrdersV0, "confirmShipment", b)
    expect(bodies.map((b) => b.packageDetail.trackingNumber)).toEqual(tracking)
    expect(bodies.map((b) => b.packageDetail.packageReferenceId)).toEqual(tracking.map((t) => packageReferenceFor(raw.orderId, t)))
    for (const b of bodies) {
      expect(b).toMatchObject({
        marketplaceId: raw.salesChannel.marketplaceId,
        packageDetail: { carrierCode: "UPS", shippingMethod: "UPS Ground", shipDate: "2026-03-02T14:04:05.000Z" },
      })
    }
    // Whole lines over the parcels, in order.
    expect(bodies[0].packageDetail.orderItems).toEqual([{ orderItemId: raw.orderItems[0].orderItemId, quantity: 2 }])
    expect(bodies[1].packageDetail.orderItems).toEqual([{ orderItemId: raw.orderItems[1].orderItemId, quantity: 1 }])

    expect(result.state).toBe("sent")
    expect(result.external_reference).toBe(packageReferenceFor(raw.orderId, tracking[0]))
    const response = result.response as any
    expect(response.split).toBe("spread")
    expect(states(response.packages)).toEqual(["sent", "sent"])
    expect(response.packages[1]).toMatchObject({ trackingNumber: tracking[1], status: 204 })

    const onAmazon = sim.order(raw.orderId)!
    expect(onAmazon.fulfillment!.fulfillmentStatus).toBe("SHIPPED")
    expect(onAmazon.packages!.map((p) => p.trackingNumber)).toEqual(tracking)
    // The order's packages were read once, without buyer or address data.
    expect(readsOf(raw.orderId)).toHaveLength(1)
    expect(readsOf(raw.orderId)[0].query.includedData).toEqual(["PACKAGES"])
    expect(sim.specViolations).toEqual([])
  })

  it("splits a line when there are more parcels than lines: every package holds at least one unit", async () => {
    const raw = makeOrder({ items: [{ quantity: 3 }] })
    sim.addOrders(raw)
    await provider.confirmShipment(amazonChannel(sim), shipment(raw, { tracking_numbers: ["TRK0000001", "TRK0000002", "TRK0000003"] }))
    const bodies = bodiesOf(raw.orderId)
    expect(bodies.map((b) => b.packageDetail.orderItems)).toEqual([
      [{ orderItemId: raw.orderItems[0].orderItemId, quantity: 1 }],
      [{ orderItemId: raw.orderItems[0].orderItemId, quantity: 1 }],
      [{ orderItemId: raw.orderItems[0].orderItemId, quantity: 1 }],
    ])
    expect(totals(bodies)).toEqual({ [raw.orderItems[0].orderItemId]: 3 })
    expect(sim.order(raw.orderId)!.fulfillment!.fulfillmentStatus).toBe("SHIPPED")
  })

  it("sends what each parcel holds when the packages say so, and refuses contents that do not add up before any call", async () => {
    const raw = makeOrder({ items: [{ quantity: 2 }, { quantity: 1 }] })
    sim.addOrders(raw)
    const [a, b] = raw.orderItems.map((i) => i.orderItemId)
    const wrong = await provider
      .confirmShipment(
        amazonChannel(sim),
        shipment(raw, {
          tracking_numbers: ["PKG0000001", "PKG0000002"],
          packages: [
            { tracking_number: "PKG0000001", items: [{ external_item_id: a, quantity: 1 }] },
            { tracking_number: "PKG0000002", items: [{ external_item_id: b, quantity: 1 }] },
          ],
        })
      )
      .catch((e) => e)
    expect(wrong).toBeInstanceOf(ChannelProviderError)
    expect(wrong.code).toBe("invalid_shipment")
    expect(confirmationsOf(raw.orderId)).toHaveLength(0)

    const result = await provider.confirmShipment(
      amazonChannel(sim),
      shipment(raw, {
        tracking_numbers: ["PKG0000001", "PKG0000002"],
        packages: [
          { tracking_number: "PKG0000001", tracking_url: "https://track.example/PKG0000001", items: [{ external_item_id: a, quantity: 1 }, { external_item_id: b, quantity: 1 }] },
          { tracking_number: "PKG0000002", items: [{ external_item_id: a, quantity: 1 }] },
        ],
      })
    )
    const bodies = bodiesOf(raw.orderId)
    expect(bodies.map((x) => x.packageDetail.orderItems)).toEqual([
      [{ orderItemId: a, quantity: 1 }, { orderItemId: b, quantity: 1 }],
      [{ orderItemId: a, quantity: 1 }],
    ])
    const response = result.response as any
    expect(response.split).toBe("explicit")
    expect(response.packages[0].trackingUrl).toBe("https://track.example/PKG0000001")
    expect(sim.order(raw.orderId)!.fulfillment!.fulfillmentStatus).toBe("SHIPPED")
  })

  it("reports tracking numbers beyond the shipped units instead of sending a package without a unit", async () => {
    const raw = makeOrder({ items: [{ quantity: 1 }, { quantity: 1 }] })
    sim.addOrders(raw)
    const result = await provider.confirmShipment(amazonChannel(sim), shipment(raw, { tracking_numbers: ["SUR0000001", "SUR0000002", "SUR0000003"] }))
    expect(bodiesOf(raw.orderId).map((b) => b.packageDetail.trackingNumber)).toEqual(["SUR0000001", "SUR0000002"])
    expect(result.response).toMatchObject({ tracking_numbers_not_sent: ["SUR0000003"], not_sent_reason: expect.stringMatching(/at least one unit/) })
  })

  it("a package that fails half-way: the error lists what Amazon took, and the retry sends only the rest", async () => {
    const raw = makeOrder({ items: [{ quantity: 1 }, { quantity: 1 }, { quantity: 1 }] })
    sim.addOrders(raw)
    const tracking = ["HALF000001", "HALF000002", "HALF000003"]
    // The first package goes through; the second meets more 503s than the provider retries.
    sim.injectFault({ kind: "server_error", operation: "confirmShipment", status: 503, after: 1, count: 4 })
    const err = await provider.confirmShipment(amazonChannel(sim), shipment(raw, { tracking_numbers: tracking })).catch((e) => e)
    expect(err).toBeInstanceOf(AmazonProviderError)
    expect(err.retryable).toBe(true)
    expect(err.status).toBe(503)
    expect(err.message).toMatch(/Package 2 of 3 \(tracking HALF000002\)/)
    expect(err.message).toContain("HALF000001")
    expect(states(err.data.packages)).toEqual(["sent", "failed", "not_sent"])
    expect(err.data.packages[1].error).toMatchObject({ code: "marketplace_unavailable", retryable: true, status: 503 })
    expect(sim.order(raw.orderId)!.fulfillment!.fulfillmentStatus).toBe("PARTIALLY_SHIPPED")

    sim.clearFaults()
    const retried = await provider.confirmShipment(amazonChannel(sim), shipment(raw, { tracking_numbers: tracking }))
    expect(retried.state).toBe("sent")
    expect(states((retried.response as any).packages)).toEqual(["already_on_amazon", "sent", "sent"])
    expect(confirmationsOf(raw.orderId).map((r) => r.status)).toEqual([204, 503, 503, 503, 503, 204, 204])
    expect(bodiesOf(raw.orderId).filter((b) => b.packageDetail.trackingNumber === "HALF000001")).toHaveLength(1)
    const onAmazon = sim.order(raw.orderId)!
    expect(onAmazon.packages!.map((p) => p.trackingNumber)).toEqual(tracking)
    expect(onAmazon.fulfillment!.fulfillmentStatus).toBe("SHIPPED")

    // Once Amazon shows every package, a repeat sends nothing and the read confirms it.
    const again = await provider.confirmShipment(amazonChannel(sim), shipment(raw, { tracking_numbers: tracking }))
    expect(again.state).toBe("confirmed")
    expect(states((again.response as any).packages)).toEqual(["already_on_amazon", "already_on_amazon", "already_on_amazon"])
    expect(confirmationsOf(raw.orderId)).toHaveLength(7)
  })

  it("a refusal of a later package is not retryable, keeps Amazon's code and message, and says which packages landed", async () => {
    const raw = makeOrder({ items: [{ quantity: 1 }, { quantity: 1 }] })
    sim.addOrders(raw)
    const good = raw.orderItems[0].orderItemId
    const err = await provider
      .confirmShipment(
        amazonChannel(sim),
        shipment(raw, {
          items: [
            { external_item_id: good, quantity: 1 },
            { external_item_id: "00000000000000", quantity: 1 },
          ],
          tracking_numbers: ["REF0000001", "REF0000002"],
        })
      )
      .catch((e) => e)
    expect(err).toBeInstanceOf(AmazonProviderError)
    expect(err.retryable).toBe(false)
    expect(err).toMatchObject({ status: 400, marketplace_code: "InvalidInput", marketplace_message: MESSAGES.badOrderItem })
    expect(err.message).toContain(MESSAGES.badOrderItem)
    expect(states(err.data.packages)).toEqual(["sent", "failed"])
    expect(err.data.packages[1].error).toMatchObject({ marketplace_code: "InvalidInput", retryable: false })
  })

  it("a lost answer of a later package is retried and Amazon's 'already fulfilled' counts as sent", async () => {
    const raw = makeOrder({ items: [{ quantity: 1 }, { quantity: 1 }] })
    sim.addOrders(raw)
    sim.injectFault({ kind: "timeout", operation: "confirmShipment", holdMs: 2_500, after: 1 })
    const result = await provider.confirmShipment(amazonChannel(sim), shipment(raw, { tracking_numbers: ["LOST000001", "LOST000002"] }))
    expect(states((result.response as any).packages)).toEqual(["sent", "sent"])
    expect((result.response as any).packages[1].note).toBe(MESSAGES.alreadyFulfilled)
    expect(confirmationsOf(raw.orderId).map((r) => r.status)).toEqual([204, 204, 400])
    expect(sim.order(raw.orderId)!.packages).toHaveLength(2)
  })

  it("does not send again a tracking number Amazon already shows under another package reference", async () => {
    const raw = makeOrder({ items: [{ quantity: 1 }, { quantity: 1 }] })
    sim.addOrders(raw)
    // Confirmed by hand in Seller Central, with a reference of its own.
    await fetchConfirm(raw, { packageReferenceId: "77", trackingNumber: "HAND000001", orderItemId: raw.orderItems[0].orderItemId })
    const result = await provider.confirmShipment(amazonChannel(sim), shipment(raw, { tracking_numbers: ["hand-000001", "HAND000002"] }))
    const packages = (result.response as any).packages
    expect(states(packages)).toEqual(["already_on_amazon", "sent"])
    expect(packages[0].note).toMatch(/package 77/)
    expect(bodiesOf(raw.orderId).map((b) => b.packageDetail.trackingNumber)).toEqual(["HAND000001", "HAND000002"])
  })

  it("keeps the single-package path: one call, no read of the order", async () => {
    const raw = makeOrder({ items: [{ quantity: 2 }] })
    sim.addOrders(raw)
    const result = await provider.confirmShipment(amazonChannel(sim), shipment(raw, { tracking_numbers: ["ONE0000001", " ONE0000001 "] }))
    expect(confirmationsOf(raw.orderId)).toHaveLength(1)
    expect(readsOf(raw.orderId)).toHaveLength(0)
    expect(result).toEqual({
      state: "sent",
      external_reference: packageReferenceFor(raw.orderId, "ONE0000001"),
      response: { status: 204, marketplaceId: raw.salesChannel.marketplaceId, packageReferenceId: packageReferenceFor(raw.orderId, "ONE0000001") },
    })
  })

  /** A confirmShipment made outside the provider (as Seller Central would). */
  async function fetchConfirm(raw: any, p: { packageReferenceId: string; trackingNumber: string; orderItemId: string }) {
    const { SIM_CLIENT_ID, SIM_CLIENT_SECRET, SIM_REFRESH_TOKEN } = await import("../../../../integration-tests/simulators/amazon")
    const token = await fetch(sim.authUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", client_id: SIM_CLIENT_ID, client_secret: SIM_CLIENT_SECRET, refresh_token: SIM_REFRESH_TOKEN }).toString(),
    }).then((r) => r.json())
    const res = await fetch(`${sim.baseUrl}/orders/v0/orders/${raw.orderId}/shipmentConfirmation`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-amz-access-token": token.access_token },
      body: JSON.stringify({
        marketplaceId: raw.salesChannel.marketplaceId,
        packageDetail: {
          packageReferenceId: p.packageReferenceId,
          carrierCode: "UPS",
          trackingNumber: p.trackingNumber,
          shipDate: "2026-03-02T10:00:00.000Z",
          orderItems: [{ orderItemId: p.orderItemId, quantity: 1 }],
        },
      }),
    })
    expect(res.status).toBe(204)
  }
})
