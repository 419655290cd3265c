/**
 * An example channel provider, written in a store (not in this plugin): copy it to
 * `src/providers/acme-marketplace/index.ts` in your Medusa project and register it next to the
 * built-in providers (README, "Writing your own provider"):
 *
 *   providers: [
 *     { resolve: "medusa-channel-orders/providers/sandbox", id: "sandbox" },
 *     { resolve: "./src/providers/acme-marketplace", id: "acme", options: { timeout_ms: 10000 } },
 *   ]
 *
 * "Acme Marketplace" is made up: a JSON API with `GET /orders?updated_from&updated_to&cursor`,
 * `GET /orders/:id`, `GET /me` and `POST /orders/:id/shipments`, authenticated by an API key.
 * The provider knows HTTP, auth, paging and the marketplace's vocabulary, and nothing of Medusa
 * orders: the plugin stages every raw payload, decides by the channel's status rules, and creates
 * the Medusa order from the canonical order `normalize()` returns.
 *
 * `npm run test:install` type-checks this file under `strict` in a stock Medusa store against the
 * declarations the package ships (`medusa-channel-orders/types`).
 */
import { ModuleProvider } from "@medusajs/framework/utils"
import type {
  CanonicalOrderInput,
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
} from "medusa-channel-orders/types"

/** The marketplace's own order, as its API returns it. */
type AcmeOrder = {
  id: string
  state: "NEW" | "PAID" | "SHIPPED" | "CANCELLED"
  created: string
  updated: string
  currency: string
  buyer: { email: string | null; name: string; phone?: string | null }
  ship_to: { name: string; street: string; zip: string; city: string; country: string }
  lines: Array<{ line_id: string; sku: string; title: string; qty: number; price: string; tax: string }>
  shipping: { method: string; price: string }
  total: string
}

type AcmeOptions = { timeout_ms?: number }

/** Thrown for a refusal the plugin should show as is (it scrubs credentials from every message). */
class AcmeError extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
  }
}

class AcmeChannelProvider implements IChannelProvider {
  /** The provider id prefix Medusa registers it under; required by Medusa's module providers. */
  static identifier = "acme"

  /** The settings and credential keys a channel of this provider may have (others are refused with a 400). */
  readonly settings_keys = ["base_url", "shop_id", "page_size"] as const
  readonly credential_keys = ["api_key"] as const
  /** Credentials are only ever sent to these hosts (https), plus what the plugin option `allowed_hosts` adds. */
  readonly credential_hosts = ["api.acme-marketplace.example"] as const

  private readonly timeoutMs: number

  constructor(_cradle: Record<string, unknown>, options: AcmeOptions = {}) {
    this.timeoutMs = options.timeout_ms ?? 10_000
  }

  statuses(): ProviderStatus[] {
    return [
      { external_status: "NEW", kind: "open", description: "Placed, not paid yet" },
      { external_status: "PAID", kind: "open", description: "Paid, waiting for shipment" },
      { external_status: "SHIPPED", kind: "shipped", description: "Shipped" },
      { external_status: "CANCELLED", kind: "canceled", description: "Canceled by the buyer or the marketplace" },
    ]
  }

  defaultStatusRules(): StatusRuleInput[] {
    return [
      { external_status: "NEW", action: "do_not_import", retry: true },
      { external_status: "PAID", action: "import_as_valid", retry: true },
      { external_status: "SHIPPED", action: "import_as_history", retry: false },
      { external_status: "CANCELLED", action: "do_not_import", retry: false },
    ]
  }

  validateSettings(settings: Record<string, any>, credentials: Record<string, any>): void {
    if (credentials.api_key !== undefined && typeof credentials.api_key !== "string") {
      throw new Error("api_key must be a string")
    }
    settings.base_url ??= "https://api.acme-marketplace.example"
  }

  /** One seller on the marketplace: channels of the same shop share their orders (never read from the network). */
  accountIdentity(input: { settings: Record<string, any>; credentials: Record<string, any> }): string | null {
    return typeof input.settings.shop_id === "string" ? `shop:${input.settings.shop_id}` : null
  }

