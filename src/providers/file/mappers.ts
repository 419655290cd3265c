import type { CanonicalAddress, CanonicalOrderInput } from "../../modules/channel/types/canonical-order"
import { allocate, decimalsOf, fromScaled, times, toScaled } from "./decimal"
import type { CsvRow, RowError } from "./readers"
import type { DefaultLayoutField, FileFormat, FileLayout } from "./settings"

/**
 * What the file channel stages for one order: the rows (or JSON element) exactly as the file had
 * them, plus where they came from and the few facts staging needs. Mapping happens later
 * (`normalize`), so a fixed mapping or mapper re-reads the same raw payload.
 */
export type FileRawOrder = {
  source: "file"
  file: string
  format: FileFormat
  layout: "default" | "shopify" | "custom" | "canonical"
  external_id: string
  status: string
  updated_at: string | null
  /** CSV: the order's rows, with their row numbers (header = row 1). */
  rows?: CsvRow[]
  /** JSON / JSON Lines: the element's index (1-based) or line number, and its value. */
  element?: { index: number; value: unknown }
  /** Found while reading (rows of one order that are not together). */
  problems?: RowError[]
}

export type MappedOrder = { order: CanonicalOrderInput; errors: RowError[] }

// ---- cells -----------------------------------------------------------------------------------

type Cell = { row: number; column: string; value: string }

/** Reads cells by our field name; `header` says which column holds a field (null: the layout has none). */
class Cells {
  constructor(
    private readonly rows: CsvRow[],
    private readonly header: (field: string) => string | null,
    readonly errors: RowError[]
  ) {}

  column(field: string): string {
    return this.header(field) ?? field
  }

  /** A cell of one row, trimmed. */
  at(r: CsvRow, field: string): Cell {
    const column = this.header(field)
    return { row: r.row, column: column ?? field, value: column ? String(r.values[column] ?? "").trim() : "" }
  }

  /** An order-level field: the first row that has it (exports repeat it or leave later rows empty). */
  order(field: string): Cell {
    for (const r of this.rows) {
      const c = this.at(r, field)
      if (c.value) return c
    }
    return { row: this.rows[0]?.row ?? 0, column: this.column(field), value: "" }
  }

  fail(c: Cell, reason: string): void {
    this.errors.push({ row: c.row, column: c.column, reason })
  }

  /** A decimal amount as its exact string, or null when empty; a bad one is an error. */
  money(c: Cell, opts: { required?: boolean; negative?: boolean } = {}): string | null {
    if (!c.value) {
      if (opts.required) this.fail(c, "is required")
      return null
    }
    const v = c.value.replace(/^\+/, "")
    const n = toScaled(v)
    if (n === null) {
      this.fail(c, `"${c.value}" is not an amount (digits with a dot for decimals, e.g. 19.90)`)
      return null
    }
    if (n < 0n && !opts.negative) {
      this.fail(c, `"${c.value}" must not be negative`)
      return null
    }
    return fromScaled(n)
  }

  int(c: Cell, opts: { required?: boolean; min?: number } = {}): number | null {
    if (!c.value) {
      if (opts.required) this.fail(c, "is required")
      return null
    }
    if (!/^-?\d+$/.test(c.value)) {
      this.fail(c, `"${c.value}" is not a whole number`)
      return null
    }
    const n = Number(c.value)
    if (opts.min !== undefined && n < opts.min) {
      this.fail(c, `${n} must be at least ${opts.min}`)
      return null
    }
    return n
  }

  rate(c: Cell): number | null {
    if (!c.value) return null
    const v = c.value.replace(/%$/, "").trim()
    if (toScaled(v) === null || Number(v) < 0) {
      this.fail(c, `"${c.value}" is not a tax rate in percent (e.g. 19)`)
      return null
    }
    return Number(v)
  }

  date(c: Cell, opts: { required?: boolean } = {}): string | null {
    if (!c.value) {
      if (opts.required) this.fail(c, "is required")
      return null
    }
    const iso = parseFileDate(c.value)
    if (!iso) this.fail(c, `"${c.value}" is not a date (e.g. 2024-01-15 10:23:45 +0100 or 2024-01-15T09:23:45Z)`)
    return iso
  }

  bool(c: Cell): boolean | null {
    if (!c.value) return null
    const v = c.value.toLowerCase()
    if (["true", "yes", "y", "1"].includes(v)) return true
    if (["false", "no", "n", "0"].includes(v)) return false
    this.fail(c, `"${c.value}" is not true or false`)
    return null
  }
}

