import type { Readable } from "node:stream"
import { FileTransferError } from "../../file-transfer"
import { parseCanonicalOrder } from "../../modules/channel/types/canonical-order"
import { headerOf, identityOf, mapFileOrder, orderKeyColumn, orderKeyOf, type FileRawOrder } from "./mappers"
import { readCsvRows, readJsonArray, readJsonLines, type CsvRow, type RowError } from "./readers"
import type { FileChannelConfig, FileLayout } from "./settings"

/**
 * One order read from a file (`raw` to stage), or something that cannot be staged (a row without an
 * order id, a JSON element that does not parse, a file that breaks off): `raw` is then absent. Either
 * way `errors` says what the report names.
 */
export type FileItem = { raw?: FileRawOrder; errors: RowError[]; fatal?: boolean }

const layoutName = (layout: FileLayout): FileRawOrder["layout"] => (layout.kind === "custom" ? "custom" : layout.kind)

/** Every problem of an order, as the import will see them: the layout's row checks, then the canonical order's. */
export function validateFileOrder(raw: FileRawOrder, layout: FileLayout): RowError[] {
  const { order, errors } = mapFileOrder(raw, layout)
  if (errors.length) return errors.map((e) => ({ ...e, order: raw.external_id }))
  const parsed = parseCanonicalOrder(order)
  if (parsed.success) return []
  return parsed.issues.map((i) => ({ ...issueLocation(raw, layout, i.path), reason: i.message, order: raw.external_id }))
}

/** Canonical item and order fields → the layout field (default/custom) or Shopify column they are read from. */
const ITEM_FIELDS: Record<string, string> = { external_id: "line_id", title: "title", sku: "sku", quantity: "quantity", shipped_quantity: "shipped_quantity", unit_price: "unit_price", discount_total: "line_discount", tax_total: "line_tax", tax_rate: "line_tax_rate" }
const ORDER_FIELDS: Record<string, string> = { external_id: "order_id", status: "status", created_at: "created_at", updated_at: "updated_at", currency_code: "currency", email: "email", "shipping.price": "shipping_price", "shipping.tax_total": "shipping_tax", "totals.total": "total", "totals.tax_total": "tax_total" }
const SHOPIFY_ITEM_COLUMNS: Record<string, string> = { title: "Lineitem name", sku: "Lineitem sku", quantity: "Lineitem quantity", unit_price: "Lineitem price", discount_total: "Lineitem discount" }
const SHOPIFY_ORDER_COLUMNS: Record<string, string> = { external_id: "Name", created_at: "Created at", currency_code: "Currency", email: "Email", "shipping.price": "Shipping", "totals.total": "Total", "totals.tax_total": "Taxes" }

/**
 * Where a canonical-order issue sits in the file: `items.2.unit_price` of a CSV order is the row of its
 * third line and the column it was read from; other issues name the order's first row (or the JSON
 * element) and keep the field's path when no column holds it.
 */
export function issueLocation(raw: FileRawOrder, layout: FileLayout, path: string): { row: number; column: string } {
  const first = raw.rows?.[0]?.row ?? raw.element?.index ?? 0
  if (!raw.rows) return { row: first, column: path }
  const item = /^items\.(\d+)\.([a-z_]+)/.exec(path)
  const shopify = layout.kind === "shopify"
  const field = item ? (shopify ? SHOPIFY_ITEM_COLUMNS : ITEM_FIELDS)[item[2]] : (shopify ? SHOPIFY_ORDER_COLUMNS : ORDER_FIELDS)[path]
  const column = field ? (shopify ? field : (headerOf(layout, field) ?? field)) : path
  const row = item && raw.rows[Number(item[1])] ? raw.rows[Number(item[1])].row : first
  return { row, column }
}

async function* csvOrders(stream: Readable, file: string, config: FileChannelConfig): AsyncGenerator<FileItem> {
  const layout = config.layout
  const keyColumn = orderKeyColumn(layout)
  const seen = new Map<string, number>()
  let group: CsvRow[] = []
  let key = ""
  const flush = (): FileItem | null => {
    if (!group.length) return null
    const rows = group
    group = []
    const problems: RowError[] = []
    const earlier = seen.get(key)
    if (earlier !== undefined) {
      problems.push({ row: rows[0].row, column: keyColumn, reason: `rows of order ${key} must be together (its earlier rows end at row ${earlier})`, order: key })
    }
    seen.set(key, rows[rows.length - 1].row)
    const identity = identityOf(layout, rows)
    const raw: FileRawOrder = {
      source: "file",
      file,
      format: "csv",
      layout: layoutName(layout),
      external_id: key,
      status: identity.status,
      updated_at: identity.updated_at,
      rows,
      ...(problems.length ? { problems } : {}),
    }
    return { raw, errors: validateFileOrder(raw, layout) }
  }
  for await (const row of readCsvRows(stream, { delimiter: config.delimiter })) {
    const k = orderKeyOf(layout, row)
    // A row without an order id continues the order above it (order fields on its first row only).
    if (!k && group.length) {
      group.push(row)
      continue
    }
    if (!k) {
      yield { errors: [{ row: row.row, column: keyColumn, reason: "is empty: the row belongs to no order" }] }
      continue
    }
    if (k !== key && group.length) {
      const item = flush()
      if (item) yield item
    }
    key = k
    group.push(row)
  }
  const last = flush()
  if (last) yield last
}

async function* jsonOrders(stream: Readable, file: string, config: FileChannelConfig): AsyncGenerator<FileItem> {
  const elements = config.format === "jsonl" ? readJsonLines(stream) : readJsonArray(stream)
  const what = config.format === "jsonl" ? "line" : "element"
  for await (const { index, text } of elements) {
    let value: any
    try {
      value = JSON.parse(text)
    } catch (e: any) {
      yield { errors: [{ row: index, column: null, reason: `${what} ${index} is not valid JSON: ${e?.message ?? e}` }] }
      continue
    }
    const id = value && typeof value === "object" && typeof value.external_id === "string" ? value.external_id.trim() : typeof value?.external_id === "number" ? String(value.external_id) : ""
    if (!id) {
      yield { errors: [{ row: index, column: "external_id", reason: "is required" }] }
      continue
    }
    const raw: FileRawOrder = {
      source: "file",
      file,
      format: config.format,
      layout: "canonical",
      external_id: id,
      status: typeof value.status === "string" && value.status ? value.status : "paid",
      updated_at: typeof value.updated_at === "string" ? value.updated_at : typeof value.created_at === "string" ? value.created_at : null,
      element: { index, value: { ...value, external_id: id } },
    }
    yield { raw, errors: validateFileOrder(raw, config.layout) }
  }
}

/**
 * The orders of one file, streamed. A file that cannot be parsed further (a broken quote, a JSON
 * array cut short) ends with a `fatal` item naming where; the orders before it still count. Errors
 * of the transport itself (a dropped SFTP connection) are thrown: the run fails and resumes later.
 */
export async function* fileOrders(stream: Readable, file: string, config: FileChannelConfig): AsyncGenerator<FileItem> {
  const inner = config.format === "csv" ? csvOrders(stream, file, config) : jsonOrders(stream, file, config)
  try {
    for await (const item of inner) yield item
  } catch (e: any) {
    if (e instanceof FileTransferError || (e?.code && /^E[A-Z]+$/.test(String(e.code)))) throw e
    const row = Number(e?.lines ?? e?.info?.lines) || 0
    yield { errors: [{ row, column: null, reason: `the file cannot be read past this point: ${e?.message ?? e}` }], fatal: true }
  } finally {
    stream.destroy()
  }
}
