import type {
  AmazonAddress,
  AmazonOrder,
  AmazonOrderItem,
  AmazonProceedsBreakdown,
} from "../../../src/providers/amazon/types"

/**
 * Builds Orders API 2026-01-01 orders for the Amazon simulator: every field the model knows for a
 * realistic merchant- or Amazon-fulfilled order, following the model's notes (no prices or address
 * while PENDING, no buyer e-mail, phone or packages for Amazon-fulfilled orders).
 */

export type FulfillmentStatus =
  | "PENDING_AVAILABILITY"
  | "PENDING"
  | "UNSHIPPED"
  | "PARTIALLY_SHIPPED"
  | "SHIPPED"
  | "CANCELLED"
  | "UNFULFILLABLE"

export const FULFILLMENT_STATUSES: FulfillmentStatus[] = [
  "PENDING_AVAILABILITY",
  "PENDING",
  "UNSHIPPED",
  "PARTIALLY_SHIPPED",
  "SHIPPED",
  "CANCELLED",
  "UNFULFILLABLE",
]

export const MARKETPLACES: Record<string, { name: string; currency: string; country: string }> = {
  ATVPDKIKX0DER: { name: "Amazon.com", currency: "USD", country: "US" },
  A2EUQ1WTGCTBG2: { name: "Amazon.ca", currency: "CAD", country: "CA" },
  A1F83G8C2ARO7P: { name: "Amazon.co.uk", currency: "GBP", country: "GB" },
  A1PA6795UKMFR9: { name: "Amazon.de", currency: "EUR", country: "DE" },
  A13V1IB3VIYZZH: { name: "Amazon.fr", currency: "EUR", country: "FR" },
  A1VC38T7YXB528: { name: "Amazon.co.jp", currency: "JPY", country: "JP" },
}

export type MakeItemInput = {
  orderItemId?: string
  sku?: string
  asin?: string
  title?: string
  quantity?: number
  /** Per unit, major units. */
  unitPrice?: number
  /** Line totals, major units. */
  tax?: number
  discount?: number
  shipping?: number
  shippingTax?: number
  shippingDiscount?: number
  giftMessage?: string
  quantityShipped?: number
  buyerCancelReason?: string
}

export type MakeOrderInput = {
  id?: string
  status?: FulfillmentStatus
  createdTime?: string | Date
  /** Alias of lastUpdatedTime, in v0 words. */
  lastUpdateDate?: string | Date
  lastUpdatedTime?: string | Date
  afn?: boolean
  marketplaceId?: string
  items?: MakeItemInput[]
  buyerName?: string | null
  buyerEmail?: string | null
  address?: Partial<AmazonAddress>
  programs?: string[]
  serviceLevel?: string
  sellerOrderId?: string
}

let orderSeq = 0
let itemSeq = 0

/** 3-7-7 Amazon order id, unique within the process. */
export function nextOrderId(): string {
  orderSeq += 1
  const n = String(orderSeq).padStart(7, "0")
  return `113-${n}-${String((orderSeq * 7919) % 10_000_000).padStart(7, "0")}`
}

export function nextOrderItemId(): string {
  itemSeq += 1
  return String(10_000_000_000_000 + itemSeq * 37)
}

const iso = (v: string | Date) => (v instanceof Date ? v : new Date(v)).toISOString().replace(/\.000Z$/, "Z")

function money(value: number, currency: string) {
  const digits = currency === "JPY" ? 0 : 2
  return { amount: value.toFixed(digits), currencyCode: currency }
}

const FIRST = ["Jane", "Omar", "Li", "Carlos", "Anna", "Kofi", "Maria", "John"]
const LAST = ["Doe", "Haddad", "Wei", "García", "Kowalska", "Mensah", "Rossi", "Smith"]
const PRODUCTS = [
  { sku: "MUG-BLUE-12", asin: "B00MUGBLUE", title: "Ceramic mug, blue, 12 oz", price: 12.5 },
  { sku: "TEE-BLK-M", asin: "B0TEEBLKM1", title: "Organic cotton T-shirt, black, M", price: 19.99 },
  { sku: "BOTTLE-750", asin: "B0BOTTLE75", title: "Insulated steel bottle 750 ml", price: 24 },
  { sku: "SOCKS-3PK", asin: "B0SOCKS3PK", title: "Wool socks, 3 pairs", price: 15.49 },
]

