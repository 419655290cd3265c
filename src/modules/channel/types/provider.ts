import type { CanonicalOrderInput } from "./canonical-order"
import { ChannelProviderError } from "../errors"

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
  /**
   * Where the listing really ended, when the provider asked for less than `updated_before` (the
   * marketplace refuses an upper bound too close to its own "now", and the provider's clock may
   * differ from the database's). The pipeline then ends the window there, so nothing in between
   * is counted as read.
   */
  listed_until?: string | null
}

/** The few facts the pipeline needs to stage a raw payload, read without full validation. */
export type RawOrderIdentity = {
  external_id: string
  status: string
  updated_at?: string | null
}

export type ShipmentItem = { external_item_id: string; quantity: number }

/** One parcel of a shipment: a label's tracking number and tracking page, and what it holds when that is known. */
export type ShipmentPackage = {
  tracking_number: string
  tracking_url?: string | null
  /**
   * The marketplace lines in this parcel. Medusa labels do not say which items they cover, so this is
   * usually absent; `planShipmentPackages` then spreads the shipment's lines over the parcels.
   */
  items?: ShipmentItem[]
}

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
  /**
   * Every parcel (one per label) with its own tracking URL; optional. Without it each entry of
   * `tracking_numbers` is a parcel, the first one with `tracking_url`.
   */
  packages?: ShipmentPackage[]
  /**
   * A stable id of this shipment on the Medusa side (the fulfillment), for marketplaces that store a
   * reference with it, so that a repeated call can be recognised instead of creating a second shipment.
   */
  reference?: string | null
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

/** A parcel as a marketplace call sends it: one tracking number (or none) and the lines it carries. */
export type PlannedPackage = { tracking_number: string | null; tracking_url: string | null; items: ShipmentItem[] }

export type ShipmentPackagePlan = {
  packages: PlannedPackage[]
  /**
   * Parcels left without a line: more tracking numbers than shipped units. No marketplace API takes a
   * tracking number without at least one unit, so these cannot be sent without overstating quantities.
   */
  unassigned: Array<{ tracking_number: string; tracking_url: string | null }>
  /**
   * `explicit`: the caller said what each parcel holds; `single`: one parcel (or none) carries every
   * line; `spread`: the lines were spread over the parcels (totals exact, the split itself nominal).
   */
  split: "explicit" | "single" | "spread"
}

/**
 * The parcels of a shipment, each with the lines it carries, for marketplaces that confirm one parcel
 * per call (eBay shipping fulfillments, Mirakl ST01 shipments, Amazon packageDetail). Per line, the
 * parcels add up to exactly the quantity shipped. When the parcels' contents are unknown, whole lines
 * are grouped over the parcels in order, and a line is only split when there are more parcels than
 * lines; more parcels than units leaves the surplus `unassigned`. Deterministic, so a retry sends the
 * same parcels.
 */
