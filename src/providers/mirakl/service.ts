import { readBackMiraklOrder } from "./read-back"
import { MIRAKL_HOSTS } from "../shared/published-hosts"
import { miraklAccountIdentity } from "./account"
import type { FeedbackReadBackInput, ReadBackVerdict } from "../../modules/channel/types/provider"
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
import { planShipmentPackages } from "../../modules/channel/types/provider"
import { backoffDelay, DEFAULT_RETRY, type RetryPolicy } from "../shared/http-client"
import { shipmentTracking, trackingBody, type MiraklCarrier } from "./carriers"
import { MiraklClient } from "./client"
import { identifyMiraklOrder, liveLines, remainingQuantity, toCanonicalOrder } from "./mapper"
import { alreadyListed, decodeCursor, encodeCursor, nextCursor } from "./paging"
import { resolveChannelConfig, type MiraklChannelConfig, type MiraklProviderOptions } from "./settings"
import { miraklDefaultStatusRules, miraklStatuses } from "./statuses"
import type { MiraklOrder, MiraklShipment, MiraklShipmentRequest } from "./types"

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
  /** What a shipment or cancellation looks like once it landed on the marketplace's order (getOrder). */
  get readBackKinds(): ReadonlyArray<"shipment" | "cancel"> {
    return ["shipment", "cancel"]
  }
  readBack(order: unknown, input: FeedbackReadBackInput): ReadBackVerdict {
    return readBackMiraklOrder(order as Record<string, any>, input)
  }

  static identifier = "mirakl"
  /** Channel settings and credentials this provider reads (`resolveChannelConfig`, the mapper); any other key is refused. */
  readonly settings_keys = ["base_url", "shop_id", "accept_orders", "page_size", "operator_fulfillment_centers", "multi_shipment", "carriers"] as const
  readonly credential_keys = ["api_key"] as const
  /** Hosts the channel's credentials may be sent to (base_url, auth_url); the plugin option allowed_hosts adds more. */
  readonly credential_hosts: readonly string[] = MIRAKL_HOSTS

  private readonly options: MiraklProviderOptions
  /** SH21 answers when the module gives no cache; Mirakl asks for one call a day. */
  private readonly carrierMemo = new Map<string, { carriers: MiraklCarrier[]; until: number }>()

  constructor(_cradle: Record<string, unknown>, options: MiraklProviderOptions = {}) {
    this.options = options ?? {}
  }

  accountIdentity(input: { settings: Record<string, any>; credentials: Record<string, any> }): string | null {
    return miraklAccountIdentity(input)
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
   * Reports a shipment to Mirakl in one of two ways:
   *   - shipments API (setting `multi_shipment`, when the operator enables several shipments per
   *     order): one ST01 shipment per parcel, each with its own lines and tracking, shipped at once.
   *     Partial and multi-parcel shipments go out exactly as shipped. ST11 is read first, so a repeat
   *     never creates a shipment twice.
   *   - otherwise OR23 (tracking) then OR24 (ship). Both work on the whole order: a shipment that
   *     leaves units unshipped is refused with `not_supported` (nothing is sent), and OR23 holds one
   *     tracking number, so further parcels are listed in the response as not sent. OR23 may be
   *     repeated, which makes a retry after a failed OR24 safe; an OR24 whose answer was lost is
   *     settled by reading the order back (SHIPPED or later means it went through).
   */
  async confirmShipment(ctx: ChannelContext, shipment: ShipmentConfirmation): Promise<ShipmentConfirmationResult> {
    const config = this.config(ctx)
    const client = this.client(ctx, config)
    const orderId = shipment.external_order_id
    const order = asOrder(shipment.raw_order) ?? (await this.fetchOrder(ctx, config, orderId))
    if (!order) {
      throw new ChannelProviderError("order_not_found", `Mirakl has no order ${orderId} for this shop`, { retryable: false })
    }
    const unshipped = unshippedLines(order, shipment)

    if (config.multi_shipment && shipment.items.length) {
      return this.createShipments(ctx, config, client, order, shipment)
    }
    if (unshipped.length) throw partialShipmentError(order, unshipped)

    const parcels = parcelsOf(shipment)
    const hasCarrier = !!shipment.carrier_code?.trim() || !!shipment.carrier_name?.trim()
    let tracking: ReturnType<typeof trackingBody> | undefined
    if (hasCarrier || parcels.length) {
      const carriers = config.carriers ?? (await this.operatorCarriers(ctx, config, client))
      const first = parcels[0]
      tracking = trackingBody(
        {
          carrier_code: shipment.carrier_code,
          carrier_name: shipment.carrier_name,
          tracking_numbers: first ? [first.tracking_number] : [],
          tracking_url: first?.tracking_url ?? shipment.tracking_url,
        },
        carriers
      )
      await client.updateTracking(orderId, tracking)
    }
    const recovered = await this.shipOrder(ctx, config, client, orderId)

    const unsent = parcels.slice(1).map((p) => p.tracking_number)
    return {
      state: recovered ? "confirmed" : "sent",
      external_reference: tracking?.tracking_number ?? null,
      response: {
        api: "OR23+OR24",
        tracking: tracking ?? null,
        // OR23 holds one tracking number per order; the others stay on the Medusa fulfillment only.
        unsent_tracking_numbers: unsent,
        ...(unsent.length
          ? {
              unsent_reason:
                "OR23 takes one tracking number per order and has no field for more; the shipments API (multi_shipment) sends one shipment per parcel",
            }
          : {}),
        ...(recovered ? { recovered } : {}),
      },
    }
  }

  /**
   * OR24 with its own retries (one attempt per call, so that nothing is repeated blindly). When an
   * answer was lost (timeout, dropped connection) the order is read back (OR11): SHIPPED or later
   * means the lost OR24 went through, and the shipment is confirmed without sending it again. The
   * same read settles a "not in the expected state" refusal that follows a lost answer.
   */
  private async shipOrder(
    ctx: ChannelContext,
    config: MiraklChannelConfig,
    client: MiraklClient,
    orderId: string
  ): Promise<{ order_state: string; after: string } | null> {
    const policy: RetryPolicy = { ...DEFAULT_RETRY, ...(this.options.retry ?? {}) }
    let lost: ChannelProviderError | undefined
    for (let attempt = 0; ; attempt++) {
      try {
        await client.ship(orderId, { once: true })
        return null
      } catch (e) {
        if (!(e instanceof ChannelProviderError)) throw e
        if (ANSWER_LOST.has(e.code)) lost = e
        const mayHaveLanded = !!lost && (ANSWER_LOST.has(e.code) || (!e.retryable && e.status === 400))
        if (mayHaveLanded) {
          const state = (await this.fetchOrder(ctx, config, orderId).catch(() => undefined))?.order_state
          if (state && SHIPPED_OR_LATER.has(state)) return { order_state: state, after: lost!.code }
        }
        if (e.retryable && attempt + 1 < policy.maxAttempts) {
          await new Promise((r) => setTimeout(r, backoffDelay(attempt, policy)))
          continue
        }
        throw e
      }
    }
  }

  /** ST01: one shipment per parcel, created and shipped in one call; ST11 guards against doubles. */
  private async createShipments(
    ctx: ChannelContext,
    config: MiraklChannelConfig,
    client: MiraklClient,
    order: MiraklOrder,
    shipment: ShipmentConfirmation
  ): Promise<ShipmentConfirmationResult> {
    const orderId = order.order_id
    const plan = planShipmentPackages(shipment)
    const hasCarrier = !!shipment.carrier_code?.trim() || !!shipment.carrier_name?.trim()
    const anyTracking = plan.packages.some((p) => p.tracking_number)
    const carriers = hasCarrier || anyTracking ? config.carriers ?? (await this.operatorCarriers(ctx, config, client)) : undefined
    const reference = shipmentReference(orderId, shipment)

    const wanted = plan.packages.map((p, k) => {
      const tracking = shipmentTracking(shipment, p, carriers)
      const request: MiraklShipmentRequest = {
        order_id: orderId,
        shipment_lines: p.items.map((i) => ({
          order_line_id: i.external_item_id,
          quantity: i.quantity,
          package_reference: `${reference}-${k + 1}`,
        })),
        shipped: true,
        ...(tracking ? { tracking } : {}),
      }
      return { package_reference: `${reference}-${k + 1}`, request, shipment: undefined as MiraklShipment | undefined, existed: false }
    })
    const match = (list: MiraklShipment[]) => {
      for (const w of wanted) {
        if (w.shipment) continue
        const tn = w.request.tracking?.tracking_number
        w.shipment = list.find(
          (s) =>
            (s.shipment_lines ?? []).some((l) => l.package_reference === w.package_reference) ||
            (!!tn && s.tracking?.tracking_number === tn)
        )
      }
    }

    // A shipment from an earlier attempt (lost answer, retried outbox item) is not created again.
    match(await client.listShipments(orderId))
    for (const w of wanted) w.existed = !!w.shipment

    const policy: RetryPolicy = { ...DEFAULT_RETRY, ...(this.options.retry ?? {}) }
    for (let attempt = 0; ; attempt++) {
      const missing = wanted.filter((w) => !w.shipment)
      if (!missing.length) break
      try {
        const res = await client.createShipments(missing.map((w) => w.request))
        match(res.shipment_success)
        if (!res.shipment_errors.length && res.shipment_success.length === missing.length) {
          // Created, but not recognisable by reference or tracking: Mirakl answers in request order.
          const unclaimed = res.shipment_success.filter((s) => !wanted.some((w) => w.shipment === s))
          for (const w of missing) if (!w.shipment) w.shipment = unclaimed.shift()
        }
        if (res.shipment_errors.length || wanted.some((w) => !w.shipment)) {
          const messages = res.shipment_errors.map((e) => e.message).filter(Boolean).join("; ") || "no shipment created"
          throw new ChannelProviderError(
            "marketplace_rejected",
            `Mirakl refused ${res.shipment_errors.length || missing.length} of ${missing.length} shipment(s) of order ${orderId} (ST01): ${messages}`,
            { retryable: false, status: 201, marketplace_message: messages }
          )
        }
      } catch (e) {
        if (!(e instanceof ChannelProviderError) || !e.retryable || attempt + 1 >= policy.maxAttempts) throw e
        await new Promise((r) => setTimeout(r, backoffDelay(attempt, policy)))
        // The answer may be lost while the shipments exist: look before sending again.
        match(await client.listShipments(orderId).catch(() => []))
      }
    }

    const unsent = plan.unassigned.map((u) => u.tracking_number)
    return {
      // ST01 answers with each created shipment and its id: Mirakl's own acknowledgement.
      state: "confirmed",
      external_reference: wanted[0]?.shipment?.id ?? null,
      response: {
        api: "ST01",
        split: plan.split,
        shipments: wanted.map((w) => ({
          id: w.shipment!.id,
          package_reference: w.package_reference,
          tracking_number: w.request.tracking?.tracking_number ?? null,
          lines: w.request.shipment_lines.map((l) => ({ order_line_id: l.order_line_id, quantity: l.quantity })),
          ...(w.existed ? { already_on_mirakl: true } : {}),
        })),
        unsent_tracking_numbers: unsent,
        ...(unsent.length
          ? { unsent_reason: "More tracking numbers than shipped units: a shipment needs at least one unit (ST01 quantity minimum 1)" }
          : {}),
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

  /** OR11 filtered by id (OR12 is deprecated), on its own bucket: never the import listing's. */
  private async fetchOrder(ctx: ChannelContext, config: MiraklChannelConfig, orderId: string): Promise<MiraklOrder | undefined> {
    return this.client(ctx, config).getOrder(orderId)
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

/** Codes of a call whose answer never came back: the request may have been applied. */
const ANSWER_LOST = new Set(["timeout", "network_error", "malformed_response"])
/** Order states that mean "shipped" (or further along). */
const SHIPPED_OR_LATER = new Set(["SHIPPED", "TO_COLLECT", "RECEIVED", "CLOSED"])

/** A shipment Mirakl's configured API cannot express; `data` says what and why, for the outbox and the admin. */
export class MiraklUnsupportedShipmentError extends ChannelProviderError {
  readonly data: Record<string, unknown>
  constructor(message: string, data: Record<string, unknown>) {
    super("not_supported", message, { retryable: false })
    this.data = data
  }
}

type UnshippedLine = { order_line_id: string; shipped: number; remaining: number }

/**
 * The order's live lines that this shipment leaves (partly) unshipped; throws for lines the order
 * does not have. What is left of a partly canceled line is what has to ship.
 */
function unshippedLines(order: MiraklOrder, shipment: ShipmentConfirmation): UnshippedLine[] {
  if (!shipment.items.length) return []
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
  return lines
    .filter((l) => (shipped.get(l.order_line_id) ?? 0) < remainingQuantity(l))
    .map((l) => ({ order_line_id: l.order_line_id, shipped: shipped.get(l.order_line_id) ?? 0, remaining: remainingQuantity(l) }))
}

function partialShipmentError(order: MiraklOrder, unshipped: UnshippedLine[]): MiraklUnsupportedShipmentError {
  const list = unshipped.map((l) => `${l.order_line_id} (${l.shipped}/${l.remaining})`).join(", ")
  return new MiraklUnsupportedShipmentError(
    `Mirakl OR24 ships whole orders, and this channel does not use the shipments API: order ${order.order_id} would still have unshipped units on ${list}. ` +
      "Ship the remaining units in the same shipment, or, if the operator enables multiple shipments per order, set the channel's multi_shipment setting so shipments go out through ST01 with their own lines; then retry the item.",
    {
      reason: "partial_shipment",
      order_id: order.order_id,
      api: "OR24",
      unshipped_lines: unshipped,
      remedy: ["ship_remaining_units_together", "enable_multi_shipment_setting"],
      spec: "OR23/OR24 act on the whole order; ST01 (create shipments) takes shipment_lines with quantities",
    }
  )
}

/** The parcels of a shipment in order (trimmed, without repeats): from `packages`, else `tracking_numbers`. */
function parcelsOf(shipment: ShipmentConfirmation): Array<{ tracking_number: string; tracking_url: string | null }> {
  const out: Array<{ tracking_number: string; tracking_url: string | null }> = []
  const source = shipment.packages?.length
    ? shipment.packages.map((p) => ({ t: p?.tracking_number, u: p?.tracking_url }))
    : (shipment.tracking_numbers ?? []).map((t, i) => ({ t, u: i === 0 ? shipment.tracking_url : null }))
  for (const { t, u } of source) {
    const n = typeof t === "string" ? t.trim() : ""
    if (n && !out.some((o) => o.tracking_number === n)) out.push({ tracking_number: n, tracking_url: u?.trim() || null })
  }
  return out
}

/**
 * The shipment's own reference, carried as each ST01 line's `package_reference` (suffixed with the
 * parcel's number) so that ST11 finds it again: the Medusa fulfillment id when given, else a hash of
 * what identifies the shipment.
 */
function shipmentReference(orderId: string, shipment: ShipmentConfirmation): string {
  const given = shipment.reference?.trim()
  if (given) return given
  const key = [
    orderId,
    ...shipment.items.map((i) => `${i.external_item_id}x${i.quantity}`),
    ...parcelsOf(shipment).map((p) => p.tracking_number),
  ].join("|")
  let h = 0x811c9dc5
  for (const ch of key) {
    h ^= ch.codePointAt(0) ?? 0
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return `medusa-${h.toString(36)}`
}
