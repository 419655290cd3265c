import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../src/modules/channel"
import { seedStore, type SeededStore } from "../../src/scripts/seed-store"
import { importChannelOrderWorkflow } from "../../src/workflows/import-orders/import-channel-order"
import { prepareImports } from "../../src/workflows/import-orders/prepare-imports"
import { stagePage } from "../../src/workflows/import-orders/run-channel-import"
import { parseChannelSettings } from "../../src/modules/channel/settings"
import { parseCanonicalOrder } from "../../src/modules/channel/types/canonical-order"
import { adminHeaders } from "../helpers/admin"
import pullChannelsJob from "../../src/jobs/pull-channels"
import { runChannelImport } from "../../src/workflows/import-orders/run-channel-import"
import sandboxGenerateOrdersJob from "../../src/jobs/sandbox-generate-orders"
import {
  adminOrder,
  channelOrder,
  countOrdersWithExternalId,
  createSandboxChannel,
  inject,
  reservationsFor,
  runImport,
  sandboxOrder,
  setRules,
  stockOf,
} from "../helpers/channel-fixtures"

jest.setTimeout(180_000)

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
      channelId = (await createSandboxChannel(api, auth, store)).id
    })

    const importOne = async (externalId: string, status: string, action: string, retry = true, lines?: Array<[string, number, number?]>) => {
      await setRules(api, auth, channelId, [[status, action, retry]])
      await inject(api, auth, channelId, [sandboxOrder(externalId, { status, lines })])
      const run = await runImport(api, auth, channelId)
      return { run, co: await channelOrder(api, auth, channelId, externalId) }
    }

    describe("the seven status actions", () => {
      it("import_as_valid: order created, stock reserved, payment captured per the channel setting", async () => {
        const before = await stockOf(getContainer(), store, "TSHIRT-M")
        const { run, co } = await importOne("V-1", "paid", "import_as_valid", true, [["TSHIRT-M", 2, 19.9], ["HOODIE-L", 1, 49]])
        expect(run).toMatchObject({ status: "succeeded", fetched: 1, imported: 1, failed: 0 })
        expect(co).toMatchObject({ state: "imported", action: "import_as_valid", error_code: null })
        const order = await adminOrder(api, auth, co.order_id)
        expect(order).toMatchObject({ status: "pending", payment_status: "captured", fulfillment_status: "not_fulfilled" })
        expect(order.metadata).toMatchObject({ channel_id: channelId, external_id: "V-1" })
        expect(order.items.map((i: any) => [i.variant_sku, i.quantity])).toEqual(expect.arrayContaining([["TSHIRT-M", 2], ["HOODIE-L", 1]]))
        expect(order.shipping_methods[0].shipping_option_id).toBe(store.shipping_options.standard)
        const reservations = await reservationsFor(getContainer(), co.order_id)
        expect(reservations.map((r: any) => Number(r.quantity)).sort()).toEqual([1, 2])
        expect(reservations.every((r: any) => r.location_id === store.stock_location_id)).toBe(true)
        const after = await stockOf(getContainer(), store, "TSHIRT-M")
        expect(after).toEqual({ stocked: before.stocked, reserved: before.reserved + 2 })
      })

      it("import_as_valid with payment status not_paid leaves the order unpaid", async () => {
        await api.post(`/admin/channels/${channelId}`, { settings: { payment_status: "not_paid" } }, auth)
        const { co } = await importOne("V-2", "paid", "import_as_valid")
        const order = await adminOrder(api, auth, co.order_id)
        expect(order.payment_status).toBe("not_paid")
        expect((await reservationsFor(getContainer(), co.order_id)).length).toBe(1)
      })

      it("import_as_valid with payment status authorized leaves the payment authorized, not captured", async () => {
        await api.post(`/admin/channels/${channelId}`, { settings: { payment_status: "authorized" } }, auth)
        const { co } = await importOne("V-3", "paid", "import_as_valid")
        const order = await adminOrder(api, auth, co.order_id)
        expect(order.payment_status).toBe("authorized")
      })

      it("import_and_invoice: captured payment and a sequentially numbered invoice", async () => {
        const { co } = await importOne("I-1", "paid", "import_and_invoice")
        await inject(api, auth, channelId, [sandboxOrder("I-2")])
        await runImport(api, auth, channelId)
        const co2 = await channelOrder(api, auth, channelId, "I-2")
        const order = await adminOrder(api, auth, co.order_id)
        expect(order).toMatchObject({ status: "pending", payment_status: "captured", fulfillment_status: "not_fulfilled" })
        expect((await reservationsFor(getContainer(), co.order_id)).length).toBe(1)
        const invoices = await (getContainer().resolve(CHANNEL_MODULE) as any).listChannelInvoices({ order_id: [co.order_id, co2.order_id] })
        const byOrder = new Map(invoices.map((i: any) => [i.order_id, i]))
        const a: any = byOrder.get(co.order_id)
        const b: any = byOrder.get(co2.order_id)
        expect(Number(a.total)).toBeCloseTo(Number(order.total), 2)
        expect(b.number).toBe(a.number + 1)
      })

      it("import_and_cancel: created then canceled, nothing reserved", async () => {
        const before = await stockOf(getContainer(), store, "TSHIRT-M")
        const { co } = await importOne("C-1", "canceled", "import_and_cancel")
        expect(co.state).toBe("imported")
        const order = await adminOrder(api, auth, co.order_id)
        expect(order.status).toBe("canceled")
        expect(order.payment_status).toBe("not_paid")
        expect(await reservationsFor(getContainer(), co.order_id)).toEqual([])
        expect(await stockOf(getContainer(), store, "TSHIRT-M")).toEqual(before)
      })

      it("import_and_hold: reserved like a valid order, with a status_rule hold", async () => {
        const { co } = await importOne("H-1", "paid", "import_and_hold")
        const order = await adminOrder(api, auth, co.order_id)
        expect(order).toMatchObject({ status: "pending", payment_status: "captured" })
        expect((await reservationsFor(getContainer(), co.order_id)).length).toBe(1)
        const holds = await (getContainer().resolve(CHANNEL_MODULE) as any).listOrderHolds({ order_id: co.order_id })
        expect(holds).toHaveLength(1)
        expect(holds[0]).toMatchObject({ reason: "status_rule", released_at: null })
      })

      it("import_and_complete: invoiced, fulfilled, shipped and completed, with stock decremented", async () => {
        const before = await stockOf(getContainer(), store, "JEANS-M")
        const { co } = await importOne("K-1", "shipped", "import_and_complete", true, [["JEANS-M", 3, 69]])
        expect(co.state).toBe("imported")
        const order = await adminOrder(api, auth, co.order_id)
        expect(order).toMatchObject({ status: "completed", payment_status: "captured", fulfillment_status: "shipped" })
        expect(order.fulfillments).toHaveLength(1)
        expect(order.fulfillments[0].shipped_at).toBeTruthy()
        expect(await reservationsFor(getContainer(), co.order_id)).toEqual([])
        expect(await stockOf(getContainer(), store, "JEANS-M")).toEqual({ stocked: before.stocked - 3, reserved: before.reserved })
        const invoices = await (getContainer().resolve(CHANNEL_MODULE) as any).listChannelInvoices({ order_id: co.order_id })
        expect(invoices).toHaveLength(1)
      })

      it("import_and_complete refuses an order whose stock is short, creating nothing", async () => {
        const short = store.variants.find((v) => v.stocked === 2)!
        const ordersBefore = await getContainer().resolve(Modules.ORDER).listOrders({}, { select: ["id"] })
        const before = await stockOf(getContainer(), store, short.sku)
        const { run, co } = await importOne("K-2", "shipped", "import_and_complete", true, [["TSHIRT-M", 1], [short.sku, 5]])
        expect(run.failed).toBe(1)
        expect(co).toMatchObject({ state: "failed", error_code: "insufficient_quantity", order_id: null })
        expect(co.error_message).toContain(short.sku)
        const ordersAfter = await getContainer().resolve(Modules.ORDER).listOrders({}, { select: ["id"] })
        expect(ordersAfter.length).toBe(ordersBefore.length)
        expect(await stockOf(getContainer(), store, short.sku)).toEqual(before)
      })

      it("import_as_history: completed, paid, fulfilled and shipped with inventory untouched", async () => {
        const before = await stockOf(getContainer(), store, "CAP-S")
        const { co } = await importOne("HI-1", "shipped", "import_as_history", false, [["CAP-S", 4, 22]])
        const order = await adminOrder(api, auth, co.order_id)
        expect(order).toMatchObject({ status: "completed", payment_status: "captured", fulfillment_status: "shipped" })
        expect(await reservationsFor(getContainer(), co.order_id)).toEqual([])
        expect(await stockOf(getContainer(), store, "CAP-S")).toEqual(before)
      })

      it("import_as_history works even for an item with no stock at all", async () => {
        const empty = store.variants.find((v) => v.stocked === 0)!
        const { co } = await importOne("HI-2", "shipped", "import_as_history", false, [[empty.sku, 2]])
        expect(co.state).toBe("imported")
        expect(await stockOf(getContainer(), store, empty.sku)).toEqual({ stocked: 0, reserved: 0 })
      })

      it("do_not_import with retry on waits, then imports once the status imports", async () => {
        await setRules(api, auth, channelId, [
          ["pending", "do_not_import", true],
          ["paid", "import_as_valid", true],
        ])
        await inject(api, auth, channelId, [sandboxOrder("W-1", { status: "pending" })])
        const first = await runImport(api, auth, channelId)
        expect(first).toMatchObject({ waiting: 1, imported: 0 })
        expect(await channelOrder(api, auth, channelId, "W-1")).toMatchObject({ state: "waiting", order_id: null, action: "do_not_import" })
        expect(await countOrdersWithExternalId(getContainer(), "W-1")).toBe(0)

        await api.post(`/admin/channels/${channelId}/sandbox/orders/W-1`, { status: "paid" }, auth)
        const second = await runImport(api, auth, channelId)
        expect(second.imported).toBe(1)
        const co = await channelOrder(api, auth, channelId, "W-1")
        expect(co).toMatchObject({ state: "imported", external_status: "paid", action: "import_as_valid" })
        expect((await adminOrder(api, auth, co.order_id)).payment_status).toBe("captured")
      })

      it("do_not_import with retry off ignores the order for good, even after its status changes", async () => {
        await setRules(api, auth, channelId, [
          ["canceled", "do_not_import", false],
          ["paid", "import_as_valid", true],
        ])
        await inject(api, auth, channelId, [sandboxOrder("N-1", { status: "canceled" })])
        expect((await runImport(api, auth, channelId)).ignored).toBe(1)
        await api.post(`/admin/channels/${channelId}/sandbox/orders/N-1`, { status: "paid" }, auth)
        const run = await runImport(api, auth, channelId)
        expect(run).toMatchObject({ ignored: 1, imported: 0 })
        expect(await channelOrder(api, auth, channelId, "N-1")).toMatchObject({ state: "ignored", order_id: null })
        expect(await countOrdersWithExternalId(getContainer(), "N-1")).toBe(0)
      })

      it("a status with no rule behaves as do_not_import with retry on", async () => {
        await setRules(api, auth, channelId, [])
        await inject(api, auth, channelId, [sandboxOrder("U-1", { status: "something_new" })])
        expect((await runImport(api, auth, channelId)).waiting).toBe(1)
        expect(await channelOrder(api, auth, channelId, "U-1")).toMatchObject({ state: "waiting", action: "do_not_import" })
      })
    })

    describe("exactly once", () => {
      it("a duplicate pull skips what is already imported", async () => {
        await setRules(api, auth, channelId, [["paid", "import_as_valid", true]])
        await inject(api, auth, channelId, [sandboxOrder("D-1"), sandboxOrder("D-2")])
        expect((await runImport(api, auth, channelId)).imported).toBe(2)
        // Same orders again, as an overlapping window would return them.
        await inject(api, auth, channelId, [sandboxOrder("D-1"), sandboxOrder("D-2")])
        const again = await runImport(api, auth, channelId)
        expect(again).toMatchObject({ imported: 0, skipped: 2 })
        expect(await countOrdersWithExternalId(getContainer(), "D-1")).toBe(1)
        expect(await countOrdersWithExternalId(getContainer(), "D-2")).toBe(1)
      })

      it("two import workflows started together for one order create one Medusa order", async () => {
        const container = getContainer()
        await setRules(api, auth, channelId, [["paid", "import_as_valid", true]])
        const channels: any = container.resolve(CHANNEL_MODULE)
        const raw = sandboxOrder("R-1")
        await channels.stageChannelOrders(channelId, [{ external_id: "R-1", external_status: "paid", external_updated_at: raw.updated_at, raw }])
        const [row] = await channels.listChannelOrders({ channel_id: channelId, external_id: "R-1" })
        const channel = await channels.retrieveChannel(channelId)
        const order = (parseCanonicalOrder(raw) as any).order
        const [p] = await prepareImports(container, channel, parseChannelSettings(channel.settings), [{ channel_order_id: row.id, order, action: "import_as_valid" }])
        if (!p.ok) throw p.error
        const input = { ...p.prepared, channel_id: channelId }
        const results = await Promise.allSettled([
          importChannelOrderWorkflow(container).run({ input }),
          importChannelOrderWorkflow(container).run({ input }),
        ])
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1)
        expect(await countOrdersWithExternalId(container, "R-1")).toBe(1)
        const [after] = await channels.listChannelOrders({ id: row.id })
        expect(after.state).toBe("imported")
        // The loser compensated: no stray reservation is left behind.
        const reservations = await container.resolve(Modules.INVENTORY).listReservationItems({ inventory_item_id: store.variants.find((v) => v.sku === "TSHIRT-M")!.inventory_item_id })
        expect(reservations).toHaveLength(1)
      })

      it("two HTTP imports at once: one runs, the other gets 409, and each order is imported once", async () => {
        await setRules(api, auth, channelId, [["paid", "import_as_valid", true]])
        await inject(api, auth, channelId, Array.from({ length: 6 }, (_, i) => sandboxOrder(`P-${i}`)))
        const [a, b] = await Promise.all([
          api.post(`/admin/channels/${channelId}/import`, {}, auth).catch((e: any) => e.response),
          api.post(`/admin/channels/${channelId}/import`, {}, auth).catch((e: any) => e.response),
        ])
        const statuses = [a.status, b.status].sort()
        expect(statuses).toEqual([200, 409])
        for (let i = 0; i < 6; i++) expect(await countOrdersWithExternalId(getContainer(), `P-${i}`)).toBe(1)
        // A later pull sees them all as imported.
        expect((await runImport(api, auth, channelId)).skipped).toBe(6)
      })
    })

    describe("nothing is lost", () => {
      it("an invalid payload is recorded as failed while the rest of the page imports", async () => {
        await setRules(api, auth, channelId, [["paid", "import_as_valid", true]])
        const bad: any = sandboxOrder("BAD-1")
        bad.items = []
        bad.currency_code = "euro"
        await inject(api, auth, channelId, [sandboxOrder("OK-1"), bad, sandboxOrder("OK-2")])
        const run = await runImport(api, auth, channelId)
        expect(run).toMatchObject({ status: "succeeded", fetched: 3, imported: 2, failed: 1 })
        const co = await channelOrder(api, auth, channelId, "BAD-1")
        expect(co).toMatchObject({ state: "failed", error_code: "invalid_payload", order_id: null })
        expect(co.error_message).toMatch(/items/)
        expect(co.error_message).toMatch(/currency_code/)
        const { data } = await api.get(`/admin/channel-orders/${co.id}`, auth)
        expect(data.channel_order.raw).toMatchObject({ external_id: "BAD-1", currency_code: "euro" })
      })

      it("an unmatched SKU fails with unmatched_sku naming it, and imports after the SKU is mapped and retried", async () => {
        await setRules(api, auth, channelId, [["paid", "import_as_valid", true]])
        await inject(api, auth, channelId, [sandboxOrder("S-1", { lines: [["TSHIRT-M", 1], ["AMZ-UNKNOWN-7", 1]] })])
        await runImport(api, auth, channelId)
        const co = await channelOrder(api, auth, channelId, "S-1")
        expect(co).toMatchObject({ state: "failed", error_code: "unmatched_sku" })
        // The admin's fix reads the SKU from the refusal's data, not from its message.
        expect(co.error_data).toEqual({ skus: ["AMZ-UNKNOWN-7"], lines_without_sku: [] })
        expect(co.error_message).toContain("AMZ-UNKNOWN-7")
        const summary = (await api.get("/admin/channel-orders/summary", auth)).data
        expect(summary.not_importable_count).toBe(1)

        const channels: any = getContainer().resolve(CHANNEL_MODULE)
        await channels.createChannelSkuMappings({ channel_id: channelId, external_sku: "AMZ-UNKNOWN-7", variant_id: store.variants.find((v) => v.sku === "SOCKS-S")!.id })
        const retried = await api.post(`/admin/channel-orders/${co.id}/retry`, {}, auth)
        expect(retried.data.channel_order).toMatchObject({ state: "imported", error_code: null, error_data: null })
        expect(retried.data.run).toMatchObject({ trigger: "retry", imported: 1 })
        expect((await api.get("/admin/channel-orders/summary", auth)).data.not_importable_count).toBe(0)
      })

      it("a page with one order twice, a NUL character and an unreadable update time is staged whole", async () => {
        const channels: any = getContainer().resolve(CHANNEL_MODULE)
        const staged = await stagePage(channels, channelId, [
          { external_id: "DUP-1", external_status: "pending", external_updated_at: "2026-11-20T09:00:00Z", raw: sandboxOrder("DUP-1", { status: "pending" }) },
          { external_id: "NUL-1", external_status: "paid", external_updated_at: "not a date", raw: { ...sandboxOrder("NUL-1"), note: "gift\u0000wrap" } },
          { external_id: "DUP-1", external_status: "paid", external_updated_at: "2026-11-20T10:00:00Z", raw: sandboxOrder("DUP-1") },
        ])
        expect(staged.map((s) => s.row.external_id)).toEqual(["DUP-1", "NUL-1"])
        const rows = await channels.listChannelOrders({ channel_id: channelId }, { select: ["external_id", "external_status", "external_updated_at", "raw", "state"] })
        const byId = Object.fromEntries(rows.map((r: any) => [r.external_id, r]))
        expect(rows).toHaveLength(2)
        expect(byId["DUP-1"]).toMatchObject({ external_status: "paid", state: "pending", raw: { status: "paid" } })
        expect(new Date(byId["DUP-1"].external_updated_at).toISOString()).toBe("2026-11-20T10:00:00.000Z")
        expect(byId["NUL-1"]).toMatchObject({ external_updated_at: null, raw: { external_id: "NUL-1", note: "gift\uFFFDwrap" } })
      })

      it("a marketplace-fulfilled line whose SKU ends in a hyphen imports against a placeholder product", async () => {
        await setRules(api, auth, channelId, [["paid", "import_as_valid", true]])
        await inject(api, auth, channelId, [sandboxOrder("FBA-ODD", { fulfilled_by_marketplace: true, lines: [["Mug-Blue-", 1, 9.9]] })])
        const run = await runImport(api, auth, channelId)
        expect(run).toMatchObject({ status: "succeeded", imported: 1, failed: 0 })
        expect(await channelOrder(api, auth, channelId, "FBA-ODD")).toMatchObject({ state: "imported", action: "import_as_history" })
        const [variant] = await getContainer().resolve(Modules.PRODUCT).listProductVariants({ sku: "FBA:Mug-Blue-" }, { relations: ["product"] })
        expect(variant.product!.handle).toMatch(/^fba-mug-blue-[a-z0-9]+$/)
      })

      it("an order another instance holds the lock of fails with a reason, the rest of the page imports, and a retry imports it", async () => {
        await api.post(`/admin/channels/${channelId}`, { settings: { batch_import: false } }, auth)
        await setRules(api, auth, channelId, [
          ["pending", "do_not_import", true],
          ["paid", "import_as_valid", true],
        ])
        await inject(api, auth, channelId, [sandboxOrder("LOCK-1", { status: "pending" }), sandboxOrder("LOCK-2", { status: "pending" })])
        expect(await runImport(api, auth, channelId)).toMatchObject({ waiting: 2 })
        const held = await channelOrder(api, auth, channelId, "LOCK-1")
        const locking = getContainer().resolve(Modules.LOCKING)
        await locking.acquire(`channel-order:${held.id}`, { ownerId: "another-instance", expire: 120 })
        try {
          for (const id of ["LOCK-1", "LOCK-2"]) await api.post(`/admin/channels/${channelId}/sandbox/orders/${id}`, { status: "paid" }, auth)
          const run = await runImport(api, auth, channelId)
          expect(run).toMatchObject({ status: "succeeded", imported: 1, failed: 1 })
          expect(await channelOrder(api, auth, channelId, "LOCK-2")).toMatchObject({ state: "imported" })
          const failed = await channelOrder(api, auth, channelId, "LOCK-1")
          expect(failed).toMatchObject({ state: "failed", error_code: "import_failed", order_id: null })
          expect(failed.error_message).toMatch(/lock/)
        } finally {
          await locking.release(`channel-order:${held.id}`, { ownerId: "another-instance" })
        }
        const retried = await api.post(`/admin/channel-orders/${held.id}/retry`, {}, auth)
        expect(retried.data.channel_order).toMatchObject({ state: "imported" })
        expect(await countOrdersWithExternalId(getContainer(), "LOCK-1")).toBe(1)
      })

      it("a crash between pages resumes on the next run with nothing lost and nothing doubled", async () => {
        await setRules(api, auth, channelId, [["paid", "import_as_valid", true]])
        await api.post(`/admin/channels/${channelId}`, { settings: { page_size: 4, fail_on_page: 2 } }, auth)
        await inject(api, auth, channelId, Array.from({ length: 10 }, (_, i) => sandboxOrder(`PG-${i}`)))
        const crashed = await runImport(api, auth, channelId)
        expect(crashed).toMatchObject({ status: "failed", pages: 1, fetched: 4, imported: 4 })
        expect(crashed.error).toMatch(/page 2/)

        await api.post(`/admin/channels/${channelId}`, { settings: { fail_on_page: null } }, auth)
        const resumed = await runImport(api, auth, channelId)
        expect(resumed).toMatchObject({ status: "succeeded", imported: 6 })
        for (let i = 0; i < 10; i++) expect(await countOrdersWithExternalId(getContainer(), `PG-${i}`)).toBe(1)
        const { data } = await api.get(`/admin/channels/${channelId}/runs`, auth)
        expect(data.runs.map((r: any) => r.status)).toEqual(["succeeded", "failed"])
      })
    })

    describe("runs that a crash or a refusal would have wedged", () => {
      it("a saved page token the marketplace refuses restarts the saved window, with nothing lost or doubled", async () => {
        await setRules(api, auth, channelId, [["paid", "import_as_valid", true]])
        await api.post(`/admin/channels/${channelId}`, { settings: { page_size: 4, fail_on_page: 2 } }, auth)
        await inject(api, auth, channelId, Array.from({ length: 10 }, (_, i) => sandboxOrder(`PT-${i}`)))
        const crashed = await runImport(api, auth, channelId)
        expect(crashed).toMatchObject({ status: "failed", pages: 1 })
        // The token it saved expires (Amazon's after 24 hours): the marketplace refuses it.
        const channels = getContainer().resolve(CHANNEL_MODULE) as any
        await channels.updateChannelImportRuns({ id: crashed.id, cursor: { ...crashed.cursor, page_token: "expired-token" } })
        await api.post(`/admin/channels/${channelId}`, { settings: { fail_on_page: null } }, auth)
        const resumed = await runImport(api, auth, channelId)
        expect(resumed).toMatchObject({ status: "succeeded", window_from: crashed.window_from, window_to: crashed.window_to })
        for (let i = 0; i < 10; i++) expect(await countOrdersWithExternalId(getContainer(), `PT-${i}`)).toBe(1)
      })

      it("an order staged but never decided (the run died in between) is decided by a later run, though the marketplace no longer lists it", async () => {
        await setRules(api, auth, channelId, [["paid", "import_as_valid", true]])
        const channels: any = getContainer().resolve(CHANNEL_MODULE)
        // Staged by a run that died before deciding the page; the sandbox itself no longer has it.
        const [staged] = await stagePage(channels, channelId, [{ external_id: "ST-1", external_status: "paid", external_updated_at: new Date().toISOString(), raw: sandboxOrder("ST-1") }])
        const pg = getContainer().resolve("__pg_connection__" as any)
        await pg.raw(`update channel_order set updated_at = now() - interval '20 minutes' where id = ?`, [staged.row.id])
        const run = await runImport(api, auth, channelId)
        expect(run).toMatchObject({ status: "succeeded", imported: 1 })
        expect(await channelOrder(api, auth, channelId, "ST-1")).toMatchObject({ state: "imported" })
        expect(await countOrdersWithExternalId(getContainer(), "ST-1")).toBe(1)
      })

      it("a run left running by a process that died is closed as interrupted by the next run", async () => {
        const channels = getContainer().resolve(CHANNEL_MODULE) as any
        const dead = await channels.createChannelImportRuns({ channel_id: channelId, trigger: "schedule", status: "running", started_at: new Date(Date.now() - 60_000) })
        const run = await runImport(api, auth, channelId)
        expect(run.status).toBe("succeeded")
        const { data } = await api.get(`/admin/channels/${channelId}/runs`, auth)
        expect(data.runs.find((r: any) => r.id === dead.id)).toMatchObject({ status: "failed", error: expect.stringMatching(/^Interrupted/) })
      })

      it("a run that fails before it can reach the marketplace (provider gone) is a failed run with its reason", async () => {
        const channels = getContainer().resolve(CHANNEL_MODULE) as any
        await channels.updateChannels({ id: channelId, provider: "no-such-provider" })
        const res = await api.post(`/admin/channels/${channelId}/import`, {}, auth)
        expect(res.data.run).toMatchObject({ status: "failed", error: expect.stringMatching(/Unknown channel provider "no-such-provider"/) })
        const { data } = await api.get(`/admin/channels/${channelId}/runs`, auth)
        expect(data.runs[0]).toMatchObject({ id: res.data.run.id, status: "failed" })
      })
    })

    describe("scheduled runs", () => {
      it("the job pulls each enabled channel whose interval has elapsed, and skips the others", async () => {
        const container = getContainer()
        await setRules(api, auth, channelId, [["paid", "import_as_valid", true]])
        await inject(api, auth, channelId, [sandboxOrder("J-1")])
        const recent = await createSandboxChannel(api, auth, store, { pull_interval_minutes: 60 }, "Pulled recently")
        await runImport(api, auth, recent.id)
        const disabled = await createSandboxChannel(api, auth, store, {}, "Disabled")
        await api.post(`/admin/channels/${disabled.id}`, { enabled: false }, auth)

        await pullChannelsJob(container)
        const runsOf = async (id: string) => (await api.get(`/admin/channels/${id}/runs`, auth)).data.runs
        expect((await runsOf(channelId)).map((r: any) => [r.trigger, r.status, r.imported])).toEqual([["schedule", "succeeded", 1]])
        expect((await runsOf(recent.id)).map((r: any) => r.trigger)).toEqual(["manual"])
        expect(await runsOf(disabled.id)).toEqual([])
        expect(await countOrdersWithExternalId(container, "J-1")).toBe(1)
      })

      it("a run given a time budget stops between pages with its cursor on the next page, and the job resumes it on the next tick", async () => {
        const container = getContainer()
        await setRules(api, auth, channelId, [["paid", "import_as_valid", true]])
        // Two-order pages and an interval of a day: only an unfinished run makes the channel due again.
        await api.post(`/admin/channels/${channelId}`, { settings: { page_size: 2, pull_interval_minutes: 1440 } }, auth)
        await inject(api, auth, channelId, ["TB-1", "TB-2", "TB-3", "TB-4", "TB-5"].map((id) => sandboxOrder(id)))
        const first = await runChannelImport(container, { channel_id: channelId, trigger: "schedule", max_duration_ms: 0 })
        expect([first.status, first.fetched, first.imported]).toEqual(["succeeded", 2, 2])
        expect((first as any).cursor.page_token).toEqual(expect.any(String))
        // Not due by its interval, due because pages are left: the tick reads the rest of the window.
        await pullChannelsJob(container)
        const runs = (await api.get(`/admin/channels/${channelId}/runs`, auth)).data.runs
        expect(runs.map((r: any) => [r.trigger, r.status, r.fetched, Boolean(r.cursor?.page_token)])).toEqual([
          ["schedule", "succeeded", 3, false],
          ["schedule", "succeeded", 2, true],
        ])
        for (const id of ["TB-1", "TB-2", "TB-3", "TB-4", "TB-5"]) expect(await countOrdersWithExternalId(container, id)).toBe(1)
        // The window is finished: the next tick leaves the channel alone until its interval.
        await pullChannelsJob(container)
        expect((await api.get(`/admin/channels/${channelId}/runs`, auth)).data.runs).toHaveLength(runs.length)
      })

      it("the sandbox keeps producing orders for channels that ask for them", async () => {
        await api.post(`/admin/channels/${channelId}`, { settings: { generate_orders_per_minute: 3 } }, auth)
        await sandboxGenerateOrdersJob(getContainer())
        await setRules(api, auth, channelId, [["paid", "import_as_valid", true], ["pending", "do_not_import", true]])
        const run = await runImport(api, auth, channelId)
        expect(run.fetched).toBe(3)
        expect(run.imported + run.waiting + run.failed).toBe(3)
      })
    })

    describe("admin API", () => {
      it("never returns credentials, only has_credentials", async () => {
        const responses = [
          (await api.get("/admin/channels", auth)).data,
          (await api.get(`/admin/channels/${channelId}`, auth)).data,
          (await api.post(`/admin/channels/${channelId}`, { name: "Renamed" }, auth)).data,
          (await api.post("/admin/channels", { name: "Other", provider: "sandbox", credentials: { token: "another-secret-key" }, settings: {} }, auth)).data,
        ]
        for (const body of responses) {
          const text = JSON.stringify(body)
          expect(text).not.toContain("sandbox-secret-key")
          expect(text).not.toContain("another-secret-key")
          expect(text).not.toContain("credentials_encrypted")
        }
        expect(responses[1].channel.has_credentials).toBe(true)
        const channels: any = getContainer().resolve(CHANNEL_MODULE)
        const stored = await channels.retrieveChannel(channelId)
        expect(stored.credentials_encrypted).not.toContain("sandbox-secret-key")
      })

      it("validates bodies with the field named, and refuses disabled channels and non-sandbox injections", async () => {
        const bad = await api.post("/admin/channels", { provider: "sandbox" }, auth).catch((e: any) => e.response)
        expect(bad.status).toBe(400)
        expect(bad.data.message).toContain("name")
        const badRule = await api
          .put(`/admin/channels/${channelId}/status-rules`, { status_rules: [{ external_status: "paid", action: "import_everything", retry: true }] }, auth)
          .catch((e: any) => e.response)
        expect(badRule.status).toBe(400)
        expect(badRule.data.message).toContain("action")
        const badSetting = await api.post(`/admin/channels/${channelId}`, { settings: { payment_status: "free" } }, auth).catch((e: any) => e.response)
        expect(badSetting.status).toBe(400)
        expect(badSetting.data.message).toContain("payment_status")

        await api.post(`/admin/channels/${channelId}`, { enabled: false }, auth)
        const disabled = await api.post(`/admin/channels/${channelId}/import`, {}, auth).catch((e: any) => e.response)
        expect(disabled.status).toBe(400)
      })

      it("shows the provider's statuses in the import settings table, with has_rule for unset ones", async () => {
        await setRules(api, auth, channelId, [["paid", "import_and_invoice", false]])
        const { data } = await api.get(`/admin/channels/${channelId}/status-rules`, auth)
        const paid = data.status_rules.find((r: any) => r.external_status === "paid")
        const pending = data.status_rules.find((r: any) => r.external_status === "pending")
        expect(paid).toMatchObject({ action: "import_and_invoice", retry: false, has_rule: true })
        expect(pending).toMatchObject({ action: "do_not_import", retry: true, has_rule: false })
      })

      it("pages channel orders and runs, filtered by state", async () => {
        await setRules(api, auth, channelId, [["paid", "import_as_valid", true], ["pending", "do_not_import", true]])
        await inject(api, auth, channelId, [sandboxOrder("L-1"), sandboxOrder("L-2", { status: "pending" }), sandboxOrder("L-3", { status: "pending" })])
        await runImport(api, auth, channelId)
        const waiting = (await api.get(`/admin/channel-orders?channel_id=${channelId}&state=waiting&limit=1`, auth)).data
        expect(waiting.count).toBe(2)
        expect(waiting.channel_orders).toHaveLength(1)
        expect(Object.keys(waiting.channel_orders[0]).sort()).toEqual(
          ["id", "channel_id", "external_id", "external_status", "action", "state", "error_code", "error_message", "attempts", "order_id", "updated_at", "imported_at", "created_at", "reconciliation_status", "reconciliation", "stuck_reason", "error_data", "display_id", "tags", "holds"].sort()
        )
        const ignored = await api.post(`/admin/channel-orders/${waiting.channel_orders[0].id}/ignore`, {}, auth)
        expect(ignored.data.channel_order.state).toBe("ignored")
        const runs = (await api.get(`/admin/channels/${channelId}/runs?limit=5`, auth)).data
        expect(runs.count).toBe(1)
      })

      it("the sandbox injection routes answer 400 for a non-sandbox channel", async () => {
        const channels: any = getContainer().resolve(CHANNEL_MODULE)
        // A channel whose provider id is not the sandbox's (registered under another name would be the real case).
        const other = await channels.createChannels({ name: "Fake", provider: "not-sandbox", settings: {} })
        const res = await api.post(`/admin/channels/${other.id}/sandbox/orders`, { orders: [sandboxOrder("X")] }, auth).catch((e: any) => e.response)
        expect(res.status).toBe(400)
      })
    })
  },
})
