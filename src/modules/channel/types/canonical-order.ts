import { z } from "@medusajs/framework/zod"

/**
 * The canonical order: what every channel provider produces and what the import
 * pipeline consumes. Amounts are decimal numbers in the currency's major unit
 * (12.34 EUR, not 1234 cents). Times are ISO-8601 in UTC. Countries are ISO-2.
 */
const isoDate = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), { message: "must be an ISO-8601 date-time" })

/**
 * An amount in the currency's major unit. Decimal strings are accepted as well ("22.495"), so a
 * payload's figures reach Medusa's BigNumber columns without being rounded on the way.
 */
const money = z.preprocess(
  (v) => (typeof v === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v),
  z.number({ error: "must be a number or a decimal amount such as \"12.50\"" }).finite()
)
const nonNegativeMoney = money.pipe(z.number().nonnegative())

/**
 * One tax on a line, shipping or charge, as the marketplace reports it: the amount for the whole
 * line (all units, after discounts) and, when the marketplace says, the nominal rate in percent.
 */
export const CanonicalTaxLineSchema = z.object({
  code: z.string().nullish(),
  name: z.string().nullish(),
  rate: z.number().finite().nullish(),
  amount: money,
})

/** A promotion or discount the marketplace applied, positive, on the same tax basis as the price. */
export const CanonicalDiscountSchema = z.object({
  code: z.string().nullish(),
  name: z.string().nullish(),
  amount: nonNegativeMoney,
})

/** The tax of a priced thing: the total, its nominal rate, and optionally the detail per tax. */
const taxFields = {
  /** Tax on the whole line after discounts, in the marketplace's own figure. */
  tax_total: nonNegativeMoney.default(0),
  /** Nominal rate in percent (19 for 19 %), when the marketplace reports it. */
  tax_rate: z.number().finite().nonnegative().nullish(),
  /** Detail of tax_total per tax (US state + county, VAT + eco-tax); sums to tax_total. */
  tax_lines: z.array(CanonicalTaxLineSchema).default([]),
}

export const CanonicalAddressSchema = z.object({
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  company: z.string().nullish(),
  address_1: z.string().nullish(),
  address_2: z.string().nullish(),
  city: z.string().nullish(),
  province: z.string().nullish(),
  postal_code: z.string().nullish(),
  /**
   * ISO-3166 alpha-2 or alpha-3, or a country name in a common language: the pipeline resolves it
   * (resolveOrderCountries) before anything else reads it, and holds the order if it cannot.
   */
  country_code: z.string().nullish(),
  /** The country as the marketplace names it, when it gives no code. */
  country: z.string().nullish(),
  phone: z.string().nullish(),
})

export const CanonicalItemSchema = z.object({
  external_id: z.string().min(1),
  sku: z.string().nullish(),
  marketplace_product_id: z.string().nullish(),
  title: z.string().min(1),
  /** What to import: the quantity ordered minus what the marketplace canceled. */
  quantity: z.number().int().positive(),
  /**
   * Units the marketplace says already shipped before the import (an order first seen partly
   * shipped): recorded as shipped without a stock movement, and not reserved.
   */
  shipped_quantity: z.number().int().nonnegative().default(0),
  /** Price of one unit, before discounts; tax-inclusive when the order's prices_include_tax is. Never rounded. */
  unit_price: nonNegativeMoney,
  /** Sum of the line's discounts (all units), positive, on the same tax basis as unit_price. */
  discount_total: nonNegativeMoney.default(0),
  /** Detail of discount_total per promotion; sums to discount_total. */
  discounts: z.array(CanonicalDiscountSchema).default([]),
  ...taxFields,
})

/**
 * What the buyer paid besides items and shipping: gift wrap, a cash-on-delivery fee, a handling or
 * eco fee. Each becomes its own line of the Medusa order, so the books show it as revenue.
 */
export const CHARGE_TYPES = ["gift_wrap", "cod_fee", "handling", "eco_fee", "fee", "other"] as const
export const CanonicalChargeSchema = z.object({
  type: z.enum(CHARGE_TYPES),
  /** Marketplace id of the charge (or of the item it belongs to), kept for reference. */
  external_id: z.string().nullish(),
  name: z.string().min(1),
  /** Amount charged (all units), before discounts; tax-inclusive when the order's prices are. */
  amount: nonNegativeMoney,
  discount_total: nonNegativeMoney.default(0),
  ...taxFields,
})

