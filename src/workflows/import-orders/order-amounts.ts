import { BigNumber, decorateCartTotals, MathBN } from "@medusajs/framework/utils"
import type { CanonicalCharge, CanonicalOrder, CanonicalTaxLine } from "../../modules/channel/types/canonical-order"

/**
 * How a channel's orders get their taxes:
 * - `marketplace`: the marketplace's own tax amounts, as Medusa tax lines; VAT-inclusive prices stay inclusive.
 * - `store`: Medusa's tax module computes the tax with the store's rates (inclusive prices stay inclusive).
 * - `none`: no tax lines at all; the amounts are taken as they are.
 */
export const TAX_MODES = ["marketplace", "store", "none"] as const
export type TaxMode = (typeof TAX_MODES)[number]

/** The provider id written on the tax lines that carry a marketplace's figures. */
export const MARKETPLACE_TAX_PROVIDER = "channel-orders"

/** A difference above this (one cent) between Medusa's figures and the marketplace's holds the order. */
export const RECONCILIATION_TOLERANCE = 0.01

export type AmountTaxLine = { code: string; description: string; rate: string; provider_id: string }
export type AmountAdjustment = { code: string; description: string; amount: string; is_tax_inclusive: boolean; provider_id: string }

/** What one Medusa line or shipping method gets from the marketplace's figures. */
export type PricedAmounts = {
  is_tax_inclusive: boolean
  /** Empty in `store` mode (Medusa computes them) and in `none` mode. */
  tax_lines: AmountTaxLine[]
  adjustments: AmountAdjustment[]
}

export type ChargeLine = PricedAmounts & { key: string; title: string; type: CanonicalCharge["type"]; unit_price: string; external_id: string | null }

export type OrderAmounts = {
  tax_mode: TaxMode
  /** By canonical item external id. */
  items: Record<string, PricedAmounts & { unit_price: string }>
  shipping: PricedAmounts & { amount: string }
  charges: ChargeLine[]
  /** Taxes the marketplace reported that a Medusa tax line cannot carry (tax on a zero net amount). */
  problems: string[]
}

export type Figures = { total: number; tax_total: number }

const num = (v: unknown) => new BigNumber(MathBN.convert(v as any)).numeric
/** 20 significant digits: what Medusa's BigNumber columns keep. */
const str = (v: ReturnType<typeof MathBN.convert>) => v.toPrecision(20).replace(/\.?0+$/, "") || "0"

/**
 * The rate that makes Medusa compute exactly the marketplace's tax amount on a line. Medusa taxes
 * `net × rate / 100` whether prices include tax or not (for inclusive prices it first takes the tax
 * out of the gross with the same rate), so rate = 100 × tax / net, kept to 20 significant digits.
 */
function taxLinesFor(
  what: string,
  net: ReturnType<typeof MathBN.convert>,
  taxed: { tax_total: number; tax_rate?: number | null; tax_lines: CanonicalTaxLine[] },
  collectedBy: CanonicalOrder["tax_collected_by"],
  problems: string[]
): AmountTaxLine[] {
  const detail: CanonicalTaxLine[] = taxed.tax_lines.length ? taxed.tax_lines : [{ code: null, name: null, rate: taxed.tax_rate ?? null, amount: taxed.tax_total }]
  const out: AmountTaxLine[] = []
  for (const t of detail) {
    if (!t.amount) continue
    if (MathBN.lte(net, 0)) {
      problems.push(`${what}: tax of ${t.amount} on a net amount of ${num(net)}`)
      continue
    }
    const rate = MathBN.div(MathBN.mult(t.amount, 100), net)
    const code = t.code ?? (collectedBy === "marketplace" ? "MARKETPLACE_TAX" : "TAX")
    const nominal = t.rate ?? taxed.tax_rate
    const label = t.name ?? code
    out.push({
      code,
      description: `${collectedBy === "marketplace" ? "Collected by the marketplace: " : ""}${label}${nominal !== null && nominal !== undefined ? ` ${nominal}%` : ""}`,
      rate: str(rate),
      provider_id: MARKETPLACE_TAX_PROVIDER,
    })
  }
  return out
}

