import { readBackEbayOrder } from "./read-back"
import { EBAY_HOSTS } from "../shared/published-hosts"
import { ebayAccountIdentity } from "./account"
import type { FeedbackReadBackInput, ReadBackVerdict } from "../../modules/channel/types/provider"
import { ChannelOrderImportError, ChannelProviderError } from "../../modules/channel/errors"
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
import { backoffDelay, DEFAULT_RETRY } from "../shared/http-client"
import { normalizeTrackingNumber, resolveCarrierCode } from "./carriers"
import {
  EbayClient,
  EBAY_MAX_PAGE_SIZE,
  resolveConnection,
  type EbayConnection,
  type EbayProviderOptions,
} from "./client"
import { toCanonicalOrder } from "./mapper"
import { decodeCursor, encodeCursor, readWindowPage } from "./order-pages"
import { deriveEbayStatus, ebayDefaultStatusRules, ebayStatuses } from "./statuses"
import type { EbayOrder, EbayShippingFulfillment, EbayShippingFulfillmentDetails } from "./types"

export type { EbayProviderOptions } from "./client"

/** eBay refuses windows reaching further back than this (error 30830); older orders are not served anyway. */
const MAX_WINDOW_MS = 2 * 365 * 24 * 3600 * 1000

/**
 * The `lastmodifieddate` criterion for [after, before): eBay's range is inclusive at both ends, so
 * the exclusive upper bound becomes one millisecond earlier. eBay rejects dates in the future (30850).
 * Null when the window is empty.
 */
export function lastModifiedFilter(after: string, before: string, now = Date.now()): string | null {
  const from = Date.parse(after)
  const to = Date.parse(before)
  if (Number.isNaN(from) || Number.isNaN(to)) {
    throw new ChannelProviderError("invalid_input", `Invalid eBay order window: ${after} .. ${before}`)
  }
  const end = Math.min(to - 1, now)
  const start = Math.max(from, end - MAX_WINDOW_MS)
  if (start > end) return null
  return `lastmodifieddate:[${new Date(start).toISOString()}..${new Date(end).toISOString()}]`
}

function pageSizeOf(settings: Record<string, any>, options: EbayProviderOptions): number {
  const size = Number(settings.page_size ?? options.page_size ?? EBAY_MAX_PAGE_SIZE)
  return Number.isInteger(size) && size >= 1 && size <= EBAY_MAX_PAGE_SIZE ? size : EBAY_MAX_PAGE_SIZE
}

/** Shipment lines with the same id merged (eBay rejects duplicates, 32210). */
function shipmentLines(shipment: ShipmentConfirmation): { lineItemId: string; quantity: number }[] {
  const byId = new Map<string, number>()
  for (const item of shipment.items ?? []) {
    const id = String(item.external_item_id ?? "").trim()
    if (!id || !Number.isInteger(item.quantity) || item.quantity < 1) {
      throw new ChannelProviderError(
        "invalid_input",
        `Shipment line "${item.external_item_id}" needs an eBay lineItemId and a positive whole quantity`
      )
    }
    byId.set(id, (byId.get(id) ?? 0) + item.quantity)
  }
  if (!byId.size) throw new ChannelProviderError("invalid_input", "A shipment needs at least one line item")
  return [...byId].map(([lineItemId, quantity]) => ({ lineItemId, quantity }))
}

/** Catches lines that are not on the order before eBay does, when the staged order is at hand. */
function checkAgainstOrder(lines: { lineItemId: string; quantity: number }[], raw: unknown): void {
  const order = raw as EbayOrder | undefined
  if (!order || !Array.isArray(order.lineItems)) return
  const ordered = new Map(order.lineItems.map((l) => [String(l.lineItemId), Number(l.quantity ?? 0)]))
  for (const line of lines) {
    const quantity = ordered.get(line.lineItemId)
    if (quantity === undefined) {
      throw new ChannelProviderError("invalid_input", `Line item ${line.lineItemId} is not on eBay order ${order.orderId}`)
    }
    if (line.quantity > quantity) {
      throw new ChannelProviderError(
        "invalid_input",
        `Line item ${line.lineItemId} of eBay order ${order.orderId} has ${quantity} unit(s); ${line.quantity} cannot ship`
      )
    }
  }
}

function sameLines(a: { lineItemId?: string; quantity?: number }[] = [], b: { lineItemId: string; quantity: number }[]): boolean {
  const key = (l: { lineItemId?: string; quantity?: number }) => `${l.lineItemId}×${l.quantity}`
  return a.map(key).sort().join(",") === b.map(key).sort().join(",")
}

