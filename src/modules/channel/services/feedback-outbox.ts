import { InjectManager, InjectTransactionManager, MedusaContext } from "@medusajs/framework/utils"
import type { Context } from "@medusajs/framework/types"
import { SqlStore, type SqlManager } from "./sql"
import { generateEntityId } from "@medusajs/framework/utils"

/**
 * The feedback outbox: atomic SQL the generated CRUD cannot express (idempotent inserts on the unique
 * index, a claim/settle protocol so that two instances never send the same row), and the watermarks
 * of the sweeps that fill it.
 * Composed by ChannelModuleService, which delegates to it (same method names and signatures).
 */
export class ChannelFeedbackOutbox extends SqlStore {
  @InjectManager()
  async sweepWatermark(name: string, @MedusaContext() sharedContext: Context = {}): Promise<Date | null> {
    const manager = sharedContext.manager as unknown as SqlManager
    const [row] = await manager.execute(`select watermark from channel_sweep where id = ? and deleted_at is null`, [name])
    return row?.watermark ? new Date(row.watermark) : null
  }

  /** Moves a sweep's watermark forward only: two instances sweeping at once never move it back. */
  @InjectTransactionManager()
  async advanceSweepWatermark(name: string, to: Date, @MedusaContext() sharedContext: Context = {}): Promise<void> {
    const manager = sharedContext.transactionManager as unknown as SqlManager
    await manager.execute(
      `insert into channel_sweep (id, watermark, created_at, updated_at) values (?, ?::timestamptz, now(), now())
       on conflict (id) do update set watermark = greatest(channel_sweep.watermark, excluded.watermark), updated_at = now()`,
      [name, to.toISOString()]
    )
  }

  /**
   * Inserts outbox rows, skipping those already recorded: a shipment row is unique per
   * (fulfillment, kind) through the unique index; a cancel row is unique per order (serialized by
   * an advisory lock, since its fulfillment_id is null). Returns only the rows inserted now.
   */
  @InjectTransactionManager()
  async insertChannelFeedbacks(rows: NewChannelFeedbackRow[], @MedusaContext() sharedContext: Context = {}): Promise<any[]> {
    const manager = sharedContext.transactionManager as unknown as SqlManager
    const inserted: any[] = []
    const columns = `id, channel_id, channel_order_id, order_id, fulfillment_id, kind, state, items, carrier_code, carrier_name,
      tracking_numbers, shipped_at, attempts, next_attempt_at, error_code, error_message, response, created_at, updated_at`
    const placeholders = "?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?::timestamptz, 0, ?::timestamptz, ?, ?, ?::jsonb, now(), now()"
    for (const row of rows) {
      const params = [
        generateEntityId(undefined, "chfb"),
        row.channel_id,
        row.channel_order_id,
        row.order_id,
        row.fulfillment_id ?? null,
        row.kind,
        row.state ?? "pending",
        JSON.stringify(row.items ?? []),
        row.carrier_code ?? null,
        row.carrier_name ?? null,
        JSON.stringify(row.tracking_numbers ?? []),
        row.shipped_at ?? null,
        row.next_attempt_at ?? null,
        row.error_code ?? null,
        row.error_message ?? null,
        row.response === undefined || row.response === null ? null : JSON.stringify(row.response),
      ]
      if (row.kind === "cancel") {
        await manager.execute(`select pg_advisory_xact_lock(hashtext(?))`, [`channel_feedback:cancel:${row.order_id}`])
        const res = await manager.execute(
          `insert into channel_feedback (${columns})
           select ${placeholders}
           where not exists (select 1 from channel_feedback where order_id = ? and kind = 'cancel' and deleted_at is null)
           returning *`,
          [...params, row.order_id]
        )
        inserted.push(...res)
      } else {
        const res = await manager.execute(
          `insert into channel_feedback (${columns}) values (${placeholders})
           on conflict (fulfillment_id, kind) where deleted_at is null do nothing
           returning *`,
          params
        )
        inserted.push(...res)
      }
    }
    return inserted
  }

