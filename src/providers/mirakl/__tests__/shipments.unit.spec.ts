import type { ShipmentConfirmation } from "../../../modules/channel/types/provider"
import type { MiraklSimulator } from "../../../../integration-tests/simulators/mirakl"
import { SPECS, assertValidRequest, assertValidResponse } from "../../../../integration-tests/simulators/openapi"
import { SHORT_TIMEOUT, caught, channel, expectSpecValidTraffic, finish, provider, startSimulator } from "./mirakl-harness"

/**
 * Partial and multi-parcel shipments through Mirakl's shipments API (ST01 create, ST11 list), carriers
 * the operator does not know, and OR24 calls whose answer is lost.
 */

const ORDER = "MS_1-A"
const L1 = `${ORDER}-1`
const L2 = `${ORDER}-2`

const order = (sim: MiraklSimulator, state = "SHIPPING") =>
  sim.addOrder({
    id: ORDER,
    state,
    lines: [
      { id: L1, sku: "MUG-RED", quantity: 2, unitPrice: 12.5 },
      { id: L2, sku: "MUG-BLUE", quantity: 1, unitPrice: 14 },
    ],
  })

const shipment = (over: Partial<ShipmentConfirmation> = {}): ShipmentConfirmation => ({
  external_order_id: ORDER,
  items: [
    { external_item_id: L1, quantity: 2 },
    { external_item_id: L2, quantity: 1 },
  ],
  carrier_code: "UPS",
  tracking_numbers: ["1Z999AA10123456784"],
  shipped_at: "2026-03-02T10:00:00Z",
  reference: "ful_01",
  ...over,
})

const multi = (sim: MiraklSimulator, extra: Record<string, unknown> = {}) => channel(sim, { multi_shipment: true, ...extra })

