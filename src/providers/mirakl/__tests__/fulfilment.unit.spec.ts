import type { ShipmentConfirmation } from "../../../modules/channel/types/provider"
import type { MiraklSimulator } from "../../../../integration-tests/simulators/mirakl"
import { SPECS, assertValidRequest } from "../../../../integration-tests/simulators/openapi"
import { API_KEY, SHORT_TIMEOUT, caught, finish, channel, expectSpecValidTraffic, provider, startSimulator } from "./mirakl-harness"

const NOT_EXPECTED_STATE = "Order is not in the expected state for this operation"

const shipment = (over: Partial<ShipmentConfirmation> = {}): ShipmentConfirmation => ({
  external_order_id: "SHIP_1-A",
  items: [
    { external_item_id: "SHIP_1-A-1", quantity: 2 },
    { external_item_id: "SHIP_1-A-2", quantity: 1 },
  ],
  carrier_code: "ups",
  tracking_numbers: ["1Z999AA10123456784"],
  shipped_at: "2026-03-02T10:00:00Z",
  ...over,
})

const twoLineOrder = (sim: MiraklSimulator, state = "SHIPPING", id = "SHIP_1-A") =>
  sim.addOrder({
    id,
    state,
    lines: [
      { id: `${id}-1`, sku: "MUG-RED", quantity: 2, unitPrice: 12.5 },
      { id: `${id}-2`, sku: "MUG-BLUE", quantity: 1, unitPrice: 14 },
    ],
  })

describe("Mirakl OR21 acceptance", () => {
  let sim: MiraklSimulator
  afterEach(async () => finish(sim))

  const waiting = (s: MiraklSimulator) =>
    s.addOrder({
      id: "ACC_1-A",
      state: "WAITING_ACCEPTANCE",
      lines: [
        { id: "ACC_1-A-1", sku: "KNOWN-1" },
        { id: "ACC_1-A-2", sku: "KNOWN-2", quantity: 2 },
        { id: "ACC_1-A-3", sku: "UNKNOWN" },
      ],
    })

  it("accepts matched lines and refuses the rest in one spec-valid OR21", async () => {
    sim = await startSimulator()
    const raw = waiting(sim)
    await provider().acceptOrder(channel(sim), {
      external_order_id: "ACC_1-A",
      accept_item_ids: ["ACC_1-A-1", "ACC_1-A-2"],
      refuse_item_ids: ["ACC_1-A-3"],
      raw_order: raw,
    })

    const [call] = sim.requestsFor("OR21")
    expect(call.method).toBe("PUT")
    expect(call.path).toBe("/api/orders/ACC_1-A/accept")
    expect(call.body).toEqual({
      order_lines: [
        { id: "ACC_1-A-1", accepted: true },
        { id: "ACC_1-A-2", accepted: true },
        { id: "ACC_1-A-3", accepted: false },
      ],
    })
    assertValidRequest(SPECS.mirakl, "OR21", call.body)
    expect(call.response?.status).toBe(204)

    const after = sim.order("ACC_1-A")
    expect(after.order_state).toBe("SHIPPING")
    expect(after.order_lines.map((l: any) => l.order_line_state)).toEqual(["SHIPPING", "SHIPPING", "REFUSED"])
    expectSpecValidTraffic(sim)
  })

  it("refuses to send a decision that leaves lines out", async () => {
    sim = await startSimulator()
    const raw = waiting(sim)
    const err = await caught(
      provider().acceptOrder(channel(sim), {
        external_order_id: "ACC_1-A",
        accept_item_ids: ["ACC_1-A-1"],
        refuse_item_ids: [],
        raw_order: raw,
      })
    )
    expect(err).toMatchObject({ code: "invalid_acceptance", retryable: false })
    expect(err.message).toContain("ACC_1-A-2")
    expect(sim.requests).toHaveLength(0)
  })

  it("sends nothing when the channel leaves acceptance to the back office", async () => {
    sim = await startSimulator()
    waiting(sim)
    await provider().acceptOrder(channel(sim, { accept_orders: false }), {
      external_order_id: "ACC_1-A",
      accept_item_ids: ["ACC_1-A-1"],
      refuse_item_ids: [],
    })
    expect(sim.requests).toHaveLength(0)
  })

  it("treats a retried OR21 whose first attempt went through as done", async () => {
    sim = await startSimulator()
    waiting(sim)
    // Applied, but the answer never arrives: the client times out and retries into ORDER_INVALID_STATE.
    sim.hangNext(1, { operation: "OR21", ms: 5000, afterHandling: true })
    await provider(SHORT_TIMEOUT).acceptOrder(channel(sim), {
      external_order_id: "ACC_1-A",
      accept_item_ids: ["ACC_1-A-1", "ACC_1-A-2"],
      refuse_item_ids: ["ACC_1-A-3"],
    })
    const calls = sim.requestsFor("OR21")
    expect(calls[0].fault).toBe("hang")
    expect(calls[calls.length - 1].response).toMatchObject({ status: 400, body: { message: NOT_EXPECTED_STATE } })
    expect(sim.order("ACC_1-A").order_state).toBe("SHIPPING")
  })

  it("resolves when the order was already accepted the same way (pipeline retry)", async () => {
    sim = await startSimulator()
    twoLineOrder(sim, "SHIPPING", "ACC_2-A")
    await provider().acceptOrder(channel(sim), {
      external_order_id: "ACC_2-A",
      accept_item_ids: ["ACC_2-A-1", "ACC_2-A-2"],
      refuse_item_ids: [],
    })
    expect(sim.requests.map((r) => `${r.operation} ${r.response?.status}`)).toEqual(["OR21 400", "OR11 200"])
  })

  it("does not swallow an OR21 refused for an order auto-refused meanwhile", async () => {
    sim = await startSimulator()
    waiting(sim)
    sim.setState("ACC_1-A", "REFUSED")
    const err = await caught(
      provider().acceptOrder(channel(sim), {
        external_order_id: "ACC_1-A",
        accept_item_ids: ["ACC_1-A-1", "ACC_1-A-2"],
        refuse_item_ids: ["ACC_1-A-3"],
      })
    )
    expect(err).toMatchObject({ code: "marketplace_rejected", retryable: false, status: 400, marketplace_message: NOT_EXPECTED_STATE })
  })
})

