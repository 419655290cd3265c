import type { FeedbackReadBackInput, ReadBackVerdict } from "../../modules/channel/types/provider"

const compact = (t: string) => t.replace(/[\s-]+/g, "").toLowerCase()

/** eBay: a shipping fulfillment named after each of our tracking numbers, or our lines FULFILLED. */
export function readBackEbayOrder(o: Record<string, any>, input: FeedbackReadBackInput): ReadBackVerdict {
  if (input.kind === "cancel") return "unsupported"
  const tracking = input.tracking_numbers.map(compact).filter(Boolean)
  const hrefs: string[] = Array.isArray(o.fulfillmentHrefs) ? o.fulfillmentHrefs.filter((h: unknown) => typeof h === "string") : []
  if (tracking.length) {
    // One fulfillment per parcel: every parcel has to be there (a half-sent shipment is sent again,
    // and the provider skips the parcels eBay already has).
    const names = hrefs.map((h) => compact(decodeURIComponent(h.slice(h.lastIndexOf("/") + 1))))
    return tracking.every((t) => names.includes(t)) ? "confirmed" : "missing"
  }
  const lines: any[] = Array.isArray(o.lineItems) ? o.lineItems : []
  const ours = new Set(input.items.map((i) => i.external_item_id))
  const shipped = lines.filter((l) => ours.has(String(l?.lineItemId)) && l?.lineItemFulfillmentStatus === "FULFILLED")
  return ours.size > 0 && shipped.length === ours.size ? "confirmed" : "missing"
}
