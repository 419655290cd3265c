import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { seedStore, type SeededStore } from "../../src/scripts/seed-store"
import { LEASE_MS, VERIFY_DELAYS_MS } from "../../src/workflows/feedback/policy"
import { adminHeaders } from "../helpers/admin"
import {
  AFTER_LEASE,
  cancelFeedbackFor,
  channelsOf,
  deliverNow,
  deliverWhenDue,
  feedbackFor,
  feedbackRow,
  feedbackTimeline,
  orderLines,
  shipThroughAdmin,
  waitFor,
} from "../helpers/feedback-fixtures"
import { createMarketplaceChannel, importMarketplaceOrders, RATE_MULTIPLIER, type MarketplaceChannel } from "../helpers/feedback-marketplaces"
import { MESSAGES as AMAZON_MESSAGES, SIM_FEED_RESULTS, type AmazonSimulator } from "../simulators/amazon"
import type { EbaySimulator } from "../simulators/ebay"
import type { MiraklSimulator } from "../simulators/mirakl"
import { SPECS, validateRequest } from "../simulators/openapi"

// Read by medusa-config.ts when the runner loads it (before the app boots).
process.env.CHANNEL_RATE_LIMIT_MULTIPLIER = String(RATE_MULTIPLIER)
// The scheduled job stays out of the way; every pass is run explicitly.
process.env.CHANNEL_FEEDBACK_DELIVERY = "off"

jest.setTimeout(180_000)

const json = (body: unknown) => (typeof body === "string" ? JSON.parse(body) : body)

/** In-process delivery latency, printed for the note: shipment API → outbox row → marketplace request. */
function reportLatency(kind: string, t: { shipStart: number; shipped: number; recorded: number; passStart: number; request: number; passEnd: number }) {
  // eslint-disable-next-line no-console
  console.log(
    `[feedback latency] ${kind}: shipment API call ${t.shipped - t.shipStart} ms; event → outbox row ${t.recorded - t.shipped} ms; ` +
      `pass start → marketplace request ${t.request - t.passStart} ms; whole pass ${t.passEnd - t.passStart} ms`
  )
}

