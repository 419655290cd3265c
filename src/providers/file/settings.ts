import { ChannelProviderError } from "../../modules/channel/errors"
import type { FileLocation, FileLocationSecrets } from "../../file-transfer/types"

export const FILE_FORMATS = ["csv", "json", "jsonl"] as const
export type FileFormat = (typeof FILE_FORMATS)[number]

/**
 * Our own CSV layout's columns (docs/file-channel.md). A custom layout maps these names to the
 * headers of someone else's file: `{ columns: { order_id: "Order No", sku: "Article" } }`.
 */
export const DEFAULT_LAYOUT_FIELDS = [
  "order_id",
  "status",
  "created_at",
  "updated_at",
  "currency",
  "email",
  "customer_first_name",
  "customer_last_name",
  "customer_phone",
  "prices_include_tax",
  "payment_status",
  "payment_method",
  "notes",
  "tags",
  "total",
  "tax_total",
  "shipping_method",
  "shipping_name",
  "shipping_price",
  "shipping_discount",
  "shipping_tax",
  "shipping_tax_rate",
  "line_id",
  "sku",
  "title",
  "quantity",
  "shipped_quantity",
  "unit_price",
  "line_discount",
  "line_tax",
  "line_tax_rate",
  "ship_first_name",
  "ship_last_name",
  "ship_company",
  "ship_address_1",
  "ship_address_2",
  "ship_city",
  "ship_province",
  "ship_postal_code",
  "ship_country",
  "ship_phone",
  "bill_first_name",
  "bill_last_name",
  "bill_company",
  "bill_address_1",
  "bill_address_2",
  "bill_city",
  "bill_province",
  "bill_postal_code",
  "bill_country",
  "bill_phone",
] as const
export type DefaultLayoutField = (typeof DEFAULT_LAYOUT_FIELDS)[number]

/** Fields a custom layout must map: without them no order can be read. */
export const REQUIRED_FIELDS: DefaultLayoutField[] = ["order_id", "currency", "title", "quantity", "unit_price"]

export type FileLayout = { kind: "default" } | { kind: "shopify" } | { kind: "custom"; columns: Partial<Record<DefaultLayoutField, string>> }

export type FileChannelConfig = {
  source: FileLocation
  format: FileFormat
  layout: FileLayout
  /** Orders per page of a pull (each page is staged and decided before the next is read). */
  page_size: number
  /** Only files whose name matches (a regular expression); default: by the format's extension. */
  file_pattern: RegExp
  delimiter: string
}

const fail = (message: string): never => {
  throw new ChannelProviderError("invalid_settings", message)
}

function nonEmpty(v: unknown, name: string): string {
  if (typeof v !== "string" || !v.trim()) fail(`${name} is required`)
  return (v as string).trim()
}

export function parseSource(source: unknown): FileLocation {
  if (!source || typeof source !== "object") return fail('settings.source is required: { type: "directory" | "sftp" | "url", … }')
  const s = source as Record<string, any>
  const known: Record<string, string[]> = {
    directory: ["type", "path"],
    sftp: ["type", "host", "port", "username", "path", "host_key_fingerprint"],
    url: ["type", "url"],
  }
  if (!known[s.type]) return fail('settings.source.type must be "directory", "sftp" or "url"')
  const unknown = Object.keys(s).filter((k) => !known[s.type].includes(k))
  if (unknown.length) fail(`Unknown settings.source key${unknown.length > 1 ? "s" : ""} for a ${s.type} source: ${unknown.map((k) => `settings.source.${k}`).join(", ")}`)
  if (s.type === "directory") return { type: "directory", path: nonEmpty(s.path, "settings.source.path") }
  if (s.type === "url") {
    const url = nonEmpty(s.url, "settings.source.url")
    let parsed: URL | null = null
    try {
      parsed = new URL(url)
    } catch {
      parsed = null
    }
    if (!parsed || !["http:", "https:"].includes(parsed.protocol)) fail("settings.source.url must be an absolute http(s) URL")
    if (parsed!.username || parsed!.password) fail("settings.source.url must not carry a user or password: set credentials.authorization instead")
    return { type: "url", url }
  }
  const port = s.port === undefined || s.port === null || s.port === "" ? 22 : Number(s.port)
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail("settings.source.port must be a port number (1-65535)")
  return {
    type: "sftp",
    host: nonEmpty(s.host, "settings.source.host"),
    port,
    username: nonEmpty(s.username, "settings.source.username"),
    path: nonEmpty(s.path, "settings.source.path"),
    ...(s.host_key_fingerprint ? { host_key_fingerprint: String(s.host_key_fingerprint).trim() } : {}),
  }
}

