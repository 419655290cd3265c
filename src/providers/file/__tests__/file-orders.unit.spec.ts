import { Readable } from "node:stream"
import { parseCanonicalOrder } from "../../../modules/channel/types/canonical-order"
import { allocate, fromScaled, toScaled } from "../decimal"
import { fileOrders, type FileItem } from "../file-orders"
import { inferTaxInclusive, parseFileDate } from "../mappers"
import { readJsonArray } from "../readers"
import { FileChannelProvider } from "../service"
import { parseFileSettings } from "../settings"
import { defaultCsv, defaultOrderRows, shopifyCsv, shopifyOrder, shopifyOrderRows } from "./fixtures"

const provider = new FileChannelProvider({}, {})
const dir = { type: "directory", path: "/tmp" }

async function read(text: string, settings: Record<string, unknown>, chunk = 7): Promise<FileItem[]> {
  const config = parseFileSettings({ source: dir, ...settings })
  // Small chunks: records and JSON elements cross chunk boundaries.
  const parts: string[] = []
  for (let i = 0; i < text.length; i += chunk) parts.push(text.slice(i, i + chunk))
  const out: FileItem[] = []
  for await (const item of fileOrders(Readable.from(parts), "orders.csv", config)) out.push(item)
  return out
}

const normalize = (item: FileItem, settings: Record<string, unknown> = {}) => {
  const order = provider.normalize(item.raw, { settings: { source: dir, ...settings } })
  const parsed = parseCanonicalOrder(order)
  if (!parsed.success) throw new Error(parsed.message)
  return parsed.order
}

describe("exact decimals", () => {
  it("parses, formats and allocates without float rounding", () => {
    expect(fromScaled(toScaled("19.99")! * 3n)).toBe("59.97")
    expect(fromScaled(toScaled(" 0.1 ")! + toScaled("0.2")!)).toBe("0.3")
    expect(toScaled("1,5")).toBeNull()
    const parts = allocate(toScaled("10.00")!, [toScaled("1")!, toScaled("1")!, toScaled("1")!])
    expect(parts.map(fromScaled)).toEqual(["3.34", "3.33", "3.33"])
    expect(fromScaled(parts.reduce((a, b) => a + b, 0n))).toBe("10")
  })

  it("reads Shopify's and ISO dates", () => {
    expect(parseFileDate("2024-01-15 10:23:45 +0100")).toBe("2024-01-15T09:23:45.000Z")
    expect(parseFileDate("2024-01-15T10:23:45Z")).toBe("2024-01-15T10:23:45.000Z")
    expect(parseFileDate("2024-01-15")).toBe("2024-01-15T00:00:00.000Z")
    expect(parseFileDate("yesterday")).toBeNull()
  })
})

