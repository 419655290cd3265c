import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createTaxRatesWorkflow, createTaxRegionsWorkflow } from "@medusajs/medusa/core-flows"

/**
 * Gives the seeded store the tax rates a real EU store has (DE 19 %, FR 20 %, ES 21 %, BE 21 %,
 * IT 22 %, NL 21 %, AT 20 %, GB 20 %) and US state rates (California 7.25 %, New York 4 %), so
 * that an import which let Medusa add its own tax would show it. Returns the US region's id.
 */
export async function addStoreTaxRates(container: MedusaContainer): Promise<{ us_region_id: string; gb_region_id: string }> {
  const tax = container.resolve(Modules.TAX)
  const regions = await tax.listTaxRegions({ parent_id: null } as any)
  const byCountry = new Map(regions.map((r: any) => [r.country_code, r.id]))
  const rates: Record<string, number> = { de: 19, fr: 20, es: 21, be: 21, it: 22, nl: 21, at: 20, gb: 20 }
  const existing = await tax.listTaxRates({ tax_region_id: [...byCountry.values()] } as any)
  const todo = Object.entries(rates).filter(([c]) => byCountry.get(c) && !existing.some((r: any) => r.tax_region_id === byCountry.get(c)))
  if (todo.length) {
    await createTaxRatesWorkflow(container).run({
      input: todo.map(([c, rate]) => ({ tax_region_id: byCountry.get(c)!, rate, code: `VAT-${c.toUpperCase()}`, name: `VAT ${c.toUpperCase()}`, is_default: true })),
    })
  }
  const usId = byCountry.get("us")
  const provinces = await tax.listTaxRegions({ parent_id: usId } as any)
  if (!provinces.length) {
    await createTaxRegionsWorkflow(container).run({
      input: [
        { country_code: "us", province_code: "us-ca", parent_id: usId, default_tax_rate: { rate: 7.25, code: "CA", name: "California" } },
        { country_code: "us", province_code: "us-ny", parent_id: usId, default_tax_rate: { rate: 4, code: "NY", name: "New York" } },
      ] as any,
    })
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "region", fields: ["id", "name", "automatic_taxes"], filters: {} })
  const us = data.find((r: any) => r.name === "United States")!
  const gb = data.find((r: any) => r.name === "United Kingdom")!
  // A real store taxes automatically everywhere.
  const regionsModule = container.resolve(Modules.REGION)
  await regionsModule.updateRegions({ id: [us.id, gb.id] } as any, { automatic_taxes: true } as any)
  return { us_region_id: us.id, gb_region_id: gb.id }
}

/** An order's money as the admin API shows it: totals, each line's total, shipping and what was captured. */
export async function orderMoney(api: any, auth: any, orderId: string) {
  const fields = [
    "id",
    "currency_code",
    "total",
    "subtotal",
    "tax_total",
    "discount_total",
    "shipping_total",
    "item_total",
    "payment_status",
    "metadata",
    "*items",
    "items.tax_lines.*",
    "items.adjustments.*",
    "*shipping_address",
    "*shipping_methods",
    "shipping_methods.tax_lines.*",
    "*payment_collections",
    "summary",
  ].join(",")
  const { data } = await api.get(`/admin/orders/${orderId}?fields=${fields}`, auth)
  const o = data.order
  const captured = (o.payment_collections ?? []).reduce((s: number, p: any) => s + Number(p.captured_amount ?? 0), 0)
  return {
    order: o,
    total: Number(o.total),
    tax_total: Number(o.tax_total),
    shipping_total: Number(o.shipping_total),
    discount_total: Number(o.discount_total),
    captured,
    lines: (o.items ?? []).map((i: any) => ({ sku: i.variant_sku ?? null, title: i.title, total: Number(i.total), tax_total: Number(i.tax_total) })),
  }
}