function item(input: MakeItemInput, index: number, seed: number, ctx: { currency: string; pending: boolean; afn: boolean; status: FulfillmentStatus }): AmazonOrderItem {
  const p = PRODUCTS[(seed + index) % PRODUCTS.length]
  const quantity = input.quantity ?? 1 + ((seed + index) % 3)
  const unit = input.unitPrice ?? p.price
  const lineTotal = unit * quantity
  const tax = input.tax ?? Math.round(lineTotal * 0.08 * 100) / 100
  const shipping = input.shipping ?? (index === 0 ? 4.99 : 0)
  const shippingTax = input.shippingTax ?? 0
  const discount = input.discount ?? 0
  const shippingDiscount = input.shippingDiscount ?? 0
  const c = ctx.currency
  const breakdowns: AmazonProceedsBreakdown[] = [{ type: "ITEM", subtotal: money(lineTotal, c) }]
  if (shipping) breakdowns.push({ type: "SHIPPING", subtotal: money(shipping, c) })
  if (tax || shippingTax) {
    breakdowns.push({
      type: "TAX",
      subtotal: money(tax + shippingTax, c),
      detailedBreakdowns: [
        { subtype: "ITEM", value: money(tax, c) },
        ...(shippingTax ? [{ subtype: "SHIPPING", value: money(shippingTax, c) }] : []),
      ],
    })
  }
  if (discount || shippingDiscount) {
    // Proceeds are what the seller receives, so discounts are negative amounts.
    breakdowns.push({
      type: "DISCOUNT",
      subtotal: money(-(discount + shippingDiscount), c),
      detailedBreakdowns: [
        ...(discount ? [{ subtype: "ITEM", value: money(-discount, c) }] : []),
        ...(shippingDiscount ? [{ subtype: "SHIPPING", value: money(-shippingDiscount, c) }] : []),
      ],
    })
  }
  const total = lineTotal + shipping + tax + shippingTax - discount - shippingDiscount
  const shipped =
    input.quantityShipped ?? (ctx.status === "SHIPPED" ? quantity : ctx.status === "PARTIALLY_SHIPPED" && index === 0 ? quantity : 0)
  const out: AmazonOrderItem = {
    orderItemId: input.orderItemId ?? nextOrderItemId(),
    quantityOrdered: quantity,
    programs: [],
    product: {
      asin: input.asin ?? p.asin,
      title: input.title ?? p.title,
      sellerSku: input.sku ?? p.sku,
      condition: { conditionType: "NEW", conditionSubtype: "NEW" },
      ...(ctx.pending ? {} : { price: { unitPrice: money(unit, c) } }),
    },
    fulfillment: {
      quantityFulfilled: shipped,
      quantityUnfulfilled: quantity - shipped,
      ...(input.giftMessage ? { packing: { giftOption: { giftMessage: input.giftMessage, giftWrapLevel: "STANDARD" } } } : {}),
    },
  }
  if (!ctx.pending) {
    out.proceeds = { proceedsTotal: money(total, c), breakdowns }
    out.promotion = discount ? { breakdowns: [{ promotionId: `PROMO-${(seed + index) % 97}` }] } : { breakdowns: [] }
  }
  if (input.buyerCancelReason) {
    out.cancellation = { cancellationRequest: { requester: "BUYER", cancelReason: input.buyerCancelReason } }
  }
  return out
}

function aggregate(items: AmazonOrderItem[], currency: string): AmazonOrder["proceeds"] {
  const sums = new Map<string, number>()
  let grand = 0
  for (const i of items) {
    for (const b of i.proceeds?.breakdowns ?? []) {
      sums.set(b.type, (sums.get(b.type) ?? 0) + Number(b.subtotal.amount))
    }
    grand += Number(i.proceeds?.proceedsTotal?.amount ?? 0)
  }
  return {
    grandTotal: money(grand, currency),
    breakdowns: [...sums.entries()].map(([type, v]) => ({ type, subtotal: money(v, currency) })),
  }
}