  async listOrders(ctx: ChannelContext, input: ListOrdersInput): Promise<ListOrdersPage> {
    const query = new URLSearchParams({
      updated_from: input.updated_after,
      updated_to: input.updated_before,
      limit: String(ctx.settings.page_size ?? 50),
    })
    if (input.page_token) query.set("cursor", input.page_token)
    const page = await this.call<{ orders: AcmeOrder[]; next_cursor: string | null }>(ctx, "GET", `/orders?${query}`)
    return { orders: page.orders, next_page_token: page.next_cursor }
  }

  async getOrder(ctx: ChannelContext, externalId: string): Promise<AcmeOrder | null> {
    try {
      return await this.call<AcmeOrder>(ctx, "GET", `/orders/${encodeURIComponent(externalId)}`)
    } catch (e) {
      if (e instanceof AcmeError && e.status === 404) return null
      throw e
    }
  }

  identify(raw: unknown): RawOrderIdentity {
    const order = raw as Partial<AcmeOrder>
    if (typeof order?.id !== "string") throw new Error("An Acme order without an id")
    return { external_id: order.id, status: String(order.state ?? ""), updated_at: order.updated ?? null }
  }

  normalize(raw: unknown, _ctx: { settings: Record<string, any> }): CanonicalOrderInput {
    const o = raw as AcmeOrder
    const [first_name, ...rest] = o.ship_to.name.split(" ")
    const address = {
      first_name,
      last_name: rest.join(" ") || null,
      address_1: o.ship_to.street,
      postal_code: o.ship_to.zip,
      city: o.ship_to.city,
      country_code: o.ship_to.country.toLowerCase(),
      phone: o.buyer.phone ?? null,
    }
    return {
      external_id: o.id,
      status: o.state,
      created_at: o.created,
      updated_at: o.updated,
      currency_code: o.currency,
      email: o.buyer.email,
      customer: { first_name, last_name: address.last_name, phone: address.phone },
      shipping_address: address,
      billing_address: address,
      // Decimal strings in the currency's major unit are kept as they are: never rounded on the way.
      items: o.lines.map((l) => ({
        external_id: l.line_id,
        sku: l.sku,
        title: l.title,
        quantity: l.qty,
        unit_price: l.price,
        tax_total: l.tax,
      })),
      shipping: { service_code: o.shipping.method, name: o.shipping.method, price: o.shipping.price },
      prices_include_tax: true,
      totals: { total: o.total },
      payment_status: o.state === "NEW" ? "pending" : "paid",
    }
  }

  async testConnection(ctx: ChannelContext): Promise<ConnectionCheck> {
    const me = await this.call<{ shop: string }>(ctx, "GET", "/me")
    return { ok: true, message: `Connected to the Acme shop ${me.shop}` }
  }

  async confirmShipment(ctx: ChannelContext, shipment: ShipmentConfirmation): Promise<ShipmentConfirmationResult> {
    const answer = await this.call<{ shipment_id: string }>(ctx, "POST", `/orders/${encodeURIComponent(shipment.external_order_id)}/shipments`, {
      carrier: shipment.carrier_code,
      tracking: shipment.tracking_numbers,
      lines: shipment.items.map((i) => ({ line_id: i.external_item_id, qty: i.quantity })),
      reference: shipment.reference ?? undefined,
    })
    return { state: "confirmed", external_reference: answer.shipment_id }
  }

  /** Every call waits for a token of the channel's rate-limit bucket, which all Medusa instances share. */
  private async call<T>(ctx: ChannelContext, method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    await ctx.limiter.acquire(method === "GET" ? "read" : "write", { rate: 2, burst: 10 })
    const base = String(ctx.settings.base_url ?? "https://api.acme-marketplace.example")
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${ctx.credentials.api_key}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    })
    if (!res.ok) throw new AcmeError(res.status, `Acme answered ${res.status}: ${await res.text()}`)
    return (await res.json()) as T
  }
}

export default ModuleProvider("channel", { services: [AcmeChannelProvider] })
