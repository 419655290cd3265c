import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { Modules } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { seedStore, type SeededStore } from "../../src/scripts/seed-store"
import { adminHeaders } from "../helpers/admin"
import { adminOrder, channelOrder, channelSettings, countOrdersWithExternalId, runImport } from "../helpers/channel-fixtures"
import { startSftpServer, type SftpTestServer } from "../helpers/sftp-server"
import { Readable } from "node:stream"
import { FileTransferError, openFileTransport } from "../../src/file-transfer"
import { orderMoney } from "../helpers/tax-store"
import { defaultCsv, defaultOrderRows, shopifyCsv, shopifyOrder, shopifyOrderRows } from "../../src/providers/file/__tests__/fixtures"

// Runs are started explicitly below: the scheduled pull must not read the files first.
process.env.CHANNEL_ORDERS_SCHEDULED_PULLS = "off"
process.env.CHANNEL_FEEDBACK_DELIVERY = "off"

jest.setTimeout(300_000)

/**
 * Issue 19, section 1: order files as a channel (provider `file`), from a local directory and from a
 * real OpenSSH server over SFTP, through the same pipeline as a marketplace pull. Everything goes
 * through the admin API as a merchant would.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let auth: any
    let sftp: SftpTestServer
    let tmp: string
    let sku: string[]

    beforeAll(async () => {
      store = await seedStore(getContainer(), { withAdmin: true })
      sftp = await startSftpServer()
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), "file-channel-"))
      sku = store.variants.filter((v) => v.stocked >= 50).map((v) => v.sku)
    })

    afterAll(async () => {
      await sftp?.stop()
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
    })

    beforeEach(async () => {
      auth = await adminHeaders(api, getContainer())
    })

    const folder = (name: string) => {
      const p = path.join(tmp, `${name}-${Math.random().toString(36).slice(2, 8)}`)
      fs.mkdirSync(p)
      return p
    }

    const createFileChannel = async (name: string, settings: Record<string, unknown>, credentials?: Record<string, unknown>) => {
      const res = await api.post(
        "/admin/channels",
        {
          name,
          provider: "file",
          ...(credentials ? { credentials } : {}),
          settings: channelSettings(store, { default_shipping_option_id: store.shipping_options.standard, ...settings }),
        },
        auth
      )
      expect(res.status).toBe(201)
      return res.data.channel as { id: string; settings: Record<string, any> }
    }

    const orderCount = async () => (await getContainer().resolve(Modules.ORDER).listOrders({}, { select: ["id"], take: 100000 })).length

    /** Three orders, the second with a quantity that is no number on its second line (row 4). */
    const fileWithBadRow = (prefix: string) =>
      defaultCsv([
        ...defaultOrderRows(`${prefix}-1`, [[sku[0], "2", "19.99", "0"]]),
        ...defaultOrderRows(`${prefix}-2`, [
          [sku[1], "1", "10.00"],
          [sku[2], "two", "5.00"],
        ]),
        ...defaultOrderRows(`${prefix}-3`, [
          [sku[1], "1", "8.405"],
          [sku[2], "3", "12.10"],
        ]),
      ])

    /** What both sources must show after the file with a bad row was read. */
    const expectBadRowOutcome = async (channelId: string, prefix: string, run: any) => {
      expect(run).toMatchObject({ status: "succeeded", imported: 2, failed: 1 })
      const bad = await channelOrder(api, auth, channelId, `${prefix}-2`)
      expect(bad).toMatchObject({ state: "failed", error_code: "invalid_payload" })
      expect(bad.error_data).toMatchObject({ file: "orders.csv", row: 4, column: "quantity" })
      expect(bad.error_message).toContain("row 4")
      for (const id of [`${prefix}-1`, `${prefix}-3`]) {
        const co = await channelOrder(api, auth, channelId, id)
        expect(co).toMatchObject({ state: "imported", action: "import_as_valid" })
      }
      // Money as written: 8.405 × 1 + 12.10 × 3 + 4.90 shipping, nothing rounded on the way.
      const three = await channelOrder(api, auth, channelId, `${prefix}-3`)
      const money = await orderMoney(api, auth, three.order_id)
      expect(money.total).toBeCloseTo(49.605, 10)
      expect(money.shipping_total).toBeCloseTo(4.9, 10)
    }

    const readReport = (text: string) => text.trim().split("\n")

    describe("from a directory", () => {
      it("a bad row fails only its own order; the file goes to failed/ with a report; read again, nothing is imported twice", async () => {
        const dir = folder("dir")
        const channel = await createFileChannel("Files (directory)", { source: { type: "directory", path: dir }, format: "csv", layout: "default" })
        expect(channel.settings).toMatchObject({ source: { type: "directory", path: dir }, format: "csv", layout: "default" })
        fs.writeFileSync(path.join(dir, "orders.csv"), fileWithBadRow("FD"))

        const run = await runImport(api, auth, channel.id)
        await expectBadRowOutcome(channel.id, "FD", run)
        expect(fs.readdirSync(dir).sort()).toEqual(["failed"])
        expect(fs.readdirSync(path.join(dir, "failed")).sort()).toEqual(["orders.csv", "orders.csv.errors.csv"])
        const report = readReport(fs.readFileSync(path.join(dir, "failed", "orders.csv.errors.csv"), "utf8"))
        expect(report[0]).toBe("row,column,order,reason")
        expect(report.slice(1)).toEqual([`4,quantity,FD-2,"""two"" is not a whole number"`])

        // The same file copied back: staged again, imported nothing twice.
        const before = await orderCount()
        fs.copyFileSync(path.join(dir, "failed", "orders.csv"), path.join(dir, "orders.csv"))
        const again = await runImport(api, auth, channel.id)
        expect(again).toMatchObject({ status: "succeeded", imported: 0, fetched: 3 })
        expect(await orderCount()).toBe(before)
        expect(await countOrdersWithExternalId(getContainer(), "FD-1")).toBe(1)
        expect(fs.readdirSync(path.join(dir, "failed")).length).toBe(4)

        // A clean file lands in processed/.
        fs.writeFileSync(path.join(dir, "more.csv"), defaultCsv(defaultOrderRows("FD-9", [[sku[0], "1", "19.99"]])))
        const third = await runImport(api, auth, channel.id)
        expect(third).toMatchObject({ status: "succeeded", imported: 1, failed: 0 })
        expect(fs.readdirSync(path.join(dir, "processed"))).toEqual(["more.csv"])
      })

      it("a missing directory is a clear run error, not a crash", async () => {
        const channel = await createFileChannel("Files (missing)", { source: { type: "directory", path: path.join(tmp, "no-such-dir") }, format: "csv" })
        const run = await runImport(api, auth, channel.id)
        expect(run).toMatchObject({ status: "failed", error_code: "location_not_found" })
        expect(run.error).toMatch(/no-such-dir does not exist/)
      })

      it("a custom column mapping naming unknown fields is refused with 400 naming them", async () => {
        const res = await api
          .post(
            "/admin/channels",
            {
              name: "Bad mapping",
              provider: "file",
              settings: channelSettings(store, { source: { type: "directory", path: tmp }, format: "csv", layout: { columns: { order_id: "Nr", colour: "Farbe" } } }),
            },
            auth
          )
          .catch((e: any) => e.response)
        expect(res.status).toBe(400)
        expect(res.data.message).toMatch(/colour/)
      })
    })

    describe("from SFTP (a real OpenSSH server)", () => {
      it("reads with a private key; a bad row, failed/ with its report, and a re-read file imports nothing twice", async () => {
        const remote = sftp.folder("inbox")
        const source = { type: "sftp", host: sftp.host, port: sftp.port, username: sftp.username, path: remote, host_key_fingerprint: sftp.host_key_fingerprint }
        const channel = await createFileChannel("Files (SFTP)", { source, format: "csv", layout: "default" }, { private_key: sftp.private_key })
        // Write-only: the key is never returned.
        const shown = await api.get(`/admin/channels/${channel.id}`, auth)
        expect(JSON.stringify(shown.data)).not.toContain("PRIVATE KEY")
        fs.writeFileSync(path.join(remote, "orders.csv"), fileWithBadRow("FS"))

        const run = await runImport(api, auth, channel.id)
        await expectBadRowOutcome(channel.id, "FS", run)
        expect(fs.readdirSync(path.join(remote, "failed")).sort()).toEqual(["orders.csv", "orders.csv.errors.csv"])
        expect(fs.readFileSync(path.join(remote, "failed", "orders.csv.errors.csv"), "utf8")).toContain("4,quantity,FS-2")

        const before = await orderCount()
        fs.copyFileSync(path.join(remote, "failed", "orders.csv"), path.join(remote, "orders.csv"))
        const again = await runImport(api, auth, channel.id)
        expect(again).toMatchObject({ status: "succeeded", imported: 0 })
        expect(await orderCount()).toBe(before)
        expect(await countOrdersWithExternalId(getContainer(), "FS-3")).toBe(1)

        fs.writeFileSync(path.join(remote, "clean.csv"), defaultCsv(defaultOrderRows("FS-9", [[sku[0], "1", "19.99"]])))
        expect(await runImport(api, auth, channel.id)).toMatchObject({ status: "succeeded", imported: 1 })
        expect(fs.readdirSync(path.join(remote, "processed"))).toEqual(["clean.csv"])
      })

      it("a refused login (wrong key, wrong password) and a missing remote folder are clear run errors", async () => {
        const remote = sftp.folder("refused")
        fs.writeFileSync(path.join(remote, "orders.csv"), fileWithBadRow("FX"))
        const source = { type: "sftp", host: sftp.host, port: sftp.port, username: sftp.username, path: remote }
        const wrongKey = await createFileChannel("SFTP wrong key", { source }, { private_key: sftp.wrong_private_key })
        const r1 = await runImport(api, auth, wrongKey.id)
        expect(r1).toMatchObject({ status: "failed", error_code: "auth_failed" })
        expect(r1.error).toMatch(/login was refused/)
        expect(r1.error).not.toContain("PRIVATE KEY")

        const wrongPassword = await createFileChannel("SFTP wrong password", { source }, { password: "not-the-password-123" })
        const r2 = await runImport(api, auth, wrongPassword.id)
        expect(r2).toMatchObject({ status: "failed", error_code: "auth_failed" })
        expect(r2.error).not.toContain("not-the-password-123")

        const missing = await createFileChannel("SFTP missing folder", { source: { ...source, path: `${remote}/nope` } }, { private_key: sftp.private_key })
        expect(await runImport(api, auth, missing.id)).toMatchObject({ status: "failed", error_code: "location_not_found" })

        const closed = await createFileChannel("SFTP closed port", { source: { ...source, port: 1 } }, { private_key: sftp.private_key })
        expect(await runImport(api, auth, closed.id)).toMatchObject({ status: "failed", error_code: "unreachable" })
        // Nothing was read: the file is still waiting.
        expect(fs.readdirSync(remote)).toEqual(["orders.csv"])
      })

      it("stored credentials never follow the source to another server: a changed host or user needs them again", async () => {
        const remote = sftp.folder("moved")
        const source = { type: "sftp", host: sftp.host, port: sftp.port, username: sftp.username, path: remote }
        const channel = await createFileChannel("SFTP moved", { source }, { private_key: sftp.private_key })
        const update = (body: Record<string, unknown>) => api.post(`/admin/channels/${channel.id}`, body, auth).catch((e: any) => e.response)

        for (const moved of [{ ...source, host: "files.example.com" }, { ...source, username: "someone-else" }, { ...source, port: 2222 }]) {
          const res = await update({ settings: { source: moved } })
          expect(res.status).toBe(400)
          expect(res.data.message).toMatch(/settings\.source requires entering the credentials again/)
        }
        const stored = await api.get(`/admin/channels/${channel.id}`, auth)
        expect(stored.data.channel.settings.source).toMatchObject({ host: sftp.host, port: sftp.port, username: sftp.username })

        // Another folder on the same server keeps the stored key; a new server with its key is accepted.
        expect((await update({ settings: { source: { ...source, path: sftp.folder("moved-2") } } })).status).toBe(200)
        const withKey = await update({ settings: { source: { ...source, port: 2222 } }, credentials: { private_key: sftp.private_key } })
        expect(withKey.status).toBe(200)
      })
    })

    describe("the shared SFTP transport", () => {
      it("lists, reads, writes atomically (replacing), moves, and refuses a wrong host key", async () => {
        const remote = sftp.folder("transport")
        fs.writeFileSync(path.join(remote, "in.csv"), "a,b\n")
        const location = { type: "sftp" as const, host: sftp.host, port: sftp.port, username: sftp.username, path: remote, host_key_fingerprint: sftp.host_key_fingerprint }
        const t = await openFileTransport(location, { private_key: sftp.private_key })
        try {
          expect((await t.list()).map((f) => f.name)).toEqual(["in.csv"])
          let text = ""
          for await (const c of await t.read("in.csv")) text += c
          expect(text).toBe("a,b\n")
          await t.write("out.csv", Readable.from(["x,", "y\n"]))
          await t.write("out.csv", "replaced\n")
          expect(fs.readFileSync(path.join(remote, "out.csv"), "utf8")).toBe("replaced\n")
          expect((await t.move("in.csv", "processed")).path).toBe(`${remote}/processed/in.csv`)
          expect(fs.readdirSync(remote).sort()).toEqual(["out.csv", "processed"])
          await expect(t.read("gone.csv")).rejects.toMatchObject({ code: "location_not_found" })
        } finally {
          await t.close()
        }
        await expect(openFileTransport({ ...location, host_key_fingerprint: "SHA256:AAAA" }, { private_key: sftp.private_key })).rejects.toMatchObject({
          code: "host_key_mismatch",
        })
        const refused = await openFileTransport(location, { password: "secret-password-xyz" }).catch((e) => e)
        expect(refused).toBeInstanceOf(FileTransferError)
        expect(refused.code).toBe("auth_failed")
        expect(refused.message).not.toContain("secret-password-xyz")
      })
    })

    describe("a Shopify export", () => {
      it("imports a store's order history: fulfilled + paid as history, with Shopify's tags and exactly Shopify's totals", async () => {
        const dir = folder("shopify")
        const channel = await createFileChannel("Shopify history", { source: { type: "directory", path: dir }, format: "csv", layout: "shopify" })
        const csv = shopifyCsv([
          // Tax-exclusive: 39.80 + 10.00 + 4.90 shipping + 10.39 tax = 65.09.
          ...shopifyOrderRows(
            shopifyOrder("#1001", { Subtotal: "49.80", Shipping: "4.90", Taxes: "10.39", Total: "65.09", Tags: "wholesale, VIP", Notes: "Ring twice,\nthen wait", "Billing Name": "Grace Hopper" }),
            [
              { name: "T-Shirt, size M", quantity: " 2 ", price: "19.90", sku: sku[0] },
              { name: "Mug", quantity: "1", price: "10.00", sku: sku[1] },
            ]
          ),
          // Tax-inclusive (Total = Subtotal + Shipping), with a discount code.
          ...shopifyOrderRows(
            shopifyOrder("#1002", {
              Subtotal: "27.00",
              Shipping: "3.00",
              Taxes: "4.79",
              Total: "30.00",
              "Discount Code": "WELCOME10",
              "Discount Amount": "3.00",
              Tags: "Migrated",
              "Tax 1 Name": "DE MwSt 19%",
              "Tax 1 Value": "4.79",
            }),
            [
              { name: "Cap", quantity: "1", price: "20.00", sku: sku[2] },
              { name: "Tote", quantity: "1", price: "10.00", sku: sku[3] },
            ]
          ),
          // Paid, not shipped: a current order.
          ...shopifyOrderRows(shopifyOrder("#1003", { "Fulfillment Status": "unfulfilled", "Fulfilled at": "", Subtotal: "19.90", Shipping: "0.00", Taxes: "0.00", Total: "19.90" }), [
            { name: "T-Shirt", quantity: "1", price: "19.90", sku: sku[0], fulfillment: "" },
          ]),
        ])
        fs.writeFileSync(path.join(dir, "orders_export_1.csv"), csv)

        const run = await runImport(api, auth, channel.id)
        expect(run).toMatchObject({ status: "succeeded", imported: 3, failed: 0 })
        expect(fs.readdirSync(path.join(dir, "processed"))).toEqual(["orders_export_1.csv"])

        const a = await channelOrder(api, auth, channel.id, "#1001")
        expect(a).toMatchObject({ state: "imported", external_status: "shipped", action: "import_as_history" })
        const order = await adminOrder(api, auth, a.order_id)
        expect(order).toMatchObject({ status: "completed", payment_status: "captured", fulfillment_status: "shipped" })
        const money = await orderMoney(api, auth, a.order_id)
        expect(money.total).toBe(65.09)
        expect(money.tax_total).toBe(10.39)
        expect(money.order.items.map((i: any) => [i.variant_sku, Number(i.unit_price), Number(i.quantity)]).sort()).toEqual(
          [
            [sku[0], 19.9, 2],
            [sku[1], 10, 1],
          ].sort()
        )
        expect(money.order.shipping_methods.map((m: any) => Number(m.amount))).toEqual([4.9])
        const info = (await api.get(`/admin/orders/${a.order_id}/channel`, auth)).data
        expect(info.tags.map((t: any) => t.value).sort()).toEqual(["VIP", "wholesale"])

        const b = await channelOrder(api, auth, channel.id, "#1002")
        expect(b).toMatchObject({ state: "imported", action: "import_as_history" })
        const moneyB = await orderMoney(api, auth, b.order_id)
        expect(moneyB.total).toBe(30)
        expect(moneyB.tax_total).toBe(4.79)
        expect(moneyB.discount_total).toBe(3)
        expect((await api.get(`/admin/orders/${b.order_id}/channel`, auth)).data.tags.map((t: any) => t.value)).toEqual(["Migrated"])

        const c = await channelOrder(api, auth, channel.id, "#1003")
        expect(c).toMatchObject({ state: "imported", external_status: "paid", action: "import_as_valid" })
        expect((await adminOrder(api, auth, c.order_id)).fulfillment_status).toBe("not_fulfilled")
      })
    })
  },
})