/** The fulfillment a (possibly lost) POST created, recognised by its tracking number or, without one, its lines and date. */
function findCreated(fulfillments: EbayShippingFulfillment[], details: EbayShippingFulfillmentDetails): EbayShippingFulfillment | undefined {
  if (details.trackingNumber) {
    return fulfillments.find(
      (f) => f.shipmentTrackingNumber === details.trackingNumber || f.fulfillmentId === details.trackingNumber
    )
  }
  return fulfillments.find(
    (f) =>
      sameLines(f.lineItems, details.lineItems) &&
      (!details.shippedDate || !f.shippedDate || Date.parse(f.shippedDate) === Date.parse(details.shippedDate))
  )
}

/** eBay's answers that mean "this package is already recorded": 409 Conflict, or 34500 "use PUT". */
const isAlreadyRecorded = (e: ChannelProviderError) => e.status === 409 || e.marketplace_code === "34500"

/**
 * eBay Sell Fulfillment v1 channel provider: pulls orders by lastmodifieddate window, maps them to
 * canonical orders and reports shipments as shipping fulfillments.
 */
export class EbayChannelProvider implements IChannelProvider {
  /** What a shipment or cancellation looks like once it landed on the marketplace's order (getOrder). */
  get readBackKinds(): ReadonlyArray<"shipment" | "cancel"> {
    return ["shipment"]
  }
  readBack(order: unknown, input: FeedbackReadBackInput): ReadBackVerdict {
    return readBackEbayOrder(order as Record<string, any>, input)
  }

  static identifier = "ebay"
  /** Channel settings and credentials this provider reads (`resolveConnection`, `ebayAccountIdentity`, the mapper); any other key is refused. */
  readonly settings_keys = ["marketplace_id", "seller_username", "base_url", "auth_url", "page_size", "rate_limit_multiplier", "scopes", "carrier_codes"] as const
  readonly credential_keys = ["client_id", "client_secret", "refresh_token", "scopes"] as const
  /** Hosts the channel's credentials may be sent to (base_url, auth_url); the plugin option allowed_hosts adds more. */
  readonly credential_hosts: readonly string[] = EBAY_HOSTS

  protected readonly options_: EbayProviderOptions
  protected readonly client_: EbayClient

  constructor(_cradle: Record<string, unknown>, options: EbayProviderOptions = {}) {
    this.options_ = options ?? {}
    this.client_ = new EbayClient()
  }

  static validateOptions(options: Record<string, unknown> = {}): void {
    const m = options.rate_limit_multiplier
    if (m !== undefined && !(typeof m === "number" && m > 0)) {
      throw new ChannelProviderError("invalid_settings", "eBay provider option rate_limit_multiplier must be a positive number")
    }
    const size = options.page_size
    if (size !== undefined && !(Number.isInteger(size) && (size as number) >= 1 && (size as number) <= EBAY_MAX_PAGE_SIZE)) {
      throw new ChannelProviderError("invalid_settings", `eBay provider option page_size must be 1–${EBAY_MAX_PAGE_SIZE}`)
    }
  }

  /** The client, for diagnostics and tests (token exchange count, shipping fulfillment read-back). */
  get client(): EbayClient {
    return this.client_
  }

  connection(ctx: ChannelContext): EbayConnection {
    return resolveConnection(ctx, this.options_)
  }

  accountIdentity(input: { settings: Record<string, any>; credentials: Record<string, any> }): string | null {
    return ebayAccountIdentity(input)
  }

  statuses(): ProviderStatus[] {
    return ebayStatuses()
  }

  defaultStatusRules(): StatusRuleInput[] {
    return ebayDefaultStatusRules()
  }

  validateSettings(settings: Record<string, any>, credentials: Record<string, any>): void {
    resolveConnection({ channel_id: "validation", settings, credentials, limiter: { acquire: async () => {} } }, this.options_)
    if (settings.marketplace_id !== undefined && !/^EBAY_[A-Z_]+$/.test(String(settings.marketplace_id))) {
      throw new ChannelProviderError("invalid_settings", `eBay marketplace_id looks wrong: ${settings.marketplace_id} (expected e.g. EBAY_US)`)
    }
    const size = settings.page_size
    if (size !== undefined && !(Number.isInteger(size) && size >= 1 && size <= EBAY_MAX_PAGE_SIZE)) {
      throw new ChannelProviderError("invalid_settings", `eBay page_size must be a whole number from 1 to ${EBAY_MAX_PAGE_SIZE}`)
    }
  }

