import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type { SeededStore } from "../../src/scripts/seed-store"
import type { CanonicalOrderInput } from "../../src/modules/channel/types/canonical-order"

/** A canonical sandbox order for the seeded catalogue. */
export function sandboxOrder(externalId: string, opts: Partial<CanonicalOrderInput> & { lines?: Array<[string, number, number?]> } = {}): CanonicalOrderInput {
  const lines = opts.lines ?? [["TSHIRT-M", 1, 19.9]]
  const { lines: _omit, ...rest } = opts
  return {
    external_id: externalId,
    status: "paid",
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
    currency_code: "eur",
    email: `${externalId.toLowerCase()}@buyers.example`,
    customer: { first_name: "Ada", last_name: "Lovelace", phone: "+49 30 1234567" },
    shipping_address: { first_name: "Ada", last_name: "Lovelace", address_1: "Hauptstraße 1", city: "Berlin", postal_code: "10115", country_code: "de" },
    items: lines.map(([sku, quantity, price], i) => ({
      external_id: `${externalId}-L${i + 1}`,
      sku,
      title: `Item ${sku}`,
      quantity,
      unit_price: price ?? 19.9,
      tax_total: 0,
      discount_total: 0,
    })),
    shipping: { service_code: "standard", name: "Standard", price: 4.9 },
    fulfilled_by_marketplace: false,
    payment_status: "paid",
    custom_fields: {},
    ...rest,
  }
}

export function channelSettings(store: SeededStore, extra: Record<string, unknown> = {}) {
  return {
    sales_channel_id: store.sales_channel_id,
    region_id: store.region_id,
    stock_location_id: store.stock_location_id,
    shipping_mapping: { standard: store.shipping_options.standard, express: store.shipping_options.express },
    lookback_hours: 24,
    ...extra,
  }
}

export async function createSandboxChannel(api: any, auth: any, store: SeededStore, extra: Record<string, unknown> = {}, name = "Sandbox") {
  const { data } = await api.post("/admin/channels", { name, provider: "sandbox", credentials: { api_key: "sandbox-secret-key" }, settings: channelSettings(store, extra) }, auth)
  return data.channel as { id: string; name: string }
}

export async function setRules(api: any, auth: any, channelId: string, rules: Array<[string, string, boolean]>) {
  await api.put(`/admin/channels/${channelId}/status-rules`, { status_rules: rules.map(([external_status, action, retry]) => ({ external_status, action, retry })) }, auth)
}

export async function inject(api: any, auth: any, channelId: string, orders: CanonicalOrderInput[]) {
  await api.post(`/admin/channels/${channelId}/sandbox/orders`, { orders }, auth)
}

/**
 * An import run of the channel, now. The plugin's scheduled job also ticks in the test app and pulls
 * a new channel at once; while its run holds the channel the route answers 409, so wait for it.
 */
export async function runImport(api: any, auth: any, channelId: string) {
  const deadline = Date.now() + 60_000
  for (;;) {
    const res = await api.post(`/admin/channels/${channelId}/import`, {}, auth).catch((e: any) => {
      if (e?.response?.status === 409 && Date.now() < deadline) return null
      throw e
    })
    if (res) return res.data.run
    await new Promise((r) => setTimeout(r, 500))
  }
}

export async function channelOrder(api: any, auth: any, channelId: string, externalId: string) {
  const { data } = await api.get(`/admin/channel-orders?channel_id=${channelId}&external_id=${encodeURIComponent(externalId)}`, auth)
  return data.channel_orders[0]
}

/** The Medusa order as the admin API shows it, with the statuses Medusa computes. */
export async function adminOrder(api: any, auth: any, orderId: string) {
  const { data } = await api.get(`/admin/orders/${orderId}?fields=id,status,payment_status,fulfillment_status,total,email,metadata,*items,*shipping_address,*shipping_methods,*fulfillments`, auth)
  return data.order
}

export async function reservationsFor(container: MedusaContainer, orderId: string) {
  const query = container.resolve("query")
  const { data } = await query.graph({ entity: "order", fields: ["items.id"], filters: { id: orderId } })
  const itemIds = (data[0]?.items ?? []).map((i: any) => i.id)
  if (!itemIds.length) return []
  return container.resolve(Modules.INVENTORY).listReservationItems({ line_item_id: itemIds })
}

export async function stockOf(container: MedusaContainer, store: SeededStore, sku: string) {
  const v = store.variants.find((x) => x.sku === sku)!
  const [level] = await container.resolve(Modules.INVENTORY).listInventoryLevels({ inventory_item_id: v.inventory_item_id, location_id: store.stock_location_id })
  return { stocked: Number(level.stocked_quantity), reserved: Number(level.reserved_quantity) }
}

export async function countOrdersWithExternalId(container: MedusaContainer, externalId: string) {
  const orders = await container.resolve(Modules.ORDER).listOrders({}, { select: ["id", "metadata"], take: 10000 })
  return orders.filter((o: any) => o.metadata?.external_id === externalId).length
}
