import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { seedStore, type SeededStore } from "../../src/scripts/seed-store"
import { adminHeaders } from "../helpers/admin"
import { adminOrder, channelOrder, countOrdersWithExternalId, createSandboxChannel, inject, runImport, sandboxOrder, setRules } from "../helpers/channel-fixtures"

jest.setTimeout(180_000)

/**
 * Channel orders are unique per marketplace account (issue 16, item 3). The sandbox names its
 * account with `settings.account_id`; the real providers derive it from the seller id, shop id or
 * refresh token (accounts.unit.spec.ts).
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

    const channelFor = async (accountId: string | null, name: string) => {
      const channel = await createSandboxChannel(api, auth, store, accountId ? { account_id: accountId } : {}, name)
      await setRules(api, auth, channel.id, [
        ["paid", "import_as_valid", true],
        ["canceled", "import_and_cancel", false],
      ])
      return channel
    }
    const rowsOf = async (externalIds: string[]) => {
      const db = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
      return db("channel_order").whereIn("external_id", externalIds).whereNull("deleted_at").select("id", "channel_id", "account_key", "external_id", "state", "order_id").orderBy("external_id")
    }

    it("a channel deleted and created again on the same account finds the orders already imported, and follows their changes", async () => {
      const first = await channelFor("acme-1", "Acme (first)")
      const orders = ["ACC-1", "ACC-2", "ACC-3"].map((id) => sandboxOrder(id))
      await inject(api, auth, first.id, orders)
      const run1 = await runImport(api, auth, first.id)
      expect(run1.imported).toBe(3)
      const imported = await rowsOf(["ACC-1", "ACC-2", "ACC-3"])
      expect(imported.map((r: any) => r.account_key)).toEqual(Array(3).fill("sandbox:account:acme-1"))

      await api.delete(`/admin/channels/${first.id}`, auth)
      // The deleted channel's record stays: nothing of what was imported is forgotten.
      expect((await rowsOf(["ACC-1"]))[0].channel_id).toBe(first.id)

      const second = await channelFor("acme-1", "Acme (again)")
      expect((await api.get(`/admin/channels/${second.id}`, auth)).data.channel.account_key).toBe("sandbox:account:acme-1")
      await inject(api, auth, second.id, [orders[0], orders[1], { ...orders[2], status: "canceled" }])
      const run2 = await runImport(api, auth, second.id)
      expect(run2.imported).toBe(0)
      expect(run2.failed).toBe(0)

      for (const id of ["ACC-1", "ACC-2", "ACC-3"]) expect(await countOrdersWithExternalId(getContainer(), id)).toBe(1)
      const adopted = await rowsOf(["ACC-1", "ACC-2", "ACC-3"])
      expect(adopted.map((r: any) => [r.id, r.channel_id, r.state, r.order_id])).toEqual(imported.map((r: any) => [r.id, second.id, "imported", r.order_id]))
      // The change the marketplace made meanwhile is followed on the order imported before.
      expect((await adminOrder(api, auth, imported[2].order_id)).status).toBe("canceled")
      expect((await channelOrder(api, auth, second.id, "ACC-2")).order_id).toBe(imported[1].order_id)
    })

    it("two live channels on one account: the order belongs to the channel that staged it first, and is imported once", async () => {
      const a = await channelFor("acme-2", "Acme A")
      const b = await channelFor("acme-2", "Acme B")
      await inject(api, auth, a.id, [sandboxOrder("TWIN-1")])
      await inject(api, auth, b.id, [sandboxOrder("TWIN-1"), sandboxOrder("TWIN-2")])
      expect((await runImport(api, auth, a.id)).imported).toBe(1)
      const runB = await runImport(api, auth, b.id)
      expect(runB.imported).toBe(1)
      expect(await countOrdersWithExternalId(getContainer(), "TWIN-1")).toBe(1)
      expect(await countOrdersWithExternalId(getContainer(), "TWIN-2")).toBe(1)
      const rows = await rowsOf(["TWIN-1", "TWIN-2"])
      expect(rows.map((r: any) => [r.external_id, r.channel_id])).toEqual([["TWIN-1", a.id], ["TWIN-2", b.id]])
    })

    it("channels without an account identity stay separate, and a channel that gains one takes its orders along", async () => {
      const plain1 = await channelFor(null, "Plain 1")
      const plain2 = await channelFor(null, "Plain 2")
      expect((await api.get(`/admin/channels/${plain1.id}`, auth)).data.channel.account_key).toBe(`channel:${plain1.id}`)
      await inject(api, auth, plain1.id, [sandboxOrder("SOLO-1")])
      await inject(api, auth, plain2.id, [sandboxOrder("SOLO-1")])
      expect((await runImport(api, auth, plain1.id)).imported).toBe(1)
      expect((await runImport(api, auth, plain2.id)).imported).toBe(1)
      expect(await countOrdersWithExternalId(getContainer(), "SOLO-1")).toBe(2)

      await inject(api, auth, plain1.id, [sandboxOrder("SOLO-2")])
      expect((await runImport(api, auth, plain1.id)).imported).toBe(1)
      await api.post(`/admin/channels/${plain1.id}`, { settings: { account_id: "acme-3" } }, auth)
      const moved = await rowsOf(["SOLO-2"])
      expect(moved[0].account_key).toBe("sandbox:account:acme-3")
      await api.delete(`/admin/channels/${plain1.id}`, auth)

      const successor = await channelFor("acme-3", "Acme 3")
      await inject(api, auth, successor.id, [sandboxOrder("SOLO-2")])
      expect((await runImport(api, auth, successor.id)).imported).toBe(0)
      expect(await countOrdersWithExternalId(getContainer(), "SOLO-2")).toBe(1)
    })
  },
})
