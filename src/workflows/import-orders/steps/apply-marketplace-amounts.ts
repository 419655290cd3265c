import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { Modules } from "@medusajs/framework/utils"
import type { OrderAmounts } from "../order-amounts"

export type ApplyMarketplaceAmountsInput = {
  order_id: string
  amounts: Pick<OrderAmounts, "tax_mode" | "items" | "shipping" | "charges">
}

type Saved = { order_id: string; item_tax: any[]; item_adj: any[]; ship_tax: any[]; ship_adj: any[]; taxes: boolean }

const keep = (rows: any[], owner: string) =>
  rows.map((r) => {
    const { id: _id, created_at: _c, updated_at: _u, deleted_at: _d, raw_rate: _rr, raw_amount: _ra, item: _i, shipping_method: _s, ...rest } = r
    return { ...rest, [owner]: r[owner] }
  })

/**
 * createOrderWorkflow replaces an order's tax lines with the tax module's and its adjustments with
 * the store's promotions. A marketplace order's amounts are the marketplace's: this puts back its tax
 * lines (unless the channel lets the store compute taxes) and its discounts, on every line, charge
 * line and the shipping method. Compensation restores what createOrderWorkflow had written.
 */
export const applyMarketplaceAmountsStep = createStep(
  "apply-channel-order-marketplace-amounts",
  async (input: ApplyMarketplaceAmountsInput, { container }) => {
    const orders = container.resolve(Modules.ORDER) as any
    const order = await orders.retrieveOrder(input.order_id, {
      select: ["id"],
      relations: ["items", "items.tax_lines", "items.adjustments", "shipping_methods", "shipping_methods.tax_lines", "shipping_methods.adjustments"],
    })
    const items: any[] = order.items ?? []
    const methods: any[] = order.shipping_methods ?? []
    const saved: Saved = {
      order_id: input.order_id,
      item_tax: keep(items.flatMap((i) => (i.tax_lines ?? []).map((t: any) => ({ ...t, item_id: i.id }))), "item_id"),
      item_adj: keep(items.flatMap((i) => (i.adjustments ?? []).map((a: any) => ({ ...a, item_id: i.id }))), "item_id"),
      ship_tax: keep(methods.flatMap((m) => (m.tax_lines ?? []).map((t: any) => ({ ...t, shipping_method_id: m.id }))), "shipping_method_id"),
      ship_adj: keep(methods.flatMap((m) => (m.adjustments ?? []).map((a: any) => ({ ...a, shipping_method_id: m.id }))), "shipping_method_id"),
      taxes: input.amounts.tax_mode !== "store",
    }
    const amountsOf = (item: any) => {
      const key = item.metadata?.channel_charge_key
      if (key) return input.amounts.charges.find((c) => c.key === key)
      return input.amounts.items[item.metadata?.external_item_id]
    }
    const itemTax: any[] = []
    const itemAdj: any[] = []
    for (const item of items) {
      const a = amountsOf(item)
      if (!a) continue
      itemTax.push(...a.tax_lines.map((t) => ({ ...t, item_id: item.id })))
      itemAdj.push(...a.adjustments.map((d) => ({ ...d, item_id: item.id })))
    }
    const shipTax = methods.flatMap((m) => input.amounts.shipping.tax_lines.map((t) => ({ ...t, shipping_method_id: m.id })))
    const shipAdj = methods.flatMap((m) => input.amounts.shipping.adjustments.map(({ is_tax_inclusive: _net, ...d }) => ({ ...d, shipping_method_id: m.id })))
    await orders.setOrderLineItemAdjustments(input.order_id, itemAdj)
    await orders.setOrderShippingMethodAdjustments(input.order_id, shipAdj)
    if (saved.taxes) {
      await orders.setOrderLineItemTaxLines(input.order_id, itemTax)
      await orders.setOrderShippingMethodTaxLines(input.order_id, shipTax)
    }
    return new StepResponse(true, saved)
  },
  async (saved, { container }) => {
    if (!saved) return
    const orders = container.resolve(Modules.ORDER) as any
    const [exists] = await orders.listOrders({ id: saved.order_id }, { select: ["id"] })
    if (!exists) return
    await orders.setOrderLineItemAdjustments(saved.order_id, saved.item_adj)
    await orders.setOrderShippingMethodAdjustments(saved.order_id, saved.ship_adj)
    if (saved.taxes) {
      await orders.setOrderLineItemTaxLines(saved.order_id, saved.item_tax)
      await orders.setOrderShippingMethodTaxLines(saved.order_id, saved.ship_tax)
    }
  }
)
