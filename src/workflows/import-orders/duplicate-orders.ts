import type { CanonicalOrder } from "../../modules/channel/types/canonical-order"

/** What makes two marketplace orders "the same order twice": the same items and the same total. */
export function orderFingerprint(order: CanonicalOrder): string {
  const items = order.items
    .map((i) => `${(i.sku ?? i.title).toLowerCase()}x${i.quantity}`)
    .sort()
    .join(",")
  const total = order.items.reduce((n, i) => n + i.unit_price * i.quantity + (i.tax_total ?? 0) - (i.discount_total ?? 0), order.shipping?.price ?? 0)
  return `${items}|${total.toFixed(2)}|${order.currency_code}`
}

/** Buyer keys: the e-mail (unless it is one of our placeholders) and the shipping address. */
export function buyerKeys(order: CanonicalOrder): { email: string | null; address: string | null } {
  const email = order.email && !order.email.endsWith("@marketplace.invalid") ? order.email.toLowerCase() : null
  const a = order.shipping_address
  const address = a?.address_1 ? [a.address_1, a.postal_code ?? "", a.country_code].join("|").toLowerCase() : null
  return { email, address }
}
