import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { CHANNEL_MODULE } from "../../../modules/channel"
import { ChannelProviderError } from "../../../modules/channel/errors"
import { cancellationReference, verifiable } from "../read-back"
import { VERIFY_DELAYS_MS } from "../policy"
import { sendChannelFeedback, verifyChannelFeedback } from "../steps/send-channel-feedback"
import type { ClaimedFeedback } from "../steps/claim-channel-feedback"

/**
 * A cancellation the provider answered `sent` for is read back with the provider's
 * readCancellationResult (by the reference cancelOrder returned), through the interface only.
 */

const NOW = new Date("2026-12-04T12:00:00.000Z")
const SECRET = "sk-cancel-secret-0123456789"

type FakeProvider = Record<string, any>

function fakeProvider(over: FakeProvider = {}): FakeProvider {
  return {
    statuses: () => [],
    defaultStatusRules: () => [],
    getOrder: jest.fn(async () => ({ id: "EXT-1", status: "open" })),
    cancelOrder: jest.fn(async () => ({ state: "sent", external_reference: "FEED-1", response: { feed_id: "FEED-1" } })),
    readCancellationResult: jest.fn(async () => ({ state: "sent", external_reference: "FEED-1", response: { processing_status: "IN_PROGRESS" } })),
    ...over,
  }
}

function container(provider: FakeProvider) {
  const channels = {
    getChannelContext: async () => ({
      channel: { enabled: true, provider: "acme" },
      provider,
      ctx: { channel_id: "ch_1", settings: {}, credentials: { api_key: SECRET } },
    }),
    retrieveChannelOrder: async () => ({ id: "co_1", external_id: "EXT-1", raw: {} }),
  }
  const query = { graph: async () => ({ data: [] }) }
  return {
    resolve: (key: string) => (key === CHANNEL_MODULE ? channels : key === ContainerRegistrationKeys.QUERY ? query : undefined),
  } as unknown as MedusaContainer
}

function row(over: Partial<ClaimedFeedback> = {}): ClaimedFeedback {
  return {
    id: "cfb_1",
    channel_id: "ch_1",
    channel_order_id: "co_1",
    order_id: "order_1",
    fulfillment_id: null,
    kind: "cancel",
    state: "sending",
    items: [],
    carrier_code: null,
    carrier_name: null,
    tracking_numbers: [],
    shipped_at: null,
    attempts: 1,
    next_attempt_at: null,
    error_code: null,
    error_message: null,
    response: null,
    previous_state: "pending",
    claim: { state: "sending", attempts: 1, lease_until: NOW.toISOString() },
    ...over,
  } as ClaimedFeedback
}

const sentRow = (over: Partial<ClaimedFeedback> = {}) =>
  row({
    state: "sent",
    previous_state: "sent",
    response: { state: "sent", external_reference: "FEED-1", response: { feed_id: "FEED-1" }, verification: { checks: 0 } },
    ...over,
  })

describe("cancellationReference / verifiable", () => {
  it("only cancel rows of a provider with readCancellationResult and a reference", () => {
    const p = fakeProvider()
    expect(cancellationReference(p as any, { kind: "cancel", response: { external_reference: " FEED-1 " } })).toBe("FEED-1")
    expect(cancellationReference(p as any, { kind: "shipment", response: { external_reference: "FEED-1" } })).toBeNull()
    expect(cancellationReference(p as any, { kind: "cancel", response: {} })).toBeNull()
    expect(cancellationReference(fakeProvider({ readCancellationResult: undefined }) as any, { kind: "cancel", response: { external_reference: "F" } })).toBeNull()
    expect(verifiable(p as any, { kind: "cancel", response: { external_reference: "F" } })).toBe(true)
    expect(verifiable(p as any, { kind: "cancel", response: null })).toBe(false)
  })
})