export const CanonicalOrderSchema = z.object({
  external_id: z.string().min(1),
  status: z.string().min(1),
  created_at: isoDate,
  updated_at: isoDate,
  currency_code: z
    .string()
    .regex(/^[A-Za-z]{3}$/, { message: "must be an ISO-4217 currency code" })
    .transform((v) => v.toLowerCase()),
  email: z.string().nullish(),
  customer: z
    .object({
      first_name: z.string().nullish(),
      last_name: z.string().nullish(),
      phone: z.string().nullish(),
    })
    .default({}),
  shipping_address: CanonicalAddressSchema.nullish(),
  billing_address: CanonicalAddressSchema.nullish(),
  items: z
    .array(CanonicalItemSchema)
    .min(1, { message: "an order needs at least one item" })
    // Lines are addressed by their id (amounts, feedback, shipments): two lines with one id would
    // share one line's amounts, so such an order is refused, naming the second line.
    .superRefine((items, ctx) => {
      const seen = new Set<string>()
      items.forEach((item, i) => {
        if (seen.has(item.external_id)) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i, "external_id"], message: `duplicate line id "${item.external_id}"` })
        }
        seen.add(item.external_id)
      })
    }),
  shipping: z
    .object({
      service_code: z.string().nullish(),
      name: z.string().nullish(),
      /** What the buyer was charged for shipping before shipping discounts; tax-inclusive when prices are. */
      price: nonNegativeMoney.default(0),
      discount_total: nonNegativeMoney.default(0),
      discounts: z.array(CanonicalDiscountSchema).default([]),
      ...taxFields,
    })
    .default({ price: 0, discount_total: 0, discounts: [], tax_total: 0, tax_lines: [] }),
  charges: z.array(CanonicalChargeSchema).default([]),
  /** Whether unit prices, shipping and charges include tax (EU marketplaces), as the payload says. */
  prices_include_tax: z.boolean().default(false),
  /**
   * Who collects and remits the tax: `marketplace` for marketplace-facilitator taxes (US states):
   * the buyer paid it and it is on the order, but the seller does not owe it.
   */
  tax_collected_by: z.enum(["seller", "marketplace"]).default("seller"),
  /**
   * The marketplace's own figures for the whole order, when the payload reports them. The import
   * reconciles the Medusa order against them (a difference over 0.01 holds it as total_mismatch).
   */
  totals: z
    .object({
      total: money.nullish(),
      tax_total: money.nullish(),
      paid_total: money.nullish(),
    })
    .default({}),
  /** The marketplace order this one replaces (a free replacement), when the marketplace says. */
  replaces_external_id: z.string().nullish(),
  fulfilled_by_marketplace: z.boolean().default(false),
  /** `pending`: not paid yet (not captured at import), e.g. cash on delivery or a payment still processing. */
  payment_status: z.enum(["paid", "pending"]).default("paid"),
  /** How the buyer pays, as the marketplace says (`cash_on_delivery` makes the order unpaid until delivery). */
  payment_method: z.string().nullish(),
  notes: z.string().nullish(),
  gift_message: z.string().nullish(),
  /** The channel's own tags for the order (a Shopify export's `Tags`): added to the Medusa order like an import rule's tags. */
  tags: z.array(z.string()).default([]),
  custom_fields: z.record(z.string(), z.any()).default({}),
})

export type CanonicalAddress = z.infer<typeof CanonicalAddressSchema>
export type CanonicalItem = z.infer<typeof CanonicalItemSchema>
export type CanonicalCharge = z.infer<typeof CanonicalChargeSchema>
export type CanonicalTaxLine = z.infer<typeof CanonicalTaxLineSchema>
export type CanonicalDiscount = z.infer<typeof CanonicalDiscountSchema>
export type CanonicalOrder = z.infer<typeof CanonicalOrderSchema>
/** What a provider may hand over before validation fills defaults. */
export type CanonicalOrderInput = z.input<typeof CanonicalOrderSchema>

/** Validates a provider's output; returns a readable message naming every bad field. */
export function parseCanonicalOrder(
  input: unknown
): { success: true; order: CanonicalOrder } | { success: false; message: string; issues: Array<{ path: string; message: string }> } {
  const result = CanonicalOrderSchema.safeParse(input)
  if (result.success) {
    return { success: true, order: result.data }
  }
  const issues = result.error.issues.map((i) => ({ path: i.path.length ? i.path.join(".") : "order", message: i.message }))
  const message = issues.map((i) => `${i.path}: ${i.message}`).join("; ")
  return { success: false, message, issues }
}
