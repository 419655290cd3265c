import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { getLastFulfillmentStatus } from "@medusajs/medusa/core-flows"
import { CHANNEL_MODULE } from "../../modules/channel"
import type ChannelModuleService from "../../modules/channel/service"
import { ORDER_TRANSFER_MODULE } from "../../modules/order-transfer"
import type OrderTransferModuleService from "../../modules/order-transfer/service"
import { normalizeTag } from "../tags/normalize"
import { amount, exportedOrder, EXPORT_ORDER_FIELDS, type ExportContext, type ExportedOrder } from "./export-format"

/** Which orders an export writes. Every condition given must hold; an empty object matches every order. */
export type ExportConditions = {
  /** Orders imported from these channels. */
  channel_ids?: string[]
  /** Medusa order status: pending, completed, canceled, archived, requires_action. */
  statuses?: string[]
  /** Medusa's fulfilment status: not_fulfilled, partially_fulfilled, fulfilled, partially_shipped, shipped, delivered, … */
  fulfillment_statuses?: string[]
  /** Orders carrying any of these tags. */
  tags?: string[]
  /** On hold (an open hold) or not. */
  hold?: "any" | "on_hold" | "not_on_hold"
  /** Only orders created (or updated) since the last export whose file was written. */
  since_last_export?: "created" | "updated" | null
}

const PAGE = 200

const intersect = (a: Set<string> | null, b: Set<string>): Set<string> => (a ? new Set([...a].filter((x) => b.has(x))) : b)

/**
 * The ids of the orders an export writes now, oldest first. With status updates, orders this export
 * already wrote (or is writing) are left out; orders whose export failed are taken again.
 */
export async function selectOrdersToExport(
  container: MedusaContainer,
  config: { id: string; conditions?: ExportConditions | null; status_updates: boolean; last_exported_at?: Date | string | null }
): Promise<string[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const transfers: OrderTransferModuleService = container.resolve(ORDER_TRANSFER_MODULE)
  const c = config.conditions ?? {}

  let only: Set<string> | null = null
  if (c.channel_ids?.length) {
    const rows = await channels.listChannelOrders({ channel_id: c.channel_ids, order_id: { $ne: null } } as any, { select: ["order_id"] })
    only = intersect(only, new Set(rows.map((r: any) => r.order_id as string)))
  }
  if (c.tags?.length) {
    const normalized = c.tags.map((t) => normalizeTag(t)?.normalized).filter(Boolean) as string[]
    const rows = await channels.listOrderTags({ normalized }, { select: ["order_id"] })
    only = intersect(only, new Set(rows.map((r: any) => r.order_id as string)))
  }
  const exclude = new Set<string>()
  if (c.hold === "on_hold" || c.hold === "not_on_hold") {
    const rows = await channels.listOrderHolds({ released_at: null }, { select: ["order_id"] })
    const held = new Set(rows.map((r: any) => r.order_id as string))
    if (c.hold === "on_hold") only = intersect(only, held)
    else held.forEach((id) => exclude.add(id))
  }
  if (config.status_updates) {
    const done = await transfers.listOrderExportRecords({ order_export_id: config.id, state: ["exported", "exporting"] }, { select: ["order_id"] })
    done.forEach((r) => exclude.add(r.order_id))
  }
  if (only && !only.size) return []

  const filters: Record<string, any> = { is_draft_order: false }
  if (c.statuses?.length) filters.status = c.statuses
  if (c.since_last_export && config.last_exported_at) {
    filters[c.since_last_export === "created" ? "created_at" : "updated_at"] = { $gte: new Date(config.last_exported_at) }
  }
  const fields = ["id", "created_at", ...(c.fulfillment_statuses?.length ? ["fulfillments.*", "items.id", "items.quantity", "items.raw_quantity", "items.detail.*"] : [])]
  const wanted = c.fulfillment_statuses?.length ? new Set(c.fulfillment_statuses) : null

  const out: string[] = []
  const candidates = only ? [...only] : null
  for (let skip = 0; ; skip += PAGE) {
    const pageFilters = candidates ? { ...filters, id: candidates.slice(skip, skip + PAGE) } : filters
    if (candidates && skip >= candidates.length) break
    const { data } = await query.graph({
      entity: "order",
      fields,
      filters: pageFilters,
      pagination: candidates ? { order: { created_at: "ASC" } } : { skip, take: PAGE, order: { created_at: "ASC" } },
    } as any)
    for (const o of data as any[]) {
      if (exclude.has(o.id)) continue
      if (wanted) {
        let status: string
        try {
          status = getLastFulfillmentStatus({ ...o, fulfillments: o.fulfillments ?? [], items: o.items ?? [] })
        } catch {
          continue
        }
        if (!wanted.has(status)) continue
      }
      out.push(o.id)
    }
    if (!candidates && data.length < PAGE) break
  }
  return out
}

/** The orders, in pages, as the export writes them: read when the file is written, with Medusa's totals. */
export async function* exportedOrderPages(container: MedusaContainer, orderIds: string[], pageSize = 100): AsyncGenerator<ExportedOrder[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  for (let i = 0; i < orderIds.length; i += pageSize) {
    const ids = orderIds.slice(i, i + pageSize)
    const [{ data }, cos, tags, holds] = await Promise.all([
      query.graph({ entity: "order", fields: EXPORT_ORDER_FIELDS, filters: { id: ids } }),
      channels.listChannelOrders({ order_id: ids } as any, { select: ["order_id", "external_id", "channel_id"] }),
      channels.listOrderTags({ order_id: ids }, { select: ["order_id", "value"], order: { created_at: "ASC" } }),
      channels.listOrderHolds({ order_id: ids, released_at: null }, { select: ["order_id"] }),
    ])
    const channelIds = [...new Set(cos.map((c: any) => c.channel_id as string))]
    const chans = channelIds.length ? await channels.listChannels({ id: channelIds }, { select: ["id", "name"], withDeleted: true }) : []
    const names = new Map(chans.map((c: any) => [c.id, c.name as string]))
    const ctx: ExportContext = {
      channel_orders: new Map(cos.map((c: any) => [c.order_id, { external_id: c.external_id, channel_id: c.channel_id, channel_name: names.get(c.channel_id) ?? null }])),
      tags: new Map(),
      on_hold: new Set(holds.map((h: any) => h.order_id)),
    }
    for (const t of tags as any[]) ctx.tags.set(t.order_id, [...(ctx.tags.get(t.order_id) ?? []), t.value])
    const byId = new Map((data as any[]).map((o) => [o.id, o]))
    // The order of the ids, not the database's; an order deleted meanwhile is left out.
    yield ids.map((id) => byId.get(id)).filter(Boolean).map((o) => exportedOrder(o, ctx))
  }
}

export { amount }
