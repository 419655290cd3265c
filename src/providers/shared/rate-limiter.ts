import type { ChannelRateLimiter, RateLimit } from "../../modules/channel/types/provider"

/**
 * The token-bucket arithmetic, shared by the in-process limiter below and the module's
 * PostgreSQL-backed one: given the bucket as last saved, how many tokens are there now, and how
 * long until one is free.
 */
export function refill(
  bucket: { tokens: number; updated_at_ms: number },
  limit: RateLimit,
  nowMs: number
): { tokens: number; wait_ms: number } {
  const elapsed = Math.max(0, nowMs - bucket.updated_at_ms) / 1000
  const tokens = Math.min(limit.burst, bucket.tokens + elapsed * limit.rate)
  const wait_ms = tokens >= 1 ? 0 : Math.ceil(((1 - tokens) / limit.rate) * 1000)
  return { tokens, wait_ms }
}

/**
 * A bucket per operation in this process only. Used by unit tests and by providers run outside
 * Medusa; inside Medusa the module hands providers its shared limiter instead.
 */
export class InProcessRateLimiter implements ChannelRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updated_at_ms: number }>()

  constructor(
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))
  ) {}

  async acquire(operation: string, limit: RateLimit): Promise<void> {
    for (;;) {
      const saved = this.buckets.get(operation) ?? { tokens: limit.burst, updated_at_ms: this.now() }
      const { tokens, wait_ms } = refill(saved, limit, this.now())
      if (wait_ms === 0) {
        this.buckets.set(operation, { tokens: tokens - 1, updated_at_ms: this.now() })
        return
      }
      this.buckets.set(operation, { tokens, updated_at_ms: this.now() })
      await this.sleep(wait_ms)
    }
  }
}
