import { Readable } from "stream"
import { exportStream, itemCsvRows, orderCsvRow, ORDER_COLUMNS, type ExportedOrder } from "../export-format"
import { splitLocationSecrets, presentLocation } from "../locations"
import { statusRows, toStatusRow, RowError } from "../status-rows"

const collect = async (r: Readable) => {
  const chunks: Buffer[] = []
  for await (const c of r) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c))
  return Buffer.concat(chunks).toString("utf8")
}

describe("status rows", () => {
  it("reads CSV rows, numbering data rows from 1, and reports each bad row without stopping", async () => {
    const csv = "External_ID,display_id,status,tracking_number,items\nA-1,,shipped,T1,SKU-1:2;SKU-2\n,#12,Cancelled,,\nA-3,,flying,,\n,,shipped,,\n"
    const rows = []
    for await (const r of statusRows(Readable.from([csv]), "csv")) rows.push(r)
    expect(rows[0].value).toMatchObject({ row: 1, external_id: "A-1", status: "shipped", tracking_number: "T1", items: [{ sku: "SKU-1", quantity: 2 }, { sku: "SKU-2", quantity: 1 }] })
    expect(rows[1].value).toMatchObject({ row: 2, display_id: 12, status: "canceled" })
    expect(rows.slice(2).map((r) => [r.row, r.error?.code])).toEqual([[3, "invalid_row"], [4, "invalid_row"]])
  })

  it("reads JSON arrays and JSON Lines; a line that is not JSON is one bad row", async () => {
    const json = JSON.stringify([{ external_id: "J-1", status: "delivered" }])
    const a = []
    for await (const r of statusRows(Readable.from([json]), "json")) a.push(r)
    expect(a[0].value).toMatchObject({ row: 1, external_id: "J-1", status: "delivered" })
    const jsonl = '{"display_id": 5, "status": "shipped", "items": [{"sku": "X", "quantity": 3}]}\nnot json\n'
    const b = []
    for await (const r of statusRows(Readable.from([jsonl]), "jsonl")) b.push(r)
    expect(b[0].value).toMatchObject({ display_id: 5, items: [{ sku: "X", quantity: 3 }] })
    expect(b[1]).toMatchObject({ row: 2, error: expect.any(RowError) })
  })

  it("refuses dates and quantities it cannot read", () => {
    expect(() => toStatusRow({ external_id: "A", status: "shipped", shipped_at: "yesterday" }, 1)).toThrow(/shipped_at/)
    expect(() => toStatusRow({ external_id: "A", status: "shipped", items: [{ sku: "X", quantity: 0 }] }, 1)).toThrow(/quantity/)
  })
})

describe("export files", () => {
  const order: ExportedOrder = {
    id: "order_1",
    display_id: 7,
    external_id: "E-1",
    channel_id: "chan_1",
    channel: "Sandbox, \"EU\"",
    status: "pending",
    fulfillment_status: "not_fulfilled",
    payment_status: "captured",
    on_hold: false,
    tags: ["vip", "b2b"],
    email: "a@b.example",
    currency_code: "eur",
    created_at: "2026-12-04T10:00:00.000Z",
    updated_at: "2026-12-04T10:00:00.000Z",
    subtotal: 88.7,
    discount_total: 0,
    shipping_total: 4.9,
    tax_total: 0,
    total: 93.6,
    shipping_address: null,
    billing_address: null,
    shipping_methods: [{ name: "Standard", amount: 4.9, total: 4.9 }],
    items: [
      { id: "li_1", sku: "A", title: "A", variant_title: null, external_item_id: "E-1-L1", quantity: 2, unit_price: 19.9, subtotal: 39.8, discount_total: 0, tax_total: 0, total: 39.8 },
      { id: "li_2", sku: "B", title: "B", variant_title: null, external_item_id: "E-1-L2", quantity: 1, unit_price: 48.9, subtotal: 48.9, discount_total: 0, tax_total: 0, total: 48.9 },
    ],
  }
  async function* pages() {
    yield [order]
  }

  it("writes the order row and the line rows from the order's own amounts", () => {
    const row = orderCsvRow(order)
    expect(row).toHaveLength(ORDER_COLUMNS.length)
    expect(row[ORDER_COLUMNS.indexOf("total")]).toBe("93.6")
    expect(row[ORDER_COLUMNS.indexOf("item_count")]).toBe("3")
    expect(row[ORDER_COLUMNS.indexOf("tags")]).toBe("vip;b2b")
    expect(itemCsvRows(order).map((r) => r[r.length - 1])).toEqual(["39.8", "48.9"])
  })

  it("streams CSV with quoting, a JSON array and JSON Lines", async () => {
    const csv = await collect(exportStream("csv", pages()))
    expect(csv.split("\n")[0]).toMatch(/^order_id,display_id,external_id,channel,/)
    expect(csv).toContain('"Sandbox, ""EU"""')
    expect(JSON.parse(await collect(exportStream("json", pages())))[0].total).toBe(93.6)
    async function* none() {}
    expect(JSON.parse(await collect(exportStream("json", none())))).toEqual([])
    expect((await collect(exportStream("jsonl", pages()))).trim().split("\n")).toHaveLength(1)
  })
})

describe("locations", () => {
  it("keeps secrets out of the stored location, whether inline or in credentials", () => {
    const { location, secrets } = splitLocationSecrets({ type: "sftp", host: "h", username: "u", path: "/", password: "pw" }, { private_key: "K" })
    expect(location).toEqual({ type: "sftp", host: "h", username: "u", path: "/" })
    expect(secrets).toEqual({ password: "pw", private_key: "K" })
    expect(splitLocationSecrets({ type: "directory", path: "/x" }).secrets).toBeNull()
    expect(presentLocation({ type: "url", url: "https://x", authorization: "Bearer y" })).toEqual({ type: "url", url: "https://x" })
  })
})