/** "2024-01-15 10:23:45 +0100", "2024-01-15T10:23:45Z", "2024-01-15" → ISO UTC; null when unreadable. */
export function parseFileDate(value: string): string | null {
  const v = value.trim()
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i.exec(v)
  let d: Date
  if (m) {
    const time = m[2] ? (m[2].length === 4 || m[2].length === 7 ? `0${m[2]}` : m[2]) : "00:00:00"
    const tz = !m[3] || /^(z|utc)$/i.test(m[3]) ? "Z" : m[3].includes(":") ? m[3] : `${m[3].slice(0, 3)}:${m[3].slice(3)}`
    d = new Date(`${m[1]}T${time.length === 5 ? `${time}:00` : time}${tz}`)
  } else {
    if (!/\d{4}/.test(v)) return null
    d = new Date(v)
  }
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}

const splitTags = (v: string) =>
  v
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean)

function splitName(name: string): { first_name: string | null; last_name: string | null } {
  const parts = name.trim().split(/\s+/).filter(Boolean)
  if (!parts.length) return { first_name: null, last_name: null }
  if (parts.length === 1) return { first_name: parts[0], last_name: null }
  return { first_name: parts[0], last_name: parts.slice(1).join(" ") }
}

const orNull = (v: string) => (v ? v : null)

// ---- default and custom layout ---------------------------------------------------------------

/** The column header of one of our fields in a layout (custom: the admin's mapping). */
export function headerOf(layout: FileLayout, field: string): string | null {
  if (layout.kind === "custom") return layout.columns[field as DefaultLayoutField] ?? null
  return field
}

/** The order key of a CSV row: the column that groups rows into orders. */
export function orderKeyOf(layout: FileLayout, row: CsvRow): string {
  const column = layout.kind === "shopify" ? "Name" : headerOf(layout, "order_id")
  return column ? String(row.values[column] ?? "").trim() : ""
}

export function orderKeyColumn(layout: FileLayout): string {
  return layout.kind === "shopify" ? "Name" : (headerOf(layout, "order_id") ?? "order_id")
}

/** The status and last update of a CSV order, read without full validation (for staging). */
export function identityOf(layout: FileLayout, rows: CsvRow[]): { status: string; updated_at: string | null } {
  if (layout.kind === "shopify") {
    const first = rows[0]?.values ?? {}
    const get = (k: string) => String(first[k] ?? "").trim()
    return { status: shopifyStatus(get), updated_at: shopifyUpdatedAt(get) }
  }
  const cells = new Cells(rows, (f) => headerOf(layout, f), [])
  const status = cells.order("status").value.toLowerCase() || "paid"
  const updated = parseFileDate(cells.order("updated_at").value) ?? parseFileDate(cells.order("created_at").value)
  return { status, updated_at: updated }
}

function address(cells: Cells, prefix: "ship" | "bill"): CanonicalAddress | null {
  const f = (k: string) => cells.order(`${prefix}_${k}`).value
  const a = {
    first_name: orNull(f("first_name")),
    last_name: orNull(f("last_name")),
    company: orNull(f("company")),
    address_1: orNull(f("address_1")),
    address_2: orNull(f("address_2")),
    city: orNull(f("city")),
    province: orNull(f("province")),
    postal_code: orNull(f("postal_code")),
    country_code: orNull(f("country")),
    phone: orNull(f("phone")),
  }
  return Object.values(a).some((v) => v !== null) ? a : null
}

