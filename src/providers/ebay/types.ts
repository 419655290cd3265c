/**
 * The parts of eBay's Sell Fulfillment v1 payloads this provider reads (spec v1.20.7, component
 * names kept). Every field is optional: eBay omits empty containers and ages PII out of old orders.
 */
export type EbayAmount = {
  value?: string
  currency?: string
  convertedFromValue?: string
  convertedFromCurrency?: string
}

export type EbayAddress = {
  addressLine1?: string
  addressLine2?: string
  city?: string
  stateOrProvince?: string
  postalCode?: string
  countryCode?: string
  county?: string
}

export type EbayContact = {
  fullName?: string
  companyName?: string
  email?: string
  contactAddress?: EbayAddress
  primaryPhone?: { phoneNumber?: string }
}

export type EbayTax = { amount?: EbayAmount; taxType?: string }

export type EbayLineItem = {
  lineItemId?: string
  legacyItemId?: string
  legacyVariationId?: string
  sku?: string
  title?: string
  quantity?: number
  lineItemCost?: EbayAmount
  discountedLineItemCost?: EbayAmount
  total?: EbayAmount
  deliveryCost?: {
    shippingCost?: EbayAmount
    handlingCost?: EbayAmount
    importCharges?: EbayAmount
    discountAmount?: EbayAmount
    shippingIntermediationFee?: EbayAmount
  }
  appliedPromotions?: { promotionId?: string; description?: string; discountAmount?: EbayAmount }[]
  taxes?: EbayTax[]
  ebayCollectAndRemitTaxes?: (EbayTax & { collectionMethod?: string })[]
  lineItemFulfillmentStatus?: string
  lineItemFulfillmentInstructions?: {
    shipByDate?: string
    minEstimatedDeliveryDate?: string
    maxEstimatedDeliveryDate?: string
    guaranteedDelivery?: boolean
  }
  soldFormat?: string
  listingMarketplaceId?: string
  purchaseMarketplaceId?: string
  variationAspects?: { name?: string; value?: string }[]
  giftDetails?: { message?: string; recipientEmail?: string; senderName?: string }
}

export type EbayFulfillmentStartInstruction = {
  fulfillmentInstructionsType?: string
  ebaySupportedFulfillment?: boolean
  minEstimatedDeliveryDate?: string
  maxEstimatedDeliveryDate?: string
  finalDestinationAddress?: EbayAddress
  shippingStep?: {
    shipTo?: EbayContact
    shippingCarrierCode?: string
    shippingServiceCode?: string
    shipToReferenceId?: string
  }
}

export type EbayOrder = {
  orderId?: string
  creationDate?: string
  lastModifiedDate?: string
  orderFulfillmentStatus?: string
  orderPaymentStatus?: string
  sellerId?: string
  salesRecordReference?: string
  buyerCheckoutNotes?: string
  ebayCollectAndRemitTax?: boolean
  buyer?: {
    username?: string
    taxAddress?: { stateOrProvince?: string; postalCode?: string; countryCode?: string; city?: string }
    buyerRegistrationAddress?: EbayContact
  }
  pricingSummary?: {
    priceSubtotal?: EbayAmount
    priceDiscount?: EbayAmount
    deliveryCost?: EbayAmount
    deliveryDiscount?: EbayAmount
    tax?: EbayAmount
    fee?: EbayAmount
    adjustment?: EbayAmount
    total?: EbayAmount
  }
  paymentSummary?: {
    totalDueSeller?: EbayAmount
    payments?: { paymentMethod?: string; paymentStatus?: string; paymentDate?: string; amount?: EbayAmount }[]
  }
  cancelStatus?: { cancelState?: string; cancelledDate?: string; cancelRequests?: unknown[] }
  fulfillmentStartInstructions?: EbayFulfillmentStartInstruction[]
  fulfillmentHrefs?: string[]
  lineItems?: EbayLineItem[]
  program?: {
    fulfillmentProgram?: { fulfilledBy?: string }
    ebayShipping?: { shippingLabelProvidedBy?: string }
    ebayVault?: { fulfillmentType?: string }
    ebayInternationalShipping?: { returnsManagedBy?: string }
    authenticityVerification?: { outcomeReason?: string; status?: string }
  }
  totalFeeBasisAmount?: EbayAmount
  totalMarketplaceFee?: EbayAmount
}

/** OrderSearchPagedCollection */
export type EbayOrderPage = {
  href?: string
  limit?: number
  offset?: number
  total?: number
  next?: string
  prev?: string
  orders?: EbayOrder[]
  warnings?: EbayError[]
}

/** ShippingFulfillmentDetails (the createShippingFulfillment request body) */
export type EbayShippingFulfillmentDetails = {
  lineItems: { lineItemId: string; quantity: number }[]
  shippedDate?: string
  shippingCarrierCode?: string
  trackingNumber?: string
}

export type EbayShippingFulfillment = {
  fulfillmentId?: string
  lineItems?: { lineItemId?: string; quantity?: number }[]
  shipmentTrackingNumber?: string
  shippedDate?: string
  shippingCarrierCode?: string
}

export type EbayError = {
  errorId?: number
  domain?: string
  subdomain?: string
  category?: string
  message?: string
  longMessage?: string
  parameters?: { name?: string; value?: string }[]
}
