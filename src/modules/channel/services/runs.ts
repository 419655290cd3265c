import { InjectManager, InjectTransactionManager, MedusaContext } from "@medusajs/framework/utils"
import type { Context } from "@medusajs/framework/types"
import { SqlStore, type SqlManager } from "./sql"

/**
 * Import runs: the latest run per channel, the cursor a run resumes from, runs a dead process left
 * `running`, and the database's clock that every instance's windows follow.
 * Composed by ChannelModuleService, which delegates to it (same method names and signatures).
 */
export class ChannelRunStore extends SqlStore {
  /** The latest run per channel, in one query (the scheduler asks for all channels each minute). */
  @InjectManager()
  async latestRunsByChannel(channelIds: string[], @MedusaContext() sharedContext: Context = {}) {
    if (!channelIds.length) return new Map<string, any>()
    const manager = sharedContext.manager as unknown as SqlManager
    const rows = await manager.execute(
      `select distinct on (channel_id) id, channel_id, status, started_at, finished_at, cursor, trigger,
              fetched, imported, waiting, ignored, failed, skipped, error, error_code
       from channel_import_run where deleted_at is null and channel_id in (${channelIds.map(() => "?").join(", ")})
       order by channel_id, started_at desc`,
      channelIds
    )
    return new Map<string, any>(rows.map((r: any) => [r.channel_id, r]))
  }

  /** The database's clock: every instance's windows follow it, whatever the machines' clocks say. */
  @InjectManager()
  async databaseNow(@MedusaContext() sharedContext: Context = {}): Promise<Date> {
    const manager = sharedContext.manager as unknown as SqlManager
    const rows = await manager.execute(`select now() as now`)
    return new Date(rows[0].now)
  }

  /**
   * Runs of the channel left `running` by a process that died (the caller holds the channel's lock,
   * so no other run is live): failed, with the reason, so they stop looking busy.
   */
  @InjectTransactionManager()
  async closeInterruptedRuns(channelId: string, currentRunId: string, @MedusaContext() sharedContext: Context = {}): Promise<number> {
    const manager = sharedContext.transactionManager as unknown as SqlManager
    const rows = await manager.execute(
      `update channel_import_run set status = 'failed', finished_at = now(), updated_at = now(),
         error = coalesce(error, 'Interrupted: the process running it stopped before it finished; the next run resumed its work')
       where channel_id = ? and id <> ? and status = 'running' and deleted_at is null returning id`,
      [channelId, currentRunId]
    )
    return rows.length
  }

  /** The cursor of the newest run that persisted one. */
  @InjectManager()
  async lastCursor(channelId: string, @MedusaContext() sharedContext: Context = {}): Promise<Record<string, any> | null> {
    const manager = sharedContext.manager as unknown as SqlManager
    const rows = await manager.execute(
      `select cursor from channel_import_run
       where channel_id = ? and cursor is not null and deleted_at is null
       order by started_at desc limit 1`,
      [channelId]
    )
    return rows[0]?.cursor ?? null
  }
}
