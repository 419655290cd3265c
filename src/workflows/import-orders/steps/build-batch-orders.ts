import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys, isPresent } from "@medusajs/framework/utils"
import type { BatchCustomer } from "./find-or-create-customers"

// The variant fields createOrderWorkflow reads for lines that carry their own price.
const VARIANT_FIELDS = [
  "id",
  "title",
  "sku",
  "barcode",
  "product.id",
  "product.title",
  "product.description",
  "product.subtitle",
  "product.thumbnail",
  "product.type.value",
  "product.type.id",
  "product.collection.title",
  "product.handle",
  "product.discountable",
  "inventory_items.inventory.requires_shipping",
]

export type BatchOrderSource = { order_input: Record<string, any>; email: string }

/**
 * Turns the page's prepared order inputs into order module input, as createOrderWorkflow would
 * for lines with a given net price: one variant query for the page, then the same line fields
 * (title, product and variant snapshot, requires_shipping from the inventory items, custom price,
 * is_tax_inclusive as given) and the same order fields (customer, e-mail, addresses without ids).
 */
export const buildBatchOrdersStep = createStep(
  "build-channel-order-batch",
  async (input: { sources: BatchOrderSource[]; customers: Record<string, BatchCustomer> }, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const variantIds = [...new Set(input.sources.flatMap((s) => (s.order_input.items ?? []).map((i: any) => i.variant_id).filter(Boolean)))]
    const { data: variants } = variantIds.length
      ? await query.graph({ entity: "product_variant", fields: VARIANT_FIELDS, filters: { id: variantIds } })
      : { data: [] as any[] }
    const variantById = new Map<string, any>((variants as any[]).map((v) => [v.id, v] as [string, any]))

    const orders = input.sources.map(({ order_input, email }) => {
      const { items, shipping_address, billing_address, ...rest } = order_input
      const customer = input.customers[email]
      return {
        ...rest,
        shipping_address: withoutId(shipping_address),
        billing_address: withoutId(billing_address),
        customer_id: customer?.id,
        email: order_input.email ?? customer?.email,
        items: (items ?? []).map((item: any) => lineItem(item, item.variant_id ? variantById.get(item.variant_id) : undefined)),
      }
    })
    return new StepResponse(orders)
  }
)

function withoutId(address: Record<string, any> | undefined) {
  const { id: _id, ...rest } = address ?? {}
  return isPresent(rest) ? rest : undefined
}

function lineItem(item: any, variant: any | undefined) {
  const product = variant?.product
  return {
    quantity: item.quantity,
    title: item.title ?? product?.title,
    subtitle: item.subtitle ?? variant?.title,
    thumbnail: item.thumbnail ?? variant?.thumbnail ?? product?.thumbnail,
    product_id: product?.id ?? item.product_id,
    product_title: item.product_title ?? product?.title,
    product_description: item.product_description ?? product?.description,
    product_subtitle: item.product_subtitle ?? product?.subtitle,
    product_type: item.product_type ?? product?.type?.value ?? null,
    product_type_id: item.product_type_id ?? product?.type?.id ?? null,
    product_collection: item.product_collection ?? product?.collection?.title ?? null,
    product_handle: item.product_handle ?? product?.handle,
    variant_id: variant?.id,
    variant_sku: item.variant_sku ?? variant?.sku,
    variant_barcode: item.variant_barcode ?? variant?.barcode,
    variant_title: item.variant_title ?? variant?.title,
    variant_option_values: item.variant_option_values,
    is_discountable: item.is_discountable ?? product?.discountable,
    is_giftcard: product?.is_giftcard ?? false,
    requires_shipping: item.requires_shipping ?? Boolean(variant?.inventory_items?.some((ii: any) => ii.inventory?.requires_shipping)),
    unit_price: item.unit_price,
    compare_at_unit_price: item.compare_at_unit_price,
    is_tax_inclusive: !!item.is_tax_inclusive,
    metadata: item.metadata ?? {},
    is_custom_price: true,
    // The marketplace's taxes and discounts (set-batch-tax-lines adds the store's taxes instead when
    // the channel's tax_mode is "store").
    tax_lines: item.tax_lines ?? [],
    adjustments: item.adjustments ?? [],
  }
}
