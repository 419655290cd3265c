import type { Readable } from "stream"
import readline from "readline"
import { parse } from "csv-parse"

export type StatusImportFormat = "csv" | "json" | "jsonl"
export const IMPORT_STATUSES = ["shipped", "canceled", "delivered"] as const
export type ImportStatus = (typeof IMPORT_STATUSES)[number]

/** One row of a status file, read and checked. */
export type StatusRow = {
  /** 1-based data row (CSV: the header is not counted; JSON: the element; JSON Lines: the line). */
  row: number
  external_id: string | null
  display_id: number | null
  channel_id: string | null
  status: ImportStatus
  tracking_number: string | null
  tracking_url: string | null
  carrier: string | null
  shipped_at: string | null
  /** The lines to ship (all unshipped lines when empty): by SKU or marketplace line id. */
  items: Array<{ sku?: string; external_item_id?: string; quantity: number }>
}

export class RowError extends Error {
  constructor(
    readonly code: "invalid_row" | "unknown_order" | "ambiguous_order" | "impossible_transition" | "unknown_item" | "on_hold" | "status_failed",
    message: string
  ) {
    super(message)
    this.name = "RowError"
  }
}

const STATUS_WORDS: Record<string, ImportStatus> = {
  shipped: "shipped",
  ship: "shipped",
  sent: "shipped",
  canceled: "canceled",
  cancelled: "canceled",
  cancel: "canceled",
  delivered: "delivered",
}

const str = (v: unknown) => (v === null || v === undefined || String(v).trim() === "" ? null : String(v).trim())

/** `SKU-1:2;SKU-2:1` (CSV) or `[{ sku, quantity }]` (JSON) → lines. */
function parseItems(raw: unknown): StatusRow["items"] {
  if (raw === null || raw === undefined || raw === "") return []
  if (Array.isArray(raw)) {
    return raw.map((i: any, n) => {
      const quantity = Number(i?.quantity ?? 1)
      const sku = str(i?.sku)
      const external_item_id = str(i?.external_item_id ?? i?.external_id)
      if (!sku && !external_item_id) throw new RowError("invalid_row", `items[${n}] has neither sku nor external_item_id`)
      if (!Number.isInteger(quantity) || quantity < 1) throw new RowError("invalid_row", `items[${n}] has an invalid quantity`)
      return { ...(sku ? { sku } : {}), ...(external_item_id ? { external_item_id } : {}), quantity }
    })
  }
  return String(raw)
    .split(/[;|]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^(.+?)(?:\s*[:x×]\s*(\d+))?$/.exec(part)
      const quantity = m?.[2] ? Number(m[2]) : 1
      if (!m || quantity < 1) throw new RowError("invalid_row", `items: "${part}" is not SKU:quantity`)
      return { sku: m[1].trim(), quantity }
    })
}

/** A raw record (CSV columns or a JSON object) → a checked row; throws RowError naming what is wrong. */
export function toStatusRow(raw: Record<string, unknown>, row: number): StatusRow {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new RowError("invalid_row", "not an object")
  const external_id = str(raw.external_id ?? raw.external_order_id)
  const displayRaw = str(raw.display_id ?? raw.order_number)
  let display_id: number | null = null
  if (displayRaw !== null) {
    display_id = Number(displayRaw.replace(/^#/, ""))
    if (!Number.isInteger(display_id) || display_id < 1) throw new RowError("invalid_row", `display_id "${displayRaw}" is not an order number`)
  }
  if (!external_id && display_id === null) throw new RowError("invalid_row", "neither external_id nor display_id is given")
  const statusRaw = str(raw.status)
  const status = statusRaw ? STATUS_WORDS[statusRaw.toLowerCase()] : undefined
  if (!status) throw new RowError("invalid_row", `status "${statusRaw ?? ""}" is not one of ${IMPORT_STATUSES.join(", ")}`)
  const shipped_at = str(raw.shipped_at)
  if (shipped_at && Number.isNaN(Date.parse(shipped_at))) throw new RowError("invalid_row", `shipped_at "${shipped_at}" is not a date`)
  return {
    row,
    external_id,
    display_id,
    channel_id: str(raw.channel_id),
    status,
    tracking_number: str(raw.tracking_number ?? raw.tracking),
    tracking_url: str(raw.tracking_url),
    carrier: str(raw.carrier),
    shipped_at,
    items: parseItems(raw.items),
  }
}

export type ParsedRow = { row: number; value?: StatusRow; error?: RowError }

/** Rows of a status file, streamed (CSV, JSON Lines) or read whole (JSON: an array, or `{ rows: [...] }`). */
export async function* statusRows(body: Readable, format: StatusImportFormat): AsyncGenerator<ParsedRow> {
  const one = (raw: unknown, row: number): ParsedRow => {
    try {
      return { row, value: toStatusRow(raw as Record<string, unknown>, row) }
    } catch (e) {
      return { row, error: e instanceof RowError ? e : new RowError("invalid_row", String((e as Error)?.message ?? e)) }
    }
  }
  if (format === "csv") {
    const parser = body.pipe(parse({ columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), bom: true, trim: true, skip_empty_lines: true, relax_column_count: true }))
    let n = 0
    for await (const record of parser) yield one(record, ++n)
    return
  }
  if (format === "jsonl") {
    const lines = readline.createInterface({ input: body, crlfDelay: Infinity })
    let n = 0
    for await (const line of lines) {
      n++
      if (!line.trim()) continue
      let raw: unknown
      try {
        raw = JSON.parse(line)
      } catch (e) {
        yield { row: n, error: new RowError("invalid_row", `not JSON: ${(e as Error).message}`) }
        continue
      }
      yield one(raw, n)
    }
    return
  }
  const chunks: Buffer[] = []
  for await (const c of body) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c))
  const parsed = JSON.parse(Buffer.concat(chunks).toString("utf8").replace(/^\uFEFF/, ""))
  const rows = Array.isArray(parsed) ? parsed : Array.isArray(parsed?.rows) ? parsed.rows : null
  if (!rows) throw new RowError("invalid_row", "a JSON status file holds an array of rows (or { rows: [...] })")
  let n = 0
  for (const raw of rows) yield one(raw, ++n)
}

/** File names a status import reads, by format. */
export const STATUS_FILE_PATTERN: Record<StatusImportFormat, RegExp> = {
  csv: /\.(csv|txt)$/i,
  json: /\.json$/i,
  jsonl: /\.(jsonl|ndjson)$/i,
}
