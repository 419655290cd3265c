/** Builds CSV files as Shopify's admin exports them (test fixtures, shared with the HTTP tests). */
export const SHOPIFY_HEADERS = [
  "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at", "Accepts Marketing", "Currency",
  "Subtotal", "Shipping", "Taxes", "Total", "Discount Code", "Discount Amount", "Shipping Method", "Created at",
  "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem compare at price", "Lineitem sku", "Lineitem requires shipping",
  "Lineitem taxable", "Lineitem fulfillment status", "Billing Name", "Billing Street", "Billing Address1", "Billing Address2",
  "Billing Company", "Billing City", "Billing Zip", "Billing Province", "Billing Country", "Billing Phone", "Shipping Name",
  "Shipping Street", "Shipping Address1", "Shipping Address2", "Shipping Company", "Shipping City", "Shipping Zip",
  "Shipping Province", "Shipping Country", "Shipping Phone", "Notes", "Note Attributes", "Cancelled at", "Payment Method",
  "Payment Reference", "Refunded Amount", "Vendor", "Outstanding Balance", "Employee", "Location", "Device ID", "Id", "Tags",
  "Risk Level", "Source", "Lineitem discount", "Tax 1 Name", "Tax 1 Value", "Tax 2 Name", "Tax 2 Value", "Tax 3 Name",
  "Tax 3 Value", "Tax 4 Name", "Tax 4 Value", "Tax 5 Name", "Tax 5 Value", "Phone", "Receipt Number", "Duplicates",
  "Payment ID", "Payment Terms Name", "Next Payment Due At", "Payment References",
]

const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)

export type ShopifyLine = { name: string; quantity: string; price: string; sku?: string; discount?: string; fulfillment?: string }

/**
 * One Shopify order's rows: the order's fields on the first row only, one row per line item.
 * `order` takes Shopify's column names.
 */
export function shopifyOrderRows(order: Record<string, string>, lines: ShopifyLine[]): Array<Record<string, string>> {
  return lines.map((l, i) => ({
    ...(i === 0 ? order : { Name: order.Name, Email: order.Email ?? "" }),
    "Lineitem quantity": l.quantity,
    "Lineitem name": l.name,
    "Lineitem price": l.price,
    "Lineitem sku": l.sku ?? "",
    "Lineitem discount": l.discount ?? "0.00",
    "Lineitem requires shipping": "true",
    "Lineitem taxable": "true",
    "Lineitem fulfillment status": l.fulfillment ?? "fulfilled",
  }))
}

/** A whole export: BOM, CRLF line ends, every column (trailing ones empty), like the real file. */
export function shopifyCsv(rows: Array<Record<string, string>>): string {
  const lines = [SHOPIFY_HEADERS.join(","), ...rows.map((r) => SHOPIFY_HEADERS.map((h) => quote(r[h] ?? "")).join(","))]
  return `\uFEFF${lines.join("\r\n")}\r\n`
}

/** A Shopify order as `shopifyOrderRows` takes it (tax-exclusive, paid and fulfilled). */
export function shopifyOrder(name: string, over: Record<string, string> = {}): Record<string, string> {
  return {
    Name: name,
    Email: `${name.replace(/\W/g, "").toLowerCase()}@shop.example`,
    "Financial Status": "paid",
    "Paid at": "2024-01-15 10:25:00 +0100",
    "Fulfillment Status": "fulfilled",
    "Fulfilled at": "2024-01-16 09:00:00 +0100",
    "Accepts Marketing": "no",
    Currency: "EUR",
    "Shipping Method": "Standard",
    "Created at": "2024-01-15 10:23:45 +0100",
    "Billing Name": "Grace Hopper",
    "Billing Address1": "Hauptstraße 1",
    "Billing City": "Berlin",
    "Billing Zip": "10115",
    "Billing Country": "DE",
    "Shipping Name": "Grace Hopper",
    "Shipping Address1": "Hauptstraße 1",
    "Shipping City": "Berlin",
    "Shipping Zip": "10115",
    "Shipping Country": "DE",
    "Payment Method": "shopify_payments",
    Id: "5551234567",
    Source: "web",
    ...over,
  }
}

/** Our default layout (docs/file-channel.md), one row per line, order fields on every row. */
export const DEFAULT_HEADERS = [
  "order_id", "status", "created_at", "currency", "email", "customer_first_name", "customer_last_name", "prices_include_tax",
  "payment_status", "shipping_method", "shipping_price", "shipping_tax", "total", "tax_total", "tags", "notes",
  "line_id", "sku", "title", "quantity", "unit_price", "line_discount", "line_tax",
  "ship_first_name", "ship_last_name", "ship_address_1", "ship_city", "ship_postal_code", "ship_country", "ship_phone",
]

export function defaultCsv(rows: Array<Record<string, string>>, headers = DEFAULT_HEADERS): string {
  return [headers.join(","), ...rows.map((r) => headers.map((h) => quote(r[h] ?? "")).join(","))].join("\n") + "\n"
}

/** One default-layout order: `lines` are [sku, quantity, unit price, line tax]. */
export function defaultOrderRows(id: string, lines: Array<[string, string, string, string?]>, over: Record<string, string> = {}): Array<Record<string, string>> {
  return lines.map(([sku, quantity, price, tax], i) => ({
    order_id: id,
    status: "paid",
    created_at: "2024-03-01T10:00:00Z",
    currency: "EUR",
    email: `${id.toLowerCase()}@buyers.example`,
    customer_first_name: "Ada",
    customer_last_name: "Lovelace",
    prices_include_tax: "false",
    payment_status: "paid",
    shipping_method: "standard",
    shipping_price: "4.90",
    shipping_tax: "0",
    line_id: `${id}-${i + 1}`,
    sku,
    title: `Item ${sku}`,
    quantity,
    unit_price: price,
    line_discount: "0",
    line_tax: tax ?? "0",
    ship_first_name: "Ada",
    ship_last_name: "Lovelace",
    ship_address_1: "Hauptstraße 1",
    ship_city: "Berlin",
    ship_postal_code: "10115",
    ship_country: "DE",
    ship_phone: "+49 30 1234567",
    ...over,
  }))
}
