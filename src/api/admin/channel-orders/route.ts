import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"
import { normalizeTag } from "../../../workflows/tags/normalize"
import { presentChannelOrder } from "./presenters"
import { STUCK_PENDING_MINUTES } from "../../../modules/channel/types/states"
import type { ListChannelOrdersQueryType } from "./validators"
import { badgesOf, listDeskChannelOrders, needsDeskQuery } from "./desk"

export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const q = req.validatedQuery as unknown as ListChannelOrdersQueryType
  if (needsDeskQuery(q)) {
    // The marketplace desk's filters (holds, search, dates) run in SQL (issue 20).
    const now = await channels.databaseNow()
    const { rows, count } = await listDeskChannelOrders(req.scope, q, now)
    return res.json({ channel_orders: await withBadges(req, rows.map((r) => presentChannelOrder(r, now))), count, limit: q.limit, offset: q.offset })
  }
  const filters: Record<string, unknown> = {}
  for (const key of ["channel_id", "state", "external_id", "order_id", "error_code"] as const) {
    if (q[key] !== undefined) filters[key] = q[key]
  }
  if (q.tag) {
    const n = normalizeTag(q.tag)
    const tagged = n ? await channels.listOrderTags({ normalized: n.normalized }, { select: ["order_id"] }) : []
    filters.order_id = tagged.map((t) => t.order_id)
  }
  const now = await channels.databaseNow()
  if (q.stuck) {
    filters.$or = [
      { state: "pending", updated_at: { $lt: new Date(now.getTime() - STUCK_PENDING_MINUTES * 60_000) } },
      { state: "importing", import_lease_until: { $lt: now } },
      { state: "importing", import_lease_until: null },
    ]
  }
  const [rows, count] = await channels.listAndCountChannelOrders(filters, {
    take: q.limit,
    skip: q.offset,
    order: { updated_at: "DESC" },
    select: ["id", "channel_id", "external_id", "external_status", "action", "state", "error_code", "error_message", "error_data", "attempts", "order_id", "imported_at", "reconciliation_status", "reconciliation", "import_lease_until", "created_at", "updated_at"],
  })
  res.json({ channel_orders: await withBadges(req, rows.map((r) => presentChannelOrder(r, now))), count, limit: q.limit, offset: q.offset })
}

/** Each row with its Medusa order's display id, tags and open holds (the desk's badges). */
async function withBadges(req: AuthenticatedMedusaRequest, rows: ReturnType<typeof presentChannelOrder>[]) {
  const badges = await badgesOf(req.scope, rows.map((r) => r.order_id).filter((id): id is string => !!id))
  return rows.map((r) => {
    const b = r.order_id ? badges.get(r.order_id) : undefined
    return { ...r, display_id: b?.display_id ?? null, tags: b?.tags ?? [], holds: b?.holds ?? [] }
  })
}
