import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { parse } from "csv-parse/sync"
import { Modules } from "@medusajs/framework/utils"
import { seedStore, type SeededStore } from "../../src/scripts/seed-store"
import { ORDER_TRANSFER_MODULE } from "../../src/modules/order-transfer"
import { transferLockKey } from "../../src/workflows/transfers/errors"
import type { SandboxChannelProvider } from "../../src/providers/sandbox/service"
import { adminHeaders } from "../helpers/admin"
import { adminOrder, channelOrder, createSandboxChannel, inject, runImport, sandboxOrder, setRules } from "../helpers/channel-fixtures"
import { channelsOf, deliverNow, feedbackFor, shipThroughAdmin } from "../helpers/feedback-fixtures"
import { sshdAvailable, startSftpServer } from "../helpers/sftp-server"

// Runs below are started by the Run route; the scheduled jobs stay out of the way.
process.env.CHANNEL_FEEDBACK_DELIVERY = "off"
process.env.CHANNEL_ORDERS_SCHEDULED_TRANSFERS = "off"

jest.setTimeout(240_000)

const tmp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `transfers-${name}-`))
const filesIn = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => !f.startsWith(".")).sort() : [])

/**
 * Issue 19, sections 2 and 3: status imports (ship, cancel, deliver from a file; per-row errors;
 * marketplace feedback) and order exports (status updates on and off, amounts, export_failed, SFTP),
 * through the admin API as the acceptance tests call it.
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
      await setRules(api, auth, channelId, [["paid", "import_as_valid", true]])
    })

    const importOrders = async (orders: Array<[string, Array<[string, number, number?]>]>) => {
      await inject(api, auth, channelId, orders.map(([id, lines]) => sandboxOrder(id, { lines })))
      await runImport(api, auth, channelId)
      const out: Record<string, { id: string; order_id: string }> = {}
      for (const [id] of orders) {
        const co = await channelOrder(api, auth, channelId, id)
        expect(co.state).toBe("imported")
        out[id] = co
      }
      return out
    }
    const sandbox = () => channelsOf(getContainer()).getProvider("sandbox") as unknown as SandboxChannelProvider
    const transfersOf = async (orderId: string) => (await api.get(`/admin/orders/${orderId}/transfers`, auth)).data
    const channelTimeline = async (orderId: string) => (await api.get(`/admin/orders/${orderId}/channel`, auth)).data.timeline as any[]
    const totalsOf = async (orderId: string) =>
      (await api.get(`/admin/orders/${orderId}?fields=id,display_id,total,subtotal,tax_total,shipping_total,discount_total,*items`, auth)).data.order

    describe("status imports", () => {
      it("ships, cancels and delivers orders from a file, holds a shipped order's cancel, reports bad rows one by one and sends marketplace feedback", async () => {
        const cos = await importOrders([
          ["ST-1", [["TSHIRT-M", 2]]],
          ["ST-2", [["HOODIE-L", 1]]],
          ["ST-3", [["SHORTS-L", 1]]],
        ])
        // ST-3 is already shipped in Medusa: its cancellation must become a hold.
        await shipThroughAdmin(api, auth, store, cos["ST-3"].order_id, { tracking: ["EARLIER-1"] })
        const st1 = await totalsOf(cos["ST-1"].order_id)

        const dir = tmp("status")
        fs.writeFileSync(
          path.join(dir, "statuses.csv"),
          [
            "external_id,display_id,status,tracking_number,carrier,shipped_at,items",
            "ST-1,,shipped,1Z999AA10000000001,DHL,2026-12-04T10:00:00Z,TSHIRT-M:2",
            "ST-2,,canceled,,,,",
            "ST-3,,cancelled,,,,",
            "NOPE-9,,shipped,TRK-9,,,",
            "ST-2,,shipped,TRK-2,,,",
            `,${st1.display_id},delivered,,,,`,
            "ST-1,,teleported,,,,",
          ].join("\n") + "\n"
        )
        const { data: created } = await api.post(
          "/admin/status-imports",
          { name: "Warehouse statuses", description: "From the 3PL", enabled: true, interval_minutes: 15, source: { type: "directory", path: dir }, format: "csv" },
          auth
        )
        const config = created.status_import
        expect(config).toMatchObject({ name: "Warehouse statuses", format: "csv", interval_minutes: 15, source: { type: "directory", path: dir } })

        const { data } = await api.post(`/admin/status-imports/${config.id}/run`, {}, auth)
        const run = data.run
        expect(run.errors.map((e: any) => [e.row, e.code, e.order, e.code === "impossible_transition" || e.code === "unknown_order" || e.code === "invalid_row" ? "" : e.message])).toEqual([
          [4, "unknown_order", "NOPE-9", ""],
          [5, "impossible_transition", "ST-2", ""],
          [7, "invalid_row", null, ""],
        ])
        expect(run).toMatchObject({ status: "partial", processed: 7, applied: 4, failed: 3 })
        expect(run.errors[1].message).toMatch(/canceled/)
        // The file had bad rows: it went to failed/, beside a report naming each.
        expect(filesIn(dir)).toEqual(["failed"])
        expect(filesIn(path.join(dir, "failed"))).toEqual(["statuses.csv", "statuses.csv.errors.csv"])
        const report = parse(fs.readFileSync(path.join(dir, "failed", "statuses.csv.errors.csv")), { columns: true }) as any[]
        expect(report.map((r) => [r.row, r.code])).toEqual([["4", "unknown_order"], ["5", "impossible_transition"], ["7", "invalid_row"]])

        // ST-1: shipped with the tracking number, then delivered.
        const o1 = await adminOrder(api, auth, cos["ST-1"].order_id)
        expect(o1.fulfillment_status).toBe("delivered")
        const f1 = o1.fulfillments.find((f: any) => f.metadata?.source === "status_import")
        expect(f1).toBeTruthy()
        // ST-2 canceled, ST-3 held instead.
        expect((await adminOrder(api, auth, cos["ST-2"].order_id)).status).toBe("canceled")
        expect((await adminOrder(api, auth, cos["ST-3"].order_id)).status).not.toBe("canceled")
        const panel = (await api.get(`/admin/orders/${cos["ST-3"].order_id}/channel`, auth)).data
        expect(panel.holds.map((h: any) => h.reason)).toEqual(["marketplace_canceled"])

        // The shipment queued marketplace feedback, and the delivery pass sent it to the sandbox.
        const row = await feedbackFor(getContainer(), f1.id)
        expect(row).toMatchObject({ kind: "shipment", carrier_code: "DHL", tracking_numbers: ["1Z999AA10000000001"] })
        expect(row.items).toEqual([expect.objectContaining({ external_item_id: "ST-1-L1", quantity: 2 })])
        await deliverNow(getContainer())
        const sent = sandbox().confirmations.filter((c) => c.channel_id === channelId && c.shipment.external_order_id === "ST-1")
        expect(sent).toHaveLength(1)
        expect(sent[0].shipment.tracking_numbers).toEqual(["1Z999AA10000000001"])

        // Each order's timelines say what the import did.
        const t1 = await transfersOf(cos["ST-1"].order_id)
        expect(t1.timeline.map((e: any) => e.data.outcome)).toEqual(["shipped", "delivered"])
        expect((await channelTimeline(cos["ST-3"].order_id)).some((e) => e.type === "status_imported" && /hold/.test(e.message))).toBe(true)

        // A clean file goes to processed/; the runs list shows both runs.
        fs.writeFileSync(path.join(dir, "more.csv"), "display_id,status\n" + `${st1.display_id},delivered\n`)
        const second = (await api.post(`/admin/status-imports/${config.id}/run`, {}, auth)).data.run
        expect(second).toMatchObject({ status: "succeeded", processed: 1, applied: 1, failed: 0 })
        expect(filesIn(path.join(dir, "processed"))).toEqual(["more.csv"])
        const runs = (await api.get(`/admin/status-imports/${config.id}/runs`, auth)).data
        expect(runs.count).toBe(2)
        expect(runs.runs[0].files[0]).toMatchObject({ name: "more.csv", rows: 1, applied: 1 })
      })

      it("reads JSON Lines, and a missing source directory is a clear run error", async () => {
        const cos = await importOrders([["SJ-1", [["SOCKS-M", 1]]]])
        const dir = tmp("jsonl")
        // The file's carrier is mapped by its name when the channel maps it (before the shipping option's carrier).
        await api.post(`/admin/channels/${channelId}`, { settings: { carrier_mapping: { Hermes: "Other|Hermes Germany" } } }, auth)
        fs.writeFileSync(path.join(dir, "s.jsonl"), JSON.stringify({ external_id: "SJ-1", status: "shipped", tracking_number: "TJ-1", carrier: "Hermes", items: [{ sku: "SOCKS-M", quantity: 1 }] }) + "\n")
        const { data } = await api.post("/admin/status-imports", { name: "JSONL", enabled: false, source: { type: "directory", path: dir }, format: "jsonl" }, auth)
        const run = (await api.post(`/admin/status-imports/${data.status_import.id}/run`, {}, auth)).data.run
        expect(run).toMatchObject({ status: "succeeded", applied: 1 })
        const shipped = await adminOrder(api, auth, cos["SJ-1"].order_id)
        expect(shipped.fulfillment_status).toBe("shipped")
        expect(await feedbackFor(getContainer(), shipped.fulfillments[0].id)).toMatchObject({ carrier_code: "Other", carrier_name: "Hermes Germany", tracking_numbers: ["TJ-1"] })

        await api.post(`/admin/status-imports/${data.status_import.id}`, { source: { type: "directory", path: path.join(dir, "missing") } }, auth)
        const failed = (await api.post(`/admin/status-imports/${data.status_import.id}/run`, {}, auth)).data.run
        expect(failed).toMatchObject({ status: "failed", error_code: "location_not_found" })
        expect(failed.error).toBeTruthy()
      })
    })

    describe("order exports", () => {
      it("with status updates: each order once, in a file whose amounts are Medusa's; without: everything every run", async () => {
        const cos = await importOrders([
          ["EX-1", [["TSHIRT-M", 2, 19.9], ["HOODIE-L", 1, 49]]],
          ["EX-2", [["JACKET-M", 1, 89]]],
        ])
        const dir = tmp("export")
        const { data: created } = await api.post(
          "/admin/order-exports",
          { name: "ERP export", enabled: true, destination: { type: "directory", path: dir }, format: "csv", conditions: { channel_ids: [channelId] } },
          auth
        )
        const erp = created.order_export
        expect(erp).toMatchObject({ status_updates: true, format: "csv", destination: { type: "directory", path: dir }, conditions: { channel_ids: [channelId] } })

        const first = (await api.post(`/admin/order-exports/${erp.id}/run`, {}, auth)).data.run
        expect(first).toMatchObject({ status: "succeeded", exported: 2, failed: 0 })
        expect(first.file).toMatch(/erp-export-.*\.csv$/)
        expect(filesIn(dir)).toEqual([path.basename(first.file)])
        const rows = parse(fs.readFileSync(first.file), { columns: true }) as any[]
        expect(rows.map((r) => r.external_id).sort()).toEqual(["EX-1", "EX-2"])
        for (const r of rows) {
          const order = await totalsOf(r.order_id)
          expect(Number(r.display_id)).toBe(order.display_id)
          for (const k of ["total", "subtotal", "tax_total", "shipping_total", "discount_total"]) expect({ k, v: Number(r[k]) }).toEqual({ k, v: Number(order[k]) })
        }
        expect(rows.find((r) => r.external_id === "EX-1")).toMatchObject({ channel: "Sandbox", item_count: "3", currency_code: "eur" })

        // Nothing new: no second export of the same orders, and no file.
        const second = (await api.post(`/admin/order-exports/${erp.id}/run`, {}, auth)).data.run
        expect(second).toMatchObject({ status: "succeeded", exported: 0, file: null })
        // A new order is exported alone.
        const more = await importOrders([["EX-3", [["CAP-M", 1, 22]]]])
        const third = (await api.post(`/admin/order-exports/${erp.id}/run`, {}, auth)).data.run
        expect(third.exported).toBe(1)
        expect((parse(fs.readFileSync(third.file), { columns: true }) as any[]).map((r) => r.external_id)).toEqual(["EX-3"])

        // Each order says when and in which file.
        const t = await transfersOf(cos["EX-1"].order_id)
        expect(t.exports).toEqual([expect.objectContaining({ order_export_id: erp.id, order_export_name: "ERP export", state: "exported", file: first.file })])
        expect(t.timeline[0]).toMatchObject({ type: "exported" })
        expect(t.timeline[0].message).toContain(first.file)
        expect((await channelTimeline(more["EX-3"].order_id)).find((e) => e.type === "exported").message).toContain(third.file)

        // Status updates off (BI): every run exports everything that matches, and no order is marked.
        const biDir = tmp("bi")
        const bi = (
          await api.post(
            "/admin/order-exports",
            { name: "BI", enabled: true, destination: { type: "directory", path: biDir }, format: "json", conditions: { channel_ids: [channelId] }, status_updates: false },
            auth
          )
        ).data.order_export
        const r1 = (await api.post(`/admin/order-exports/${bi.id}/run`, {}, auth)).data.run
        const r2 = (await api.post(`/admin/order-exports/${bi.id}/run`, {}, auth)).data.run
        expect([r1.exported, r2.exported]).toEqual([3, 3])
        expect(r1.file).not.toBe(r2.file)
        const json = JSON.parse(fs.readFileSync(r2.file, "utf8")) as any[]
        const ex1 = json.find((o) => o.external_id === "EX-1")
        const ex1Order = await totalsOf(cos["EX-1"].order_id)
        expect(ex1.total).toBe(Number(ex1Order.total))
        expect(ex1.items.map((i: any) => [i.sku, i.quantity, i.unit_price]).sort()).toEqual([["HOODIE-L", 1, 49], ["TSHIRT-M", 2, 19.9]])
        expect((await transfersOf(cos["EX-1"].order_id)).exports.map((e: any) => e.order_export_id)).toEqual([erp.id])

        // The line-per-item CSV: one row per line, the lines adding up to the order's item amounts.
        const itemsDir = tmp("items")
        const lines = (
          await api.post("/admin/order-exports", { name: "Lines", enabled: true, destination: { type: "directory", path: itemsDir }, format: "csv_items", conditions: { channel_ids: [channelId] }, status_updates: false }, auth)
        ).data.order_export
        const lr = (await api.post(`/admin/order-exports/${lines.id}/run`, {}, auth)).data.run
        const itemRows = parse(fs.readFileSync(lr.file), { columns: true }) as any[]
        expect(itemRows).toHaveLength(4)
        const ex1Lines = itemRows.filter((r) => r.external_id === "EX-1")
        expect(ex1Lines.map((r) => [r.sku, r.quantity, r.unit_price]).sort()).toEqual([["HOODIE-L", "1", "49"], ["TSHIRT-M", "2", "19.9"]])
        const itemTotals = ex1Order.items.reduce((n: number, i: any) => n + Number(i.total), 0)
        expect(ex1Lines.reduce((n, r) => n + Number(r.line_total), 0)).toBeCloseTo(itemTotals, 6)

        // Conditions: tags and hold.
        await api.post(`/admin/orders/${cos["EX-2"].order_id}/tags`, { tags: ["wholesale"] }, auth)
        const tagged = (
          await api.post("/admin/order-exports", { name: "Tagged", enabled: true, destination: { type: "directory", path: tmp("tag") }, format: "jsonl", conditions: { tags: ["Wholesale"], hold: "not_on_hold" }, status_updates: false }, auth)
        ).data.order_export
        const tr = (await api.post(`/admin/order-exports/${tagged.id}/run`, {}, auth)).data.run
        expect(tr.exported).toBe(1)
        expect(JSON.parse(fs.readFileSync(tr.file, "utf8").trim()).external_id).toBe("EX-2")
      })

      it("a destination that cannot be written marks the orders export_failed with the reason; the next run exports them", async () => {
        const cos = await importOrders([["EF-1", [["TOTE-M", 1]]], ["EF-2", [["BEANIE-M", 1]]]])
        const dir = tmp("fail")
        const missing = path.join(dir, "not-there")
        const config = (
          await api.post("/admin/order-exports", { name: "Broken", enabled: true, destination: { type: "directory", path: missing }, format: "csv", conditions: { channel_ids: [channelId] } }, auth)
        ).data.order_export
        const run = (await api.post(`/admin/order-exports/${config.id}/run`, {}, auth)).data.run
        expect(run).toMatchObject({ status: "failed", exported: 0, failed: 2, file: null, error_code: "location_not_found" })
        expect(run.error).toBeTruthy()
        const t = await transfersOf(cos["EF-1"].order_id)
        expect(t.exports).toEqual([expect.objectContaining({ state: "export_failed", error: run.error, file: null })])
        expect(t.timeline.map((e: any) => e.type)).toEqual(["export_failed"])

        await api.post(`/admin/order-exports/${config.id}`, { destination: { type: "directory", path: dir } }, auth)
        const again = (await api.post(`/admin/order-exports/${config.id}/run`, {}, auth)).data.run
        expect(again).toMatchObject({ status: "succeeded", exported: 2 })
        expect((await transfersOf(cos["EF-2"].order_id)).exports).toEqual([expect.objectContaining({ state: "exported", file: again.file, error: null })])
        const runs = (await api.get(`/admin/order-exports/${config.id}/runs`, auth)).data
        expect(runs.runs.map((r: any) => r.status)).toEqual(["succeeded", "failed"])
      })

      it("crash safety and concurrency: a run a dead process left is settled from the destination, and a second run of the same export is refused", async () => {
        const cos = await importOrders([["CR-1", [["TSHIRT-S", 1]]], ["CR-2", [["HOODIE-S", 1]]], ["CR-3", [["CAP-S", 1]]]])
        const dir = tmp("crash")
        const config = (
          await api.post("/admin/order-exports", { name: "Crash", enabled: true, destination: { type: "directory", path: dir }, format: "jsonl", conditions: { channel_ids: [channelId], since_last_export: "created" } }, auth)
        ).data.order_export
        // A process died while exporting CR-1 and CR-2: CR-1's file had been written (it is at the
        // destination), CR-2's had not.
        const transfers = getContainer().resolve(ORDER_TRANSFER_MODULE) as any
        fs.writeFileSync(path.join(dir, "crash-written.jsonl"), "{}\n")
        const dead = await transfers.createTransferRuns({ kind: "order_export", configuration_id: config.id, trigger: "schedule", status: "running", started_at: new Date() })
        await transfers.createOrderExportRecords([
          { order_export_id: config.id, order_id: cos["CR-1"].order_id, run_id: dead.id, state: "exporting", file: path.join(dir, "crash-written.jsonl") },
          { order_export_id: config.id, order_id: cos["CR-2"].order_id, run_id: dead.id, state: "exporting", file: path.join(dir, "crash-lost.jsonl") },
        ])
        // While another instance holds the export's lock, Run answers 409.
        const locking = getContainer().resolve(Modules.LOCKING) as any
        await locking.acquire(transferLockKey(config.id), { ownerId: "other-instance", expire: 60 })
        await expect(api.post(`/admin/order-exports/${config.id}/run`, {}, auth)).rejects.toMatchObject({ response: { status: 409 } })
        await locking.release(transferLockKey(config.id), { ownerId: "other-instance" })

        const run = (await api.post(`/admin/order-exports/${config.id}/run`, {}, auth)).data.run
        expect(run).toMatchObject({ status: "succeeded", exported: 2 })
        const written = fs.readFileSync(run.file, "utf8").trim().split("\n").map((l) => JSON.parse(l).external_id)
        expect(written.sort()).toEqual(["CR-2", "CR-3"])
        expect((await transfersOf(cos["CR-1"].order_id)).exports[0]).toMatchObject({ state: "exported", file: path.join(dir, "crash-written.jsonl") })
        const runs = (await api.get(`/admin/order-exports/${config.id}/runs`, auth)).data.runs
        expect(runs.find((r: any) => r.id === dead.id)).toMatchObject({ status: "failed", error_code: "interrupted" })

        // "Created since the last export": an order imported before it is not taken again even by a BI export.
        await api.post(`/admin/order-exports/${config.id}`, { status_updates: false }, auth)
        expect((await api.post(`/admin/order-exports/${config.id}/run`, {}, auth)).data.run.exported).toBe(0)
        await importOrders([["CR-4", [["SOCKS-S", 1]]]])
        const next = (await api.post(`/admin/order-exports/${config.id}/run`, {}, auth)).data.run
        expect(next.exported).toBe(1)
        expect(JSON.parse(fs.readFileSync(next.file, "utf8").trim()).external_id).toBe("CR-4")

        // Fulfilment status: only shipped orders.
        await shipThroughAdmin(api, auth, store, cos["CR-3"].order_id)
        const shippedOnly = (
          await api.post("/admin/order-exports", { name: "Shipped", enabled: true, destination: { type: "directory", path: tmp("shipped") }, format: "jsonl", conditions: { channel_ids: [channelId], fulfillment_statuses: ["shipped"] }, status_updates: false }, auth)
        ).data.order_export
        const sr = (await api.post(`/admin/order-exports/${shippedOnly.id}/run`, {}, auth)).data.run
        expect(sr.exported).toBe(1)
        expect(JSON.parse(fs.readFileSync(sr.file, "utf8").trim())).toMatchObject({ external_id: "CR-3", fulfillment_status: "shipped" })
      })

      it("the API: list and detail shapes, strict bodies, 404s, write-only secrets", async () => {
        const body = { name: "SFTP ERP", enabled: false, destination: { type: "sftp", host: "127.0.0.1", port: 2222, username: "erp", path: "/in", password: "s3cret-pw" }, format: "csv_items", conditions: {} }
        const created = (await api.post("/admin/order-exports", body, auth)).data.order_export
        expect(created).toMatchObject({ status_updates: true, has_credentials: true, credentials_status: "set", destination: { type: "sftp", host: "127.0.0.1", port: 2222, username: "erp", path: "/in" } })
        expect(JSON.stringify(created)).not.toContain("s3cret-pw")
        const list = (await api.get("/admin/order-exports", auth)).data
        expect(list).toMatchObject({ count: 1, offset: 0, limit: 50 })
        expect(JSON.stringify(list)).not.toContain("s3cret-pw")
        expect((await api.get(`/admin/order-exports/${created.id}`, auth)).data.order_export.id).toBe(created.id)

        // Moving to another server without its secret is refused; with credentials it is accepted.
        await expect(api.post(`/admin/order-exports/${created.id}`, { destination: { ...body.destination, host: "10.0.0.9", password: undefined } }, auth)).rejects.toMatchObject({ response: { status: 400 } })
        const moved = (await api.post(`/admin/order-exports/${created.id}`, { destination: { type: "sftp", host: "10.0.0.9", username: "erp", path: "/in" }, credentials: { private_key: "KEY" } }, auth)).data.order_export
        expect(moved).toMatchObject({ has_credentials: true, destination: { host: "10.0.0.9" } })

        for (const [url, bad] of [
          ["/admin/order-exports", { ...body, surprise: 1 }],
          ["/admin/order-exports", { ...body, format: "xml" }],
          ["/admin/order-exports", { ...body, conditions: { colour: "red" } }],
          ["/admin/status-imports", { name: "x", source: { type: "ftp", path: "/" }, format: "csv" }],
          [`/admin/order-exports/${created.id}`, { status_updates: "yes" }],
        ] as const) {
          await expect(api.post(url, bad, auth)).rejects.toMatchObject({ response: { status: 400 } })
        }
        for (const url of ["/admin/order-exports/oexp_missing", "/admin/status-imports/simp_missing", "/admin/order-exports/oexp_missing/runs"]) {
          await expect(api.get(url, auth)).rejects.toMatchObject({ response: { status: 404 } })
        }
        await expect(api.post("/admin/order-exports/oexp_missing/run", {}, auth)).rejects.toMatchObject({ response: { status: 404 } })

        const si = (await api.post("/admin/status-imports", { name: "URL feed", enabled: true, source: { type: "url", url: "https://erp.example/status.csv" }, credentials: { authorization: "Bearer abc" }, format: "csv" }, auth)).data.status_import
        expect(si).toMatchObject({ has_credentials: true, source: { type: "url", url: "https://erp.example/status.csv" } })
        expect((await api.get("/admin/status-imports", auth)).data).toMatchObject({ count: 1, status_imports: [expect.objectContaining({ id: si.id, last_run: null })] })
        expect((await api.delete(`/admin/status-imports/${si.id}`, auth)).data).toMatchObject({ id: si.id, deleted: true })
        await expect(api.get(`/admin/status-imports/${si.id}`, auth)).rejects.toMatchObject({ response: { status: 404 } })
        expect((await api.delete(`/admin/order-exports/${created.id}`, auth)).data.deleted).toBe(true)
      })

      const sftpIt = sshdAvailable() ? it : it.skip
      sftpIt("exports to an SFTP server with a private key", async () => {
        const server = await startSftpServer()
        try {
          await importOrders([["SF-1", [["LINEN-M", 1]]]])
          const folder = server.folder("erp-in")
          const config = (
            await api.post(
              "/admin/order-exports",
              {
                name: "SFTP",
                enabled: true,
                destination: { type: "sftp", host: server.host, port: server.port, username: server.username, path: folder, host_key_fingerprint: server.host_key_fingerprint },
                credentials: { private_key: server.private_key },
                format: "json",
                conditions: { channel_ids: [channelId] },
              },
              auth
            )
          ).data.order_export
          const run = (await api.post(`/admin/order-exports/${config.id}/run`, {}, auth)).data.run
          expect(run).toMatchObject({ status: "succeeded", exported: 1 })
          const written = filesIn(folder)
          expect(written).toHaveLength(1)
          expect(JSON.parse(fs.readFileSync(path.join(folder, written[0]), "utf8")).map((o: any) => o.external_id)).toEqual(["SF-1"])
          expect(JSON.stringify((await api.get(`/admin/order-exports/${config.id}`, auth)).data)).not.toContain("PRIVATE KEY")
        } finally {
          await server.stop()
        }
      })
    })
  },
})
