import { AMAZON_CARRIER_CODES, knownCarrierCode, resolveCarrier as amazonCarrier } from "../../../providers/amazon/carriers"
import { resolveCarrierCode as ebayCarrier } from "../../../providers/ebay/carriers"
import { shipmentTracking, trackingBody } from "../../../providers/mirakl/carriers"

/** What each marketplace receives for the carrier a channel's carrier_mapping gives. */

describe("Amazon carrier codes", () => {
  it("hold the whole CarrierCode enumeration, each value once", () => {
    expect(new Set(AMAZON_CARRIER_CODES).size).toBe(AMAZON_CARRIER_CODES.length)
    expect(AMAZON_CARRIER_CODES.length).toBeGreaterThanOrEqual(350)
    // marketplace-apis.md §2.8 (d): the core list and the newer values it names.
    const named = [
      "USPS", "UPS", "UPSMI", "FedEx", "DHL", "Fastway", "GLS", "GO!", "Hermes Logistik Gruppe", "Royal Mail", "Parcelforce",
      "City Link", "TNT", "Target", "SagawaExpress", "NipponExpress", "YamatoTransport", "DHL Global Mail", "UPS Mail Innovations",
      "FedEx SmartPost", "OSM", "OnTrac", "Streamlite", "Newgistics", "Canada Post", "Blue Package", "Chronopost", "Deutsche Post",
      "DPD", "La Poste", "Parcelnet", "Poste Italiane", "SDA", "Smartmail", "FEDEX_JP", "JP_EXPRESS", "NITTSU", "SAGAWA", "YAMATO",
      "BlueDart", "AFL/Fedex", "Aramex", "India Post", "Professional", "DTDC", "Overnite Express", "First Flight", "Delhivery",
      "Lasership", "Yodel", "Other", "Amazon Shipping", "Seur", "Correos", "MRW", "Nacex", "Correios", "China Post", "Australia Post",
      "Yun Express", "4PX", "Hermes", "SF Express", "BRT", "Sendle", "Asendia", "DHL eCommerce", "DHL Express", "DHL Home Delivery",
      "DHL-Paket", "InPost", "Japan Post", "Post NL", "PostNord", "PUROLATOR", "Colissimo", "Colis Prive", "Mondial Relay",
      "Hermes UK", "DPD Local", "APC Overnight", "AMZL_UK", "AMZL", "Swiss post", "Sonstige", "Andere", "ROYAL_MAIL",
    ]
    expect(named.filter((c) => !AMAZON_CARRIER_CODES.includes(c))).toEqual([])
  })

  it("match exactly first, then regardless of case; anything else is Other + name", () => {
    expect(knownCarrierCode("ROYAL_MAIL")).toBe("ROYAL_MAIL")
    expect(knownCarrierCode("royal mail")).toBe("Royal Mail")
    expect(knownCarrierCode("SENDLE")).toBe("SENDLE")
    expect(knownCarrierCode("sendle")).toBe("Sendle")
    expect(amazonCarrier("Yanwen")).toEqual({ carrierCode: "Yanwen" })
    expect(amazonCarrier("kuehne+nagel")).toEqual({ carrierCode: "Kuehne+Nagel" })
    expect(amazonCarrier("Evri", "Evri")).toEqual({ carrierCode: "Other", carrierName: "Evri" })
    expect(amazonCarrier("Other", "Hermes Germany")).toEqual({ carrierCode: "Other", carrierName: "Hermes Germany" })
  })
})

describe("eBay carrier codes", () => {
  it("send a listed code in eBay's spelling and anything else as Other", () => {
    expect(ebayCarrier("fedex")).toEqual({ code: "FedEx", fallback: false })
    expect(ebayCarrier("PigeonPost")).toEqual({ code: "Other", fallback: true })
    expect(ebayCarrier("other")).toEqual({ code: "Other", fallback: false })
    expect(ebayCarrier("evri", ["Evri"])).toEqual({ code: "Evri", fallback: false })
  })
})

describe("Mirakl carriers", () => {
  const operator = [{ code: "UPS", label: "UPS" }, { code: "COLISSIMO", label: "Colissimo" }]
  const ship = { tracking_numbers: ["T1"], tracking_url: "https://local.example/T1" }

  it("use the operator's code when it has one (by code or label)", () => {
    expect(trackingBody({ ...ship, carrier_code: "ups" }, operator)).toEqual({ carrier_code: "UPS", tracking_number: "T1" })
    expect(trackingBody({ ...ship, carrier_code: "X", carrier_name: "Colissimo" }, operator)).toEqual({ carrier_code: "COLISSIMO", tracking_number: "T1" })
  })

  it("send carrier_name + the tracking page for a carrier the operator does not list (OR23 carrier_url, ST01 tracking_url)", () => {
    expect(trackingBody({ ...ship, carrier_code: "LOCALPOST", carrier_name: "Local Post" }, operator)).toEqual({
      carrier_name: "Local Post",
      carrier_url: "https://local.example/T1",
      tracking_number: "T1",
    })
    expect(shipmentTracking({ carrier_code: "LOCALPOST" }, { tracking_number: "T2", tracking_url: "https://local.example/T2" }, operator)).toEqual({
      carrier_name: "LOCALPOST",
      tracking_url: "https://local.example/T2",
      tracking_number: "T2",
    })
  })
})