describe("Mirakl OR23 + OR24 shipment", () => {
  let sim: MiraklSimulator
  afterEach(async () => finish(sim))

  it("sends tracking with the operator's carrier code, then ships", async () => {
    sim = await startSimulator()
    const raw = twoLineOrder(sim)
    const p = provider()
    const result = await p.confirmShipment(channel(sim), shipment({ raw_order: raw }))

    expect(result).toMatchObject({ state: "sent", external_reference: "1Z999AA10123456784" })
    expect(sim.requests.map((r) => `${r.operation} ${r.method} ${r.path}`)).toEqual([
      "SH21 GET /api/shipping/carriers",
      "OR23 PUT /api/orders/SHIP_1-A/tracking",
      "OR24 PUT /api/orders/SHIP_1-A/ship",
    ])
    // "ups" matched the registered "UPS": the code goes out exactly as the operator spells it.
    expect(sim.requestsFor("OR23")[0].body).toEqual({ carrier_code: "UPS", tracking_number: "1Z999AA10123456784" })
    expect(sim.requestsFor("OR24")[0].rawBody).toBe("")
    expect(sim.requests.every((r) => r.headers.authorization === API_KEY)).toBe(true)
    expectSpecValidTraffic(sim)

    const shipped = sim.order("SHIP_1-A")
    expect(shipped.order_state).toBe("SHIPPED")
    expect(shipped.shipping_tracking_url).toContain("1Z999AA10123456784")

    // SH21 is asked once a day at most.
    twoLineOrder(sim, "SHIPPING", "SHIP_2-A")
    await p.confirmShipment(channel(sim), shipment({ external_order_id: "SHIP_2-A", items: [] }))
    expect(sim.requestsFor("SH21")).toHaveLength(1)
  })

  it("falls back to carrier_name + carrier_url for a carrier the operator does not know", async () => {
    sim = await startSimulator()
    twoLineOrder(sim)
    await provider().confirmShipment(
      channel(sim, { carriers: ["UPS", { code: "COLISSIMO", label: "Colissimo" }] }),
      shipment({ carrier_code: "LOCALPOST", carrier_name: "Local Post", tracking_url: "https://localpost.example/t/LP42", tracking_numbers: ["LP42"] })
    )
    // Carriers came from the settings: no SH21 call.
    expect(sim.requestsFor("SH21")).toHaveLength(0)
    expect(sim.requestsFor("OR23")[0].body).toEqual({
      carrier_name: "Local Post",
      carrier_url: "https://localpost.example/t/LP42",
      tracking_number: "LP42",
    })
    expect(sim.order("SHIP_1-A")).toMatchObject({ order_state: "SHIPPED", shipping_company: "Local Post" })
    expectSpecValidTraffic(sim)
  })

  it("refuses a partial shipment before calling Mirakl when the channel does not use the shipments API", async () => {
    sim = await startSimulator()
    twoLineOrder(sim)
    const err = await caught(
      provider().confirmShipment(channel(sim), shipment({ items: [{ external_item_id: "SHIP_1-A-1", quantity: 1 }] }))
    )
    expect(err).toMatchObject({ code: "not_supported", retryable: false })
    expect(err.message).toContain("SHIP_1-A-1 (1/2)")
    expect(err.message).toMatch(/multi_shipment/)
    expect((err as any).data).toEqual({
      reason: "partial_shipment",
      order_id: "SHIP_1-A",
      api: "OR24",
      unshipped_lines: [
        { order_line_id: "SHIP_1-A-1", shipped: 1, remaining: 2 },
        { order_line_id: "SHIP_1-A-2", shipped: 0, remaining: 1 },
      ],
      remedy: ["ship_remaining_units_together", "enable_multi_shipment_setting"],
      spec: expect.stringContaining("ST01"),
    })
    // Only the OR11 read of the order (no raw order given).
    expect(sim.requests.map((r) => r.operation)).toEqual(["OR11"])
  })

  it("turns shipping an already shipped order into a non-retryable error carrying Mirakl's message", async () => {
    sim = await startSimulator()
    const raw = twoLineOrder(sim, "SHIPPED")
    const err = await caught(provider().confirmShipment(channel(sim), shipment({ raw_order: raw })))
    expect(err).toMatchObject({
      code: "marketplace_rejected",
      retryable: false,
      status: 400,
      marketplace_message: NOT_EXPECTED_STATE,
    })
    expect(err.message).toContain(NOT_EXPECTED_STATE)
    // A 400 is not retried.
    expect(sim.requestsFor("OR24")).toHaveLength(1)
  })

  it("cannot ship before acceptance and debit", async () => {
    sim = await startSimulator({ debitAfterMs: "manual" })
    const raw = twoLineOrder(sim, "WAITING_ACCEPTANCE")
    const p = provider()
    const ctx = channel(sim)
    const early = await caught(p.confirmShipment(ctx, shipment({ raw_order: raw })))
    expect(early).toMatchObject({ retryable: false, status: 400, marketplace_message: NOT_EXPECTED_STATE })

    await p.acceptOrder(ctx, { external_order_id: "SHIP_1-A", accept_item_ids: ["SHIP_1-A-1", "SHIP_1-A-2"], refuse_item_ids: [] })
    expect(sim.order("SHIP_1-A").order_state).toBe("WAITING_DEBIT_PAYMENT")
    const beforeDebit = await caught(p.confirmShipment(ctx, shipment({ raw_order: raw })))
    expect(beforeDebit).toMatchObject({ status: 400, marketplace_message: NOT_EXPECTED_STATE })

    sim.debit("SHIP_1-A")
    await expect(p.confirmShipment(ctx, shipment({ raw_order: raw }))).resolves.toMatchObject({ state: "sent" })
    expect(sim.order("SHIP_1-A").order_state).toBe("SHIPPED")
  })

  it("moves an accepted order to SHIPPING after the configured debit delay", async () => {
    sim = await startSimulator({ debitAfterMs: 150 })
    twoLineOrder(sim, "WAITING_ACCEPTANCE")
    const p = provider()
    const ctx = channel(sim)
    await p.acceptOrder(ctx, { external_order_id: "SHIP_1-A", accept_item_ids: ["SHIP_1-A-1", "SHIP_1-A-2"], refuse_item_ids: [] })
    expect(((await p.getOrder(ctx, "SHIP_1-A")) as any).order_state).toBe("WAITING_DEBIT_PAYMENT")
    await new Promise((r) => setTimeout(r, 200))
    const debited = (await p.getOrder(ctx, "SHIP_1-A")) as any
    expect(debited.order_state).toBe("SHIPPING")
    expect(debited.customer_debited_date).toBeDefined()
    expectSpecValidTraffic(sim)
  })

  it("is safe to retry after OR23 went through and OR24 failed", async () => {
    sim = await startSimulator()
    const raw = twoLineOrder(sim)
    const p = provider()
    const ctx = channel(sim, { carriers: ["UPS"] })
    sim.failNext(4, { operation: "OR24", status: 500 })
    const err = await caught(p.confirmShipment(ctx, shipment({ raw_order: raw })))
    expect(err).toMatchObject({ code: "marketplace_unavailable", retryable: true, status: 500 })
    expect(sim.order("SHIP_1-A").order_state).toBe("SHIPPING")
    expect(sim.order("SHIP_1-A").shipping_tracking).toBe("1Z999AA10123456784")

    await expect(p.confirmShipment(ctx, shipment({ raw_order: raw }))).resolves.toMatchObject({ state: "sent" })
    expect(sim.requestsFor("OR23").map((r) => r.response?.status)).toEqual([204, 204])
    expect(sim.order("SHIP_1-A").order_state).toBe("SHIPPED")
    expectSpecValidTraffic(sim)
  })

  it("sends the first of several tracking numbers and says which were not sent", async () => {
    sim = await startSimulator()
    const raw = twoLineOrder(sim)
    const res = await provider().confirmShipment(channel(sim, { carriers: ["DHL"] }), shipment({
      raw_order: raw,
      carrier_code: "DHL",
      tracking_numbers: ["JD1", "JD2"],
    }))
    expect(sim.requestsFor("OR23")[0].body).toEqual({ carrier_code: "DHL", tracking_number: "JD1" })
    expect(res.response).toMatchObject({ unsent_tracking_numbers: ["JD2"] })
  })
})

