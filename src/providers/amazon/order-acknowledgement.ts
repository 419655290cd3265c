/**
 * `POST_ORDER_ACKNOWLEDGEMENT_DATA` feed (XSD OrderAcknowledgement): with StatusCode `Failure` it is
 * how a seller cancels a merchant-fulfilled order.
 */

export const CANCEL_REASONS = [
  "NoInventory",
  "ShippingAddressUndeliverable",
  "CustomerExchange",
  "BuyerCanceled",
  "GeneralAdjustment",
  "CarrierCreditDecision",
  "RiskAssessmentInformationNotValid",
  "CarrierCoverageFailure",
  "CustomerReturn",
  "MerchandiseNotReceived",
] as const
export type CancelReason = (typeof CANCEL_REASONS)[number]

/** Amazon's reason when the caller names one (any case); no reason means out of stock, unknown text a general adjustment. */
export function cancelReasonFor(reason?: string | null): CancelReason {
  const wanted = (reason ?? "").replace(/[\s_-]/g, "").toLowerCase()
  if (!wanted) return "NoInventory"
  return CANCEL_REASONS.find((r) => r.toLowerCase() === wanted) ?? "GeneralAdjustment"
}

const escapeXml = (v: string) =>
  v.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;")

export function orderCancellationFeed(input: {
  merchantIdentifier: string
  amazonOrderId: string
  orderItemIds: string[]
  reason: CancelReason
}): string {
  const items = input.orderItemIds
    .map(
      (id) =>
        `      <Item>\n        <AmazonOrderItemCode>${escapeXml(id)}</AmazonOrderItemCode>\n        <CancelReason>${input.reason}</CancelReason>\n      </Item>`
    )
    .join("\n")
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">`,
    `  <Header>`,
    `    <DocumentVersion>1.01</DocumentVersion>`,
    `    <MerchantIdentifier>${escapeXml(input.merchantIdentifier)}</MerchantIdentifier>`,
    `  </Header>`,
    `  <MessageType>OrderAcknowledgement</MessageType>`,
    `  <Message>`,
    `    <MessageID>1</MessageID>`,
    `    <OrderAcknowledgement>`,
    `      <AmazonOrderID>${escapeXml(input.amazonOrderId)}</AmazonOrderID>`,
    `      <StatusCode>Failure</StatusCode>`,
    items,
    `    </OrderAcknowledgement>`,
    `  </Message>`,
    `</AmazonEnvelope>`,
  ]
    .filter((l) => l !== "")
    .join("\n")
}
