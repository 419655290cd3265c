import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { Modules } from "@medusajs/framework/utils"
import type { BatchCustomer } from "./find-or-create-customers"

type CreatedOrder = {
  id: string
  region_id?: string | null
  currency_code: string
  locale?: string | null
  customer_id?: string | null
  email?: string | null
  items?: Array<{ id: string; product_id?: string | null; product_type_id?: string | null; quantity: any; unit_price: any; is_giftcard?: boolean }>
  shipping_methods?: Array<{ id: string; name: string; shipping_option_id?: string | null; amount: any }>
  shipping_address?: { country_code?: string | null; province?: string | null; address_1?: string | null; address_2?: string | null; city?: string | null; postal_code?: string | null } | null
}

/**
 * What updateOrderTaxLinesWorkflow does after createOrderWorkflow, for a batch: the tax module's
 * lines for each order's items and shipping (same context: shipping address, customer and its
 * groups, shipping methods), written with one upsert call per kind for the whole batch.
 */
export const setBatchTaxLinesStep = createStep(
  "set-channel-order-batch-tax-lines",
  async (input: { orders: CreatedOrder[]; customers: BatchCustomer[] }, { container }) => {
    const regions = container.resolve(Modules.REGION)
    const tax = container.resolve(Modules.TAX)
    const orderModule = container.resolve(Modules.ORDER)
    const regionIds = [...new Set(input.orders.map((o) => o.region_id).filter((x): x is string => !!x))]
    const automatic = new Map(
      (regionIds.length ? await regions.listRegions({ id: regionIds }, { select: ["id", "automatic_taxes"] }) : []).map((r) => [r.id, r.automatic_taxes])
    )
    const customerById = new Map(input.customers.map((c) => [c.id, c]))

    const itemLines: Record<string, unknown>[] = []
    const shippingLines: Record<string, unknown>[] = []
    for (const order of input.orders) {
      const address = order.shipping_address
      if (!automatic.get(order.region_id ?? "") || !address?.country_code) continue
      const customer = order.customer_id ? customerById.get(order.customer_id) : undefined
      const context = {
        address: {
          country_code: address.country_code,
          province_code: address.province,
          address_1: address.address_1,
          address_2: address.address_2,
          city: address.city,
          postal_code: address.postal_code,
        },
        customer: customer && { id: customer.id, email: customer.email, customer_groups: customer.group_ids },
        is_return: false,
        locale: order.locale,
        shipping_methods: (order.shipping_methods ?? []).map((m) => ({ id: m.id, name: m.name, shipping_option_id: m.shipping_option_id, amount: m.amount })),
      }
      const lines = [
        ...(order.items ?? [])
          .filter((i) => !i.is_giftcard)
          .map((i) => ({ id: i.id, product_id: i.product_id, product_type_id: i.product_type_id, quantity: i.quantity, unit_price: i.unit_price, currency_code: order.currency_code })),
        ...(order.shipping_methods ?? []).map((m) => ({ id: m.id, shipping_option_id: m.shipping_option_id, unit_price: m.amount, currency_code: order.currency_code })),
      ]
      if (!lines.length) continue
      // One call per order for items and shipping together: the tax module picks each line's
      // rates on its own, so this gives the lines the two separate calls of the core step give.
      const result = (await tax.getTaxLines(lines as any, context as any)) as any[]
      for (const l of result) {
        const common = { description: l.name, tax_rate_id: l.rate_id, code: l.code, rate: l.rate, provider_id: l.provider_id, data: l.data }
        if ("line_item_id" in l) itemLines.push({ ...common, item_id: l.line_item_id })
        else shippingLines.push({ ...common, shipping_method_id: l.shipping_line_id })
      }
    }
    // upsert, as setOrderLineItemTaxLines does for one order (create* answers one row for an array).
    const [items, shipping] = await Promise.all([
      itemLines.length ? (orderModule as any).upsertOrderLineItemTaxLines(itemLines) : [],
      shippingLines.length ? (orderModule as any).upsertOrderShippingMethodTaxLines(shippingLines) : [],
    ])
    return new StepResponse(
      { item_tax_lines: itemLines.length, shipping_tax_lines: shippingLines.length },
      { items: (items as any[]).map((t) => t.id), shipping: (shipping as any[]).map((t) => t.id) }
    )
  },
  async (created, { container }) => {
    if (!created) return
    const orderModule = container.resolve(Modules.ORDER)
    await Promise.all([
      created.items.length ? orderModule.deleteOrderLineItemTaxLines(created.items) : null,
      created.shipping.length ? orderModule.deleteOrderShippingMethodTaxLines(created.shipping) : null,
    ])
  }
)
