/**
 * Seeds the cluster suite's store (scripts/cluster.js runs it once through bench/launch.js, before
 * any cluster process starts): the demo store (region, warehouse, shipping options, products) with
 * stock for every order of the run, and the admin user. The driver creates the channels and their
 * orders through the admin API. Writes the store's ids and the stocked SKUs to CLUSTER_OUT.
 */
import fs from "node:fs"
import type { ExecArgs } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { seedStore } from "../../src/scripts/seed-store"

export default async function clusterSeed({ container }: ExecArgs) {
  const store = await seedStore(container, { withAdmin: true })
  // Stock for every order of the run, so no import fails for want of it.
  const stocked = store.variants.filter((v) => v.stocked >= 100 && v.sku !== "V789" && v.inventory_item_id)
  await container.resolve(Modules.INVENTORY).updateInventoryLevels(
    stocked.map((v) => ({ inventory_item_id: v.inventory_item_id, location_id: store.stock_location_id, stocked_quantity: 1_000_000 }))
  )
  const { variants: _variants, ...ids } = store
  fs.writeFileSync(process.env.CLUSTER_OUT!, JSON.stringify({ store: ids, skus: stocked.map((v) => v.sku) }))
}
