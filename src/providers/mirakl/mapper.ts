import { ChannelOrderImportError } from "../../modules/channel/errors"
import type { CanonicalOrderInput } from "../../modules/channel/types/canonical-order"
import type { RawOrderIdentity } from "../../modules/channel/types/provider"
import { toAlpha2 } from "./countries"
import { DROPPED_LINE_STATES, UNPAID_STATES } from "./statuses"
import type { MiraklAdditionalField, MiraklAddress, MiraklOrder, MiraklOrderLine, MiraklTax } from "./types"

type CanonicalAddressInput = NonNullable<CanonicalOrderInput["shipping_address"]>
type CanonicalItemInput = CanonicalOrderInput["items"][number]

const isObject = (v: unknown): v is Record<string, any> => !!v && typeof v === "object" && !Array.isArray(v)
const text = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined)
const amount = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0)
/** Sums of JSON floats drift (0.1 + 0.2); amounts never need more than 6 decimals. */
const round = (n: number): number => Math.round(n * 1e6) / 1e6
const sumTaxes = (taxes: MiraklTax[] | undefined): number => round((taxes ?? []).reduce((s, t) => s + amount(t?.amount), 0))

export function identifyMiraklOrder(raw: unknown): RawOrderIdentity {
  if (!isObject(raw) || !text(raw.order_id) || !text(raw.order_state)) {
    throw new ChannelOrderImportError("unidentified_payload", "A Mirakl order needs order_id and order_state")
  }
  return {
    external_id: raw.order_id.trim(),
    status: raw.order_state.trim(),
    updated_at: text(raw.last_updated_date) ? toIso(raw.last_updated_date) : null,
  }
}

/** Mirakl dates carry a zone (Z or an offset); the canonical order wants UTC. Unreadable values pass through for the validator to name. */
function toIso(value: unknown): string {
  if (typeof value !== "string") return String(value ?? "")
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? value : new Date(ms).toISOString()
}

function toAddress(orderId: string, which: string, a: MiraklAddress | null | undefined): CanonicalAddressInput | null {
  // Before acceptance (or shipping, per operator setting) Mirakl sends no address at all.
  if (!isObject(a)) return null
  const country = toAlpha2(a.country_iso_code) ?? toAlpha2(a.country)
  if (!country) {
    throw new ChannelOrderImportError(
      "invalid_payload",
      `Mirakl order ${orderId}: unknown ${which} country "${a.country_iso_code ?? a.country ?? ""}" (expected an ISO-3166 alpha-3 code)`
    )
  }
  const company = [text(a.company), text(a.company_2)].filter(Boolean).join(", ")
  return {
    first_name: text(a.firstname) ?? null,
    last_name: text(a.lastname) ?? null,
    company: company || null,
    address_1: text(a.street_1) ?? null,
    address_2: text(a.street_2) ?? null,
    city: text(a.city) ?? null,
    province: text(a.state) ?? null,
    postal_code: text(a.zip_code) ?? null,
    country_code: country,
    phone: text(a.phone) ?? text(a.phone_secondary) ?? null,
  }
}

function toItem(line: MiraklOrderLine): CanonicalItemInput {
  const quantity = line.quantity ?? 0
  // `price` is the line total without shipping, already net of promotions; price_unit can be stale after adjustments.
  const lineTotal = typeof line.price === "number" ? line.price : amount(line.price_unit) * quantity
  return {
    external_id: line.order_line_id,
    sku: text(line.offer_sku) ?? null,
    marketplace_product_id: text(line.product_sku) ?? null,
    title: text(line.product_title) ?? text(line.offer_sku) ?? line.order_line_id,
    quantity,
    unit_price: quantity > 0 ? round(lineTotal / quantity) : 0,
    tax_total: sumTaxes(line.taxes),
    discount_total: 0,
  }
}

/** Lines that still belong to the order; a fully refused/canceled order keeps all of them as history. */
export function liveLines(order: Pick<MiraklOrder, "order_lines">): MiraklOrderLine[] {
  const lines = (order.order_lines ?? []).filter((l) => isObject(l) && text(l.order_line_id))
  const live = lines.filter((l) => !DROPPED_LINE_STATES.has(l.order_line_state ?? "") && (l.quantity ?? 0) > 0)
  return live.length ? live : lines
}

function additionalFields(fields: MiraklAdditionalField[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of fields ?? []) {
    if (isObject(f) && text(f.code)) out[f.code] = f.value ?? null
  }
  return out
}

function dropUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}

export function toCanonicalOrder(raw: unknown, settings: Record<string, any> = {}): CanonicalOrderInput {
  const { external_id } = identifyMiraklOrder(raw)
  const order = raw as MiraklOrder
  const customer = isObject(order.customer) ? order.customer : undefined
  const shipping = toAddress(external_id, "shipping", customer?.shipping_address)
  const billing = toAddress(external_id, "billing", customer?.billing_address)
  const lines = liveLines(order)

  const lineShipping = lines.filter((l) => typeof l.shipping_price === "number")
  const shippingPrice = lineShipping.length
    ? round(lineShipping.reduce((s, l) => s + amount(l.shipping_price), 0))
    : amount(order.shipping_price)

  const operatorCenters: unknown[] = Array.isArray(settings.operator_fulfillment_centers) ? settings.operator_fulfillment_centers : []
  const center = order.fulfillment?.center?.code
  const paid = !!order.customer_debited_date || !(UNPAID_STATES.has(order.order_state) || order.order_state === "REFUSED" || order.order_state === "CANCELED")

  return {
    external_id,
    status: order.order_state,
    created_at: toIso(order.created_date),
    updated_at: toIso(order.last_updated_date ?? order.created_date),
    currency_code: order.currency_iso_code as string,
    // Mirakl never shares the buyer's address; this is its anonymised relay.
    email: text(order.customer_notification_email) ?? null,
    customer: {
      first_name: text(customer?.firstname) ?? shipping?.first_name ?? null,
      last_name: text(customer?.lastname) ?? shipping?.last_name ?? null,
      phone: shipping?.phone ?? billing?.phone ?? null,
    },
    shipping_address: shipping,
    billing_address: billing,
    items: lines.map(toItem),
    shipping: {
      service_code: text(order.shipping_type_code) ?? null,
      name: text(order.shipping_type_label) ?? null,
      price: shippingPrice,
    },
    fulfilled_by_marketplace: !!center && operatorCenters.includes(center),
    payment_status: paid ? "paid" : "pending",
    notes: text(customer?.shipping_address?.additional_info) ?? null,
    gift_message: null,
    custom_fields: {
      ...additionalFields(order.order_additional_fields),
      mirakl: dropUndefined({
        commercial_id: order.commercial_id,
        channel_code: order.channel?.code,
        order_tax_mode: order.order_tax_mode,
        payment_workflow: order.payment_workflow,
        shipping_deadline: order.shipping_deadline,
        fulfillment_center: center,
        shipping_tax_total: sumTaxes(lines.flatMap((l) => l.shipping_taxes ?? [])),
        order_reference_for_customer: order.references?.order_reference_for_customer,
      }),
    },
  }
}