/**
 * Shipment and cancellation feedback against the Amazon, eBay and Mirakl simulators: real HTTP,
 * request bodies checked against the marketplaces' official specs, fault injection. Orders are
 * imported with `POST /admin/channels/:id/import`, fulfilled and shipped with Medusa's admin API.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let auth: any
    let channel: MarketplaceChannel | undefined

    beforeAll(async () => {
      store = await seedStore(getContainer(), { withAdmin: true })
    })
    beforeEach(async () => {
      auth = await adminHeaders(api, getContainer())
    })
    afterEach(async () => {
      await channel?.stop()
      channel = undefined
    })

    const open = async (kind: MarketplaceChannel["kind"], settings: Record<string, unknown> = {}) => {
      channel = await createMarketplaceChannel(api, auth, store, kind, settings)
      return channel
    }
    const setMapping = (mapping: Record<string, string>) =>
      api.post(`/admin/channels/${channel!.channel_id}`, { settings: { carrier_mapping: mapping }, credentials: channel!.credentials }, auth)
    const unmap = () => setMapping({ [store.shipping_options.standard]: "" })
    const retry = async (id: string) => (await api.post(`/admin/channel-feedback/${id}/retry`, {}, auth)).data.channel_feedback
    const shipAll = (orderId: string, tracking = ["1Z999AA10123456784"]) => shipThroughAdmin(api, auth, store, orderId, { tracking })

    // -------------------------------------------------------------------------------- Amazon
    describe("Amazon", () => {
      const sim = () => channel!.sim as AmazonSimulator
      const confirmations = () => sim().requestsFor("confirmShipment")

      it("a shipment makes exactly one spec-valid confirmShipment; a later read-back confirms it", async () => {
        await open("amazon")
        const [co] = await importMarketplaceOrders(api, auth, channel!)
        const shipStart = Date.now()
        const fid = await shipAll(co.order_id)
        const shipped = Date.now()
        const row = await feedbackFor(getContainer(), fid)
        const recorded = Date.now()
        await deliverNow(getContainer())
        const passEnd = Date.now()
        await deliverNow(getContainer())

        expect(confirmations()).toHaveLength(1)
        reportLatency("amazon", { shipStart, shipped, recorded, passStart: recorded, request: confirmations()[0].time, passEnd })
        const req = confirmations()[0]
        expect(req.status).toBe(204)
        expect(req.path).toBe(`/orders/v0/orders/${co.external_id}/shipmentConfirmation`)
        const body = json(req.body)
        expect(validateRequest(SPECS.amazonOrdersV0, "confirmShipment", body)).toEqual({ valid: true, errors: "" })
        const lines = await orderLines(api, auth, co.order_id)
        expect(body).toMatchObject({
          marketplaceId: "A1PA6795UKMFR9",
          packageDetail: { carrierCode: "DHL", trackingNumber: "1Z999AA10123456784" },
        })
        expect(body.packageDetail.orderItems).toEqual(
          expect.arrayContaining(lines.map((l) => ({ orderItemId: l.external_item_id, quantity: l.quantity })))
        )
        expect(body.packageDetail.orderItems).toHaveLength(2)

        // A 204 is "sent", not "confirmed": Amazon is read back first.
        const sent = await feedbackRow(getContainer(), row.id)
        expect(sent).toMatchObject({ state: "sent", attempts: 1 })
        expect(new Date(sent.next_attempt_at).getTime() - Date.now()).toBeGreaterThan(VERIFY_DELAYS_MS[0] - 10_000)
        await deliverWhenDue(getContainer(), row.id)
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "confirmed", next_attempt_at: null })
        expect(confirmations()).toHaveLength(1)
        expect(sim().specViolations).toEqual([])
      })

      it("partial shipments send only their own lines, each once", async () => {
        await open("amazon")
        const [co] = await importMarketplaceOrders(api, auth, channel!)
        const f1 = await shipThroughAdmin(api, auth, store, co.order_id, { lines: [["TSHIRT-M", 1]], tracking: ["TRACK0001"] })
        await feedbackFor(getContainer(), f1)
        await deliverNow(getContainer())
        const f2 = await shipThroughAdmin(api, auth, store, co.order_id, { lines: [["TSHIRT-M", 1], ["HOODIE-L", 1]], tracking: ["TRACK0002"] })
        await feedbackFor(getContainer(), f2)
        await deliverNow(getContainer())

        const sent = confirmations().map((r) => json(r.body).packageDetail)
        expect(sent).toHaveLength(2)
        expect(sent[0].orderItems).toHaveLength(1)
        expect(sent[0].orderItems[0].quantity).toBe(1)
        expect(sent[1].orderItems).toHaveLength(2)
        expect(sent.map((p: any) => p.trackingNumber)).toEqual(["TRACK0001", "TRACK0002"])
        for (const r of confirmations()) expect(validateRequest(SPECS.amazonOrdersV0, "confirmShipment", json(r.body)).valid).toBe(true)
        expect(sim().order(co.external_id)!.fulfillment!.fulfillmentStatus).toBe("SHIPPED")
      })

      it("an unmapped carrier fails without a call, and succeeds after the mapping is added and the item retried", async () => {
        await open("amazon")
        await unmap()
        const [co] = await importMarketplaceOrders(api, auth, channel!)
        const row = await feedbackFor(getContainer(), await shipAll(co.order_id))
        await deliverNow(getContainer())
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "failed", error_code: "unmapped_carrier" })
        expect(confirmations()).toHaveLength(0)

        await setMapping({ manual_manual: "UPS" })
        expect(await retry(row.id)).toMatchObject({ state: "pending", carrier_code: "UPS" })
        await deliverNow(getContainer())
        expect(confirmations()).toHaveLength(1)
        expect(json(confirmations()[0].body).packageDetail.carrierCode).toBe("UPS")
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "sent" })
      })

      it("5xx beyond the provider's own retries: back to pending with backoff, then a later attempt succeeds", async () => {
        await open("amazon")
        const [co] = await importMarketplaceOrders(api, auth, channel!)
        const row = await feedbackFor(getContainer(), await shipAll(co.order_id))
        sim().injectFault({ kind: "server_error", operation: "confirmShipment", count: 4, status: 503 })
        await deliverNow(getContainer())
        const waiting = await feedbackRow(getContainer(), row.id)
        expect(waiting).toMatchObject({ state: "pending", attempts: 1 })
        expect(new Date(waiting.next_attempt_at).getTime()).toBeGreaterThan(Date.now() + 50_000)
        expect(confirmations().map((r) => r.status)).toEqual([503, 503, 503, 503])

        await deliverWhenDue(getContainer(), row.id)
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "sent", attempts: 2, error_code: null })
        expect(confirmations().map((r) => r.status)).toEqual([503, 503, 503, 503, 204])
        const timeline = (await feedbackTimeline(getContainer(), co.id)).map((e) => e.message)
        expect(timeline.join("\n")).toMatch(/attempt 1 failed[\s\S]*next attempt at[\s\S]*sent to amazon \(attempt 2\)/)
      })

      it("an order already shipped on Amazon: failed with Amazon's message", async () => {
        await open("amazon")
        const [co] = await importMarketplaceOrders(api, auth, channel!)
        sim().updateOrder(co.external_id, { status: "SHIPPED" })
        const row = await feedbackFor(getContainer(), await shipAll(co.order_id))
        await deliverNow(getContainer())
        const failed = await feedbackRow(getContainer(), row.id)
        expect(failed).toMatchObject({ state: "failed", attempts: 1, next_attempt_at: null })
        expect(failed.error_message).toContain(AMAZON_MESSAGES.alreadyFulfilled)
        expect(failed.response.error).toMatchObject({ status: 400, marketplace_code: "InvalidInput" })
        expect(confirmations()).toHaveLength(1)
      })

      it("a confirmation Amazon accepted (204) but does not show is flagged not_confirmed after the read-backs", async () => {
        await open("amazon")
        const [co] = await importMarketplaceOrders(api, auth, channel!)
        const row = await feedbackFor(getContainer(), await shipAll(co.order_id))
        await deliverNow(getContainer())
        // The write is silently dropped on Amazon's side.
        sim().updateOrder(co.external_id, { packages: [], status: "UNSHIPPED" })
        for (let i = 0; i < VERIFY_DELAYS_MS.length; i++) await deliverWhenDue(getContainer(), row.id)
        const flagged = await feedbackRow(getContainer(), row.id)
        expect(flagged).toMatchObject({ state: "sent", error_code: "not_confirmed", next_attempt_at: null })
        expect(flagged.response.verification).toMatchObject({ checks: 3, verdict: "missing" })
        expect((await api.get(`/admin/channel-feedback?error_code=not_confirmed`, auth)).data.count).toBe(1)
        // Its message says to retry it if it is missing on Amazon: the retry puts it back in the queue.
        const retried = await api.post(`/admin/channel-feedback/${row.id}/retry`, {}, auth)
        expect(retried.status).toBe(200)
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "pending", error_code: null })
      })

      it("a process that died after Amazon took the shipment: the take-over reads it back and does not send it again", async () => {
        await open("amazon")
        const [co] = await importMarketplaceOrders(api, auth, channel!)
        const row = await feedbackFor(getContainer(), await shipAll(co.order_id))
        const channels = channelsOf(getContainer())
        await channels.claimChannelFeedback(row.id, { mode: "deliver", now: new Date(), lease_ms: LEASE_MS })
        const { provider, ctx } = await channels.getChannelContext(channel!.channel_id)
        const raw = (await channels.retrieveChannelOrder(co.id, { select: ["raw"] })).raw
        await provider.confirmShipment(ctx, {
          external_order_id: co.external_id,
          items: row.items,
          carrier_code: "DHL",
          tracking_numbers: row.tracking_numbers,
          shipped_at: new Date().toISOString(),
          raw_order: raw,
        })
        expect(confirmations()).toHaveLength(1)
        await deliverNow(getContainer(), { now: AFTER_LEASE() })
        expect(confirmations()).toHaveLength(1)
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "confirmed", response: { recovered: true } })
      })

      it("canceling the order in Medusa sends an acknowledgement feed that cancels it on Amazon", async () => {
        await open("amazon")
        const [co] = await importMarketplaceOrders(api, auth, channel!)
        await api.post(`/admin/orders/${co.order_id}/cancel`, {}, auth)
        const row = await cancelFeedbackFor(getContainer(), co.order_id)
        await deliverNow(getContainer())
        // The provider reads the feed's processing report: DONE without errors is confirmed at once.
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "confirmed" })
        const feeds = [...sim().feeds.values()]
        expect(feeds).toHaveLength(1)
        expect(feeds[0]).toMatchObject({ feedType: "POST_ORDER_ACKNOWLEDGEMENT_DATA", processingStatus: "DONE" })
        expect(validateRequest(SPECS.amazonFeeds, "createFeed", json(sim().requestsFor("createFeed")[0].body)).valid).toBe(true)
        expect(sim().order(co.external_id)!.fulfillment!.fulfillmentStatus).toBe("CANCELLED")
        await deliverWhenDue(getContainer(), row.id)
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "confirmed" })
      })

      // A feed Amazon has not processed yet leaves the row `sent` with its feedId; the read-back reads
      // the feed's result (readCancellationResult), which also tells a rejection the order never shows.
      const cancelPending = async () => {
        await open("amazon")
        const [co] = await importMarketplaceOrders(api, auth, channel!)
        sim().queueFeedOutcome({ pendingPolls: Infinity })
        await api.post(`/admin/orders/${co.order_id}/cancel`, {}, auth)
        const row = await cancelFeedbackFor(getContainer(), co.order_id)
        await deliverNow(getContainer())
        const feeds = [...sim().feeds.values()]
        expect(feeds).toHaveLength(1)
        const sent = await feedbackRow(getContainer(), row.id)
        expect(sent).toMatchObject({ state: "sent", response: { external_reference: feeds[0].feedId } })
        return { co, row, feedId: feeds[0].feedId }
      }

      it("a cancellation feed still in progress is read back by its feedId: confirmed once Amazon processed it", async () => {
        const { co, row, feedId } = await cancelPending()
        const reads = sim().requestsFor("getFeed").length
        sim().finishFeed(feedId)
        await deliverWhenDue(getContainer(), row.id)
        const confirmed = await feedbackRow(getContainer(), row.id)
        expect(confirmed).toMatchObject({ state: "confirmed", next_attempt_at: null })
        expect(confirmed.response.verification).toMatchObject({ checks: 1, cancellation_result: { state: "confirmed" } })
        expect(sim().requestsFor("getFeed").length).toBe(reads + 1)
        expect(sim().requestsFor("createFeed")).toHaveLength(1)
        expect(sim().order(co.external_id)!.fulfillment!.fulfillmentStatus).toBe("CANCELLED")
        expect(sim().specViolations).toEqual([])
      })

      it("a cancellation feed Amazon rejects after the send: the read-back fails the item with Amazon's result, no second feed", async () => {
        const { co, row, feedId } = await cancelPending()
        sim().finishFeed(feedId, { result: "rejected" })
        await deliverWhenDue(getContainer(), row.id)
        const failed = await feedbackRow(getContainer(), row.id)
        expect(failed).toMatchObject({ state: "failed", error_code: "cancellation_rejected", next_attempt_at: null })
        expect(failed.error_message).toContain(SIM_FEED_RESULTS.rejected.description)
        expect(sim().requestsFor("createFeed")).toHaveLength(1)
        expect(sim().order(co.external_id)!.fulfillment!.fulfillmentStatus).not.toBe("CANCELLED")
        const timeline = await feedbackTimeline(getContainer(), co.id)
        expect(timeline.map((e) => e.message).join("\n")).toMatch(/Cancellation refused by amazon when its result was read back \(cancellation_rejected\)/)
      })
    })

    // -------------------------------------------------------------------------------- eBay
    describe("eBay", () => {
      const sim = () => channel!.sim as EbaySimulator
      const creates = () => sim().requestsFor("createShippingFulfillment")

      it("a shipment makes exactly one spec-valid createShippingFulfillment, confirmed by reading it back", async () => {
        await open("ebay")
        const [co] = await importMarketplaceOrders(api, auth, channel!)
        const shipStart = Date.now()
        const fid = await shipAll(co.order_id, ["9400 1118-9922 3344"])
        const shipped = Date.now()
        const row = await feedbackFor(getContainer(), fid)
        const recorded = Date.now()
        await deliverNow(getContainer())
        const passEnd = Date.now()
        await deliverNow(getContainer())
        expect(creates()).toHaveLength(1)
        reportLatency("ebay", { shipStart, shipped, recorded, passStart: recorded, request: creates()[0].time, passEnd })
        expect(creates()[0].status).toBe(201)
        const body = json(creates()[0].body)
        expect(validateRequest(SPECS.ebayFulfillment, "createShippingFulfillment", body)).toEqual({ valid: true, errors: "" })
        expect(body).toMatchObject({ shippingCarrierCode: "DHL", trackingNumber: "9400111899223344" })
        const ordered = sim().getStoredOrder(co.external_id)!.lineItems.map((l: any) => ({ lineItemId: l.lineItemId, quantity: l.quantity }))
        expect(body.lineItems).toEqual(expect.arrayContaining(ordered))
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "confirmed", attempts: 1 })
        expect(sim().specViolations()).toEqual([])
      })

      it("partial shipments send only their own lines, each once", async () => {
        await open("ebay")
        const [co] = await importMarketplaceOrders(api, auth, channel!)
        const f1 = await shipThroughAdmin(api, auth, store, co.order_id, { lines: [["HOODIE-L", 1]], tracking: ["TRACK0001"] })
        await feedbackFor(getContainer(), f1)
        await deliverNow(getContainer())
        const f2 = await shipThroughAdmin(api, auth, store, co.order_id, { lines: [["TSHIRT-M", 2]], tracking: ["TRACK0002"] })
        await feedbackFor(getContainer(), f2)
        await deliverNow(getContainer())
        const lines = sim().getStoredOrder(co.external_id)!.lineItems
        const idOf = (i: number) => lines[i].lineItemId
        expect(creates().map((r) => json(r.body).lineItems)).toEqual([[{ lineItemId: idOf(1), quantity: 1 }], [{ lineItemId: idOf(0), quantity: 2 }]])
        expect(sim().shippingFulfillments(co.external_id)).toHaveLength(2)
      })

      it("an unmapped carrier fails without a call, and succeeds after the mapping is added and the item retried", async () => {
        await open("ebay")
        await unmap()
        const [co] = await importMarketplaceOrders(api, auth, channel!)
        const row = await feedbackFor(getContainer(), await shipAll(co.order_id))
        await deliverNow(getContainer())
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "failed", error_code: "unmapped_carrier" })
        expect(creates()).toHaveLength(0)
        await setMapping({ manual_manual: "UPS" })
        await retry(row.id)
        await deliverNow(getContainer())
        expect(creates()).toHaveLength(1)
        expect(json(creates()[0].body).shippingCarrierCode).toBe("UPS")
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "confirmed" })
      })

      it("5xx beyond the provider's own retries: back to pending with backoff, then a later attempt succeeds", async () => {
        await open("ebay")
        const [co] = await importMarketplaceOrders(api, auth, channel!)
        const row = await feedbackFor(getContainer(), await shipAll(co.order_id))
        sim().injectFault({ kind: "server_error", status: 503 }, { operation: "createShippingFulfillment", count: 4 })
        await deliverNow(getContainer())
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "pending", attempts: 1, error_code: "marketplace_unavailable" })
        await deliverWhenDue(getContainer(), row.id)
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "confirmed", attempts: 2 })
        expect(creates().map((r) => r.status)).toEqual([503, 503, 503, 503, 201])
        expect(sim().shippingFulfillments(co.external_id)).toHaveLength(1)
      })

      it("a carrier eBay does not list goes out as \"Other\" with the tracking number, not as the unknown code", async () => {
        await open("ebay", { carrier_mapping: { manual_manual: "NotACarrier" } })
        const [co] = await importMarketplaceOrders(api, auth, channel!)
        const row = await feedbackFor(getContainer(), await shipAll(co.order_id))
        await deliverNow(getContainer())
        expect(creates()).toHaveLength(1)
        expect(json(creates()[0].body)).toMatchObject({ shippingCarrierCode: "Other", trackingNumber: "1Z999AA10123456784" })
        const done = await feedbackRow(getContainer(), row.id)
        expect(done).toMatchObject({ state: "confirmed", attempts: 1 })
        expect(done.response.response).toMatchObject({ carrier_fallback: { given: "NotACarrier", sent: "Other" } })
      })

      it("a shipment with several labels: one spec-valid shipping fulfillment per tracking number, line totals exact", async () => {
        await open("ebay")
        const [co] = await importMarketplaceOrders(api, auth, channel!)
        const row = await feedbackFor(getContainer(), await shipAll(co.order_id, ["PARCEL0001", "PARCEL0002"]))
        await deliverNow(getContainer())
        expect(creates()).toHaveLength(2)
        const bodies = creates().map((r) => json(r.body))
        for (const b of bodies) expect(validateRequest(SPECS.ebayFulfillment, "createShippingFulfillment", b)).toEqual({ valid: true, errors: "" })
        expect(bodies.map((b) => b.trackingNumber)).toEqual(["PARCEL0001", "PARCEL0002"])
        const shipped: Record<string, number> = {}
        for (const b of bodies) for (const l of b.lineItems) shipped[l.lineItemId] = (shipped[l.lineItemId] ?? 0) + l.quantity
        const ordered = Object.fromEntries(sim().getStoredOrder(co.external_id)!.lineItems.map((l: any) => [l.lineItemId, l.quantity]))
        expect(shipped).toEqual(ordered)
        expect(sim().shippingFulfillments(co.external_id)).toHaveLength(2)
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "confirmed", attempts: 1 })
        expect(sim().specViolations()).toEqual([])
      })

      it("eBay has no cancel API: canceling in Medusa flags the order to be canceled by hand", async () => {
        await open("ebay")
        const [co] = await importMarketplaceOrders(api, auth, channel!)
        await api.post(`/admin/orders/${co.order_id}/cancel`, {}, auth)
        const row = await cancelFeedbackFor(getContainer(), co.order_id)
        expect(row).toMatchObject({ kind: "cancel", state: "failed", error_code: "manual_cancel_required" })
        expect(row.error_message).toContain("by hand")
        // The subscriber's workflow writes the row, then its timeline entry in the next step: wait for it.
        const timeline = await waitFor(async () => {
          const events = await feedbackTimeline(getContainer(), co.id)
          return events.some((e) => /canceled in Medusa/.test(e.message)) && events
        }, "the cancel's timeline entry")
        expect(timeline.map((e) => e.message).join("\n")).toMatch(/cancel order .* on the marketplace by hand/)
        await deliverNow(getContainer())
        expect(sim().requests.filter((r) => r.method !== "GET" && r.operation !== "token")).toEqual([])
      })
    })

    // -------------------------------------------------------------------------------- Mirakl
    describe("Mirakl", () => {
      const sim = () => channel!.sim as MiraklSimulator
      const or23 = () => sim().requestsFor("OR23")
      const or24 = () => sim().requestsFor("OR24")

      it("a shipment makes one spec-valid OR23 (tracking) and one OR24 (ship); OR11 read-back confirms it", async () => {
        await open("mirakl")
        const [co] = await importMarketplaceOrders(api, auth, channel!)
        const shipStart = Date.now()
        const fid = await shipAll(co.order_id)
        const shipped = Date.now()
        const row = await feedbackFor(getContainer(), fid)
        const recorded = Date.now()
        await deliverNow(getContainer())
        const passEnd = Date.now()
        await deliverNow(getContainer())
        expect(or23()).toHaveLength(1)
        reportLatency("mirakl", { shipStart, shipped, recorded, passStart: recorded, request: or23()[0].at, passEnd })
        expect(or24()).toHaveLength(1)
        expect(or23()[0].response?.status).toBe(204)
        expect(or24()[0].response?.status).toBe(204)
        expect(validateRequest(SPECS.mirakl, "OR23", or23()[0].body)).toEqual({ valid: true, errors: "" })
        expect(or23()[0].body).toEqual({ carrier_code: "DHL", tracking_number: "1Z999AA10123456784" })
        expect(or24()[0].rawBody).toBe("")
        expect(sim().order(co.external_id).order_state).toBe("SHIPPED")
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "sent" })
        await deliverWhenDue(getContainer(), row.id)
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "confirmed" })
      })

      it("without the shipments API a partial shipment cannot be sent (OR24 ships whole orders): failed not_supported with the detail, no call", async () => {
        await open("mirakl")
        const [co] = await importMarketplaceOrders(api, auth, channel!)
        const row = await feedbackFor(
          getContainer(),
          await shipThroughAdmin(api, auth, store, co.order_id, { lines: [["TSHIRT-M", 1]], tracking: ["TRACK0001"] })
        )
        await deliverNow(getContainer())
        const failed = await feedbackRow(getContainer(), row.id)
        expect(failed).toMatchObject({ state: "failed", error_code: "not_supported" })
        expect(failed.error_message).toMatch(/ships whole orders/)
        expect(failed.response.error.data).toMatchObject({
          reason: "partial_shipment",
          order_id: co.external_id,
          api: "OR24",
          unshipped_lines: [
            { order_line_id: `${co.external_id}-1`, shipped: 1, remaining: 2 },
            { order_line_id: `${co.external_id}-2`, shipped: 0, remaining: 1 },
          ],
        })
        expect(or23()).toHaveLength(0)
        expect(or24()).toHaveLength(0)
      })

      it("with the shipments API (multi_shipment): partial shipments go out as ST01 shipments of exactly their lines", async () => {
        await open("mirakl", { multi_shipment: true })
        const [co] = await importMarketplaceOrders(api, auth, channel!)
        const f1 = await shipThroughAdmin(api, auth, store, co.order_id, { lines: [["TSHIRT-M", 1]], tracking: ["TRACK0001"] })
        const r1 = await feedbackFor(getContainer(), f1)
        await deliverNow(getContainer())
        expect(sim().order(co.external_id).order_state).toBe("SHIPPING")
        const f2 = await shipThroughAdmin(api, auth, store, co.order_id, { lines: [["TSHIRT-M", 1], ["HOODIE-L", 1]], tracking: ["TRACK0002"] })
        const r2 = await feedbackFor(getContainer(), f2)
        await deliverNow(getContainer())

        const st01 = sim().requestsFor("ST01")
        expect(st01).toHaveLength(2)
        for (const r of st01) expect(validateRequest(SPECS.mirakl, "ST01", r.body)).toEqual({ valid: true, errors: "" })
        const lines = st01.map((r) => (r.body as any).shipments.map((x: any) => x.shipment_lines.map((l: any) => [l.order_line_id, l.quantity])))
        expect(lines).toEqual([
          [[[`${co.external_id}-1`, 1]]],
          [[[`${co.external_id}-1`, 1], [`${co.external_id}-2`, 1]]],
        ])
        expect(st01.map((r) => (r.body as any).shipments[0].shipment_lines[0].package_reference)).toEqual([`${f1}-1`, `${f2}-1`])
        expect(st01.map((r) => (r.body as any).shipments[0].tracking)).toEqual([
          { carrier_code: "DHL", tracking_number: "TRACK0001" },
          { carrier_code: "DHL", tracking_number: "TRACK0002" },
        ])
        expect(or23()).toHaveLength(0)
        expect(or24()).toHaveLength(0)
        expect(sim().order(co.external_id).order_state).toBe("SHIPPED")
        expect(await feedbackRow(getContainer(), r1.id)).toMatchObject({ state: "confirmed" })
        expect(await feedbackRow(getContainer(), r2.id)).toMatchObject({ state: "confirmed" })
      })

      it("with the shipments API, each label is its own shipment with its tracking number and tracking page", async () => {
        await open("mirakl", { multi_shipment: true, carrier_mapping: { [store.shipping_options.standard]: "Other|Local Post" } })
        const [co] = await importMarketplaceOrders(api, auth, channel!)
        const row = await feedbackFor(getContainer(), await shipAll(co.order_id, ["LP0001", "LP0002"]))
        await deliverNow(getContainer())
        const [req] = sim().requestsFor("ST01")
        expect((req.body as any).shipments.map((x: any) => x.tracking)).toEqual([
          { carrier_name: "Local Post", tracking_number: "LP0001", tracking_url: "https://track.example/LP0001" },
          { carrier_name: "Local Post", tracking_number: "LP0002", tracking_url: "https://track.example/LP0002" },
        ])
        const units = (req.body as any).shipments.flatMap((x: any) => x.shipment_lines).reduce((n: number, l: any) => n + l.quantity, 0)
        expect(units).toBe(3)
        expect(sim().shipments(co.external_id)).toHaveLength(2)
        expect(sim().order(co.external_id).order_state).toBe("SHIPPED")
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "confirmed" })
      })

      it("an OR24 whose connection drops after Mirakl shipped the order: read back (OR11) and confirmed, not sent again", async () => {
        await open("mirakl")
        const [co] = await importMarketplaceOrders(api, auth, channel!)
        const row = await feedbackFor(getContainer(), await shipAll(co.order_id))
        sim().hangNext(1, { operation: "OR24", ms: 20, afterHandling: true })
        await deliverNow(getContainer())
        expect(or24()).toHaveLength(1)
        expect(or24()[0].fault).toBe("hang")
        expect(sim().order(co.external_id).order_state).toBe("SHIPPED")
        const done = await feedbackRow(getContainer(), row.id)
        expect(done).toMatchObject({ state: "confirmed", attempts: 1, error_code: null })
        expect(done.response.response).toMatchObject({ recovered: { order_state: "SHIPPED", after: "network_error" } })
      })

      it("an unmapped carrier fails without a call, and succeeds after the mapping is added and the item retried", async () => {
        await open("mirakl")
        await unmap()
        const [co] = await importMarketplaceOrders(api, auth, channel!)
        const row = await feedbackFor(getContainer(), await shipAll(co.order_id))
        await deliverNow(getContainer())
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "failed", error_code: "unmapped_carrier" })
        expect(or23()).toHaveLength(0)
        await setMapping({ manual_manual: "UPS" })
        await retry(row.id)
        await deliverNow(getContainer())
        expect(or23().map((r) => (r.body as any).carrier_code)).toEqual(["UPS"])
        expect(or24()).toHaveLength(1)
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "sent" })
      })

      it("5xx on OR24 beyond the provider's retries: back to pending, then a later attempt ships it once", async () => {
        await open("mirakl")
        const [co] = await importMarketplaceOrders(api, auth, channel!)
        const row = await feedbackFor(getContainer(), await shipAll(co.order_id))
        sim().failNext(4, { operation: "OR24", status: 503 })
        await deliverNow(getContainer())
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "pending", attempts: 1 })
        expect(sim().order(co.external_id).order_state).toBe("SHIPPING")
        await deliverWhenDue(getContainer(), row.id)
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "sent", attempts: 2 })
        expect(or24().map((r) => r.response?.status)).toEqual([503, 503, 503, 503, 204])
        expect(sim().order(co.external_id).order_state).toBe("SHIPPED")
      })

      it("an order no longer shippable on Mirakl: failed with Mirakl's message", async () => {
        await open("mirakl")
        const [co] = await importMarketplaceOrders(api, auth, channel!)
        sim().setState(co.external_id, "SHIPPED")
        const row = await feedbackFor(getContainer(), await shipAll(co.order_id))
        await deliverNow(getContainer())
        const failed = await feedbackRow(getContainer(), row.id)
        expect(failed).toMatchObject({ state: "failed", attempts: 1 })
        expect(failed.error_message).toContain("Order is not in the expected state for this operation")
        expect(failed.response.error).toMatchObject({ status: 400 })
      })

      it("canceling the order in Medusa cancels it on Mirakl (OR29), confirmed by reading it back", async () => {
        await open("mirakl")
        const [co] = await importMarketplaceOrders(api, auth, channel!)
        await api.post(`/admin/orders/${co.order_id}/cancel`, {}, auth)
        const row = await cancelFeedbackFor(getContainer(), co.order_id)
        await deliverNow(getContainer())
        expect(sim().requestsFor("OR29")).toHaveLength(1)
        expect(sim().order(co.external_id).order_state).toBe("CANCELED")
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "sent" })
        await deliverWhenDue(getContainer(), row.id)
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "confirmed" })
      })
    })
  },
})
