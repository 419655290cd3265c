import type { ChannelOrder } from "../types"

/** The SKUs a refusal is about: its structured data; the message only for rows refused before it existed. */
export function skusOf(order: Pick<ChannelOrder, "error_data" | "error_message">): string[] {
  const skus = order.error_data?.skus
  return Array.isArray(skus) && skus.length ? skus : skusFromMessage(order.error_message)
}

/** The marketplace shipping service a refusal names, from its data (or, for older rows, its message). */
export function serviceOf(order: Pick<ChannelOrder, "error_data" | "error_message">): string | null {
  const service = order.error_data?.shipping_service
  return typeof service === "string" && service ? service : serviceFromMessage(order.error_message)
}

/** The SKU(s) named in an unmatched_sku message ("No product variant matches SKU A, B. Map…"). */
export function skusFromMessage(message: string | null | undefined): string[] {
  const m = /matches SKU (.+?)\. Map/.exec(message ?? "")
  return m ? m[1].split(",").map((s) => s.trim()).filter((s) => s && !s.startsWith("(none")) : []
}

/** The service named in an unmapped_shipping message (`Shipping service "express" is not mapped…`). */
export function serviceFromMessage(message: string | null | undefined): string | null {
  const m = /Shipping service "([^"]*)"/.exec(message ?? "")
  return m && m[1] !== "(none)" ? m[1] : null
}
