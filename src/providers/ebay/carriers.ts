import { ChannelProviderError } from "../../modules/channel/errors"

/**
 * Common eBay shipping carrier codes (Trading API ShippingCarrierCodeType, as listed by
 * GeteBayDetails/ShippingCarrierDetails). eBay's list is longer and changes, so a code missing here
 * is still sent as given; the list only fixes the spelling of codes typed in another case.
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

const BY_LOWER_CASE = new Map<string, string>(EBAY_CARRIER_CODES.map((c) => [c.toLowerCase(), c]))

/** eBay's spelling of a known carrier code; unknown codes come back trimmed but otherwise untouched. */
export function normalizeCarrierCode(code: string): string {
  const trimmed = code.trim()
  return BY_LOWER_CASE.get(trimmed.toLowerCase()) ?? trimmed
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
