import { InjectManager, InjectTransactionManager, MedusaContext } from "@medusajs/framework/utils"
import type { Context } from "@medusajs/framework/types"
import { SqlStore, type SqlManager } from "./sql"

/**
 * Claims and leases of channel-order imports: who imports an order (begin, claim, finish), what
 * recovery takes over once a lease has ended, and the undo of each write.
 * Composed by ChannelModuleService, which delegates to it (same method names and signatures).
 */
export class ChannelClaimStore extends SqlStore {
  /**
   * Marks a channel order imported only if no Medusa order was linked yet. The database decides,
   * so two instances racing past their locks still end with one order: the loser compensates.
   */
  @InjectTransactionManager()
  async claimChannelOrder(
    channelOrderId: string,
    orderId: string,
    fields: { action: string; external_status: string | null; rule_effects?: unknown; owner?: string | null },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<boolean> {
    const won = await this.claimChannelOrders([{ channel_order_id: channelOrderId, order_id: orderId, action: fields.action, rule_effects: fields.rule_effects, owner: fields.owner }], sharedContext)
    return won.length === 1
  }

  /**
   * claimChannelOrder for a whole batch in one statement. Returns the ids it won; the caller
   * undoes the batch when that is not all of them.
   */
  @InjectTransactionManager()
  async claimChannelOrders(
    claims: Array<{ channel_order_id: string; order_id: string; action: string; rule_effects?: unknown; owner?: string | null }>,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<string[]> {
    if (!claims.length) return []
    const manager = sharedContext.transactionManager as unknown as SqlManager
    // One jsonb parameter for the page, not four per row: binding hundreds of parameters costs
    // more in the driver than the update costs in PostgreSQL. An import that began with
    // beginChannelOrderImports links its order only while it still owns the row (a recovery may
    // have taken it over), and the row stays `importing` until finishChannelOrderImports.
    const rows = await manager.execute(
      `update channel_order c set
         state = case when v.owner is null then 'imported' else 'importing' end,
         order_id = v.order_id, action = v.action, imported_at = case when v.owner is null then now() else null end, updated_at = now(),
         error_code = null, error_message = null, error_data = null, attempts = c.attempts + 1, rule_effects = v.rule_effects
       from jsonb_to_recordset(?::jsonb) as v(id text, order_id text, action text, rule_effects jsonb, owner text)
       where c.id = v.id and c.order_id is null and c.deleted_at is null
         and (v.owner is null or (c.state = 'importing' and c.import_owner = v.owner))
       returning c.id`,
      [JSON.stringify(claims.map((c) => ({ id: c.channel_order_id, order_id: c.order_id, action: c.action, rule_effects: c.rule_effects ?? null, owner: c.owner ?? null })))]
    )
    return rows.map((r: any) => r.id)
  }

  /**
   * The first write of an import: the channel orders become `importing`, owned by `owner` until the
   * lease ends, if no Medusa order is linked and no other import holds them (an expired one too:
   * only recovery may take those over, because it first undoes what the dead import left). Returns the ids won.
   * A process that dies after this leaves a visible `importing` row, which recovery takes over.
   */
  @InjectTransactionManager()
  async beginChannelOrderImports(ids: string[], owner: string, leaseSeconds: number, @MedusaContext() sharedContext: Context = {}): Promise<string[]> {
    if (!ids.length) return []
    const manager = sharedContext.transactionManager as unknown as SqlManager
    const rows = await manager.execute(
      `update channel_order set state = 'importing', import_owner = ?, import_lease_until = now() + (? * interval '1 second'), updated_at = now()
       where id in (select jsonb_array_elements_text(?::jsonb)) and order_id is null and deleted_at is null
         and (state <> 'importing' or import_owner = ?)
       returning id`,
      [owner, leaseSeconds, JSON.stringify(ids), owner]
    )
    return rows.map((r: any) => r.id)
  }

  /** The last write of an import: `imported`, lease released. Only rows this owner still holds. */
  @InjectTransactionManager()
  async finishChannelOrderImports(ids: string[], owner: string, @MedusaContext() sharedContext: Context = {}): Promise<string[]> {
    if (!ids.length) return []
    const manager = sharedContext.transactionManager as unknown as SqlManager
    const rows = await manager.execute(
      `update channel_order set state = 'imported', imported_at = now(), import_owner = null, import_lease_until = null, updated_at = now()
       where id in (select jsonb_array_elements_text(?::jsonb)) and state = 'importing' and import_owner = ? and order_id is not null and deleted_at is null
       returning id`,
      [JSON.stringify(ids), owner]
    )
    return rows.map((r: any) => r.id)
  }

  /** Undo of finishChannelOrderImports (a step after it failed): back to `importing` for that owner. */
  @InjectTransactionManager()
  async reopenChannelOrderImports(ids: string[], owner: string, @MedusaContext() sharedContext: Context = {}): Promise<void> {
    if (!ids.length) return
    const manager = sharedContext.transactionManager as unknown as SqlManager
    await manager.execute(
      `update channel_order set state = 'importing', imported_at = null, import_owner = ?, updated_at = now()
       where id in (select jsonb_array_elements_text(?::jsonb)) and state = 'imported' and deleted_at is null`,
      [owner, JSON.stringify(ids)]
    )
  }

  /**
   * Channel orders staged but never decided (a run died between staging a page and deciding it) and
   * not touched for `graceMinutes`: the marketplace may never list them again, so a run decides them.
   */
  @InjectManager()
  async listStalePendingChannelOrders(channelId: string, graceMinutes: number, @MedusaContext() sharedContext: Context = {}) {
    const manager = sharedContext.manager as unknown as SqlManager
    return (await manager.execute(
      `select id from channel_order
       where channel_id = ? and state = 'pending' and order_id is null and deleted_at is null
         and updated_at < now() - (? * interval '1 minute')
       order by updated_at limit 500`,
      [channelId, graceMinutes]
    )) as Array<{ id: string }>
  }

  /** Imports whose lease ran out: their process died (or hung) midway. */
  @InjectManager()
  async listInterruptedImports(channelId: string | null, @MedusaContext() sharedContext: Context = {}) {
    const manager = sharedContext.manager as unknown as SqlManager
    return (await manager.execute(
      `select id, channel_id, external_id, external_status, order_id, import_owner, import_lease_until, attempts, raw, state
       from channel_order
       where state = 'importing' and deleted_at is null and (import_lease_until is null or import_lease_until < now())
         and (?::text is null or channel_id = ?)
       order by import_lease_until nulls first limit 500`,
      [channelId, channelId]
    )) as Array<{ id: string; channel_id: string; external_id: string; external_status: string | null; order_id: string | null; import_owner: string | null; attempts: number; raw: unknown; state: string }>
  }

  /**
   * Medusa orders an import of these channel orders created, linked or not (the order's
   * metadata.channel_order_id is written at creation, before the link).
   */
  @InjectManager()
  async findOrdersOfChannelOrders(ids: string[], @MedusaContext() sharedContext: Context = {}): Promise<Array<{ id: string; channel_order_id: string }>> {
    if (!ids.length) return []
    const manager = sharedContext.manager as unknown as SqlManager
    return (await manager.execute(
      `select id, metadata->>'channel_order_id' as channel_order_id from "order"
       where deleted_at is null and metadata->>'channel_order_id' in (select jsonb_array_elements_text(?::jsonb))`,
      [JSON.stringify(ids)]
    )) as Array<{ id: string; channel_order_id: string }>
  }

  /** What an import run began but neither imported nor failed (it gave up on it): `pending` again. */
  @InjectTransactionManager()
  async releaseUnfinishedImports(owner: string, @MedusaContext() sharedContext: Context = {}): Promise<number> {
    const manager = sharedContext.transactionManager as unknown as SqlManager
    const rows = await manager.execute(
      `update channel_order set state = 'pending', import_owner = null, import_lease_until = null, updated_at = now()
       where state = 'importing' and import_owner = ? and order_id is null and deleted_at is null returning id`,
      [owner]
    )
    return rows.length
  }

  /** After recovery undid an interrupted import: the row is `pending` again, unless someone took it meanwhile. */
  @InjectTransactionManager()
  async releaseInterruptedImport(id: string, owner: string | null, @MedusaContext() sharedContext: Context = {}): Promise<boolean> {
    const manager = sharedContext.transactionManager as unknown as SqlManager
    const rows = await manager.execute(
      `update channel_order set state = 'pending', order_id = null, imported_at = null, import_owner = null, import_lease_until = null, updated_at = now()
       where id = ? and state = 'importing' and import_owner is not distinct from ? and deleted_at is null
       returning id`,
      [id, owner]
    )
    return rows.length === 1
  }

  /** Undo of claimChannelOrders. */
  @InjectTransactionManager()
  async unclaimChannelOrders(claims: Array<{ channel_order_id: string; order_id: string }>, @MedusaContext() sharedContext: Context = {}): Promise<void> {
    if (!claims.length) return
    const manager = sharedContext.transactionManager as unknown as SqlManager
    await manager.execute(
      `update channel_order c set state = 'pending', order_id = null, imported_at = null, import_owner = null, import_lease_until = null, updated_at = now()
       from jsonb_to_recordset(?::jsonb) as v(id text, order_id text) where c.id = v.id and c.order_id = v.order_id`,
      [JSON.stringify(claims.map((c) => ({ id: c.channel_order_id, order_id: c.order_id })))]
    )
  }

  /** Undo of claimChannelOrder, used when a later step of the import fails. */
  @InjectTransactionManager()
  async unclaimChannelOrder(channelOrderId: string, orderId: string, @MedusaContext() sharedContext: Context = {}): Promise<void> {
    await this.unclaimChannelOrders([{ channel_order_id: channelOrderId, order_id: orderId }], sharedContext)
  }
}