/** A spec-valid 2026-01-01 order with every dataset filled (the simulator trims it per `includedData`). */
export function makeOrder(input: MakeOrderInput = {}): AmazonOrder {
  const id = input.id ?? nextOrderId()
  const seed = [...id].reduce((s, ch) => (s * 31 + ch.charCodeAt(0)) >>> 0, 7)
  const status = input.status ?? "UNSHIPPED"
  const afn = input.afn ?? false
  const marketplaceId = input.marketplaceId ?? "ATVPDKIKX0DER"
  const market = MARKETPLACES[marketplaceId] ?? { name: "Amazon", currency: "USD", country: "US" }
  const pending = status === "PENDING" || status === "PENDING_AVAILABILITY"
  const created = input.createdTime ? new Date(input.createdTime) : new Date(Date.now() - 86_400_000)
  const updatedInput = input.lastUpdatedTime ?? input.lastUpdateDate
  const updated = updatedInput ? new Date(updatedInput) : new Date(created.getTime() + 60_000)
  const first = FIRST[seed % FIRST.length]
  const last = LAST[(seed >>> 3) % LAST.length]
  const buyerName = input.buyerName === undefined ? `${first} ${last}` : input.buyerName
  const ctx = { currency: market.currency, pending, afn, status }
  const items = (input.items ?? [{}]).map((it, i) => item(it, i, seed, ctx))

  const order: AmazonOrder = {
    orderId: id,
    createdTime: iso(created),
    lastUpdatedTime: iso(updated),
    programs: input.programs ?? (seed % 4 === 0 ? ["PRIME"] : []),
    salesChannel: { channelName: "AMAZON", marketplaceId, marketplaceName: market.name },
    fulfillment: {
      fulfillmentStatus: status,
      fulfilledBy: afn ? "AMAZON" : "MERCHANT",
      fulfillmentServiceLevel: input.serviceLevel ?? "STANDARD",
      shipByWindow: {
        earliestDateTime: iso(new Date(created.getTime() + 86_400_000)),
        latestDateTime: iso(new Date(created.getTime() + 2 * 86_400_000)),
      },
      deliverByWindow: {
        earliestDateTime: iso(new Date(created.getTime() + 3 * 86_400_000)),
        latestDateTime: iso(new Date(created.getTime() + 5 * 86_400_000)),
      },
    },
    orderItems: items,
  }
  if (input.sellerOrderId) order.orderAliases = [{ aliasId: input.sellerOrderId, aliasType: "SELLER_ORDER_ID" }]
  const buyer: NonNullable<AmazonOrder["buyer"]> = {}
  if (buyerName) buyer.buyerName = buyerName
  const email = input.buyerEmail === undefined ? `${seed.toString(36)}@marketplace.amazon.com` : input.buyerEmail
  if (email && !afn) buyer.buyerEmail = email
  order.buyer = buyer
  if (!pending) {
    const address: AmazonAddress = {
      name: buyerName ?? `${first} ${last}`,
      addressLine1: `${100 + (seed % 800)} Market Street`,
      city: "Seattle",
      stateOrRegion: "WA",
      postalCode: "98101",
      countryCode: market.country,
      addressType: "RESIDENTIAL",
      ...(afn ? {} : { phone: "+1 206-555-0100" }),
      ...(input.address ?? {}),
    }
    order.recipient = { deliveryAddress: address }
    order.proceeds = aggregate(items, market.currency)
  }
  if (!afn && (status === "SHIPPED" || status === "PARTIALLY_SHIPPED")) {
    const shippedItems = items.filter((i) => (i.fulfillment?.quantityFulfilled ?? 0) > 0)
    order.packages = [
      {
        packageReferenceId: "1",
        createdTime: iso(updated),
        packageStatus: { status: "SHIPPED" },
        carrier: "UPS",
        shipTime: iso(updated),
        shippingService: "UPS Ground",
        trackingNumber: `1Z${seed.toString().padStart(10, "0")}`,
        packageItems: shippedItems.map((i) => ({ orderItemId: i.orderItemId, quantity: i.fulfillment?.quantityFulfilled ?? 0 })),
      },
    ]
  } else if (!afn) {
    order.packages = []
  }
  return order
}

/** Which parts of an order each `includedData` value unlocks (orders_2026-01-01.json descriptions). */
export function projectOrder(order: AmazonOrder, included: Set<string>): AmazonOrder {
  const copy = structuredClone(order) as AmazonOrder
  const dropOrder: [string, string][] = [
    ["BUYER", "buyer"],
    ["RECIPIENT", "recipient"],
    ["PROCEEDS", "proceeds"],
    ["PAYMENT", "payment"],
    ["TAX", "tax"],
    ["FULFILLMENT", "fulfillment"],
    ["PACKAGES", "packages"],
    ["FULFILLMENT_ORDERS", "fulfillmentOrders"],
  ]
  for (const [data, key] of dropOrder) if (!included.has(data)) delete (copy as Record<string, unknown>)[key]
  const dropItem: [string, string][] = [
    ["PROCEEDS", "proceeds"],
    ["EXPENSE", "expense"],
    ["PROMOTION", "promotion"],
    ["CANCELLATION", "cancellation"],
    ["FULFILLMENT", "fulfillment"],
    ["TAX", "tax"],
  ]
  for (const i of copy.orderItems) {
    for (const [data, key] of dropItem) if (!included.has(data)) delete (i as Record<string, unknown>)[key]
  }
  return copy
}
