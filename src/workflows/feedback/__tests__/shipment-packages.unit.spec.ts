import { ChannelProviderError } from "../../../modules/channel/errors"
import { planShipmentPackages } from "../../../modules/channel/types/provider"
import { decideFailure, packagesOf } from "../policy"
import { expectedTracking, readBack } from "../read-back"
import { PROVIDERS } from "./providers"


const NOW = new Date("2026-11-22T12:00:00.000Z")
const items = (...pairs: Array<[string, number]>) => pairs.map(([external_item_id, quantity]) => ({ external_item_id, quantity }))

/** Per line, what the parcels add up to. */
const totals = (packages: Array<{ items: Array<{ external_item_id: string; quantity: number }> }>) => {
  const out: Record<string, number> = {}
  for (const p of packages) for (const i of p.items) out[i.external_item_id] = (out[i.external_item_id] ?? 0) + i.quantity
  return out
}

describe("parcels of a shipment (planShipmentPackages)", () => {
  it("one tracking number (or none): one parcel with every line, duplicates merged", () => {
    expect(planShipmentPackages({ items: items(["A", 1], ["A", 1], ["B", 3]), tracking_numbers: ["T1"], tracking_url: "https://t/T1" })).toEqual({
      packages: [{ tracking_number: "T1", tracking_url: "https://t/T1", items: items(["A", 2], ["B", 3]) }],
      unassigned: [],
      split: "single",
    })
    expect(planShipmentPackages({ items: items(["A", 1]), tracking_numbers: [] }).packages).toEqual([
      { tracking_number: null, tracking_url: null, items: items(["A", 1]) },
    ])
  })

  it("as many parcels as tracking numbers, whole lines grouped in order, totals exact", () => {
    const plan = planShipmentPackages({ items: items(["A", 2], ["B", 1], ["C", 4]), tracking_numbers: ["T1", " T2 ", "T1"] })
    expect(plan.split).toBe("spread")
    expect(plan.packages).toEqual([
      { tracking_number: "T1", tracking_url: null, items: items(["A", 2], ["B", 1]) },
      { tracking_number: "T2", tracking_url: null, items: items(["C", 4]) },
    ])
    expect(totals(plan.packages)).toEqual({ A: 2, B: 1, C: 4 })
  })

  it("more parcels than lines: the largest line is split so that every parcel carries a unit", () => {
    const plan = planShipmentPackages({ items: items(["A", 5], ["B", 1]), tracking_numbers: ["T1", "T2", "T3", "T4"] })
    expect(plan.packages.map((p) => p.items)).toEqual([items(["A", 2]), items(["A", 1]), items(["A", 2]), items(["B", 1])])
    expect(totals(plan.packages)).toEqual({ A: 5, B: 1 })
    expect(plan.unassigned).toEqual([])
  })

  it("more parcels than units: the surplus tracking numbers are left unassigned, never given invented units", () => {
    const plan = planShipmentPackages({ items: items(["A", 1]), tracking_numbers: ["T1", "T2"] })
    expect(plan.packages).toEqual([{ tracking_number: "T1", tracking_url: null, items: items(["A", 1]) }])
    expect(plan.unassigned).toEqual([{ tracking_number: "T2", tracking_url: null }])
  })

  it("takes the parcels' URLs from `packages`, and their contents when every parcel says what it holds", () => {
    const packages = [
      { tracking_number: "T1", tracking_url: "https://t/1", items: items(["B", 1]) },
      { tracking_number: "T2", tracking_url: "https://t/2", items: items(["A", 2]) },
    ]
    expect(planShipmentPackages({ items: items(["A", 2], ["B", 1]), tracking_numbers: [], packages })).toEqual({
      packages,
      unassigned: [],
      split: "explicit",
    })
    expect(() =>
      planShipmentPackages({ items: items(["A", 2], ["B", 1]), tracking_numbers: [], packages: [{ ...packages[0] }, { ...packages[1], items: items(["A", 1]) }] })
    ).toThrow(ChannelProviderError)
  })

  it("is deterministic: a retry sends the same parcels", () => {
    const input = { items: items(["A", 3], ["B", 2], ["C", 1]), tracking_numbers: ["T1", "T2", "T3", "T4", "T5"] }
    expect(planShipmentPackages(input)).toEqual(planShipmentPackages(input))
    expect(totals(planShipmentPackages(input).packages)).toEqual({ A: 3, B: 2, C: 1 })
  })
})

describe("parcels of an outbox row", () => {
  it("pairs each tracking number with its label's tracking page", () => {
    expect(
      packagesOf(["T1", "T2", " "], [
        { tracking_number: "T2", tracking_url: "https://t/2" },
        { tracking_number: "T1", tracking_url: null },
        null,
      ])
    ).toEqual([
      { tracking_number: "T1", tracking_url: null },
      { tracking_number: "T2", tracking_url: "https://t/2" },
    ])
  })
})

describe("refusals carry the provider's structured detail", () => {
  it("keeps `data` of a provider error in the outcome's details", () => {
    const error = Object.assign(new ChannelProviderError("not_supported", "Mirakl OR24 ships whole orders"), {
      data: { reason: "partial_shipment", unshipped_lines: [{ order_line_id: "X-1", shipped: 1, remaining: 2 }] },
    })
    const d = decideFailure(error, 1, NOW)
    expect(d).toMatchObject({ state: "failed", error_code: "not_supported" })
    expect(d.details).toEqual({
      code: "not_supported",
      retryable: false,
      data: { reason: "partial_shipment", unshipped_lines: [{ order_line_id: "X-1", shipped: 1, remaining: 2 }] },
    })
  })
})

describe("eBay read-back of a multi-parcel shipment", () => {
  const ship = { kind: "shipment" as const, items: [], tracking_numbers: ["AAA111", "BBB222"] }
  it("is confirmed only when every parcel's fulfillment is there", () => {
    const href = (t: string) => `http://x/order/1/shipping_fulfillment/${t}`
    expect(readBack(PROVIDERS.ebay, { fulfillmentHrefs: [href("AAA111")] }, ship)).toBe("missing")
    expect(readBack(PROVIDERS.ebay, { fulfillmentHrefs: [href("AAA111"), href("BBB222")] }, ship)).toBe("confirmed")
  })
})

describe("Amazon read-back of a multi-parcel shipment", () => {
  const ship = { kind: "shipment" as const, items: [], tracking_numbers: ["T1", "T2"] }
  it("is confirmed only when every parcel's package is there", () => {
    expect(readBack(PROVIDERS.amazon, { packages: [{ trackingNumber: "T1" }] }, ship)).toBe("missing")
    expect(readBack(PROVIDERS.amazon, { packages: [{ trackingNumber: "T2" }, { trackingNumber: "T1" }] }, ship)).toBe("confirmed")
  })

  it("does not wait for tracking numbers the provider said it could not send", () => {
    const row = { tracking_numbers: ["T1", "T2", "T3"], response: { response: { tracking_numbers_not_sent: ["T3"] } } }
    expect(expectedTracking(row)).toEqual(["T1", "T2"])
    expect(expectedTracking({ tracking_numbers: ["A", "B"], response: { response: { unsent_tracking_numbers: ["B"] } } })).toEqual(["A"])
    expect(expectedTracking({ tracking_numbers: ["A"], response: null })).toEqual(["A"])
  })
})