  async listOrders(ctx: ChannelContext, input: ListOrdersInput): Promise<ListOrdersPage> {
    const conn = this.connection(ctx)
    const now = (this.options_.now ?? Date.now)()
    const filter = lastModifiedFilter(input.updated_after, input.updated_before, now)
    // eBay refuses a future bound, so the filter ends at this process's "now": say so when that cut
    // the window short, and the pipeline's cursor stops there instead of at the database's clock.
    const requested = Date.parse(input.updated_before)
    const listed_until = now + 1 < requested ? new Date(now + 1).toISOString() : null
    if (!filter) return { orders: [], next_page_token: null, ...(listed_until ? { listed_until } : {}) }
    const cursor = input.page_token ? decodeCursor(input.page_token) : null
    const { orders, next } = await readWindowPage(
      (offset, limit) => this.client_.getOrders(conn, { filter, limit, offset }),
      cursor,
      pageSizeOf(ctx.settings ?? {}, this.options_)
    )
    return { orders, next_page_token: next ? encodeCursor(next) : null, ...(listed_until ? { listed_until } : {}) }
  }

  async getOrder(ctx: ChannelContext, externalId: string): Promise<unknown | null> {
    return this.client_.getOrder(this.connection(ctx), externalId)
  }

  identify(raw: unknown): RawOrderIdentity {
    const order = raw as EbayOrder | null
    if (!order || typeof order !== "object" || typeof order.orderId !== "string" || !order.orderId) {
      throw new ChannelOrderImportError("unidentified_payload", "The eBay payload has no orderId")
    }
    return {
      external_id: order.orderId,
      status: deriveEbayStatus(order),
      updated_at: order.lastModifiedDate ?? order.creationDate ?? null,
    }
  }

  normalize(raw: unknown, ctx: { settings: Record<string, any> }): CanonicalOrderInput {
    return toCanonicalOrder(raw, ctx?.settings ?? {})
  }

  async testConnection(ctx: ChannelContext): Promise<ConnectionCheck> {
    try {
      const conn = this.connection(ctx)
      await this.client_.accessToken(conn)
      const page = await this.client_.getOrders(conn, { limit: 1, offset: 0 })
      const where = conn.marketplaceId ? ` (${conn.marketplaceId})` : ""
      return {
        ok: true,
        message: `Connected to eBay${where}: ${page.total ?? 0} order(s) created in the last 90 days.`,
      }
    } catch (e) {
      return { ok: false, message: e instanceof Error ? e.message : "eBay connection check failed" }
    }
  }

  /**
   * One shipping fulfillment per parcel ("for each package, execute this call once"), each with the
   * lines it carries and its own tracking number. Per line, the parcels add up to exactly what
   * shipped; when the labels do not say which items they hold, the lines are spread over the parcels
   * (planShipmentPackages). A carrier eBay does not list goes out as "Other". Each parcel is created
   * idempotently (see createFulfillment), so a retry after a failure half-way skips parcels eBay has.
   */
  async confirmShipment(ctx: ChannelContext, shipment: ShipmentConfirmation): Promise<ShipmentConfirmationResult> {
    const conn = this.connection(ctx)
    const orderId = String(shipment.external_order_id ?? "").trim()
    if (!orderId) throw new ChannelProviderError("invalid_input", "A shipment needs the eBay orderId")
    const lineItems = shipmentLines(shipment)
    checkAgainstOrder(lineItems, shipment.raw_order)

    let shippedDate: string | undefined
    const shippedAt = Date.parse(shipment.shipped_at)
    if (!Number.isNaN(shippedAt)) {
      // A clock a little ahead would make eBay refuse the date (32500).
      shippedDate = new Date(Math.min(shippedAt, Date.now())).toISOString()
    }

    // Tracking numbers as eBay takes them (alphanumeric), before parcels are told apart.
    const parcels = (
      shipment.packages?.length
        ? shipment.packages.map((p) => ({ ...p, tracking_number: String(p?.tracking_number ?? "") }))
        : (shipment.tracking_numbers ?? []).map((t) => ({ tracking_number: String(t ?? "") }))
    )
      .filter((p) => p.tracking_number.trim())
      .map((p) => ({ ...p, tracking_number: normalizeTrackingNumber(p.tracking_number) }))
    let carrier: { code: string; fallback: boolean } | undefined
    if (parcels.length) {
      const given = String(shipment.carrier_code ?? "").trim()
      if (!given) {
        throw new ChannelProviderError("invalid_input", "eBay needs a shipping carrier code together with a tracking number")
      }
      const extra = Array.isArray(ctx.settings?.carrier_codes) ? (ctx.settings.carrier_codes as unknown[]).map(String) : []
      carrier = resolveCarrierCode(given, extra)
    }
    const plan = planShipmentPackages({
      items: lineItems.map((l) => ({ external_item_id: l.lineItemId, quantity: l.quantity })),
      tracking_numbers: parcels.map((p) => p.tracking_number),
      packages: shipment.packages?.length ? parcels : undefined,
    })

    const results: ShipmentConfirmationResult[] = []
    for (const pkg of plan.packages) {
      const details: EbayShippingFulfillmentDetails = {
        lineItems: pkg.items.map((i) => ({ lineItemId: i.external_item_id, quantity: i.quantity })),
      }
      if (shippedDate) details.shippedDate = shippedDate
      if (pkg.tracking_number && carrier) {
        details.trackingNumber = pkg.tracking_number
        details.shippingCarrierCode = carrier.code
      }
      results.push(await this.createFulfillment(conn, orderId, details))
    }

    const notes: Record<string, unknown> = {}
    if (carrier?.fallback) notes.carrier_fallback = { given: String(shipment.carrier_code).trim(), sent: carrier.code }
    if (plan.unassigned.length) {
      notes.tracking_numbers_not_sent = plan.unassigned.map((u) => u.tracking_number)
      notes.not_sent_reason = "More tracking numbers than shipped units: each eBay shipping fulfillment needs at least one unit"
    }
    if (results.length === 1) {
      const [only] = results
      return Object.keys(notes).length ? { ...only, response: { ...(only.response as object), ...notes } } : only
    }
    return {
      state: results.every((r) => r.state === "confirmed") ? "confirmed" : "sent",
      external_reference: results[0]?.external_reference ?? null,
      response: {
        split: plan.split,
        packages: results.map((r, i) => ({
          fulfillment_id: r.external_reference ?? null,
          state: r.state,
          lineItems: plan.packages[i].items.map((it) => ({ lineItemId: it.external_item_id, quantity: it.quantity })),
        })),
        ...notes,
      },
    }
  }

