import type { MiraklSimulator } from "../../../../integration-tests/simulators/mirakl"
import { SPECS, validateResponse } from "../../../../integration-tests/simulators/openapi"
import { API_KEY, expectSpecValidTraffic, startSimulator } from "./mirakl-harness"

/** The simulator itself, driven with plain fetch: its rules are what the provider tests lean on. */
describe("Mirakl simulator", () => {
  let sim: MiraklSimulator
  afterEach(async () => sim?.stop())

  const call = async (method: string, path: string, body?: unknown, key = API_KEY) => {
    const res = await fetch(sim.url + path, {
      method,
      headers: { authorization: key, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined }
  }

  it("answers a wrong key with 401 in Mirakl's error shape", async () => {
    sim = await startSimulator()
    expect(await call("GET", "/api/orders", undefined, "Bearer " + API_KEY)).toMatchObject({ status: 401, body: { status: 401, message: "Unauthorized" } })
  })

  it("filters OR11 by update window (with the safety delta), ids and states, and caps max", async () => {
    sim = await startSimulator({ startUpdateDeltaMs: 60_000 })
    const t = Date.parse("2026-03-01T12:00:00Z")
    sim.addOrder({ id: "A-A", lastUpdated: new Date(t - 30_000), createdAt: new Date(t - 90_000) })
    sim.addOrder({ id: "B-A", lastUpdated: new Date(t + 1000), createdAt: new Date(t - 80_000), state: "SHIPPED" })
    sim.addOrder({ id: "C-A", lastUpdated: new Date(t - 120_000), createdAt: new Date(t - 70_000) })
    const start = new Date(t).toISOString()
    const windowed = await call("GET", `/api/orders?start_update_date=${start}`)
    // A is 30 s before the start but inside Mirakl's delta; C is outside it.
    expect(windowed.body.orders.map((o: any) => o.order_id)).toEqual(["A-A", "B-A"])
    expect((await call("GET", "/api/orders?order_state_codes=SHIPPED")).body.total_count).toBe(1)
    expect((await call("GET", "/api/orders?order_ids=C-A,A-A")).body.orders.map((o: any) => o.order_id)).toEqual(["A-A", "C-A"])
    expect((await call("GET", "/api/orders?order=desc&max=1")).body).toMatchObject({ total_count: 3, orders: [{ order_id: "C-A" }] })
    expect(await call("GET", "/api/orders?max=101")).toMatchObject({ status: 400, body: { status: 400 } })
    expect(await call("GET", "/api/orders?start_update_date=yesterday")).toMatchObject({ status: 400 })
    expectSpecValidTraffic(sim)
  })

  it("enforces OR21's rules with its documented messages", async () => {
    sim = await startSimulator()
    sim.addOrder({ id: "W-A", state: "WAITING_ACCEPTANCE", lines: [{ id: "W-A-1", sku: "X" }, { id: "W-A-2", sku: "Y" }] })
    const accept = (lines: unknown) => call("PUT", "/api/orders/W-A/accept", { order_lines: lines })
    expect((await accept([{ id: "W-A-1", accepted: true }])).body.message).toBe("Some order lines are missing from the acceptance decision")
    expect((await accept([{ id: "W-A-1", accepted: true }, { id: "W-A-1", accepted: true }])).body.message).toBe(
      "The order lines list contains duplicate order line IDs"
    )
    expect((await accept([{ id: "W-A-9", accepted: true }, { id: "W-A-2", accepted: true }])).body.message).toBe(
      "The requested order line does not exist or is not associated with the order"
    )
    expect((await accept([{ id: "W-A-1" }])).body.message).toMatch(/^Input validation failed/)
    expect((await call("PUT", "/api/orders/NOPE/accept", { order_lines: [] })).status).toBe(404)
    expect(sim.order("W-A").order_state).toBe("WAITING_ACCEPTANCE")
    // Refusing every line refuses the order.
    expect((await accept([{ id: "W-A-1", accepted: false }, { id: "W-A-2", accepted: false }])).status).toBe(204)
    expect(sim.order("W-A").order_state).toBe("REFUSED")
  })

  it("rejects unknown carrier codes and registered carriers without a tracking number on OR23", async () => {
    sim = await startSimulator()
    sim.addOrder({ id: "S-A", state: "SHIPPING" })
    expect((await call("PUT", "/api/orders/S-A/tracking", { carrier_code: "NOPE", tracking_number: "1" })).status).toBe(400)
    expect((await call("PUT", "/api/orders/S-A/tracking", { carrier_code: "DHL" })).status).toBe(400)
    expect((await call("PUT", "/api/orders/S-A/tracking", {})).status).toBe(400)
    expect((await call("PUT", "/api/orders/S-A/tracking", { carrier_code: "DHL", tracking_number: "JD 1" })).status).toBe(204)
    sim.addOrder({ id: "W-A", state: "WAITING_ACCEPTANCE" })
    // OR24 before OR21: the order is not SHIPPING yet.
    expect(await call("PUT", "/api/orders/W-A/ship")).toMatchObject({
      status: 400,
      body: { status: 400, message: "Order is not in the expected state for this operation" },
    })
    expect(sim.order("S-A")).toMatchObject({ shipping_carrier_code: "DHL", shipping_tracking_url: "https://www.dhl.com/track?AWB=JD%201" })
  })

  it("cancels lines with OR30 and answers a spec-valid body", async () => {
    sim = await startSimulator()
    sim.addOrder({ id: "C-A", state: "SHIPPING", lines: [{ id: "C-A-1", sku: "X", quantity: 2, unitPrice: 5 }, { id: "C-A-2", sku: "Y" }] })
    const res = await call("PUT", "/api/orders/cancel", {
      cancelations: [{ order_line_id: "C-A-1", quantity: 2, amount: 10, shipping_amount: 0, reason_code: "34" }],
    })
    expect(res.status).toBe(200)
    expect(validateResponse(SPECS.mirakl, "OR30", 200, res.body).errors).toBe("")
    const order = sim.order("C-A")
    expect(order.order_lines.map((l: any) => l.order_line_state)).toEqual(["CANCELED", "SHIPPING"])
    expect(order.price).toBe(10)
    expectSpecValidTraffic(sim)
  })

  it("can hide the customer before acceptance like real Mirakl (opt-in: not spec-valid)", async () => {
    sim = await startSimulator({ hideCustomerUntilAccepted: true })
    sim.addOrder({ id: "H-A", state: "WAITING_ACCEPTANCE" })
    const res = await call("GET", "/api/orders")
    expect(res.body.orders[0].customer).toBeNull()
    expect(validateResponse(SPECS.mirakl, "OR11", 200, res.body).valid).toBe(false)
  })

  it("records every request with its response", async () => {
    sim = await startSimulator()
    await call("GET", "/api/orders?max=5")
    expect(sim.requests[0]).toMatchObject({
      method: "GET",
      path: "/api/orders",
      query: { max: "5" },
      operation: "OR11",
      response: { status: 200, body: { orders: [], total_count: 0 } },
    })
    expect(sim.requests[0].headers.authorization).toBe(API_KEY)
    expect(typeof sim.requests[0].at).toBe("number")
  })
})
