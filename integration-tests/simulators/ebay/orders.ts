/**
 * Builds eBay Sell Fulfillment `Order` objects that look like what eBay sends (only keys of the
 * v1.20.7 spec, amounts as decimal strings, totals that add up), for the simulator's order store.
 */

export type SimLineItemInput = {
  lineItemId?: string
  legacyItemId?: string
  sku?: string | null
  title?: string
  quantity?: number
  /** Unit price in major units. */
  unitPrice?: number
  /** Tax for the whole line. */
  tax?: number
  /** TaxTypeEnum of that tax; by default STATE_SALES_TAX for USD, GST for CAD/AUD, else VAT. */
  taxType?: string
  /** Promotion discount for the whole line (positive). */
  discount?: number
  shipping?: number
  variationAspects?: { name: string; value: string }[]
  fulfillmentStatus?: "NOT_STARTED" | "IN_PROGRESS" | "FULFILLED"
}

export type SimContactInput = {
  fullName?: string
  email?: string | null
  phone?: string | null
  companyName?: string
  addressLine1?: string
  addressLine2?: string
  city?: string
  stateOrProvince?: string
  postalCode?: string
  countryCode?: string
}

export type MakeOrderInput = {
  /** Sequence number: gives distinct, deterministic ids and names. */
  seq?: number
  id?: string
  status?: "NOT_STARTED" | "IN_PROGRESS" | "FULFILLED"
  paymentStatus?: "PAID" | "PENDING" | "FAILED" | "FULLY_REFUNDED" | "PARTIALLY_REFUNDED"
  cancelState?: "NONE_REQUESTED" | "IN_PROGRESS" | "CANCELED"
  creationDate?: string
  lastModifiedDate?: string
  currency?: string
  marketplaceId?: string
  lineItems?: SimLineItemInput[]
  buyer?: SimContactInput & { username?: string }
  shipTo?: SimContactInput
  shippingServiceCode?: string
  shippingCarrierCode?: string
  deliveryDiscount?: number
  checkoutNotes?: string
  /** eBay Fulfillment: eBay ships the order. */
  fulfilledByEbay?: boolean
  /** Global Shipping / eBay International Shipping: shipTo is eBay's hub. */
  ebayInternationalShipping?: boolean
  ebayCollectAndRemitTax?: boolean
}

const money = (n: number) => (Math.round(n * 100) / 100).toFixed(2)
const amount = (n: number, currency: string) => ({ value: money(n), currency })
const pad = (n: number, width: number) => String(Math.abs(Math.trunc(n))).padStart(width, "0").slice(-width)

export function simOrderId(seq: number): string {
  return `${pad(10 + (seq % 89), 2)}-${pad(10000 + seq * 7, 5)}-${pad(30000 + seq * 13, 5)}`
}

const FIRST = ["Jane", "Sam", "Alex", "Maria", "John", "Chen", "Fatima", "Lukas", "Ana", "Tom"]
const LAST = ["Buyer", "Example", "Miller", "Garcia", "Smith", "Wang", "Khan", "Schmidt", "Silva", "Brown"]
const CITIES = [
  { city: "San Jose", stateOrProvince: "CA", postalCode: "95125" },
  { city: "Austin", stateOrProvince: "TX", postalCode: "78701" },
  { city: "Portland", stateOrProvince: "OR", postalCode: "97201" },
  { city: "Denver", stateOrProvince: "CO", postalCode: "80202" },
]

function contact(c: SimContactInput, currencyCountry: string) {
  const address: Record<string, string> = {}
  for (const key of ["addressLine1", "addressLine2", "city", "stateOrProvince", "postalCode", "countryCode"] as const) {
    if (c[key]) address[key] = c[key] as string
  }
  if (!address.countryCode) address.countryCode = currencyCountry
  const out: Record<string, unknown> = { fullName: c.fullName, contactAddress: address }
  if (c.phone) out.primaryPhone = { phoneNumber: c.phone }
  if (c.email) out.email = c.email
  if (c.companyName) out.companyName = c.companyName
  return out
}