/** Our own layout (or a custom mapping onto it): one row per line item, order fields on the first row or repeated. */
export function mapDefaultLayout(raw: FileRawOrder, layout: FileLayout): MappedOrder {
  const rows = raw.rows ?? []
  const errors: RowError[] = []
  const cells = new Cells(rows, (f) => headerOf(layout, f), errors)
  const externalId = raw.external_id
  const created = cells.date(cells.order("created_at"), { required: true })
  const updated = cells.date(cells.order("updated_at")) ?? created
  const currency = cells.order("currency")
  if (!currency.value) cells.fail(currency, "is required")
  else if (!/^[A-Za-z]{3}$/.test(currency.value)) cells.fail(currency, `"${currency.value}" is not an ISO-4217 currency code`)
  const payment = cells.order("payment_status")
  const paymentStatus = !payment.value ? "paid" : ["paid", "captured"].includes(payment.value.toLowerCase()) ? "paid" : ["pending", "unpaid", "not_paid", "authorized"].includes(payment.value.toLowerCase()) ? "pending" : null
  if (payment.value && !paymentStatus) cells.fail(payment, `"${payment.value}" is not paid or pending`)

  const items = rows.map((r, i) => {
    const title = cells.at(r, "title")
    const sku = cells.at(r, "sku")
    if (!title.value && !sku.value) cells.fail(title, "is required (or a sku)")
    const quantity = cells.int(cells.at(r, "quantity"), { required: true, min: 1 })
    const shipped = cells.int(cells.at(r, "shipped_quantity"), { min: 0 })
    if (shipped !== null && quantity !== null && shipped > quantity) cells.fail(cells.at(r, "shipped_quantity"), `${shipped} is more than the quantity ${quantity}`)
    return {
      external_id: cells.at(r, "line_id").value || `${externalId}-${i + 1}`,
      sku: orNull(sku.value),
      title: title.value || sku.value || "?",
      quantity: quantity ?? 1,
      shipped_quantity: shipped ?? 0,
      unit_price: cells.money(cells.at(r, "unit_price"), { required: true }) ?? "0",
      discount_total: cells.money(cells.at(r, "line_discount")) ?? "0",
      tax_total: cells.money(cells.at(r, "line_tax")) ?? "0",
      tax_rate: cells.rate(cells.at(r, "line_tax_rate")),
    }
  })

  const shippingMethod = cells.order("shipping_method").value
  const total = cells.money(cells.order("total"))
  const taxTotal = cells.money(cells.order("tax_total"))
  const bill = address(cells, "bill")
  const ship = address(cells, "ship")
  const order: CanonicalOrderInput = {
    external_id: externalId,
    status: raw.status,
    created_at: created ?? new Date(0).toISOString(),
    updated_at: updated ?? created ?? new Date(0).toISOString(),
    currency_code: currency.value || "xxx",
    email: orNull(cells.order("email").value),
    customer: {
      first_name: orNull(cells.order("customer_first_name").value) ?? bill?.first_name ?? ship?.first_name ?? null,
      last_name: orNull(cells.order("customer_last_name").value) ?? bill?.last_name ?? ship?.last_name ?? null,
      phone: orNull(cells.order("customer_phone").value),
    },
    shipping_address: ship,
    billing_address: bill,
    items: items as any,
    shipping: {
      service_code: orNull(shippingMethod),
      name: orNull(cells.order("shipping_name").value) ?? orNull(shippingMethod),
      price: (cells.money(cells.order("shipping_price")) ?? "0") as any,
      discount_total: (cells.money(cells.order("shipping_discount")) ?? "0") as any,
      tax_total: (cells.money(cells.order("shipping_tax")) ?? "0") as any,
      tax_rate: cells.rate(cells.order("shipping_tax_rate")),
    },
    prices_include_tax: cells.bool(cells.order("prices_include_tax")) ?? false,
    totals: { ...(total !== null ? { total: total as any } : {}), ...(taxTotal !== null ? { tax_total: taxTotal as any } : {}) },
    payment_status: paymentStatus ?? "paid",
    payment_method: orNull(cells.order("payment_method").value),
    notes: orNull(cells.order("notes").value),
    tags: splitTags(cells.order("tags").value),
    custom_fields: { source_file: raw.file, source_rows: rows.map((r) => r.row) },
  }
  return { order, errors }
}

// ---- Shopify ---------------------------------------------------------------------------------

type Get = (column: string) => string

function shopifyStatus(get: Get): string {
  const financial = get("Financial Status").toLowerCase()
  const fulfillment = get("Fulfillment Status").toLowerCase()
  if (get("Cancelled at") || financial === "voided") return "canceled"
  if (financial === "refunded" || fulfillment === "restocked") return "refunded"
  if (financial === "pending" || financial === "partially_paid") return "pending"
  if (fulfillment === "fulfilled") return "shipped"
  if (fulfillment === "partial") return "partially_shipped"
  if (financial === "authorized") return "authorized"
  return "paid"
}

function shopifyUpdatedAt(get: Get): string | null {
  const dates = ["Created at", "Paid at", "Fulfilled at", "Cancelled at"].map((c) => parseFileDate(get(c))).filter((d): d is string => !!d)
  return dates.length ? dates.sort().at(-1)! : null
}

/**
 * Whether a Shopify order's prices include tax, from its own figures: `Total = Subtotal + Shipping +
 * Taxes` when they do not, `Total = Subtotal + Shipping` when they do. An order that fits neither
 * is read as tax-exclusive and its `Total` kept, so the import's reconciliation holds it.
 */
