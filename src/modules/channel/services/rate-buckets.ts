import { InjectManager, InjectTransactionManager, MedusaContext } from "@medusajs/framework/utils"
import type { Context } from "@medusajs/framework/types"
import { SqlStore, type SqlManager } from "./sql"
import { ChannelProviderError } from "../errors"
import type { ChannelRateLimiter, RateLimit } from "../types/provider"

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/**
 * Rate buckets shared through PostgreSQL, so every Medusa instance spends one marketplace budget.
 * Composed by ChannelModuleService, which delegates to it (same method names and signatures).
 */
export class ChannelRateBuckets extends SqlStore {
  /**
   * Takes one token from a bucket kept in PostgreSQL, so every Medusa instance shares a marketplace
   * account's budget. Returns 0 when a token was taken, otherwise the milliseconds to wait.
   */
  @InjectManager()
  async tryTakeRateToken(key: string, limit: RateLimit, @MedusaContext() sharedContext: Context = {}): Promise<number> {
    const manager = sharedContext.manager as unknown as SqlManager
    const refill = `least(?::float8, channel_rate_bucket.tokens + extract(epoch from (clock_timestamp() - channel_rate_bucket.refilled_at)) * ?::float8)`
    const taken = await manager.execute(
      `insert into channel_rate_bucket (id, tokens, refilled_at, created_at, updated_at)
       values (?, ?::float8 - 1, clock_timestamp(), now(), now())
       on conflict (id) do update set tokens = ${refill} - 1, refilled_at = clock_timestamp(), updated_at = now()
       where ${refill} >= 1
       returning tokens`,
      [key, limit.burst, limit.burst, limit.rate, limit.burst, limit.rate]
    )
    if (taken.length) return 0
    const [row] = await manager.execute(
      `select least(?::float8, tokens + extract(epoch from (clock_timestamp() - refilled_at)) * ?::float8) as tokens
       from channel_rate_bucket where id = ?`,
      [limit.burst, limit.rate, key]
    )
    const tokens = Number(row?.tokens ?? 0)
    return Math.max(1, Math.ceil(((1 - tokens) / limit.rate) * 1000))
  }

  /**
   * Providers name their buckets with the scope the marketplace meters by (Amazon: seller, eBay:
   * application, Mirakl: shop), so two channels on one account share one budget.
   */
  /**
   * With a `deadline` (epoch ms), a wait for a token that would end after it fails the call as
   * retryable `rate_limited` instead: a feedback send must finish inside its lease, or another
   * instance takes the row over and sends it a second time.
   */
  rateLimiterFor(_channelId: string, opts: { deadline?: number } = {}): ChannelRateLimiter {
    return {
      acquire: async (operation: string, limit: RateLimit) => {
        const key = operation
        for (;;) {
          const wait = await this.tryTakeRateToken(key, limit)
          if (wait === 0) return
          if (opts.deadline !== undefined && Date.now() + wait > opts.deadline) {
            throw new ChannelProviderError(
              "rate_limited",
              `The marketplace's rate limit for ${operation} would hold this call ${Math.ceil(wait / 1000)} s, past the end of its lease; it is tried again later`,
              { retryable: true, retry_after_ms: wait }
            )
          }
          await sleep(Math.min(wait, 60_000))
        }
      },
    }
  }
}
