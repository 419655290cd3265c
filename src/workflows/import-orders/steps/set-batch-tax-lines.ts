import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { decorateCartTotals, Modules } from "@medusajs/framework/utils"
import type { BatchCustomer } from "./find-or-create-customers"
import type { CompactOrder } from "./create-batch-orders"
import type { OrderAmounts } from "../order-amounts"

/** Per created order: the marketplace's amounts it was created with (tax lines, adjustments). */
export type BatchOrderAmounts = Record<string, Pick<OrderAmounts, "tax_mode" | "items" | "shipping" | "charges">>

export type BatchOrderTotals = { id: string; currency_code: string; total: number; subtotal: number; tax_total: number; shipping_total: number }

/** The tax provider Medusa registers by default; its lines depend only on the rates the tax module picks. */
const SYSTEM_TAX_PROVIDER = "tp_system"

/**
 * What updateOrderTaxLinesWorkflow does after createOrderWorkflow, for a batch: the tax module's
 * lines for each order's items and shipping (same context: shipping address, customer and its
 * groups, shipping methods), written with one upsert call per kind for the whole batch. Then each
 * order's totals, computed as the order module computes them when asked (decorateCartTotals over
 * items, shipping methods, their tax lines and adjustments, and credit lines).
 */
export const setBatchTaxLinesStep = createStep(
  "set-channel-order-batch-tax-lines",
  async (input: { orders: CompactOrder[]; customers: BatchCustomer[]; amounts: BatchOrderAmounts }, { container }) => {
    const regions = container.resolve(Modules.REGION)
    const tax = container.resolve(Modules.TAX)
    const orderModule = container.resolve(Modules.ORDER)
    const regionIds = [...new Set(input.orders.map((o) => o.region_id).filter((x): x is string => !!x))]
    const automatic = new Map(
      (regionIds.length ? await regions.listRegions({ id: regionIds }, { select: ["id", "automatic_taxes"] }) : []).map((r) => [r.id, r.automatic_taxes])
    )
    const customerById = new Map(input.customers.map((c) => [c.id, c]))
    // Only channels whose tax_mode is "store" ask the tax module; the others were created with the
    // marketplace's tax lines (or none).
    const taxed = input.orders.filter((o) => input.amounts[o.id]?.tax_mode === "store" && automatic.get(o.region_id ?? "") && o.shipping_address?.country_code)

    // The system provider's lines depend only on the rates, and the tax module picks rates by
    // country, province and each line's product, product type or shipping option: orders shipped
    // to the same country and province can share one call. Any other provider may read the rest
    // of the context (customer, full address), so its orders keep one call each.
    const countries = [...new Set(taxed.map((o) => o.shipping_address!.country_code!.toLowerCase()))]
    const taxRegions = countries.length
      ? await tax.listTaxRegions({ country_code: countries, parent_id: null } as any, { select: ["country_code", "provider_id"] })
      : []
    const systemCountries = new Set(taxRegions.filter((r) => r.provider_id === SYSTEM_TAX_PROVIDER).map((r) => r.country_code!.toLowerCase()))
    const groups = new Map<string, CompactOrder[]>()
    for (const order of taxed) {
      const a = order.shipping_address!
      const country = a.country_code!.toLowerCase()
      const key = systemCountries.has(country) ? `${country}\u0000${(a.province ?? "").toLowerCase()}` : order.id
      const group = groups.get(key)
      if (group) group.push(order)
      else groups.set(key, [order])
    }

    const itemLines: Record<string, unknown>[] = []
    const shippingLines: Record<string, unknown>[] = []
    for (const orders of groups.values()) {
      // The context is the group's first order's; with the system provider only its country and
      // province count, and those are the group's.
      const order = orders[0]
      const address = order.shipping_address!
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
      const lines = orders.flatMap((o) => [
        ...(o.items ?? [])
          .filter((i) => !i.is_giftcard)
          .map((i) => ({ id: i.id, product_id: i.product_id, product_type_id: i.product_type_id, quantity: i.quantity, unit_price: i.unit_price, currency_code: o.currency_code })),
        ...(o.shipping_methods ?? []).map((m) => ({ id: m.id, shipping_option_id: m.shipping_option_id, unit_price: m.amount, currency_code: o.currency_code })),
      ])
      if (!lines.length) continue
      // Items and shipping in one call: the tax module picks each line's rates on its own, so this
      // gives the lines the two separate calls of the core step give.
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

    const linesOf = (rows: Record<string, unknown>[], key: string) => {
      const by = new Map<string, Array<{ rate: any }>>()
      for (const r of rows) {
        const lines = by.get(r[key] as string)
        if (lines) lines.push({ rate: r.rate })
        else by.set(r[key] as string, [{ rate: r.rate }])
      }
      return by
    }
    const itemTax = linesOf(itemLines, "item_id")
    const shippingTax = linesOf(shippingLines, "shipping_method_id")
    const totals: BatchOrderTotals[] = input.orders.map((o) => {
      const a = input.amounts[o.id]
      // Exact figures from the amounts the order was created with (not the rounded numbers read back).
      const own = (i: CompactOrder["items"][number]) => (i.charge_key ? a?.charges.find((c) => c.key === i.charge_key) : a?.items[i.external_item_id ?? ""])
      const storeTaxes = a?.tax_mode === "store"
      const t = decorateCartTotals({
        currency_code: o.currency_code,
        credit_lines: o.credit_lines ?? [],
        items: (o.items ?? []).map((i) => {
          const mine = own(i)
          return {
            ...i,
            tax_lines: storeTaxes ? itemTax.get(i.id) ?? [] : (mine?.tax_lines ?? []).map((l) => ({ rate: l.rate })),
            adjustments: mine ? mine.adjustments.map((d) => ({ amount: d.amount, is_tax_inclusive: d.is_tax_inclusive })) : i.adjustments,
          }
        }),
        shipping_methods: (o.shipping_methods ?? []).map((m) => ({
          ...m,
          tax_lines: storeTaxes ? shippingTax.get(m.id) ?? [] : (a?.shipping.tax_lines ?? []).map((l) => ({ rate: l.rate })),
          adjustments: a ? a.shipping.adjustments.map((d) => ({ amount: d.amount })) : m.adjustments,
        })),
      } as any) as any
      return {
        id: o.id,
        currency_code: o.currency_code,
        total: Number(t.total),
        subtotal: Number(t.subtotal),
        tax_total: Number(t.tax_total),
        shipping_total: Number(t.shipping_total),
      }
    })
    return new StepResponse(
      { totals },
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
