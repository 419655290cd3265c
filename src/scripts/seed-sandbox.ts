import type { MedusaContainer } from "@medusajs/framework/types"
import { CHANNEL_MODULE } from "../modules/channel"
import type ChannelModuleService from "../modules/channel/service"
import { createChannelWorkflow } from "../workflows/channels/create-channel"
import { generateSandboxOrders } from "../providers/sandbox/generator"
import type { SeededStore } from "./seed-store"

export const DEMO_CHANNEL_NAME = "Sandbox Marketplace"

/**
 * The demo's sandbox channel: mapped to the seeded store, with a first batch of orders in a mix of
 * statuses (one with a SKU the store doesn't sell, so the error banner has something to show), and
 * `generate_orders_per_minute` so the sandbox job keeps new orders coming.
 */
export async function ensureDemoSandboxChannel(container: MedusaContainer, store: SeededStore) {
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const [existing] = await channels.listChannels({ name: DEMO_CHANNEL_NAME, provider: "sandbox" })
  if (existing) return existing
  const { result: channel } = await createChannelWorkflow(container).run({
    input: {
      name: DEMO_CHANNEL_NAME,
      provider: "sandbox",
      settings: {
        sales_channel_id: store.sales_channel_id,
        region_id: store.region_id,
        stock_location_id: store.stock_location_id,
        shipping_mapping: { standard: store.shipping_options.standard, express: store.shipping_options.express },
        pull_interval_minutes: 1,
        lookback_hours: 24,
        generate_orders_per_minute: 2,
      },
    },
  })
  const catalogue = store.variants
    .filter((v) => v.stocked >= 10)
    .map((v) => ({ sku: v.sku, title: v.title, price: 19.9 }))
  const orders = generateSandboxOrders({
    count: 20,
    catalogue,
    prefix: "DEMO",
    seed: 7,
    status: (i) => (i % 7 === 3 ? "pending" : i % 9 === 4 ? "canceled" : "paid"),
  })
  orders[5].items[0].sku = "NOT-IN-CATALOGUE-1"
  await channels.putSandboxOrders(channel.id, orders as any)
  return channel
}
