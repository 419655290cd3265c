import type { CanonicalOrder } from "../../../modules/channel/types/canonical-order"

/**
 * What the buyer paid according to a canonical order, by the formula the import applies:
 * Σ items (unit_price × quantity − discount_total [+ tax_total when prices exclude tax])
 * + shipping (price − discount_total [+ tax]) + Σ charges (amount − discount_total [+ tax]).
 */
export function paidParts(o: CanonicalOrder): {
  lines: { sku: string | null; title: string; total: number; quantity: number }[]
  shipping: number
  total: number
  tax: number
} {
  const withTax = (net: number, tax: number) => (o.prices_include_tax ? net : net + tax)
  const lines = [
    ...o.items.map((i) => ({
      sku: i.sku ?? null,
      title: i.title,
      total: withTax(Number(i.unit_price) * i.quantity - Number(i.discount_total), Number(i.tax_total)),
      quantity: i.quantity,
    })),
    ...o.charges.map((c) => ({ sku: null, title: c.name, total: withTax(Number(c.amount) - Number(c.discount_total), Number(c.tax_total)), quantity: 1 })),
  ]
  const shipping = withTax(Number(o.shipping.price) - Number(o.shipping.discount_total), Number(o.shipping.tax_total))
  const total = lines.reduce((s, l) => s + l.total, 0) + shipping
  const tax = o.items.reduce((s, i) => s + Number(i.tax_total), 0) + Number(o.shipping.tax_total) + o.charges.reduce((s, c) => s + Number(c.tax_total), 0)
  return { lines, shipping, total, tax }
}

/** Rounded to the cent (or to the yen): what is compared with the marketplace's figures. */
export const cents = (n: number): number => Math.round(n * 100) / 100