describe("default layout", () => {
  it("groups rows by order id and maps every amount exactly", async () => {
    const csv = defaultCsv([
      ...defaultOrderRows("A-1", [["TSHIRT-M", "2", "19.99", "7.60"], ["MUG", "1", "8.405", "1.60"]], { total: "62.465", tax_total: "9.20", tags: "vip, wholesale" }),
      ...defaultOrderRows("A-2", [["MUG", " 3 ", "8.40"]]),
    ])
    const items = await read(csv, { format: "csv" })
    expect(items.map((i) => [i.raw?.external_id, i.raw?.rows?.map((r) => r.row), i.errors])).toEqual([
      ["A-1", [2, 3], []],
      ["A-2", [4], []],
    ])
    const order = normalize(items[0])
    expect(order.items.map((i) => [i.sku, i.quantity, i.unit_price, i.tax_total])).toEqual([
      ["TSHIRT-M", 2, 19.99, 7.6],
      ["MUG", 1, 8.405, 1.6],
    ])
    expect(order.shipping.price).toBe(4.9)
    expect(order.totals).toEqual({ total: 62.465, tax_total: 9.2 })
    expect(order.tags).toEqual(["vip", "wholesale"])
    expect(order.created_at).toBe("2024-03-01T10:00:00.000Z")
    expect(normalize(items[1]).items[0].quantity).toBe(3)
  })

  it("a bad row fails its own order with the row and column; the others read", async () => {
    const csv = defaultCsv([
      ...defaultOrderRows("B-1", [["MUG", "1", "8.40"]]),
      ...defaultOrderRows("B-2", [["MUG", "1", "8.40"], ["TSHIRT-M", "two", "19.90"]]),
      ...defaultOrderRows("B-3", [["MUG", "1", "8.40"]]),
    ])
    const items = await read(csv, { format: "csv" })
    expect(items.map((i) => i.errors.length)).toEqual([0, 1, 0])
    expect(items[1].errors[0]).toEqual({ row: 4, column: "quantity", reason: '"two" is not a whole number', order: "B-2" })
    let thrown: any
    try {
      provider.normalize(items[1].raw, { settings: { source: dir } })
    } catch (e) {
      thrown = e
    }
    expect(thrown).toMatchObject({ code: "invalid_payload", data: { row: 4, column: "quantity", file: "orders.csv" } })
    expect(thrown.message).toContain("row 4")
  })

  it("rows without an order id continue the order above; an order whose rows are apart is refused", async () => {
    const rows = [
      ...defaultOrderRows("C-1", [["MUG", "1", "8.40"]]),
      { ...defaultOrderRows("C-1", [["TSHIRT-M", "1", "19.90"]])[0], order_id: "" },
      ...defaultOrderRows("C-2", [["MUG", "1", "8.40"]]),
      ...defaultOrderRows("C-1", [["MUG", "1", "8.40"]]),
    ]
    const items = await read(defaultCsv(rows), { format: "csv" })
    expect(items.map((i) => [i.raw?.external_id, i.raw?.rows?.length])).toEqual([
      ["C-1", 2],
      ["C-2", 1],
      ["C-1", 1],
    ])
    expect(items[2].errors[0].reason).toMatch(/must be together/)
  })

  it("a custom mapping reads someone else's headers, and unknown fields are refused naming them", async () => {
    const layout = { columns: { order_id: "Order No", currency: "Curr", title: "Article", quantity: "Qty", unit_price: "Price", sku: "Art.-Nr.", created_at: "Date", status: "State" } }
    const csv = "Order No;Date;Curr;Art.-Nr.;Article;Qty;Price;State\nX1;2024-05-01;EUR;MUG;Mug, blue;2;8.40;shipped\n"
    const items = await read(csv, { format: "csv", layout, delimiter: ";" })
    expect(items[0].errors).toEqual([])
    expect(items[0].raw?.status).toBe("shipped")
    const order = normalize(items[0], { layout })
    expect(order.items[0]).toMatchObject({ sku: "MUG", title: "Mug, blue", quantity: 2, unit_price: 8.4 })
    expect(() => parseFileSettings({ source: dir, format: "csv", layout: { columns: { ...layout.columns, colour: "Farbe", sizee: "x" } } })).toThrow(
      /Unknown fields in settings.layout.columns: colour, sizee/
    )
  })
})

