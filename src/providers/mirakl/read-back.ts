import type { FeedbackReadBackInput, ReadBackVerdict } from "../../modules/channel/types/provider"

const compact = (t: string) => t.replace(/[\s-]+/g, "").toLowerCase()

/** Mirakl (OR11): SHIPPED or later with one of our tracking numbers; a cancel: CANCELED. */
export function readBackMiraklOrder(o: Record<string, any>, input: FeedbackReadBackInput): ReadBackVerdict {
  const tracking = input.tracking_numbers.map(compact).filter(Boolean)
  const state = String(o.order_state ?? "")
  if (input.kind === "cancel") return state === "CANCELED" ? "confirmed" : "missing"
  const shipped = ["SHIPPED", "TO_COLLECT", "RECEIVED", "CLOSED"].includes(state)
  if (!shipped) return "missing"
  if (!tracking.length) return "confirmed"
  return typeof o.shipping_tracking === "string" && tracking.includes(compact(o.shipping_tracking)) ? "confirmed" : "missing"
}
