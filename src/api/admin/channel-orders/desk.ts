import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { normalizeTag } from "../../../workflows/tags/normalize"
import { STUCK_PENDING_MINUTES } from "../../../modules/channel/types/states"
import type { ListChannelOrdersQueryType } from "./validators"

/**
 * The marketplace desk's reads (issue 20): the channel-order list filtered by what lives on the
 * Medusa order (open holds, tags, display id) and by date, and the badges of a page of rows. Plain
 * SQL over the shared database, so each filter is one indexed predicate instead of an id list in
 * memory (a hold reason can cover tens of thousands of orders).
 */
type Knex = { raw: (sql: string, bindings?: unknown[]) => Promise<{ rows: any[] }> }

const LIST_COLUMNS = [
  "id", "channel_id", "external_id", "external_status", "action", "state", "error_code", "error_message", "error_data",
  "attempts", "order_id", "imported_at", "reconciliation_status", "reconciliation", "import_lease_until", "created_at", "updated_at",
]

export function pg(container: MedusaContainer): Knex {
  return container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as unknown as Knex
}

/** True when the query uses a filter only the desk's SQL path knows. */
export function needsDeskQuery(q: ListChannelOrdersQueryType): boolean {
  return (
    q.on_hold !== undefined || q.hold_reason !== undefined || !!q.q || !!q.created_from || !!q.created_to || q.external_status !== undefined
  )
}

const arr = <T>(v: T | T[] | undefined): T[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v])

