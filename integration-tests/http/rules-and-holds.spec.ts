import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { seedStore, type SeededStore } from "../../src/scripts/seed-store"
import { adminHeaders } from "../helpers/admin"
import { adminOrder, channelOrder, createSandboxChannel, inject, reservationsFor, runImport, sandboxOrder, setRules } from "../helpers/channel-fixtures"

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
      await setRules(api, auth, channelId, [["paid", "import_as_valid", true]])
    })

    const createRule = (rule: Record<string, unknown>) => api.post("/admin/import-rules", rule, auth)
    const panel = async (orderId: string) => (await api.get(`/admin/orders/${orderId}/channel`, auth)).data
    const fulfil = async (orderId: string) => {
      const order = await adminOrder(api, auth, orderId)
      return api
        .post(`/admin/orders/${orderId}/fulfillments`, { items: order.items.map((i: any) => ({ id: i.id, quantity: i.quantity })), location_id: store.stock_location_id }, auth)
        .catch((e: any) => e.response)
    }
    const importOrders = async (...orders: any[]) => {
      await inject(api, auth, channelId, orders)
      return runImport(api, auth, channelId)
    }

    it("the seed's tutorial: order #1203 with 5 × V789 is held by 'quantity over 4', tagged, blocked from fulfilment until released", async () => {
      const rule = await createRule({
        name: "Hold orders with quantity over 4",
        priority: 10,
        conditions: { all: [{ field: "max_item_quantity", operator: "gt", value: 4 }] },
        actions: [{ type: "add_tags", tags: ["Review Needed"] }, { type: "hold", detail: "Large quantity, review before shipping" }],
      })
      expect(rule.status).toBe(201)
      await importOrders(sandboxOrder("1203", { lines: [["V789", 5, 9.5]] }))
      const co = await channelOrder(api, auth, channelId, "1203")
      expect(co.state).toBe("imported")

      const info = await panel(co.order_id)
      expect(info.tags.map((t: any) => t.value)).toEqual(["Review Needed"])
      expect(info.holds).toHaveLength(1)
      expect(info.holds[0]).toMatchObject({ reason: "custom_rule", rule_id: rule.data.import_rule.id, detail: "Large quantity, review before shipping", released_at: null })
      expect(info.timeline.map((e: any) => e.type)).toEqual(expect.arrayContaining(["staged", "created", "rules_matched", "hold"]))
      expect(info.channel_order.rule_effects.matched_rule_ids).toEqual([rule.data.import_rule.id])

      const blocked = await fulfil(co.order_id)
      expect(blocked.status).toBe(409)
      expect(blocked.data.message).toContain("custom_rule")

      const released = await api.post(`/admin/orders/${co.order_id}/holds/${info.holds[0].id}/release`, { note: "checked with the buyer" }, auth)
      expect(released.data.hold.released_at).toBeTruthy()
      expect(released.data.hold.released_by).toBeTruthy()

      const ok = await fulfil(co.order_id)
      expect(ok.status).toBe(200)
      expect((await adminOrder(api, auth, co.order_id)).fulfillment_status).toBe("fulfilled")
    })

    it("two matching rules leave both tags, and orders can be listed by tag", async () => {
      await createRule({ name: "Big", priority: 5, conditions: { all: [{ field: "total", operator: "gte", value: 50 }] }, actions: [{ type: "add_tags", tags: ["High Value"] }] })
      await createRule({ name: "Hoodies", priority: 1, conditions: { any: [{ field: "skus", operator: "contains", value: "HOODIE-M" }] }, actions: [{ type: "add_tags", tags: ["Hoodie", "high value"] }] })
      await importOrders(sandboxOrder("T-1", { lines: [["HOODIE-M", 2, 49]] }), sandboxOrder("T-2", { lines: [["SOCKS-S", 1, 12]] }))
      const co = await channelOrder(api, auth, channelId, "T-1")
      const info = await panel(co.order_id)
      expect(info.tags.map((t: any) => t.value).sort()).toEqual(["High Value", "Hoodie"])
      expect(info.holds).toHaveLength(0)

      const byTag = (await api.get(`/admin/channel-orders?tag=${encodeURIComponent("hoodie")}`, auth)).data
      expect(byTag.channel_orders.map((c: any) => c.external_id)).toEqual(["T-1"])

      // Tags by hand: add (case-insensitive de-dup), remove.
      const added = await api.post(`/admin/orders/${co.order_id}/tags`, { tags: ["  gift  ", "HOODIE"] }, auth)
      expect(added.data.tags.map((t: any) => t.value).sort()).toEqual(["High Value", "Hoodie", "gift"])
      const removed = await api.delete(`/admin/orders/${co.order_id}/tags/${encodeURIComponent("High value")}`, auth)
      expect(removed.data.tags.map((t: any) => t.value).sort()).toEqual(["Hoodie", "gift"])
    })

    it("cancel wins over hold, and note/metadata come from the highest priority rule", async () => {
      await createRule({ name: "Hold all", priority: 1, conditions: { all: [{ field: "total", operator: "gt", value: 0 }] }, actions: [{ type: "hold" }, { type: "set_note", note: "low {{external_id}}" }] })
      await createRule({
        name: "Cancel test orders",
        priority: 9,
        conditions: { all: [{ field: "email", operator: "starts_with", value: "test-" }] },
        actions: [{ type: "cancel" }, { type: "set_note", note: "Canceled test order {{external_id}}" }, { type: "set_metadata", key: "reviewed", value: true }],
      })
      const before = (await getContainer().resolve(Modules.INVENTORY).listReservationItems({})).length
      await importOrders(sandboxOrder("X-9", { email: "test-buyer@example.com" }))
      const co = await channelOrder(api, auth, channelId, "X-9")
      expect(co).toMatchObject({ state: "imported", action: "import_and_cancel" })
      const order = await adminOrder(api, auth, co.order_id)
      expect(order.status).toBe("canceled")
      expect(order.metadata).toMatchObject({ note: "Canceled test order X-9", reviewed: true })
      expect((await panel(co.order_id)).holds).toHaveLength(0)
      expect((await getContainer().resolve(Modules.INVENTORY).listReservationItems({})).length).toBe(before)
    })

    it("refuses a rule with an unknown field or operator at save, naming them", async () => {
      const res = await createRule({
        name: "Typo",
        conditions: { all: [{ field: "totl", operator: "gt", value: 5 }, { field: "total", operator: "bigger", value: 5 }] },
        actions: [{ type: "add_tags", tags: ["x"] }],
      }).catch((e: any) => e.response)
      expect(res.status).toBe(400)
      expect(res.data.message).toContain('unknown field "totl"')
      expect(res.data.message).toContain("bigger")
      expect((await api.get("/admin/import-rules", auth)).data.import_rules).toHaveLength(0)
    })

    it("an alert action puts a notification in the admin feed and fires once per order and rule", async () => {
      await createRule({
        name: "International",
        conditions: { all: [{ field: "is_international", operator: "eq", value: true }] },
        actions: [{ type: "alert", message: "International order, check customs papers", severity: "warning" }],
      })
      const intl = sandboxOrder("INT-1", { shipping_address: { first_name: "Jean", last_name: "Dupont", address_1: "1 Rue", city: "Paris", postal_code: "75001", country_code: "fr" } })
      await importOrders(intl, sandboxOrder("DOM-1"))
      // The same order seen again (overlapping window) raises nothing new.
      await importOrders(intl)
      const notifications = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ channel: "feed" })
      const ours = notifications.filter((n: any) => String(n.data?.description ?? "").includes("International order"))
      expect(ours).toHaveLength(1)
      expect(ours[0].data.description).toContain("INT-1")
      const feed = (await api.get("/admin/notifications", auth)).data.notifications
      expect(feed.some((n: any) => String(n.data?.description ?? "").includes("INT-1"))).toBe(true)
    })

    describe("automatic holds, each from a real condition", () => {
      const holdsOf = async (externalId: string) => {
        const co = await channelOrder(api, auth, channelId, externalId)
        expect(co.state).toBe("imported")
        return { co, holds: (await panel(co.order_id)).holds }
      }

      it("duplicate_order: same buyer, items and total from another channel within the window", async () => {
        await api.post(`/admin/channels/${channelId}`, { settings: { duplicate_protection: true, duplicate_window_hours: 24 } }, auth)
        const other = await createSandboxChannel(api, auth, store, {}, "Other marketplace")
        await setRules(api, auth, other.id, [["paid", "import_as_valid", true]])
        await inject(api, auth, other.id, [sandboxOrder("FIRST-1", { email: "same@buyer.example", lines: [["CAP-M", 1, 22]] })])
        await runImport(api, auth, other.id)
        await importOrders(sandboxOrder("SECOND-1", { email: "same@buyer.example", lines: [["CAP-M", 1, 22]] }), sandboxOrder("OTHER-1", { email: "same@buyer.example", lines: [["CAP-L", 1, 22]] }))
        const { holds } = await holdsOf("SECOND-1")
        expect(holds.map((h: any) => h.reason)).toEqual(["duplicate_order"])
        expect(holds[0].detail).toContain("FIRST-1")
        expect((await holdsOf("OTHER-1")).holds).toHaveLength(0)
      })

      it("not_managed_item: an unknown SKU is imported as a custom line when the channel imports unavailable products", async () => {
        await api.post(`/admin/channels/${channelId}`, { settings: { import_unavailable_products: true } }, auth)
        await importOrders(sandboxOrder("NM-1", { lines: [["TSHIRT-S", 1], ["DISCONTINUED-9", 2, 5]] }))
        const { co, holds } = await holdsOf("NM-1")
        expect(holds.map((h: any) => h.reason)).toEqual(["not_managed_item"])
        expect(holds[0].detail).toContain("DISCONTINUED-9")
        const order = await adminOrder(api, auth, co.order_id)
        const custom = order.items.find((i: any) => i.variant_sku === "DISCONTINUED-9")
        expect(custom.variant_id).toBeNull()
        expect((await reservationsFor(getContainer(), co.order_id)).length).toBe(1)
      })

      it("insufficient_quantity: short lines are imported without a reservation, and releasing while still short is recorded", async () => {
        const short = store.variants.find((v) => v.stocked === 2)!
        await importOrders(sandboxOrder("IQ-1", { lines: [["TSHIRT-L", 1], [short.sku, 3]] }))
        const { co, holds } = await holdsOf("IQ-1")
        expect(holds.map((h: any) => h.reason)).toEqual(["insufficient_quantity"])
        expect(holds[0].detail).toContain(short.sku)
        const reservations = await reservationsFor(getContainer(), co.order_id)
        expect(reservations.map((r: any) => r.inventory_item_id)).toEqual([store.variants.find((v) => v.sku === "TSHIRT-L")!.inventory_item_id])
        const released = await api.post(`/admin/orders/${co.order_id}/holds/${holds[0].id}/release`, {}, auth)
        expect(released.data.hold.release_note).toMatch(/cause remains/)
      })

      it("disabled_source: the channel's stock location is no longer linked to its sales channel", async () => {
        const link = getContainer().resolve(ContainerRegistrationKeys.LINK)
        await link.dismiss({ [Modules.SALES_CHANNEL]: { sales_channel_id: store.sales_channel_id }, [Modules.STOCK_LOCATION]: { stock_location_id: store.stock_location_id } })
        await importOrders(sandboxOrder("DS-1"))
        const { holds } = await holdsOf("DS-1")
        expect(holds.map((h: any) => h.reason)).toContain("disabled_source")
        expect(holds.find((h: any) => h.reason === "disabled_source").detail).toContain("not linked")
      })

      it("unmapped_shipping_policy: the marketplace shipping service has no shipping option", async () => {
        await importOrders(sandboxOrder("SH-1", { shipping: { service_code: "drone-next-day", name: "Drone", price: 30 } }))
        const { co, holds } = await holdsOf("SH-1")
        expect(holds.map((h: any) => h.reason)).toEqual(["unmapped_shipping_policy"])
        expect(holds[0].detail).toContain("drone-next-day")
        const order = await adminOrder(api, auth, co.order_id)
        expect(order.shipping_methods[0].shipping_option_id).toBeNull()
      })

      it("a manual hold blocks fulfilment too, and records who placed it", async () => {
        await importOrders(sandboxOrder("MH-1"))
        const co = await channelOrder(api, auth, channelId, "MH-1")
        const placed = await api.post(`/admin/orders/${co.order_id}/holds`, { detail: "Buyer called" }, auth)
        expect(placed.data.hold).toMatchObject({ reason: "manual", detail: "Buyer called" })
        expect(placed.data.hold.created_by).toBeTruthy()
        expect((await fulfil(co.order_id)).status).toBe(409)
      })
    })
  },
})
