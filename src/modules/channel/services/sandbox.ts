import { InjectManager, InjectTransactionManager, MedusaContext } from "@medusajs/framework/utils"
import type { Context } from "@medusajs/framework/types"
import { SqlStore, type SqlManager } from "./sql"
import { generateEntityId } from "@medusajs/framework/utils"

/**
 * Writes of the sandbox marketplace (the sandbox provider reads them back as its listing).
 * Composed by ChannelModuleService, which delegates to it (same method names and signatures).
 */
export class ChannelSandboxStore extends SqlStore {
  /**
   * Puts orders into the sandbox marketplace (insert or replace), stamping them as updated now the
   * way a real marketplace bumps its last-update time, so the next pull sees them.
   */
  @InjectTransactionManager()
  async putSandboxOrders(channelId: string, orders: Record<string, any>[], @MedusaContext() sharedContext: Context = {}) {
    const manager = sharedContext.transactionManager as unknown as SqlManager
    const now = new Date()
    const stamped: Record<string, any>[] = orders.map((o) => ({ ...o, updated_at: now.toISOString(), created_at: o.created_at ?? now.toISOString() }))
    for (let i = 0; i < stamped.length; i += 500) {
      const chunk = stamped.slice(i, i + 500)
      await manager.execute(
        `insert into channel_sandbox_order (id, channel_id, external_id, payload, external_updated_at, created_at, updated_at)
         values ${chunk.map(() => "(?, ?, ?, ?::jsonb, ?, now(), now())").join(", ")}
         on conflict (channel_id, external_id) where deleted_at is null do update set
           payload = excluded.payload, external_updated_at = excluded.external_updated_at, updated_at = now()`,
        chunk.flatMap((o) => [generateEntityId(undefined, "sbord"), channelId, String(o.external_id), JSON.stringify(o), now])
      )
    }
    return stamped
  }
}
