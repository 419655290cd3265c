import { readBackAmazonOrder } from "./read-back"
import { AMAZON_HOSTS } from "../shared/published-hosts"
import { amazonAccountIdentity } from "./account"
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
import { resolveCarrier } from "./carriers"
import {
  AmazonSpApiClient,
  AMAZON_RATE_LIMITS,
  DEFAULT_AUTH_URL,
  type AmazonFeed,
  DEFAULT_BASE_URL,
  refusedForRole,
  restrictedResourcesFor,
  withoutSecrets,
} from "./client"
import { AmazonProviderError } from "./errors"
import { credentialFingerprint, newAccessTokenMemory, type AccessTokenMemory } from "./lwa"
import { identifyAmazonOrder, normalizeAmazonOrder } from "./mapper"
import { cancelReasonFor, orderCancellationFeed } from "./order-acknowledgement"
import { parseProcessingReport, reportAccepted, type ProcessingReport } from "./processing-report"
import { AMAZON_STATUSES, amazonDefaultStatusRules } from "./statuses"
import {
  INCLUDED_DATA,
  PII_MARKER,
  RESTRICTED_INCLUDED_DATA,
  type AmazonOrder,
  type ConfirmShipmentRequest,
  type PiiMarker,
  type RestrictedResource,
} from "./types"

export type AmazonProviderOptions = {
  /** SP-API regional endpoint; a channel's `settings.base_url` wins. */
  base_url?: string
  /** LWA token endpoint; a channel's `settings.auth_url` wins. */
  auth_url?: string
  /** Multiplies every published rate (not the burst): for simulators and measurements only. */
  rate_limit_multiplier?: number
  /** Per-attempt timeout of every HTTP call. */
  timeout_ms?: number
  retry?: Partial<RetryPolicy>
  /** Clock used for the two-minute rule and token expiry; tests may pass a virtual one. */
  now?: () => number
  /**
   * Request a restricted data token (Tokens API) for the buyer and address datasets and send it on
   * the calls that ask for them (default true). A channel's `settings.use_restricted_data_token` wins.
   */
  use_restricted_data_token?: boolean
  /**
   * After Amazon refused the buyer and address data for want of a role, pull without them for this
   * long before asking again (default 3600 s).
   */
  restricted_data_retry_seconds?: number
  /**
   * getFeed reads of a cancellation feed before cancelOrder returns `sent` with the feedId
   * (default 3; the first right after createFeed). Amazon usually takes minutes: the caller reads the
   * rest later with `readCancellationResult`.
   */
  cancellation_result_polls?: number
  /** Pause between those reads (default 2000 ms). */
  cancellation_result_poll_ms?: number
}

export const CANCELLATION_FEED_TYPE = "POST_ORDER_ACKNOWLEDGEMENT_DATA"
export const DEFAULT_CANCELLATION_RESULT_POLLS = 3
export const DEFAULT_CANCELLATION_RESULT_POLL_MS = 2000

/** One parcel of a multi-package shipment confirmation, as `response.packages` (or an error's `data.packages`) reports it. */
export type AmazonPackageResult = {
  packageReferenceId: string
  trackingNumber: string
  trackingUrl?: string
  orderItems: { orderItemId: string; quantity: number }[]
  /**
   * `sent`: Amazon took it now; `already_on_amazon`: the order already shows it (an earlier attempt),
   * so it was not sent again; `failed`: this call failed (see `error`); `not_sent`: after a failure.
   */
  state: "sent" | "already_on_amazon" | "failed" | "not_sent"
  status?: number
  note?: string
  error?: { code: string; retryable: boolean; status?: number; marketplace_code?: string; marketplace_message?: string }
}

/** What cancelOrder and readCancellationResult return. */
export type AmazonCancellationResult = {
  /** `confirmed`: the processing report shows the cancellation processed; `sent`: not known yet. */
  state: "sent" | "confirmed"
  /** The feedId, for readCancellationResult. */
  external_reference: string
  response: {
    feed_id: string
    feed_type: string
    processing_status: string | null
    [fact: string]: unknown
  }
}

/** What the provider remembers after Amazon refused the restricted data. */
type PiiRefusal = { reason: string; until_ms: number }

type Logger = { warn(message: string): void }

function loggerFrom(cradle: Record<string, unknown>): Logger {
  try {
    // Medusa's container throws on an unregistered name; tests pass a plain object.
    const logger = cradle?.logger as Logger | undefined
    if (logger && typeof logger.warn === "function") return logger
  } catch {
    // no logger registered
  }
  // eslint-disable-next-line no-console
  return { warn: (message) => console.warn(message) }
}

/** Datasets requested with every order: status, buyer, address, prices, promotions, cancellations, packages. */
export const DEFAULT_INCLUDED_DATA = ["BUYER", "RECIPIENT", "PROCEEDS", "FULFILLMENT", "PROMOTION", "CANCELLATION", "PACKAGES"]

/** Amazon refuses an upper bound less than two minutes old; keep a margin for clock skew. */
export const MIN_UPPER_BOUND_AGE_MS = 2 * 60_000 + 10_000
export const PAGE_SIZE = 100
export const DEFAULT_RESTRICTED_DATA_RETRY_SECONDS = 3600

