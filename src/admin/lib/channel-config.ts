/**
 * What the channel forms ask for, per marketplace. Credentials are write-only: the API only says
 * whether some are stored (`has_credentials`), so their fields always start empty.
 */
export type ConnectionField = {
  key: string
  label: string
  hint?: string
  kind: "text" | "secret" | "url" | "number" | "list" | "boolean"
  required?: boolean
  placeholder?: string
}

export type ProviderForm = {
  credentials: ConnectionField[]
  settings: ConnectionField[]
}

export const PROVIDER_FORMS: Record<string, ProviderForm> = {
  amazon: {
    credentials: [
      { key: "client_id", label: "LWA client ID", kind: "text", required: true, hint: "From your Selling Partner API app." },
      { key: "client_secret", label: "LWA client secret", kind: "secret", required: true },
      { key: "refresh_token", label: "Refresh token", kind: "secret", required: true, hint: "Issued when you authorize the app for your seller account." },
    ],
    settings: [
      {
        key: "marketplace_ids",
        label: "Marketplace IDs",
        kind: "list",
        required: true,
        placeholder: "A1PM2CXPQJ5UZJ, A13V1IB3VIYZZH",
        hint: "The Amazon marketplaces to import from, separated by commas.",
      },
      { key: "seller_id", label: "Seller ID", kind: "text", hint: "Your merchant token; needed to confirm shipments." },
      { key: "base_url", label: "API endpoint", kind: "url", hint: "Leave empty for the region's default SP-API endpoint." },
      { key: "auth_url", label: "Token endpoint", kind: "url", hint: "Leave empty for Amazon's default." },
    ],
  },
  ebay: {
    credentials: [
      { key: "client_id", label: "App ID (client ID)", kind: "text", required: true },
      { key: "client_secret", label: "Cert ID (client secret)", kind: "secret", required: true },
      { key: "refresh_token", label: "User refresh token", kind: "secret", required: true, hint: "From the seller's consent to your app." },
    ],
    settings: [
      { key: "marketplace_id", label: "Marketplace", kind: "text", placeholder: "EBAY_US", hint: "For example EBAY_US or EBAY_DE." },
      { key: "base_url", label: "API endpoint", kind: "url", hint: "Leave empty for eBay production; use the sandbox URL to test." },
      { key: "auth_url", label: "Token endpoint", kind: "url", hint: "Leave empty for eBay's default." },
      { key: "page_size", label: "Orders per page", kind: "number", hint: "1 to 200. Lower it if eBay times out." },
    ],
  },
  mirakl: {
    credentials: [
      { key: "api_key", label: "Shop API key", kind: "secret", required: true, hint: "From your Mirakl back office: My user settings → API key." },
    ],
    settings: [
      { key: "base_url", label: "Operator URL", kind: "url", required: true, placeholder: "https://operator-prod.mirakl.net", hint: "The marketplace operator's Mirakl address." },
      { key: "shop_id", label: "Shop ID", kind: "number", hint: "Only when your key has access to several shops." },
      { key: "accept_orders", label: "Accept orders automatically", kind: "boolean", hint: "Accept new orders waiting for acceptance so they can be shipped." },
      { key: "page_size", label: "Orders per page", kind: "number", hint: "1 to 100." },
    ],
  },
  api: {
    credentials: [
      {
        key: "webhook_secret",
        label: "Webhook signing secret",
        kind: "secret",
        hint: "At least 16 characters. Each webhook carries X-Signature: the hex HMAC-SHA256 of its body with this secret.",
      },
    ],
    settings: [
      {
        key: "webhook_url",
        label: "Shipment webhook URL",
        kind: "url",
        placeholder: "https://erp.reseller.example/hooks/medusa",
        hint: "Shipments and cancellations are POSTed here. Leave empty to not notify the reseller.",
      },
    ],
  },
  sandbox: {
    credentials: [],
    settings: [
      {
        key: "generate_orders_per_minute",
        label: "Generate test orders per minute",
        kind: "number",
        hint: "The sandbox marketplace invents this many orders every minute. 0 to stop.",
      },
    ],
  },
}

