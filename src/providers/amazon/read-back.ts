import type { FeedbackReadBackInput, ReadBackVerdict } from "../../modules/channel/types/provider"

const compact = (t: string) => t.replace(/[\s-]+/g, "").toLowerCase()

/** Amazon: a package with each of our tracking numbers (one per parcel); a cancel: CANCELLED. */
export function readBackAmazonOrder(o: Record<string, any>, input: FeedbackReadBackInput): ReadBackVerdict {
  const tracking = input.tracking_numbers.map(compact).filter(Boolean)
  if (input.kind === "cancel") return o.fulfillment?.fulfillmentStatus === "CANCELLED" ? "confirmed" : "missing"
  const packages: any[] = Array.isArray(o.packages) ? o.packages : []
  if (tracking.length) {
    // One package per parcel: every parcel sent has to show.
    const shown = packages.filter((p) => typeof p?.trackingNumber === "string").map((p) => compact(p.trackingNumber))
    return tracking.every((t) => shown.includes(t)) ? "confirmed" : "missing"
  }
  return ["SHIPPED", "PARTIALLY_SHIPPED"].includes(o.fulfillment?.fulfillmentStatus) ? "confirmed" : "missing"
}