describe("Mirakl OR29 cancelation and connection test", () => {
  let sim: MiraklSimulator
  afterEach(async () => finish(sim))

  it("cancels a whole order with OR29 and no body", async () => {
    sim = await startSimulator()
    twoLineOrder(sim)
    await expect(provider().cancelOrder(channel(sim), { external_order_id: "SHIP_1-A", reason: "out of stock" })).resolves.toEqual({
      state: "sent",
    })
    const [call] = sim.requestsFor("OR29")
    expect(call).toMatchObject({ method: "PUT", path: "/api/orders/SHIP_1-A/cancel", rawBody: "" })
    const canceled = sim.order("SHIP_1-A")
    expect(canceled.order_state).toBe("CANCELED")
    expect(canceled.order_lines.every((l: any) => l.order_line_state === "CANCELED" && l.cancelations.length === 1)).toBe(true)
    // The canceled order still validates when listed.
    await provider().getOrder(channel(sim), "SHIP_1-A")
    expectSpecValidTraffic(sim)
  })

  it("cannot cancel a shipped order", async () => {
    sim = await startSimulator()
    twoLineOrder(sim, "SHIPPED")
    const err = await caught(provider().cancelOrder(channel(sim), { external_order_id: "SHIP_1-A" }))
    expect(err).toMatchObject({ code: "marketplace_rejected", retryable: false, marketplace_message: NOT_EXPECTED_STATE })
  })

  it("tests the connection with one OR11 call and no secret in the message", async () => {
    sim = await startSimulator()
    twoLineOrder(sim)
    const p = provider()
    const ok = await p.testConnection(channel(sim))
    expect(ok.ok).toBe(true)
    expect(ok.message).toMatch(/1 orders visible/)
    expect(sim.requestsFor("OR11")[0].query).toMatchObject({ max: "1" })

    const bad = await p.testConnection(channel(sim, {}, { api_key: "wrong-key-123" }))
    expect(bad.ok).toBe(false)
    expect(bad.message).toMatch(/API key/)
    expect(bad.message).not.toContain("wrong-key-123")

    const misconfigured = await p.testConnection({ ...channel(sim), settings: {} })
    expect(misconfigured).toMatchObject({ ok: false })
    expect(misconfigured.message).toMatch(/base_url/)
  })

  it("getOrder reads one order through OR11 order_ids and returns null when absent", async () => {
    sim = await startSimulator()
    twoLineOrder(sim)
    const p = provider()
    expect(((await p.getOrder(channel(sim), "SHIP_1-A")) as any).order_id).toBe("SHIP_1-A")
    expect(await p.getOrder(channel(sim), "NOPE-A")).toBeNull()
    expect(sim.requestsFor("OR11").map((r) => r.query.order_ids)).toEqual(["SHIP_1-A", "NOPE-A"])
    expectSpecValidTraffic(sim)
  })
})
