/**
 * Benchmark of the B2B order API (issue 18): how many orders a second `POST /channel-api/orders`
 * takes in batches of 100, through real HTTP on a booted Medusa (the HTTP test runner), orders of
 * 1 to 3 lines from the seeded catalogue, default status rules (batched import path).
 * A benchmark, not a test: it asserts nothing about speed and prints one JSON line.
 *
 *   npm run test:integration:http -- --testMatch "<rootDir>/bench/channel-api.bench.ts"
 *   CHANNEL_API_BENCH_BATCHES=10 (default) batches after 1 warm-up batch.
 */
import { performance } from "node:perf_hooks"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { seedStore, type SeededStore } from "../src/scripts/seed-store"
import { generateSandboxOrders, type SandboxCatalogueItem } from "../src/providers/sandbox/generator"
import { adminHeaders } from "../integration-tests/helpers/admin"
import { channelSettings } from "../integration-tests/helpers/channel-fixtures"

process.env.CHANNEL_FEEDBACK_DELIVERY = "off"
jest.setTimeout(3_600_000)

const BATCHES = Number(process.env.CHANNEL_API_BENCH_BATCHES || 10)
const BATCH = 100

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore

    beforeAll(async () => {
      store = await seedStore(getContainer(), { withAdmin: true })
    })

    it(`pushes ${BATCHES} batches of ${BATCH} orders`, async () => {
      const container = getContainer()
      const auth = await adminHeaders(api, container)
      const usable = store.variants.filter((v) => v.stocked >= 100)
      await container.resolve(Modules.INVENTORY).updateInventoryLevels(
        usable.map((v) => ({ inventory_item_id: v.inventory_item_id, location_id: store.stock_location_id, stocked_quantity: v.stocked + (BATCHES + 1) * BATCH * 2 }))
      )
      const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
        entity: "product_variant",
        fields: ["id", "sku", "title", "product.title", "prices.amount", "prices.currency_code"],
        filters: { id: usable.map((v) => v.id) },
      })
      const catalogue: SandboxCatalogueItem[] = data
        .map((v: any) => ({ sku: v.sku, title: `${v.product?.title ?? ""} ${v.title ?? ""}`.trim(), price: Number((v.prices ?? []).find((p: any) => p.currency_code === "eur")?.amount) }))
        .filter((c: SandboxCatalogueItem) => Number.isFinite(c.price))
      const channel = (
        await api.post(
          "/admin/channels",
          { name: "Bench reseller", provider: "api", settings: channelSettings(store, { api_rate_limit: { rate: 1000, burst: 1000 } }) },
          auth
        )
      ).data.channel
      const { token } = (await api.post(`/admin/channels/${channel.id}/api-keys`, {}, auth)).data
      const orders = generateSandboxOrders({ count: (BATCHES + 1) * BATCH, catalogue, prefix: "BENCH", status: "confirmed", seed: 7 })

      const times: number[] = []
      const results: Record<string, number> = {}
      for (let b = 0; b <= BATCHES; b++) {
        const batch = orders.slice(b * BATCH, (b + 1) * BATCH)
        const t0 = performance.now()
        const res = await api.post("/channel-api/orders", { orders: batch }, { headers: { authorization: `Bearer ${token}` } })
        const ms = performance.now() - t0
        if (b > 0) {
          times.push(ms)
          for (const r of res.data.results) results[r.result] = (results[r.result] ?? 0) + 1
        }
      }
      const total = times.reduce((a, t) => a + t, 0)
      const sorted = [...times].sort((a, b) => a - b)
      console.log(
        JSON.stringify({
          bench: "channel-api",
          batch_size: BATCH,
          batches: BATCHES,
          orders: BATCHES * BATCH,
          orders_per_second: Math.round(((BATCHES * BATCH) / (total / 1000)) * 10) / 10,
          batch_ms: { median: Math.round(sorted[Math.floor(sorted.length / 2)]), min: Math.round(sorted[0]), max: Math.round(sorted[sorted.length - 1]) },
          results,
        })
      )
      expect(results.imported).toBeGreaterThan(0)
    })
  },
})
