import { EbaySimulator, type EbaySimulatorOptions } from "../../../../integration-tests/simulators/ebay"
import type { ChannelContext, ChannelProviderCache } from "../../../modules/channel/types/provider"
import { InProcessRateLimiter } from "../../shared/rate-limiter"
import type { EbayProviderOptions } from "../client"
import { EbayChannelProvider } from "../service"

/** Test rates are the published ones times this, on both sides. */
export const TEST_RATE_MULTIPLIER = 20

export const CREDENTIALS = {
  client_id: "SimApp-PRD-0123456789-abcdef",
  client_secret: "PRD-sim-client-secret",
  refresh_token: "v^1.1#i^1#r^1#sim-refresh-token",
}

export type EbayChannel = {
  sim: EbaySimulator
  provider: EbayChannelProvider
  ctx: ChannelContext
}

/** A simulator and a provider pointed at it through the channel settings, as an admin would. */
export async function startEbayChannel(
  opts: { sim?: EbaySimulatorOptions; provider?: EbayProviderOptions; settings?: Record<string, unknown> } = {}
): Promise<EbayChannel> {
  const sim = await new EbaySimulator({
    clientId: CREDENTIALS.client_id,
    clientSecret: CREDENTIALS.client_secret,
    refreshTokens: [CREDENTIALS.refresh_token],
    rateLimitMultiplier: TEST_RATE_MULTIPLIER,
    ...(opts.sim ?? {}),
  }).start()
  const provider = newProvider(opts.provider)
  const ctx: ChannelContext = {
    channel_id: "chan_ebay_test",
    credentials: { ...CREDENTIALS },
    settings: { base_url: sim.url, auth_url: sim.authUrl, marketplace_id: "EBAY_US", ...(opts.settings ?? {}) },
    limiter: new InProcessRateLimiter(),
  }
  return { sim, provider, ctx }
}

export function newProvider(options: EbayProviderOptions = {}): EbayChannelProvider {
  return new EbayChannelProvider(
    {},
    {
      rate_limit_multiplier: TEST_RATE_MULTIPLIER,
      timeout_ms: 1_000,
      retry: { baseDelayMs: 5, maxDelayMs: 50 },
      ...options,
    }
  )
}

/** Reads a whole window page by page, as the import job does. */
export async function pullWindow(
  channel: Pick<EbayChannel, "provider" | "ctx">,
  updated_after: string,
  updated_before: string,
  onPage?: (pageIndex: number, orders: any[]) => void | Promise<void>
): Promise<{ orders: any[]; pages: number }> {
  const orders: any[] = []
  let page_token: string | null | undefined = null
  let pages = 0
  do {
    const page = await channel.provider.listOrders(channel.ctx, { updated_after, updated_before, page_token })
    orders.push(...page.orders)
    await onPage?.(pages, page.orders)
    pages++
    page_token = page.next_page_token
    if (pages > 100) throw new Error("paging does not end")
  } while (page_token)
  return { orders, pages }
}

/** A ChannelProviderCache in a Map, standing in for the module's encrypted table. */
export function memoryCache(): ChannelProviderCache & { entries: Map<string, { value: unknown; expires: number }> } {
  const entries = new Map<string, { value: unknown; expires: number }>()
  return {
    entries,
    async get<T>(key: string) {
      const e = entries.get(key)
      return e && e.expires > Date.now() ? (structuredClone(e.value) as T) : undefined
    },
    async set(key: string, value: unknown, ttlSeconds: number) {
      entries.set(key, { value: structuredClone(value), expires: Date.now() + ttlSeconds * 1000 })
    },
    async delete(key: string) {
      entries.delete(key)
    },
  }
}

export function countBy<T>(items: T[], key: (t: T) => string): Map<string, number> {
  const counts = new Map<string, number>()
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1)
  return counts
}