  /**
   * Creating a fulfillment is not idempotent, so a failed or unanswered POST is never simply sent
   * again: the order's fulfillments are read first, and the POST repeated only if it left no trace.
   */
  private async createFulfillment(
    conn: EbayConnection,
    orderId: string,
    details: EbayShippingFulfillmentDetails
  ): Promise<ShipmentConfirmationResult> {
    const policy = { ...DEFAULT_RETRY, ...(this.options_.retry ?? {}) }
    const sleep = this.options_.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
    let lastError: ChannelProviderError | undefined

    for (let attempt = 0; attempt < policy.maxAttempts; attempt++) {
      if (attempt > 0) {
        await sleep(backoffDelay(attempt, policy))
        const existing = await this.findExisting(conn, orderId, details)
        if (existing) return this.confirmed(existing, { recovered_after: lastError?.code })
      }
      try {
        const created = await this.client_.createShippingFulfillment(conn, orderId, details)
        return await this.afterCreate(conn, orderId, details, created)
      } catch (e) {
        if (!(e instanceof ChannelProviderError)) throw e
        if (isAlreadyRecorded(e)) {
          const existing = await this.findExisting(conn, orderId, details)
          if (existing) return this.confirmed(existing, { already_recorded: true })
          throw new ChannelProviderError("already_shipped", `eBay refused the shipment for order ${orderId}: ${e.marketplace_message ?? e.message}`, {
            retryable: false,
            status: e.status,
            marketplace_code: e.marketplace_code,
            marketplace_message: e.marketplace_message,
          })
        }
        if (!e.retryable) throw e
        lastError = e
      }
    }
    throw lastError ?? new ChannelProviderError("marketplace_unavailable", "eBay did not take the shipment", { retryable: true })
  }

  private async findExisting(
    conn: EbayConnection,
    orderId: string,
    details: EbayShippingFulfillmentDetails
  ): Promise<EbayShippingFulfillment | undefined> {
    try {
      return findCreated(await this.client_.getShippingFulfillments(conn, orderId), details)
    } catch (e) {
      if (e instanceof ChannelProviderError && e.retryable) return undefined
      throw e
    }
  }

  private confirmed(fulfillment: EbayShippingFulfillment, extra: Record<string, unknown> = {}): ShipmentConfirmationResult {
    return { state: "confirmed", external_reference: fulfillment.fulfillmentId ?? null, response: { fulfillment, ...extra } }
  }

  private async afterCreate(
    conn: EbayConnection,
    orderId: string,
    details: EbayShippingFulfillmentDetails,
    created: { fulfillmentId: string | null; location: string | null }
  ): Promise<ShipmentConfirmationResult> {
    const sent: ShipmentConfirmationResult = {
      state: "sent",
      external_reference: created.fulfillmentId,
      response: { location: created.location },
    }
    if (this.options_.verify_shipments === false) return sent
    try {
      const fulfillments = await this.client_.getShippingFulfillments(conn, orderId)
      const match =
        fulfillments.find((f) => created.fulfillmentId && f.fulfillmentId === created.fulfillmentId) ??
        findCreated(fulfillments, details)
      return match ? this.confirmed(match, { location: created.location }) : sent
    } catch {
      // The POST was accepted; a failed read-back must not make the caller send it again.
      return sent
    }
  }
}

export default EbayChannelProvider
