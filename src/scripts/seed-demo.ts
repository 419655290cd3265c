import type { ExecArgs, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../modules/channel"
import type ChannelModuleService from "../modules/channel/service"
import { createChannelWorkflow } from "../workflows/channels/create-channel"
import { updateChannelWorkflow } from "../workflows/channels/update-channel"
import { saveImportRuleWorkflow } from "../workflows/rules/save-import-rule"
import seed from "./seed"
import { readBack, type SeededStore } from "./seed-store"

/**
 * `npm run demo`'s seed (issue 20): everything `seed.ts` makes, plus what shows the product at work:
 *
 * - the seed-002 tutorial rule (hold orders with a quantity over 4, tag "Review Needed") and a
 *   second rule tagging large orders "High Priority";
 * - a channel for each demo marketplace (demo/marketplaces.ts), whose URLs and simulated
 *   credentials `scripts/run.js demo` passes in CHANNEL_ORDERS_DEMO_MARKETPLACES.
 *
 * Idempotent: a restart finds the rules and channels by name and only points the channels at the
 * marketplaces' new addresses. Whatever the merchant changed in between is left as it is.
 */
export const DEMO_RULES = [
  {
    name: "Hold large quantities for review",
    priority: 100,
    conditions: { all: [{ field: "max_item_quantity", operator: "gt", value: 4 }] },
    actions: [
      { type: "hold", detail: "A line has more than 4 units: check stock and the buyer before shipping" },
      { type: "add_tags", tags: ["Review Needed"] },
    ],
  },
  {
    name: "Tag large orders",
    priority: 50,
    conditions: { all: [{ field: "total", operator: "gte", value: 200 }] },
    actions: [{ type: "add_tags", tags: ["High Priority"] }],
  },
] as const

type DemoMarketplace = { settings: Record<string, unknown>; credentials: Record<string, unknown> }

export const DEMO_MARKETPLACE_CHANNELS = [
  // Amazon's searchOrders refills one request every 3 minutes: a pull every 5 stays inside its budget.
  { key: "amazon", name: "Amazon.de (demo)", settings: { pull_interval_minutes: 5 } },
  { key: "ebay", name: "eBay.de (demo)", settings: { pull_interval_minutes: 2 } },
  { key: "mirakl", name: "Mirakl marketplace (demo)", settings: { pull_interval_minutes: 2 } },
] as const

export async function ensureDemoRules(container: MedusaContainer) {
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  for (const rule of DEMO_RULES) {
    const [existing] = await channels.listImportRules({ name: rule.name })
    if (!existing) await saveImportRuleWorkflow(container).run({ input: { rule: rule as unknown as Record<string, unknown> } })
  }
}

export async function ensureDemoMarketplaceChannels(container: MedusaContainer, store: SeededStore, marketplaces: Record<string, DemoMarketplace>) {
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const out: Array<{ id: string; name: string; provider: string }> = []
  for (const { key, name, settings } of DEMO_MARKETPLACE_CHANNELS) {
    const marketplace = marketplaces[key]
    if (!marketplace) continue
    const [existing] = await channels.listChannels({ name, provider: key })
    if (existing) {
      // The simulators listen on new ports after a restart; the credentials go with the new address.
      await updateChannelWorkflow(container).run({
        input: { id: existing.id, settings: marketplace.settings, credentials_sealed: channels.sealCredentials(marketplace.credentials) },
      })
      out.push({ id: existing.id, name, provider: key })
      continue
    }
    const { result } = await createChannelWorkflow(container).run({
      input: {
        name,
        provider: key,
        enabled: true,
        credentials_sealed: channels.sealCredentials(marketplace.credentials),
        settings: {
          sales_channel_id: store.sales_channel_id,
          region_id: store.region_id,
          stock_location_id: store.stock_location_id,
          shipping_mapping: { standard: store.shipping_options.standard, express: store.shipping_options.express },
          default_shipping_option_id: store.shipping_options.standard,
          carrier_mapping: { [store.shipping_options.standard]: "DHL", [store.shipping_options.express]: "UPS" },
          lookback_hours: 72,
          ...settings,
          ...marketplace.settings,
        },
      },
    })
    out.push({ id: (result as any).id, name, provider: key })
  }
  return out
}

export default async function seedDemo(args: ExecArgs) {
  const { container } = args
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  await seed(args)
  const store = await readBack(container)
  await ensureDemoRules(container)
  const raw = process.env.CHANNEL_ORDERS_DEMO_MARKETPLACES
  if (raw) {
    for (const c of await ensureDemoMarketplaceChannels(container, store, JSON.parse(raw))) {
      logger.info(`Demo marketplace channel ${c.id} ("${c.name}")`)
    }
  }
}