function adjustmentsFor(
  discounts: Array<{ code?: string | null; name?: string | null; amount: number }>,
  discountTotal: number,
  inclusive: boolean
): AmountAdjustment[] {
  const detail = discounts.length ? discounts : discountTotal ? [{ code: null, name: null, amount: discountTotal }] : []
  return detail
    .filter((d) => d.amount)
    .map((d) => ({
      code: d.code ?? "MARKETPLACE_DISCOUNT",
      description: d.name ?? "Marketplace discount",
      amount: str(MathBN.convert(d.amount)),
      is_tax_inclusive: inclusive,
      provider_id: MARKETPLACE_TAX_PROVIDER,
    }))
}

function priced(
  what: string,
  gross: ReturnType<typeof MathBN.convert>,
  thing: { discount_total: number; discounts?: Array<{ code?: string | null; name?: string | null; amount: number }>; tax_total: number; tax_rate?: number | null; tax_lines: CanonicalTaxLine[] },
  order: CanonicalOrder,
  mode: TaxMode,
  problems: string[]
): PricedAmounts {
  const inclusive = order.prices_include_tax && mode !== "none"
  const discounted = MathBN.sub(gross, thing.discount_total)
  // The net a tax applies to: without the tax itself when prices include it.
  const net = inclusive ? MathBN.sub(discounted, thing.tax_total) : discounted
  return {
    is_tax_inclusive: inclusive,
    tax_lines: mode === "marketplace" ? taxLinesFor(what, net, thing, order.tax_collected_by, problems) : [],
    adjustments: adjustmentsFor(thing.discounts ?? [], thing.discount_total, inclusive),
  }
}

/**
 * Shipping adjustments have no `is_tax_inclusive` in Medusa: Medusa takes their amount as net of tax.
 * A discount on tax-inclusive shipping is therefore written net (amount / (1 + rate)), which gives
 * back exactly the marketplace's discount once Medusa adds the tax. Where the rate is not known in
 * advance (the store computes taxes), the discount is taken off the shipping amount instead.
 */
function shippingAmounts(order: CanonicalOrder, mode: TaxMode, problems: string[]): PricedAmounts & { amount: string } {
  const s = order.shipping
  const gross = MathBN.convert(s.price ?? 0)
  const p = priced("Shipping", gross, s as any, order, mode, problems)
  if (!p.is_tax_inclusive || !p.adjustments.length) return { amount: str(gross), ...p, adjustments: p.adjustments.map((a) => ({ ...a, is_tax_inclusive: false })) }
  if (mode === "marketplace") {
    const rate = MathBN.div(MathBN.sum(0, ...p.tax_lines.map((t) => t.rate)), 100)
    const factor = MathBN.add(1, rate)
    return { amount: str(gross), ...p, adjustments: p.adjustments.map((a) => ({ ...a, amount: str(MathBN.div(a.amount, factor)), is_tax_inclusive: false })) }
  }
  return { amount: str(MathBN.sub(gross, s.discount_total ?? 0)), ...p, adjustments: [] }
}

/**
 * Turns the marketplace's figures of a canonical order into what Medusa stores: unit prices kept to
 * full precision, `is_tax_inclusive` where the marketplace's prices include tax, discounts as
 * adjustments, taxes as tax lines whose rates reproduce the marketplace's amounts, and a line per
 * charge (gift wrap, COD fee). Pure: the same input always gives the same records.
 */