const PAGE_TOKEN_PREFIX = "az1."

/** Our page token keeps Amazon's token with the upper bound used, which later pages must repeat exactly. */
function encodePageToken(amazonToken: string, before: string): string {
  return PAGE_TOKEN_PREFIX + Buffer.from(JSON.stringify({ n: amazonToken, b: before })).toString("base64url")
}

/** searchOrders' maxResultsPerPage: the channel's `page_size`, else Amazon's maximum. */
function pageSizeOf(settings: Record<string, any> | undefined): number {
  const size = Number(settings?.page_size)
  return Number.isInteger(size) && size >= 1 && size <= PAGE_SIZE ? size : PAGE_SIZE
}

function decodePageToken(token: string): { n: string; b?: string } {
  if (!token.startsWith(PAGE_TOKEN_PREFIX)) return { n: token }
  try {
    const v = JSON.parse(Buffer.from(token.slice(PAGE_TOKEN_PREFIX.length), "base64url").toString("utf8"))
    if (typeof v?.n === "string") return { n: v.n, b: typeof v.b === "string" ? v.b : undefined }
  } catch {
    // fall through
  }
  throw new ChannelProviderError("invalid_page_token", "The Amazon page token is not one this provider issued")
}

function invalid(message: string): ChannelProviderError {
  return new ChannelProviderError("invalid_settings", message)
}

function isHttpUrl(v: unknown): boolean {
  if (typeof v !== "string") return false
  try {
    const u = new URL(v)
    return u.protocol === "https:" || u.protocol === "http:"
  } catch {
    return false
  }
}

function isoOrThrow(value: string, name: string): string {
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) throw new ChannelProviderError("invalid_input", `${name} is not an ISO-8601 date-time`)
  return new Date(ms).toISOString()
}

