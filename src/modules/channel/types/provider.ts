import type { CanonicalOrderInput } from "./canonical-order"

/** The seven choices of the "Import" column of the order import settings table. */
export const STATUS_ACTIONS = [
  "do_not_import",
  "import_as_valid",
  "import_and_invoice",
  "import_and_cancel",
  "import_and_hold",
  "import_and_complete",
  "import_as_history",
] as const
export type StatusAction = (typeof STATUS_ACTIONS)[number]

export type StatusRuleInput = {
  external_status: string
  action: StatusAction
  retry: boolean
}

/** Published rate of one marketplace operation: `rate` tokens per second, `burst` bucket size. */
export type RateLimit = { rate: number; burst: number }

/**
 * Spends one token of a bucket shared by every Medusa instance (the module keeps the buckets in
 * PostgreSQL). `acquire` waits until a token is free; providers never sleep on their own.
 */
export interface ChannelRateLimiter {
  acquire(operation: string, limit: RateLimit): Promise<void>
}

/** What a provider gets on every call: the channel's decrypted credentials and its settings. */
export type ChannelContext = {
  channel_id: string
  credentials: Record<string, any>
  settings: Record<string, any>
  limiter: ChannelRateLimiter
  /** Provider-owned state that must survive between calls (cached tokens); persisted by the module. */
  cache?: ChannelProviderCache
}

export interface ChannelProviderCache {
  get<T = unknown>(key: string): Promise<T | undefined>
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>
  delete(key: string): Promise<void>
}

export type ListOrdersInput = {
  /** Inclusive lower bound on the marketplace's last-update time, ISO UTC. */
  updated_after: string
  /** Exclusive upper bound, ISO UTC; the pipeline already keeps it a few minutes in the past. */
  updated_before: string
  /** Opaque token from the previous page of the same window. */
  page_token?: string | null
}

export type ListOrdersPage = {
  /** Raw payloads exactly as the marketplace returned them; the pipeline stores them before anything else. */
  orders: unknown[]
  next_page_token?: string | null
}

/** The few facts the pipeline needs to stage a raw payload, read without full validation. */
export type RawOrderIdentity = {
  external_id: string
  status: string
  updated_at?: string | null
}

export type ShipmentItem = { external_item_id: string; quantity: number }

export type ShipmentConfirmation = {
  external_order_id: string
  items: ShipmentItem[]
  /** The marketplace's carrier code (already mapped from the Medusa side). */
  carrier_code: string
  /** Free-text carrier name, for marketplaces that take "Other" + a name. */
  carrier_name?: string | null
  shipping_method?: string | null
  tracking_numbers: string[]
  tracking_url?: string | null
  shipped_at: string
  /** The raw order as last staged, for marketplaces that need ids from it. */
  raw_order?: unknown
}

export type ShipmentConfirmationResult = {
  /** `confirmed` only when the marketplace said so; a bare 2xx is `sent`. */
  state: "sent" | "confirmed"
  external_reference?: string | null
  response?: unknown
}

/**
 * What a marketplace status means for an order that is already imported: still to ship (`open`),
 * shipped (by the seller or the marketplace), canceled, refunded, or impossible to fulfil.
 */
export const STATUS_KINDS = ["open", "shipped", "canceled", "refunded", "unfulfillable"] as const
export type StatusKind = (typeof STATUS_KINDS)[number]

export type ConnectionCheck = { ok: boolean; message: string }

/** A marketplace status, what it means after import, and a description for the admin. */
export type ProviderStatus = { external_status: string; kind: StatusKind; description?: string }

/**
 * A channel provider: one marketplace. It knows HTTP, auth, paging and the marketplace's
 * vocabulary, and nothing of Medusa orders. Register it under the channel module's
 * `providers` option (Medusa's module-provider pattern).
 */
export interface IChannelProvider {
  /**
   * How far behind "now" the marketplace lets a listing window end (Amazon: 2 minutes). The pipeline
   * ends each window that far back, so its cursor never claims a stretch the marketplace refused to list.
   */
  readonly listing_lag_seconds?: number
  /** Marketplace statuses an admin can set a rule for, in a sensible display order. */
  statuses(): ProviderStatus[]
  /** Status rules a new channel starts with. Statuses without a rule behave as do_not_import + retry. */
  defaultStatusRules(): StatusRuleInput[]
  /** Validates and fills the provider's own settings and credentials; throws ChannelProviderError("invalid_settings"). */
  validateSettings?(settings: Record<string, any>, credentials: Record<string, any>): void

  listOrders(ctx: ChannelContext, input: ListOrdersInput): Promise<ListOrdersPage>
  getOrder(ctx: ChannelContext, externalId: string): Promise<unknown | null>
  identify(raw: unknown): RawOrderIdentity
  /** Raw marketplace payload → canonical order (validated afterwards by the pipeline). */
  normalize(raw: unknown, ctx: { settings: Record<string, any> }): CanonicalOrderInput
  testConnection(ctx: ChannelContext): Promise<ConnectionCheck>
  confirmShipment(ctx: ChannelContext, shipment: ShipmentConfirmation): Promise<ShipmentConfirmationResult>

  /**
   * Optional: what a status that is not in `statuses()` means (a marketplace that invents statuses).
   * Known statuses take their `kind` from `statuses()`; a status nobody declared counts as `open`.
   */
  statusKind?(status: string): StatusKind
  /** Optional: whether this raw order waits for the seller to accept it (Mirakl WAITING_ACCEPTANCE). */
  awaitsAcceptance?(raw: unknown): boolean
  /** Optional: accept an order's lines before it can ship (Mirakl OR21). */
  acceptOrder?(
    ctx: ChannelContext,
    input: { external_order_id: string; accept_item_ids: string[]; refuse_item_ids: string[]; raw_order?: unknown }
  ): Promise<void>
  /** Optional: cancel an order on the marketplace. */
  cancelOrder?(
    ctx: ChannelContext,
    input: { external_order_id: string; reason?: string | null; raw_order?: unknown }
  ): Promise<{ state: "sent" | "confirmed" }>
}

/** What a marketplace status means after import, as its provider declares it; `open` when undeclared. */
export function statusKindOf(provider: Pick<IChannelProvider, "statuses" | "statusKind">, status: string | null | undefined): StatusKind {
  if (!status) return "open"
  const declared = provider.statuses().find((s) => s.external_status === status)
  return declared?.kind ?? provider.statusKind?.(status) ?? "open"
}

/** Kinds that end the order on the marketplace before (or instead of) delivery. */
export const ENDED_KINDS: ReadonlySet<StatusKind> = new Set(["canceled", "refunded", "unfulfillable"])
