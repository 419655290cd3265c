import { ChannelProviderError } from "../../../modules/channel/errors"
import type { ChannelContext, RateLimit } from "../../../modules/channel/types/provider"
import { InProcessRateLimiter } from "../../shared/rate-limiter"
import { MiraklSimulator, type MiraklSimulatorOptions, type SimOperation } from "../../../../integration-tests/simulators/mirakl"
import { SPECS, assertValidRequest, assertValidResponse } from "../../../../integration-tests/simulators/openapi"
import { MiraklChannelProvider } from "../service"
import type { MiraklProviderOptions } from "../settings"

export const API_KEY = "shop-key-3f9c"

/** Fast retries so fault tests stay quick; the timeout leaves room for a loaded CI machine. */
export const FAST: MiraklProviderOptions = {
  rate_limit_multiplier: 600,
  timeout_ms: 5000,
  retry: { baseDelayMs: 5, maxDelayMs: 40 },
}

/** For tests that make the simulator hang: gives up on a call well before the hang ends. */
export const SHORT_TIMEOUT: MiraklProviderOptions = { ...FAST, timeout_ms: 500 }

export async function startSimulator(options: MiraklSimulatorOptions = {}): Promise<MiraklSimulator> {
  const sim = new MiraklSimulator({ apiKey: API_KEY, rateLimitMultiplier: 600, ...options })
  await sim.start()
  return sim
}

export function channel(
  sim: MiraklSimulator,
  settings: Record<string, any> = {},
  credentials: Record<string, any> = { api_key: API_KEY }
): ChannelContext {
  return {
    channel_id: "ch_mirakl_test",
    credentials,
    settings: { base_url: sim.url, ...settings },
    limiter: new InProcessRateLimiter(),
  }
}

export const provider = (options: MiraklProviderOptions = FAST) => new MiraklChannelProvider({}, options)

/** Pages through one window; returns every order handed out, in order. */
export async function pullWindow(
  p: MiraklChannelProvider,
  ctx: ChannelContext,
  updated_after: string,
  updated_before: string,
  between?: (page: number) => void | Promise<void>
): Promise<any[]> {
  const out: any[] = []
  let token: string | null | undefined = null
  let page = 0
  do {
    const res = await p.listOrders(ctx, { updated_after, updated_before, page_token: token })
    out.push(...res.orders)
    token = res.next_page_token
    page++
    if (token && between) await between(page)
    if (page > 1000) throw new Error("runaway paging")
  } while (token)
  return out
}

export function countIds(orders: any[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const o of orders) counts.set(o.order_id, (counts.get(o.order_id) ?? 0) + 1)
  return counts
}

const BODY_OPS: SimOperation[] = ["OR21", "OR23", "OR30", "ST01"]
const JSON_RESPONSE_OPS: SimOperation[] = ["OR11", "OR30", "SH21", "ST11"]

/**
 * Every documented response the simulator sent validates against the official spec, every request
 * body the provider sent validates against its request schema, and body-less operations got none.
 * Returns how many bodies were checked.
 */
export function expectSpecValidTraffic(sim: MiraklSimulator): number {
  let checked = 0
  for (const r of sim.requests) {
    if (BODY_OPS.includes(r.operation as SimOperation)) {
      assertValidRequest(SPECS.mirakl, r.operation, r.body)
      checked++
    }
    if ((r.operation === "OR24" || r.operation === "OR29") && r.rawBody !== "") {
      throw new Error(`${r.operation} must be sent without a body, got ${r.rawBody}`)
    }
    const res = r.response
    if (!res || r.fault) continue
    if (res.status === 200 && JSON_RESPONSE_OPS.includes(r.operation as SimOperation)) {
      assertValidResponse(SPECS.mirakl, r.operation, 200, res.body)
      checked++
    }
    if (res.status === 201 && r.operation === "ST01") {
      assertValidResponse(SPECS.mirakl, "ST01", 201, res.body)
      checked++
    }
    if (res.status === 204 && res.body !== undefined) throw new Error(`${r.operation} 204 with a body`)
  }
  return checked
}

/**
 * No sliding window of requests to `op` exceeds what a token bucket of `limit` allows (plus one
 * request of slack for timer granularity).
 */
export function expectWithinLimit(times: number[], limit: RateLimit): void {
  const sorted = [...times].sort((a, b) => a - b)
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i; j < sorted.length; j++) {
      const allowed = limit.burst + (limit.rate * (sorted[j] - sorted[i])) / 1000 + 1
      if (j - i + 1 > allowed) {
        throw new Error(`${j - i + 1} requests in ${sorted[j] - sorted[i]} ms exceed ${JSON.stringify(limit)}`)
      }
    }
  }
}

/** afterEach: the run's traffic must be spec-valid, and the server goes away either way. */
export async function finish(sim: MiraklSimulator | undefined): Promise<void> {
  if (!sim) return
  try {
    expectSpecValidTraffic(sim)
  } finally {
    await sim.stop()
  }
}

export async function caught(p: Promise<unknown>): Promise<ChannelProviderError> {
  try {
    await p
  } catch (e) {
    if (e instanceof ChannelProviderError) return e
    throw e
  }
  throw new Error("expected a ChannelProviderError")
}

/** `n` orders last updated inside [from, from + spreadMs), created in shuffled order. */
export function seedOrders(sim: MiraklSimulator, n: number, from: number, spreadMs: number, prefix = "ORD") {
  for (let i = 0; i < n; i++) {
    const created = from - 86_400_000 + ((i * 7919) % n) * 1000
    sim.addOrder({
      id: `${prefix}_${String(i).padStart(5, "0")}-A`,
      state: "SHIPPING",
      createdAt: new Date(created),
      lastUpdated: new Date(from + Math.floor((i / n) * spreadMs)),
      lines: [{ sku: `SKU-${i % 17}`, quantity: 1 + (i % 3), unitPrice: 10 + (i % 5) }],
    })
  }
}
