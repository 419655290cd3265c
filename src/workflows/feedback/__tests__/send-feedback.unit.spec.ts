import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type { MiraklSimulator } from "../../../../integration-tests/simulators/mirakl"
import { SHORT_TIMEOUT, channel, finish, provider, startSimulator } from "../../../providers/mirakl/__tests__/mirakl-harness"
import type { MiraklProviderOptions } from "../../../providers/mirakl/settings"
import { sendChannelFeedback } from "../steps/send-channel-feedback"
import type { ClaimedFeedback } from "../steps/claim-channel-feedback"

/**
 * One delivery attempt (sendChannelFeedback) against the Mirakl simulator, with the channel module
 * and Query replaced by small fakes: what the outbox row and the fulfillment's labels become on the
 * wire, and how an attempt after a lost answer is settled.
 */

const NOW = new Date("2026-11-22T12:00:00.000Z")
const ORDER = "SF_1-A"

function container(sim: MiraklSimulator, opts: { settings?: Record<string, unknown>; labels?: unknown[]; provider?: MiraklProviderOptions } = {}) {
  const p = provider(opts.provider)
  const ctx = channel(sim, opts.settings ?? {})
  const channels = {
    getChannelContext: async () => ({ channel: { enabled: true, provider: "mirakl" }, provider: p, ctx }),
    retrieveChannelOrder: async () => ({ id: "co_1", external_id: ORDER, raw: sim.order(ORDER) }),
  }
  const query = {
    graph: async ({ entity }: { entity: string }) => ({ data: entity === "fulfillment" ? [{ labels: opts.labels ?? [] }] : [] }),
  }
  return {
    resolve: (key: string) => (key === CHANNEL_MODULE ? channels : key === ContainerRegistrationKeys.QUERY ? query : undefined),
  } as unknown as MedusaContainer
}

function row(over: Partial<ClaimedFeedback> = {}): ClaimedFeedback {
  return {
    id: "cfb_1",
    channel_id: "ch_mirakl_test",
    channel_order_id: "co_1",
    order_id: "order_1",
    fulfillment_id: "ful_1",
    kind: "shipment",
    state: "sending",
    items: [{ external_item_id: `${ORDER}-1`, quantity: 1 }],
    carrier_code: "LOCALPOST",
    carrier_name: "Local Post",
    tracking_numbers: ["LP1", "LP2"],
    shipped_at: NOW.toISOString(),
    attempts: 1,
    next_attempt_at: null,
    error_code: null,
    error_message: null,
    response: null,
    previous_state: "pending",
    claim: { state: "sending", attempts: over.attempts ?? 1, lease_until: NOW.toISOString() },
    ...over,
  }
}

const twoLines = (sim: MiraklSimulator) =>
  sim.addOrder({
    id: ORDER,
    state: "SHIPPING",
    lines: [
      { id: `${ORDER}-1`, sku: "A", quantity: 2 },
      { id: `${ORDER}-2`, sku: "B", quantity: 1 },
    ],
  })

describe("sending a shipment row", () => {
  let sim: MiraklSimulator
  afterEach(async () => finish(sim))

  it("sends every label as a parcel with its tracking page and the fulfillment as reference (Mirakl ST01)", async () => {
    sim = await startSimulator()
    twoLines(sim)
    const c = container(sim, {
      settings: { multi_shipment: true },
      labels: [
        { tracking_number: "LP1", tracking_url: "https://localpost.example/LP1" },
        { tracking_number: "LP2", tracking_url: "https://localpost.example/LP2" },
      ],
    })
    const outcome = await sendChannelFeedback(c, row({ items: [{ external_item_id: `${ORDER}-1`, quantity: 2 }] }), NOW)
    expect(outcome).toMatchObject({ state: "confirmed", called: true, error_code: null })
    const sent = (sim.requestsFor("ST01")[0].body as any).shipments
    expect(sent.map((s: any) => [s.tracking, s.shipment_lines])).toEqual([
      [
        { carrier_name: "Local Post", tracking_number: "LP1", tracking_url: "https://localpost.example/LP1" },
        [{ order_line_id: `${ORDER}-1`, quantity: 1, package_reference: "ful_1-1" }],
      ],
      [
        { carrier_name: "Local Post", tracking_number: "LP2", tracking_url: "https://localpost.example/LP2" },
        [{ order_line_id: `${ORDER}-1`, quantity: 1, package_reference: "ful_1-2" }],
      ],
    ])
    // Partial: line 2 is still to ship.
    expect(sim.order(ORDER).order_state).toBe("SHIPPING")
  })

  it("a partial shipment on a channel without the shipments API fails not_supported, with the detail in the outbox", async () => {
    sim = await startSimulator()
    twoLines(sim)
    const outcome = await sendChannelFeedback(container(sim), row(), NOW)
    expect(outcome).toMatchObject({ state: "failed", error_code: "not_supported", called: true })
    expect(outcome.error_message).toMatch(/ships whole orders/)
    expect((outcome.response as any).error).toMatchObject({
      code: "not_supported",
      data: { reason: "partial_shipment", order_id: ORDER, unshipped_lines: [{ order_line_id: `${ORDER}-1`, shipped: 1, remaining: 2 }, { order_line_id: `${ORDER}-2`, shipped: 0, remaining: 1 }] },
    })
    expect(sim.requests.filter((r) => r.method !== "GET")).toEqual([])
  })

  it("OR23 tells Mirakl the label's tracking page for a carrier the operator does not list", async () => {
    sim = await startSimulator()
    twoLines(sim)
    const c = container(sim, { labels: [{ tracking_number: "LP1", tracking_url: "https://localpost.example/LP1" }] })
    const outcome = await sendChannelFeedback(
      c,
      row({ tracking_numbers: ["LP1"], items: [{ external_item_id: `${ORDER}-1`, quantity: 2 }, { external_item_id: `${ORDER}-2`, quantity: 1 }] }),
      NOW
    )
    expect(outcome.state).toBe("sent")
    expect(sim.requestsFor("OR23")[0].body).toEqual({ carrier_name: "Local Post", carrier_url: "https://localpost.example/LP1", tracking_number: "LP1" })
  })

  it("after an attempt whose answer was lost, a shipped order is read back and confirmed without sending again", async () => {
    sim = await startSimulator()
    twoLines(sim)
    // The earlier attempt's OR23 and OR24 reached Mirakl; only the answer was lost.
    sim.update(ORDER, (o) => {
      o.shipping_company = "Local Post"
      o.shipping_tracking = "LP1"
    })
    sim.setState(ORDER, "SHIPPED")
    const outcome = await sendChannelFeedback(
      container(sim, { provider: SHORT_TIMEOUT }),
      row({
        attempts: 2,
        error_code: "timeout",
        tracking_numbers: ["LP1"],
        items: [{ external_item_id: `${ORDER}-1`, quantity: 2 }, { external_item_id: `${ORDER}-2`, quantity: 1 }],
      }),
      NOW
    )
    expect(outcome).toMatchObject({ state: "confirmed", called: false, response: { recovered: true } })
    expect(sim.requests.map((r) => r.operation)).toEqual(["OR11"])
  })
})
