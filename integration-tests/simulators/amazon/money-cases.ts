import type { AmazonOrder, AmazonOrderItem, AmazonProceedsBreakdown } from "../../../src/providers/amazon/types"

/**
 * Orders API 2026-01-01 orders that carry every money situation the canonical order has to express,
 * written out literally so that each figure can be checked by hand. Their shape follows the model's
 * own examples (searchOrders / getOrder examples and sandbox responses of orders_2026-01-01.json):
 * proceeds breakdowns per item with TAX and DISCOUNT detailed by subtype, the same categories summed
 * at order level, `grandTotal` equal to what the buyer paid. Discounts (and the tax a promotion takes
 * off) are negative, as proceeds are what the seller receives.
 *
 * Each order has every dataset; the simulator trims what the request's `includedData` leaves out.
 * Times are fixed here; `withTimes` moves them all by the same offset for a window in the present.
 */

export type AmazonMoneyCaseName =
  | "eu_vat_inclusive"
  | "us_marketplace_facilitator"
  | "item_promotion"
  | "shipping_promotion"
  | "gift_wrap"
  | "sub_cent_unit_price"
  | "order_level_shipping"
  | "zero_value_replacement"
  | "country_by_name"
  | "cash_on_delivery"
  | "partly_cancelled_line"

const m = (amount: string, currencyCode: string) => ({ amount, currencyCode })

const CREATED = "2026-11-20T09:00:00Z"
const UPDATED = "2026-11-20T10:00:00Z"

function fulfillment(status: string, level = "STANDARD"): AmazonOrder["fulfillment"] {
  return {
    fulfillmentStatus: status,
    fulfilledBy: "MERCHANT",
    fulfillmentServiceLevel: level,
    shipByWindow: { earliestDateTime: "2026-11-21T00:00:00Z", latestDateTime: "2026-11-22T23:59:59Z" },
    deliverByWindow: { earliestDateTime: "2026-11-24T00:00:00Z", latestDateTime: "2026-11-27T23:59:59Z" },
  }
}

function product(sku: string, asin: string, title: string, unitPrice?: { amount: string; currencyCode: string }): AmazonOrderItem["product"] {
  return {
    asin,
    title,
    sellerSku: sku,
    condition: { conditionType: "NEW", conditionSubtype: "NEW", conditionNote: "" },
    ...(unitPrice ? { price: { unitPrice } } : {}),
  }
}

const tax = (c: string, total: string, details: [string, string][]): AmazonProceedsBreakdown => ({
  type: "TAX",
  subtotal: m(total, c),
  detailedBreakdowns: details.map(([subtype, v]) => ({ subtype, value: m(v, c) })),
})
const discount = (c: string, total: string, details: [string, string][]): AmazonProceedsBreakdown => ({
  type: "DISCOUNT",
  subtotal: m(total, c),
  detailedBreakdowns: details.map(([subtype, v]) => ({ subtype, value: m(v, c) })),
})
const part = (type: string, c: string, v: string): AmazonProceedsBreakdown => ({ type, subtotal: m(v, c) })

const US_FACILITATOR_TAX = { taxCollections: [{ model: "MARKETPLACE_FACILITATOR", responsibleParty: "Amazon Services, Inc." }] }

