import { demoCatalogue } from "../../src/scripts/demo-catalogue"
import { demoOrder, externalId, orderBook, TICK_MS } from "../marketplaces"

const EPOCH = new Date("2026-12-01T08:00:00Z")

describe("demo marketplaces' order book", () => {
  it("is the same after a restart: same ids, times and lines", () => {
    const now = new Date(EPOCH.getTime() + 3 * 3_600_000)
    const a = orderBook(EPOCH, now)
    const b = orderBook(new Date(EPOCH), new Date(now))
    expect(b).toEqual(a)
    const ids = a.map((o) => externalId(o))
    expect(new Set(ids).size).toBe(ids.length)
  })

  it("starts with 12 orders per marketplace and adds one per tick, the marketplaces taking turns", () => {
    const at0 = orderBook(EPOCH, EPOCH)
    expect(at0.filter((o) => o.kind === "amazon")).toHaveLength(12)
    expect(at0.filter((o) => o.kind === "ebay")).toHaveLength(12)
    expect(at0.filter((o) => o.kind === "mirakl")).toHaveLength(12)
    const later = orderBook(EPOCH, new Date(EPOCH.getTime() + 6 * TICK_MS + 1))
    expect(later).toHaveLength(36 + 6)
    expect(later.slice(36).map((o) => o.kind)).toEqual(["ebay", "mirakl", "amazon", "ebay", "mirakl", "amazon"])
    // Every order is older than now and was updated after it was created.
    for (const o of later) expect(o.created.getTime()).toBeLessThan(o.updated.getTime())
  })

  it("holds the seed-002 tutorial order: Amazon, V789 × 5", () => {
    const tutorial = demoOrder("amazon", 3, EPOCH)
    expect(externalId(tutorial)).toBe("302-4200003-0023757")
    expect(tutorial.lines).toEqual([{ sku: "V789", title: "Bulk Widget", quantity: 5, price: 9.5 }])
  })

  it("sells the store's SKUs at the store's prices, but for one discontinued SKU", () => {
    const catalogue = new Map(demoCatalogue().map((c) => [c.sku, c.price]))
    const lines = orderBook(EPOCH, new Date(EPOCH.getTime() + 86_400_000)).flatMap((o) => o.lines)
    const unknown = lines.filter((l) => !catalogue.has(l.sku))
    expect(unknown.map((l) => l.sku)).toEqual(["DISCONTINUED-MUG"])
    for (const l of lines.filter((l) => catalogue.has(l.sku))) expect(l.price).toBe(catalogue.get(l.sku))
  })
})
