import { ContainerRegistrationKeys, ProductStatus } from "@medusajs/framework/utils"
import { createHook, createStep, createWorkflow, StepResponse, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { createProductsWorkflow, deleteProductsWorkflow } from "@medusajs/medusa/core-flows"
import { failpoint } from "./failpoints"

/** A marketplace-fulfilled line that matches no product: its SKU and title. */
export type PlaceholderProductInput = { sku: string; title: string }

/** The variant an order line is imported against (the fields prepareImports reads). */
export type PlaceholderVariant = {
  id: string
  sku: string
  barcode: null
  product_id: string
  manage_inventory: false
  allow_backorder: false
  inventory_items: []
}

/** The SKU a placeholder variant carries: the marketplace SKU behind `FBA:`, so it never matches a seller's own line. */
export const placeholderSku = (sku: string) => `FBA:${sku}`

/**
 * A handle Medusa accepts for a marketplace SKU's placeholder product: lower-case letters and digits
 * joined by single hyphens, never starting or ending with one ("ABC-" or "(NEW)" must not give "--").
 */
export function placeholderHandle(sku: string, now = Date.now()): string {
  const slug = sku
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
  return ["fba", slug || "item", now.toString(36)].join("-")
}

/**
 * Finds or creates the hidden "{FBA}" draft product of each SKU (one variant, no inventory). Only
 * the products this step created are its compensation's to delete: one that already existed (an
 * earlier run's, or another instance's) is never touched. A process that dies after the creation
 * leaves a placeholder that the next attempt finds by its SKU and reuses, so nothing is doubled.
 */
export const createPlaceholderProductsStep = createStep(
  "channel-orders-create-placeholder-product",
  async (input: { products: PlaceholderProductInput[] }, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const wanted = new Map<string, string>()
    for (const p of input.products) if (!wanted.has(p.sku)) wanted.set(p.sku, p.title)
    const out: Record<string, PlaceholderVariant> = {}
    if (!wanted.size) return new StepResponse(out, [] as string[])
    const { data: existing } = await query.graph({
      entity: "product_variant",
      fields: ["id", "sku", "product_id"],
      filters: { sku: [...wanted.keys()].map(placeholderSku) },
    })
    for (const v of existing as Array<{ id: string; sku: string; product_id: string }>) {
      out[v.sku.slice(4)] = variantRow(v.id, v.sku, v.product_id)
    }
    const missing = [...wanted].filter(([sku]) => !out[sku])
    if (!missing.length) return new StepResponse(out, [] as string[])
    const { result } = await createProductsWorkflow(container).run({
      input: {
        products: missing.map(([sku, title]) => ({
          title: `{FBA} ${title}`,
          handle: placeholderHandle(sku),
          status: ProductStatus.DRAFT,
          options: [{ title: "Default", values: ["Default"] }],
          metadata: { channel_placeholder: true, marketplace_sku: sku },
          variants: [{ title: "Default", sku: placeholderSku(sku), manage_inventory: false, options: { Default: "Default" }, prices: [] }],
        })),
      },
    })
    await failpoint("after-placeholder-products")
    for (const product of result) {
      const v = product.variants[0]
      out[String(v.sku).slice(4)] = variantRow(v.id, String(v.sku), product.id)
    }
    return new StepResponse(out, result.map((p) => p.id))
  },
  async (created, { container }) => {
    if (!created?.length) return
    await deleteProductsWorkflow(container).run({ input: { ids: created } })
  }
)

function variantRow(id: string, sku: string, product_id: string): PlaceholderVariant {
  return { id, sku, barcode: null, product_id, manage_inventory: false, allow_backorder: false, inventory_items: [] }
}

/**
 * The placeholder products of marketplace-fulfilled lines, found or created. `placeholderProductsCreated`
 * lets a store complete them (a sales channel, a shipping profile, a type); if its handler throws,
 * the products this run created are deleted again.
 */
export const createPlaceholderProductsWorkflow = createWorkflow(
  "channel-orders-create-placeholder-products",
  (input: { products: PlaceholderProductInput[] }) => {
    const variants = createPlaceholderProductsStep(input)
    const placeholderProductsCreated = createHook("placeholderProductsCreated", { variants: transform(variants, (v) => v) })
    return new WorkflowResponse(variants, { hooks: [placeholderProductsCreated] })
  }
)
