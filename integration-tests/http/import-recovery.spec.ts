import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { seedStore, type SeededStore } from "../../src/scripts/seed-store"
import { adminHeaders } from "../helpers/admin"
import { countOrdersWithExternalId, createSandboxChannel, inject, runImport, sandboxOrder, setRules } from "../helpers/channel-fixtures"
import { CHANNEL_MODULE } from "../../src/modules/channel"

jest.setTimeout(180_000)

// The rows below are made stuck by hand; the scheduled pull must not recover them behind the test's back.
process.env.CHANNEL_ORDERS_SCHEDULED_PULLS = "off"

/**
 * Orders a dead run left behind are visible (issue 16, item 6): a row staged but never decided, and
 * a row whose import lease ran out, appear on the problems list with their own reason and in the
 * banner's count after their grace period, and a retry or the next run recovers them.
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

    it("lists stuck pending and interrupted rows with their reasons, counts them in the banner, and recovers them", async () => {
      const channel = await createSandboxChannel(api, auth, store, {}, "Stuck")
      await setRules(api, auth, channel.id, [["paid", "import_as_valid", true]])
      const container = getContainer()
      const db = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
      const channels: any = container.resolve(CHANNEL_MODULE)
      await inject(api, auth, channel.id, [sandboxOrder("STUCK-1"), sandboxOrder("STUCK-2"), sandboxOrder("FRESH-1")])
      // What a run that died would leave: three staged rows, none decided.
      await channels.stageChannelOrders(channel.id, ["STUCK-1", "STUCK-2", "FRESH-1"].map((id) => ({ external_id: id, external_status: "paid", external_updated_at: null, raw: sandboxOrder(id) })))
      const before = await api.get(`/admin/channel-orders/summary`, auth)
      const [row1] = await channels.listChannelOrders({ channel_id: channel.id, external_id: "STUCK-1" })
      // STUCK-1: an import took it and died (its lease ran out); STUCK-2: staged 20 minutes ago, never decided.
      await db("channel_order").where({ id: row1.id }).update({ state: "importing", import_owner: "dead-process", import_lease_until: db.raw("now() - interval '1 second'") })
      await db("channel_order").where({ channel_id: channel.id, external_id: "STUCK-2" }).update({ updated_at: db.raw("now() - interval '20 minutes'") })

      const { data } = await api.get(`/admin/channel-orders?channel_id=${channel.id}&stuck=true`, auth)
      expect(data.channel_orders.map((o: any) => [o.external_id, o.state, o.stuck_reason, o.error_code]).sort()).toEqual([
        ["STUCK-1", "importing", "import_interrupted", "import_interrupted"],
        ["STUCK-2", "pending", "not_decided", "not_decided"],
      ])
      expect(data.channel_orders.every((o: any) => typeof o.error_message === "string" && o.error_message.length > 20)).toBe(true)
      // FRESH-1 is still in its grace period: not a problem yet.
      const all = await api.get(`/admin/channel-orders?channel_id=${channel.id}`, auth)
      expect(all.data.channel_orders.find((o: any) => o.external_id === "FRESH-1").stuck_reason).toBeNull()

      const summary = (await api.get(`/admin/channel-orders/summary`, auth)).data
      expect(summary.stuck_count).toBe(before.data.stuck_count + 2)
      expect(summary.not_importable_count).toBe(before.data.not_importable_count + 2)
      expect(summary.channels.find((c: any) => c.channel_id === channel.id).stuck).toBe(2)

      // A retry of the interrupted row recovers it first, then imports it once.
      const retried = await api.post(`/admin/channel-orders/${row1.id}/retry`, {}, auth)
      expect(retried.data.channel_order.state).toBe("imported")
      // The next run decides the rest.
      await runImport(api, auth, channel.id)
      for (const id of ["STUCK-1", "STUCK-2", "FRESH-1"]) expect(await countOrdersWithExternalId(container, id)).toBe(1)
      expect((await api.get(`/admin/channel-orders?channel_id=${channel.id}&stuck=true`, auth)).data.channel_orders).toEqual([])
      expect((await api.get(`/admin/channel-orders/summary`, auth)).data.stuck_count).toBe(before.data.stuck_count)
    })

    it("an import whose lease is still running is not taken over: a retry answers 409", async () => {
      const channel = await createSandboxChannel(api, auth, store, {}, "Live lease")
      const container = getContainer()
      const db = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
      const channels: any = container.resolve(CHANNEL_MODULE)
      await channels.stageChannelOrders(channel.id, [{ external_id: "LIVE-1", external_status: "paid", external_updated_at: null, raw: sandboxOrder("LIVE-1") }])
      const [row] = await channels.listChannelOrders({ channel_id: channel.id, external_id: "LIVE-1" })
      await db("channel_order").where({ id: row.id }).update({ state: "importing", import_owner: "live-process", import_lease_until: db.raw("now() + interval '5 minutes'") })
      const res = await api.post(`/admin/channel-orders/${row.id}/retry`, {}, auth).catch((e: any) => e.response)
      expect(res.status).toBe(409)
      expect((await api.get(`/admin/channel-orders?channel_id=${channel.id}&stuck=true`, auth)).data.channel_orders).toEqual([])
      // Nor does a run begin a second import of it.
      await inject(api, auth, channel.id, [sandboxOrder("LIVE-1")])
      await setRules(api, auth, channel.id, [["paid", "import_as_valid", true]])
      await runImport(api, auth, channel.id)
      expect(await countOrdersWithExternalId(container, "LIVE-1")).toBe(0)
      const [after] = await channels.listChannelOrders({ id: row.id })
      expect([after.state, after.import_owner]).toEqual(["importing", "live-process"])
    })
  },
})
