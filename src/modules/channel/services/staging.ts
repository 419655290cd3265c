import { InjectManager, InjectTransactionManager, MedusaContext } from "@medusajs/framework/utils"
import type { Context } from "@medusajs/framework/types"
import { SqlStore, type SqlManager } from "./sql"
import { generateEntityId } from "@medusajs/framework/utils"

export type StagedRow = {
  external_id: string
  external_status: string | null
  external_updated_at: string | null
  raw: unknown
}

/**
 * A page's rows as one upsert can take them. One bad row fails the whole statement, and a page that
 * fails every run blocks its channel, so: one row per external id (PostgreSQL refuses to update a
 * row twice in one statement; the newest payload wins), update times PostgreSQL can read (an
 * unreadable one is dropped, not the order), and text jsonb can store: no NUL character and no
 * unpaired surrogate (each becomes U+FFFD; the rest of the payload is kept as received).
 */
export function stageableRows(rows: StagedRow[]): Array<Omit<StagedRow, "raw"> & { raw_json: string }> {
  const byId = new Map<string, Omit<StagedRow, "raw"> & { raw_json: string; t: number }>()
  for (const row of rows) {
    const t = row.external_updated_at ? Date.parse(row.external_updated_at) : NaN
    const candidate = {
      external_id: row.external_id,
      external_status: row.external_status,
      external_updated_at: Number.isNaN(t) ? null : new Date(t).toISOString(),
      raw_json: storableJson(row.raw),
      t: Number.isNaN(t) ? -Infinity : t,
    }
    const kept = byId.get(row.external_id)
    if (!kept || candidate.t >= kept.t) byId.set(row.external_id, candidate)
  }
  return [...byId.values()].map(({ t: _t, ...row }) => row)
}

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * JSON that PostgreSQL's jsonb accepts; JSON.stringify writes both problems as \u escapes, so a cheap
 * test finds them. Keys are cleaned too (a marketplace's custom field may carry a NUL in its name).
 */
function storableJson(raw: unknown): string {
  const json = JSON.stringify(raw ?? null)
  if (!/\\u(0000|d[89a-f])/i.test(json)) return json
  return JSON.stringify(storableValue(raw ?? null))
}

function storableValue(value: unknown): unknown {
  if (typeof value === "string") return value.replace(UNSTORABLE, "\uFFFD")
  if (Array.isArray(value)) return value.map(storableValue)
  if (value && typeof value === "object" && typeof (value as any).toJSON !== "function") {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k.replace(UNSTORABLE, "\uFFFD")] = storableValue(v)
    return out
  }
  return value
}


/**
 * Staging: the marketplace's raw payloads upserted per account before anything is decided, and the
 * account keys that make a re-created or duplicated channel find what was already imported.
 * Composed by ChannelModuleService, which delegates to it (same method names and signatures).
 */
export class ChannelStagingStore extends SqlStore {
  /** The stored account key of a live channel; `channel:<id>` for a channel saved before accounts existed. */
  @InjectManager()
  async accountKeyOfChannel(channelId: string, @MedusaContext() sharedContext: Context = {}): Promise<string> {
    const manager = sharedContext.manager as unknown as SqlManager
    const [row] = await manager.execute(`select account_key from channel where id = ?`, [channelId])
    return row?.account_key || `channel:${channelId}`
  }

  /**
   * Moves a channel's orders to its new account key (its seller id or URL changed). An order the new
   * account already holds (imported by another channel of that account) keeps its old key: it stays
   * this channel's record, and the other channel's row is the one future pulls update.
   */
  @InjectTransactionManager()
  async rekeyChannelOrders(channelId: string, accountKey: string, @MedusaContext() sharedContext: Context = {}): Promise<number> {
    const manager = sharedContext.transactionManager as unknown as SqlManager
    const rows = await manager.execute(
      `update channel_order c set account_key = ?, updated_at = now()
       where c.channel_id = ? and c.deleted_at is null and c.account_key is distinct from ?
         and not exists (select 1 from channel_order o where o.account_key = ? and o.external_id = c.external_id and o.deleted_at is null)
       returning c.id`,
      [accountKey, channelId, accountKey, accountKey]
    )
    return rows.length
  }

  /**
   * Upserts a page of raw payloads in one statement, on the (account_key, external_id) unique index:
   * the raw payload is kept before anything is decided, and a payload older than the stored one
   * never overwrites it (two overlapping pulls may arrive out of order).
   *
   * An order of the same account staged by a deleted channel is adopted by this one (its import is
   * found, not repeated). An order another live channel of the account holds stays with that
   * channel: this one leaves it alone.
   */
  @InjectTransactionManager()
  async stageChannelOrders(channelId: string, rows: StagedRow[], @MedusaContext() sharedContext: Context = {}): Promise<void> {
    if (!rows.length) return
    const manager = sharedContext.transactionManager as unknown as SqlManager
    const [channel] = await manager.execute(`select account_key from channel where id = ?`, [channelId])
    const accountKey = channel?.account_key || `channel:${channelId}`
    const values: string[] = []
    const params: unknown[] = []
    for (const row of stageableRows(rows)) {
      values.push("(?, ?, ?, ?, ?, ?::timestamptz, ?::jsonb, 'pending', 0, now(), now())")
      params.push(generateEntityId(undefined, "chord"), channelId, accountKey, row.external_id, row.external_status, row.external_updated_at, row.raw_json)
    }
    const newer = `(channel_order.external_updated_at is null
          or excluded.external_updated_at is null
          or excluded.external_updated_at >= channel_order.external_updated_at)`
    const upsert = `insert into channel_order (id, channel_id, account_key, external_id, external_status, external_updated_at, raw, state, attempts, created_at, updated_at)
       values ${values.join(", ")}
       on conflict (account_key, external_id) where deleted_at is null do update set
         channel_id = excluded.channel_id,
         raw = case when ${newer} then excluded.raw else channel_order.raw end,
         external_status = case when ${newer} then excluded.external_status else channel_order.external_status end,
         external_updated_at = case when ${newer} then excluded.external_updated_at else channel_order.external_updated_at end,
         updated_at = now()
       where (channel_order.channel_id = excluded.channel_id and ${newer})
          or (channel_order.channel_id <> excluded.channel_id
              and not exists (select 1 from channel ch where ch.id = channel_order.channel_id and ch.deleted_at is null))`
    // Only (account_key, external_id) is the arbiter of ON CONFLICT; the (channel_id, external_id)
    // unique index is not, so two transactions staging the same new order at once can make the
    // second fail with a unique violation instead of updating. Retried, it sees the committed row
    // on the arbiter and updates it. The savepoint keeps the caller's transaction usable.
    for (let attempt = 1; ; attempt++) {
      await manager.execute(`savepoint channel_order_stage`)
      try {
        await manager.execute(upsert, params)
        await manager.execute(`release savepoint channel_order_stage`)
        return
      } catch (e: any) {
        await manager.execute(`rollback to savepoint channel_order_stage`)
        const unique = e?.code === "23505" || e?.sqlState === "23505" || e?.name === "UniqueConstraintViolationException"
        if (!unique || attempt >= 3) throw e
      }
    }
  }
}
