import { ChannelProviderError } from "../../modules/channel/errors"
import type { CanonicalOrderInput } from "../../modules/channel/types/canonical-order"
import type {
  ChannelContext,
  ConnectionCheck,
  IChannelProvider,
  ListOrdersInput,
  ListOrdersPage,
  ProviderStatus,
  RawOrderIdentity,
  ShipmentConfirmation,
  ShipmentConfirmationResult,
  StatusRuleInput,
} from "../../modules/channel/types/provider"
import { trackingBody, type MiraklCarrier } from "./carriers"
import { MiraklClient } from "./client"
import { identifyMiraklOrder, liveLines, remainingQuantity, toCanonicalOrder } from "./mapper"
import { alreadyListed, decodeCursor, encodeCursor, nextCursor } from "./paging"
import { resolveChannelConfig, type MiraklChannelConfig, type MiraklProviderOptions } from "./settings"
import { miraklDefaultStatusRules, miraklStatuses } from "./statuses"
import type { MiraklOrder } from "./types"

export type { MiraklProviderOptions } from "./settings"

const CARRIERS_TTL_SECONDS = 24 * 3600

const isoUtc = (value: string, name: string): string => {
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) throw new ChannelProviderError("invalid_input", `${name} is not a date: ${value}`)
  return new Date(ms).toISOString()
}

const asOrder = (raw: unknown): MiraklOrder | undefined =>
  raw && typeof raw === "object" && typeof (raw as any).order_id === "string" ? (raw as MiraklOrder) : undefined

/** Mirakl Marketplace Platform, seller (shop) API: one channel per operator host and shop. */
export class MiraklChannelProvider implements IChannelProvider {
  static identifier = "mirakl"

  private readonly options: MiraklProviderOptions
  /** SH21 answers when the module gives no cache; Mirakl asks for one call a day. */
  private readonly carrierMemo = new Map<string, { carriers: MiraklCarrier[]; until: number }>()

  constructor(_cradle: Record<string, unknown>, options: MiraklProviderOptions = {}) {
    this.options = options ?? {}
  }

  statuses(): ProviderStatus[] {
    return miraklStatuses()
  }

  defaultStatusRules(): StatusRuleInput[] {
    return miraklDefaultStatusRules()
  }

  validateSettings(settings: Record<string, any>, credentials: Record<string, any>): void {
    const config = resolveChannelConfig(settings, credentials, this.options)
    settings.base_url = config.base_url
    settings.accept_orders = config.accept_orders
    settings.page_size = config.page_size
    if (config.shop_id !== undefined) settings.shop_id = config.shop_id
    credentials.api_key = config.api_key
  }

  async listOrders(ctx: ChannelContext, input: ListOrdersInput): Promise<ListOrdersPage> {
    const config = this.config(ctx)
    const client = this.client(ctx, config)
    const cursor = decodeCursor(input.page_token)
    const query = {
      start_update_date: isoUtc(input.updated_after, "updated_after"),
      end_update_date: isoUtc(input.updated_before, "updated_before"),
      // The only sort OR11 offers; with a fixed update window it keeps offsets meaningful.
      sort: "dateCreated",
      order: "asc",
      max: config.page_size,
    }

    let offset = cursor?.o ?? 0
    let page = await client.listOrders({ ...query, offset })
    if (cursor && page.total_count < cursor.t && offset > 0) {
      // Orders updated since the last page left the window and the rest slid back: step back
      // by that many and let the cursor drop what was already handed out.
      offset = Math.max(0, offset - (cursor.t - page.total_count))
      page = await client.listOrders({ ...query, offset })
    }

    const next = nextCursor(cursor, offset, page.orders, page.total_count)
    return {
      orders: page.orders.filter((o) => !alreadyListed(o, cursor)),
      next_page_token: next ? encodeCursor(next) : null,
    }
  }

  async getOrder(ctx: ChannelContext, externalId: string): Promise<unknown | null> {
    return (await this.fetchOrder(ctx, this.config(ctx), externalId)) ?? null
  }

  identify(raw: unknown): RawOrderIdentity {
    return identifyMiraklOrder(raw)
  }

  normalize(raw: unknown, ctx: { settings: Record<string, any> }): CanonicalOrderInput {
    return toCanonicalOrder(raw, ctx?.settings ?? {})
  }

