import { InjectManager, InjectTransactionManager, MedusaContext } from "@medusajs/framework/utils"
import type { Context } from "@medusajs/framework/types"
import { SqlStore, type SqlManager } from "./sql"
import { STUCK_PENDING_MINUTES } from "../types/states"

/**
 * Read-only reports over channel orders: the module summary and the duplicate-protection lookup.
 * Composed by ChannelModuleService, which delegates to it (same method names and signatures).
 */
export class ChannelReports extends SqlStore {
  /** Per channel: last import time, imported and not imported counts (the module summary). */
  @InjectManager()
  async channelOrderSummary(@MedusaContext() sharedContext: Context = {}) {
    const manager = sharedContext.manager as unknown as SqlManager
    const rows = await manager.execute(
      `select c.id as channel_id, c.name, c.provider,
              (select max(finished_at) from channel_import_run r where r.channel_id = c.id and r.deleted_at is null and r.status = 'succeeded') as last_import_at,
              count(o.id) filter (where o.state = 'imported')::int as imported,
              count(o.id) filter (where o.state in ('failed', 'waiting', 'pending'))::int as not_imported,
              count(o.id) filter (where o.state = 'failed')::int as failed,
              count(o.id) filter (where o.state = 'waiting')::int as waiting,
              count(o.id) filter (where (o.state = 'pending' and o.updated_at < now() - (? * interval '1 minute'))
                                     or (o.state = 'importing' and (o.import_lease_until is null or o.import_lease_until < now())))::int as stuck,
              count(o.id) filter (where o.reconciliation_status = 'reconciled')::int as reconciled,
              count(o.id) filter (where o.reconciliation_status = 'mismatch')::int as mismatched
       from channel c left join channel_order o on o.channel_id = c.id and o.deleted_at is null
       where c.deleted_at is null
       group by c.id order by c.created_at`,
      [STUCK_PENDING_MINUTES]
    )
    return rows as Array<{
      channel_id: string
      name: string
      provider: string
      last_import_at: Date | null
      imported: number
      not_imported: number
      failed: number
      waiting: number
      /** Pending or importing past their grace period (see stuckReason): a run died on them. */
      stuck: number
      /** Imported orders whose total, tax and paid amount equal the marketplace's; and those that do not. */
      reconciled: number
      mismatched: number
    }>
  }

  /**
   * Imported channel orders (any channel) since `since` whose buyer e-mail or shipping address
   * matches one of the given keys; the caller compares their items and totals.
   */
  @InjectManager()
  async findImportedByBuyer(
    since: Date,
    keys: { emails: string[]; addresses: string[] },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<Array<{ id: string; channel_id: string; external_id: string; order_id: string; normalized: any }>> {
    if (!keys.emails.length && !keys.addresses.length) return []
    const manager = sharedContext.manager as unknown as SqlManager
    const addressExpr = `lower(concat_ws('|', normalized->'shipping_address'->>'address_1', coalesce(normalized->'shipping_address'->>'postal_code', ''), normalized->'shipping_address'->>'country_code'))`
    const clauses: string[] = []
    const params: unknown[] = [since]
    if (keys.emails.length) {
      clauses.push(`lower(normalized->>'email') in (${keys.emails.map(() => "?").join(", ")})`)
      params.push(...keys.emails)
    }
    if (keys.addresses.length) {
      clauses.push(`${addressExpr} in (${keys.addresses.map(() => "?").join(", ")})`)
      params.push(...keys.addresses)
    }
    return manager.execute(
      `select id, channel_id, external_id, order_id, normalized from channel_order
       where deleted_at is null and state = 'imported' and imported_at >= ? and (${clauses.join(" or ")})`,
      params
    )
  }
}
