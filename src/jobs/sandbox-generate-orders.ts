import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../modules/channel"
import type ChannelModuleService from "../modules/channel/service"
import { generateSandboxOrders } from "../providers/sandbox/generator"

/**
 * Keeps a demo sandbox marketplace busy: every minute, each sandbox channel whose settings ask for
 * `generate_orders_per_minute` receives that many new plausible orders (and, now and then, one
 * with a SKU the store doesn't sell, so the problems list has something to fix). Channels without
 * the setting, and every real marketplace, are left alone.
 */
export default async function sandboxGenerateOrdersJob(container: MedusaContainer) {
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const sandboxes = (await channels.listChannels({ enabled: true, provider: "sandbox" })).filter(
    (c) => Number((c.settings as any)?.generate_orders_per_minute ?? 0) > 0
  )
  if (!sandboxes.length) return
  const { data: variants } = await query.graph({ entity: "product_variant", fields: ["sku", "title", "product.title", "product.status"] })
  const catalogue = variants
    .filter((v: any) => v.sku && !v.sku.startsWith("FBA:") && v.product?.status === "published")
    .map((v: any) => ({ sku: v.sku, title: `${v.product?.title ?? ""} ${v.title}`.trim(), price: 19.9 }))
  if (!catalogue.length) return
  for (const channel of sandboxes) {
    const count = Math.min(50, Number((channel.settings as any).generate_orders_per_minute))
    const stamp = Date.now()
    const orders = generateSandboxOrders({
      count,
      catalogue,
      prefix: `SBX-${stamp.toString(36).toUpperCase()}`,
      seed: stamp % 100000,
      status: (_i, rnd) => (rnd() < 0.15 ? "pending" : "paid"),
    })
    if (stamp % 7 === 0 && orders[0]) orders[0].items[0].sku = "UNKNOWN-SKU-" + (stamp % 1000)
    await channels.putSandboxOrders(channel.id, orders as any)
  }
}

export const config = {
  name: "channel-orders-sandbox-generate-orders",
  schedule: "* * * * *",
}
