import { readBackSandboxOrder } from "./read-back"
import type { FeedbackReadBackInput, ReadBackVerdict } from "../../modules/channel/types/provider"
import { ChannelProviderError } from "../../modules/channel/errors"
import type {
  ChannelContext,
  ConnectionCheck,
  IChannelProvider,
  ListOrdersInput,
  ListOrdersPage,
  RawOrderIdentity,
  ShipmentConfirmation,
  ShipmentConfirmationResult,
} from "../../modules/channel/types/provider"
import type { CanonicalOrderInput } from "../../modules/channel/types/canonical-order"
import { SANDBOX_DEFAULT_RULES, SANDBOX_STATUSES } from "./statuses"

type Knex = any

/**
 * A marketplace that lives in the store's own database: admins and tests inject orders and status
 * changes, and pulls page through them by update time exactly like a real time-windowed API
 * (keyset paging on (updated_at, sequence), an opaque page token). Its payloads are canonical
 * orders, so it also documents the shape every provider must produce.
 */
export class SandboxChannelProvider implements IChannelProvider {
  /** What a shipment or cancellation looks like once it landed on the marketplace's order (getOrder). */
  get readBackKinds(): ReadonlyArray<"shipment" | "cancel"> {
    return ["shipment", "cancel"]
  }
  readBack(order: unknown, input: FeedbackReadBackInput): ReadBackVerdict {
    return readBackSandboxOrder(order as Record<string, any>, input)
  }

  static identifier = "sandbox"
  /** Channel settings this provider reads (tests and the demo use `fail_on_page`, `reject_carriers`, `generate_orders_per_minute`). The sandbox checks no credential; `api_key` and `token` stand for a marketplace secret so the write-only credentials can be exercised. */
  readonly settings_keys = ["account_id", "page_size", "fail_on_page", "reject_carriers", "generate_orders_per_minute"] as const
  readonly credential_keys = ["api_key", "token"] as const
  readonly listing_lag_seconds = 0

  protected readonly cradle_: Record<string, any>
  /** Shipments "received" by the sandbox marketplace, for the demo and tests. */
  readonly confirmations: Array<{ channel_id: string; shipment: ShipmentConfirmation }> = []

  constructor(cradle: Record<string, any>, _options: Record<string, unknown> = {}) {
    this.cradle_ = cradle
  }

  private get db(): Knex {
    return this.cradle_.__pg_connection__
  }

  /** The sandbox is its own marketplace: one account per channel, unless `account_id` names a shared one. */
  accountIdentity(input: { settings: Record<string, any> }): string | null {
    const id = input.settings?.account_id
    return typeof id === "string" && id.trim() ? `account:${id.trim()}` : null
  }

  statuses() {
    return SANDBOX_STATUSES
  }

  defaultStatusRules() {
    return SANDBOX_DEFAULT_RULES
  }

  identify(raw: unknown): RawOrderIdentity {
    const r = (raw ?? {}) as Record<string, any>
    if (typeof r.external_id !== "string" || !r.external_id) {
      throw new ChannelProviderError("unidentified_payload", "The sandbox order has no external_id")
    }
    return { external_id: r.external_id, status: String(r.status ?? ""), updated_at: r.updated_at ?? null }
  }

  normalize(raw: unknown): CanonicalOrderInput {
    return raw as CanonicalOrderInput
  }

  async listOrders(ctx: ChannelContext, input: ListOrdersInput): Promise<ListOrdersPage> {
    const pageSize = Number(ctx.settings.page_size ?? 50)
    const page = input.page_token ? decodeToken(input.page_token) : { n: 1 }
    // Lets tests prove that a run which dies between pages resumes without losing or doubling orders.
    if (ctx.settings.fail_on_page && Number(ctx.settings.fail_on_page) === page.n) {
      throw new ChannelProviderError("marketplace_unavailable", `Sandbox failure injected on page ${page.n}`, { retryable: true, status: 503 })
    }
    let q = this.db("channel_sandbox_order")
      .select("payload", "external_updated_at", "sequence")
      .where("channel_id", ctx.channel_id)
      .whereNull("deleted_at")
      .where("external_updated_at", ">=", input.updated_after)
      .where("external_updated_at", "<", input.updated_before)
    if (page.at) {
      q = q.andWhere((w: any) =>
        w.where("external_updated_at", ">", page.at).orWhere((x: any) => x.where("external_updated_at", "=", page.at).andWhere("sequence", ">", page.seq))
      )
    }
    const rows = await q.orderBy([{ column: "external_updated_at" }, { column: "sequence" }]).limit(pageSize + 1)
    const more = rows.length > pageSize
    const pageRows = rows.slice(0, pageSize)
    const last = pageRows[pageRows.length - 1]
    return {
      orders: pageRows.map((r: any) => r.payload),
      next_page_token: more && last ? encodeToken({ n: page.n + 1, at: new Date(last.external_updated_at).toISOString(), seq: Number(last.sequence) }) : null,
    }
  }

  async getOrder(ctx: ChannelContext, externalId: string): Promise<unknown | null> {
    const row = await this.db("channel_sandbox_order")
      .first("payload")
      .where({ channel_id: ctx.channel_id, external_id: externalId })
      .whereNull("deleted_at")
    return row?.payload ?? null
  }

  async testConnection(ctx: ChannelContext): Promise<ConnectionCheck> {
    const row = await this.db("channel_sandbox_order").count("* as n").where("channel_id", ctx.channel_id).whereNull("deleted_at").first()
    return { ok: true, message: `Sandbox marketplace reachable; it holds ${Number(row?.n ?? 0)} order(s).` }
  }

  async confirmShipment(ctx: ChannelContext, shipment: ShipmentConfirmation): Promise<ShipmentConfirmationResult> {
    if (ctx.settings.reject_carriers?.includes?.(shipment.carrier_code)) {
      throw new ChannelProviderError("marketplace_rejected", `Sandbox rejects carrier ${shipment.carrier_code}`, {
        marketplace_code: "InvalidCarrier",
        marketplace_message: `Carrier ${shipment.carrier_code} is not accepted`,
        status: 400,
      })
    }
    this.confirmations.push({ channel_id: ctx.channel_id, shipment })
    await this.db("channel_sandbox_order")
      .where({ channel_id: ctx.channel_id, external_id: shipment.external_order_id })
      .update({
        payload: this.db.raw("jsonb_set(payload, '{status}', '\"shipped\"')"),
        external_updated_at: new Date(),
        updated_at: new Date(),
      })
    return { state: "confirmed" }
  }

  async cancelOrder(ctx: ChannelContext, input: { external_order_id: string }): Promise<{ state: "sent" | "confirmed" }> {
    await this.db("channel_sandbox_order")
      .where({ channel_id: ctx.channel_id, external_id: input.external_order_id })
      .update({
        payload: this.db.raw("jsonb_set(payload, '{status}', '\"canceled\"')"),
        external_updated_at: new Date(),
        updated_at: new Date(),
      })
    return { state: "confirmed" }
  }
}

type PageToken = { n: number; at?: string; seq?: number }

function encodeToken(t: PageToken): string {
  return Buffer.from(JSON.stringify(t)).toString("base64url")
}

function decodeToken(token: string): PageToken {
  try {
    return JSON.parse(Buffer.from(token, "base64url").toString("utf8"))
  } catch {
    throw new ChannelProviderError("invalid_page_token", "The sandbox page token is not valid")
  }
}