describe("a sent cancellation read back by readCancellationResult", () => {
  it("a cancel the provider answers `sent` with a reference is scheduled for a read-back, even without readBack", async () => {
    const p = fakeProvider()
    const out = await sendChannelFeedback(container(p), row(), NOW)
    expect(p.cancelOrder).toHaveBeenCalledTimes(1)
    expect(out).toMatchObject({ state: "sent", response: { external_reference: "FEED-1", verification: { checks: 0 } } })
    expect(new Date(out.next_attempt_at!).getTime()).toBe(NOW.getTime() + VERIFY_DELAYS_MS[0])
  })

  it("confirmed when the provider reads the result as processed; the reference and the order id are passed", async () => {
    const p = fakeProvider({ readCancellationResult: jest.fn(async () => ({ state: "confirmed", response: { processing_status: "DONE" } })) })
    const out = await verifyChannelFeedback(container(p), sentRow(), NOW)
    expect(p.readCancellationResult).toHaveBeenCalledWith(expect.anything(), "FEED-1", { external_order_id: "EXT-1" })
    expect(p.cancelOrder).not.toHaveBeenCalled()
    expect(out).toMatchObject({ state: "confirmed", called: false, next_attempt_at: null })
    expect(out.response!.verification).toMatchObject({ checks: 1, verdict: "confirmed", cancellation_result: { state: "confirmed" } })
  })

  it("still processing: read again at the next delay; the order read-back (readBack) can confirm it meanwhile", async () => {
    const p = fakeProvider()
    const out = await verifyChannelFeedback(container(p), sentRow(), NOW)
    expect(out).toMatchObject({ state: "sent", error_code: null })
    expect(new Date(out.next_attempt_at!).getTime()).toBe(NOW.getTime() + VERIFY_DELAYS_MS[1])
    expect(out.response!.verification).toMatchObject({ verdict: "missing", cancellation_result: { state: "sent" } })

    const withOrder = fakeProvider({
      readBackKinds: ["cancel"],
      readBack: (order: any) => (order.status === "canceled" ? "confirmed" : "missing"),
      getOrder: jest.fn(async () => ({ id: "EXT-1", status: "canceled" })),
    })
    expect(await verifyChannelFeedback(container(withOrder), sentRow(), NOW)).toMatchObject({ state: "confirmed" })
  })

  it("a refusal read from the result fails the item with the provider's code, without cancelling again", async () => {
    const p = fakeProvider({
      readBackKinds: ["cancel"],
      readBack: () => "missing",
      readCancellationResult: jest.fn(async () => {
        throw new ChannelProviderError("cancellation_rejected", `Rejected (key ${SECRET})`, { marketplace_code: "90001" })
      }),
    })
    const out = await verifyChannelFeedback(container(p), sentRow(), NOW)
    expect(p.cancelOrder).not.toHaveBeenCalled()
    expect(out).toMatchObject({ state: "failed", error_code: "cancellation_rejected", next_attempt_at: null, called: false })
    expect(out.response).toMatchObject({ verification: { verdict: "refused" }, error: { marketplace_code: "90001" } })
    expect(JSON.stringify(out)).not.toContain(SECRET)
    expect(out.event.message).toMatch(/refused by acme/)
  })

  it("a result that cannot be read now (retryable) is read again later and, after the last check, flagged not_confirmed", async () => {
    const p = fakeProvider({
      readCancellationResult: jest.fn(async () => {
        throw new ChannelProviderError("rate_limited", "Throttled", { retryable: true })
      }),
    })
    const first = await verifyChannelFeedback(container(p), sentRow(), NOW)
    expect(first).toMatchObject({ state: "sent", error_code: null })
    expect(first.response!.verification).toMatchObject({ verdict: "unreadable", cancellation_result: { state: "unreadable", error: { code: "rate_limited" } } })
    const last = await verifyChannelFeedback(
      container(p),
      sentRow({ response: { external_reference: "FEED-1", verification: { checks: VERIFY_DELAYS_MS.length - 1 } } }),
      NOW
    )
    expect(last).toMatchObject({ state: "sent", error_code: "not_confirmed", next_attempt_at: null })
    expect(p.cancelOrder).not.toHaveBeenCalled()
  })

  it("without readCancellationResult a cancel is read back from the order as before; shipments never use it", async () => {
    const p = fakeProvider({
      readCancellationResult: undefined,
      readBackKinds: ["shipment", "cancel"],
      readBack: () => "confirmed",
    })
    expect(await verifyChannelFeedback(container(p), sentRow(), NOW)).toMatchObject({ state: "confirmed" })
    const q = fakeProvider({ readBackKinds: ["shipment"], readBack: () => "confirmed" })
    const out = await verifyChannelFeedback(container(q), sentRow({ kind: "shipment", tracking_numbers: ["T1"], items: [{ external_item_id: "L1", quantity: 1 }] }), NOW)
    expect(q.readCancellationResult).not.toHaveBeenCalled()
    expect(out).toMatchObject({ state: "confirmed" })
  })
})
