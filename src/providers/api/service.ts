import { ChannelProviderError } from "../../modules/channel/errors"
import type {
  ChannelContext,
  ConnectionCheck,
  IChannelProvider,
  ListOrdersInput,
  ListOrdersPage,
  OrderStatusChange,
  RawOrderIdentity,
  ShipmentConfirmation,
  ShipmentConfirmationResult,
} from "../../modules/channel/types/provider"
import type { CanonicalOrderInput } from "../../modules/channel/types/canonical-order"
import { API_DEFAULT_RULES, API_STATUSES } from "./statuses"
import { postWebhook } from "./webhook"

type Knex = any

/** The events a reseller's webhook can receive; `webhook_events` picks among them. */
export const WEBHOOK_EVENTS = ["shipment.created", "order.canceled", "order.status_changed"] as const
/** Without `webhook_events`: shipments and cancellations (status changes are opted into). */
export const DEFAULT_WEBHOOK_EVENTS: readonly string[] = ["shipment.created", "order.canceled"]

export function webhookEventsOf(settings: Record<string, any> | null | undefined): readonly string[] {
  const events = settings?.webhook_events
  return Array.isArray(events) ? events.filter((e) => typeof e === "string") : DEFAULT_WEBHOOK_EVENTS
}

/**
 * A channel whose orders are pushed by the reseller's own system to `POST /channel-api/orders`
 * (issue 18) instead of being pulled. Its payloads are canonical orders. The pushed orders go
 * through the same staging and deciding as a pulled page; a scheduled pull of an `api` channel lists
 * nothing, and only does what every run does first (recover interrupted imports, decide orders
 * staged but never decided).
 *
 * Feedback goes to the reseller's `webhook_url` (setting) as a POST signed with the
 * `webhook_secret` (a credential, encrypted, never returned), through the feedback outbox like any
 * marketplace confirmation, so it has the outbox's retries and states.
 */
export class ApiChannelProvider implements IChannelProvider {
  static identifier = "api"
  /** Channel settings and credentials this provider reads (`rate_limit` is the older name of `api_rate_limit`); any other key is refused. */
  readonly settings_keys = ["webhook_url", "webhook_events", "api_rate_limit", "rate_limit"] as const
  readonly credential_keys = ["webhook_secret"] as const
  readonly listing_lag_seconds = 0
  /** Read by the channel API routes: this provider's orders may be pushed (see `acceptsPushedOrders`). */
  readonly accepts_pushed_orders = true as const

  protected readonly cradle_: Record<string, any>

  constructor(cradle: Record<string, any>, _options: Record<string, unknown> = {}) {
    this.cradle_ = cradle
  }

  private get db(): Knex {
    return this.cradle_.__pg_connection__
  }

  statuses() {
    return API_STATUSES
  }

  defaultStatusRules() {
    return API_DEFAULT_RULES
  }

  validateSettings(settings: Record<string, any>, credentials: Record<string, any>): void {
    const url = settings.webhook_url
    if (url !== undefined && url !== null && url !== "") {
      let parsed: URL
      try {
        parsed = new URL(String(url))
      } catch {
        throw new ChannelProviderError("invalid_settings", "settings.webhook_url must be an absolute http(s) URL")
      }
      if (!["http:", "https:"].includes(parsed.protocol)) {
        throw new ChannelProviderError("invalid_settings", "settings.webhook_url must be an absolute http(s) URL")
      }
    }
    if (credentials.webhook_secret !== undefined && credentials.webhook_secret !== null && String(credentials.webhook_secret).length < 16) {
      throw new ChannelProviderError("invalid_settings", "credentials.webhook_secret must have at least 16 characters")
    }
    const events = settings.webhook_events
    if (events !== undefined && events !== null) {
      const unknown = Array.isArray(events) ? events.filter((e) => !(WEBHOOK_EVENTS as readonly unknown[]).includes(e)) : [events]
      if (!Array.isArray(events) || unknown.length) {
        throw new ChannelProviderError(
          "invalid_settings",
          `settings.webhook_events must be a list of ${WEBHOOK_EVENTS.join(", ")}` +
            (Array.isArray(events) ? `; unknown: ${unknown.map((e) => JSON.stringify(e)).join(", ").slice(0, 200)}` : "")
        )
      }
    }
    const limit = settings.api_rate_limit ?? settings.rate_limit
    if (limit !== undefined && limit !== null) {
      const rate = Number(limit?.rate ?? limit?.per_second ?? limit?.requests_per_second)
      const burst = Number(limit?.burst)
      if (!(rate > 0 && rate <= 10_000) || !(Number.isInteger(burst) && burst >= 1 && burst <= 100_000)) {
        throw new ChannelProviderError(
          "invalid_settings",
          "settings.api_rate_limit must be { rate: requests per second (> 0), burst: a whole number of requests (≥ 1) }"
        )
      }
    }
  }

  identify(raw: unknown): RawOrderIdentity {
    const r = (raw ?? {}) as Record<string, any>
    if (typeof r !== "object" || typeof r.external_id !== "string" || !r.external_id.trim()) {
      throw new ChannelProviderError("unidentified_payload", "The order has no external_id")
    }
    return { external_id: r.external_id, status: typeof r.status === "string" ? r.status : "", updated_at: typeof r.updated_at === "string" ? r.updated_at : null }
  }