/** One page of channel orders and the total, every filter of the list route applied in SQL. */
export async function listDeskChannelOrders(container: MedusaContainer, q: ListChannelOrdersQueryType, now: Date) {
  const where: string[] = ["o.deleted_at is null"]
  const b: unknown[] = []
  const inList = (col: string, values: unknown[] | undefined) => {
    if (!values) return
    if (!values.length) return void where.push("false")
    where.push(`${col} in (${values.map(() => "?").join(", ")})`)
    b.push(...values)
  }
  inList("o.channel_id", arr(q.channel_id))
  inList("o.state", arr(q.state))
  inList("o.external_id", arr(q.external_id))
  inList("o.error_code", arr(q.error_code))
  inList("o.external_status", arr(q.external_status))
  if (q.order_id) inList("o.order_id", [q.order_id])
  if (q.tag !== undefined) {
    const n = normalizeTag(q.tag)
    if (!n) where.push("false")
    else {
      where.push(`exists (select 1 from order_tag t where t.order_id = o.order_id and t.normalized = ? and t.deleted_at is null)`)
      b.push(n.normalized)
    }
  }
  const reasons = arr(q.hold_reason)
  if (reasons || q.on_hold === true) {
    const reasonSql = reasons?.length ? ` and h.reason in (${reasons.map(() => "?").join(", ")})` : reasons ? " and false" : ""
    where.push(`exists (select 1 from order_hold h where h.order_id = o.order_id and h.released_at is null and h.deleted_at is null${reasonSql})`)
    if (reasons) b.push(...reasons)
  }
  if (q.on_hold === false) {
    where.push(`not exists (select 1 from order_hold h where h.order_id = o.order_id and h.released_at is null and h.deleted_at is null)`)
  }
  if (q.created_from) {
    where.push("o.created_at >= ?")
    b.push(new Date(q.created_from))
  }
  if (q.created_to) {
    // A bare date includes that whole day.
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(q.created_to)
    where.push(dateOnly ? "o.created_at < ?" : "o.created_at <= ?")
    b.push(dateOnly ? new Date(new Date(q.created_to).getTime() + 86_400_000) : new Date(q.created_to))
  }
  if (q.q) {
    // A marketplace order number (exact or its beginning) or a Medusa display id (#1042 or 1042).
    const term = q.q.trim()
    const display = /^#?(\d{1,9})$/.exec(term)
    const parts = ["o.external_id = ?", "o.external_id like ?"]
    b.push(term, `${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
    if (display) {
      parts.push(`o.order_id in (select ord.id from "order" ord where ord.display_id = ? and ord.deleted_at is null)`)
      b.push(Number(display[1]))
    }
    where.push(`(${parts.join(" or ")})`)
  }
  if (q.stuck) {
    where.push(`((o.state = 'pending' and o.updated_at < ?::timestamptz - (? * interval '1 minute')) or (o.state = 'importing' and (o.import_lease_until is null or o.import_lease_until < ?)))`)
    b.push(now, STUCK_PENDING_MINUTES, now)
  }
  const whereSql = where.join(" and ")
  const cols = LIST_COLUMNS.map((c) => `o.${c}`).join(", ")
  const db = pg(container)
  const [page, total] = await Promise.all([
    db.raw(`select ${cols} from channel_order o where ${whereSql} order by o.updated_at desc, o.id desc limit ? offset ?`, [...b, q.limit, q.offset]),
    db.raw(`select count(*)::int as count from channel_order o where ${whereSql}`, b),
  ])
  return { rows: page.rows, count: total.rows[0]?.count ?? 0 }
}

export type DeskBadges = {
  display_id: number | null
  tags: Array<{ id: string; value: string }>
  holds: Array<{ id: string; reason: string; detail: string | null; created_at: string }>
}

/** Tags, open holds and display id of the Medusa orders behind a page of channel orders. */
export async function badgesOf(container: MedusaContainer, orderIds: string[]): Promise<Map<string, DeskBadges>> {
  const out = new Map<string, DeskBadges>()
  const ids = [...new Set(orderIds.filter(Boolean))]
  if (!ids.length) return out
  for (const id of ids) out.set(id, { display_id: null, tags: [], holds: [] })
  const marks = ids.map(() => "?").join(", ")
  const db = pg(container)
  const [orders, tags, holds] = await Promise.all([
    db.raw(`select id, display_id from "order" where id in (${marks})`, ids),
    db.raw(`select id, order_id, value from order_tag where order_id in (${marks}) and deleted_at is null order by created_at`, ids),
    db.raw(
      `select id, order_id, reason, detail, created_at from order_hold where order_id in (${marks}) and released_at is null and deleted_at is null order by created_at`,
      ids
    ),
  ])
  for (const o of orders.rows) out.get(o.id)!.display_id = o.display_id ?? null
  for (const t of tags.rows) out.get(t.order_id)?.tags.push({ id: t.id, value: t.value })
  for (const h of holds.rows) out.get(h.order_id)?.holds.push({ id: h.id, reason: h.reason, detail: h.detail ?? null, created_at: h.created_at })
  return out
}

/** Counts for the desk's tabs and the orders-list widget. */
export async function deskSummary(container: MedusaContainer) {
  const db = pg(container)
  const [byReason, onHold, states, feedback, running] = await Promise.all([
    db.raw(
      `select h.reason, count(distinct h.order_id)::int as count from order_hold h
       where h.released_at is null and h.deleted_at is null
         and exists (select 1 from channel_order o where o.order_id = h.order_id and o.deleted_at is null)
       group by h.reason order by count desc`
    ),
    db.raw(
      `select count(*)::int as count from channel_order o where o.deleted_at is null and o.order_id is not null
         and exists (select 1 from order_hold h where h.order_id = o.order_id and h.released_at is null and h.deleted_at is null)`
    ),
    db.raw(`select state, count(*)::int as count from channel_order where deleted_at is null group by state`),
    db.raw(
      `select case when state = 'pending' and attempts > 0 then 'retrying' else state end as state, count(*)::int as count
       from channel_feedback where deleted_at is null group by 1`
    ),
    db.raw(
      `select r.id, r.channel_id, r.status, r.started_at, r.pages, r.fetched, r.imported, r.waiting, r.ignored, r.failed, r.skipped, r.window_from, r.window_to
       from channel_import_run r where r.status = 'running' and r.deleted_at is null order by r.started_at desc limit 20`
    ),
  ])
  const stateCounts: Record<string, number> = {}
  for (const r of states.rows) stateCounts[r.state] = r.count
  const feedbackCounts: Record<string, number> = {}
  for (const r of feedback.rows) feedbackCounts[r.state] = r.count
  return {
    on_hold_count: onHold.rows[0]?.count ?? 0,
    holds_by_reason: byReason.rows as Array<{ reason: string; count: number }>,
    states: stateCounts,
    feedback: feedbackCounts,
    running_runs: running.rows,
  }
}

/**
 * Import health over the last `days` (issue 20): orders imported and failed per hour and channel,
 * failures by reason, and the time from a feedback row's creation to its confirmation (p50, p95).
 *
 * "Imported per hour" counts imported orders by the hour of their import. "Failed per hour" and
 * "failures by reason" count failed import attempts: the `failed` events of the import timeline
 * (`channel_order_event`, one per failed attempt) by the hour they were recorded, with the channel of
 * their channel order. So history is kept: an order that failed and was then fixed and imported still
 * counts where it failed, and an order that failed three times counts three times. The reason is the
 * event's `data.error_code` (the code at that attempt), else the order's current `error_code`, else
 * "unknown". Index: IDX_channel_order_event_type_created_at (Migration20261206090000).
 */
export async function importHealth(container: MedusaContainer, days: number) {
  const db = pg(container)
  const since = `now() - (? * interval '1 day')`
  const [imported, failed, reasons, feedback] = await Promise.all([
    db.raw(
      `select date_trunc('hour', imported_at) as hour, channel_id, count(*)::int as count from channel_order
       where deleted_at is null and state = 'imported' and imported_at >= ${since} group by 1, 2 order by 1`,
      [days]
    ),
    db.raw(
      `select date_trunc('hour', e.created_at) as hour, o.channel_id, count(*)::int as count
       from channel_order_event e join channel_order o on o.id = e.channel_order_id and o.deleted_at is null
       where e.deleted_at is null and e.type = 'failed' and e.created_at >= ${since} group by 1, 2 order by 1`,
      [days]
    ),
    db.raw(
      `select coalesce(e.data->>'error_code', o.error_code, 'unknown') as reason, count(*)::int as count
       from channel_order_event e join channel_order o on o.id = e.channel_order_id and o.deleted_at is null
       where e.deleted_at is null and e.type = 'failed' and e.created_at >= ${since} group by 1 order by 2 desc, 1`,
      [days]
    ),
    db.raw(
      `select count(*)::int as count,
              percentile_cont(0.5) within group (order by extract(epoch from (updated_at - created_at))) as p50,
              percentile_cont(0.95) within group (order by extract(epoch from (updated_at - created_at))) as p95
       from channel_feedback where deleted_at is null and state = 'confirmed' and created_at >= ${since}`,
      [days]
    ),
  ])
  const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : String(d))
  const f = feedback.rows[0] ?? {}
  return {
    days,
    imported_per_hour: imported.rows.map((r) => ({ hour: iso(r.hour), channel_id: r.channel_id, count: r.count })),
    failed_per_hour: failed.rows.map((r) => ({ hour: iso(r.hour), channel_id: r.channel_id, count: r.count })),
    failures_by_reason: reasons.rows as Array<{ reason: string; count: number }>,
    feedback_confirmation: {
      confirmed: f.count ?? 0,
      p50_seconds: f.p50 == null ? null : Math.round(Number(f.p50)),
      p95_seconds: f.p95 == null ? null : Math.round(Number(f.p95)),
    },
  }
}