export function providerForm(provider: string): ProviderForm {
  return PROVIDER_FORMS[provider] ?? { credentials: [], settings: [] }
}

/** Turns a form's text into the value the API expects for that field. */
export function parseFieldValue(field: ConnectionField, raw: string | boolean | undefined): unknown {
  if (field.kind === "boolean") return Boolean(raw)
  const s = typeof raw === "string" ? raw.trim() : ""
  if (!s) return undefined
  if (field.kind === "number") {
    const n = Number(s)
    return Number.isFinite(n) ? n : s
  }
  if (field.kind === "list") {
    return s
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean)
  }
  return s
}

export function formatFieldValue(field: ConnectionField, value: unknown): string {
  if (value === undefined || value === null) return ""
  if (field.kind === "list" && Array.isArray(value)) return value.join(", ")
  return String(value)
}

/** The common settings, each with a plain-words hint. */
export const COMMON_SETTING_HINTS = {
  sales_channel_id: "Imported orders are placed in this sales channel.",
  region_id: "Currency, prices and taxes of imported orders follow this region.",
  stock_location_id: "Stock for imported orders is reserved and shipped from this location.",
  pull_interval_minutes: "How often the store asks the marketplace for new and changed orders.",
  lookback_hours: "The first import fetches the orders changed in this many past hours.",
  overlap_minutes:
    "Each import reads this many minutes of the previous one again, so late orders are not missed. Orders are never imported twice.",
  import_unavailable_products:
    "When on, an order with a SKU the store does not sell is imported with a custom line and put on hold. When off, it waits on the Import problems page until you map the SKU.",
  payment_status: "The marketplace collects the payment. Choose how it shows on imported orders.",
  tax_mode:
    "Marketplace: each order keeps the taxes the marketplace charged, so totals equal what the buyer paid. Store: Medusa computes taxes with your tax regions. None: no tax lines.",
  email_policy: "Keep the buyer's email, or give each order a placeholder address so Medusa never emails marketplace buyers.",
  marketplace_fulfilled_action:
    "What to do with orders the marketplace ships itself (such as Amazon FBA), whatever their status rule says.",
  sku_matching: "How a marketplace SKU is matched to a product variant, tried in this order.",
  default_shipping_option_id:
    "Used when a marketplace shipping service has no mapping below. Without it, such orders are put on hold.",
  duplicate_protection: "Put an order on hold when the same buyer ordered the same items for the same total shortly before.",
  duplicate_window_hours: "How far back duplicate protection looks.",
  shipped_when: "When the marketplace is told an order has shipped.",
} as const

export const PAYMENT_STATUS_OPTIONS = [
  { value: "captured", label: "Paid (captured)" },
  { value: "authorized", label: "Authorized" },
  { value: "not_paid", label: "Not paid" },
] as const

export const TAX_MODE_OPTIONS = [
  { value: "marketplace", label: "As the marketplace charged (recommended)" },
  { value: "store", label: "Computed by the store's tax regions" },
  { value: "none", label: "No tax" },
] as const

export const EMAIL_POLICY_OPTIONS = [
  { value: "keep", label: "Keep the buyer's email" },
  { value: "placeholder", label: "Use a placeholder address" },
] as const

export const SHIPPED_WHEN_OPTIONS = [
  { value: "shipment_created", label: "A shipment is created" },
  { value: "order_completed", label: "The order is completed" },
] as const

export const SKU_MATCHERS = [
  { value: "mapping", label: "SKU mappings of this channel" },
  { value: "sku", label: "Variant SKU" },
  { value: "barcode", label: "Variant barcode (EAN/UPC)" },
] as const

export const SETTING_DEFAULTS = {
  pull_interval_minutes: 15,
  lookback_hours: 72,
  overlap_minutes: 5,
  import_unavailable_products: false,
  payment_status: "captured",
  tax_mode: "marketplace",
  email_policy: "keep",
  marketplace_fulfilled_action: "import_as_history",
  sku_matching: ["mapping", "sku", "barcode"],
  duplicate_protection: false,
  duplicate_window_hours: 24,
  shipped_when: "shipment_created",
} as const