export const AMAZON_MONEY_ORDERS: { name: AmazonMoneyCaseName; note: string; order: AmazonOrder }[] = [
  {
    name: "eu_vat_inclusive",
    note: "Amazon.de, prices include 19 % VAT: grandTotal = ITEM + SHIPPING, TAX is the VAT inside them.",
    order: {
      orderId: "302-4810001-0000101",
      createdTime: CREATED,
      lastUpdatedTime: UPDATED,
      programs: [],
      salesChannel: { channelName: "AMAZON", marketplaceId: "A1PA6795UKMFR9", marketplaceName: "Amazon.de" },
      buyer: { buyerName: "Lena Hoffmann", buyerEmail: "lena.h@marketplace.amazon.de" },
      recipient: {
        deliveryAddress: {
          name: "Lena Hoffmann",
          addressLine1: "Bergmannstraße 12",
          city: "Berlin",
          postalCode: "10961",
          countryCode: "DE",
          phone: "+49 30 1234567",
          addressType: "RESIDENTIAL",
        },
      },
      proceeds: {
        grandTotal: m("57.47", "EUR"),
        breakdowns: [part("ITEM", "EUR", "52.48"), part("SHIPPING", "EUR", "4.99"), part("TAX", "EUR", "9.18")],
      },
      fulfillment: fulfillment("UNSHIPPED"),
      orderItems: [
        {
          orderItemId: "30248100010001",
          quantityOrdered: 2,
          product: product("KAFFEE-ESP-500", "B0ESPRESS5", "Espressobohnen 500 g", m("19.99", "EUR")),
          proceeds: {
            proceedsTotal: m("39.98", "EUR"),
            breakdowns: [part("ITEM", "EUR", "39.98"), tax("EUR", "6.38", [["ITEM", "6.38"]])],
          },
          fulfillment: { quantityFulfilled: 0, quantityUnfulfilled: 2 },
        },
        {
          orderItemId: "30248100010002",
          quantityOrdered: 1,
          product: product("TASSE-ESP-2", "B0TASSEN02", "Espressotassen, 2er-Set", m("12.50", "EUR")),
          proceeds: {
            proceedsTotal: m("17.49", "EUR"),
            breakdowns: [
              part("ITEM", "EUR", "12.50"),
              part("SHIPPING", "EUR", "4.99"),
              tax("EUR", "2.80", [
                ["ITEM", "2.00"],
                ["SHIPPING", "0.80"],
              ]),
            ],
          },
          fulfillment: { quantityFulfilled: 0, quantityUnfulfilled: 1 },
        },
      ],
      packages: [],
    },
  },
  {
    name: "us_marketplace_facilitator",
    note: "Amazon.com, 8.25 % sales tax added on item and shipping, collected by Amazon as marketplace facilitator.",
    order: {
      orderId: "112-4810002-0000202",
      createdTime: CREATED,
      lastUpdatedTime: UPDATED,
      programs: ["PRIME"],
      salesChannel: { channelName: "AMAZON", marketplaceId: "ATVPDKIKX0DER", marketplaceName: "Amazon.com" },
      buyer: { buyerName: "Maya Torres", buyerEmail: "maya.t@marketplace.amazon.com" },
      recipient: {
        deliveryAddress: {
          name: "Maya Torres",
          addressLine1: "1400 Sunset Boulevard",
          addressLine2: "Apt 3",
          city: "Los Angeles",
          stateOrRegion: "CA",
          postalCode: "90026",
          countryCode: "US",
          phone: "+1 213-555-0142",
          addressType: "RESIDENTIAL",
        },
      },
      proceeds: {
        grandTotal: m("49.77", "USD"),
        breakdowns: [part("ITEM", "USD", "39.99"), part("SHIPPING", "USD", "5.99"), part("TAX", "USD", "3.79")],
      },
      fulfillment: fulfillment("UNSHIPPED"),
      orderItems: [
        {
          orderItemId: "11248100020001",
          quantityOrdered: 1,
          product: product("LAMP-LED-DESK", "B0LAMPLED1", "LED desk lamp, dimmable", m("39.99", "USD")),
          proceeds: {
            proceedsTotal: m("49.77", "USD"),
            breakdowns: [
              part("ITEM", "USD", "39.99"),
              part("SHIPPING", "USD", "5.99"),
              tax("USD", "3.79", [
                ["ITEM", "3.30"],
                ["SHIPPING", "0.49"],
              ]),
            ],
          },
          fulfillment: { quantityFulfilled: 0, quantityUnfulfilled: 1 },
          tax: US_FACILITATOR_TAX,
        },
      ],
      packages: [],
    },
  },
  {
    name: "item_promotion",
    note: "Amazon.com, 3 units at 15.00 with a 5.00 promotion; tax 3.60 on the list price less 0.40 taken off with the promotion.",
    order: {
      orderId: "113-4810003-0000303",
      createdTime: CREATED,
      lastUpdatedTime: UPDATED,
      programs: [],
      salesChannel: { channelName: "AMAZON", marketplaceId: "ATVPDKIKX0DER", marketplaceName: "Amazon.com" },
      buyer: { buyerName: "Evan Brooks", buyerEmail: "evan.b@marketplace.amazon.com" },
      recipient: {
        deliveryAddress: {
          name: "Evan Brooks",
          addressLine1: "220 Congress Avenue",
          city: "Austin",
          stateOrRegion: "TX",
          postalCode: "78701",
          countryCode: "US",
          addressType: "RESIDENTIAL",
        },
      },
      proceeds: {
        grandTotal: m("43.20", "USD"),
        breakdowns: [part("ITEM", "USD", "45.00"), part("DISCOUNT", "USD", "-5.00"), part("TAX", "USD", "3.20")],
      },
      fulfillment: fulfillment("UNSHIPPED"),
      orderItems: [
        {
          orderItemId: "11348100030001",
          quantityOrdered: 3,
          product: product("SOCKS-WOOL-3PK", "B0SOCKWOOL", "Merino socks, 3 pairs", m("15.00", "USD")),
          proceeds: {
            proceedsTotal: m("43.20", "USD"),
            breakdowns: [
              part("ITEM", "USD", "45.00"),
              discount("USD", "-5.00", [["ITEM", "-5.00"]]),
              tax("USD", "3.20", [
                ["ITEM", "3.60"],
                ["DISCOUNT", "-0.40"],
              ]),
            ],
          },
          promotion: { breakdowns: [{ promotionId: "BUY3-SAVE5" }] },
          fulfillment: { quantityFulfilled: 0, quantityUnfulfilled: 3 },
          tax: US_FACILITATOR_TAX,
        },
      ],
      packages: [],
    },
  },
  {
    name: "shipping_promotion",
    note: "Amazon.com, shipping 4.99 fully taken off by a free-shipping promotion, reported on the item and again (aggregated) on the order.",
    order: {
      orderId: "114-4810004-0000404",
      createdTime: CREATED,
      lastUpdatedTime: UPDATED,
      programs: [],
      salesChannel: { channelName: "AMAZON", marketplaceId: "ATVPDKIKX0DER", marketplaceName: "Amazon.com" },
      buyer: { buyerName: "Nora Lind", buyerEmail: "nora.l@marketplace.amazon.com" },
      recipient: {
        deliveryAddress: {
          name: "Nora Lind",
          addressLine1: "88 Pearl Street",
          city: "Denver",
          stateOrRegion: "CO",
          postalCode: "80202",
          countryCode: "US",
          addressType: "RESIDENTIAL",
        },
      },
      proceeds: {
        grandTotal: m("27.00", "USD"),
        breakdowns: [part("ITEM", "USD", "25.00"), part("SHIPPING", "USD", "4.99"), part("DISCOUNT", "USD", "-4.99"), part("TAX", "USD", "2.00")],
      },
      fulfillment: fulfillment("UNSHIPPED"),
      orderItems: [
        {
          orderItemId: "11448100040001",
          quantityOrdered: 1,
          product: product("YOGA-MAT-6MM", "B0YOGAMAT6", "Yoga mat, 6 mm", m("25.00", "USD")),
          proceeds: {
            proceedsTotal: m("27.00", "USD"),
            breakdowns: [
              part("ITEM", "USD", "25.00"),
              part("SHIPPING", "USD", "4.99"),
              discount("USD", "-4.99", [["SHIPPING", "-4.99"]]),
              tax("USD", "2.00", [["ITEM", "2.00"]]),
            ],
          },
          promotion: { breakdowns: [{ promotionId: "FREESHIP-25" }] },
          fulfillment: { quantityFulfilled: 0, quantityUnfulfilled: 1 },
          tax: US_FACILITATOR_TAX,
        },
      ],
      packages: [],
    },
  },
  {
    name: "gift_wrap",
    note: "Amazon.co.uk, prices include 20 % VAT; gift wrap 3.99 charged on the item, with its own VAT.",
    order: {
      orderId: "202-4810005-0000505",
      createdTime: CREATED,
      lastUpdatedTime: UPDATED,
      programs: [],
      salesChannel: { channelName: "AMAZON", marketplaceId: "A1F83G8C2ARO7P", marketplaceName: "Amazon.co.uk" },
      buyer: { buyerName: "Oliver Grant", buyerEmail: "oliver.g@marketplace.amazon.co.uk" },
      recipient: {
        deliveryAddress: {
          name: "Sam Grant",
          addressLine1: "7 Rose Lane",
          city: "York",
          stateOrRegion: "North Yorkshire",
          postalCode: "YO1 7HH",
          countryCode: "GB",
          addressType: "RESIDENTIAL",
        },
      },
      proceeds: {
        grandTotal: m("30.98", "GBP"),
        breakdowns: [part("ITEM", "GBP", "24.00"), part("SHIPPING", "GBP", "2.99"), part("GIFT_WRAP", "GBP", "3.99"), part("TAX", "GBP", "5.17")],
      },
      fulfillment: fulfillment("UNSHIPPED"),
      orderItems: [
        {
          orderItemId: "20248100050001",
          quantityOrdered: 1,
          product: product("CANDLE-SOY-L", "B0CANDLESL", "Soy candle, large", m("24.00", "GBP")),
          proceeds: {
            proceedsTotal: m("30.98", "GBP"),
            breakdowns: [
              part("ITEM", "GBP", "24.00"),
              part("SHIPPING", "GBP", "2.99"),
              part("GIFT_WRAP", "GBP", "3.99"),
              tax("GBP", "5.17", [
                ["ITEM", "4.00"],
                ["SHIPPING", "0.50"],
                ["GIFT_WRAP", "0.67"],
              ]),
            ],
          },
          fulfillment: {
            quantityFulfilled: 0,
            quantityUnfulfilled: 1,
            packing: { giftOption: { giftMessage: "Happy birthday, Sam!", giftWrapLevel: "STANDARD" } },
          },
        },
      ],
      packages: [],
    },
  },
  {
    name: "sub_cent_unit_price",
    note: "Amazon.com: a unit price of 22.495 (2 units = 44.99) and a line with only its total (3 units = 10.00).",
    order: {
      orderId: "111-4810006-0000606",
      createdTime: CREATED,
      lastUpdatedTime: UPDATED,
      programs: ["AMAZON_BUSINESS"],
      salesChannel: { channelName: "AMAZON", marketplaceId: "ATVPDKIKX0DER", marketplaceName: "Amazon.com" },
      buyer: { buyerName: "Priya Shah", buyerEmail: "priya.s@marketplace.amazon.com", buyerCompanyName: "Shah Design LLC" },
      recipient: {
        deliveryAddress: {
          name: "Priya Shah",
          companyName: "Shah Design LLC",
          addressLine1: "500 Pine Street",
          addressLine2: "Suite 1200",
          city: "Seattle",
          stateOrRegion: "WA",
          postalCode: "98101",
          countryCode: "US",
          addressType: "COMMERCIAL",
        },
      },
      proceeds: {
        grandTotal: m("59.53", "USD"),
        breakdowns: [part("ITEM", "USD", "54.99"), part("TAX", "USD", "4.54")],
      },
      fulfillment: fulfillment("UNSHIPPED"),
      orderItems: [
        {
          orderItemId: "11148100060001",
          quantityOrdered: 2,
          product: { ...product("INK-CART-BLK", "B0INKCARTB", "Ink cartridge, black"), price: { unitPrice: m("22.495", "USD"), priceDesignation: "BUSINESS_PRICE" } },
          proceeds: {
            proceedsTotal: m("48.70", "USD"),
            breakdowns: [part("ITEM", "USD", "44.99"), tax("USD", "3.71", [["ITEM", "3.71"]])],
          },
          fulfillment: { quantityFulfilled: 0, quantityUnfulfilled: 2 },
          tax: US_FACILITATOR_TAX,
        },
        {
          orderItemId: "11148100060002",
          quantityOrdered: 3,
          product: product("PAPER-A4-500", "B0PAPERA45", "Copy paper A4, 500 sheets"),
          proceeds: {
            proceedsTotal: m("10.83", "USD"),
            breakdowns: [part("ITEM", "USD", "10.00"), tax("USD", "0.83", [["ITEM", "0.83"]])],
          },
          fulfillment: { quantityFulfilled: 0, quantityUnfulfilled: 3 },
          tax: US_FACILITATOR_TAX,
        },
      ],
      packages: [],
    },
  },
  {
    name: "order_level_shipping",
    note: "Amazon.com: the item carries ITEM and TAX; shipping 6.99 and its tax 0.56 appear only in the order's breakdowns.",
    order: {
      orderId: "113-4810007-0000707",
      createdTime: CREATED,
      lastUpdatedTime: UPDATED,
      programs: [],
      salesChannel: { channelName: "AMAZON", marketplaceId: "ATVPDKIKX0DER", marketplaceName: "Amazon.com" },
      buyer: { buyerName: "Grace Kim", buyerEmail: "grace.k@marketplace.amazon.com" },
      recipient: {
        deliveryAddress: {
          name: "Grace Kim",
          addressLine1: "31 Harbor Road",
          city: "Portland",
          stateOrRegion: "ME",
          postalCode: "04101",
          countryCode: "US",
          addressType: "RESIDENTIAL",
        },
      },
      proceeds: {
        grandTotal: m("61.55", "USD"),
        breakdowns: [part("ITEM", "USD", "50.00"), part("SHIPPING", "USD", "6.99"), part("TAX", "USD", "4.56")],
      },
      fulfillment: fulfillment("UNSHIPPED", "EXPEDITED"),
      orderItems: [
        {
          orderItemId: "11348100070001",
          quantityOrdered: 1,
          product: product("BLENDER-1200W", "B0BLEND120", "Countertop blender 1200 W", m("50.00", "USD")),
          proceeds: {
            proceedsTotal: m("54.00", "USD"),
            breakdowns: [part("ITEM", "USD", "50.00"), tax("USD", "4.00", [["ITEM", "4.00"]])],
          },
          fulfillment: { quantityFulfilled: 0, quantityUnfulfilled: 1 },
          tax: US_FACILITATOR_TAX,
        },
      ],
      packages: [],
    },
  },
  {
    name: "zero_value_replacement",
    note: "Amazon.com: a free replacement (associatedOrders REPLACEMENT_ORIGINAL_ID) with every amount at 0.00.",
    order: {
      orderId: "114-4810008-0000808",
      createdTime: CREATED,
      lastUpdatedTime: UPDATED,
      programs: [],
      associatedOrders: [{ orderId: "114-3941689-8772232", associationType: "REPLACEMENT_ORIGINAL_ID" }],
      salesChannel: { channelName: "AMAZON", marketplaceId: "ATVPDKIKX0DER", marketplaceName: "Amazon.com" },
      buyer: { buyerName: "Tom Becker", buyerEmail: "tom.b@marketplace.amazon.com" },
      recipient: {
        deliveryAddress: {
          name: "Tom Becker",
          addressLine1: "19 Elm Street",
          city: "Columbus",
          stateOrRegion: "OH",
          postalCode: "43215",
          countryCode: "US",
          addressType: "RESIDENTIAL",
        },
      },
      proceeds: { grandTotal: m("0.00", "USD"), breakdowns: [part("ITEM", "USD", "0.00")] },
      fulfillment: fulfillment("UNSHIPPED"),
      orderItems: [
        {
          orderItemId: "11448100080001",
          quantityOrdered: 1,
          product: product("HEADPHONES-BT", "B0HEADPHBT", "Bluetooth headphones", m("0.00", "USD")),
          proceeds: { proceedsTotal: m("0.00", "USD"), breakdowns: [part("ITEM", "USD", "0.00")] },
          fulfillment: { quantityFulfilled: 0, quantityUnfulfilled: 1 },
          tax: US_FACILITATOR_TAX,
        },
      ],
      packages: [],
    },
  },
  {
    name: "country_by_name",
    note: "Amazon.fr to Belgium, prices include 21 % VAT; the address names its country (\"Belgique\") instead of an ISO code.",
    order: {
      orderId: "402-4810009-0000909",
      createdTime: CREATED,
      lastUpdatedTime: UPDATED,
      programs: [],
      salesChannel: { channelName: "AMAZON", marketplaceId: "A13V1IB3VIYZZH", marketplaceName: "Amazon.fr" },
      buyer: { buyerName: "Chloé Dubois", buyerEmail: "chloe.d@marketplace.amazon.fr" },
      recipient: {
        deliveryAddress: {
          name: "Chloé Dubois",
          addressLine1: "Rue de la Loi 42",
          city: "Bruxelles",
          stateOrRegion: "Bruxelles-Capitale",
          postalCode: "1040",
          countryCode: "Belgique",
          addressType: "RESIDENTIAL",
        },
      },
      proceeds: {
        grandTotal: m("35.00", "EUR"),
        breakdowns: [part("ITEM", "EUR", "35.00"), part("TAX", "EUR", "6.07")],
      },
      fulfillment: fulfillment("UNSHIPPED"),
      orderItems: [
        {
          orderItemId: "40248100090001",
          quantityOrdered: 1,
          product: product("LAMPE-CHEVET", "B0LAMPECHV", "Lampe de chevet en laiton", m("35.00", "EUR")),
          proceeds: {
            proceedsTotal: m("35.00", "EUR"),
            breakdowns: [part("ITEM", "EUR", "35.00"), tax("EUR", "6.07", [["ITEM", "6.07"]])],
          },
          fulfillment: { quantityFulfilled: 0, quantityUnfulfilled: 1 },
        },
      ],
      packages: [],
    },
  },
  {
    name: "cash_on_delivery",
    note: "Amazon.co.jp, cash on delivery: a 330 JPY COD fee, prices and fee include 10 % consumption tax; PAYMENT names CashOnDelivery.",
    order: {
      orderId: "250-4810010-0001010",
      createdTime: CREATED,
      lastUpdatedTime: UPDATED,
      programs: [],
      salesChannel: { channelName: "AMAZON", marketplaceId: "A1VC38T7YXB528", marketplaceName: "Amazon.co.jp" },
      buyer: { buyerName: "Haruto Sato", buyerEmail: "haruto.s@marketplace.amazon.co.jp" },
      recipient: {
        deliveryAddress: {
          name: "Haruto Sato",
          addressLine1: "1-2-3 Jingumae",
          addressLine2: "Shibuya-ku",
          city: "Tokyo",
          stateOrRegion: "Tokyo",
          postalCode: "150-0001",
          countryCode: "JP",
          phone: "+81 3-1234-5678",
          addressType: "RESIDENTIAL",
        },
      },
      proceeds: {
        grandTotal: m("6310", "JPY"),
        breakdowns: [part("ITEM", "JPY", "5980"), part("COD_FEE", "JPY", "330"), part("TAX", "JPY", "574")],
      },
      payment: { paymentExecutions: [{ paymentMethod: "CashOnDelivery", paymentAmount: m("6310", "JPY") }] },
      fulfillment: fulfillment("UNSHIPPED"),
      orderItems: [
        {
          orderItemId: "25048100100001",
          quantityOrdered: 2,
          product: product("TEAPOT-CAST-06", "B0TEAPOT06", "Cast iron teapot 0.6 L", m("2990", "JPY")),
          proceeds: {
            proceedsTotal: m("6310", "JPY"),
            breakdowns: [
              part("ITEM", "JPY", "5980"),
              part("COD_FEE", "JPY", "330"),
              tax("JPY", "574", [
                ["ITEM", "544"],
                ["COD_FEE", "30"],
              ]),
            ],
          },
          fulfillment: {
            quantityFulfilled: 0,
            quantityUnfulfilled: 2,
            shipping: { shippingConstraints: { cashOnDelivery: "MANDATORY" } },
          },
        },
      ],
      packages: [],
    },
  },
  {
    name: "partly_cancelled_line",
    note: "Amazon.com, PARTIALLY_SHIPPED: line 1 has 1 of 2 shipped; line 2 had 3 ordered, 1 cancelled by the seller, 2 left; proceeds cover what remains.",
    order: {
      orderId: "112-4810011-0001111",
      createdTime: CREATED,
      lastUpdatedTime: UPDATED,
      programs: [],
      salesChannel: { channelName: "AMAZON", marketplaceId: "ATVPDKIKX0DER", marketplaceName: "Amazon.com" },
      buyer: { buyerName: "Ana Ruiz", buyerEmail: "ana.r@marketplace.amazon.com" },
      recipient: {
        deliveryAddress: {
          name: "Ana Ruiz",
          addressLine1: "700 Lake Shore Drive",
          city: "Chicago",
          stateOrRegion: "IL",
          postalCode: "60611",
          countryCode: "US",
          addressType: "RESIDENTIAL",
        },
      },
      proceeds: {
        grandTotal: m("54.00", "USD"),
        breakdowns: [part("ITEM", "USD", "45.00"), part("SHIPPING", "USD", "5.00"), part("TAX", "USD", "4.00")],
      },
      fulfillment: fulfillment("PARTIALLY_SHIPPED"),
      orderItems: [
        {
          orderItemId: "11248100110001",
          quantityOrdered: 2,
          product: product("FILTER-PACK-2", "B0FILTER02", "Water filter cartridges, 2 pack", m("10.00", "USD")),
          proceeds: {
            proceedsTotal: m("27.00", "USD"),
            breakdowns: [
              part("ITEM", "USD", "20.00"),
              part("SHIPPING", "USD", "5.00"),
              tax("USD", "2.00", [
                ["ITEM", "1.60"],
                ["SHIPPING", "0.40"],
              ]),
            ],
          },
          fulfillment: { quantityFulfilled: 1, quantityUnfulfilled: 1 },
          tax: US_FACILITATOR_TAX,
        },
        {
          orderItemId: "11248100110002",
          quantityOrdered: 3,
          product: product("CARAFE-GLASS-1L", "B0CARAFE1L", "Glass carafe 1 L", m("12.50", "USD")),
          proceeds: {
            proceedsTotal: m("27.00", "USD"),
            breakdowns: [part("ITEM", "USD", "25.00"), tax("USD", "2.00", [["ITEM", "2.00"]])],
          },
          cancellation: { cancellationExecution: { cancelledBy: "MERCHANT", cancelReason: "NoInventory" } },
          fulfillment: { quantityFulfilled: 0, quantityUnfulfilled: 2 },
          tax: US_FACILITATOR_TAX,
        },
      ],
      packages: [
        {
          packageReferenceId: "1",
          createdTime: "2026-11-20T09:50:00Z",
          packageStatus: { status: "SHIPPED" },
          carrier: "UPS",
          shipTime: "2026-11-20T09:55:00Z",
          shippingService: "UPS Ground",
          trackingNumber: "1Z4810011000000001",
          packageItems: [{ orderItemId: "11248100110001", quantity: 1 }],
        },
      ],
    },
  },
]

const TIME_KEYS = new Set(["createdTime", "lastUpdatedTime", "earliestDateTime", "latestDateTime", "shipTime"])

function shift(value: unknown, deltaMs: number): unknown {
  if (Array.isArray(value)) return value.map((v) => shift(v, deltaMs))
  if (!value || typeof value !== "object") return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    out[k] = TIME_KEYS.has(k) && typeof v === "string" ? new Date(Date.parse(v) + deltaMs).toISOString().replace(/\.000Z$/, "Z") : shift(v, deltaMs)
  }
  return out
}

/** A copy of `order` with every date-time moved so that its lastUpdatedTime is `lastUpdated`. */
export function withTimes<T extends AmazonOrder>(order: T, lastUpdated: Date): T {
  return shift(order, lastUpdated.getTime() - Date.parse(order.lastUpdatedTime)) as T
}