describe("Shopify export", () => {
  it("groups by Name, tolerates BOM, CRLF, quoted newlines, commas, empty sku and padded quantities", async () => {
    const csv = shopifyCsv([
      ...shopifyOrderRows(
        shopifyOrder("#1001", { Subtotal: "49.80", Shipping: "4.90", Taxes: "10.39", Total: "65.09", Tags: "wholesale, VIP", Notes: "Leave at the door,\r\nplease", "Billing Name": "Hopper, Grace" }),
        [
          { name: "T-Shirt, size M", quantity: " 2 ", price: "19.90", sku: "TSHIRT-M" },
          { name: "Gift card", quantity: "1", price: "10.00", sku: "" },
        ]
      ),
      ...shopifyOrderRows(shopifyOrder("#1002", { Subtotal: "8.40", Shipping: "0.00", Taxes: "1.34", Total: "8.40", "Tax 1 Name": "DE MwSt 19%", "Tax 1 Value": "1.34" }), [
        { name: "Mug", quantity: "1", price: "8.40", sku: "MUG" },
      ]),
    ])
    const items = await read(csv, { format: "csv", layout: "shopify" })
    expect(items.map((i) => [i.raw?.external_id, i.raw?.status, i.errors])).toEqual([
      ["#1001", "shipped", []],
      ["#1002", "shipped", []],
    ])
    const a = normalize(items[0], { layout: "shopify" })
    expect(a.prices_include_tax).toBe(false)
    expect(a.items.map((i) => [i.sku ?? null, i.quantity, i.unit_price, i.tax_total])).toEqual([
      ["TSHIRT-M", 2, 19.9, 7.56],
      [null, 1, 10, 1.9],
    ])
    expect(a.shipping).toMatchObject({ price: 4.9, tax_total: 0.93, service_code: "Standard" })
    expect(a.totals).toEqual({ total: 65.09, tax_total: 10.39 })
    expect(a.tags).toEqual(["wholesale", "VIP"])
    expect(a.notes).toBe("Leave at the door,\r\nplease")
    expect(a.created_at).toBe("2024-01-15T09:23:45.000Z")
    expect(a.billing_address?.country_code).toBe("DE")
    // Tax-inclusive: Total = Subtotal + Shipping.
    const b = normalize(items[1], { layout: "shopify" })
    expect(b.prices_include_tax).toBe(true)
    expect(b.items[0]).toMatchObject({ unit_price: 8.4, tax_total: 1.34, tax_rate: 19 })
  })

  it("infers tax-inclusive prices from the figures", () => {
    const s = (v: string) => toScaled(v)!
    expect(inferTaxInclusive({ subtotal: s("100"), shipping: s("5"), taxes: s("19.95"), total: s("124.95") })).toBe(false)
    expect(inferTaxInclusive({ subtotal: s("100"), shipping: s("5"), taxes: s("16.76"), total: s("105") })).toBe(true)
    expect(inferTaxInclusive({ subtotal: s("100"), shipping: s("5"), taxes: s("0"), total: s("105") })).toBe(false)
  })

  it("spreads the order's discount code over the lines so the total stays Shopify's", async () => {
    const csv = shopifyCsv(
      shopifyOrderRows(shopifyOrder("#2001", { Subtotal: "27.00", Shipping: "3.00", Taxes: "0", Total: "30.00", "Discount Code": "WELCOME10", "Discount Amount": "3.00" }), [
        { name: "A", quantity: "1", price: "20.00", sku: "A" },
        { name: "B", quantity: "1", price: "10.00", sku: "B" },
      ])
    )
    const [item] = await read(csv, { format: "csv", layout: "shopify" })
    const o = normalize(item, { layout: "shopify" })
    expect(o.items.map((i) => i.discount_total)).toEqual([2, 1])
    expect(o.items[0].discounts[0]).toMatchObject({ code: "WELCOME10", amount: 2 })
  })

  it("maps financial and fulfillment states onto the file statuses", async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ "Financial Status": "paid", "Fulfillment Status": "unfulfilled" }, "paid"],
      [{ "Financial Status": "pending", "Fulfillment Status": "" }, "pending"],
      [{ "Financial Status": "authorized", "Fulfillment Status": "" }, "authorized"],
      [{ "Financial Status": "paid", "Fulfillment Status": "partial" }, "partially_shipped"],
      [{ "Financial Status": "refunded", "Fulfillment Status": "fulfilled" }, "refunded"],
      [{ "Financial Status": "voided" }, "canceled"],
      [{ "Financial Status": "paid", "Cancelled at": "2024-01-17 08:00:00 +0100" }, "canceled"],
    ]
    const rows = cases.flatMap(([over], i) => shopifyOrderRows(shopifyOrder(`#30${i}`, { Subtotal: "1.00", Shipping: "0", Taxes: "0", Total: "1.00", ...over }), [{ name: "X", quantity: "1", price: "1.00" }]))
    const items = await read(shopifyCsv(rows), { format: "csv", layout: "shopify" })
    expect(items.map((i) => i.raw?.status)).toEqual(cases.map(([, s]) => s))
    expect(provider.defaultStatusRules().find((r) => r.external_status === "shipped")?.action).toBe("import_as_history")
  })

  it("a bad line names its row and Shopify column", async () => {
    const csv = shopifyCsv(
      shopifyOrderRows(shopifyOrder("#4001", { Subtotal: "1.00", Shipping: "0", Taxes: "0", Total: "1.00" }), [
        { name: "A", quantity: "1", price: "1.00" },
        { name: "B", quantity: "1", price: "abc" },
      ])
    )
    const [item] = await read(csv, { format: "csv", layout: "shopify" })
    expect(item.errors).toEqual([{ row: 3, column: "Lineitem price", reason: expect.stringMatching(/"abc" is not an amount/), order: "#4001" }])
  })
})

