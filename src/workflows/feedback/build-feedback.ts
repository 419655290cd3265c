import type { NewChannelFeedbackRow } from "../../modules/channel/service"
import {
  NO_SHIPMENT_FEEDBACK_ACTIONS,
  isImportFulfillment,
  mapFulfillmentItems,
  resolveCarrier,
  toDate,
  trackingNumbersOf,
} from "./policy"
import type { ShipmentFeedbackContext } from "./steps/load-shipment-feedback-context"

export type BuiltShipmentFeedback = {
  rows: NewChannelFeedbackRow[]
  /** Fulfillments left out, with the reason (for logs and tests). */
  skipped: Array<{ fulfillment_id: string | null; reason: string }>
  /** Per fulfillment: Medusa lines shipped that did not come from the marketplace (not reported). */
  unmapped: Record<string, string[]>
}

/**
 * One outbox row per shipped fulfillment of a channel order, when the channel counts this trigger
 * as "shipped". Fulfillments the import made itself, canceled ones and unshipped ones are left out.
 * A row whose carrier is not mapped is still recorded (pending, carrier null): delivery fails it
 * with `unmapped_carrier` before any call, and a retry after the mapping is fixed sends it.
 */
export function buildShipmentFeedback(context: ShipmentFeedbackContext, now: Date): BuiltShipmentFeedback {
  const out: BuiltShipmentFeedback = { rows: [], skipped: [], unmapped: {} }
  if (context.skip) {
    out.skipped.push({ fulfillment_id: null, reason: context.skip })
    return out
  }
  const co = context.channel_order!
  if (context.shipped_when !== context.trigger) {
    out.skipped.push({ fulfillment_id: null, reason: `shipped_when_is_${context.shipped_when}` })
    return out
  }
  if (co.action && NO_SHIPMENT_FEEDBACK_ACTIONS.has(co.action)) {
    out.skipped.push({ fulfillment_id: null, reason: `imported_as_${co.action}` })
    return out
  }
  for (const f of context.fulfillments) {
    if (isImportFulfillment(f)) {
      out.skipped.push({ fulfillment_id: f.id, reason: "import_fulfillment" })
      continue
    }
    if (f.canceled_at) {
      out.skipped.push({ fulfillment_id: f.id, reason: "canceled" })
      continue
    }
    if (!f.shipped_at) {
      out.skipped.push({ fulfillment_id: f.id, reason: "not_shipped" })
      continue
    }
    const { items, unmapped_line_item_ids } = mapFulfillmentItems(f, context.order_items)
    const carrier = fileCarrier(context.carrier_mapping, f) ?? resolveCarrier(context.carrier_mapping, f) ?? rawFileCarrier(f)
    const base: NewChannelFeedbackRow = {
      channel_id: co.channel_id,
      channel_order_id: co.id,
      order_id: context.order_id!,
      fulfillment_id: f.id,
      kind: "shipment",
      items,
      carrier_code: carrier?.carrier_code ?? null,
      carrier_name: carrier?.carrier_name ?? null,
      tracking_numbers: trackingNumbersOf(f),
      shipped_at: toDate(f.shipped_at) ?? now,
      next_attempt_at: now,
    }
    if (!items.length) {
      // Recorded as failed so that it shows in the admin rather than vanishing.
      out.rows.push({
        ...base,
        state: "failed",
        next_attempt_at: null,
        error_code: "unmapped_items",
        error_message: `None of the shipped lines (${unmapped_line_item_ids.join(", ") || "none"}) came from the marketplace order`,
      })
      continue
    }
    if (unmapped_line_item_ids.length) out.unmapped[f.id] = unmapped_line_item_ids
    out.rows.push({ ...base, state: "pending" })
  }
  return out
}

/**
 * A shipment from a status import file (`metadata.source` `status_import`) names its carrier: mapped
 * through `carrier_mapping[<that name>]` first; the shipping option's mapping next; the name as given last.
 */
function fileCarrier(mapping: Record<string, string> | undefined, f: { metadata?: Record<string, unknown> | null }) {
  const name = f.metadata?.source === "status_import" ? f.metadata?.carrier : null
  if (typeof name !== "string" || !name.trim()) return null
  const found = resolveCarrier(mapping, { shipping_option_id: name.trim() })
  return found
}

function rawFileCarrier(f: { metadata?: Record<string, unknown> | null }) {
  const name = f.metadata?.source === "status_import" ? f.metadata?.carrier : null
  return typeof name === "string" && name.trim() ? { carrier_code: name.trim(), carrier_name: null, mapped_from: "status_import" } : null
}