  /**
   * Claims one outbox row for this process, or returns null when it is not due or another process
   * holds it. The row is locked while it is read, so of two instances racing for it exactly one
   * wins. `deliver` takes a pending row whose time has come, or a `sending` row whose lease expired
   * (its process died mid-send: `previous_state` tells the caller to check the marketplace before
   * sending again); it becomes `sending` with attempts + 1 and a lease until `now + lease_ms`.
   * `verify` takes a `sent` row whose read-back is due and moves its next check to the lease end.
   */
  @InjectTransactionManager()
  async claimChannelFeedback(
    id: string,
    opts: { mode: "deliver" | "verify"; now: Date; lease_ms: number; max_attempts?: number },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<(Record<string, any> & { previous_state: string }) | null> {
    const manager = sharedContext.transactionManager as unknown as SqlManager
    const [current] = await manager.execute(
      `select id, state, next_attempt_at, attempts from channel_feedback where id = ? and deleted_at is null for update`,
      [id]
    )
    if (!current) return null
    const now = opts.now.getTime()
    const at = current.next_attempt_at ? new Date(current.next_attempt_at).getTime() : null
    const due = at === null || at <= now
    const leaseEnd = new Date(now + opts.lease_ms)
    if (opts.mode === "deliver") {
      const claimable = (current.state === "pending" && due) || (current.state === "sending" && at !== null && at <= now)
      if (!claimable) return null
      // A row whose every attempt ended with its process (it crashes the worker, or the worker is
      // killed each time) stops here: the attempt cap holds for crashes too, not only for outcomes.
      if (current.state === "sending" && opts.max_attempts && Number(current.attempts) >= opts.max_attempts) {
        await manager.execute(
          `update channel_feedback set state = 'failed', next_attempt_at = null, error_code = 'attempts_exhausted',
             error_message = ?, updated_at = now() where id = ?`,
          [`${current.attempts} attempts ended without an outcome (the process sending it stopped each time); check the order on the marketplace, then retry it`, id]
        )
        return null
      }
      const [row] = await manager.execute(
        `update channel_feedback set state = 'sending', attempts = attempts + 1, next_attempt_at = ?, updated_at = now()
         where id = ? returning *`,
        [leaseEnd, id]
      )
      return { ...row, previous_state: current.state }
    }
    if (current.state !== "sent" || at === null || at > now) return null
    const [row] = await manager.execute(
      `update channel_feedback set next_attempt_at = ?, updated_at = now() where id = ? returning *`,
      [leaseEnd, id]
    )
    return { ...row, previous_state: current.state }
  }

  /**
   * Writes the outcome of a claimed row, only if the claim still stands (same state, attempts and
   * lease end as when it was claimed): a process whose lease expired and was overtaken cannot
   * overwrite the newer outcome. Returns whether the outcome was written.
   */
  @InjectTransactionManager()
  async settleChannelFeedback(
    id: string,
    claim: { state: string; attempts: number; lease_until: Date },
    outcome: {
      state: string
      next_attempt_at: Date | null
      error_code: string | null
      error_message: string | null
      response: unknown
    },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<boolean> {
    const manager = sharedContext.transactionManager as unknown as SqlManager
    const rows = await manager.execute(
      `update channel_feedback set state = ?, next_attempt_at = ?, error_code = ?, error_message = ?, response = ?::jsonb, updated_at = now()
       where id = ? and deleted_at is null and state = ? and attempts = ? and next_attempt_at = ?
       returning id`,
      [
        outcome.state,
        outcome.next_attempt_at,
        outcome.error_code,
        outcome.error_message,
        outcome.response === undefined || outcome.response === null ? null : JSON.stringify(outcome.response),
        id,
        claim.state,
        claim.attempts,
        claim.lease_until,
      ]
    )
    return rows.length === 1
  }
}

/** One outbox row to insert (see ChannelModuleService.insertChannelFeedbacks). */
export type NewChannelFeedbackRow = {
  channel_id: string
  channel_order_id: string
  order_id: string
  fulfillment_id?: string | null
  kind: "shipment" | "cancel"
  state?: "pending" | "failed"
  items?: Array<{ external_item_id: string; quantity: number; line_item_id?: string }>
  carrier_code?: string | null
  carrier_name?: string | null
  tracking_numbers?: string[]
  shipped_at?: Date | string | null
  next_attempt_at?: Date | null
  error_code?: string | null
  error_message?: string | null
  response?: unknown
}
