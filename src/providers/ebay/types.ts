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

/**
 * One entry of `lineItems[].taxes`. `taxType` (TaxTypeEnum: STATE_SALES_TAX, PROVINCE_SALES_TAX,
 * REGION, GST, VAT, … and fee types such as ELECTRONIC_RECYCLING_FEE) is only returned with
 * `fieldGroups=TAX_BREAKDOWN`.
 */
export type EbayTax = { amount?: EbayAmount; taxType?: string }

/** `lineItems[].ebayCollectAndRemitTaxes`: tax (or fee) eBay collects and remits itself. */
export type EbayCollectAndRemitTax = EbayTax & {
  collectionMethod?: string
  ebayReference?: { name?: string; value?: string }
}

export type EbayAppliedPromotion = { promotionId?: string; description?: string; discountAmount?: EbayAmount }

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
  appliedPromotions?: EbayAppliedPromotion[]
  taxes?: EbayTax[]
  ebayCollectAndRemitTaxes?: EbayCollectAndRemitTax[]
  /** Charges eBay itself collects from the buyer (eBay shipping, BUYER_PROTECTION). */
  ebayCollectedCharges?: { ebayShipping?: EbayAmount; charges?: { chargeType?: string; amount?: EbayAmount }[] }
  refunds?: { amount?: EbayAmount; refundDate?: string; refundId?: string; refundReferenceId?: string }[]
  properties?: { buyerProtection?: boolean; fromBestOffer?: boolean; soldViaAdCampaign?: boolean }
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

/** paymentSummary.payments[]; paymentMethod is PaymentMethodTypeEnum (EBAY, CASH_ON_DELIVERY, …). */
export type EbayPayment = {
  paymentMethod?: string
  paymentReferenceId?: string
  paymentStatus?: string
  paymentDate?: string
  amount?: EbayAmount
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
  /**
   * Order-level sums. priceDiscount and deliveryDiscount are negative; deliveryCost is before delivery
   * discounts; fee (recycling fees…) only comes with TAX_BREAKDOWN; total includes eBay-collected
   * tax only with TAX_BREAKDOWN.
   */
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
    payments?: EbayPayment[]
    refunds?: { amount?: EbayAmount; refundDate?: string; refundId?: string; refundStatus?: string }[]
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
