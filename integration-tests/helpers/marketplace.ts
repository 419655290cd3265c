import fs from "node:fs"
import path from "node:path"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { SeededStore } from "../../src/scripts/seed-store"
import type { RateLimit } from "../../src/modules/channel/types/provider"
import { refill } from "../../src/providers/shared/rate-limiter"

/**
 * Shared plumbing of the marketplace HTTP suites (Amazon, eBay, Mirakl): channels created through
 * the admin API, imports run through the admin API, and read-backs of what landed in Medusa.
 */

export type Auth = { headers: Record<string, string> }

/** Rethrows an admin API failure with its status and message (axios errors hide the body). */
export async function admin<T = any>(call: Promise<{ data: T }>): Promise<T> {
  try {
    return (await call).data
  } catch (e: any) {
    if (e?.response) throw new Error(`Admin API ${e.response.status}: ${JSON.stringify(e.response.data)}`)
    throw e
  }
}

/** The test rate scale. medusa-config.ts reads it when the suite's module loads the config. */
export function useRateLimitMultiplier(multiplier: number): number {
  // The runner's `env` option is applied only after medusa-config.ts was loaded (configLoaderOverride
  // runs first), so the variable must be in process.env before the runner starts.
  process.env.CHANNEL_RATE_LIMIT_MULTIPLIER = String(multiplier)
  return multiplier
}

/** The region of a currency (the seed has EUR "Europe", USD "United States", GBP "United Kingdom"). */
export async function regionFor(container: MedusaContainer, currency: string): Promise<string> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "region", fields: ["id", "currency_code"], filters: { currency_code: currency } })
  if (!data.length) throw new Error(`No region in ${currency}`)
  return (data[0] as any).id
}

/** SKUs with a full stock of 100 at the seeded warehouse, so a pull never runs short. */
export function wellStockedSkus(store: SeededStore): string[] {
  return store.variants.filter((v) => v.stocked === 100 && v.sku !== "V789").map((v) => v.sku)
}

export function variantBySku(store: SeededStore, sku: string) {
  const v = store.variants.find((x) => x.sku === sku)
  if (!v) throw new Error(`No seeded variant ${sku}`)
  return v
}

export async function createChannel(
  api: any,
  auth: Auth,
  body: { name: string; provider: string; credentials: Record<string, unknown>; settings: Record<string, unknown>; enabled?: boolean }
): Promise<{ id: string; name: string; settings: Record<string, any> }> {
  const data = await admin(api.post("/admin/channels", body, auth))
  return data.channel
}

/**
 * The scheduled job pulls any enabled channel that never ran, at the next minute tick. Suites that
 * do work between creating a channel and its first import create it disabled and enable it here,
 * right before the import, so the job cannot race the test for the channel's lock.
 */
export async function enableAndImport(api: any, auth: Auth, channelId: string) {
  await admin(api.post(`/admin/channels/${channelId}`, { enabled: true }, auth))
  return runImport(api, auth, channelId)
}

export async function runImport(api: any, auth: Auth, channelId: string) {
  const data = await admin(api.post(`/admin/channels/${channelId}/import`, {}, auth))
  return data.run as Record<string, any>
}

export async function timedImport(api: any, auth: Auth, channelId: string, enable = false) {
  const started = Date.now()
  const run = enable ? await enableAndImport(api, auth, channelId) : await runImport(api, auth, channelId)
  return { run, ms: Date.now() - started }
}

/** Every channel order of a channel, through the admin list route. */
export async function channelOrders(api: any, auth: Auth, channelId: string, state?: string): Promise<any[]> {
  const out: any[] = []
  for (let offset = 0; ; offset += 500) {
    const qs = `channel_id=${channelId}${state ? `&state=${state}` : ""}&limit=500&offset=${offset}`
    const { data } = await api.get(`/admin/channel-orders?${qs}`, auth)
    out.push(...data.channel_orders)
    if (out.length >= data.count || !data.channel_orders.length) return out
  }
}

