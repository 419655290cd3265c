import { Readable } from "stream"
import { stringify } from "csv-stringify"
import { getLastFulfillmentStatus, getLastPaymentStatus } from "@medusajs/medusa/core-flows"

export type ExportFormat = "csv" | "csv_items" | "json" | "jsonl"

/** What query.graph reads of an order for an export: Medusa's own totals, never recomputed here. */
export const EXPORT_ORDER_FIELDS = [
  "id",
  "display_id",
  "status",
  "email",
  "currency_code",
  "created_at",
  "updated_at",
  "metadata",
  "total",
  "subtotal",
  "tax_total",
  "shipping_total",
  "discount_total",
  "item_total",
  "original_total",
  "items.*",
  "items.detail.*",
  "shipping_methods.name",
  "shipping_methods.amount",
  "shipping_methods.total",
  "shipping_methods.shipping_option_id",
  "shipping_address.*",
  "billing_address.*",
  "fulfillments.*",
  "payment_collections.*",
  "sales_channel_id",
]

/** An amount as a plain number (query.graph may hand back a BigNumber). */
export function amount(v: unknown): number | null {
  if (v === null || v === undefined) return null
  if (typeof v === "number") return v
  if (typeof v === "string") return Number(v)
  const o = v as any
  if (typeof o.numeric === "number") return o.numeric
  if (typeof o.toJSON === "function") return Number(o.toJSON())
  if (o.value !== undefined) return Number(o.value)
  return Number(o)
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v ? String(v) : null)

export type ExportContext = {
  /** The channel order of each Medusa order, when it came from a channel. */
  channel_orders: Map<string, { external_id: string; channel_id: string; channel_name: string | null }>
  tags: Map<string, string[]>
  on_hold: Set<string>
}

/** One order as the export shows it (the JSON layout; the CSV layouts flatten it). */
export function exportedOrder(order: any, ctx: ExportContext) {
  const co = ctx.channel_orders.get(order.id)
  let fulfillment_status: string | null = null
  let payment_status: string | null = null
  try {
    fulfillment_status = getLastFulfillmentStatus({ ...order, fulfillments: order.fulfillments ?? [], items: order.items ?? [] })
  } catch {
    fulfillment_status = null
  }
  try {
    payment_status = getLastPaymentStatus({ ...order, payment_collections: order.payment_collections ?? [] })
  } catch {
    payment_status = null
  }
  const address = (a: any) =>
    a
      ? {
          first_name: a.first_name ?? null,
          last_name: a.last_name ?? null,
          company: a.company ?? null,
          address_1: a.address_1 ?? null,
          address_2: a.address_2 ?? null,
          city: a.city ?? null,
          province: a.province ?? null,
          postal_code: a.postal_code ?? null,
          country_code: a.country_code ?? null,
          phone: a.phone ?? null,
        }
      : null
  return {
    id: order.id as string,
    display_id: order.display_id as number,
    external_id: co?.external_id ?? (order.metadata?.external_id as string | undefined) ?? null,
    channel_id: co?.channel_id ?? null,
    channel: co?.channel_name ?? null,
    status: order.status as string,
    fulfillment_status,
    payment_status,
    on_hold: ctx.on_hold.has(order.id),
    tags: ctx.tags.get(order.id) ?? [],
    email: order.email ?? null,
    currency_code: order.currency_code as string,
    created_at: iso(order.created_at),
    updated_at: iso(order.updated_at),
    subtotal: amount(order.subtotal),
    discount_total: amount(order.discount_total),
    shipping_total: amount(order.shipping_total),
    tax_total: amount(order.tax_total),
    total: amount(order.total),
    shipping_address: address(order.shipping_address),
    billing_address: address(order.billing_address),
    shipping_methods: (order.shipping_methods ?? []).filter(Boolean).map((m: any) => ({ name: m.name ?? null, amount: amount(m.amount), total: amount(m.total) })),
    items: (order.items ?? []).filter(Boolean).map((i: any) => ({
      id: i.id as string,
      sku: i.variant_sku ?? null,
      title: i.title ?? null,
      variant_title: i.variant_title ?? null,
      external_item_id: (i.metadata?.external_item_id as string | undefined) ?? null,
      quantity: amount(i.quantity),
      unit_price: amount(i.unit_price),
      subtotal: amount(i.subtotal),
      discount_total: amount(i.discount_total),
      tax_total: amount(i.tax_total),
      total: amount(i.total),
    })),
  }
}
export type ExportedOrder = ReturnType<typeof exportedOrder>