export function planShipmentPackages(
  shipment: Pick<ShipmentConfirmation, "items" | "tracking_numbers" | "tracking_url" | "packages">
): ShipmentPackagePlan {
  const merged = new Map<string, number>()
  for (const item of shipment.items ?? []) {
    merged.set(item.external_item_id, (merged.get(item.external_item_id) ?? 0) + Number(item.quantity))
  }
  const items: ShipmentItem[] = [...merged].map(([external_item_id, quantity]) => ({ external_item_id, quantity }))

  const parcels: Array<{ tracking_number: string; tracking_url: string | null; items?: ShipmentItem[] }> = []
  const seen = new Set<string>()
  const add = (number: unknown, url: unknown, contents?: ShipmentItem[]) => {
    const t = typeof number === "string" ? number.trim() : ""
    if (!t || seen.has(t)) return
    seen.add(t)
    parcels.push({ tracking_number: t, tracking_url: typeof url === "string" && url.trim() ? url.trim() : null, items: contents })
  }
  if (shipment.packages?.length) {
    for (const p of shipment.packages) add(p?.tracking_number, p?.tracking_url, p?.items)
  } else {
    ;(shipment.tracking_numbers ?? []).forEach((t, i) => add(t, i === 0 ? shipment.tracking_url : null))
  }

  if (parcels.length > 0 && parcels.every((p) => p.items?.length)) {
    const given = new Map<string, number>()
    for (const p of parcels) for (const i of p.items!) given.set(i.external_item_id, (given.get(i.external_item_id) ?? 0) + Number(i.quantity))
    const same = given.size === merged.size && [...merged].every(([id, q]) => given.get(id) === q)
    if (items.length && !same) {
      throw new ChannelProviderError(
        "invalid_shipment",
        "The parcels' lines do not add up to the shipment's lines: each line's quantities over the parcels must equal what shipped",
        { retryable: false }
      )
    }
    return {
      packages: parcels.map((p) => ({ tracking_number: p.tracking_number, tracking_url: p.tracking_url, items: p.items! })),
      unassigned: [],
      split: "explicit",
    }
  }

  if (parcels.length <= 1) {
    const p = parcels[0]
    return { packages: [{ tracking_number: p?.tracking_number ?? null, tracking_url: p?.tracking_url ?? null, items }], unassigned: [], split: "single" }
  }

  const units = items.reduce((n, i) => n + Math.max(0, i.quantity), 0)
  const usable = Math.max(1, Math.min(parcels.length, units))
  // Chunks of lines, in order: split the largest chunk while there are fewer chunks than parcels.
  const chunks = items.map((i) => ({ ...i }))
  while (chunks.length < usable) {
    let k = 0
    for (let j = 1; j < chunks.length; j++) if (chunks[j].quantity > chunks[k].quantity) k = j
    const q = chunks[k].quantity
    if (q < 2) break
    const first = Math.ceil(q / 2)
    chunks.splice(k, 1, { ...chunks[k], quantity: first }, { ...chunks[k], quantity: q - first })
  }
  // Group chunks over the parcels: the first (chunks mod parcels) parcels take one more.
  const groups: ShipmentItem[][] = []
  const base = Math.floor(chunks.length / usable)
  const extra = chunks.length % usable
  let at = 0
  for (let g = 0; g < usable; g++) {
    const size = base + (g < extra ? 1 : 0)
    groups.push(chunks.slice(at, at + size))
    at += size
  }
  return {
    packages: groups.map((g, i) => ({ tracking_number: parcels[i].tracking_number, tracking_url: parcels[i].tracking_url, items: g })),
    unassigned: parcels.slice(usable).map((p) => ({ tracking_number: p.tracking_number, tracking_url: p.tracking_url })),
    split: "spread",
  }
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
  /**
   * Optional: the hosts this marketplace publishes for its API and token endpoint (`*.example.com`
   * matches subdomains). A channel's `base_url` / `auth_url` must point at one of them over https
   * (the plugin option `allowed_hosts` adds more); without it any https host is accepted.
   */
  readonly credential_hosts?: readonly string[]
  /** Marketplace statuses an admin can set a rule for, in a sensible display order. */
  statuses(): ProviderStatus[]
  /** Status rules a new channel starts with. Statuses without a rule behave as do_not_import + retry. */
  defaultStatusRules(): StatusRuleInput[]
  /**
   * The channel settings keys this provider reads, besides the common ones every channel has
   * (`ChannelSettingsSchema`). Creating or updating a channel refuses any other key (400 naming it),
   * so a typo is never stored and silently ignored. Leave it out only for a provider that takes
   * free-form settings: its non-common keys are then not checked.
   */
  readonly settings_keys?: readonly string[]
  /** The credential keys this provider reads; any other key is refused like an unknown setting. */
  readonly credential_keys?: readonly string[]
  /** Validates and fills the provider's own settings and credentials; throws ChannelProviderError("invalid_settings"). */
  validateSettings?(settings: Record<string, any>, credentials: Record<string, any>): void

  /**
   * Optional: who the channel is on the marketplace (seller, shop, user), read from its settings and
   * credentials, never from the network. Channel orders are unique per account, so a re-created or
   * duplicated channel finds what was already imported. Without it the channel's own id is the account.
   */
  accountIdentity?(input: { settings: Record<string, any>; credentials: Record<string, any> }): string | null

  /**
   * Optional: where this channel's credentials are sent, read from its settings (a server and user,
   * a URL's origin) for providers whose destination is not a `base_url`/`auth_url` setting. When an
   * update changes it without sending credentials again, the update is refused, so stored secrets
   * never follow a setting to a new host.
   */
  credentialTarget?(settings: Record<string, any>): string | null

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
  /**
   * Optional: the feedback kinds this marketplace's order shows once they landed, and how to read them
   * from `getOrder`'s answer (a 2xx is not proof: Amazon has answered 204 and dropped the write).
   */
  readonly readBackKinds?: ReadonlyArray<"shipment" | "cancel">
  readBack?(order: unknown, input: FeedbackReadBackInput): ReadBackVerdict
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
  /**
   * Optional: reads back the result of a cancellation `cancelOrder` answered `sent` for, by the
   * `external_reference` it returned (Amazon: the feedId of its cancellation feed). `confirmed`: the
   * marketplace processed it; `sent`: not known yet (read again later). A thrown ChannelProviderError
   * that is not retryable means the marketplace refused the cancellation (the feedback item fails
   * with its code); a retryable one means the result could not be read now: it is read again later,
   * and the cancellation is never sent again because of it. A feedback item for which it exists is
   * read back with it before (or instead of) `readBack`.
   */
  readCancellationResult?(
    ctx: ChannelContext,
    reference: string,
    opts?: { external_order_id?: string }
  ): Promise<{ state: "sent" | "confirmed"; external_reference?: string; response?: unknown }>
  /**
   * Optional: whether this channel wants the Medusa order's status changes (`notifyStatusChange`).
   * Without it, a provider that implements `notifyStatusChange` gets every change.
   */
  wantsStatusChanges?(settings: Record<string, any>): boolean
  /** Optional: tell the channel that an imported order's status changed in Medusa (sent through the feedback outbox). */
  notifyStatusChange?(ctx: ChannelContext, change: OrderStatusChange): Promise<{ state: "sent" | "confirmed"; response?: unknown }>
}

