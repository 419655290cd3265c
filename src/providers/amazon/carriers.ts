import { ChannelProviderError } from "../../modules/channel/errors"

/**
 * Amazon `CarrierCode` values (the CarrierCode enumeration of amzn-base.xsd), in the schema's order,
 * each once (377 values): the long-standing ones first (UPS … Yodel, Other; that schema lists USPS
 * further down), then the ones Amazon added per marketplace. Source: the shared reference (marketplace-apis.md §2.8 (d), which gives the core list
 * and a sample of the newer values) completed from the generated C# port of the newer amzn-base.xsd
 * it cites. The ordersV0 and feeds specs do not enumerate the codes (carrierCode is a plain string).
 *
 * Amazon matches codes exactly, case and spaces included; the schema has near-duplicates that differ
 * only that way (`Royal Mail` / `ROYAL_MAIL`, `Sendle` / `SENDLE`), so an exact match wins, then a
 * case-insensitive one. A code that is not listed is sent as "Other" with the code as carrier name.
 */
export const AMAZON_CARRIER_CODES: readonly string[] = [
  "UPS", "UPSMI", "FedEx", "DHL", "Fastway", "GLS", "GO!", "Hermes Logistik Gruppe", "Royal Mail",
  "Parcelforce", "City Link", "TNT", "Target", "SagawaExpress", "NipponExpress", "YamatoTransport",
  "DHL Global Mail", "UPS Mail Innovations", "FedEx SmartPost", "OSM", "OnTrac", "Streamlite", "Newgistics",
  "Canada Post", "Blue Package", "Chronopost", "Deutsche Post", "DPD", "La Poste", "Parcelnet",
  "Poste Italiane", "SDA", "Smartmail", "FEDEX_JP", "JP_EXPRESS", "NITTSU", "SAGAWA", "YAMATO", "BlueDart",
  "AFL/Fedex", "Aramex", "India Post", "Professional", "DTDC", "Overnite Express", "First Flight", "Delhivery",
  "Lasership", "Yodel", "Other", "Amazon Shipping", "Seur", "Correos", "MRW", "Endopack", "Chrono Express",
  "Nacex", "Otro", "Correios", "Toll Global Express", "China Post", "AUSSIE_POST", "EUB", "Australia Post",
  "Yun Express", "4PX", "Hermes", "SF Express", "BRT", "Australia Post-Consignment", "Australia Post-ArticleId",
  "Sendle", "CouriersPlease", "A-1", "AAA Cooper", "ABF", "ALLJOY", "Aras Kargo", "Arkas", "Arrow XL",
  "Asendia", "Asgard", "Assett", "AT POST", "ATS", "Balnak", "Beijing Quanfeng Express", "Best Buy",
  "Best Express", "BJS", "Bombax", "Cart2India", "CDC", "CELERITAS", "CEVA", "Ceva Lojistik", "Cititrans",
  "Coliposte", "Colissimo", "Conway", "Correos Express", "Couriers Please", "CTTExpress", "DB Schenker",
  "DHL eCommerce", "DHL Express", "DHL Freight", "DHL Home Delivery", "DHL Kargo", "DHL-Paket", "DHLPL",
  "Digital Delivery", "DirectLog", "Dotzot", "DSV", "DX Freight", "ECMS", "Ecom Express", "Emirates Post",
  "Energo", "Envialia", "Estafeta", "Estes", "Fedex Freight", "Fillo Kargo", "First Flight China", "First Mile",
  "Gati", "GEL Express", "geodis", "Geodis Calberson", "Geopost Kargo", "Hermes Einrichtungsservice",
  "Home Logistics", "Hongkong Post", "Horoz Lojistik", "HS code", "Hunter Logistics", "ICC Worldwide",
  "IDS Netzwerk", "InPost", "iParcel", "Japan Post", "JCEX", "Kargokar", "Kuehne+Nagel", "Landmark",
  "Metro Kargo", "MNG Kargo", "Narpost Kargo", "Nexive", "Ninjavan", "Old Dominion", "OneWorldExpress",
  "Panther", "Pilot", "Pilot Freight", "Polish Post", "Post NL", "PostNord", "PTT Kargo", "PUROLATOR",
  "QExpress", "Qxpress", "R+L", "Raben Group", "Rhenus", "Rieck", "Rivigo", "Roadrunner", "Safexpress", "Saia",
  "Seino", "SEINO TRANSPORTATION", "Selem Kargo", "Self Delivery", "SENDLE", "SFC", "Ship Delight",
  "Ship Global US", "ShipEconomy", "ShipGlobal", "Shree Maruti Courier", "Shree Tirupati Courier",
  "Shunfeng Express", "Singapore Post", "South Eastern Freight Lines", "Speedex", "Spoton",
  "StarTrack-ArticleID", "StarTrack-Consignment", "STO Express", "Tezel Lojistik", "The Professional Couriers",
  "TIPSA", "TNT Kargo", "TNTIT", "Total Express", "Trackon", "TransFolha", "Tuffnells", "UPS Freight",
  "Urban Express", "VIR", "VNLIN", "WanbExpress", "Watkins and Shepard", "Whizzard", "WINIT", "XDP",
  "XPO Freight", "Xpressbees", "YDH", "Yellow Freight", "YTO Express", "Yunda Express", "ZTO Express",
  "Tourline", "Centex", "iMile", "Chukou1", "CNE", "Equick", "UBI", "Sunyou", "COLIS PRIVE", "Colis Prive",
  "DASCHER", "DACHSER", "France Express", "Heppner", "Kuehne Nagel", "Arco Spedizioni", "FAST EST", "FERCAM",
  "Fercam", "Liccardi", "Milkman", "Zust Ambrosetti", "Yanwen", "ROYAL_MAIL", "Whistl", "Hermes (Corporate)",
  "AMAUK", "The Delivery Group", "RMLGB", "UKMail", "APC", "Jersey Post", "Caribou", "Hermes UK", "DPD Local",
  "UK MAIL", "APC Overnight", "USPS", "DX Express", "DX Secure", "Parcel Station", "AMZL_UK", "DX",
  "APC-Overnight", "B2C Europe", "ITD Global", "Parcelhub", "HubEurope", "Huxloe Logistics", "GFS",
  "Spring GDS", "Verage Shipping", "MHI", "Truline", "Delivery Group", "PDC Logistics", "PARCEL2GO.COM",
  "DEL Deliveries", "Parcelink Logistics", "Cubyn", "Hotpoint Logistics", "AT Post", "GEL", "IDS", "Raben",
  "AO Deutschland", "MZZ-Briefdienst", "Der Kurier", "REDUR", "Europaczka", "Emons", "Seven Senders",
  "Sendcloud", "Mail Alliance", "Mainpost", "PIN", "Post Modern", "Trans-o-Flex", "Exapaq", "Trakpak", "BPOST",
  "UPakWeShip", "Mondial Relay", "Swiss post", "Consegna Mezzi Propri", "DACSHER", "GEODIS", "XPO", "NACEX",
  "Sprint", "Susa", "Zeleris", "TWS", "Sailpost", "WPX", "HRP", "Sending", "CBL", "DYNAMIC EXPRESS",
  "EINSA SOURCING", "GRUPO LOGISTIC", "KEAVO", "NTL", "SPRING", "Szendex", "TDN", "Transaragonés", "TSB", "TXT",
  "TyD", "Via Xpress", "CTT EXPRESS", "FRANCE EXPRESS", "Bartolini", "AMZL", "Andere", "AO", "B2C", "CargoLine",
  "Citypost", "Delivengo", "DPB", "EKI Trans", "FRACHTPOST", "Hellmann", "Hlog", "honesteye", "Huxloe",
  "Interlink", "Interno", "Intersoft", "JPL UPU", "Kybotech", "Landmark Global", "MBE", "Mezzi propri",
  "MZZ Briefdienst", "NOVEO", "OCS Worldwide", "ONTIME", "Palletline", "Palletways", "Parcel Hub",
  "Parcel Monkey", "Parcel2go", "ParcelDenOnline", "ParcelOne", "PostNL", "RBNA", "RR Donnelley",
  "Schweizer Post", "Shipmate", "Sonstige", "Stahlmann and Sachs", "Stampit", "STG", "Transaher", "Translink",
  "Transoflex", "Upsilon",
]

const exact = new Set(AMAZON_CARRIER_CODES)
const byLowerCase = new Map<string, string>()
for (const c of AMAZON_CARRIER_CODES) if (!byLowerCase.has(c.toLowerCase())) byLowerCase.set(c.toLowerCase(), c)

/** The exact Amazon spelling of a known carrier code, or undefined. */
export function knownCarrierCode(code: string): string | undefined {
  const trimmed = (code ?? "").trim()
  return exact.has(trimmed) ? trimmed : byLowerCase.get(trimmed.toLowerCase())
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
