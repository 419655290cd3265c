import type { FeedbackItem, FeedbackKind } from "./policy"

/**
 * Reading a marketplace order back to see whether a confirmation or a cancellation landed. A 2xx
 * is not proof (Amazon has answered 204 and dropped the write), so a `sent` item is only
 * `confirmed` once the marketplace shows it. It uses `getOrder`, which every provider has:
 *   - Amazon: a package with each of our tracking numbers (one package per parcel); for a cancel,
 *     fulfillmentStatus CANCELLED;
 *   - eBay: a shipping fulfillment named after each of our tracking numbers (eBay names them so; one
 *     per parcel), or, without tracking, our lines FULFILLED; cancels are not sent to eBay;
 *   - Mirakl (OR11): the order SHIPPED or later with one of our tracking numbers (OR23 keeps one);
 *     for a cancel, CANCELED. Shipments made through ST01 are confirmed by ST01's own answer;
 *   - sandbox: its status.
 */

export type ReadBackVerdict = "confirmed" | "missing" | "unsupported"

export type ReadBackInput = {
  kind: FeedbackKind
  items: FeedbackItem[]
  tracking_numbers: string[]
}

/**
 * The tracking numbers a read-back looks for: the row's, less those the provider said it could not
 * send (more parcels than units; OR23's single tracking number), which the marketplace never shows.
 */
export function expectedTracking(row: { tracking_numbers?: string[] | null; response?: Record<string, any> | null }): string[] {
  const answer = row.response?.response
  const unsent = new Set<string>(
    [answer?.unsent_tracking_numbers, answer?.tracking_numbers_not_sent]
      .filter(Array.isArray)
      .flat()
      .map((t: unknown) => compact(String(t)))
  )
  return (row.tracking_numbers ?? []).filter((t) => !unsent.has(compact(String(t))))
}

/** Providers whose orders can be read back. */
export const READ_BACK_PROVIDERS = new Set(["amazon", "ebay", "mirakl", "sandbox"])

export function supportsReadBack(providerId: string, kind: FeedbackKind): boolean {
  if (!READ_BACK_PROVIDERS.has(providerId)) return false
  return !(providerId === "ebay" && kind === "cancel")
}

const compact = (t: string) => t.replace(/[\s-]+/g, "").toLowerCase()

export function readBack(providerId: string, order: unknown, input: ReadBackInput): ReadBackVerdict {
  if (!supportsReadBack(providerId, input.kind)) return "unsupported"
  if (!order || typeof order !== "object") return "missing"
  const o = order as Record<string, any>
  const tracking = input.tracking_numbers.map(compact).filter(Boolean)
  switch (providerId) {
    case "amazon": {
      if (input.kind === "cancel") return o.fulfillment?.fulfillmentStatus === "CANCELLED" ? "confirmed" : "missing"
      const packages: any[] = Array.isArray(o.packages) ? o.packages : []
      if (tracking.length) {
        // One package per parcel: every parcel sent has to show.
        const shown = packages.filter((p) => typeof p?.trackingNumber === "string").map((p) => compact(p.trackingNumber))
        return tracking.every((t) => shown.includes(t)) ? "confirmed" : "missing"
      }
      return ["SHIPPED", "PARTIALLY_SHIPPED"].includes(o.fulfillment?.fulfillmentStatus) ? "confirmed" : "missing"
    }
    case "ebay": {
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
    case "mirakl": {
      const state = String(o.order_state ?? "")
      if (input.kind === "cancel") return state === "CANCELED" ? "confirmed" : "missing"
      const shipped = ["SHIPPED", "TO_COLLECT", "RECEIVED", "CLOSED"].includes(state)
      if (!shipped) return "missing"
      if (!tracking.length) return "confirmed"
      return typeof o.shipping_tracking === "string" && tracking.includes(compact(o.shipping_tracking)) ? "confirmed" : "missing"
    }
    case "sandbox": {
      const status = String(o.status ?? "")
      return (input.kind === "cancel" ? status === "canceled" : status === "shipped") ? "confirmed" : "missing"
    }
  }
  return "unsupported"
}
