import { z } from "@medusajs/framework/zod"
import { STATUS_ACTIONS } from "./types/provider"
import { TAX_MODES } from "../../workflows/import-orders/order-amounts"

/**
 * Settings every channel has, whatever its marketplace. Providers add their own keys (base URLs,
 * marketplace ids) next to these, declare them in `settings_keys` and validate them in
 * `validateSettings`; the admin API refuses any other key (`settings-keys.ts`). The schema stays
 * loose so the providers' keys pass through it.
 */
export const ChannelSettingsSchema = z
  .object({
    /** Where imported orders go in Medusa. */
    sales_channel_id: z.string().nullish(),
    region_id: z.string().nullish(),
    stock_location_id: z.string().nullish(),
    /** How often the scheduled job pulls this channel. */
    pull_interval_minutes: z.number().int().min(1).max(1440).default(15),
    /** How far back the first pull looks. */
    lookback_hours: z.number().int().min(0).max(24 * 90).default(72),
    /** Each pull re-reads this much of the previous window, so late-indexed orders are not missed. */
    overlap_minutes: z.number().int().min(0).max(240).default(5),
    /** Import orders whose products match nothing (as custom lines, on hold) instead of failing them. */
    import_unavailable_products: z.boolean().default(false),
    payment_status: z.enum(["captured", "authorized", "not_paid"]).default("captured"),
    /** `placeholder` gives each order a non-deliverable address so Medusa never mails marketplace buyers. */
    email_policy: z.enum(["keep", "placeholder"]).default("keep"),
    /** What to do with orders the marketplace fulfils itself (FBA-like), whatever their status rule says. */
    marketplace_fulfilled_action: z.enum(STATUS_ACTIONS).default("import_as_history"),
    /** The order in which a marketplace SKU is matched to a variant. */
    sku_matching: z
      .array(z.enum(["mapping", "sku", "barcode"]))
      .min(1)
      .default(["mapping", "sku", "barcode"]),
    /** Marketplace shipping service code → Medusa shipping option id. */
    shipping_mapping: z.record(z.string(), z.string()).default({}),
    /** Used when a service has no mapping; without it such orders are held as `unmapped_shipping_policy`. */
    default_shipping_option_id: z.string().nullish(),
    /** Medusa fulfillment provider id or shipping option id → marketplace carrier code. */
    carrier_mapping: z.record(z.string(), z.string()).default({}),
    duplicate_protection: z.boolean().default(false),
    duplicate_window_hours: z.number().int().min(1).max(24 * 30).default(24),
    /** Which Medusa state counts as shipped for the marketplace feedback. */
    shipped_when: z.enum(["shipment_created", "order_completed"]).default("shipment_created"),
    /**
     * Import a page's plain orders (valid, hold, invoice) in one workflow built on module batch
     * methods instead of one core workflow per order. Same records; createOrderWorkflow's hooks do
     * not run for them (subscribe to channel_order.imported instead).
     */
    batch_import: z.boolean().default(true),
    /**
     * Where imported orders' taxes come from: `marketplace` (its figures, as tax lines; inclusive
     * prices stay inclusive), `store` (Medusa's tax module and the store's rates) or `none`.
     */
    tax_mode: z.enum(TAX_MODES).default("marketplace"),
    /**
     * A shipment the marketplace reports for an imported order marks it fulfilled and shipped in
     * Medusa (default); `false` leaves such orders to be shipped in Medusa.
     */
    sync_marketplace_shipments: z.boolean().optional(),
    /** ISO-3166 alpha-2 country used when an order's address has no country the import can read. */
    default_country_code: z
      .string()
      .regex(/^[A-Za-z]{2}$/, { message: "must be an ISO-3166 alpha-2 country code" })
      .transform((v) => v.toLowerCase())
      .nullish(),
  })
  .loose()

export type ChannelSettings = z.infer<typeof ChannelSettingsSchema>

export function parseChannelSettings(input: unknown): ChannelSettings {
  return ChannelSettingsSchema.parse(input ?? {})
}
