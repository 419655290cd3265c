import type { ShipmentConfirmation } from "../../../modules/channel/types/provider"
import type { ChannelContext, ChannelProviderCache, ChannelRateLimiter } from "../../../modules/channel/types/provider"
import { InProcessRateLimiter } from "../../shared/rate-limiter"
import {
  AmazonSimulator,
  SIM_CLIENT_ID,
  SIM_CLIENT_SECRET,
  SIM_REFRESH_TOKEN,
} from "../../../../integration-tests/simulators/amazon"
import { AmazonChannelProvider, type AmazonProviderOptions } from "../service"

/** Test wiring: an Amazon channel pointed at a running simulator. */

export const US = "ATVPDKIKX0DER"

export const CREDENTIALS = {
  client_id: SIM_CLIENT_ID,
  client_secret: SIM_CLIENT_SECRET,
  refresh_token: SIM_REFRESH_TOKEN,
}

/** A clock that only moves when something sleeps on it (or the test advances it). */
export class VirtualClock {
  constructor(public t = Date.now()) {}
  now = (): number => this.t
  sleep = async (ms: number): Promise<void> => {
    this.t += ms
  }
  advance(ms: number): void {
    this.t += ms
  }
}

export class MemoryCache implements ChannelProviderCache {
  readonly entries = new Map<string, { value: unknown; expires: number }>()
  constructor(private readonly now: () => number = Date.now) {}
  async get<T>(key: string): Promise<T | undefined> {
    const e = this.entries.get(key)
    return e && e.expires > this.now() ? (e.value as T) : undefined
  }
  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    this.entries.set(key, { value: structuredClone(value), expires: this.now() + ttlSeconds * 1000 })
  }
  async delete(key: string): Promise<void> {
    this.entries.delete(key)
  }
}

export function amazonProvider(options: AmazonProviderOptions = {}): AmazonChannelProvider {
  return new AmazonChannelProvider({}, { timeout_ms: 2_000, retry: { baseDelayMs: 20, maxDelayMs: 200 }, ...options })
}

export function amazonChannel(
  sim: AmazonSimulator,
  extra: {
    channel_id?: string
    limiter?: ChannelRateLimiter
    cache?: ChannelProviderCache
    settings?: Record<string, any>
    credentials?: Record<string, any>
  } = {}
): ChannelContext {
  return {
    channel_id: extra.channel_id ?? "chan_amazon_test",
    credentials: { ...CREDENTIALS, ...(extra.credentials ?? {}) },
    settings: { marketplace_ids: [US], base_url: sim.baseUrl, auth_url: sim.authUrl, ...(extra.settings ?? {}) },
    limiter: extra.limiter ?? new InProcessRateLimiter(),
    cache: extra.cache,
  }
}

/** Follows next_page_token to the end of one window. */
export async function pullWindow(
  provider: AmazonChannelProvider,
  ctx: ChannelContext,
  window: { updated_after: string; updated_before: string }
): Promise<{ orders: any[]; pages: number }> {
  const orders: any[] = []
  let token: string | null | undefined
  let pages = 0
  do {
    const page = await provider.listOrders(ctx, { ...window, page_token: token })
    pages += 1
    orders.push(...page.orders)
    token = page.next_page_token
  } while (token)
  return { orders, pages }
}

export const iso = (ms: number) => new Date(ms).toISOString()

/** A shipment of every line of an Amazon order, as the feedback outbox hands it to the provider. */
export function shipment(raw: any, extra: Partial<ShipmentConfirmation> = {}): ShipmentConfirmation {
  return {
    external_order_id: raw.orderId,
    items: raw.orderItems.map((i: any) => ({ external_item_id: i.orderItemId, quantity: i.quantityOrdered })),
    carrier_code: "UPS",
    shipping_method: "UPS Ground",
    tracking_numbers: ["1Z999AA10123456784"],
    shipped_at: "2026-03-02T15:04:05+01:00",
    raw_order: raw,
    ...extra,
  }
}