describe("Mirakl shipments API (ST01): partial and multi-parcel shipments", () => {
  let sim: MiraklSimulator
  afterEach(async () => finish(sim))

  it("sends a partial shipment as exactly its lines; the order stays SHIPPING until the rest ships", async () => {
    sim = await startSimulator()
    const raw = order(sim)
    const p = provider()
    const ctx = multi(sim, { carriers: ["UPS"] })

    const first = await p.confirmShipment(ctx, shipment({ items: [{ external_item_id: L1, quantity: 1 }], raw_order: raw }))
    expect(sim.requests.map((r) => `${r.operation} ${r.method} ${r.path}`)).toEqual([
      "ST11 GET /api/shipments",
      "ST01 POST /api/shipments",
    ])
    expect(sim.requestsFor("ST11")[0].query).toMatchObject({ order_id: ORDER })
    const body = sim.requestsFor("ST01")[0].body
    expect(body).toEqual({
      shipments: [
        {
          order_id: ORDER,
          shipment_lines: [{ order_line_id: L1, quantity: 1, package_reference: "ful_01-1" }],
          shipped: true,
          tracking: { carrier_code: "UPS", tracking_number: "1Z999AA10123456784" },
        },
      ],
    })
    assertValidRequest(SPECS.mirakl, "ST01", body)
    assertValidResponse(SPECS.mirakl, "ST01", 201, sim.requestsFor("ST01")[0].response?.body)
    const created = sim.shipments(ORDER)
    expect(created).toHaveLength(1)
    expect(first).toMatchObject({ state: "confirmed", external_reference: created[0].id })
    expect(first.response).toMatchObject({ api: "ST01", shipments: [{ id: created[0].id, lines: [{ order_line_id: L1, quantity: 1 }] }] })
    expect(sim.order(ORDER).order_state).toBe("SHIPPING")
    expect(sim.requestsFor("OR23")).toHaveLength(0)
    expect(sim.requestsFor("OR24")).toHaveLength(0)

    // The rest of the order, in a second fulfillment: now every unit is shipped.
    await p.confirmShipment(
      ctx,
      shipment({
        reference: "ful_02",
        tracking_numbers: ["1Z999AA10123456785"],
        items: [
          { external_item_id: L1, quantity: 1 },
          { external_item_id: L2, quantity: 1 },
        ],
        raw_order: raw,
      })
    )
    expect((sim.requestsFor("ST01")[1].body as any).shipments[0].shipment_lines).toEqual([
      { order_line_id: L1, quantity: 1, package_reference: "ful_02-1" },
      { order_line_id: L2, quantity: 1, package_reference: "ful_02-1" },
    ])
    expect(sim.shipments(ORDER)).toHaveLength(2)
    expect(sim.order(ORDER).order_state).toBe("SHIPPED")
    expectSpecValidTraffic(sim)
  })

  it("sends every parcel as its own shipment with its tracking; line totals stay exact", async () => {
    sim = await startSimulator()
    order(sim)
    const res = await provider().confirmShipment(
      multi(sim),
      shipment({
        carrier_code: "LOCALPOST",
        carrier_name: "Local Post",
        tracking_numbers: ["LP1", "LP2", "LP3"],
        packages: [
          { tracking_number: "LP1", tracking_url: "https://localpost.example/t/LP1" },
          { tracking_number: "LP2", tracking_url: "https://localpost.example/t/LP2" },
          { tracking_number: "LP3", tracking_url: "https://localpost.example/t/LP3" },
        ],
      })
    )
    // The operator's list (SH21) does not have LOCALPOST: name and tracking page instead of a code.
    expect(sim.requestsFor("SH21")).toHaveLength(1)
    const sent = (sim.requestsFor("ST01")[0].body as any).shipments
    expect(sent).toHaveLength(3)
    expect(sent.map((s: any) => s.tracking)).toEqual([1, 2, 3].map((n) => ({
      carrier_name: "Local Post",
      tracking_number: `LP${n}`,
      tracking_url: `https://localpost.example/t/LP${n}`,
    })))
    expect(sent.map((s: any) => s.shipment_lines.map((l: any) => [l.order_line_id, l.quantity, l.package_reference]))).toEqual([
      [[L1, 1, "ful_01-1"]],
      [[L1, 1, "ful_01-2"]],
      [[L2, 1, "ful_01-3"]],
    ])
    expect(res).toMatchObject({ state: "confirmed", response: { split: "spread", unsent_tracking_numbers: [] } })
    expect(sim.shipments(ORDER).map((s) => s.tracking.tracking_number)).toEqual(["LP1", "LP2", "LP3"])
    expect(sim.order(ORDER).order_state).toBe("SHIPPED")
  })

  it("lists tracking numbers beyond the shipped units as not sent rather than inventing units", async () => {
    sim = await startSimulator()
    order(sim)
    const res = await provider().confirmShipment(
      multi(sim, { carriers: ["UPS"] }),
      shipment({ items: [{ external_item_id: L2, quantity: 1 }], tracking_numbers: ["1ZA", "1ZB"] })
    )
    expect((sim.requestsFor("ST01")[0].body as any).shipments).toHaveLength(1)
    expect(res.response).toMatchObject({ unsent_tracking_numbers: ["1ZB"], unsent_reason: expect.stringContaining("at least one unit") })
  })

  it("does not create a shipment twice when ST01's answer is lost: ST11 finds it", async () => {
    sim = await startSimulator()
    order(sim)
    sim.hangNext(1, { operation: "ST01", ms: 5000, afterHandling: true })
    const res = await provider(SHORT_TIMEOUT).confirmShipment(multi(sim, { carriers: ["UPS"] }), shipment())
    expect(sim.requestsFor("ST01")).toHaveLength(1)
    expect(sim.requestsFor("ST11")).toHaveLength(2)
    expect(sim.shipments(ORDER)).toHaveLength(1)
    expect(res).toMatchObject({ state: "confirmed", external_reference: sim.shipments(ORDER)[0].id })
  })

  it("a repeated shipment (retried outbox item) finds its shipments and sends nothing", async () => {
    sim = await startSimulator()
    order(sim)
    const p = provider()
    const ctx = multi(sim, { carriers: ["UPS"] })
    await p.confirmShipment(ctx, shipment({ tracking_numbers: ["1ZA", "1ZB"] }))
    const again = await p.confirmShipment(ctx, shipment({ tracking_numbers: ["1ZA", "1ZB"] }))
    expect(sim.requestsFor("ST01")).toHaveLength(1)
    expect(sim.shipments(ORDER)).toHaveLength(2)
    expect(again).toMatchObject({ state: "confirmed" })
    expect((again.response as any).shipments.every((s: any) => s.already_on_mirakl)).toBe(true)
  })

  it("turns ST01 shipment_errors into a refusal carrying Mirakl's message", async () => {
    sim = await startSimulator()
    order(sim, "SHIPPED")
    const err = await caught(provider().confirmShipment(multi(sim, { carriers: ["UPS"] }), shipment()))
    expect(err).toMatchObject({ code: "marketplace_rejected", retryable: false })
    expect(err.marketplace_message).toBe("The order status must be 'SHIPPING' but it is 'SHIPPED'.")
    expect(sim.requestsFor("ST01")).toHaveLength(1)
  })

  it("an operator without multiple shipments refuses ST01: the refusal says so", async () => {
    sim = await startSimulator({ multiShipment: false })
    order(sim)
    const err = await caught(provider().confirmShipment(multi(sim, { carriers: ["UPS"] }), shipment()))
    expect(err).toMatchObject({ code: "marketplace_rejected", retryable: false, status: 400 })
    expect(sim.shipments(ORDER)).toHaveLength(0)
  })
})