describe("JSON and JSON Lines", () => {
  const order = (id: string) => ({ external_id: id, status: "paid", created_at: "2024-01-01T00:00:00Z", updated_at: "2024-01-01T00:00:00Z", currency_code: "eur", items: [{ external_id: `${id}-1`, title: "Mug, \"blue\" ]}", quantity: 1, unit_price: "8.40" }] })

  it("streams a JSON array element by element, strings with brackets included", async () => {
    const text = `\uFEFF[ ${JSON.stringify(order("J1"))},\n${JSON.stringify(order("J2"))} ]\n`
    const items = await read(text, { format: "json" }, 5)
    expect(items.map((i) => [i.raw?.external_id, i.raw?.element?.index, i.errors])).toEqual([
      ["J1", 1, []],
      ["J2", 2, []],
    ])
    expect(normalize(items[0]).items[0].title).toBe('Mug, "blue" ]}')
    const texts: string[] = []
    for await (const e of readJsonArray(Readable.from(['[{"a":[1,2]},', '"x",3]']))) texts.push(e.text)
    expect(texts).toEqual(['{"a":[1,2]}', '"x"', "3"])
  })

  it("reads JSON Lines; a broken line or an order without id is reported with its line", async () => {
    const text = [JSON.stringify(order("L1")), "", "{not json", JSON.stringify({ ...order("L3"), external_id: "" }), JSON.stringify(order("L4"))].join("\r\n")
    const items = await read(text, { format: "jsonl" })
    expect(items.map((i) => [i.raw?.external_id ?? null, i.errors.map((e) => e.row)])).toEqual([
      ["L1", []],
      [null, [3]],
      [null, [4]],
      ["L4", []],
    ])
  })

  it("a file cut short ends with a fatal item; the orders before it still count", async () => {
    const items = await read(`[${JSON.stringify(order("K1"))}, {"external_id": "K2"`, { format: "json" })
    expect(items[0].raw?.external_id).toBe("K1")
    expect(items.at(-1)).toMatchObject({ fatal: true })
  })
})

describe("file channel settings", () => {
  it("validates the source and names what is wrong", () => {
    expect(() => provider.validateSettings({ source: { type: "ftp" } }, {})).toThrow(/settings.source.type/)
    expect(() => provider.validateSettings({ source: { type: "sftp", host: "h", username: "u", path: "/in" } }, {})).toThrow(/password or credentials.private_key/)
    expect(() => provider.validateSettings({ source: { type: "directory", path: "/x", hots: 1 } }, {})).toThrow(/settings.source.hots/)
    expect(() => provider.validateSettings({ source: { type: "url", url: "https://u:p@x.example/o.csv" } }, {})).toThrow(/must not carry a user/)
    const ok: Record<string, any> = { source: { type: "sftp", host: "h", username: "u", path: "/in" } }
    provider.validateSettings(ok, { private_key: "k" })
    expect(ok).toMatchObject({ format: "csv", layout: "default" })
  })

  it("the account is the source, stable across channels", () => {
    const a = provider.accountIdentity({ settings: { source: { type: "sftp", host: "SFTP.example.com", username: "shop", path: "/in/" } }, credentials: {} })
    const b = provider.accountIdentity({ settings: { source: { type: "sftp", host: "sftp.example.com", username: "shop", path: "/in", port: 22 } }, credentials: { password: "x" } })
    expect(a).toBe(b)
    expect(a).toBe("sftp:shop@sftp.example.com:22/in")
  })
})

describe("docs/examples/orders-default.csv", () => {
  it("reads without a problem, and its totals add up", async () => {
    const text = require("node:fs").readFileSync(require("node:path").join(__dirname, "..", "..", "..", "..", "docs", "examples", "orders-default.csv"), "utf8")
    const items = await read(text, { format: "csv" })
    expect(items.map((i) => [i.raw?.external_id, i.errors])).toEqual([
      ["WEB-1001", []],
      ["WEB-1002", []],
    ])
    const [a, b] = items.map((i) => normalize(i))
    expect(a.prices_include_tax).toBe(true)
    expect(a.items.map((i) => i.unit_price)).toEqual([19.9, 16.975])
    expect(a.notes).toBe("Please ring twice,\nthen wait")
    expect(b.status).toBe("shipped")
    expect(b.created_at).toBe("2024-02-11T08:30:00.000Z")
    expect(b.items[0].shipped_quantity).toBe(1)
  })
})
