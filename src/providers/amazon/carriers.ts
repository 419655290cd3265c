import { ChannelProviderError } from "../../modules/channel/errors"

/**
 * Amazon `CarrierCode` values (amzn-base.xsd). Amazon matches them exactly, case and spaces
 * included. The first block is the long-standing core list; the second a selection of the newer
 * values. Amazon's full list has ~350 entries, so a code missing here is sent as "Other" with the
 * code as carrier name rather than refused.
 */
export const AMAZON_CARRIER_CODES: readonly string[] = [
  "USPS", "UPS", "UPSMI", "FedEx", "DHL", "Fastway", "GLS", "GO!", "Hermes Logistik Gruppe", "Royal Mail",
  "Parcelforce", "City Link", "TNT", "Target", "SagawaExpress", "NipponExpress", "YamatoTransport",
  "DHL Global Mail", "UPS Mail Innovations", "FedEx SmartPost", "OSM", "OnTrac", "Streamlite", "Newgistics",
  "Canada Post", "Blue Package", "Chronopost", "Deutsche Post", "DPD", "La Poste", "Parcelnet", "Poste Italiane",
  "SDA", "Smartmail", "FEDEX_JP", "JP_EXPRESS", "NITTSU", "SAGAWA", "YAMATO", "BlueDart", "AFL/Fedex", "Aramex",
  "India Post", "Professional", "DTDC", "Overnite Express", "First Flight", "Delhivery", "Lasership", "Yodel",
  "Other",
  // newer amzn-base.xsd values
  "Amazon Shipping", "Seur", "Correos", "MRW", "Nacex", "Correios", "China Post", "Australia Post", "Yun Express",
  "4PX", "Hermes", "SF Express", "BRT", "Sendle", "Asendia", "DHL eCommerce", "DHL Express", "DHL Home Delivery",
  "DHL-Paket", "InPost", "Japan Post", "Post NL", "PostNord", "PUROLATOR", "Colissimo", "Colis Prive",
  "Mondial Relay", "Hermes UK", "DPD Local", "APC Overnight", "AMZL_UK", "AMZL", "Swiss post",
]

const byLowerCase = new Map(AMAZON_CARRIER_CODES.map((c) => [c.toLowerCase(), c]))

/** The exact Amazon spelling of a known carrier code, or undefined. */
export function knownCarrierCode(code: string): string | undefined {
  return byLowerCase.get(code.trim().toLowerCase())
}

/** carrierCode/carrierName pair for confirmShipment: "Other" always travels with a name. */
export function resolveCarrier(code: string, name?: string | null): { carrierCode: string; carrierName?: string } {
  const trimmedName = name?.trim() || undefined
  const known = knownCarrierCode(code ?? "")
  if (known === "Other") {
    if (!trimmedName) {
      throw new ChannelProviderError(
        "invalid_shipment",
        'Amazon needs a carrier name when the carrier code is "Other"',
        { retryable: false }
      )
    }
    return { carrierCode: "Other", carrierName: trimmedName }
  }
  if (known) {
    return trimmedName ? { carrierCode: known, carrierName: trimmedName } : { carrierCode: known }
  }
  const fallbackName = trimmedName ?? code?.trim()
  if (!fallbackName) {
    throw new ChannelProviderError("invalid_shipment", "The shipment has no carrier", { retryable: false })
  }
  return { carrierCode: "Other", carrierName: fallbackName }
}
