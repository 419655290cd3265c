/**
 * The two halves of the import-path equivalence test (integration-tests/http/import-equivalence.spec.ts),
 * run as `medusa exec`-style scripts through bench/launch.js, each against its own database:
 *
 *   EQ_STEP=seed      seeds the store, buyers, an import rule and two sandbox channels holding the
 *                     same 100 orders; the test then clones this database (CREATE DATABASE … TEMPLATE),
 *                     so both halves start from identical rows and identical ids.
 *   EQ_STEP=import    sets the channels' batch_import to EQ_BATCH, runs their import as the scheduled
 *                     job does, and writes everything the import created to EQ_OUT as JSON.
 */
import fs from "node:fs"
import type { ExecArgs, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { seedStore } from "../../src/scripts/seed-store"
import { CHANNEL_MODULE } from "../../src/modules/channel"
import type ChannelModuleService from "../../src/modules/channel/service"
import { createChannelWorkflow } from "../../src/workflows/channels/create-channel"
import { updateChannelWorkflow } from "../../src/workflows/channels/update-channel"
import { replaceStatusRulesWorkflow } from "../../src/workflows/channels/replace-status-rules"
import { saveImportRuleWorkflow } from "../../src/workflows/rules/save-import-rule"
import { runChannelImport } from "../../src/workflows/import-orders/run-channel-import"
import { generateSandboxOrders } from "../../src/providers/sandbox/generator"

const RULES = [
  { external_status: "paid", action: "import_as_valid", retry: true },
  { external_status: "on_hold", action: "import_and_hold", retry: true },
  { external_status: "pending", action: "import_and_invoice", retry: true },
  { external_status: "shipped", action: "import_as_history", retry: false },
  { external_status: "canceled", action: "import_and_cancel", retry: false },
]
const STATUSES: Array<[string, number]> = [["paid", 0.6], ["on_hold", 0.1], ["pending", 0.15], ["shipped", 0.1], ["canceled", 0.05]]

export default async function importPaths({ container }: ExecArgs) {
  if (process.env.EQ_STEP === "seed") await seed(container)
  else await importAndSnapshot(container, process.env.EQ_BATCH === "true", process.env.EQ_OUT!)
}

async function seed(container: MedusaContainer) {
  const store = await seedStore(container)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const { data: variants } = await query.graph({
    entity: "product_variant",
    fields: ["id", "sku", "title", "product.title", "prices.amount", "prices.currency_code"],
    filters: { id: store.variants.map((v) => v.id) },
  })
  // Every seeded variant, the short-stocked ones too, so some orders are held for stock.
  const catalogue = (variants as any[])
    .map((v) => ({ sku: v.sku, title: `${v.product?.title ?? ""} ${v.title ?? ""}`.trim(), price: Number(v.prices.find((p: any) => p.currency_code === "eur")?.amount) }))
    .filter((c) => Number.isFinite(c.price))
    .sort((a, b) => a.sku.localeCompare(b.sku))

  // VAT: a default rate per country, a reduced rate for one product in Germany and one for the
  // standard shipping option in France, so rule-matched rates are compared too.
  const tax = container.resolve(Modules.TAX)
  const taxRegions = await tax.listTaxRegions({ parent_id: null } as any)
  const rates: Record<string, number> = { de: 19, fr: 20, es: 21, it: 22, nl: 21, be: 21, at: 20, gb: 20, us: 0 }
  await tax.createTaxRates(taxRegions.map((r) => ({ tax_region_id: r.id, rate: rates[r.country_code!] ?? 10, code: `VAT-${r.country_code}`, name: "VAT", is_default: true })))
  const de = taxRegions.find((r) => r.country_code === "de")!
  const fr = taxRegions.find((r) => r.country_code === "fr")!
  const socks = store.variants.find((v) => v.sku.startsWith("SOCKS"))!
  await tax.createTaxRates([
    { tax_region_id: de.id, rate: 7, code: "DE-REDUCED", name: "Reduced", rules: [{ reference: "product", reference_id: socks.product_id }] },
    { tax_region_id: fr.id, rate: 5.5, code: "FR-SHIPPING", name: "Shipping", rules: [{ reference: "shipping_option", reference_id: store.shipping_options.standard }] },
  ])

  // Buyers Medusa already knows: one with an account, one guest.
  const customers = container.resolve(Modules.CUSTOMER)
  await customers.createCustomers([
    { email: "known.account@buyers.example", has_account: true, first_name: "Known", last_name: "Account" },
    { email: "known.guest@buyers.example", has_account: false },
  ])
  await saveImportRuleWorkflow(container).run({
    input: {
      rule: {
        name: "Large quantity",
        priority: 1,
        conditions: { all: [{ field: "max_item_quantity", operator: "gte", value: 2 }] },
        actions: [{ type: "add_tags", tags: ["Review Needed", "Bulk"] }, { type: "hold", detail: "Large quantity" }, { type: "alert", message: "Bulk order", severity: "info" }],
      },
    },
  })

  let n = 0
  const status = (i: number, rnd: () => number) => {
    const r = rnd()
    let acc = 0
    for (const [s, p] of STATUSES) if (r < (acc += p)) return s
    return "paid"
  }
  const orders = generateSandboxOrders({ count: 100, catalogue, prefix: "EQ", seed: 8, status })
  for (const o of orders) {
    n++
    // Returning buyers (the same e-mail several times on one page), in another case too.
    if (n % 10 === 3) o.email = orders[1].email
    if (n === 17) o.email = "Known.Account@Buyers.example"
    if (n === 18 || n === 61) o.email = "known.guest@buyers.example"
    if (n === 25) o.email = null as any
    if (n === 40) o.items[0].sku = "NOT-IN-CATALOGUE"
    if (n === 41) o.shipping = { service_code: "carrier-pigeon", name: "Carrier pigeon", price: 12 }
    if (n === 55) o.items[0].discount_total = Math.round(o.items[0].unit_price * o.items[0].quantity * 15) / 100
    if (n === 70) o.shipping_address = { ...o.shipping_address!, country_code: "fr", city: "Lyon", postal_code: "69001" }
    // Marketplace money: VAT-inclusive prices with the marketplace's tax, promotions on lines and
    // shipping, charges, a sub-cent price, a zero-value replacement, cash on delivery.
    if (n % 4 === 0 || n > 80) {
      o.prices_include_tax = true
      for (const it of o.items) it.tax_total = Math.round(((Number(it.unit_price) * it.quantity - Number(it.discount_total ?? 0)) * 19) / 1.19) / 100
      o.shipping = { ...o.shipping!, tax_total: 0.78, tax_rate: 19 }
    }
    if (n === 12 || n === 84) {
      o.prices_include_tax = true
      o.items[0].discounts = [{ code: "WINTER10", name: "Winter sale", amount: 5 }]
      o.items[0].discount_total = 5
      o.items[0].tax_total = Math.round(((Number(o.items[0].unit_price) * o.items[0].quantity - 5) * 19) / 1.19) / 100
      o.shipping = { ...o.shipping!, price: 4.9, discount_total: 1.9, discounts: [{ code: "FREESHIP-PART", amount: 1.9 }], tax_total: 0.48 }
    }
    if (n === 33 || n === 88) o.charges = [{ type: "gift_wrap", name: "Gift wrap", amount: 3.33, tax_total: 0.53 }]
    if (n === 44) o.items = [{ ...o.items[0], quantity: 2, unit_price: 22.495, tax_total: 0 }]
    if (n === 64) {
      o.items = o.items.map((it) => ({ ...it, unit_price: 0, tax_total: 0, discount_total: 0 }))
      o.shipping = { ...o.shipping!, price: 0, tax_total: 0 }
      o.replaces_external_id = orders[0].external_id
    }
    if (n === 66 || n === 92) {
      o.payment_status = "pending"
      o.payment_method = "cash_on_delivery"
      o.charges = [{ type: "cod_fee", name: "Cash on delivery fee", amount: 2.5, tax_total: 0.4 }]
    }
    if (n === 75) o.totals = { total: 1, tax_total: 0 }
  }

  const base = {
    sales_channel_id: store.sales_channel_id,
    region_id: store.region_id,
    stock_location_id: store.stock_location_id,
    shipping_mapping: { standard: store.shipping_options.standard, express: store.shipping_options.express },
    lookback_hours: 24,
    page_size: 40,
    import_unavailable_products: true,
  }
  const plan: Array<[string, Record<string, unknown>, typeof orders]> = [
    ["Equivalence captured", { ...base, payment_status: "captured" }, orders.slice(0, 80)],
    // The store's tax regions compute this channel's taxes, so the tax module's path is compared too.
    ["Equivalence authorized", { ...base, payment_status: "authorized", tax_mode: "store" }, orders.slice(80)],
  ]
  for (const [name, settings, share] of plan) {
    const { result: channel } = await createChannelWorkflow(container).run({
      input: { name, provider: "sandbox", credentials_sealed: channels.sealCredentials({ api_key: "sandbox-secret-key" }), settings } as any,
    })
    await replaceStatusRulesWorkflow(container).run({ input: { channel_id: channel.id, status_rules: RULES as any } })
    await channels.putSandboxOrders(channel.id, share as any)
  }
}

async function importAndSnapshot(container: MedusaContainer, batch: boolean, out: string) {
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)

  // Every event the import emits, in emission order.
  const eventBus: any = container.resolve(Modules.EVENT_BUS)
  const emitted: Array<{ name: string; data: unknown }> = []
  const emit = eventBus.emit.bind(eventBus)
  eventBus.emit = async (messages: any, options?: any) => {
    for (const m of Array.isArray(messages) ? messages : [messages]) emitted.push({ name: m.name ?? m.eventName, data: m.data })
    return emit(messages, options)
  }

  const list = await channels.listChannels({ name: ["Equivalence captured", "Equivalence authorized"] } as any)
  const runs = []
  const sorted = list.sort((a, b) => a.name.localeCompare(b.name))
  for (const channel of sorted) {
    await updateChannelWorkflow(container).run({ input: { id: channel.id, settings: { ...(channel.settings as any), batch_import: batch } } as any })
  }
  emitted.length = 0 // only what the import emits
  for (const channel of sorted) runs.push(await runChannelImport(container, { channel_id: channel.id, trigger: "manual" }))

  const channelOrders = await channels.listChannelOrders({ channel_id: list.map((c) => c.id) }, { take: 1000 })
  const orderIds = channelOrders.map((c) => c.order_id).filter((x): x is string => !!x)
  const { data: orders } = await query.graph({
    entity: "order",
    fields: [
      "*",
      "summary.*",
      "customer.*",
      "shipping_address.*",
      "billing_address.*",
      "items.*",
      "items.tax_lines.*",
      "items.adjustments.*",
      "shipping_methods.*",
      "shipping_methods.tax_lines.*",
      "shipping_methods.adjustments.*",
      "transactions.*",
      "fulfillments.*",
      "fulfillments.items.*",
      "payment_collections.*",
      "payment_collections.payment_sessions.*",
      "payment_collections.payments.*",
      "payment_collections.payments.captures.*",
      "total",
      "subtotal",
      "tax_total",
      "shipping_total",
      "discount_total",
      "item_total",
      "original_total",
    ],
    filters: { id: orderIds },
  })
  const itemIds = (orders as any[]).flatMap((o) => o.items.map((i: any) => i.id))
  const inventory = container.resolve(Modules.INVENTORY)
  const reservations = itemIds.length ? await inventory.listReservationItems({ line_item_id: itemIds }, { take: 10_000 }) : []
  const [holds, tags, timeline, invoices] = await Promise.all([
    channels.listOrderHolds({ order_id: orderIds }, { take: 10_000 }),
    channels.listOrderTags({ order_id: orderIds }, { take: 10_000 }),
    channels.listChannelOrderEvents({ channel_order_id: channelOrders.map((c) => c.id) }, { take: 10_000, order: { created_at: "ASC" } }),
    channels.listChannelInvoices({ order_id: orderIds }, { take: 10_000 }),
  ])
  const customers = await container.resolve(Modules.CUSTOMER).listCustomers({}, { take: 10_000 })
  const notifications = await container.resolve(Modules.NOTIFICATION).listNotifications({ resource_id: orderIds }, { take: 10_000 })

  const byOrder = (rows: any[]) => (id: string) => rows.filter((r) => r.order_id === id)
  const snapshot = {
    batch,
    runs: runs.map((r) => ({ status: r.status, fetched: r.fetched, imported: r.imported, failed: r.failed, waiting: r.waiting, ignored: r.ignored })),
    channel_orders: channelOrders.map((co) => {
      const order = (orders as any[]).find((o) => o.id === co.order_id) ?? null
      return {
        external_id: co.external_id,
        state: co.state,
        action: co.action,
        error_code: co.error_code,
        error_message: co.error_message,
        rule_effects: co.rule_effects,
        order: order && {
          ...order,
          reservations: reservations
            .filter((r: any) => order.items.some((i: any) => i.id === r.line_item_id))
            .map((r: any) => ({ ...r, line: order.items.find((i: any) => i.id === r.line_item_id)?.metadata?.external_item_id })),
          holds: byOrder(holds)(order.id),
          tags: byOrder(tags)(order.id),
          invoices: byOrder(invoices)(order.id),
          notifications: notifications.filter((n: any) => n.resource_id === order.id),
        },
        timeline: timeline.filter((e) => e.channel_order_id === co.id).map((e) => ({ type: e.type, message: e.message, data: e.data })),
      }
    }),
    customers,
    events: emitted,
    paths: timeline.filter((e) => e.type === "created").map((e) => (e.data as any)?.path ?? null),
  }
  fs.writeFileSync(out, JSON.stringify(snapshot, null, 1))
}