/** Columns of the default CSV layout: one row per order. */
export const ORDER_COLUMNS = [
  "order_id",
  "display_id",
  "external_id",
  "channel",
  "status",
  "fulfillment_status",
  "payment_status",
  "on_hold",
  "tags",
  "created_at",
  "updated_at",
  "email",
  "currency_code",
  "item_count",
  "subtotal",
  "discount_total",
  "shipping_total",
  "tax_total",
  "total",
  "shipping_method",
  "shipping_first_name",
  "shipping_last_name",
  "shipping_company",
  "shipping_address_1",
  "shipping_address_2",
  "shipping_city",
  "shipping_province",
  "shipping_postal_code",
  "shipping_country_code",
  "shipping_phone",
] as const

/** Columns of the line-per-item CSV layout (`csv_items`): the order's key fields repeated on each of its lines. */
export const ITEM_COLUMNS = [
  "order_id",
  "display_id",
  "external_id",
  "channel",
  "status",
  "created_at",
  "currency_code",
  "order_total",
  "line_id",
  "external_item_id",
  "sku",
  "title",
  "variant_title",
  "quantity",
  "unit_price",
  "line_subtotal",
  "line_discount_total",
  "line_tax_total",
  "line_total",
] as const

const cell = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "boolean" ? (v ? "true" : "false") : String(v))

export function orderCsvRow(o: ExportedOrder): string[] {
  const s = o.shipping_address ?? ({} as Record<string, unknown>)
  const row: Record<(typeof ORDER_COLUMNS)[number], unknown> = {
    order_id: o.id,
    display_id: o.display_id,
    external_id: o.external_id,
    channel: o.channel,
    status: o.status,
    fulfillment_status: o.fulfillment_status,
    payment_status: o.payment_status,
    on_hold: o.on_hold,
    tags: o.tags.join(";"),
    created_at: o.created_at,
    updated_at: o.updated_at,
    email: o.email,
    currency_code: o.currency_code,
    item_count: o.items.reduce((n, i) => n + (i.quantity ?? 0), 0),
    subtotal: o.subtotal,
    discount_total: o.discount_total,
    shipping_total: o.shipping_total,
    tax_total: o.tax_total,
    total: o.total,
    shipping_method: o.shipping_methods.map((m) => m.name).filter(Boolean).join(";"),
    shipping_first_name: (s as any).first_name,
    shipping_last_name: (s as any).last_name,
    shipping_company: (s as any).company,
    shipping_address_1: (s as any).address_1,
    shipping_address_2: (s as any).address_2,
    shipping_city: (s as any).city,
    shipping_province: (s as any).province,
    shipping_postal_code: (s as any).postal_code,
    shipping_country_code: (s as any).country_code,
    shipping_phone: (s as any).phone,
  }
  return ORDER_COLUMNS.map((c) => cell(row[c]))
}

export function itemCsvRows(o: ExportedOrder): string[][] {
  return o.items.map((i) => {
    const row: Record<(typeof ITEM_COLUMNS)[number], unknown> = {
      order_id: o.id,
      display_id: o.display_id,
      external_id: o.external_id,
      channel: o.channel,
      status: o.status,
      created_at: o.created_at,
      currency_code: o.currency_code,
      order_total: o.total,
      line_id: i.id,
      external_item_id: i.external_item_id,
      sku: i.sku,
      title: i.title,
      variant_title: i.variant_title,
      quantity: i.quantity,
      unit_price: i.unit_price,
      line_subtotal: i.subtotal,
      line_discount_total: i.discount_total,
      line_tax_total: i.tax_total,
      line_total: i.total,
    }
    return ITEM_COLUMNS.map((c) => cell(row[c]))
  })
}

export const FILE_EXTENSIONS: Record<ExportFormat, string> = { csv: "csv", csv_items: "csv", json: "json", jsonl: "jsonl" }

/**
 * The file's bytes as a stream, from pages of exported orders (read lazily: the whole export is
 * never held in memory). `json` is one array, `jsonl` one order per line.
 */
export function exportStream(format: ExportFormat, pages: AsyncIterable<ExportedOrder[]>): Readable {
  if (format === "csv" || format === "csv_items") {
    const csv = stringify({ header: true, columns: [...(format === "csv" ? ORDER_COLUMNS : ITEM_COLUMNS)] })
    ;(async () => {
      try {
        for await (const page of pages) {
          for (const o of page) {
            for (const row of format === "csv" ? [orderCsvRow(o)] : itemCsvRows(o)) {
              if (!csv.write(row)) await new Promise((r) => csv.once("drain", r))
            }
          }
        }
        csv.end()
      } catch (e) {
        csv.destroy(e as Error)
      }
    })()
    return csv
  }
  async function* lines() {
    let first = true
    if (format === "json") yield "["
    for await (const page of pages) {
      for (const o of page) {
        yield format === "json" ? `${first ? "" : ","}\n${JSON.stringify(o)}` : `${JSON.stringify(o)}\n`
        first = false
      }
    }
    if (format === "json") yield first ? "]\n" : "\n]\n"
  }
  return Readable.from(lines())
}
