import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { completeOrderWorkflow, createOrderFulfillmentWorkflow, createOrderShipmentWorkflow } from "@medusajs/medusa/core-flows"
import { seedStore, type SeededStore } from "../../src/scripts/seed-store"
import { adminHeaders } from "../helpers/admin"
import { adminOrder, channelOrder, channelSettings, createSandboxChannel, inject, runImport, sandboxOrder, setRules } from "../helpers/channel-fixtures"

jest.setTimeout(240_000)

/**
 * Issue 17, items 5–7: unknown settings and credential keys are refused (400 naming them), a rule
 * may not overwrite the plugin's own order metadata, and holds are enforced in Medusa's core
 * fulfilment, shipment and completion workflows, not only on the admin route.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let auth: any

    beforeAll(async () => {
      store = await seedStore(getContainer(), { withAdmin: true })
    })
    beforeEach(async () => {
      auth = await adminHeaders(api, getContainer())
    })

    const post = (url: string, body: unknown) => api.post(url, body, auth).catch((e: any) => e.response)
    /** A workflow's failure: Medusa rethrows the step's error as it was recorded (a plain object with its message). */
    const failureOf = async (run: Promise<unknown>): Promise<string> => {
      try {
        await run
      } catch (e: any) {
        return String(e?.message ?? e)
      }
      return "(no failure)"
    }

    describe("unknown keys (item 5)", () => {
      it("creating a channel with a misspelt setting or credential answers 400 naming each key; nothing is created", async () => {
        const before = (await api.get("/admin/channels", auth)).data.count
        const res = await post("/admin/channels", {
          name: "Typo",
          provider: "sandbox",
          credentials: { api_kye: "secret" },
          settings: { ...channelSettings(store), shipping_mappings: { standard: store.shipping_options.standard } },
        })
        expect(res.status).toBe(400)
        expect(res.data.message).toContain("settings.shipping_mappings (did you mean settings.shipping_mapping?)")
        expect(res.data.message).toContain("credentials.api_kye (did you mean credentials.api_key?)")
        expect((await api.get("/admin/channels", auth)).data.count).toBe(before)
      })

      it("a provider's keys are accepted for it and refused for another provider", async () => {
        const amazonKey = await post("/admin/channels", { name: "Sbx", provider: "sandbox", settings: { ...channelSettings(store), marketplace_ids: ["A1PM2CXPQJ5UZJ"] } })
        expect(amazonKey.status).toBe(400)
        expect(amazonKey.data.message).toContain("settings.marketplace_ids")
        const ok = await post("/admin/channels", {
          name: "Sbx",
          provider: "sandbox",
          credentials: { api_key: "k" },
          settings: { ...channelSettings(store), account_id: "acme", page_size: 10, generate_orders_per_minute: 0, sync_marketplace_shipments: true },
        })
        expect(ok.status).toBe(201)
      })

      it("updating a channel with an unknown key answers 400 and stores nothing; known keys still save", async () => {
        const channel = await createSandboxChannel(api, auth, store)
        const typo = await post(`/admin/channels/${channel.id}`, { settings: { lookback_hours: 12, pull_intervall_minutes: 5 } })
        expect(typo.status).toBe(400)
        expect(typo.data.message).toContain("settings.pull_intervall_minutes (did you mean settings.pull_interval_minutes?)")
        const stored = (await api.get(`/admin/channels/${channel.id}`, auth)).data.channel
        expect(stored.settings.lookback_hours).toBe(24)
        expect(stored.settings).not.toHaveProperty("pull_intervall_minutes")

        const creds = await post(`/admin/channels/${channel.id}`, { credentials: { password: "x" } })
        expect(creds.status).toBe(400)
        expect(creds.data.message).toContain("credentials.password")

        const ok = await post(`/admin/channels/${channel.id}`, { settings: { lookback_hours: 12, pull_interval_minutes: 5 } })
        expect(ok.status).toBe(200)
        expect(ok.data.channel.settings).toMatchObject({ lookback_hours: 12, pull_interval_minutes: 5 })
      })

      it("an unknown top-level key of a channel, SKU mapping, hold or dry-run body answers 400 naming it", async () => {
        const channel = await createSandboxChannel(api, auth, store)
        const top = await post(`/admin/channels/${channel.id}`, { setting: { lookback_hours: 1 } })
        expect(top.status).toBe(400)
        expect(top.data.message).toContain("setting")

        const variant = store.variants[0]
        const mapping = await post(`/admin/channels/${channel.id}/sku-mappings`, { external_sku: "MKT-1", variant_id: variant.id, variant_sku: variant.sku })
        expect(mapping.status).toBe(400)
        expect(mapping.data.message).toContain("variant_sku")
        expect((await api.get(`/admin/channels/${channel.id}/sku-mappings`, auth)).data.sku_mappings ?? []).toHaveLength(0)

        const dry = await post("/admin/import-rules/dry-run", { channel_order_id: "chord_x", rules: [] })
        expect(dry.status).toBe(400)
        expect(dry.data.message).toContain("rules")
      })

      it("an unknown key in an import rule's action or condition answers 400 naming it", async () => {
        const res = await post("/admin/import-rules", {
          name: "typo",
          conditions: { all: [{ field: "total", operator: "gt", value: 1, unit: "eur" }] },
          actions: [{ type: "hold", detail: "x", reason: "big" }],
        })
        expect(res.status).toBe(400)
        expect(res.data.message).toContain('conditions.all[0].unit: unexpected key "unit"')
        expect(res.data.message).toContain('actions[0]: Unrecognized key: "reason"')
      })
    })

    describe("reserved metadata keys (item 7)", () => {
      it("a set_metadata action on one of the plugin's own keys is refused when the rule is saved, naming the key", async () => {
        for (const key of ["channel_order_id", "external_id"]) {
          const res = await post("/admin/import-rules", { name: `steal ${key}`, conditions: { all: [] }, actions: [{ type: "set_metadata", key, value: "x" }] })
          expect(res.status).toBe(400)
          expect(res.data.message).toContain(`actions[0].key: "${key}" is a metadata key the plugin writes itself`)
        }
        const rule = (await post("/admin/import-rules", { name: "ok", conditions: { all: [] }, actions: [{ type: "set_metadata", key: "segment", value: "vip" }] })).data.import_rule
        const edit = await post(`/admin/import-rules/${rule.id}`, { actions: [{ type: "set_metadata", key: "channel_id", value: "x" }] })
        expect(edit.status).toBe(400)
        expect(edit.data.message).toContain('"channel_id" is a metadata key the plugin writes itself')
        expect((await api.get(`/admin/import-rules/${rule.id}`, auth)).data.import_rule.actions).toEqual([{ type: "set_metadata", key: "segment", value: "vip" }])
      })

      it("a rule stored before the check cannot overwrite the link back to the marketplace", async () => {
        const channels: any = getContainer().resolve("channel")
        await channels.createImportRules({
          name: "legacy",
          channel_ids: [],
          priority: 0,
          enabled: true,
          conditions: { all: [] },
          actions: [
            { type: "set_metadata", key: "channel_order_id", value: "hijacked" },
            { type: "set_metadata", key: "segment", value: "vip" },
          ],
        })
        const channel = await createSandboxChannel(api, auth, store)
        await setRules(api, auth, channel.id, [["paid", "import_as_valid", true]])
        await inject(api, auth, channel.id, [sandboxOrder("RM-1")])
        await runImport(api, auth, channel.id)
        const co = await channelOrder(api, auth, channel.id, "RM-1")
        expect(co.state).toBe("imported")
        const order = await adminOrder(api, auth, co.order_id)
        expect(order.metadata).toMatchObject({ channel_order_id: co.id, external_id: "RM-1", segment: "vip" })
      })
    })

    describe("holds in the core workflows (item 6)", () => {
      let channelId: string
      beforeEach(async () => {
        channelId = (await createSandboxChannel(api, auth, store)).id
        await setRules(api, auth, channelId, [
          ["paid", "import_as_valid", true],
          ["on_hold", "import_and_hold", true],
          ["shipped", "import_as_history", false],
        ])
      })

      const importOne = async (externalId: string, status = "paid", lines?: Array<[string, number, number?]>) => {
        await inject(api, auth, channelId, [sandboxOrder(externalId, { status, ...(lines ? { lines } : {}) })])
        await runImport(api, auth, channelId)
        const co = await channelOrder(api, auth, channelId, externalId)
        expect(co.state).toBe("imported")
        return co
      }
      const items = (order: any) => order.items.map((i: any) => ({ id: i.id, quantity: i.quantity }))
      const fulfilDirect = async (orderId: string) => {
        const order = await adminOrder(api, auth, orderId)
        return createOrderFulfillmentWorkflow(getContainer()).run({ input: { order_id: orderId, items: items(order), location_id: store.stock_location_id } })
      }
      const placeHold = async (orderId: string) => (await api.post(`/admin/orders/${orderId}/holds`, { detail: "check the address" }, auth)).data
      const openHolds = async (orderId: string) => (await api.get(`/admin/orders/${orderId}/channel`, auth)).data.holds.filter((h: any) => !h.released_at)

      it("a held order cannot be fulfilled by calling Medusa's fulfilment workflow directly; nothing is left behind; it can once released", async () => {
        const co = await importOne("HG-1", "on_hold")
        const [hold] = await openHolds(co.order_id)
        expect(hold).toBeTruthy()

        expect(await failureOf(fulfilDirect(co.order_id))).toMatch(/is on hold \(status_rule\); release its holds before fulfilling it/)
        const after = await adminOrder(api, auth, co.order_id)
        expect(after.fulfillment_status).toBe("not_fulfilled")
        expect(after.fulfillments).toEqual([])

        // The admin route answers 409 before the workflow starts.
        const route = await post(`/admin/orders/${co.order_id}/fulfillments`, { items: items(after), location_id: store.stock_location_id })
        expect(route.status).toBe(409)

        await api.post(`/admin/orders/${co.order_id}/holds/${hold.id}/release`, {}, auth)
        await fulfilDirect(co.order_id)
        expect((await adminOrder(api, auth, co.order_id)).fulfillment_status).toBe("fulfilled")
      })

      it("a fulfilled order put on hold cannot be shipped or completed, through the admin API or the core workflows, until released", async () => {
        const co = await importOne("HG-2")
        await fulfilDirect(co.order_id)
        const order = await adminOrder(api, auth, co.order_id)
        const fulfillmentId = order.fulfillments[0].id
        const { hold } = await placeHold(co.order_id)

        const viaRoute = await post(`/admin/orders/${co.order_id}/fulfillments/${fulfillmentId}/shipments`, { items: items(order) })
        expect(viaRoute.status).toBe(409)
        expect(viaRoute.data.message).toContain("release its holds before shipping it")
        expect(
          await failureOf(createOrderShipmentWorkflow(getContainer()).run({ input: { order_id: co.order_id, fulfillment_id: fulfillmentId, items: items(order) } }))
        ).toMatch(/is on hold \(manual\); release its holds before shipping it/)
        expect((await adminOrder(api, auth, co.order_id)).fulfillment_status).toBe("fulfilled")

        const complete = await post(`/admin/orders/${co.order_id}/complete`, {})
        expect(complete.status).toBe(409)
        expect(await failureOf(completeOrderWorkflow(getContainer()).run({ input: { orderIds: [co.order_id] } }))).toMatch(/release its holds before completing it/)
        expect((await adminOrder(api, auth, co.order_id)).status).toBe("pending")

        await api.post(`/admin/orders/${co.order_id}/holds/${hold.id}/release`, {}, auth)
        await createOrderShipmentWorkflow(getContainer()).run({ input: { order_id: co.order_id, fulfillment_id: fulfillmentId, items: items(order) } })
        expect((await adminOrder(api, auth, co.order_id)).fulfillment_status).toBe("shipped")
      })

      it("the plugin's own fulfilments pass: import as history or complete with a holding rule, and a shipment made on the marketplace of a held order", async () => {
        const rule = (await post("/admin/import-rules", { name: "hold all", conditions: { all: [] }, actions: [{ type: "hold", detail: "review" }] })).data.import_rule
        try {
          const history = await importOne("HG-3", "shipped")
          expect((await adminOrder(api, auth, history.order_id)).fulfillment_status).toBe("shipped")
          expect((await openHolds(history.order_id)).map((h: any) => h.reason)).toEqual(["custom_rule"])

          await setRules(api, auth, channelId, [["paid", "import_and_complete", true]])
          const completed = await importOne("HG-4")
          const order = await adminOrder(api, auth, completed.order_id)
          expect(order).toMatchObject({ status: "completed", fulfillment_status: "shipped" })
        } finally {
          await api.delete(`/admin/import-rules/${rule.id}`, auth)
        }

        await setRules(api, auth, channelId, [["on_hold", "import_and_hold", true], ["shipped", "import_as_history", false]])
        const held = await importOne("HG-5", "on_hold")
        expect(await openHolds(held.order_id)).toHaveLength(1)
        await api.post(`/admin/channels/${channelId}/sandbox/orders/HG-5`, { status: "shipped" }, auth)
        await runImport(api, auth, channelId)
        expect((await adminOrder(api, auth, held.order_id)).fulfillment_status).toBe("shipped")
      })
    })
  },
})