/** A positive numeric package reference, stable for the same order and tracking number. */
export function packageReferenceFor(orderId: string, trackingNumber: string): string {
  let h = 0x811c9dc5
  for (const ch of `${orderId}|${trackingNumber}`) {
    h ^= ch.codePointAt(0) ?? 0
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return String((h % 999_999_999) + 1)
}

/** A refusal's message, with anything shaped like an Amazon token masked (it goes to logs and orders). */
function reasonOf(e: unknown): string {
  return (withoutSecrets(e, []) as Error).message
}

/** Marks a raw order fetched without the buyer and address datasets (a copy; Amazon's fields untouched). */
function markPii<T>(raw: T, reason: string | null): T {
  if (!reason || !raw || typeof raw !== "object") return raw
  const marker: PiiMarker = { pii_unavailable: true, reason }
  return { ...(raw as Record<string, unknown>), [PII_MARKER]: marker } as T
}

const ALREADY_CONFIRMED = /already (been )?(fulfilled|shipped|confirmed)|unable to find package/i

export class AmazonChannelProvider implements IChannelProvider {
  /** What a shipment or cancellation looks like once it landed on the marketplace's order (getOrder). */
  get readBackKinds(): ReadonlyArray<"shipment" | "cancel"> {
    return ["shipment", "cancel"]
  }
  readBack(order: unknown, input: FeedbackReadBackInput): ReadBackVerdict {
    return readBackAmazonOrder(order as Record<string, any>, input)
  }

  static identifier = "amazon"
  /** Channel settings and credentials this provider reads (README of the provider); any other key is refused. */
  readonly settings_keys = ["marketplace_ids", "seller_id", "base_url", "auth_url", "included_data", "use_restricted_data_token", "page_size", "currency_code"] as const
  readonly credential_keys = ["client_id", "client_secret", "refresh_token"] as const
  /** Hosts the channel's credentials may be sent to (base_url, auth_url); the plugin option allowed_hosts adds more. */
  readonly credential_hosts: readonly string[] = AMAZON_HOSTS
  /** The pipeline ends windows this far back, beyond the clamp below, so Amazon's bound is never moved. */
  readonly listing_lag_seconds = MIN_UPPER_BOUND_AGE_MS / 1000 + 20

  private readonly options: AmazonProviderOptions
  private readonly tokens: AccessTokenMemory = newAccessTokenMemory()
  /** PII refusals, when the module gives no `ctx.cache`. */
  private readonly refusals = new Map<string, PiiRefusal>()
  private readonly now: () => number
  private readonly logger: Logger

  constructor(cradle: Record<string, unknown>, options: AmazonProviderOptions = {}) {
    this.options = options ?? {}
    const multiplier = this.options.rate_limit_multiplier
    if (multiplier !== undefined && !(typeof multiplier === "number" && multiplier > 0)) {
      throw invalid("rate_limit_multiplier must be a positive number")
    }
    const rdt = this.options.use_restricted_data_token
    if (rdt !== undefined && typeof rdt !== "boolean") throw invalid("use_restricted_data_token must be true or false")
    const retry = this.options.restricted_data_retry_seconds
    if (retry !== undefined && !(typeof retry === "number" && retry > 0)) {
      throw invalid("restricted_data_retry_seconds must be a positive number")
    }
    const polls = this.options.cancellation_result_polls
    if (polls !== undefined && !(Number.isInteger(polls) && polls >= 1)) throw invalid("cancellation_result_polls must be a positive integer")
    const pollMs = this.options.cancellation_result_poll_ms
    if (pollMs !== undefined && !(typeof pollMs === "number" && pollMs >= 0)) {
      throw invalid("cancellation_result_poll_ms must be a number of milliseconds")
    }
    this.now = this.options.now ?? Date.now
    this.logger = loggerFrom(cradle)
  }

  accountIdentity(input: { settings: Record<string, any>; credentials: Record<string, any> }): string | null {
    return amazonAccountIdentity(input)
  }

  statuses(): ProviderStatus[] {
    return AMAZON_STATUSES.map((s) => ({ ...s }))
  }

  defaultStatusRules(): StatusRuleInput[] {
    return amazonDefaultStatusRules()
  }

  validateSettings(settings: Record<string, any>, credentials: Record<string, any>): void {
    if (!settings || typeof settings !== "object") throw invalid("Amazon settings are missing")
    let ids = settings.marketplace_ids
    if (typeof ids === "string") ids = ids.split(",")
    if (!Array.isArray(ids)) throw invalid("marketplace_ids is required (a list of Amazon marketplace IDs)")
    ids = [...new Set(ids.map((v: unknown) => (typeof v === "string" ? v.trim() : v)))]
    if (!ids.length || ids.length > 50 || ids.some((v: unknown) => typeof v !== "string" || !/^[A-Z0-9]{8,20}$/.test(v))) {
      throw invalid("marketplace_ids must hold 1 to 50 Amazon marketplace IDs such as ATVPDKIKX0DER")
    }
    settings.marketplace_ids = ids
    for (const key of ["base_url", "auth_url"]) {
      if (settings[key] !== undefined && settings[key] !== null && !isHttpUrl(settings[key])) {
        throw invalid(`${key} must be an http(s) URL`)
      }
    }
    if (settings.included_data !== undefined) {
      const data = settings.included_data
      if (!Array.isArray(data) || data.some((d) => !(INCLUDED_DATA as readonly string[]).includes(d))) {
        throw invalid(`included_data must be a list of ${INCLUDED_DATA.join(", ")}`)
      }
      if (!data.includes("FULFILLMENT")) throw invalid("included_data must contain FULFILLMENT (it carries the order status)")
    }
    if (settings.use_restricted_data_token !== undefined && settings.use_restricted_data_token !== null && typeof settings.use_restricted_data_token !== "boolean") {
      throw invalid("use_restricted_data_token must be true or false")
    }
    if (settings.seller_id !== undefined && (typeof settings.seller_id !== "string" || !settings.seller_id.trim())) {
      throw invalid("seller_id must be a non-empty string")
    }
    if (settings.page_size !== undefined && settings.page_size !== null) {
      const size = Number(settings.page_size)
      if (!Number.isInteger(size) || size < 1 || size > PAGE_SIZE) throw invalid(`page_size must be a whole number from 1 to ${PAGE_SIZE}`)
      settings.page_size = size
    }
    const missing = ["client_id", "client_secret", "refresh_token"].filter(
      (k) => typeof credentials?.[k] !== "string" || !credentials[k].trim()
    )
    if (missing.length) throw invalid(`Amazon credentials are missing: ${missing.join(", ")}`)
  }

  private marketplaceIds(ctx: ChannelContext): string[] {
    const ids = ctx.settings?.marketplace_ids
    const list = typeof ids === "string" ? ids.split(",").map((s) => s.trim()) : ids
    if (!Array.isArray(list) || !list.length) {
      throw new ChannelProviderError("channel_misconfigured", "The Amazon channel has no marketplace_ids")
    }
    return list
  }

  private includedData(ctx: ChannelContext): string[] {
    const data = ctx.settings?.included_data
    return Array.isArray(data) && data.length ? data : DEFAULT_INCLUDED_DATA
  }

  /** The channel's datasets without the restricted ones (buyer, recipient). */
  private plainIncludedData(ctx: ChannelContext): string[] {
    return this.includedData(ctx).filter((d) => !(d in RESTRICTED_INCLUDED_DATA))
  }

  private usesRestrictedDataToken(ctx: ChannelContext): boolean {
    const setting = ctx.settings?.use_restricted_data_token
    if (typeof setting === "boolean") return setting
    return this.options.use_restricted_data_token ?? true
  }

  /** Per channel and credentials: other credentials (a re-authorized app) are asked again at once. */
  private refusalKey(ctx: ChannelContext): string {
    const c = ctx.credentials ?? {}
    return `amazon:pii-refused:${ctx.channel_id}:${credentialFingerprint({ client_id: c.client_id, refresh_token: c.refresh_token })}`
  }

  private async rememberedRefusal(ctx: ChannelContext): Promise<PiiRefusal | undefined> {
    const key = this.refusalKey(ctx)
    const r = ctx.cache ? await ctx.cache.get<PiiRefusal>(key) : this.refusals.get(key)
    return r && r.until_ms > this.now() ? r : undefined
  }

  private async rememberRefusal(ctx: ChannelContext, reason: string): Promise<void> {
    const seconds = this.options.restricted_data_retry_seconds ?? DEFAULT_RESTRICTED_DATA_RETRY_SECONDS
    const refusal: PiiRefusal = { reason, until_ms: this.now() + seconds * 1000 }
    const key = this.refusalKey(ctx)
    if (ctx.cache) await ctx.cache.set(key, refusal, Math.max(1, Math.ceil(seconds)))
    else this.refusals.set(key, refusal)
    this.logger.warn(
      `Amazon channel ${ctx.channel_id}: buyer and address data (PII) are unavailable: ${reason}. Orders are imported without ` +
        `buyer name, e-mail, phone and delivery address, marked custom_fields.pii_unavailable, and held for an incomplete ` +
        `address. Grant the app the restricted roles and authorize it again; asking again in ${Math.round(seconds / 60)} min.`
    )
  }

  /**
   * Runs a searchOrders/getOrder call with the buyer and address datasets when Amazon lets this app
   * have them. With restricted datasets in `included_data`:
   *  - a refusal remembered from an earlier call: without them, at once;
   *  - else with a restricted data token for them (or the plain access token when
   *    `use_restricted_data_token` is off);
   *  - refused for want of a role (the token request, or the call itself): the same call again
   *    without them, and the refusal is remembered for `restricted_data_retry_seconds`.
   * Returns why the PII is missing, or null when it was asked for and granted.
   */
  private async withRestrictedData<T>(
    ctx: ChannelContext,
    client: AmazonSpApiClient,
    run: (includedData: string[], restricted: RestrictedResource[] | null) => Promise<T>
  ): Promise<{ result: T; piiUnavailable: string | null }> {
    const included = this.includedData(ctx)
    const resources = restrictedResourcesFor(included)
    if (!resources) return { result: await run(included, null), piiUnavailable: null }
    const plain = this.plainIncludedData(ctx)
    const known = await this.rememberedRefusal(ctx)
    if (known) return { result: await run(plain, null), piiUnavailable: known.reason }
    try {
      const restricted = this.usesRestrictedDataToken(ctx) ? resources : null
      return { result: await run(included, restricted), piiUnavailable: null }
    } catch (e) {
      if (!refusedForRole(e)) throw e
      const reason = reasonOf(e)
      const result = await run(plain, null)
      // Remembered only once the call without PII went through: a refusal of the whole operation
      // is not a PII problem and must keep failing as it is.
      await this.rememberRefusal(ctx, reason)
      return { result, piiUnavailable: reason }
    }
  }

  private client(ctx: ChannelContext): AmazonSpApiClient {
    const credentials = ctx.credentials ?? {}
    const missing = ["client_id", "client_secret", "refresh_token"].filter((k) => typeof credentials[k] !== "string" || !credentials[k])
    if (missing.length) {
      throw new ChannelProviderError("channel_misconfigured", `Amazon credentials are missing: ${missing.join(", ")}`)
    }
    const seller = typeof ctx.settings?.seller_id === "string" && ctx.settings.seller_id ? ctx.settings.seller_id : ctx.channel_id
    const limiterPrefix = `amazon:${seller}`
    const rateMultiplier = this.options.rate_limit_multiplier ?? 1
    const lwaLimit = AMAZON_RATE_LIMITS.lwaToken
    return new AmazonSpApiClient({
      baseUrl: ctx.settings?.base_url || this.options.base_url || DEFAULT_BASE_URL,
      limiter: ctx.limiter,
      limiterPrefix,
      rateMultiplier,
      timeoutMs: this.options.timeout_ms,
      retry: this.options.retry,
      secrets: [credentials.client_secret, credentials.refresh_token],
      lwa: {
        channelId: ctx.channel_id,
        authUrl: ctx.settings?.auth_url || this.options.auth_url || DEFAULT_AUTH_URL,
        credentials: {
          client_id: credentials.client_id,
          client_secret: credentials.client_secret,
          refresh_token: credentials.refresh_token,
        },
        limiter: ctx.limiter,
        limiterKey: `${limiterPrefix}:lwaToken`,
        limit: { rate: lwaLimit.rate * rateMultiplier, burst: lwaLimit.burst },
        cache: ctx.cache,
        memory: this.tokens,
        timeoutMs: this.options.timeout_ms,
        retry: this.options.retry,
        now: this.now,
      },
    })
  }

  /**
   * One page of orders updated in [updated_after, updated_before). Amazon's bound is inclusive, so
   * orders at exactly `updated_before` are left to the next window.
   */
  async listOrders(ctx: ChannelContext, input: ListOrdersInput): Promise<ListOrdersPage> {
    const after = isoOrThrow(input.updated_after, "updated_after")
    const requestedBefore = isoOrThrow(input.updated_before, "updated_before")
    const page = input.page_token ? decodePageToken(input.page_token) : undefined
    const before =
      page?.b ?? new Date(Math.min(Date.parse(requestedBefore), this.now() - MIN_UPPER_BOUND_AGE_MS)).toISOString()
    // An upper bound clamped below the one asked for is reported, so the pipeline's cursor stops there.
    const listed_until = Date.parse(before) < Date.parse(requestedBefore) ? before : null
    if (Date.parse(before) < Date.parse(after)) return { orders: [], next_page_token: null, ...(listed_until ? { listed_until } : {}) }

    const client = this.client(ctx)
    const marketplaceIds = this.marketplaceIds(ctx)
    const { result: res, piiUnavailable } = await this.withRestrictedData(ctx, client, (includedData, restricted) =>
      client.searchOrders(
        {
          lastUpdatedAfter: after,
          lastUpdatedBefore: before,
          marketplaceIds,
          includedData,
          maxResultsPerPage: pageSizeOf(ctx.settings),
          paginationToken: page?.n,
        },
        { restricted }
      )
    )
    const exclusive = Date.parse(requestedBefore)
    const orders = res.orders
      .filter((o) => {
        const t = Date.parse((o as AmazonOrder)?.lastUpdatedTime)
        return Number.isNaN(t) || t < exclusive
      })
      .map((o) => markPii(o, piiUnavailable))
    const next = res.pagination?.nextToken
    return { orders, next_page_token: next ? encodePageToken(next, before) : null, ...(listed_until ? { listed_until } : {}) }
  }

  async getOrder(ctx: ChannelContext, externalId: string): Promise<unknown | null> {
    const client = this.client(ctx)
    const { result, piiUnavailable } = await this.withRestrictedData(ctx, client, (includedData, restricted) =>
      client.getOrder(externalId, includedData, { restricted })
    )
    return result ? markPii(result, piiUnavailable) : null
  }

  identify(raw: unknown): RawOrderIdentity {
    return identifyAmazonOrder(raw)
  }

  normalize(raw: unknown, ctx: { settings: Record<string, any> }): CanonicalOrderInput {
    return normalizeAmazonOrder(raw, ctx?.settings ?? {})
  }

  async testConnection(ctx: ChannelContext): Promise<ConnectionCheck> {
    try {
      const marketplaceIds = this.marketplaceIds(ctx)
      const client = this.client(ctx)
      await client.authenticate(true)
      const before = this.now() - MIN_UPPER_BOUND_AGE_MS
      const res = await client.searchOrders({
        lastUpdatedAfter: new Date(before - 60 * 60_000).toISOString(),
        lastUpdatedBefore: new Date(before).toISOString(),
        marketplaceIds,
        maxResultsPerPage: 1,
      })
      const some = res.orders.length ? "orders were updated in the last hour" : "no order was updated in the last hour"
      const pii = await this.piiCheck(ctx, client)
      return { ok: true, message: `Connected to Amazon SP-API for ${marketplaceIds.join(", ")}; ${some}${pii}` }
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e)
      return { ok: false, message: `Amazon connection failed: ${message}` }
    }
  }

  /** What a connection check says about the buyer and address data (one token request at most). */
  private async piiCheck(ctx: ChannelContext, client: AmazonSpApiClient): Promise<string> {
    const resources = restrictedResourcesFor(this.includedData(ctx))
    if (!resources) return ""
    const unavailable = (reason: string) =>
      `; WARNING: buyer and address data are unavailable (${reason}); orders will be imported without them and held`
    const known = await this.rememberedRefusal(ctx)
    if (known) return unavailable(known.reason)
    if (!this.usesRestrictedDataToken(ctx)) return "; buyer and address data are asked with the access token (restricted data tokens are off)"
    try {
      await client.restrictedDataToken(resources)
      return "; buyer and address data: restricted data token granted"
    } catch (e) {
      if (!refusedForRole(e)) throw e
      const reason = reasonOf(e)
      await this.rememberRefusal(ctx, reason)
      return unavailable(reason)
    }
  }

  private async marketplaceOf(ctx: ChannelContext, client: AmazonSpApiClient, orderId: string, raw: unknown): Promise<string> {
    const fromRaw = (raw as AmazonOrder | undefined)?.salesChannel?.marketplaceId
    if (typeof fromRaw === "string" && fromRaw) return fromRaw
    const ids = this.marketplaceIds(ctx)
    if (ids.length === 1) return ids[0]
    const order = await client.getOrder(orderId, ["FULFILLMENT"])
    const id = order?.salesChannel?.marketplaceId
    if (!id) {
      throw new ChannelProviderError("order_not_found", `Amazon does not know order ${orderId} or its marketplace`)
    }
    return id
  }

  /**
   * v0 confirmShipment, which takes one package (`packageDetail`) per call.
   *
   * One parcel (one tracking number): one call with every shipped line, as it always was.
   *
   * Several parcels (`packages`, or several `tracking_numbers`): one call per parcel, each with its
   * own packageReferenceId (derived from the order and its tracking number, so a retry repeats it),
   * the shipment's carrier, method and ship date, its tracking number and the lines it holds. The
   * lines come from `planShipmentPackages`: the parcels' own `items` when every parcel says what it
   * holds (they must add up to the shipment); otherwise whole lines are grouped over the parcels in
   * order, splitting the largest line only when there are more parcels than lines, so that every
   * parcel carries at least one unit (Amazon requires `orderItems`) and, per line, the parcels add
   * up to exactly the quantity shipped. Tracking numbers beyond the shipped units cannot be sent
   * (a package without a unit) and are listed in `response.tracking_numbers_not_sent`.
   *
   * Idempotent on retry: the order's packages are read first (getOrder, includedData PACKAGES) and a
   * parcel Amazon already shows (same packageReferenceId, or same tracking number) is not sent
   * again. `response.packages` reports each parcel (`sent` or `already_on_amazon`); when a parcel
   * fails, the error (AmazonProviderError) carries the same list in `data.packages` with `failed`
   * and `not_sent`, and a retry sends only what Amazon does not show.
   */
  async confirmShipment(ctx: ChannelContext, shipment: ShipmentConfirmation): Promise<ShipmentConfirmationResult> {
    const orderId = shipment.external_order_id
    const given = shipment.packages?.length ? shipment.packages.map((p) => p?.tracking_number) : shipment.tracking_numbers ?? []
    if (!given.some((t) => typeof t === "string" && t.trim())) {
      throw new ChannelProviderError("invalid_shipment", "Amazon needs a tracking number to confirm a shipment")
    }
    if (!shipment.items?.length) throw new ChannelProviderError("invalid_shipment", "The shipment has no items")
    for (const item of shipment.items) {
      if (!item.external_item_id || !Number.isInteger(item.quantity) || item.quantity <= 0) {
        throw new ChannelProviderError("invalid_shipment", "Every shipped item needs an Amazon orderItemId and a positive quantity")
      }
    }
    const shippedAt = Date.parse(shipment.shipped_at)
    if (Number.isNaN(shippedAt)) throw new ChannelProviderError("invalid_shipment", "shipped_at is not an ISO-8601 date-time")
    const plan = planShipmentPackages(shipment)
    for (const p of plan.packages) {
      for (const i of p.items) {
        if (!i.external_item_id || !Number.isInteger(i.quantity) || i.quantity <= 0) {
          throw new ChannelProviderError("invalid_shipment", "Every item of a parcel needs an Amazon orderItemId and a positive quantity")
        }
      }
    }
    const carrier = resolveCarrier(shipment.carrier_code, shipment.carrier_name)
    const notes: Record<string, unknown> = plan.unassigned.length
      ? {
          tracking_numbers_not_sent: plan.unassigned.map((u) => u.tracking_number),
          not_sent_reason: "More tracking numbers than shipped units: an Amazon package needs at least one unit",
        }
      : {}
    const detail = (packageReferenceId: string, trackingNumber: string, items: { external_item_id: string; quantity: number }[]) => ({
      packageReferenceId,
      ...carrier,
      ...(shipment.shipping_method ? { shippingMethod: shipment.shipping_method } : {}),
      trackingNumber,
      shipDate: new Date(shippedAt).toISOString(),
      orderItems: items.map((i) => ({ orderItemId: i.external_item_id, quantity: i.quantity })),
    })

    const client = this.client(ctx)
    if (plan.packages.length === 1) {
      const trackingNumber = plan.packages[0].tracking_number!
      const marketplaceId = await this.marketplaceOf(ctx, client, orderId, shipment.raw_order)
      const packageReferenceId = packageReferenceFor(orderId, trackingNumber)
      const body: ConfirmShipmentRequest = { marketplaceId, packageDetail: detail(packageReferenceId, trackingNumber, shipment.items) }
      try {
        const sent = await this.sendPackage(client, orderId, body)
        return {
          state: "sent",
          external_reference: packageReferenceId,
          response: { status: sent.status, marketplaceId, packageReferenceId, ...(sent.note ? { note: sent.note } : {}), ...notes },
        }
      } catch (e) {
        throw this.shipmentRefusal(e, orderId)
      }
    }

    // Several parcels: what Amazon already shows first, so that a retry skips what it took.
    const current = await client.getOrder(orderId, ["PACKAGES"])
    if (!current) throw new ChannelProviderError("order_not_found", `Amazon does not know order ${orderId}`)
    const raw = shipment.raw_order as AmazonOrder | undefined
    const marketplaceId = await this.marketplaceOf(ctx, client, orderId, raw?.salesChannel?.marketplaceId ? raw : current)
    const onAmazon = current.packages ?? []
    const compact = (t: unknown) => (typeof t === "string" ? t.replace(/[\s-]+/g, "").toLowerCase() : "")
    const results: AmazonPackageResult[] = plan.packages.map((p) => ({
      packageReferenceId: packageReferenceFor(orderId, p.tracking_number!),
      trackingNumber: p.tracking_number!,
      ...(p.tracking_url ? { trackingUrl: p.tracking_url } : {}),
      orderItems: p.items.map((i) => ({ orderItemId: i.external_item_id, quantity: i.quantity })),
      state: "not_sent",
    }))
    const summary = () => ({ marketplaceId, split: plan.split, packages: results.map((r) => ({ ...r })), ...notes })

    for (const [index, r] of results.entries()) {
      const seen = onAmazon.find(
        (p) => p.packageReferenceId === r.packageReferenceId || (!!p.trackingNumber && compact(p.trackingNumber) === compact(r.trackingNumber))
      )
      if (seen) {
        r.state = "already_on_amazon"
        if (seen.packageReferenceId !== r.packageReferenceId) r.note = `Amazon shows tracking ${r.trackingNumber} as package ${seen.packageReferenceId}`
        continue
      }
      const body: ConfirmShipmentRequest = { marketplaceId, packageDetail: detail(r.packageReferenceId, r.trackingNumber, plan.packages[index].items) }
      try {
        const sent = await this.sendPackage(client, orderId, body)
        r.state = "sent"
        r.status = sent.status
        if (sent.note) r.note = sent.note
      } catch (e) {
        const err = this.shipmentRefusal(e, orderId)
        if (!(err instanceof ChannelProviderError)) throw err
        r.state = "failed"
        r.error = {
          code: err.code,
          retryable: err.retryable,
          ...(err.status !== undefined ? { status: err.status } : {}),
          ...(err.marketplace_code ? { marketplace_code: err.marketplace_code } : {}),
          ...(err.marketplace_message ? { marketplace_message: err.marketplace_message } : {}),
        }
        const taken = results.filter((x) => x.state === "sent" || x.state === "already_on_amazon").map((x) => x.trackingNumber)
        throw new AmazonProviderError(
          err.code,
          `Package ${index + 1} of ${results.length} (tracking ${r.trackingNumber}): ${err.message}` +
            (taken.length ? `; Amazon has the packages with tracking ${taken.join(", ")}, which a retry does not send again` : ""),
          {
            retryable: err.retryable,
            status: err.status,
            marketplace_code: err.marketplace_code,
            marketplace_message: err.marketplace_message,
            data: summary(),
          }
        )
      }
    }
    return {
      state: results.every((r) => r.state === "already_on_amazon") ? "confirmed" : "sent",
      external_reference: results[0].packageReferenceId,
      response: summary(),
    }
  }

  /**
   * One confirmShipment call, retried here rather than in the HTTP client so that "already
   * fulfilled" after a lost answer counts as success, not as a refusal.
   */
  private async sendPackage(client: AmazonSpApiClient, orderId: string, body: ConfirmShipmentRequest): Promise<{ status: number; note?: string }> {
    const policy: RetryPolicy = { ...DEFAULT_RETRY, ...(this.options.retry ?? {}) }
    let answerLost = false
    for (let attempt = 0; ; attempt++) {
      try {
        return { status: await client.confirmShipment(orderId, body, { retry: { maxAttempts: 1 } }) }
      } catch (e) {
        if (!(e instanceof ChannelProviderError)) throw e
        if (e.retryable && attempt + 1 < policy.maxAttempts) {
          answerLost ||= e.code === "timeout" || e.code === "network_error" || e.code === "malformed_response"
          await new Promise((r) => setTimeout(r, backoffDelay(attempt, policy)))
          continue
        }
        if (answerLost && e.status === 400 && ALREADY_CONFIRMED.test(e.marketplace_message ?? "")) {
          // An earlier attempt reached Amazon but its answer was lost.
          return { status: e.status, note: e.marketplace_message }
        }
        throw e
      }
    }
  }

  /** A failed confirmShipment as the caller sees it: transient errors as they are, refusals with Amazon's words. */
  private shipmentRefusal(e: unknown, orderId: string): unknown {
    if (!(e instanceof ChannelProviderError) || e.retryable || e.code === "unauthorized") return e
    return new ChannelProviderError(
      e.code,
      `Amazon refused the shipment confirmation of order ${orderId}${e.marketplace_code ? ` (${e.marketplace_code})` : ""}: ${
        e.marketplace_message ?? e.message
      }`,
      { retryable: false, status: e.status, marketplace_code: e.marketplace_code, marketplace_message: e.marketplace_message }
    )
  }

  /**
   * Seller cancellation through a POST_ORDER_ACKNOWLEDGEMENT_DATA feed (StatusCode Failure, every
   * item with its CancelReason), then a few quick reads of the feed's result:
   *  - the processing report shows the message processed without an error: `confirmed`;
   *  - the report shows an error: AmazonProviderError `cancellation_rejected`, not retryable, with
   *    Amazon's ResultMessageCode and ResultDescription and the report in `data`;
   *  - still IN_QUEUE/IN_PROGRESS after `cancellation_result_polls` reads, or the result could not be
   *    read (an outage, a report this reader does not understand): `sent`, with the feedId as
   *    `external_reference` (and `response.feed_id`) for `readCancellationResult` later.
   * Once the feed exists nothing but the report's verdict (or a FATAL/CANCELLED feed) is thrown, so
   * that a failed read never makes the caller submit a second feed.
   */
  async cancelOrder(
    ctx: ChannelContext,
    input: { external_order_id: string; reason?: string | null; raw_order?: unknown }
  ): Promise<AmazonCancellationResult> {
    const client = this.client(ctx)
    let order = input.raw_order as AmazonOrder | undefined
    if (!order?.orderItems?.length) {
      // Only the items and the marketplace are needed: no buyer or address data, no restricted token.
      order = (await client.getOrder(input.external_order_id, this.plainIncludedData(ctx))) ?? undefined
    }
    if (!order?.orderItems?.length) {
      throw new ChannelProviderError("order_not_found", `Amazon does not know order ${input.external_order_id}`)
    }
    const marketplaceId = await this.marketplaceOf(ctx, client, input.external_order_id, order)
    const contentType = "text/xml; charset=UTF-8"
    const feed = orderCancellationFeed({
      merchantIdentifier: typeof ctx.settings?.seller_id === "string" && ctx.settings.seller_id ? ctx.settings.seller_id : "SELLER",
      amazonOrderId: input.external_order_id,
      orderItemIds: order.orderItems.map((i) => i.orderItemId),
      reason: cancelReasonFor(input.reason),
    })
    const doc = await client.createFeedDocument(contentType)
    await client.uploadFeedDocument(doc.url, contentType, feed)
    const feedId = await client.createFeed({
      feedType: CANCELLATION_FEED_TYPE,
      marketplaceIds: [marketplaceId],
      inputFeedDocumentId: doc.feedDocumentId,
    })
    const polls = this.options.cancellation_result_polls ?? DEFAULT_CANCELLATION_RESULT_POLLS
    try {
      return await this.cancellationResult(client, feedId, polls, input.external_order_id)
    } catch (e) {
      if (e instanceof AmazonProviderError) throw e
      return {
        state: "sent",
        external_reference: feedId,
        response: { feed_id: feedId, feed_type: CANCELLATION_FEED_TYPE, processing_status: null, read_error: reasonOf(e) },
      }
    }
  }

  /**
   * Reads the result of a cancellation feed sent earlier (`external_reference` of a `sent`
   * cancelOrder): `confirmed`, `sent` while Amazon still processes it (read again later), or the
   * AmazonProviderError of a rejected, FATAL or CANCELLED feed. A failed read (outage, throttling)
   * throws the transient ChannelProviderError: read again later, do not cancel again.
   */
  async readCancellationResult(
    ctx: ChannelContext,
    feedId: string,
    opts: { polls?: number; external_order_id?: string } = {}
  ): Promise<AmazonCancellationResult> {
    if (typeof feedId !== "string" || !feedId.trim()) throw new ChannelProviderError("invalid_input", "A cancellation result needs the feedId")
    return this.cancellationResult(this.client(ctx), feedId.trim(), Math.max(1, opts.polls ?? 1), opts.external_order_id)
  }

  private async cancellationResult(
    client: AmazonSpApiClient,
    feedId: string,
    polls: number,
    orderId: string | undefined
  ): Promise<AmazonCancellationResult> {
    const interval = this.options.cancellation_result_poll_ms ?? DEFAULT_CANCELLATION_RESULT_POLL_MS
    const base = { feed_id: feedId, feed_type: CANCELLATION_FEED_TYPE }
    let feed: AmazonFeed
    for (let poll = 1; ; poll++) {
      feed = await client.getFeed(feedId)
      if (feed.processingStatus !== "IN_QUEUE" && feed.processingStatus !== "IN_PROGRESS") break
      if (poll >= polls) {
        return { state: "sent", external_reference: feedId, response: { ...base, processing_status: feed.processingStatus, polls: poll } }
      }
      await new Promise((r) => setTimeout(r, interval))
    }
    const status = feed.processingStatus
    const facts = {
      ...base,
      processing_status: status,
      ...(feed.processingEndTime ? { processing_end_time: feed.processingEndTime } : {}),
      ...(feed.resultFeedDocumentId ? { result_feed_document_id: feed.resultFeedDocumentId } : {}),
    }
    const order = orderId ? ` of order ${orderId}` : ""
    if (status === "CANCELLED") {
      throw new AmazonProviderError(
        "feed_cancelled",
        `Amazon cancelled the cancellation feed ${feedId}${order} before processing it: nothing was applied; send the cancellation again`,
        { retryable: true, data: facts }
      )
    }

    let report: ProcessingReport | null = null
    if (feed.resultFeedDocumentId) {
      const document = await client.getFeedDocument(feed.resultFeedDocumentId)
      report = parseProcessingReport(await client.downloadFeedDocument(document.url))
    }
    if (report && !reportAccepted(report)) {
      const first = report.errors[0]
      throw new AmazonProviderError(
        "cancellation_rejected",
        `Amazon rejected the cancellation${order} (feed ${feedId}${first?.code ? `, result ${first.code}` : ""}): ${
          first?.description || `${report.messages_with_error} message(s) with an error, ${report.messages_successful} successful`
        }`,
        {
          retryable: false,
          marketplace_code: first?.code ?? undefined,
          marketplace_message: first?.description || undefined,
          data: { ...facts, report },
        }
      )
    }
    if (status === "FATAL") {
      if (report) return { state: "confirmed", external_reference: feedId, response: { ...facts, report } }
      throw new AmazonProviderError(
        "feed_fatal",
        `Amazon aborted the cancellation feed ${feedId}${order} (FATAL)${feed.resultFeedDocumentId ? " with a report this reader does not understand" : " without a processing report"}`,
        { retryable: false, data: facts }
      )
    }
    if (!report) {
      // DONE, but no verdict to read: the order read-back has to tell.
      return {
        state: "sent",
        external_reference: feedId,
        response: { ...facts, report_unreadable: feed.resultFeedDocumentId ? "not a processing report" : "no result document" },
      }
    }
    return { state: "confirmed", external_reference: feedId, response: { ...facts, report } }
  }
}

