/**
 * What the channel forms ask for, per marketplace. Credentials are write-only: the API only says
 * whether some are stored (`has_credentials`), so their fields always start empty.
 */
export type FieldOption = { value: string; label: string; hint?: string }

/** One row of a column mapping (`columns` kind): our field → the header of the merchant's file. */
export type ColumnRow = { field: string; header: string }

/** What a form holds for a field: text, a switch, the checked options, or column mapping rows. */
export type FieldValue = string | boolean | string[] | ColumnRow[]
export type FieldValues = Record<string, FieldValue>

export type ConnectionField = {
  /** The setting or credential key; a dotted key (`source.host`) is a key of a nested settings object. */
  key: string
  label: string
  hint?: string
  /**
   * `select`: one of `options`; `checkboxes`: a list of `options`; `textarea`: multi-line text;
   * `secret_textarea`: a multi-line write-only value (a private key); `columns`: a preset from
   * `options` or a custom mapping of `column_fields` to the file's headers (`{ columns: { … } }`).
   */
  kind: "text" | "secret" | "url" | "number" | "list" | "boolean" | "select" | "checkboxes" | "textarea" | "secret_textarea" | "columns"
  required?: boolean
  placeholder?: string
  options?: FieldOption[]
  /** `columns`: the fields a custom mapping can map, and those it must map. */
  column_fields?: readonly string[]
  required_columns?: readonly string[]
  /** `select` / `checkboxes`: what the API does with the setting unset (shown, not sent unless changed). */
  default?: string | string[]
  /** Shown (and sent) only while the form's field `key` has one of `values` (credentials look at the settings). */
  show_when?: { key: string; values: string[] }
}

export type ProviderForm = {
  credentials: ConnectionField[]
  settings: ConnectionField[]
  /**
   * Where the stored credentials are sent, read from the settings, as the provider's
   * `credentialTarget` computes it. A change needs the credentials again (the API answers 400
   * otherwise), so the edit form asks for them. Without it, a changed `base_url` / `auth_url` does.
   */
  credentialTarget?: (settings: Record<string, any>) => string | null
  /** Shown above the credential fields (which secret is for what). */
  credentials_hint?: string
}

/** Our CSV layout's fields (src/providers/file/settings.ts DEFAULT_LAYOUT_FIELDS), for a custom column mapping. */
export const FILE_LAYOUT_FIELDS = [
  "order_id", "status", "created_at", "updated_at", "currency", "email", "customer_first_name", "customer_last_name",
  "customer_phone", "prices_include_tax", "payment_status", "payment_method", "notes", "tags", "total", "tax_total",
  "shipping_method", "shipping_name", "shipping_price", "shipping_discount", "shipping_tax", "shipping_tax_rate",
  "line_id", "sku", "title", "quantity", "shipped_quantity", "unit_price", "line_discount", "line_tax", "line_tax_rate",
  "ship_first_name", "ship_last_name", "ship_company", "ship_address_1", "ship_address_2", "ship_city", "ship_province",
  "ship_postal_code", "ship_country", "ship_phone", "bill_first_name", "bill_last_name", "bill_company", "bill_address_1",
  "bill_address_2", "bill_city", "bill_province", "bill_postal_code", "bill_country", "bill_phone",
] as const
/** Fields a custom mapping must map (REQUIRED_FIELDS of the provider). */
export const FILE_REQUIRED_COLUMNS = ["order_id", "currency", "title", "quantity", "unit_price"] as const

/** The events an `api` channel's webhook can receive (src/providers/api/service.ts WEBHOOK_EVENTS). */
export const WEBHOOK_EVENT_OPTIONS: FieldOption[] = [
  { value: "shipment.created", label: "Shipments", hint: "shipment.created: carrier, tracking numbers and lines of each shipment." },
  { value: "order.canceled", label: "Cancellations", hint: "order.canceled: an order canceled in the store." },
  {
    value: "order.status_changed",
    label: "Status changes",
    hint: "order.status_changed: every change of the order's status, fulfilment status or hold, with the previous one.",
  },
]
export const DEFAULT_WEBHOOK_EVENTS = ["shipment.created", "order.canceled"]

/** Where a file channel's secrets go, as FileChannelProvider.credentialTarget computes it. */
function fileCredentialTarget(settings: Record<string, any>): string | null {
  const s = settings?.source
  if (!s || typeof s !== "object") return null
  if (s.type === "sftp") {
    const port = s.port === undefined || s.port === null || s.port === "" ? 22 : Number(s.port)
    return `sftp://${String(s.username ?? "").trim()}@${String(s.host ?? "").trim().toLowerCase()}:${port}`
  }
  if (s.type === "url") {
    try {
      return new URL(String(s.url ?? "").trim()).origin
    } catch {
      return String(s.url ?? "")
    }
  }
  return null
}