  async testConnection(ctx: ChannelContext): Promise<ConnectionCheck> {
    try {
      const config = this.config(ctx)
      const { total_count } = await this.client(ctx, config).listOrders({ max: 1 })
      const shop = config.shop_id !== undefined ? ` (shop ${config.shop_id})` : ""
      return { ok: true, message: `Connected to ${new URL(config.base_url).host}${shop}: ${total_count} orders visible` }
    } catch (e: any) {
      return { ok: false, message: e?.message ?? String(e) }
    }
  }

  awaitsAcceptance(raw: unknown): boolean {
    return asOrder(raw)?.order_state === "WAITING_ACCEPTANCE"
  }

  /** OR21: accept the lines whose SKUs matched and refuse the others. Mirakl wants a decision for every line. */
  async acceptOrder(
    ctx: ChannelContext,
    input: { external_order_id: string; accept_item_ids: string[]; refuse_item_ids: string[]; raw_order?: unknown }
  ): Promise<void> {
    const config = this.config(ctx)
    // Acceptance left to the shop's back office: nothing to send.
    if (!config.accept_orders) return

    const accept = [...new Set(input.accept_item_ids)]
    const refuse = [...new Set(input.refuse_item_ids)]
    const both = accept.filter((id) => refuse.includes(id))
    if (both.length) {
      throw new ChannelProviderError("invalid_acceptance", `Lines both accepted and refused: ${both.join(", ")}`)
    }
    const raw = asOrder(input.raw_order)
    if (raw?.order_lines) {
      const waiting = raw.order_lines.filter((l) => (l.order_line_state ?? "WAITING_ACCEPTANCE") === "WAITING_ACCEPTANCE")
      const undecided = waiting.map((l) => l.order_line_id).filter((id) => !accept.includes(id) && !refuse.includes(id))
      if (undecided.length) {
        throw new ChannelProviderError(
          "invalid_acceptance",
          `Mirakl needs a decision for every line of ${input.external_order_id}; missing: ${undecided.join(", ")}`
        )
      }
    }
    if (!accept.length && !refuse.length) {
      throw new ChannelProviderError("invalid_acceptance", `No lines to accept or refuse for ${input.external_order_id}`)
    }

    const lines = [...accept.map((id) => ({ id, accepted: true })), ...refuse.map((id) => ({ id, accepted: false }))]
    try {
      await this.client(ctx, config).acceptLines(input.external_order_id, lines)
    } catch (e) {
      // A retried OR21 whose first attempt went through finds the order no longer waiting.
      if (e instanceof ChannelProviderError && e.code === "marketplace_rejected") {
        const current = await this.fetchOrder(ctx, config, input.external_order_id).catch(() => undefined)
        if (current && decisionApplied(current, accept, refuse)) return
      }
      throw e
    }
  }

  /**
   * OR23 (tracking) then OR24 (ship). OR24 ships the whole order, so a shipment must cover every
   * live line in full. OR23 may be repeated, which makes a retry after a failed OR24 safe.
   */
  async confirmShipment(ctx: ChannelContext, shipment: ShipmentConfirmation): Promise<ShipmentConfirmationResult> {
    const config = this.config(ctx)
    const client = this.client(ctx, config)
    const orderId = shipment.external_order_id
    const order = asOrder(shipment.raw_order) ?? (await this.fetchOrder(ctx, config, orderId))
    if (!order) {
      throw new ChannelProviderError("order_not_found", `Mirakl has no order ${orderId} for this shop`, { retryable: false })
    }
    assertWholeOrder(order, shipment)

    const trackingNumbers = shipment.tracking_numbers.map((t) => t.trim()).filter(Boolean)
    const hasCarrier = !!shipment.carrier_code?.trim() || !!shipment.carrier_name?.trim()
    let tracking: ReturnType<typeof trackingBody> | undefined
    if (hasCarrier || trackingNumbers.length) {
      const carriers = config.carriers ?? (await this.operatorCarriers(ctx, config, client))
      tracking = trackingBody(shipment, carriers)
      await client.updateTracking(orderId, tracking)
    }
    await client.ship(orderId)

    return {
      state: "sent",
      external_reference: tracking?.tracking_number ?? null,
      response: {
        tracking: tracking ?? null,
        // OR23 holds one tracking number per order; the others stay on the Medusa fulfillment only.
        unsent_tracking_numbers: trackingNumbers.slice(1),
      },
    }
  }