  normalize(raw: unknown): CanonicalOrderInput {
    return raw as CanonicalOrderInput
  }

  /** Nothing to pull: the reseller pushes. */
  async listOrders(_ctx: ChannelContext, _input: ListOrdersInput): Promise<ListOrdersPage> {
    return { orders: [], next_page_token: null }
  }

  /** The order as the reseller last sent it. */
  async getOrder(ctx: ChannelContext, externalId: string): Promise<unknown | null> {
    const row = await this.db("channel_order").first("raw").where({ channel_id: ctx.channel_id, external_id: externalId }).whereNull("deleted_at")
    return row?.raw ?? null
  }

  async testConnection(ctx: ChannelContext): Promise<ConnectionCheck> {
    const row = await this.db("channel_api_key").count("* as n").where("channel_id", ctx.channel_id).whereNull("revoked_at").whereNull("deleted_at").first()
    const keys = Number(row?.n ?? 0)
    const webhook = ctx.settings.webhook_url ? `shipments go to ${ctx.settings.webhook_url}` : "no webhook_url: shipments are not reported to the reseller"
    return { ok: keys > 0, message: `${keys} active API key(s); ${webhook}.` }
  }

  async confirmShipment(ctx: ChannelContext, shipment: ShipmentConfirmation): Promise<ShipmentConfirmationResult> {
    const target = this.webhook(ctx)
    if (!target) return { state: "confirmed", response: { delivered: false, reason: "The channel has no webhook_url" } }
    if (!webhookEventsOf(ctx.settings).includes("shipment.created")) {
      return { state: "confirmed", response: { delivered: false, reason: "webhook_events does not list shipment.created" } }
    }
    const answer = await postWebhook({
      ...target,
      event: "shipment.created",
      delivery_id: `shipment:${shipment.reference ?? shipment.external_order_id}`,
      payload: {
        external_id: shipment.external_order_id,
        shipment: {
          reference: shipment.reference ?? null,
          carrier: shipment.carrier_code,
          carrier_name: shipment.carrier_name ?? null,
          tracking_numbers: shipment.tracking_numbers,
          tracking_url: shipment.tracking_url ?? null,
          packages: (shipment.packages ?? []).map((p) => ({ tracking_number: p.tracking_number, tracking_url: p.tracking_url ?? null })),
          shipped_at: shipment.shipped_at,
          items: shipment.items.map((i) => ({ external_item_id: i.external_item_id, quantity: i.quantity })),
        },
      },
    })
    // The reseller's own system answered 2xx: that is the confirmation (there is nothing to read back).
    return { state: "confirmed", external_reference: null, response: { webhook_status: answer.status, body: answer.body || null } }
  }

  async cancelOrder(
    ctx: ChannelContext,
    input: { external_order_id: string; reason?: string | null }
  ): Promise<{ state: "sent" | "confirmed" }> {
    const target = this.webhook(ctx)
    if (!target || !webhookEventsOf(ctx.settings).includes("order.canceled")) return { state: "confirmed" }
    await postWebhook({
      ...target,
      event: "order.canceled",
      delivery_id: `cancel:${input.external_order_id}`,
      payload: { external_id: input.external_order_id, reason: input.reason ?? null },
    })
    return { state: "confirmed" }
  }

  /**
   * Status changes go out only to a channel with a `webhook_url` whose `webhook_events` lists
   * `order.status_changed` (shipments and cancellations are sent by default, as before).
   */
  wantsStatusChanges(settings: Record<string, any>): boolean {
    const url = typeof settings?.webhook_url === "string" ? settings.webhook_url.trim() : ""
    return !!url && webhookEventsOf(settings).includes("order.status_changed")
  }

  async notifyStatusChange(ctx: ChannelContext, change: OrderStatusChange): Promise<{ state: "sent" | "confirmed"; response?: unknown }> {
    const target = this.webhook(ctx)
    if (!target) return { state: "confirmed", response: { delivered: false, reason: "The channel has no webhook_url" } }
    const answer = await postWebhook({
      ...target,
      event: "order.status_changed",
      delivery_id: `status:${change.change_id}`,
      payload: {
        external_id: change.external_order_id,
        order_id: change.order_id,
        status: change.current.status,
        fulfillment_status: change.current.fulfillment_status,
        on_hold: change.current.on_hold,
        previous: change.previous
          ? { status: change.previous.status, fulfillment_status: change.previous.fulfillment_status, on_hold: change.previous.on_hold }
          : null,
        trigger: change.trigger,
        changed_at: change.changed_at,
      },
    })
    return { state: "confirmed", response: { webhook_status: answer.status, body: answer.body || null } }
  }

  private webhook(ctx: ChannelContext): { url: string; secret: string } | null {
    const url = typeof ctx.settings.webhook_url === "string" ? ctx.settings.webhook_url.trim() : ""
    if (!url) return null
    const secret = typeof ctx.credentials.webhook_secret === "string" ? ctx.credentials.webhook_secret : ""
    if (!secret) {
      throw new ChannelProviderError("channel_misconfigured", "The channel has a webhook_url but no webhook_secret to sign with: set it, then retry the item", {
        retryable: false,
      })
    }
    return { url, secret }
  }
}