export function orderAmounts(order: CanonicalOrder, mode: TaxMode): OrderAmounts {
  const problems: string[] = []
  const items: OrderAmounts["items"] = {}
  for (const item of order.items) {
    const unit = MathBN.convert(item.unit_price)
    const gross = MathBN.mult(unit, item.quantity)
    items[item.external_id] = { unit_price: str(unit), ...priced(`Line ${item.external_id}`, gross, item, order, mode, problems) }
  }
  const shipping = shippingAmounts(order, mode, problems)
  const charges = order.charges.map((c, n) => {
    const amount = MathBN.convert(c.amount)
    return {
      key: `charge:${n}`,
      title: c.name,
      type: c.type,
      external_id: c.external_id ?? null,
      unit_price: str(amount),
      ...priced(c.name, amount, c, order, mode, problems),
    }
  })
  return { tax_mode: mode, items, shipping, charges, problems }
}

/**
 * The totals Medusa's order module will answer for these amounts, computed with Medusa's own
 * totals function (decorateCartTotals) over the same lines. In `store` mode the tax is not known
 * before Medusa computes it, so the figures are without tax.
 */
export function predictTotals(order: CanonicalOrder, amounts: OrderAmounts): Figures {
  const line = (id: string, unit: string, quantity: number, p: PricedAmounts) => ({
    id,
    unit_price: unit,
    quantity,
    is_tax_inclusive: p.is_tax_inclusive,
    tax_lines: p.tax_lines.map((t) => ({ rate: t.rate })),
    adjustments: p.adjustments.map((a) => ({ amount: a.amount, is_tax_inclusive: a.is_tax_inclusive })),
  })
  const items = [
    ...order.items.map((i) => line(i.external_id, amounts.items[i.external_id].unit_price, i.quantity, amounts.items[i.external_id])),
    ...amounts.charges.map((c) => line(c.key, c.unit_price, 1, c)),
  ]
  const s = amounts.shipping
  const totals = decorateCartTotals({
    currency_code: order.currency_code,
    items,
    shipping_methods: [{ id: "shipping", amount: s.amount, is_tax_inclusive: s.is_tax_inclusive, tax_lines: s.tax_lines.map((t) => ({ rate: t.rate })), adjustments: s.adjustments.map((a) => ({ amount: a.amount, is_tax_inclusive: a.is_tax_inclusive })) }],
  } as any) as any
  return { total: num(totals.total), tax_total: num(totals.tax_total) }
}

/**
 * What the buyer paid according to the marketplace: its reported figures where the payload has
 * them, otherwise the sum of the order's own parts (lines, shipping and charges, after discounts,
 * with tax added where prices exclude it).
 */
export function marketplaceFigures(order: CanonicalOrder): Figures & { reported: boolean } {
  let total = MathBN.convert(0)
  let tax = MathBN.convert(0)
  const add = (gross: ReturnType<typeof MathBN.convert>, discount: number, taxTotal: number) => {
    total = MathBN.add(total, MathBN.sub(gross, discount))
    if (!order.prices_include_tax) total = MathBN.add(total, taxTotal)
    tax = MathBN.add(tax, taxTotal)
  }
  for (const i of order.items) add(MathBN.mult(i.unit_price, i.quantity), i.discount_total, i.tax_total)
  add(MathBN.convert(order.shipping.price ?? 0), order.shipping.discount_total ?? 0, order.shipping.tax_total ?? 0)
  for (const c of order.charges) add(MathBN.convert(c.amount), c.discount_total, c.tax_total)
  const reportedTotal = order.totals?.total
  const reportedTax = order.totals?.tax_total
  return {
    total: reportedTotal ?? num(total),
    tax_total: reportedTax ?? num(tax),
    reported: reportedTotal !== null && reportedTotal !== undefined,
  }
}

/** What reconciling an imported order needs of its canonical order, computed before the import. */
export type ReconciliationOrder = {
  currency_code: string
  tax_mode: TaxMode
  marketplace: Figures & { reported: boolean; paid_total: number | null }
  /** Marketplace taxes no Medusa tax line could carry: a mismatch to show, whatever the figures say. */
  problems: string[]
}