/** The Medusa-side status of an imported order, as a status-change feedback reports it. */
export type OrderStatusSnapshot = {
  /** Medusa's order status: pending, completed, canceled, archived, requires_action, draft. */
  status: string | null
  /** Medusa's aggregate fulfilment status: not_fulfilled, partially_fulfilled, fulfilled, partially_shipped, shipped, partially_delivered, delivered, canceled. */
  fulfillment_status: string | null
  /** Whether a hold of the plugin blocks the order's fulfilment. */
  on_hold: boolean
}

/** One status change of an imported order (kind `status` of the feedback outbox). */
export type OrderStatusChange = {
  external_order_id: string
  order_id: string
  /** Stable per change: a receiver drops a repeat it already processed. */
  change_id: string
  current: OrderStatusSnapshot
  /** Null for the first status reported for the order. */
  previous: OrderStatusSnapshot | null
  /** What made the change: the Medusa or plugin event (e.g. `shipment.created`, `order_hold.released`). */
  trigger: string
  changed_at: string
}

/** What a marketplace status means after import, as its provider declares it; `open` when undeclared. */
export function statusKindOf(provider: Pick<IChannelProvider, "statuses" | "statusKind">, status: string | null | undefined): StatusKind {
  if (!status) return "open"
  const declared = provider.statuses().find((s) => s.external_status === status)
  return declared?.kind ?? provider.statusKind?.(status) ?? "open"
}

/** Kinds that end the order on the marketplace before (or instead of) delivery. */
export const ENDED_KINDS: ReadonlySet<StatusKind> = new Set(["canceled", "refunded", "unfulfillable"])

/** Whether a marketplace shows what was sent: read back from the marketplace's own order. */
export type ReadBackVerdict = "confirmed" | "missing" | "unsupported"
export type FeedbackReadBackInput = { kind: "shipment" | "cancel"; items: ShipmentItem[]; tracking_numbers: string[] }