  /** OR29: full cancelation. It takes no reason; per-line cancelation with amounts is OR30. */
  async cancelOrder(
    ctx: ChannelContext,
    input: { external_order_id: string; reason?: string | null; raw_order?: unknown }
  ): Promise<{ state: "sent" | "confirmed" }> {
    const config = this.config(ctx)
    await this.client(ctx, config).cancel(input.external_order_id)
    return { state: "sent" }
  }

  private config(ctx: ChannelContext): MiraklChannelConfig {
    return resolveChannelConfig(ctx.settings ?? {}, ctx.credentials ?? {}, this.options)
  }

  private client(ctx: ChannelContext, config: MiraklChannelConfig): MiraklClient {
    return new MiraklClient({
      base_url: config.base_url,
      api_key: config.api_key,
      shop_id: config.shop_id,
      channel_id: ctx.channel_id,
      limiter: ctx.limiter,
      rate_limit_multiplier: this.options.rate_limit_multiplier,
      timeout_ms: this.options.timeout_ms,
      retry: this.options.retry,
    })
  }

  /** OR11 filtered by id (OR12 is deprecated). */
  private async fetchOrder(ctx: ChannelContext, config: MiraklChannelConfig, orderId: string): Promise<MiraklOrder | undefined> {
    const { orders } = await this.client(ctx, config).listOrders({ order_ids: orderId, max: 1 })
    return orders.find((o) => o?.order_id === orderId)
  }

  private async operatorCarriers(
    ctx: ChannelContext,
    config: MiraklChannelConfig,
    client: MiraklClient
  ): Promise<MiraklCarrier[] | undefined> {
    const key = `mirakl:carriers:${config.base_url}:${config.shop_id ?? ""}`
    const memo = this.carrierMemo.get(key)
    const cached = ctx.cache ? await ctx.cache.get<MiraklCarrier[]>(key) : memo && memo.until > Date.now() ? memo.carriers : undefined
    if (cached) return cached
    try {
      const carriers = await client.carriers()
      if (ctx.cache) await ctx.cache.set(key, carriers, CARRIERS_TTL_SECONDS)
      else this.carrierMemo.set(key, { carriers, until: Date.now() + CARRIERS_TTL_SECONDS * 1000 })
      return carriers
    } catch (e) {
      if (e instanceof ChannelProviderError && (e.code === "unauthorized" || e.code === "forbidden")) throw e
      // Without the operator's list the given code is sent as is; Mirakl rejects it if unknown.
      return undefined
    }
  }
}

function decisionApplied(order: MiraklOrder, accept: string[], refuse: string[]): boolean {
  if (order.order_state === "WAITING_ACCEPTANCE" || order.order_state === "STAGING") return false
  const state = new Map((order.order_lines ?? []).map((l) => [l.order_line_id, l.order_line_state ?? ""]))
  const accepted = (id: string) => state.has(id) && !["WAITING_ACCEPTANCE", "STAGING", "REFUSED"].includes(state.get(id)!)
  return accept.every(accepted) && refuse.every((id) => state.get(id) === "REFUSED")
}

function assertWholeOrder(order: MiraklOrder, shipment: ShipmentConfirmation): void {
  if (!shipment.items.length) return
  const shipped = new Map<string, number>()
  for (const item of shipment.items) {
    shipped.set(item.external_item_id, (shipped.get(item.external_item_id) ?? 0) + item.quantity)
  }
  const lines = liveLines(order)
  const unknown = [...shipped.keys()].filter((id) => !lines.some((l) => l.order_line_id === id))
  if (unknown.length) {
    throw new ChannelProviderError(
      "invalid_shipment",
      `Mirakl order ${order.order_id} has no shippable line ${unknown.join(", ")}`,
      { retryable: false }
    )
  }
  // What is left of a partly canceled line is what has to ship.
  const short = lines.filter((l) => (shipped.get(l.order_line_id) ?? 0) < remainingQuantity(l))
  if (short.length) {
    throw new ChannelProviderError(
      "partial_shipment_unsupported",
      `Mirakl OR24 ships whole orders; ${order.order_id} still has unshipped quantities on ${short
        .map((l) => `${l.order_line_id} (${shipped.get(l.order_line_id) ?? 0}/${remainingQuantity(l)})`)
        .join(", ")}. Ship the remaining items together, or use the operator's multi-shipment (ST01) flow.`,
      { retryable: false }
    )
  }
}
