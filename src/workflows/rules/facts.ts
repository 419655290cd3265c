import type { CanonicalOrder } from "../../modules/channel/types/canonical-order"
import { customFieldName, resolveRuleField } from "./fields"
import { marketplaceFigures, orderAmounts, predictTotals, reconcile, reconciliationInput, type TaxMode } from "../import-orders/order-amounts"

/** A custom field value a rule can compare; other shapes count as missing. */
export type CustomFieldFact = string | number | boolean

/**
 * What rules see of an order. Absent values are null (never empty strings) so
 * that "missing" has one meaning everywhere.
 */
export type RuleFacts = {
  external_id: string
  total: number
  currency_code: string
  item_count: number
  max_item_quantity: number
  total_quantity: number
  /** Distinct by exact spelling, in line order; lines without a SKU are skipped. */
  skus: string[]
  shipping_country: string | null
  is_international: boolean | null
  shipping_service: string | null
  email: string | null
  notes: string | null
  custom_fields: Record<string, CustomFieldFact>
  channel_id: string
  channel_provider: string
  external_status: string
  fulfilled_by_marketplace: boolean
  total_mismatch: boolean
  total_difference: number
}

export type RuleFactValue = number | string | boolean | string[] | null

function text(value: string | null | undefined): string | null {
  const trimmed = value?.trim()
  return trimmed ? trimmed : null
}

export function buildRuleFacts(
  order: CanonicalOrder,
  channel: { id: string; provider: string },
  opts: { store_country_code?: string | null; tax_mode?: TaxMode } = {}
): RuleFacts {
  let totalQuantity = 0
  let maxQuantity = 0
  const skus: string[] = []
  for (const item of order.items) {
    totalQuantity += item.quantity
    maxQuantity = Math.max(maxQuantity, item.quantity)
    const sku = text(item.sku)
    if (sku !== null && !skus.includes(sku)) {
      skus.push(sku)
    }
  }

  const shippingCountry = text(order.shipping_address?.country_code)?.toLowerCase() ?? null
  const storeCountry = text(opts.store_country_code)?.toLowerCase() ?? null

  const customFields: Record<string, CustomFieldFact> = {}
  for (const [name, value] of Object.entries(order.custom_fields ?? {})) {
    if (typeof value === "string") {
      const v = text(value)
      if (v !== null) customFields[name] = v
    } else if ((typeof value === "number" && Number.isFinite(value)) || typeof value === "boolean") {
      customFields[name] = value
    }
  }

  // What the buyer paid (lines, shipping, charges, tax where prices exclude it), and how the
  // Medusa order will compare with it.
  const amounts = orderAmounts(order, opts.tax_mode ?? "marketplace")
  const reconciliation = reconcile(reconciliationInput(order, amounts), { ...predictTotals(order, amounts), paid_total: null })

  return {
    external_id: order.external_id,
    total: Math.round(marketplaceFigures(order).total * 100) / 100,
    total_mismatch: reconciliation.status === "mismatch",
    total_difference: reconciliation.difference.total,
    currency_code: order.currency_code.toLowerCase(),
    item_count: order.items.length,
    max_item_quantity: maxQuantity,
    total_quantity: totalQuantity,
    skus,
    shipping_country: shippingCountry,
    is_international: shippingCountry && storeCountry ? shippingCountry !== storeCountry : null,
    shipping_service: text(order.shipping?.service_code) ?? text(order.shipping?.name),
    email: text(order.email),
    notes: text(order.notes),
    custom_fields: customFields,
    channel_id: channel.id,
    channel_provider: channel.provider,
    external_status: order.status,
    fulfilled_by_marketplace: order.fulfilled_by_marketplace === true,
  }
}

/**
 * The value of a condition field or placeholder; null when missing or unknown.
 * Never throws, whatever the facts object holds (rules may outlive a facts shape).
 */
export function readFact(facts: RuleFacts, field: string): RuleFactValue {
  const definition = resolveRuleField(field)
  if (!definition) {
    return null
  }
  const name = customFieldName(field)
  if (name !== null) {
    const custom = facts.custom_fields
    const value = custom && Object.prototype.hasOwnProperty.call(custom, name) ? custom[name] : undefined
    return value === undefined ? null : value
  }
  const key = definition.quantifier === "all" ? field.slice(0, -".all".length) : field
  const value = (facts as Record<string, unknown>)[key]
  if (value === undefined || value === null) {
    return null
  }
  if (Array.isArray(value)) {
    return value.filter((v): v is string => typeof v === "string")
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return value
  }
  return null
}
