import { ChannelProviderError } from "../../modules/channel/errors"

/**
 * eBay shipping carrier codes (Trading API ShippingCarrierCodeType, as GeteBayDetails /
 * ShippingCarrierDetails lists them): the ones the shared reference names. eBay's list is longer,
 * differs per site and changes, so a channel can add the codes its sites return through the
 * `carrier_codes` setting. Any other code goes out as "Other" (see `resolveCarrierCode`).
 */
export const EBAY_CARRIER_CODES = [
  "USPS",
  "UPS",
  "FedEx",
  "DHL",
  "DeutschePost",
  "Hermes",
  "iLoxx",
  "ColiposteDomestic",
  "ColiposteInternational",
  "Chronopost",
  "Correos",
  "Seur",
  "Nacex",
  "RoyalMail",
  "ParcelForce",
  "DPD",
  "GLS",
  "TNT",
  "CanadaPost",
  "AustraliaPost",
  "ChinaPost",
  "BPost",
  "APC",
  "ARAMEX",
  "AnPost",
  "BluePackage",
  "Other",
] as const

/** eBay's catch-all carrier code, used for any carrier not on its list. */
export const EBAY_OTHER_CARRIER = "Other"

const BY_LOWER_CASE = new Map<string, string>(EBAY_CARRIER_CODES.map((c) => [c.toLowerCase(), c]))

/** eBay's spelling of a known carrier code; unknown codes come back trimmed but otherwise untouched. */
export function normalizeCarrierCode(code: string): string {
  const trimmed = code.trim()
  return BY_LOWER_CASE.get(trimmed.toLowerCase()) ?? trimmed
}

/**
 * The `shippingCarrierCode` to send: a known code in eBay's spelling (the built-in list, then the
 * channel's own `carrier_codes`), else eBay's "Other" form, so that a carrier eBay does not list
 * does not make the whole shipment fail with 32300. `fallback` tells which happened.
 */
export function resolveCarrierCode(code: string, extra: readonly string[] = []): { code: string; fallback: boolean } {
  const trimmed = String(code ?? "").trim()
  const lower = trimmed.toLowerCase()
  const known = BY_LOWER_CASE.get(lower) ?? extra.map((c) => String(c).trim()).find((c) => c && c.toLowerCase() === lower)
  return known ? { code: known, fallback: false } : { code: EBAY_OTHER_CARRIER, fallback: true }
}

/**
 * eBay takes alphanumeric tracking numbers only ("do not include a space even if one appears on the
 * label"). Spaces and dashes are printing artefacts and are dropped; anything else is a real error.
 */
export function normalizeTrackingNumber(tracking: string): string {
  const compact = tracking.replace(/[\s-]+/g, "")
  if (!compact) {
    throw new ChannelProviderError("invalid_tracking_number", "The tracking number is empty", { retryable: false })
  }
  if (!/^[A-Za-z0-9]+$/.test(compact)) {
    throw new ChannelProviderError(
      "invalid_tracking_number",
      `eBay accepts letters and digits only in tracking numbers; "${tracking}" has other characters`,
      { retryable: false }
    )
  }
  return compact
}
