import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { Modules } from "@medusajs/framework/utils"

/**
 * Creates the page's orders in one createOrders call, as Medusa's createOrdersStep does (same call,
 * same compensation), but answers only what the later steps read, in the input's order.
 *
 * Why not createOrdersStep: its answer is every order with seven relations, and the workflow keeps a
 * step's answer for the whole run and deep-copies whatever a later transform names, several times
 * over for nested lists. For a page that was the largest share of what the batch promoted to V8's old
 * generation, which sets how far the heap grows between major collections.
 */
export const createBatchOrdersStep = createStep(
  "create-channel-order-batch-orders",
  async (orders: Array<Record<string, any>>, { container }) => {
    const service = container.resolve(Modules.ORDER)
    const created = await service.createOrders(orders as any)
    const ids = created.map((o: any) => o.id as string)
    // createOrders answers in its own list order; the batch's channel order id puts them back.
    const byChannelOrder = new Map(created.map((o: any) => [o.metadata?.channel_order_id, o]))
    const compact = orders.map((o) => {
      const order = byChannelOrder.get(o.metadata?.channel_order_id)
      if (!order) throw new Error(`The batch created no order for channel order ${o.metadata?.channel_order_id}`)
      return compactOrder(order)
    })
    return new StepResponse(compact, ids)
  },
  async (ids, { container }) => {
    if (!ids?.length) return
    await container.resolve(Modules.ORDER).deleteOrders(ids)
  }
)

/** What the batch keeps of a created order (tax lines, totals and reservations read it). */
export type CompactOrder = ReturnType<typeof compactOrder>

function compactOrder(o: any) {
  const a = o.shipping_address
  return {
    id: o.id as string,
    region_id: (o.region_id ?? null) as string | null,
    currency_code: o.currency_code as string,
    locale: (o.locale ?? null) as string | null,
    customer_id: (o.customer_id ?? null) as string | null,
    items: (o.items ?? []).map((i: any) => ({
      id: i.id as string,
      external_item_id: (i.metadata?.external_item_id ?? null) as string | null,
      charge_key: (i.metadata?.channel_charge_key ?? null) as string | null,
      product_id: i.product_id ?? null,
      product_type_id: i.product_type_id ?? null,
      quantity: i.quantity,
      unit_price: i.unit_price,
      is_tax_inclusive: i.is_tax_inclusive,
      is_giftcard: i.is_giftcard,
      adjustments: i.adjustments ?? [],
    })),
    shipping_methods: (o.shipping_methods ?? []).map((m: any) => ({
      id: m.id as string,
      name: m.name as string,
      shipping_option_id: m.shipping_option_id ?? null,
      amount: m.amount,
      is_tax_inclusive: m.is_tax_inclusive,
      adjustments: m.adjustments ?? [],
    })),
    credit_lines: (o.credit_lines ?? []).map((c: any) => ({ amount: c.amount })),
    shipping_address: a
      ? { country_code: a.country_code ?? null, province: a.province ?? null, address_1: a.address_1 ?? null, address_2: a.address_2 ?? null, city: a.city ?? null, postal_code: a.postal_code ?? null }
      : null,
  }
}
