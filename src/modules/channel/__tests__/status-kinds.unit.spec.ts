import { ENDED_KINDS, STATUS_KINDS, statusKindOf } from "../types/provider"
import { AMAZON_STATUSES } from "../../../providers/amazon/statuses"
import { ebayStatuses } from "../../../providers/ebay/statuses"
import { miraklStatuses } from "../../../providers/mirakl/statuses"
import { SANDBOX_STATUSES } from "../../../providers/sandbox/statuses"

const providers = {
  amazon: { statuses: () => AMAZON_STATUSES },
  ebay: { statuses: ebayStatuses },
  mirakl: { statuses: miraklStatuses },
  sandbox: { statuses: () => SANDBOX_STATUSES },
}

describe("what each marketplace status means after import is declared by its provider", () => {
  it.each(Object.entries(providers))("%s declares a known kind for every status", (_name, p) => {
    for (const s of p.statuses()) expect(STATUS_KINDS).toContain(s.kind)
  })

  it.each([
    ["amazon", "SHIPPED", "shipped"],
    ["amazon", "PARTIALLY_SHIPPED", "open"],
    ["amazon", "CANCELLED", "canceled"],
    ["amazon", "UNFULFILLABLE", "unfulfillable"],
    ["ebay", "FULFILLED", "shipped"],
    ["ebay", "REFUNDED", "refunded"],
    ["ebay", "CANCEL_REQUESTED", "open"],
    ["ebay", "CANCELED", "canceled"],
    ["mirakl", "RECEIVED", "shipped"],
    ["mirakl", "REFUSED", "canceled"],
    ["mirakl", "WAITING_REFUND", "refunded"],
    ["mirakl", "SHIPPING", "open"],
    ["sandbox", "canceled", "canceled"],
  ] as const)("%s %s → %s", (name, status, kind) => {
    expect(statusKindOf(providers[name], status)).toBe(kind)
  })

  it("a status nobody declared is open (nothing happens to the order), unless the provider reads it", () => {
    expect(statusKindOf(providers.ebay, "SOMETHING_NEW")).toBe("open")
    expect(statusKindOf({ statuses: () => [], statusKind: () => "canceled" }, "X")).toBe("canceled")
    expect(statusKindOf(providers.ebay, null)).toBe("open")
  })

  it("canceled, refunded and unfulfillable end the order; open and shipped do not", () => {
    expect([...ENDED_KINDS].sort()).toEqual(["canceled", "refunded", "unfulfillable"])
  })
})
