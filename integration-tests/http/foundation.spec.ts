import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../src/modules/channel"
import { readBack, seedStore } from "../../src/scripts/seed-store"
import { adminHeaders } from "../helpers/admin"

jest.setTimeout(120_000)

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    describe("the plugin in a booted Medusa app", () => {
      it("answers /health and resolves the channel module with its sandbox provider", async () => {
        const health = await api.get("/health")
        expect(health.status).toBe(200)
        const channels = getContainer().resolve(CHANNEL_MODULE) as any
        expect(typeof channels.listChannels).toBe("function")
        expect(channels.listProviderIds()).toContain("sandbox")
      })

      it("serves an admin route to an authenticated admin (200) and refuses anonymous callers (401)", async () => {
        const auth = await adminHeaders(api, getContainer())
        const ok = await api.get("/admin/channels", auth)
        expect(ok.status).toBe(200)
        expect(ok.data).toEqual(expect.objectContaining({ channels: [], count: 0, providers: expect.arrayContaining(["sandbox"]) }))

        const anonymous = await api.get("/admin/channels").catch((e: any) => e.response)
        expect(anonymous.status).toBe(401)
      })

      it("seeds a realistic store that can be read back", async () => {
        const container = getContainer()
        const seeded = await seedStore(container, { withAdmin: true })
        expect(seeded.variants.length).toBeGreaterThanOrEqual(30)
        expect(seeded.variants.every((v) => v.sku && v.barcode && v.inventory_item_id)).toBe(true)
        expect(seeded.variants.find((v) => v.sku === "V789")).toBeTruthy()
        expect(seeded.shipping_options.standard).toMatch(/^so_/)

        // Read back through the modules, not through the seed's own return value.
        const { data: regions } = await container.resolve("query").graph({
          entity: "region",
          fields: ["currency_code", "payment_providers.id"],
          filters: { id: seeded.region_id },
        })
        expect(regions[0].currency_code).toBe("eur")
        expect(regions[0].payment_providers.map((p: any) => p.id)).toContain("pp_system_default")
        const sc = await container.resolve("query").graph({
          entity: "sales_channel",
          fields: ["stock_locations.id"],
          filters: { id: seeded.sales_channel_id },
        })
        expect(sc.data[0].stock_locations.map((l: any) => l.id)).toContain(seeded.stock_location_id)
        const levels = await container.resolve(Modules.INVENTORY).listInventoryLevels({ location_id: seeded.stock_location_id })
        expect(levels.length).toBe(seeded.variants.length)
        expect(levels.some((l: any) => Number(l.stocked_quantity) === 100)).toBe(true)
        const users = await container.resolve(Modules.USER).listUsers({ email: "admin@channel-orders.test" })
        expect(users).toHaveLength(1)

        // The seed is idempotent: a second run creates nothing new.
        const again = await seedStore(container, { withAdmin: true })
        expect(again.variants.map((v) => v.id)).toEqual(seeded.variants.map((v) => v.id))
        expect((await readBack(container)).region_id).toBe(seeded.region_id)
      })
    })
  },
})
