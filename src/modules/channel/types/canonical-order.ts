import { z } from "@medusajs/framework/zod"

/**
 * The canonical order: what every channel provider produces and what the import
 * pipeline consumes. Amounts are decimal numbers in the currency's major unit
 * (12.34 EUR, not 1234 cents). Times are ISO-8601 in UTC. Countries are ISO-2.
 */
const isoDate = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), { message: "must be an ISO-8601 date-time" })

const money = z.number().finite()

export const CanonicalAddressSchema = z.object({
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  company: z.string().nullish(),
  address_1: z.string().nullish(),
  address_2: z.string().nullish(),
  city: z.string().nullish(),
  province: z.string().nullish(),
  postal_code: z.string().nullish(),
  country_code: z
    .string()
    .regex(/^[A-Za-z]{2}$/, { message: "must be an ISO-3166 alpha-2 country code" })
    .transform((v) => v.toLowerCase()),
  phone: z.string().nullish(),
})

export const CanonicalItemSchema = z.object({
  external_id: z.string().min(1),
  sku: z.string().nullish(),
  marketplace_product_id: z.string().nullish(),
  title: z.string().min(1),
  quantity: z.number().int().positive(),
  unit_price: money.nonnegative(),
  tax_total: money.nonnegative().default(0),
  discount_total: money.nonnegative().default(0),
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
  items: z.array(CanonicalItemSchema).min(1, { message: "an order needs at least one item" }),
  shipping: z
    .object({
      service_code: z.string().nullish(),
      name: z.string().nullish(),
      price: money.nonnegative().default(0),
    })
    .default({ price: 0 }),
  fulfilled_by_marketplace: z.boolean().default(false),
  payment_status: z.enum(["paid", "pending"]).default("paid"),
  notes: z.string().nullish(),
  gift_message: z.string().nullish(),
  custom_fields: z.record(z.string(), z.any()).default({}),
})

export type CanonicalAddress = z.infer<typeof CanonicalAddressSchema>
export type CanonicalItem = z.infer<typeof CanonicalItemSchema>
export type CanonicalOrder = z.infer<typeof CanonicalOrderSchema>
/** What a provider may hand over before validation fills defaults. */
export type CanonicalOrderInput = z.input<typeof CanonicalOrderSchema>

/** Validates a provider's output; returns a readable message naming every bad field. */
export function parseCanonicalOrder(
  input: unknown
): { success: true; order: CanonicalOrder } | { success: false; message: string } {
  const result = CanonicalOrderSchema.safeParse(input)
  if (result.success) {
    return { success: true, order: result.data }
  }
  const message = result.error.issues
    .map((i) => `${i.path.length ? i.path.join(".") : "order"}: ${i.message}`)
    .join("; ")
  return { success: false, message }
}
