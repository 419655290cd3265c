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
