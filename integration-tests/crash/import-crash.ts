/**
 * The processes of the crash test (integration-tests/http/import-crash.spec.ts), run as
 * `medusa exec`-style scripts through bench/launch.js against one database:
 *
 *   CRASH_STEP=seed     seeds the store and one sandbox channel per failpoint, each holding its orders.
 *   CRASH_STEP=import   imports CRASH_CHANNEL as the scheduled job would; with CHANNEL_ORDERS_FAILPOINT
 *                       set, the process is killed (SIGKILL) at that point of the first import.
 *   CRASH_STEP=recover  imports every channel again (recovery first), then writes what is in the
 *                       database to CRASH_OUT as JSON.
 */
import fs from "node:fs"
import type { ExecArgs, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { seedStore } from "../../src/scripts/seed-store"
import { CHANNEL_MODULE } from "../../src/modules/channel"
import type ChannelModuleService from "../../src/modules/channel/service"
import { createChannelWorkflow } from "../../src/workflows/channels/create-channel"
import { replaceStatusRulesWorkflow } from "../../src/workflows/channels/replace-status-rules"
import { runChannelImport } from "../../src/workflows/import-orders/run-channel-import"
import { generateSandboxOrders } from "../../src/providers/sandbox/generator"

/**
 * Per failpoint: the import path it strikes. `fba` channels sell only marketplace-fulfilled lines
 * with SKUs the store does not have, so their import first creates placeholder products. The `mirakl`
 * channel reads the Mirakl simulator the test runs (CRASH_MIRAKL_URL), whose orders wait for the shop
 * to accept them (OR21) before they can be imported. Neither kind has claimed an order when it dies.
 */
export const CRASH_CHANNELS: Array<{ failpoint: string; batch: boolean; fba?: boolean; mirakl?: boolean }> = [
  { failpoint: "after-accept", batch: false, mirakl: true },
  { failpoint: "after-placeholder-products", batch: false, fba: true },
  { failpoint: "after-placeholder-products", batch: true, fba: true },
  { failpoint: "before-create", batch: false },
  { failpoint: "after-create", batch: false },
  { failpoint: "after-claim", batch: false },
  { failpoint: "before-finish", batch: false },
  { failpoint: "batch-after-create", batch: true },
  { failpoint: "batch-after-claim", batch: true },
  { failpoint: "before-payment-link", batch: false },
  { failpoint: "before-payment-link", batch: true },
  { failpoint: "before-finish", batch: true },
]
export const ORDERS_PER_CHANNEL = 6
export const channelName = (c: { failpoint: string; batch: boolean; fba?: boolean; mirakl?: boolean }) =>
  `Crash ${c.batch ? "batch" : "per-order"}${c.fba ? " FBA" : ""}${c.mirakl ? " Mirakl" : ""} ${c.failpoint}`
export const MIRAKL_API_KEY = "crash-shop-key"
/** The marketplace SKUs of an FBA channel's orders (none of them in the store). */
export const fbaSku = (n: number, k: number) => `FBA-CR${n}-${k}`

export default async function importCrash({ container }: ExecArgs) {
  const step = process.env.CRASH_STEP
  if (step === "seed") return seed(container)
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  if (step === "import") {
    const [channel] = await channels.listChannels({ name: process.env.CRASH_CHANNEL! } as any)
    await runChannelImport(container, { channel_id: channel.id, trigger: "manual" })
    return
  }
  // recover: every channel imported again, then the database as the test reads it.
  const list = await channels.listChannels({ name: CRASH_CHANNELS.map(channelName) } as any)
  const runs = []
  // Twice: Mirakl orders accepted by the first run reach SHIPPING and are imported by the second.
  for (let round = 0; round < 2; round++) {
    for (const channel of list) runs.push(await runChannelImport(container, { channel_id: channel.id, trigger: "manual" }))
  }
  const snap = await snapshot(container, list.map((c) => c.id), runs)
  fs.writeFileSync(process.env.CRASH_OUT!, JSON.stringify({ ...snap, channel_ids_by_name: Object.fromEntries(list.map((c) => [c.name, c.id])) }))
}

async function seed(container: MedusaContainer) {
  const store = await seedStore(container)
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const catalogue = store.variants.filter((v) => v.stocked === 100 && v.sku !== "V789").map((v) => ({ sku: v.sku, title: v.title, price: 20 }))
  for (const [n, c] of CRASH_CHANNELS.entries()) {
    if (c.mirakl) {
      await createChannelWorkflow(container).run({
        input: {
          name: channelName(c),
          provider: "mirakl",
          credentials_sealed: channels.sealCredentials({ api_key: MIRAKL_API_KEY }),
          settings: {
            base_url: process.env.CRASH_MIRAKL_URL,
            sales_channel_id: store.sales_channel_id,
            region_id: store.region_id,
            stock_location_id: store.stock_location_id,
            default_shipping_option_id: store.shipping_options.standard,
            lookback_hours: 24,
          },
        } as any,
      })
      continue
    }
    const { result: channel } = await createChannelWorkflow(container).run({
      input: {
        name: channelName(c),
        provider: "sandbox",
        credentials_sealed: channels.sealCredentials({ api_key: "sandbox-secret-key" }),
        settings: {
          sales_channel_id: store.sales_channel_id,
          region_id: store.region_id,
          stock_location_id: store.stock_location_id,
          shipping_mapping: { standard: store.shipping_options.standard },
          lookback_hours: 24,
          batch_import: c.batch,
        },
      } as any,
    })
    await replaceStatusRulesWorkflow(container).run({
      input: { channel_id: channel.id, status_rules: [{ external_status: "paid", action: "import_as_valid", retry: true }, { external_status: "on_hold", action: "import_and_hold", retry: true }] as any },
    })
    const orders = c.fba
      ? generateSandboxOrders({
          count: ORDERS_PER_CHANNEL,
          // Two SKUs shared by all the channel's orders: one placeholder each, however many orders wait for it.
          catalogue: [0, 1].map((k) => ({ sku: fbaSku(n, k), title: `Marketplace item ${k}`, price: 20 })),
          prefix: `CR${n}`,
          seed: 100 + n,
          status: () => "paid",
        }).map((o) => ({ ...o, fulfilled_by_marketplace: true }))
      : generateSandboxOrders({ count: ORDERS_PER_CHANNEL, catalogue, prefix: `CR${n}`, seed: 100 + n, status: (i) => (i % 3 === 2 ? "on_hold" : "paid") })
    await channels.putSandboxOrders(channel.id, orders as any)
  }
}

async function snapshot(container: MedusaContainer, channelIds: string[], runs: unknown[]) {
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const channelOrders = await channels.listChannelOrders({ channel_id: channelIds }, { select: ["id", "channel_id", "external_id", "state", "action", "order_id", "error_code", "error_message", "import_owner"] })
  const { data: orders } = await query.graph({
    entity: "order",
    fields: ["id", "metadata", "status", "items.id", "items.quantity", "items.variant_sku", "payment_collections.id", "payment_collections.status", "payment_collections.amount", "payment_collections.captured_amount", "total"],
    filters: {},
  })
  const itemIds = (orders as any[]).flatMap((o) => o.items.map((i: any) => i.id))
  const reservations = itemIds.length ? await container.resolve(Modules.INVENTORY).listReservationItems({ line_item_id: itemIds }) : []
  const holds = await channels.listOrderHolds({ channel_order_id: channelOrders.map((c) => c.id) } as any)
  const events = await channels.listChannelOrderEvents({ channel_order_id: channelOrders.map((c) => c.id), type: "import_interrupted" })
  // Every payment collection must belong to an order: a killed batch's unlinked ones are removed too.
  const db = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const orphanCollections = await db.raw(
    `select pc.id from payment_collection pc
     where pc.deleted_at is null and not exists (select 1 from order_payment_collection l where l.payment_collection_id = pc.id and l.deleted_at is null)`
  )
  const placeholders = await db.raw(
    `select v.sku, count(*)::int as variants, count(distinct v.product_id)::int as products from product_variant v
     where v.deleted_at is null and v.sku like 'FBA:FBA-CR%' group by 1 order by 1`
  )
  return {
    runs,
    placeholders: placeholders.rows,
    channel_orders: channelOrders,
    orders: (orders as any[]).filter((o) => channelIds.includes(o.metadata?.channel_id)),
    reservations: reservations.map((r: any) => ({ line_item_id: r.line_item_id, quantity: Number(r.quantity) })),
    holds: holds.map((h: any) => ({ order_id: h.order_id, reason: h.reason })),
    interrupted: events.map((e: any) => ({ channel_order_id: e.channel_order_id, data: e.data })),
    orphan_payment_collections: orphanCollections.rows.map((r: any) => r.id),
  }
}