export function parseLayout(layout: unknown, format: FileFormat): FileLayout {
  if (layout === undefined || layout === null || layout === "default") return { kind: "default" }
  if (layout === "shopify") {
    if (format !== "csv") fail('settings.layout "shopify" needs settings.format "csv"')
    return { kind: "shopify" }
  }
  if (typeof layout === "object" && layout && "columns" in (layout as any)) {
    if (format !== "csv") fail("settings.layout.columns (a custom column mapping) needs settings.format \"csv\"")
    const extra = Object.keys(layout as object).filter((k) => k !== "columns")
    if (extra.length) fail(`Unknown settings.layout keys: ${extra.map((k) => `settings.layout.${k}`).join(", ")}`)
    const columns = (layout as any).columns
    if (!columns || typeof columns !== "object" || Array.isArray(columns)) fail("settings.layout.columns must map our field names to your column headers")
    const known = new Set<string>(DEFAULT_LAYOUT_FIELDS)
    const unknown = Object.keys(columns).filter((k) => !known.has(k))
    if (unknown.length) {
      fail(`Unknown field${unknown.length > 1 ? "s" : ""} in settings.layout.columns: ${unknown.join(", ")} (fields: ${DEFAULT_LAYOUT_FIELDS.join(", ")})`)
    }
    const bad = Object.entries(columns).filter(([, v]) => typeof v !== "string" || !(v as string).trim())
    if (bad.length) fail(`settings.layout.columns must name a column header for: ${bad.map(([k]) => k).join(", ")}`)
    const missing = REQUIRED_FIELDS.filter((f) => !(f in columns))
    if (missing.length) fail(`settings.layout.columns must map the required field${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}`)
    return { kind: "custom", columns: Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, String(v).trim()])) }
  }
  return fail('settings.layout must be "default", "shopify" or { columns: { <field>: "<column header>" } }')
}

/** The file channel's settings, validated; throws ChannelProviderError("invalid_settings") naming what is wrong. */
export function parseFileSettings(settings: Record<string, any>): FileChannelConfig {
  const source = parseSource(settings.source)
  const format = (settings.format ?? "csv") as FileFormat
  if (!FILE_FORMATS.includes(format)) fail('settings.format must be "csv", "json" or "jsonl"')
  const layout = parseLayout(settings.layout, format)
  const pageSize = settings.page_size === undefined || settings.page_size === null ? 200 : Number(settings.page_size)
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 2000) fail("settings.page_size must be a whole number from 1 to 2000")
  let pattern: RegExp
  if (settings.file_pattern !== undefined && settings.file_pattern !== null && settings.file_pattern !== "") {
    try {
      pattern = new RegExp(String(settings.file_pattern), "i")
    } catch {
      return fail("settings.file_pattern must be a regular expression")
    }
  } else {
    pattern = format === "csv" ? /\.(csv|txt)$/i : format === "json" ? /\.json$/i : /\.(jsonl|ndjson)$/i
  }
  const delimiter = settings.delimiter === undefined || settings.delimiter === null || settings.delimiter === "" ? "," : String(settings.delimiter)
  if (![",", ";", "\t", "|"].includes(delimiter)) fail('settings.delimiter must be ",", ";", "|" or a tab')
  return { source, format, layout, page_size: pageSize, file_pattern: pattern, delimiter }
}

export function secretsOf(credentials: Record<string, any>): FileLocationSecrets {
  const pick = (v: unknown) => (typeof v === "string" && v ? v : undefined)
  return {
    password: pick(credentials.password),
    private_key: pick(credentials.private_key),
    passphrase: pick(credentials.passphrase),
    authorization: pick(credentials.authorization),
  }
}