export function inferTaxInclusive(f: { subtotal: bigint; shipping: bigint; taxes: bigint; total: bigint }): boolean {
  if (f.taxes === 0n) return false
  if (f.subtotal + f.shipping + f.taxes === f.total) return false
  return f.subtotal + f.shipping === f.total
}

/**
 * Shopify's admin order export: one row per line item, the order's fields on the first row of each
 * `Name`. `Lineitem price` is the unit price, `Lineitem discount` the line's own discount, `Subtotal`
 * the items after discounts, `Taxes` the order's tax (spread over the lines and shipping, to the
 * cent, in proportion to their amounts), `Discount Amount` the order's discount (what `Subtotal`
 * lacks beyond the line discounts is spread over the lines).
 */
export function mapShopify(raw: FileRawOrder): MappedOrder {
  const rows = raw.rows ?? []
  const errors: RowError[] = []
  const cells = new Cells(rows, (c) => c, errors)
  const first = rows[0]?.values ?? {}
  const get: Get = (k) => String(first[k] ?? "").trim()
  const o = (k: string) => cells.order(k)

  const created = cells.date(o("Created at"), { required: true })
  const currency = o("Currency")
  if (!currency.value) cells.fail(currency, "is required")
  else if (!/^[A-Za-z]{3}$/.test(currency.value)) cells.fail(currency, `"${currency.value}" is not an ISO-4217 currency code`)

  const lines = rows.map((r, i) => {
    const name = cells.at(r, "Lineitem name")
    if (!name.value) cells.fail(name, "is required")
    const quantity = cells.int(cells.at(r, "Lineitem quantity"), { required: true, min: 1 }) ?? 0
    const price = cells.money(cells.at(r, "Lineitem price"), { required: true })
    const discount = cells.money(cells.at(r, "Lineitem discount"))
    const fulfilled = cells.at(r, "Lineitem fulfillment status").value.toLowerCase() === "fulfilled"
    return {
      row: r,
      i,
      title: name.value || "?",
      sku: orNull(cells.at(r, "Lineitem sku").value),
      quantity,
      price: toScaled(price ?? "0")!,
      discount: toScaled(discount ?? "0")!,
      fulfilled,
    }
  })

  const subtotalCell = o("Subtotal")
  const shippingCell = o("Shipping")
  const taxesCell = o("Taxes")
  const totalCell = o("Total")
  const shipping = toScaled(cells.money(shippingCell) ?? "0")!
  const taxes = toScaled(cells.money(taxesCell) ?? "0")!
  const totalText = cells.money(totalCell, { required: true })
  const gross = lines.reduce((s, l) => s + times(l.price, l.quantity), 0n)
  const lineDiscounts = lines.reduce((s, l) => s + l.discount, 0n)
  const subtotalText = cells.money(subtotalCell)
  const subtotal = subtotalText !== null ? toScaled(subtotalText)! : gross - lineDiscounts
  const total = totalText !== null ? toScaled(totalText)! : subtotal + shipping + taxes

  // What the subtotal lacks beyond the lines' own discounts is the order's discount (a code).
  const orderDiscount = gross - lineDiscounts - subtotal
  const nets = lines.map((l) => times(l.price, l.quantity) - l.discount)
  const extra = orderDiscount > 0n ? allocate(orderDiscount, nets, 2) : lines.map(() => 0n)
  const discountCode = orNull(get("Discount Code"))
  const inclusive = inferTaxInclusive({ subtotal, shipping, taxes, total })
  const taxDecimals = Math.max(2, decimalsOf(taxesCell.value || "0"))
  const lineNets = nets.map((n, i) => n - extra[i])
  const taxShares = taxes > 0n ? allocate(taxes, [...lineNets, shipping], taxDecimals) : [...lineNets, shipping].map(() => 0n)

  // One named tax ("VAT 19%") gives the nominal rate.
  const taxNames = [1, 2, 3, 4, 5].map((n) => get(`Tax ${n} Name`)).filter(Boolean)
  const rateMatch = taxNames.length === 1 ? /(\d+(?:\.\d+)?)\s*%/.exec(taxNames[0]) : null
  const taxRate = rateMatch ? Number(rateMatch[1]) : null
  const taxLine = (amount: bigint) => (taxNames.length === 1 && amount > 0n ? [{ name: taxNames[0], rate: taxRate, amount: fromScaled(amount) as any }] : [])

  const status = raw.status
  const partial = status === "partially_shipped"
  const items = lines.map((l, i) => {
    const discount = l.discount + extra[i]
    return {
      external_id: `${raw.external_id}-${i + 1}`,
      sku: l.sku,
      title: l.title,
      quantity: l.quantity || 1,
      shipped_quantity: partial && l.fulfilled ? l.quantity : 0,
      unit_price: fromScaled(l.price) as any,
      discount_total: fromScaled(discount) as any,
      discounts: discount > 0n ? [{ code: discountCode, name: discountCode ?? "Discount", amount: fromScaled(discount) as any }] : [],
      tax_total: fromScaled(taxShares[i]) as any,
      tax_rate: taxRate,
      tax_lines: taxLine(taxShares[i]),
    }
  })

  const addr = (kind: "Billing" | "Shipping"): CanonicalAddress | null => {
    const g = (k: string) => get(`${kind} ${k}`)
    const name = splitName(g("Name"))
    const a = {
      ...name,
      company: orNull(g("Company")),
      address_1: orNull(g("Address1")) ?? orNull(g("Street")),
      address_2: orNull(g("Address2")),
      city: orNull(g("City")),
      province: orNull(g("Province")),
      postal_code: orNull(g("Zip").replace(/^'/, "")),
      country_code: orNull(g("Country")),
      phone: orNull(g("Phone").replace(/^'/, "")),
    }
    return Object.values(a).some((v) => v !== null) ? a : null
  }
  const billing = addr("Billing")
  const shippingAddress = addr("Shipping")
  const financial = get("Financial Status").toLowerCase()
  const noteAttributes = get("Note Attributes")
  const method = get("Shipping Method")

  const order: CanonicalOrderInput = {
    external_id: raw.external_id,
    status,
    created_at: created ?? new Date(0).toISOString(),
    updated_at: raw.updated_at ?? created ?? new Date(0).toISOString(),
    currency_code: currency.value || "xxx",
    email: orNull(get("Email")),
    customer: {
      first_name: billing?.first_name ?? shippingAddress?.first_name ?? null,
      last_name: billing?.last_name ?? shippingAddress?.last_name ?? null,
      phone: orNull(get("Phone").replace(/^'/, "")) ?? billing?.phone ?? null,
    },
    shipping_address: shippingAddress ?? billing,
    billing_address: billing,
    items: items as any,
    shipping: {
      service_code: orNull(method),
      name: orNull(method),
      price: fromScaled(shipping) as any,
      tax_total: fromScaled(taxShares[lines.length] ?? 0n) as any,
      tax_rate: taxRate,
      tax_lines: taxLine(taxShares[lines.length] ?? 0n),
    },
    prices_include_tax: inclusive,
    totals: { total: fromScaled(total) as any, tax_total: fromScaled(taxes) as any },
    payment_status: ["pending", "authorized", "partially_paid"].includes(financial) ? "pending" : "paid",
    payment_method: orNull(get("Payment Method")),
    notes: orNull(get("Notes")),
    tags: splitTags(get("Tags")),
    custom_fields: {
      source_file: raw.file,
      source_rows: rows.map((r) => r.row),
      ...(get("Id") ? { shopify_id: get("Id") } : {}),
      ...(get("Financial Status") ? { financial_status: get("Financial Status") } : {}),
      ...(get("Fulfillment Status") ? { fulfillment_status: get("Fulfillment Status") } : {}),
      ...(noteAttributes ? { note_attributes: noteAttributes } : {}),
      ...(get("Source") ? { source: get("Source") } : {}),
      ...(get("Payment Reference") ? { payment_reference: get("Payment Reference") } : {}),
    },
  }
  return { order, errors }
}

/** The canonical order of a staged file payload, with every row problem found on the way. */
export function mapFileOrder(raw: FileRawOrder, layout: FileLayout): MappedOrder {
  const problems = raw.problems ?? []
  if (raw.element) {
    const value = raw.element.value as Record<string, any>
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      return { order: {} as CanonicalOrderInput, errors: [...problems, { row: raw.element.index, column: null, reason: "is not an order object" }] }
    }
    return { order: value as CanonicalOrderInput, errors: problems }
  }
  const mapped = layout.kind === "shopify" ? mapShopify(raw) : mapDefaultLayout(raw, layout)
  return { order: mapped.order, errors: [...problems, ...mapped.errors] }
}