export function reconciliationInput(order: CanonicalOrder, amounts: Pick<OrderAmounts, "tax_mode" | "problems">): ReconciliationOrder {
  return {
    currency_code: order.currency_code,
    tax_mode: amounts.tax_mode,
    marketplace: { ...marketplaceFigures(order), paid_total: order.totals?.paid_total ?? null },
    problems: amounts.problems,
  }
}

export type Reconciliation = {
  status: "reconciled" | "mismatch" | "not_checked"
  /** Why it was not checked (`store` and `none` tax modes compute other taxes than the marketplace). */
  reason?: string
  /** paid_total is null when the import captures nothing to compare (authorized, awaiting or not paid). */
  medusa: Figures & { paid_total: number | null }
  marketplace: Figures & { paid_total: number | null; reported: boolean }
  difference: { total: number; tax_total: number }
  problems: string[]
}

const round4 = (n: number) => Math.round(n * 10_000) / 10_000

/**
 * Compares Medusa's figures of an imported order with the marketplace's. Only the `marketplace` tax
 * mode promises equal taxes; the other modes record the comparison without judging it.
 */
export function reconcile(input: ReconciliationOrder, medusa: Figures & { paid_total: number | null }): Reconciliation {
  const mp = input.marketplace
  const difference = { total: round4(medusa.total - mp.total), tax_total: round4(medusa.tax_total - mp.tax_total) }
  const base = {
    medusa: { total: round4(medusa.total), tax_total: round4(medusa.tax_total), paid_total: medusa.paid_total === null ? null : round4(medusa.paid_total) },
    marketplace: mp,
    difference,
    problems: input.problems,
  }
  if (input.tax_mode !== "marketplace") return { status: "not_checked", reason: `tax_mode is "${input.tax_mode}"`, ...base }
  const off =
    input.problems.length > 0 ||
    Math.abs(difference.total) > RECONCILIATION_TOLERANCE ||
    Math.abs(difference.tax_total) > RECONCILIATION_TOLERANCE ||
    (mp.paid_total !== null && medusa.paid_total !== null && Math.abs(medusa.paid_total - mp.paid_total) > RECONCILIATION_TOLERANCE)
  return { status: off ? "mismatch" : "reconciled", ...base }
}

/** The hold detail of a mismatch, with both figures, for the admin. */
export function mismatchDetail(r: Reconciliation, currency: string): string {
  const c = currency.toUpperCase()
  const parts = [`total ${r.medusa.total} ${c} in Medusa, ${r.marketplace.total} ${c} on the marketplace`]
  if (Math.abs(r.difference.tax_total) > RECONCILIATION_TOLERANCE) parts.push(`tax ${r.medusa.tax_total} against ${r.marketplace.tax_total}`)
  if (r.marketplace.paid_total !== null && r.medusa.paid_total !== null && Math.abs(r.medusa.paid_total - r.marketplace.paid_total) > RECONCILIATION_TOLERANCE)
    parts.push(`paid ${r.medusa.paid_total} against ${r.marketplace.paid_total}`)
  parts.push(...r.problems)
  return `Amounts differ from the marketplace's: ${parts.join("; ")}`
}

/** The amount an import captures: the order's total when it is paid, 0 for a zero-value order, else null. */
export function capturedAmount(payment: string, total: number): number | null {
  return payment === "captured" ? total : payment === "zero" ? 0 : null
}

/** The hold and timeline entry of a reconciliation. */
export function reconciliationOutcome(r: Reconciliation, currency: string) {
  if (r.status === "mismatch") {
    const detail = mismatchDetail(r, currency)
    return { hold: { reason: "total_mismatch" as const, detail }, event: { type: "total_mismatch", message: detail, data: r as unknown as Record<string, unknown> } }
  }
  const message = r.status === "reconciled" ? `Amounts match the marketplace's (total ${r.medusa.total} ${currency.toUpperCase()})` : `Amounts not reconciled: ${r.reason}`
  return { hold: null, event: { type: "reconciled", message, data: r as unknown as Record<string, unknown> } }
}
