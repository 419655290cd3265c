/**
 * The parts of Amazon's Orders API 2026-01-01 model (`orders_2026-01-01.json`) this provider reads.
 * Every field is optional here on purpose: which ones arrive depends on `includedData`, the order's
 * status and the app's roles, and Amazon adds fields over time.
 */

export type AmazonMoney = { amount: string; currencyCode: string }

export type AmazonDateTimeRange = { earliestDateTime?: string; latestDateTime?: string }

export type AmazonAddress = {
  name?: string
  companyName?: string
  addressLine1?: string
  addressLine2?: string
  addressLine3?: string
  city?: string
  districtOrCounty?: string
  stateOrRegion?: string
  municipality?: string
  postalCode?: string
  countryCode?: string
  phone?: string
  addressType?: string
  extendedFields?: Record<string, unknown>
}

/**
 * One category of proceeds. Item level (`ItemProceedsBreakdown`): ITEM, SHIPPING, GIFT_WRAP, COD_FEE,
 * OTHER, TAX, DISCOUNT, where TAX and DISCOUNT may be detailed by subtype (ITEM, SHIPPING, GIFT_WRAP,
 * COD_FEE, OTHER, DISCOUNT). Order level (`OrderProceedsBreakdown`): the same categories aggregated
 * over the items, plus DELIVERY_TIP (with a `status`), never detailed.
 */
export type AmazonProceedsBreakdown = {
  type: string
  status?: string
  subtotal: AmazonMoney
  detailedBreakdowns?: { subtype?: string; value?: AmazonMoney }[]
}

/** `ItemTax` (includedData=TAX). */
export type AmazonItemTax = {
  taxCalculationBreakdowns?: { reportingScheme?: string }[]
  taxCollections?: { model?: string; responsibleParty?: string }[]
}

/** `PaymentExecution` (includedData=PAYMENT). */
export type AmazonPaymentExecution = {
  paymentMethod?: string
  paymentAmount?: AmazonMoney
  acquirerId?: string
  cardBrand?: string
  authorizationCode?: string
}

export type AmazonOrderItem = {
  orderItemId: string
  quantityOrdered: number
  programs?: string[]
  product: {
    asin?: string
    title?: string
    sellerSku?: string
    condition?: { conditionType?: string; conditionSubtype?: string; conditionNote?: string }
    price?: { unitPrice?: AmazonMoney; priceDesignation?: string }
    serialNumbers?: string[]
    customization?: { customizedUrl?: string }
  }
  proceeds?: { proceedsTotal?: AmazonMoney; breakdowns?: AmazonProceedsBreakdown[] }
  promotion?: { breakdowns?: { promotionId?: string }[] }
  cancellation?: {
    cancellationRequest?: { requester?: string; cancelReason?: string }
    cancellationExecution?: { cancelledBy?: string; cancelReason?: string }
  }
  fulfillment?: {
    quantityFulfilled?: number
    quantityUnfulfilled?: number
    packing?: { giftOption?: { giftMessage?: string; giftWrapLevel?: string }; [extra: string]: unknown }
    shipping?: {
      shippingConstraints?: { cashOnDelivery?: string; [constraint: string]: string | undefined }
      internationalShipping?: { iossNumber?: string }
      [extra: string]: unknown
    }
    [extra: string]: unknown
  }
  tax?: AmazonItemTax
  [extra: string]: unknown
}

export type AmazonPackage = {
  packageReferenceId: string
  createdTime?: string
  packageStatus?: { status: string; detailedStatus?: string }
  carrier?: string
  shipTime?: string
  shippingService?: string
  trackingNumber?: string
  packageItems?: { orderItemId: string; quantity: number; transparencyCodes?: string[] }[]
}

export type AmazonOrder = {
  orderId: string
  orderAliases?: { aliasId: string; aliasType: string }[]
  createdTime: string
  lastUpdatedTime: string
  programs?: string[]
  associatedOrders?: { orderId?: string; associationType?: string }[]
  salesChannel: { channelName: string; marketplaceId?: string; marketplaceName?: string }
  buyer?: { buyerName?: string; buyerEmail?: string; buyerCompanyName?: string; buyerPurchaseOrderNumber?: string }
  recipient?: {
    deliveryAddress?: AmazonAddress
    deliveryPreference?: { dropOffLocation?: string; addressInstruction?: string; [extra: string]: unknown }
  }
  proceeds?: { grandTotal?: AmazonMoney; breakdowns?: AmazonProceedsBreakdown[] }
  payment?: { paymentExecutions?: AmazonPaymentExecution[] }
  tax?: Record<string, unknown>
  fulfillment?: {
    fulfillmentStatus: string
    fulfilledBy?: string
    fulfillmentServiceLevel?: string
    shipByWindow?: AmazonDateTimeRange
    deliverByWindow?: AmazonDateTimeRange
    labelPrintingWindow?: AmazonDateTimeRange
  }
  orderItems: AmazonOrderItem[]
  packages?: AmazonPackage[]
  fulfillmentOrders?: { fulfillmentOrderId: string }[]
  [extra: string]: unknown
}

export type SearchOrdersResponse = {
  orders: AmazonOrder[]
  pagination?: { nextToken?: string }
  lastUpdatedBefore?: string
  createdBefore?: string
}

export type GetOrderResponse = { order: AmazonOrder }

/** Body of v0 confirmShipment (`ConfirmShipmentRequest` in ordersV0.json). */
export type ConfirmShipmentRequest = {
  marketplaceId: string
  codCollectionMethod?: "DirectPayment"
  packageDetail: {
    packageReferenceId: string
    carrierCode: string
    carrierName?: string
    shippingMethod?: string
    trackingNumber: string
    shipDate: string
    shipFromSupplySourceId?: string
    orderItems: { orderItemId: string; quantity: number; transparencyCodes?: string[] }[]
  }
}

/** `includedData` values of searchOrders/getOrder (spec enum). */
export const INCLUDED_DATA = [
  "BUYER",
  "RECIPIENT",
  "PROCEEDS",
  "EXPENSE",
  "PROMOTION",
  "CANCELLATION",
  "FULFILLMENT",
  "PACKAGES",
  "TAX",
  "PAYMENT",
  "FULFILLMENT_ORDERS",
] as const
export type IncludedData = (typeof INCLUDED_DATA)[number]

/**
 * `includedData` values that carry buyer or delivery PII, and the Tokens API `dataElements` value
 * (tokens_2021-03-01.json, RestrictedResource) that authorizes each: BUYER (name, e-mail, company,
 * purchase order) is buyer information, RECIPIENT (the delivery address with name, street and
 * phone) is the shipping address. Both need the app's restricted roles.
 */
export const RESTRICTED_INCLUDED_DATA = { BUYER: "buyerInfo", RECIPIENT: "shippingAddress" } as const satisfies Partial<
  Record<IncludedData, string>
>

/** `RestrictedResource` of the Tokens API 2021-03-01. */
export type RestrictedResource = {
  method: "GET" | "PUT" | "POST" | "DELETE"
  path: string
  dataElements?: string[]
}

/** `CreateRestrictedDataTokenResponse`. */
export type CreateRestrictedDataTokenResponse = { restrictedDataToken?: string; expiresIn?: number }

/**
 * Set by the provider (never by Amazon) on a raw order it fetched without the restricted datasets,
 * so that the mapper can say so on the canonical order.
 */
export const PII_MARKER = "_channel_orders" as const
export type PiiMarker = { pii_unavailable: true; reason: string }
