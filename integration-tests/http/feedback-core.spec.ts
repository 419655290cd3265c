import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { seedStore, type SeededStore } from "../../src/scripts/seed-store"
import type { SandboxChannelProvider } from "../../src/providers/sandbox/service"
import deliverChannelFeedbackJob from "../../src/jobs/deliver-channel-feedback"
import { FEEDBACK_SWEEP, FEEDBACK_SWEEP_OVERLAP_MS, sweepMissedFeedback } from "../../src/workflows/feedback/run-feedback-pass"
import { LEASE_MS, MAX_ATTEMPTS } from "../../src/workflows/feedback/policy"
import { adminHeaders } from "../helpers/admin"
import { channelOrder, createSandboxChannel, inject, runImport, sandboxOrder, setRules } from "../helpers/channel-fixtures"
import {
  AFTER_LEASE,
  cancelFeedbackFor,
  channelsOf,
  deliverNow,
  feedbackFor,
  feedbackRow,
  feedbackTimeline,
  shipThroughAdmin,
} from "../helpers/feedback-fixtures"

// The scheduled job stays out of the way; every pass below is run explicitly (one test runs the job itself).
process.env.CHANNEL_FEEDBACK_DELIVERY = "off"

jest.setTimeout(180_000)

/**
 * The generic half of the feedback outbox, on the sandbox marketplace: what a shipment records,
 * partial shipments, shipped_when, carrier mapping and retry, refusals, cancellations, the admin
 * API, and the exactly-once guarantees (concurrent passes, a process dying mid-send, lost events).
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let auth: any
    let channelId: string

    beforeAll(async () => {
      store = await seedStore(getContainer(), { withAdmin: true })
    })

    beforeEach(async () => {
      auth = await adminHeaders(api, getContainer())
      channelId = (
        await createSandboxChannel(api, auth, store, {
          default_shipping_option_id: store.shipping_options.standard,
          carrier_mapping: { [store.shipping_options.standard]: "DHL", manual_manual: "UPS" },
        })
      ).id
      await setRules(api, auth, channelId, [
        ["paid", "import_as_valid", true],
        ["shipped", "import_and_complete", true],
        ["canceled", "import_and_cancel", true],
      ])
    })

    const sandbox = () => channelsOf(getContainer()).getProvider("sandbox") as unknown as SandboxChannelProvider
    const confirmationsOf = (externalId: string) =>
      sandbox().confirmations.filter((c) => c.channel_id === channelId && c.shipment.external_order_id === externalId)

    const importOrder = async (externalId: string, lines: Array<[string, number, number?]> = [["TSHIRT-M", 1]], status = "paid") => {
      await inject(api, auth, channelId, [sandboxOrder(externalId, { status, lines })])
      await runImport(api, auth, channelId)
      const co = await channelOrder(api, auth, channelId, externalId)
      expect(co.state).toBe("imported")
      return co as { id: string; order_id: string; external_id: string }
    }

    /** Resolves once every subscriber of `event` ran (for assertions that nothing was recorded). */
    const subscribersOf = (event: string) => TestEventUtils.waitSubscribersExecution(event, getContainer().resolve(Modules.EVENT_BUS), { timeout: 15_000 })

    const listFeedback = async (query: string) => (await api.get(`/admin/channel-feedback?${query}`, auth)).data

    it("a shipment records one outbox row with the marketplace lines, carrier, tracking and ship date, delivered once", async () => {
      const co = await importOrder("S-1", [["TSHIRT-M", 2], ["HOODIE-L", 1]])
      const fid = await shipThroughAdmin(api, auth, store, co.order_id, { tracking: ["1Z999AA10123456784", "1Z999AA10123456785"] })
      const row = await feedbackFor(getContainer(), fid)
      expect(row).toMatchObject({
        channel_id: channelId,
        channel_order_id: co.id,
        order_id: co.order_id,
        kind: "shipment",
        state: "pending",
        carrier_code: "DHL",
        tracking_numbers: ["1Z999AA10123456784", "1Z999AA10123456785"],
        attempts: 0,
      })
      expect(row.items.map((i: any) => [i.external_item_id, i.quantity]).sort()).toEqual([
        ["S-1-L1", 2],
        ["S-1-L2", 1],
      ])
      expect(row.shipped_at).toBeTruthy()

      const pass = await deliverNow(getContainer())
      expect(pass.delivered).toEqual({ confirmed: 1 })
      expect(confirmationsOf("S-1")).toHaveLength(1)
      expect(confirmationsOf("S-1")[0].shipment).toMatchObject({ carrier_code: "DHL", tracking_numbers: ["1Z999AA10123456784", "1Z999AA10123456785"] })
      expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "confirmed", attempts: 1, next_attempt_at: null })

      // A second pass finds nothing to do.
      expect((await deliverNow(getContainer())).due).toBe(0)
      expect(confirmationsOf("S-1")).toHaveLength(1)

      const listed = await listFeedback(`state=confirmed&channel_id=${channelId}`)
      expect(listed.count).toBe(1)
      expect(listed.channel_feedback[0]).toMatchObject({ id: row.id, state: "confirmed", order_id: co.order_id })
      expect((await listFeedback(`order_id=${co.order_id}&state=failed`)).count).toBe(0)
      const timeline = await feedbackTimeline(getContainer(), co.id)
      expect(timeline.map((e) => e.data.action ?? e.data.state)).toEqual(["recorded", "confirmed"])
    })

    it("partial shipments: each fulfillment sends only its own lines, once", async () => {
      const co = await importOrder("P-1", [["TSHIRT-M", 2], ["HOODIE-L", 1]])
      const first = await shipThroughAdmin(api, auth, store, co.order_id, { lines: [["TSHIRT-M", 1]], tracking: ["TRACK1"] })
      await feedbackFor(getContainer(), first)
      await deliverNow(getContainer())
      const second = await shipThroughAdmin(api, auth, store, co.order_id, { lines: [["TSHIRT-M", 1], ["HOODIE-L", 1]], tracking: ["TRACK2"] })
      await feedbackFor(getContainer(), second)
      await deliverNow(getContainer())
      await deliverNow(getContainer())
      const sent = confirmationsOf("P-1").map((c) => ({ tracking: c.shipment.tracking_numbers, items: c.shipment.items }))
      expect(sent).toEqual([
        { tracking: ["TRACK1"], items: [{ external_item_id: "P-1-L1", quantity: 1 }] },
        {
          tracking: ["TRACK2"],
          items: expect.arrayContaining([
            { external_item_id: "P-1-L1", quantity: 1 },
            { external_item_id: "P-1-L2", quantity: 1 },
          ]),
        },
      ])
      expect((await listFeedback(`order_id=${co.order_id}`)).channel_feedback.map((f: any) => f.state)).toEqual(["confirmed", "confirmed"])
    })

    it("an unmapped carrier fails with unmapped_carrier without a call, then goes through after the mapping is added and the item retried", async () => {
      // Settings are merged key by key: an empty code unmaps.
      await api.post(`/admin/channels/${channelId}`, { settings: { carrier_mapping: { [store.shipping_options.standard]: "", manual_manual: "" } } }, auth)
      const co = await importOrder("U-1")
      const fid = await shipThroughAdmin(api, auth, store, co.order_id)
      const row = await feedbackFor(getContainer(), fid)
      expect(row.carrier_code).toBeNull()
      const pass = await deliverNow(getContainer())
      expect(pass.calls).toBe(0)
      const failed = await feedbackRow(getContainer(), row.id)
      expect(failed).toMatchObject({ state: "failed", error_code: "unmapped_carrier" })
      expect(failed.error_message).toContain(store.shipping_options.standard)
      expect(confirmationsOf("U-1")).toHaveLength(0)
      expect((await listFeedback(`state=failed&channel_id=${channelId}`)).channel_feedback.map((f: any) => f.id)).toEqual([row.id])

      // Retrying a row that is not failed is refused.
      await api.post(`/admin/channels/${channelId}`, { settings: { carrier_mapping: { manual_manual: "GLS" } } }, auth)
      const { data } = await api.post(`/admin/channel-feedback/${row.id}/retry`, {}, auth)
      expect(data.channel_feedback).toMatchObject({ id: row.id, state: "pending", carrier_code: "GLS", attempts: 0, error_code: null })
      await expect(api.post(`/admin/channel-feedback/${row.id}/retry`, {}, auth)).rejects.toMatchObject({ response: { status: 400 } })

      await deliverNow(getContainer())
      expect(confirmationsOf("U-1").map((c) => c.shipment.carrier_code)).toEqual(["GLS"])
      expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "confirmed" })
      const messages = (await feedbackTimeline(getContainer(), co.id)).map((e) => e.message)
      expect(messages.join("\n")).toMatch(/unmapped_carrier[\s\S]*queued again by an admin[\s\S]*carrier GLS[\s\S]*confirmed/)
    })

    it("a refusal ends in failed with the marketplace's code and message", async () => {
      await api.post(`/admin/channels/${channelId}`, { settings: { reject_carriers: ["DHL"] } }, auth)
      const co = await importOrder("R-1")
      const row = await feedbackFor(getContainer(), await shipThroughAdmin(api, auth, store, co.order_id))
      await deliverNow(getContainer())
      const failed = await feedbackRow(getContainer(), row.id)
      expect(failed).toMatchObject({ state: "failed", error_code: "marketplace_rejected", attempts: 1, next_attempt_at: null })
      expect(failed.error_message).toContain("Carrier DHL is not accepted")
      expect(failed.response.error).toMatchObject({ marketplace_code: "InvalidCarrier", status: 400 })
    })

    it("a transient error backs off and is retried, up to the attempt limit", async () => {
      const co = await importOrder("T-1")
      const row = await feedbackFor(getContainer(), await shipThroughAdmin(api, auth, store, co.order_id))
      // Disabling the channel stands in for an outage: the row waits, with growing delays.
      await api.post(`/admin/channels/${channelId}`, { enabled: false }, auth)
      let now = Date.now()
      const delays: number[] = []
      for (let i = 1; i <= MAX_ATTEMPTS; i++) {
        await deliverNow(getContainer(), { now: new Date(now) })
        const r = await feedbackRow(getContainer(), row.id)
        expect(r.attempts).toBe(i)
        if (i < MAX_ATTEMPTS) {
          expect(r).toMatchObject({ state: "pending", error_code: "channel_disabled" })
          delays.push(Math.floor((new Date(r.next_attempt_at).getTime() - now) / 60_000))
          // Not due before its time.
          expect((await deliverNow(getContainer(), { now: new Date(now + 1_000) })).due).toBe(0)
          now = new Date(r.next_attempt_at).getTime()
        } else {
          expect(r).toMatchObject({ state: "failed", error_code: "channel_disabled" })
          expect(r.error_message).toMatch(/Gave up after 8 attempts/)
        }
      }
      // 1, 2, 4 … minutes (capped at an hour), plus up to 10 % jitter.
      const bases = [1, 2, 4, 8, 16, 32, 60]
      expect(delays).toHaveLength(bases.length)
      delays.forEach((d, i) => {
        expect(d).toBeGreaterThanOrEqual(bases[i])
        expect(d).toBeLessThanOrEqual(Math.ceil(bases[i] * 1.1))
      })
      await api.post(`/admin/channels/${channelId}`, { enabled: true }, auth)
      await api.post(`/admin/channel-feedback/${row.id}/retry`, {}, auth)
      await deliverNow(getContainer())
      expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "confirmed", attempts: 1 })
      expect(confirmationsOf("T-1")).toHaveLength(1)
    })

    it("shipped_when order_completed: nothing at shipment, the order's shipments when it completes", async () => {
      await api.post(`/admin/channels/${channelId}`, { settings: { shipped_when: "order_completed" } }, auth)
      const co = await importOrder("O-1", [["TSHIRT-M", 1], ["HOODIE-L", 1]])
      let handled = subscribersOf("shipment.created")
      const f1 = await shipThroughAdmin(api, auth, store, co.order_id, { lines: [["TSHIRT-M", 1]], tracking: ["A1"] })
      await handled
      handled = subscribersOf("shipment.created")
      const f2 = await shipThroughAdmin(api, auth, store, co.order_id, { lines: [["HOODIE-L", 1]], tracking: ["A2"] })
      await handled
      expect(await channelsOf(getContainer()).listChannelFeedbacks({ order_id: co.order_id })).toEqual([])
      await api.post(`/admin/orders/${co.order_id}/complete`, {}, auth)
      const rows = await Promise.all([feedbackFor(getContainer(), f1), feedbackFor(getContainer(), f2)])
      expect(rows.map((r) => r.tracking_numbers[0]).sort()).toEqual(["A1", "A2"])
      await deliverNow(getContainer())
      expect(confirmationsOf("O-1")).toHaveLength(2)
    })

    it("orders the import shipped (import_and_complete) or canceled (import_and_cancel) send nothing back", async () => {
      const handled = Promise.all([subscribersOf("shipment.created"), subscribersOf("order.completed")])
      const shipped = await importOrder("H-1", [["TSHIRT-M", 1]], "shipped")
      await handled
      const canceledHandled = subscribersOf("order.canceled")
      const canceled = await importOrder("C-0", [["TSHIRT-M", 1]], "canceled")
      await canceledHandled
      expect(await channelsOf(getContainer()).listChannelFeedbacks({ order_id: [shipped.order_id, canceled.order_id] })).toEqual([])
    })

    it("canceling an imported order sends a cancellation to the marketplace", async () => {
      const co = await importOrder("C-1")
      await api.post(`/admin/orders/${co.order_id}/cancel`, {}, auth)
      const row = await cancelFeedbackFor(getContainer(), co.order_id)
      expect(row).toMatchObject({ kind: "cancel", state: "pending", fulfillment_id: null })
      await deliverNow(getContainer())
      expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "confirmed" })
      const sandboxOrder = await sandbox().getOrder({ channel_id: channelId } as any, "C-1")
      expect((sandboxOrder as any).status).toBe("canceled")
      expect((await feedbackTimeline(getContainer(), co.id)).map((e) => e.message).join("\n")).toMatch(/cancellation queued[\s\S]*Cancellation confirmed/)
    })

    it("an order canceled by the marketplace (status sync) sends no cancellation back", async () => {
      const co = await importOrder("C-2")
      const handled = subscribersOf("order.canceled")
      await api.post(`/admin/channels/${channelId}/sandbox/orders/C-2`, { status: "canceled" }, auth)
      await runImport(api, auth, channelId)
      const { data } = await api.get(`/admin/orders/${co.order_id}?fields=id,status`, auth)
      expect(data.order.status).toBe("canceled")
      await handled
      expect(await channelsOf(getContainer()).listChannelFeedbacks({ order_id: co.order_id })).toEqual([])
    })

    describe("exactly once", () => {
      it("a pending row is in the database, and concurrent passes deliver it once", async () => {
        const cos = await Promise.all(["X-1", "X-2", "X-3"].map(async (id) => sandboxOrder(id)))
        await inject(api, auth, channelId, cos)
        await runImport(api, auth, channelId)
        const rows: any[] = []
        for (const id of ["X-1", "X-2", "X-3"]) {
          const co = await channelOrder(api, auth, channelId, id)
          rows.push(await feedbackFor(getContainer(), await shipThroughAdmin(api, auth, store, co.order_id)))
        }
        // The outbox is a table: what a restart finds is what is here.
        const { rows: stored } = await (getContainer().resolve("__pg_connection__") as any).raw(
          `select id, state from channel_feedback where channel_id = ? order by created_at`,
          [channelId]
        )
        expect(stored.map((r: any) => r.state)).toEqual(["pending", "pending", "pending"])

        const passes = await Promise.all(Array.from({ length: 5 }, () => deliverNow(getContainer())))
        expect(passes.reduce((n, p) => n + p.calls, 0)).toBe(3)
        expect(passes.reduce((n, p) => n + p.not_claimed, 0)).toBe(12)
        for (const id of ["X-1", "X-2", "X-3"]) expect(confirmationsOf(id)).toHaveLength(1)
        for (const r of rows) expect(await feedbackRow(getContainer(), r.id)).toMatchObject({ state: "confirmed", attempts: 1 })
      })

      it("a row left in sending by a process that died before the call is sent once after the lease", async () => {
        const co = await importOrder("D-1")
        const row = await feedbackFor(getContainer(), await shipThroughAdmin(api, auth, store, co.order_id))
        // "Instance A" claims the row and dies before calling the marketplace.
        const claimed = await channelsOf(getContainer()).claimChannelFeedback(row.id, { mode: "deliver", now: new Date(), lease_ms: LEASE_MS })
        expect(claimed).toMatchObject({ state: "sending", attempts: 1, previous_state: "pending" })
        // While the lease holds, nobody else takes it.
        expect((await deliverNow(getContainer())).due).toBe(0)
        expect(confirmationsOf("D-1")).toHaveLength(0)
        const pass = await deliverNow(getContainer(), { now: AFTER_LEASE() })
        expect(pass.delivered).toEqual({ confirmed: 1 })
        expect(confirmationsOf("D-1")).toHaveLength(1)
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "confirmed", attempts: 2 })
      })

      it("a row whose every attempt killed its process stops at the attempt cap: failed, never retried forever", async () => {
        const co = await importOrder("D-9")
        const row = await feedbackFor(getContainer(), await shipThroughAdmin(api, auth, store, co.order_id))
        const channels = channelsOf(getContainer())
        // Eight instances in a row claimed it and died before any outcome (the cap is eight attempts).
        await channels.updateChannelFeedbacks({ id: row.id, state: "sending", attempts: 8, next_attempt_at: new Date(Date.now() - 1_000) })
        const pass = await deliverNow(getContainer(), { now: AFTER_LEASE() })
        expect(confirmationsOf("D-9")).toHaveLength(0)
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "failed", attempts: 8, error_code: "attempts_exhausted" })
        expect((await deliverNow(getContainer(), { now: AFTER_LEASE() })).due).toBe(0)
        void pass
      })

      it("a row left in sending by a process that died after the marketplace took it is not sent again", async () => {
        const co = await importOrder("D-2")
        const row = await feedbackFor(getContainer(), await shipThroughAdmin(api, auth, store, co.order_id))
        const channels = channelsOf(getContainer())
        await channels.claimChannelFeedback(row.id, { mode: "deliver", now: new Date(), lease_ms: LEASE_MS })
        // "Instance A" reaches the marketplace, then dies before writing the outcome.
        const { provider, ctx } = await channels.getChannelContext(channelId)
        await provider.confirmShipment(ctx, {
          external_order_id: "D-2",
          items: row.items,
          carrier_code: row.carrier_code,
          tracking_numbers: row.tracking_numbers,
          shipped_at: new Date().toISOString(),
        })
        expect(confirmationsOf("D-2")).toHaveLength(1)
        await deliverNow(getContainer(), { now: AFTER_LEASE() })
        expect(confirmationsOf("D-2")).toHaveLength(1)
        const settled = await feedbackRow(getContainer(), row.id)
        expect(settled).toMatchObject({ state: "confirmed", response: { recovered: true } })
        expect((await feedbackTimeline(getContainer(), co.id)).map((e) => e.message).join("\n")).toMatch(/interrupted attempt/)
      })

      it("a late outcome from a process whose lease expired cannot overwrite the newer one", async () => {
        const co = await importOrder("D-3")
        const row = await feedbackFor(getContainer(), await shipThroughAdmin(api, auth, store, co.order_id))
        const channels = channelsOf(getContainer())
        const stale = await channels.claimChannelFeedback(row.id, { mode: "deliver", now: new Date(), lease_ms: LEASE_MS })
        await deliverNow(getContainer(), { now: AFTER_LEASE() })
        const written = await channels.settleChannelFeedback(
          row.id,
          { state: "sending", attempts: stale!.attempts, lease_until: new Date(stale!.next_attempt_at) },
          { state: "failed", next_attempt_at: null, error_code: "late", error_message: "late", response: null }
        )
        expect(written).toBe(false)
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "confirmed" })
      })

      it("a redelivered event or the sweep never records a shipment twice; the sweep recovers a lost event", async () => {
        const co = await importOrder("E-1")
        const fid = await shipThroughAdmin(api, auth, store, co.order_id)
        const row = await feedbackFor(getContainer(), fid)
        const { recordShipmentFeedbackWorkflow } = await import("../../src/workflows/feedback/record-shipment-feedback")
        const again = await recordShipmentFeedbackWorkflow(getContainer()).run({ input: { trigger: "shipment_created", fulfillment_id: fid } })
        expect(again.result.recorded).toEqual([])
        const sweep = (since: Date, extra: Record<string, unknown> = {}) => sweepMissedFeedback(getContainer(), { since, grace_ms: 0, ...extra })
        const before = new Date(Date.now() - 5 * 60_000)
        expect((await sweep(before)).recorded).toEqual([])

        // The event is lost: no row. The sweep finds the shipment and records it.
        await channelsOf(getContainer()).deleteChannelFeedbacks([row.id])
        const swept = await sweep(before)
        expect(swept.recorded).toHaveLength(1)
        const recovered = await feedbackFor(getContainer(), fid)
        expect(recovered).toMatchObject({ state: "pending", carrier_code: "DHL" })
      })

      it("the sweep reads every shipment since its watermark, a page at a time, and resumes where it stopped", async () => {
        const older = await importOrder("E-2")
        const newer = await importOrder("E-3")
        const fids = [await shipThroughAdmin(api, auth, store, older.order_id), await shipThroughAdmin(api, auth, store, newer.order_id)]
        // Both events are lost; with a page of one shipment the second is on a later page.
        const channels = channelsOf(getContainer())
        for (const fid of fids) await channels.deleteChannelFeedbacks([(await feedbackFor(getContainer(), fid)).id])
        await channels.advanceSweepWatermark(FEEDBACK_SWEEP, new Date(Date.now() - 60_000))
        const first = await sweepMissedFeedback(getContainer(), { grace_ms: 0, page_size: 1 })
        expect(first.checked).toBeGreaterThanOrEqual(2)
        for (const fid of fids) expect(await feedbackFor(getContainer(), fid)).toMatchObject({ state: "pending", kind: "shipment" })
        // The watermark moved to the end of that sweep; the next one starts there (less the overlap),
        // not a day back.
        const mark = await channels.sweepWatermark(FEEDBACK_SWEEP)
        expect(mark!.toISOString()).toBe(first.until)
        const third = await importOrder("E-4")
        const late = await shipThroughAdmin(api, auth, store, third.order_id)
        await channels.deleteChannelFeedbacks([(await feedbackFor(getContainer(), late)).id])
        const next = await sweepMissedFeedback(getContainer(), { grace_ms: 0 })
        expect(new Date(next.since).getTime()).toBe(mark!.getTime() - FEEDBACK_SWEEP_OVERLAP_MS)
        expect(next.recorded).toHaveLength(1)
        expect(await feedbackFor(getContainer(), late)).toMatchObject({ state: "pending", kind: "shipment" })
        // A watermark never moves back when an instance with an older view writes it.
        await channels.advanceSweepWatermark(FEEDBACK_SWEEP, new Date(0))
        expect((await channels.sweepWatermark(FEEDBACK_SWEEP))!.toISOString()).toBe(next.until)
      })

      it("the sweep also recovers a lost completion (shipped_when order_completed) and a lost cancellation", async () => {
        const since = new Date(Date.now() - 60_000)
        const channels = channelsOf(getContainer())
        // A cancellation whose order.canceled event was lost.
        const canceled = await importOrder("E-5")
        await api.post(`/admin/orders/${canceled.order_id}/cancel`, {}, auth)
        const cancelRow = await cancelFeedbackFor(getContainer(), canceled.order_id)
        await channels.deleteChannelFeedbacks([cancelRow.id])
        // A completion whose order.completed event was lost.
        await api.post(`/admin/channels/${channelId}`, { settings: { shipped_when: "order_completed" } }, auth)
        const completed = await importOrder("E-6")
        const fid = await shipThroughAdmin(api, auth, store, completed.order_id)
        await api.post(`/admin/orders/${completed.order_id}/complete`, {}, auth)
        const shipRow = await feedbackFor(getContainer(), fid)
        await channels.deleteChannelFeedbacks([shipRow.id])

        const swept = await sweepMissedFeedback(getContainer(), { since, grace_ms: 0 })
        expect(swept.recorded).toHaveLength(2)
        expect(await cancelFeedbackFor(getContainer(), canceled.order_id)).toMatchObject({ kind: "cancel", state: "pending" })
        expect(await feedbackFor(getContainer(), fid)).toMatchObject({ kind: "shipment", state: "pending" })
        // A second sweep over the same stretch finds rows for both, and records nothing.
        expect((await sweepMissedFeedback(getContainer(), { since, grace_ms: 0 })).recorded).toEqual([])
      })

      it("the scheduled job delivers due rows (and stays idle while paused)", async () => {
        const co = await importOrder("J-1")
        const row = await feedbackFor(getContainer(), await shipThroughAdmin(api, auth, store, co.order_id))
        await deliverChannelFeedbackJob(getContainer())
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "pending" })
        process.env.CHANNEL_FEEDBACK_DELIVERY = "on"
        try {
          const started = performance.now()
          await deliverChannelFeedbackJob(getContainer())
          const ms = performance.now() - started
          expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "confirmed" })
          // eslint-disable-next-line no-console
          console.log(`[feedback] one job tick delivering one sandbox row took ${ms.toFixed(0)} ms`)
        } finally {
          process.env.CHANNEL_FEEDBACK_DELIVERY = "off"
        }
      })
    })
  },
})
