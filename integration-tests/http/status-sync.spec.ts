import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { seedStore, type SeededStore } from "../../src/scripts/seed-store"
import { adminHeaders } from "../helpers/admin"
import { adminOrder, channelOrder, countOrdersWithExternalId, createSandboxChannel, inject, reservationsFor, runImport, sandboxOrder, setRules, stockOf } from "../helpers/channel-fixtures"

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
      await setRules(api, auth, channelId, [
        ["paid", "import_as_valid", true],
        ["canceled", "do_not_import", false],
        ["shipped", "import_as_history", false],
      ])
    })

    const importPaid = async (externalId: string, lines?: Array<[string, number, number?]>) => {
      await inject(api, auth, channelId, [sandboxOrder(externalId, { lines })])
      await runImport(api, auth, channelId)
      const co = await channelOrder(api, auth, channelId, externalId)
      expect(co.state).toBe("imported")
      return co
    }
    const marketplaceStatus = async (externalId: string, status: string) => {
      await api.post(`/admin/channels/${channelId}/sandbox/orders/${externalId}`, { status }, auth)
      return runImport(api, auth, channelId)
    }
    const timeline = async (orderId: string) => (await api.get(`/admin/orders/${orderId}/channel`, auth)).data

    it("a cancellation on the marketplace before shipment cancels the Medusa order and releases its stock", async () => {
      const before = await stockOf(getContainer(), store, "HOODIE-S")
      const co = await importPaid("SC-1", [["HOODIE-S", 2, 49]])
      expect((await stockOf(getContainer(), store, "HOODIE-S")).reserved).toBe(before.reserved + 2)

      const run = await marketplaceStatus("SC-1", "canceled")
      expect(run.skipped).toBe(1)
      const order = await adminOrder(api, auth, co.order_id)
      expect(order.status).toBe("canceled")
      expect(await reservationsFor(getContainer(), co.order_id)).toEqual([])
      expect(await stockOf(getContainer(), store, "HOODIE-S")).toEqual(before)
      const info = await timeline(co.order_id)
      expect(info.timeline.map((e: any) => e.type)).toEqual(expect.arrayContaining(["status_changed", "canceled"]))
      expect(info.channel_order.external_status).toBe("canceled")
      expect(await countOrdersWithExternalId(getContainer(), "SC-1")).toBe(1)
    })

    it("a cancellation after the order shipped in Medusa holds it (marketplace_canceled) instead of canceling", async () => {
      const co = await importPaid("SC-2")
      const order = await adminOrder(api, auth, co.order_id)
      await api.post(`/admin/orders/${co.order_id}/fulfillments`, { items: order.items.map((i: any) => ({ id: i.id, quantity: i.quantity })), location_id: store.stock_location_id }, auth)
      const fulfillmentId = (await adminOrder(api, auth, co.order_id)).fulfillments[0].id
      await api.post(`/admin/orders/${co.order_id}/fulfillments/${fulfillmentId}/shipments`, { items: order.items.map((i: any) => ({ id: i.id, quantity: i.quantity })) }, auth)

      await marketplaceStatus("SC-2", "canceled")
      expect((await adminOrder(api, auth, co.order_id)).status).not.toBe("canceled")
      const info = await timeline(co.order_id)
      expect(info.holds.map((h: any) => h.reason)).toEqual(["marketplace_canceled"])
      expect(info.holds[0].released_at).toBeNull()
      // Seen again, the same cancellation does not pile up holds.
      await api.post(`/admin/channels/${channelId}/sandbox/orders/SC-2`, { status: "canceled" }, auth)
      await runImport(api, auth, channelId)
      expect((await timeline(co.order_id)).holds).toHaveLength(1)
    })

    it("a shipment made on the marketplace marks the order fulfilled and shipped without a stock movement", async () => {
      const before = await stockOf(getContainer(), store, "SHORTS-L")
      const co = await importPaid("SS-1", [["SHORTS-L", 3, 24.5]])
      await marketplaceStatus("SS-1", "shipped")
      const order = await adminOrder(api, auth, co.order_id)
      expect(order.fulfillment_status).toBe("shipped")
      expect(await reservationsFor(getContainer(), co.order_id)).toEqual([])
      expect(await stockOf(getContainer(), store, "SHORTS-L")).toEqual(before)
      expect((await timeline(co.order_id)).timeline.map((e: any) => e.type)).toContain("shipped_elsewhere")
      expect(await countOrdersWithExternalId(getContainer(), "SS-1")).toBe(1)
    })

    it("a new shipping address before shipment updates the Medusa order through Medusa's update workflow", async () => {
      const co = await importPaid("SA-1")
      const moved = sandboxOrder("SA-1", {
        shipping_address: { first_name: "Ada", last_name: "Lovelace", address_1: "Neue Allee 7", city: "Hamburg", postal_code: "20095", country_code: "de" },
      })
      await inject(api, auth, channelId, [moved])
      await runImport(api, auth, channelId)
      const order = await adminOrder(api, auth, co.order_id)
      expect(order.shipping_address).toMatchObject({ address_1: "Neue Allee 7", city: "Hamburg", postal_code: "20095" })
      const changes = await getContainer().resolve(Modules.ORDER).listOrderChanges({ order_id: co.order_id })
      expect(changes.some((c: any) => c.change_type === "update_order")).toBe(true)
      const info = await timeline(co.order_id)
      expect(info.timeline.find((e: any) => e.type === "address_changed").message).toContain("address_1")
      expect(await countOrdersWithExternalId(getContainer(), "SA-1")).toBe(1)
    })
  },
})