export const ORDER_FIELDS = [
  "id",
  "email",
  "status",
  "currency_code",
  "region_id",
  "sales_channel_id",
  "metadata",
  "items.id",
  "items.title",
  "items.quantity",
  "items.detail.quantity",
  "items.unit_price",
  "items.is_tax_inclusive",
  "items.variant_id",
  "items.variant_sku",
  "items.product_id",
  "items.metadata",
  "version",
  "items.adjustments.amount",
  "items.adjustments.code",
  "items.adjustments.version",
  "shipping_address.first_name",
  "shipping_address.last_name",
  "shipping_address.company",
  "shipping_address.address_1",
  "shipping_address.address_2",
  "shipping_address.city",
  "shipping_address.province",
  "shipping_address.postal_code",
  "shipping_address.country_code",
  "shipping_address.phone",
  "billing_address.first_name",
  "billing_address.last_name",
  "billing_address.address_1",
  "billing_address.city",
  "billing_address.postal_code",
  "billing_address.country_code",
  "billing_address.phone",
  "shipping_methods.name",
  "shipping_methods.amount",
  "shipping_methods.shipping_option_id",
  "shipping_methods.data",
  "shipping_methods.adjustments.amount",
  "shipping_methods.adjustments.version",
]

/**
 * An order's adjustments as of its current version. Medusa copies a line's adjustments to each new
 * order version (a fulfillment, a shipment), and a query of the relation returns every version's.
 */
export function currentAdjustments(order: { version?: number }, adjustments: Array<{ amount: unknown; version?: number }> | null | undefined) {
  return (adjustments ?? []).filter((a) => a.version === undefined || a.version === order.version)
}

/** Every Medusa order a channel created, grouped by external id (a list, so doubles show). */
export async function medusaOrdersOf(container: MedusaContainer, channelId: string): Promise<Map<string, any[]>> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "order", fields: ORDER_FIELDS })
  const byExternal = new Map<string, any[]>()
  for (const o of data as any[]) {
    if (o.metadata?.channel_id !== channelId) continue
    // The quantity lives on the order item (the line's "detail"); query returns it there.
    for (const item of o.items ?? []) item.quantity = Number(item.quantity ?? item.detail?.quantity)
    const key = String(o.metadata.external_id)
    byExternal.set(key, [...(byExternal.get(key) ?? []), o])
  }
  return byExternal
}

/**
 * Nothing lost, nothing doubled: each external order has exactly one Medusa order, and each channel
 * order of the channel is imported and points at that order. `notImported` lists external orders
 * that must have exactly one channel order in the given state and no Medusa order.
 */
export async function expectEachImportedOnce(
  api: any,
  auth: Auth,
  container: MedusaContainer,
  channelId: string,
  externalIds: string[],
  notImported: { state: string; ids: string[] } = { state: "waiting", ids: [] }
) {
  const orders = await medusaOrdersOf(container, channelId)
  const cos = await channelOrders(api, auth, channelId)
  const coByExternal = new Map(cos.map((c) => [c.external_id, c]))
  const problems: string[] = []
  for (const id of notImported.ids) {
    const co = coByExternal.get(id)
    if (!co || co.state !== notImported.state || co.order_id) problems.push(`${id}: channel order ${co?.state} → ${co?.order_id}`)
    if (orders.has(id)) problems.push(`${id}: has a Medusa order`)
  }
  if (new Set(cos.map((c) => c.external_id)).size !== cos.length) problems.push("a channel order is doubled")
  for (const id of externalIds) {
    const n = orders.get(id)?.length ?? 0
    if (n !== 1) problems.push(`${id}: ${n} Medusa orders`)
    const co = coByExternal.get(id)
    if (!co) problems.push(`${id}: no channel order`)
    else if (co.state !== "imported" || !co.order_id || co.order_id !== orders.get(id)?.[0]?.id) {
      problems.push(`${id}: channel order ${co.state} → ${co.order_id}`)
    }
  }
  const extra = [...orders.keys()].filter((k) => !externalIds.includes(k))
  if (extra.length) problems.push(`unexpected Medusa orders for ${extra.join(", ")}`)
  const expected = externalIds.length + notImported.ids.length
  if (cos.length !== expected) problems.push(`${cos.length} channel orders for ${expected} external orders`)
  expect(problems).toEqual([])
}

export async function reservationsByLine(container: MedusaContainer, lineItemIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  if (!lineItemIds.length) return out
  const rows = await container.resolve(Modules.INVENTORY).listReservationItems({ line_item_id: lineItemIds }, { take: 100_000 })
  for (const r of rows as any[]) out.set(r.line_item_id, (out.get(r.line_item_id) ?? 0) + Number(r.quantity))
  return out
}