/** A spec-shaped eBay order. Everything not given gets a plausible value derived from `seq`. */
export function makeOrder(input: MakeOrderInput = {}): Record<string, any> {
  const seq = input.seq ?? 1
  const currency = input.currency ?? "USD"
  const country = currency === "GBP" ? "GB" : currency === "EUR" ? "DE" : "US"
  const marketplace = input.marketplaceId ?? (country === "GB" ? "EBAY_GB" : country === "DE" ? "EBAY_DE" : "EBAY_US")
  const created = input.creationDate ?? new Date(Date.UTC(2026, 10, 1) + seq * 60_000).toISOString()
  const modified = input.lastModifiedDate ?? new Date(Date.parse(created) + 90_000).toISOString()
  const status = input.status ?? "NOT_STARTED"
  const place = CITIES[seq % CITIES.length]
  const name = `${FIRST[seq % FIRST.length]} ${LAST[Math.floor(seq / FIRST.length) % LAST.length]}`

  const buyerContact: SimContactInput = {
    fullName: name,
    email: `buyer${seq}@example.com`,
    phone: `40855501${pad(seq, 2)}`,
    addressLine1: `${100 + seq} Hamilton Ave`,
    ...place,
    countryCode: country,
    ...(input.buyer ?? {}),
  }
  const shipToContact: SimContactInput = { ...buyerContact, ...(input.shipTo ?? {}) }

  const lineInputs = input.lineItems ?? [{}]
  const lines = lineInputs.map((l, i) => {
    const quantity = l.quantity ?? 1 + ((seq + i) % 3)
    const unit = l.unitPrice ?? 9.99 + ((seq * 3 + i) % 20)
    const cost = unit * quantity
    const tax = l.tax ?? 0
    const discount = l.discount ?? 0
    const shipping = l.shipping ?? (i === 0 ? 4.5 : 0)
    const taxType = l.taxType ?? (currency === "USD" ? "STATE_SALES_TAX" : currency === "CAD" || currency === "AUD" ? "GST" : "VAT")
    const lineStatus = l.fulfillmentStatus ?? (status === "FULFILLED" ? "FULFILLED" : status === "IN_PROGRESS" && i === 0 ? "FULFILLED" : "NOT_STARTED")
    const line: Record<string, any> = {
      lineItemId: l.lineItemId ?? `1002${pad(seq, 6)}${pad(i, 4)}`,
      legacyItemId: l.legacyItemId ?? `1105${pad(seq * 10 + i, 8)}`,
      title: l.title ?? `Sim product ${seq}-${i + 1}`,
      lineItemCost: amount(cost, currency),
      quantity,
      soldFormat: "FIXED_PRICE",
      listingMarketplaceId: marketplace,
      purchaseMarketplaceId: marketplace,
      lineItemFulfillmentStatus: lineStatus,
      total: amount(cost - discount + shipping + tax, currency),
      deliveryCost: { shippingCost: amount(shipping, currency) },
      appliedPromotions: discount
        ? [{ promotionId: `PROMO${seq}`, description: "Sim promotion", discountAmount: amount(discount, currency) }]
        : [],
      // Stored as eBay sends it with fieldGroups=TAX_BREAKDOWN (the simulator strips what needs it).
      taxes: tax ? [{ amount: amount(tax, currency), taxType }] : [],
      properties: { buyerProtection: true },
      lineItemFulfillmentInstructions: {
        minEstimatedDeliveryDate: new Date(Date.parse(created) + 3 * 86_400_000).toISOString(),
        maxEstimatedDeliveryDate: new Date(Date.parse(created) + 5 * 86_400_000).toISOString(),
        shipByDate: new Date(Date.parse(created) + 86_400_000).toISOString(),
        guaranteedDelivery: false,
      },
      refunds: [],
    }
    if (l.sku !== null) line.sku = l.sku ?? `SIM-SKU-${(seq + i) % 40}`
    if (discount) line.discountedLineItemCost = amount(cost - discount, currency)
    if (l.variationAspects) line.variationAspects = l.variationAspects
    if (input.ebayCollectAndRemitTax && tax) {
      line.ebayCollectAndRemitTaxes = [{ amount: amount(tax, currency), taxType, collectionMethod: "NET" }]
    }
    return { line, cost, tax, discount, shipping }
  })

  const subtotal = lines.reduce((s, l) => s + l.cost, 0)
  const taxTotal = lines.reduce((s, l) => s + l.tax, 0)
  const discountTotal = lines.reduce((s, l) => s + l.discount, 0)
  const delivery = lines.reduce((s, l) => s + l.shipping, 0)
  const deliveryDiscount = input.deliveryDiscount ?? 0
  const total = subtotal - discountTotal + delivery - deliveryDiscount + taxTotal
  const pricingSummary: Record<string, any> = {
    priceSubtotal: amount(subtotal, currency),
    deliveryCost: amount(delivery, currency),
    total: amount(total, currency),
  }
  if (discountTotal) pricingSummary.priceDiscount = amount(-discountTotal, currency)
  if (deliveryDiscount) pricingSummary.deliveryDiscount = amount(-deliveryDiscount, currency)
  if (taxTotal) pricingSummary.tax = amount(taxTotal, currency)

  const paymentStatus = input.paymentStatus ?? "PAID"
  // eBay counts the tax it collects and remits into totalDueSeller too (spec note on PaymentSummary).
  const dueSeller = total
  const cancelState = input.cancelState ?? "NONE_REQUESTED"
  const instruction: Record<string, any> = {
    fulfillmentInstructionsType: input.fulfilledByEbay ? "FULFILLED_BY_EBAY" : "SHIP_TO",
    minEstimatedDeliveryDate: new Date(Date.parse(created) + 3 * 86_400_000).toISOString(),
    maxEstimatedDeliveryDate: new Date(Date.parse(created) + 5 * 86_400_000).toISOString(),
    shippingStep: {
      shipTo: contact(shipToContact, country),
      shippingCarrierCode: input.shippingCarrierCode ?? "USPS",
      shippingServiceCode: input.shippingServiceCode ?? "USPSPriority",
    },
  }
  if (input.ebayInternationalShipping) {
    instruction.ebaySupportedFulfillment = true
    instruction.finalDestinationAddress = contact(buyerContact, country).contactAddress
    instruction.shippingStep.shipTo = contact(
      {
        fullName: "eBay Global Shipping Center",
        addressLine1: "1850 Airport Exchange Blvd",
        addressLine2: `Reference #${seq}`,
        city: "Erlanger",
        stateOrProvince: "KY",
        postalCode: "41025",
        countryCode: "US",
      },
      "US"
    )
    instruction.shippingStep.shipToReferenceId = `${seq}`
  }

  const order: Record<string, any> = {
    orderId: input.id ?? simOrderId(seq),
    creationDate: created,
    lastModifiedDate: modified,
    orderFulfillmentStatus: status,
    orderPaymentStatus: paymentStatus,
    sellerId: "sim_seller",
    salesRecordReference: String(1000 + seq),
    buyer: {
      username: input.buyer?.username ?? `sim_buyer_${seq}`,
      taxAddress: {
        stateOrProvince: buyerContact.stateOrProvince,
        postalCode: buyerContact.postalCode,
        countryCode: buyerContact.countryCode,
      },
      buyerRegistrationAddress: contact(buyerContact, country),
    },
    pricingSummary,
    cancelStatus: {
      cancelState,
      cancelRequests:
        cancelState === "NONE_REQUESTED"
          ? []
          : [
              {
                cancelInitiator: "BUYER",
                cancelReason: "BUYER_ASKED_CANCEL",
                cancelRequestedDate: modified,
                cancelRequestId: `5${pad(seq, 9)}`,
                cancelRequestState: cancelState === "CANCELED" ? "COMPLETED" : "REQUESTED",
                ...(cancelState === "CANCELED" ? { cancelCompletedDate: modified } : {}),
              },
            ],
      ...(cancelState === "CANCELED" ? { cancelledDate: modified } : {}),
    },
    paymentSummary: {
      totalDueSeller: amount(dueSeller, currency),
      refunds: [],
      payments: [
        {
          paymentMethod: "EBAY",
          paymentReferenceId: `SIMPAY${pad(seq, 6)}`,
          ...(paymentStatus === "PENDING" ? {} : { paymentDate: new Date(Date.parse(created) + 3000).toISOString() }),
          amount: amount(total, currency),
          paymentStatus: paymentStatus === "PENDING" || paymentStatus === "FAILED" ? paymentStatus : "PAID",
        },
      ],
    },
    fulfillmentStartInstructions: [instruction],
    fulfillmentHrefs: [],
    lineItems: lines.map((l) => l.line),
    totalFeeBasisAmount: amount(total, currency),
    totalMarketplaceFee: amount(Math.round(total * 13) / 100, currency),
  }
  if (input.checkoutNotes) order.buyerCheckoutNotes = input.checkoutNotes
  if (input.ebayCollectAndRemitTax) order.ebayCollectAndRemitTax = true
  if (input.fulfilledByEbay) order.program = { fulfillmentProgram: { fulfilledBy: "EBAY" } }
  if (input.ebayInternationalShipping) {
    order.program = { ...(order.program ?? {}), ebayInternationalShipping: { returnsManagedBy: "EBAY" } }
  }
  return order
}