describe("Mirakl carriers the operator does not know (OR23)", () => {
  let sim: MiraklSimulator
  afterEach(async () => finish(sim))

  it("sends carrier_name and the label's tracking page instead of a code the operator's SH21 list lacks", async () => {
    sim = await startSimulator()
    order(sim)
    await provider().confirmShipment(
      channel(sim),
      shipment({
        carrier_code: "Hermes",
        carrier_name: "Hermes Germany",
        tracking_numbers: ["H0001"],
        packages: [{ tracking_number: "H0001", tracking_url: "https://hermes.example/t/H0001" }],
      })
    )
    expect(sim.requestsFor("SH21")).toHaveLength(1)
    expect(sim.requestsFor("OR23")[0].body).toEqual({
      carrier_name: "Hermes Germany",
      carrier_url: "https://hermes.example/t/H0001",
      tracking_number: "H0001",
    })
    expect(sim.order(ORDER)).toMatchObject({ order_state: "SHIPPED", shipping_company: "Hermes Germany", shipping_tracking_url: "https://hermes.example/t/H0001" })
  })
})

describe("Mirakl OR24 whose answer is lost", () => {
  let sim: MiraklSimulator
  afterEach(async () => finish(sim))

  it("a timeout after Mirakl shipped the order: read back (OR11), confirmed, OR24 not sent again", async () => {
    sim = await startSimulator()
    const raw = order(sim)
    sim.hangNext(1, { operation: "OR24", ms: 5000, afterHandling: true })
    const res = await provider(SHORT_TIMEOUT).confirmShipment(channel(sim, { carriers: ["UPS"] }), shipment({ raw_order: raw }))
    expect(sim.requestsFor("OR24")).toHaveLength(1)
    expect(sim.requestsFor("OR24")[0].fault).toBe("hang")
    expect(sim.requests.map((r) => r.operation)).toEqual(["OR23", "OR24", "OR11"])
    expect(res).toMatchObject({
      state: "confirmed",
      response: { recovered: { order_state: "SHIPPED", after: "timeout" } },
    })
  })

  it("a connection reset after Mirakl shipped the order: confirmed the same way", async () => {
    sim = await startSimulator()
    const raw = order(sim)
    sim.hangNext(1, { operation: "OR24", ms: 20, afterHandling: true })
    const res = await provider(SHORT_TIMEOUT).confirmShipment(channel(sim, { carriers: ["UPS"] }), shipment({ raw_order: raw }))
    expect(sim.requestsFor("OR24")).toHaveLength(1)
    expect(res).toMatchObject({ state: "confirmed", response: { recovered: { order_state: "SHIPPED", after: "network_error" } } })
  })

  it("a lost OR24 that never reached the order: the read-back shows SHIPPING and OR24 is sent again", async () => {
    sim = await startSimulator()
    const raw = order(sim)
    sim.hangNext(1, { operation: "OR24", ms: 5000 })
    const res = await provider(SHORT_TIMEOUT).confirmShipment(channel(sim, { carriers: ["UPS"] }), shipment({ raw_order: raw }))
    expect(sim.requests.map((r) => `${r.operation}${r.fault ? `:${r.fault}` : ""}`)).toEqual(["OR23", "OR24:hang", "OR11", "OR24"])
    expect(res.state).toBe("sent")
    expect(sim.order(ORDER).order_state).toBe("SHIPPED")
  })

  it("an order that was SHIPPED before any lost answer is still a refusal", async () => {
    sim = await startSimulator()
    const raw = order(sim, "SHIPPED")
    const err = await caught(provider(SHORT_TIMEOUT).confirmShipment(channel(sim, { carriers: ["UPS"] }), shipment({ raw_order: raw })))
    expect(err).toMatchObject({ code: "marketplace_rejected", status: 400 })
    expect(sim.requestsFor("OR11")).toHaveLength(0)
  })
})