/** stocked/reserved per SKU at the seeded warehouse. */
export async function stockSnapshot(container: MedusaContainer, store: SeededStore, skus: string[]) {
  const ids = skus.map((s) => variantBySku(store, s).inventory_item_id)
  const levels = await container.resolve(Modules.INVENTORY).listInventoryLevels({ inventory_item_id: ids, location_id: store.stock_location_id })
  const byItem = new Map(levels.map((l: any) => [l.inventory_item_id, l]))
  const out: Record<string, { stocked: number; reserved: number }> = {}
  for (const sku of skus) {
    const l: any = byItem.get(variantBySku(store, sku).inventory_item_id)
    out[sku] = { stocked: Number(l?.stocked_quantity ?? 0), reserved: Number(l?.reserved_quantity ?? 0) }
  }
  return out
}

/** The Medusa order as the admin API shows it, with the statuses Medusa computes. */
export async function adminOrder(api: any, auth: Auth, orderId: string) {
  const { data } = await api.get(
    `/admin/orders/${orderId}?fields=id,status,payment_status,fulfillment_status,currency_code,region_id,email,total,metadata,*items,*shipping_address,*billing_address,*shipping_methods,*fulfillments`,
    auth
  )
  return data.order
}

/**
 * Replays arrival times through a token bucket of `limit`: the requests that found no token.
 * `toleranceMs` forgives the transit jitter between the client's bucket and the server's clock.
 */
export function overLimit(times: number[], limit: RateLimit, toleranceMs = 50): number[] {
  const sorted = [...times].sort((a, b) => a - b)
  let bucket = { tokens: limit.burst, updated_at_ms: sorted[0] ?? 0 }
  const late: number[] = []
  for (const t of sorted) {
    const { tokens } = refill(bucket, limit, t)
    if (tokens + (limit.rate * toleranceMs) / 1000 >= 1) bucket = { tokens: tokens - 1, updated_at_ms: t }
    else {
      late.push(t)
      bucket = { tokens, updated_at_ms: t }
    }
  }
  return late
}

/** Least time a token bucket needs for `n` requests starting full. */
export function minimumSeconds(n: number, limit: RateLimit): number {
  return Math.max(0, n - limit.burst) / limit.rate
}

/**
 * Temporarily changes a registered provider's module options (e.g. its per-request timeout, which
 * no channel setting or environment variable reaches) and returns the undo.
 */
export function patchProviderOptions(container: MedusaContainer, providerId: string, patch: Record<string, unknown>): () => void {
  const provider: any = (container.resolve("channel") as any).getProvider(providerId)
  const key = "options_" in provider ? "options_" : "options"
  const before = provider[key]
  provider[key] = { ...(before ?? {}), ...patch }
  return () => {
    provider[key] = before
  }
}

/** The module options the provider was registered with (to check the rate multiplier reached it). */
export function providerOptions(container: MedusaContainer, providerId: string): Record<string, any> {
  const provider: any = (container.resolve("channel") as any).getProvider(providerId)
  return provider.options_ ?? provider.options ?? {}
}

/** A run summary's counters, for logs. */
export function counts(run: Record<string, any>) {
  const { status, pages, fetched, imported, waiting, ignored, failed, skipped, error } = run
  return { status, pages, fetched, imported, waiting, ignored, failed, skipped, error }
}

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d

/** Collects a suite's measurements and prints (and stores) them when the suite ends. */
export class SuiteMetrics {
  readonly started = Date.now()
  readonly data: Record<string, unknown> = {}
  requests = 0

  constructor(readonly suite: string) {}

  pull(orders: number, ms: number, extra: Record<string, unknown> = {}) {
    this.data.pull = { orders, seconds: round(ms / 1000), orders_per_second: round(orders / (ms / 1000)), ...extra }
  }

  addRequests(n: number, label: string) {
    this.requests += n
    this.data.requests_by_test = { ...((this.data.requests_by_test as object) ?? {}), [label]: n }
  }

  report() {
    const out = { suite: this.suite, wall_seconds_since_suite_load: round((Date.now() - this.started) / 1000, 1), marketplace_requests: this.requests, ...this.data }
    // eslint-disable-next-line no-console
    console.log(`MARKETPLACE METRICS ${JSON.stringify(out)}`)
    try {
      const dir = path.resolve(__dirname, "../../.medusa/test-results")
      fs.mkdirSync(dir, { recursive: true })
      fs.writeFileSync(path.join(dir, `marketplace-${this.suite}.metrics.json`), JSON.stringify(out, null, 2))
    } catch {
      // measurements are a by-product; never fail a suite over them
    }
    return out
  }
}