const SFTP = { key: "source.type", values: ["sftp"] }
const URL_SOURCE = { key: "source.type", values: ["url"] }
const LOCAL = { key: "source.type", values: ["directory", "sftp"] }
const CSV = { key: "format", values: ["csv"] }

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
      {
        key: "webhook_events",
        label: "Webhook events",
        kind: "checkboxes",
        options: WEBHOOK_EVENT_OPTIONS,
        default: DEFAULT_WEBHOOK_EVENTS,
        hint: "What the webhook receives. Status changes are off unless you tick them, so an existing receiver gets nothing new.",
      },
    ],
  },
  file: {
    credentials_hint: "SFTP: a password, or a private key (with its passphrase if it has one). URL: an Authorization header, if the server needs one.",
    credentials: [
      { key: "password", label: "SFTP password", kind: "secret", show_when: SFTP },
      {
        key: "private_key",
        label: "SFTP private key",
        kind: "secret_textarea",
        show_when: SFTP,
        placeholder: "-----BEGIN OPENSSH PRIVATE KEY-----",
        hint: "Instead of a password: the key in PEM or OpenSSH format.",
      },
      { key: "passphrase", label: "Private key passphrase", kind: "secret", show_when: SFTP, hint: "Only for an encrypted private key." },
      {
        key: "authorization",
        label: "Authorization header",
        kind: "secret",
        show_when: URL_SOURCE,
        placeholder: "Bearer …",
        hint: "Sent as the Authorization header of each request. Leave empty for a public URL.",
      },
    ],
    credentialTarget: fileCredentialTarget,
    settings: [
      {
        key: "source.type",
        label: "Read files from",
        kind: "select",
        required: true,
        default: "directory",
        options: [
          { value: "directory", label: "A directory on the server" },
          { value: "sftp", label: "An SFTP server" },
          { value: "url", label: "An HTTP(S) URL (read only)" },
        ],
        hint: "A file read to its end moves to processed/, a file with bad rows to failed/ with a report. A URL is read again on every import.",
      },
      { key: "source.host", label: "SFTP host", kind: "text", required: true, show_when: SFTP, placeholder: "sftp.example.com" },
      { key: "source.port", label: "SFTP port", kind: "number", show_when: SFTP, placeholder: "22" },
      { key: "source.username", label: "SFTP user", kind: "text", required: true, show_when: SFTP },
      {
        key: "source.path",
        label: "Folder",
        kind: "text",
        required: true,
        show_when: LOCAL,
        placeholder: "/srv/orders",
        hint: "The directory (or remote folder) the order files are dropped in.",
      },
      {
        key: "source.host_key_fingerprint",
        label: "Host key fingerprint",
        kind: "text",
        show_when: SFTP,
        placeholder: "SHA256:…",
        hint: "Optional. When set, a server with any other key is refused.",
      },
      { key: "source.url", label: "File URL", kind: "url", required: true, show_when: URL_SOURCE, placeholder: "https://erp.example.com/orders.csv" },
      {
        key: "format",
        label: "File format",
        kind: "select",
        default: "csv",
        options: [
          { value: "csv", label: "CSV" },
          { value: "json", label: "JSON (an array of canonical orders)" },
          { value: "jsonl", label: "JSON Lines (one canonical order per line)" },
        ],
      },
      {
        key: "layout",
        label: "CSV layout",
        kind: "columns",
        show_when: CSV,
        default: "default",
        options: [
          { value: "default", label: "Our layout (one row per line item)" },
          { value: "shopify", label: "Shopify order export" },
          { value: "custom", label: "Custom: map your column headers" },
        ],
        column_fields: FILE_LAYOUT_FIELDS,
        required_columns: FILE_REQUIRED_COLUMNS,
        hint: "See docs/file-channel.md for our layout's columns.",
      },
      {
        key: "delimiter",
        label: "CSV delimiter",
        kind: "select",
        show_when: CSV,
        default: ",",
        options: [
          { value: ",", label: "Comma (,)" },
          { value: ";", label: "Semicolon (;)" },
          { value: "|", label: "Pipe (|)" },
          { value: "\t", label: "Tab" },
        ],
      },
      { key: "page_size", label: "Orders per page", kind: "number", placeholder: "200", hint: "1 to 2000 orders are staged and decided at a time." },
      {
        key: "file_pattern",
        label: "Files to read (pattern)",
        kind: "text",
        placeholder: "^orders-.*\\.csv$",
        hint: "A regular expression. Leave empty for the format's extension (.csv/.txt, .json, .jsonl/.ndjson).",
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
export function parseFieldValue(field: ConnectionField, raw: FieldValue | undefined): unknown {
  if (field.kind === "boolean") return Boolean(raw)
  if (field.kind === "checkboxes") return Array.isArray(raw) ? (raw as unknown[]).filter((v): v is string => typeof v === "string") : undefined
  if (field.kind === "columns") {
    if (Array.isArray(raw)) {
      const columns: Record<string, string> = {}
      for (const r of raw as ColumnRow[]) if (r && r.field && r.header?.trim()) columns[r.field] = r.header.trim()
      return { columns }
    }
    return typeof raw === "string" && raw ? raw : undefined
  }
  // Secrets are sent as typed (a key's line breaks, a password's spaces), other text trimmed.
  if ((field.kind === "secret" || field.kind === "secret_textarea") && typeof raw === "string") return raw.trim() ? raw : undefined
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
  if (field.kind === "checkboxes" && Array.isArray(value)) {
    return value.length ? value.map((v) => field.options?.find((o) => o.value === v)?.label ?? String(v)).join(", ") : "None"
  }
  if (field.kind === "columns" && value && typeof value === "object") {
    const n = Object.keys((value as { columns?: object }).columns ?? {}).length
    return `Custom (${n} column${n === 1 ? "" : "s"} mapped)`
  }
  if (field.kind === "select" || field.kind === "columns") return field.options?.find((o) => o.value === value)?.label ?? String(value)
  return String(value)
}

/** A (possibly nested, dotted) setting's stored value. */
export function storedValue(settings: Record<string, unknown> | null | undefined, key: string): unknown {
  let v: unknown = settings ?? undefined
  for (const part of key.split(".")) v = v && typeof v === "object" ? (v as Record<string, unknown>)[part] : undefined
  return v
}

/** The value a form shows for a field: what was typed, else its default. */
export function currentValue(field: ConnectionField, values: FieldValues): FieldValue | undefined {
  const v = values[field.key]
  return v === undefined && field.default !== undefined ? field.default : v
}

/** Whether a field is shown (and sent) with these values; `context` holds the other form's (settings for credentials). */
export function isShown(field: ConnectionField, values: FieldValues, context: FieldValues = {}, all: ConnectionField[] = []): boolean {
  if (!field.show_when) return true
  const other = all.find((f) => f.key === field.show_when!.key)
  const v = field.show_when.key in values ? values[field.show_when.key] : field.show_when.key in context ? context[field.show_when.key] : other?.default
  return typeof v === "string" && field.show_when.values.includes(v)
}

/** The form's values for these fields from stored settings (never for credentials: they are write-only). */
export function formValuesOf(fields: ConnectionField[], settings: Record<string, unknown> | null | undefined): FieldValues {
  const out: FieldValues = {}
  for (const f of fields) {
    const v = storedValue(settings, f.key)
    if (f.kind === "secret" || f.kind === "secret_textarea") out[f.key] = "" // write-only: never pre-filled
    else if (f.kind === "boolean") out[f.key] = Boolean(v)
    else if (f.kind === "checkboxes") {
      if (Array.isArray(v)) out[f.key] = v.filter((x): x is string => typeof x === "string")
    } else if (f.kind === "columns") {
      if (v && typeof v === "object" && (v as any).columns && typeof (v as any).columns === "object") {
        out[f.key] = Object.entries((v as { columns: Record<string, unknown> }).columns).map(([field, header]) => ({ field, header: String(header ?? "") }))
      } else if (typeof v === "string") out[f.key] = v
    } else if (f.kind === "select") {
      if (v !== undefined && v !== null && v !== "") out[f.key] = String(v)
    } else out[f.key] = formatFieldValue(f, v)
  }
  return out
}

/**
 * The settings a form sends: dotted keys grouped into their object (sent whole: the API replaces a
 * top-level setting), hidden fields left out. `clear` sends null for an emptied top-level field (an
 * update), otherwise it is left out (a create).
 */
export function settingsOf(fields: ConnectionField[], values: FieldValues, opts: { clear: boolean }): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of fields) {
    const [top, ...rest] = f.key.split(".")
    const shown = isShown(f, values, {}, fields)
    let v = shown ? parseFieldValue(f, currentValue(f, values)) : undefined
    // An untouched select or checkbox group on a create keeps the API's default by not sending it.
    if (!opts.clear && values[f.key] === undefined && f.kind !== "boolean" && !rest.length) v = undefined
    if (f.kind === "boolean" && !opts.clear && values[f.key] === undefined) v = undefined
    if (rest.length) {
      const group = (out[top] && typeof out[top] === "object" ? out[top] : (out[top] = {})) as Record<string, unknown>
      if (v !== undefined) group[rest.join(".")] = v
    } else if (v !== undefined) out[top] = v
    else if (opts.clear) out[top] = null
  }
  return out
}

/** The settings' fields a change of which needs the credentials again (see ProviderForm.credentialTarget). */
export function credentialTargetChanged(form: ProviderForm, stored: Record<string, unknown>, next: Record<string, unknown>): boolean {
  if (!form.credentialTarget) {
    return ["base_url", "auth_url"].some((k) => k in next && (next[k] ?? null) !== (stored[k] ?? null))
  }
  const after = form.credentialTarget({ ...stored, ...next })
  return after !== null && after !== form.credentialTarget(stored)
}

/** The credentials typed in for the shown fields; undefined when none was. */
export function credentialsOf(form: ProviderForm, values: FieldValues, settings: FieldValues): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {}
  for (const f of form.credentials) {
    if (!isShown(f, values, settings, form.settings)) continue
    const v = parseFieldValue(f, values[f.key])
    if (v !== undefined) out[f.key] = v
  }
  return Object.keys(out).length ? out : undefined
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
