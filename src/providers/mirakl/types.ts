/**
 * The parts of Mirakl's seller API payloads this provider reads. Mirakl adds fields and enum values
 * without versioning, so everything is optional and enums are plain strings.
 */
export type MiraklAddress = {
  civility?: string
  firstname?: string
  lastname?: string
  company?: string
  company_2?: string
  street_1?: string
  street_2?: string
  zip_code?: string
  city?: string
  state?: string
  country?: string
  country_iso_code?: string
  phone?: string
  phone_secondary?: string
  additional_info?: string
}

/** One part of an amount under Mirakl's advanced invoicing rules (`amount_breakdown.parts[]`). */
export type MiraklAmountPart = {
  amount?: number
  commissionable?: boolean
  debitable_from_customer?: boolean
  payable_to_shop?: boolean
}

export type MiraklTax = {
  code?: string
  amount?: number
  rate?: number
  tax_calculation_rule?: string
  amount_breakdown?: { parts?: MiraklAmountPart[] }
}

export type MiraklFee = { code?: string; amount?: number }

/** A shop promotion: on a line `deduced_amount` is its share of that line, on the order its total. */
export type MiraklPromotion = {
  id?: string
  promo_code?: string
  apportioned?: boolean
  deduced_amount?: number
  offered_quantity?: number
  campaign?: { identifier?: string }
  configuration?: {
    type?: string
    internal_description?: string
    amount_off?: number
    percentage_off?: number
    reduced_unit_price?: number
    free_items_quantity?: number
  }
}

/** What OR29/OR30 took off a line; amounts are on the order's tax basis (order_tax_mode). */
export type MiraklCancelation = {
  id?: string
  quantity?: number
  amount?: number
  shipping_amount?: number
  taxes?: MiraklTax[]
  shipping_taxes?: MiraklTax[]
  fees?: MiraklFee[]
  reason_code?: string
}

export type MiraklEcoContribution = {
  epr_category_code?: string
  producer_id?: string
  producer_id_owner?: string
  unit_amount?: number
  total_amount?: number
}

export type MiraklAdditionalField = { code: string; type?: string; value?: unknown }

export type MiraklOrderLine = {
  order_line_id: string
  order_line_index?: number
  order_line_state?: string
  offer_id?: number
  offer_sku?: string
  product_sku?: string
  product_shop_sku?: string
  product_title?: string
  quantity?: number
  price?: number
  price_unit?: number
  origin_unit_price?: number
  shipping_price?: number
  total_price?: number
  taxes?: MiraklTax[]
  shipping_taxes?: MiraklTax[]
  fees?: MiraklFee[]
  promotions?: MiraklPromotion[]
  cancelations?: MiraklCancelation[]
  eco_contributions?: MiraklEcoContribution[]
  price_additional_info?: string
  order_line_additional_fields?: MiraklAdditionalField[]
}

export type MiraklOrder = {
  order_id: string
  commercial_id?: string
  order_state: string
  created_date?: string
  last_updated_date?: string
  acceptance_decision_date?: string
  customer_debited_date?: string
  shipping_deadline?: string
  currency_iso_code?: string
  price?: number
  shipping_price?: number
  total_price?: number
  order_tax_mode?: string
  order_taxes?: { code?: string; rate?: number; total_amount?: number }[]
  promotions?: { applied_promotions?: MiraklPromotion[]; total_deduced_amount?: number }
  /** Free text ("Visa"); `paymentType` is its deprecated twin. */
  payment_type?: string
  paymentType?: string
  payment_workflow?: string
  customer_directly_pays_seller?: boolean
  customer_notification_email?: string
  customer?: {
    customer_id?: string
    civility?: string
    firstname?: string
    lastname?: string
    locale?: string
    billing_address?: MiraklAddress | null
    shipping_address?: MiraklAddress | null
  } | null
  channel?: { code?: string; label?: string }
  fulfillment?: { center?: { code?: string } }
  references?: { order_reference_for_customer?: string; order_reference_for_seller?: string }
  shipping_type_code?: string
  shipping_type_label?: string
  shipping_type_standard_code?: string
  shipping_carrier_code?: string
  shipping_company?: string
  shipping_tracking?: string
  shipping_tracking_url?: string
  order_additional_fields?: MiraklAdditionalField[]
  order_lines?: MiraklOrderLine[]
}

export type MiraklOrderList = { orders: MiraklOrder[]; total_count: number }

/** ST01/ST11 shipment tracking (ST01 calls the unregistered carrier's page `tracking_url`, OR23 `carrier_url`). */
export type MiraklShipmentTracking = {
  carrier_code?: string
  carrier_name?: string
  carrier_standard_code?: string
  tracking_number?: string
  tracking_url?: string
}

export type MiraklShipmentLine = { order_line_id?: string; offer_sku?: string; package_reference?: string; quantity: number }

/** One shipment of an ST01 request. */
export type MiraklShipmentRequest = {
  order_id: string
  shipment_lines: MiraklShipmentLine[]
  shipped?: boolean
  tracking?: MiraklShipmentTracking
}

/** A shipment as ST01 and ST11 return it (the parts read here). */
export type MiraklShipment = {
  id: string
  order_id: string
  status?: string
  shipment_lines?: MiraklShipmentLine[]
  tracking?: MiraklShipmentTracking
}

export type MiraklShipmentsCreated = {
  shipment_success: MiraklShipment[]
  shipment_errors: { order_id?: string; message?: string }[]
}
