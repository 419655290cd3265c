import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createPlaceholderProductsWorkflow, placeholderHandle, placeholderSku } from "./create-placeholder-products"
import { CHANNEL_MODULE } from "../../modules/channel"
import type ChannelModuleService from "../../modules/channel/service"
import type { ChannelSettings } from "../../modules/channel/settings"
import type { CanonicalOrder } from "../../modules/channel/types/canonical-order"
import type { StatusAction } from "../../modules/channel/types/provider"
import type { HoldReason } from "../../modules/channel/types/states"
import { ChannelOrderImportError } from "../../modules/channel/errors"
import { orderAmounts, predictTotals, reconciliationInput, type OrderAmounts, type ReconciliationOrder } from "./order-amounts"

/** What each status action asks of the import, besides creating the order. */
export type ActionPlan = {
  reserve: boolean
  /** `awaiting`: a payment collection without payment (cash on delivery); `zero`: a collection of 0, nothing captured. */
  payment: "captured" | "authorized" | "awaiting" | "zero" | "none"
  invoice: boolean
  cancel: boolean
  fulfil: "none" | "stock" | "history"
  hold_status_rule: boolean
}

export function planFor(action: Exclude<StatusAction, "do_not_import">, settings: ChannelSettings): ActionPlan {
  const settingPayment = settings.payment_status === "not_paid" ? "none" : settings.payment_status
  switch (action) {
    case "import_as_valid":
      return { reserve: true, payment: settingPayment, invoice: false, cancel: false, fulfil: "none", hold_status_rule: false }
    case "import_and_invoice":
      return { reserve: true, payment: "captured", invoice: true, cancel: false, fulfil: "none", hold_status_rule: false }
    case "import_and_cancel":
      return { reserve: false, payment: "none", invoice: false, cancel: true, fulfil: "none", hold_status_rule: false }
    case "import_and_hold":
      return { reserve: true, payment: settingPayment, invoice: false, cancel: false, fulfil: "none", hold_status_rule: true }
    case "import_and_complete":
      return { reserve: true, payment: "captured", invoice: true, cancel: false, fulfil: "stock", hold_status_rule: false }
    case "import_as_history":
      return { reserve: false, payment: "captured", invoice: true, cancel: false, fulfil: "history", hold_status_rule: false }
  }
}

export type PreparedLine = {
  external_item_id: string
  variant_id: string | null
  manage_inventory: boolean
  inventory: Array<{ inventory_item_id: string; required_quantity: number }>
  quantity: number
  /** Units the marketplace shipped before the import: recorded as shipped, never reserved. */
  shipped_quantity: number
  reserve: boolean
}

export type PreparedHold = { reason: HoldReason; detail: string; rule_id?: string | null }

export type PreparedImport = {
  channel_order_id: string
  external_id: string
  external_status: string
  action: Exclude<StatusAction, "do_not_import">
  plan: ActionPlan
  /** The marketplace's figures as Medusa records them (tax lines, adjustments, charge lines). */
  amounts: Pick<OrderAmounts, "tax_mode" | "items" | "shipping" | "charges">
  /** What reconciling the imported order against the marketplace needs. */
  reconciliation_order: ReconciliationOrder
  location_id: string
  shipping_option_id: string | null
  lines: PreparedLine[]
  holds: PreparedHold[]
  tags: string[]
  order_input: Record<string, any>
  /** Lines the marketplace already shipped (part of an order first seen partly shipped). */
  shipped_elsewhere: Array<{ external_item_id: string; quantity: number }>
}

export type ImportCandidate = {
  channel_order_id: string
  order: CanonicalOrder
  action: Exclude<StatusAction, "do_not_import">
}

type VariantRow = {
  id: string
  sku: string | null
  barcode: string | null
  product_id: string
  manage_inventory: boolean
  allow_backorder: boolean
  inventory_items: Array<{ inventory_item_id: string; required_quantity: number }>
}

const VARIANT_FIELDS = ["id", "sku", "barcode", "product_id", "manage_inventory", "allow_backorder", "inventory_items.inventory_item_id", "inventory_items.required_quantity"]

/** What is left to ship of a line: ordered (minus canceled) minus what the marketplace already shipped. */
const openQuantity = (item: CanonicalOrder["items"][number]) => Math.max(0, item.quantity - (item.shipped_quantity ?? 0))

/** An address Medusa can ship to has a country, a street and a city. */
function addressGaps(a: CanonicalOrder["shipping_address"]): string[] {
  if (!a) return ["address"]
  return [!a.country_code && "country", !a.address_1 && "street", !a.city && "city"].filter((x): x is string => !!x)
}

function placeholderEmail(channelName: string, externalId: string): string {
  const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40) || "x"
  return `${slug(channelName)}-${slug(externalId)}@marketplace.invalid`
}

type VariantLookup = {
  variantBy: { sku: Map<string, VariantRow>; barcode: Map<string, VariantRow>; mapping: Map<string, VariantRow | undefined> }
  resolveVariant: (sku: string | null | undefined) => VariantRow | undefined
}

/** Variants for a set of marketplace SKUs, in three queries: the channel's mapping table, SKU and barcode. */
async function lookupVariants(container: MedusaContainer, channelId: string, settings: ChannelSettings, skus: string[]): Promise<VariantLookup> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const mappings = skus.length && settings.sku_matching.includes("mapping") ? await channels.listChannelSkuMappings({ channel_id: channelId, external_sku: skus }) : []
  const mappedVariantIds = [...new Set(mappings.map((m) => m.variant_id))]
  const fbaSkus = skus.map((s) => `FBA:${s}`)
  const [bySku, byBarcode, byId] = await Promise.all([
    skus.length ? query.graph({ entity: "product_variant", fields: VARIANT_FIELDS, filters: { sku: [...skus, ...fbaSkus] } }) : { data: [] },
    skus.length && settings.sku_matching.includes("barcode") ? query.graph({ entity: "product_variant", fields: VARIANT_FIELDS, filters: { barcode: skus } }) : { data: [] },
    mappedVariantIds.length ? query.graph({ entity: "product_variant", fields: VARIANT_FIELDS, filters: { id: mappedVariantIds } }) : { data: [] },
  ])
  const variantBy = {
    sku: new Map((bySku.data as VariantRow[]).filter((v) => v.sku).map((v) => [v.sku!, v])),
    barcode: new Map((byBarcode.data as VariantRow[]).filter((v) => v.barcode).map((v) => [v.barcode!, v])),
    mapping: new Map(mappings.map((m) => [m.external_sku, (byId.data as VariantRow[]).find((v) => v.id === m.variant_id)])),
  }
  const resolveVariant = (sku: string | null | undefined): VariantRow | undefined => {
    if (!sku) return undefined
    for (const how of settings.sku_matching) {
      // Placeholder products of marketplace-fulfilled lines never match a seller's own order.
      const v = how === "sku" && sku.startsWith("FBA:") ? undefined : variantBy[how].get(sku)
      if (v) return v
    }
    return undefined
  }
  return { variantBy, resolveVariant }
}

/** Which of these marketplace SKUs match a variant for the channel (used to accept order lines). */
export async function matchedSkus(container: MedusaContainer, channelId: string, settings: ChannelSettings, skus: string[]): Promise<Set<string>> {
  const unique = [...new Set(skus.filter(Boolean))]
  const { resolveVariant } = await lookupVariants(container, channelId, settings, unique)
  return new Set(unique.filter((s) => resolveVariant(s)))
}

/**
 * Reads everything a page of imports needs in a few queries (variants by SKU, barcode and mapping,
 * stock at the channel's location, the location's links) and turns each canonical order into the
 * input of the import workflow, or a typed refusal. Stock is tracked across the page, so the second
 * order for the last unit sees that the first one took it.
 */
export async function prepareImports(
  container: MedusaContainer,
  channel: { id: string; name: string },
  settings: ChannelSettings,
  candidates: ImportCandidate[]
): Promise<Array<{ ok: true; prepared: PreparedImport } | { ok: false; error: ChannelOrderImportError }>> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)

  if (!settings.region_id || !settings.sales_channel_id || !settings.stock_location_id) {
    const missing = ["region_id", "sales_channel_id", "stock_location_id"].filter((k) => !(settings as any)[k])
    const error = new ChannelOrderImportError("channel_misconfigured", `The channel has no ${missing.join(", ")} set: open its settings and choose where orders go`, { missing_settings: missing })
    return candidates.map(() => ({ ok: false as const, error }))
  }
  const locationId = settings.stock_location_id

  const skus = [...new Set(candidates.flatMap((c) => c.order.items.map((i) => i.sku).filter((s): s is string => !!s)))]
  const { variantBy, resolveVariant } = await lookupVariants(container, channel.id, settings, skus)

  // Stock at the channel's location, one query for the page.
  const inventoryItemIds = [
    ...new Set([...variantBy.sku.values(), ...variantBy.barcode.values(), ...variantBy.mapping.values()].flatMap((v) => v?.inventory_items?.map((i) => i.inventory_item_id) ?? [])),
  ]
  const available = new Map<string, number>()
  if (inventoryItemIds.length) {
    const inventory = container.resolve(Modules.INVENTORY)
    const levels = await inventory.listInventoryLevels({ inventory_item_id: inventoryItemIds, location_id: locationId })
    for (const l of levels) available.set(l.inventory_item_id, Number(l.stocked_quantity) - Number(l.reserved_quantity))
  }

  // Is the location still a place this sales channel can ship from?
  const { data: locs } = await query.graph({
    entity: "stock_location",
    fields: ["id", "sales_channels.id", "fulfillment_sets.id"],
    filters: { id: locationId },
  })
  const loc = locs[0] as any
  const sourceProblem = !loc
    ? `Stock location ${locationId} no longer exists`
    : !(loc.sales_channels ?? []).some((s: any) => s.id === settings.sales_channel_id)
      ? `Stock location ${locationId} is not linked to sales channel ${settings.sales_channel_id}`
      : !(loc.fulfillment_sets ?? []).length
        ? `Stock location ${locationId} has no fulfillment set`
        : null

  const results: Array<{ ok: true; prepared: PreparedImport } | { ok: false; error: ChannelOrderImportError }> = []
  for (const c of candidates) {
    try {
      results.push({ ok: true, prepared: await prepareOne(c) })
    } catch (e) {
      // Anything else (a placeholder product Medusa refuses, a lost race creating it) fails this
      // order with a reason, not the page: a page that fails every run would block the channel.
      results.push({ ok: false, error: e instanceof ChannelOrderImportError ? e : new ChannelOrderImportError("import_failed", `The order could not be prepared: ${(e as Error)?.message ?? e}`) })
    }
  }
  return results

  async function prepareOne(c: ImportCandidate): Promise<PreparedImport> {
    const { order, action } = c
    const plan = planFor(action, settings)
    const holds: PreparedHold[] = []
    const fulfils = plan.fulfil !== "none"

    // Match lines to variants.
    const matched = new Map<string, VariantRow | undefined>()
    for (const item of order.items) matched.set(item.external_id, resolveVariant(item.sku))
    const unmatched = order.items.filter((i) => !matched.get(i.external_id))
    if (unmatched.length) {
      if (order.fulfilled_by_marketplace) {
        for (const item of unmatched) matched.set(item.external_id, await fbaPlaceholder(item.sku ?? item.external_id, item.title))
      } else if (settings.import_unavailable_products && !fulfils) {
        holds.push({
          reason: "not_managed_item",
          detail: `No product matches SKU ${unmatched.map((i) => i.sku ?? "(none)").join(", ")}; imported as custom line(s)`,
        })
      } else {
        throw new ChannelOrderImportError(
          "unmatched_sku",
          `No product variant matches SKU ${unmatched.map((i) => i.sku ?? `(none on line ${i.external_id})`).join(", ")}. Map the SKU to a variant, then retry.`,
          { skus: [...new Set(unmatched.map((i) => i.sku).filter((s): s is string => !!s))], lines_without_sku: unmatched.filter((i) => !i.sku).map((i) => i.external_id) }
        )
      }
    }

    // Stock: the complete action moves stock, so a shortage refuses the order; the others hold it.
    const need = new Map<string, number>()
    for (const item of order.items) {
      const v = matched.get(item.external_id)
      if (!v?.manage_inventory || v.allow_backorder) continue
      for (const ii of v.inventory_items ?? []) need.set(ii.inventory_item_id, (need.get(ii.inventory_item_id) ?? 0) + openQuantity(item) * Number(ii.required_quantity ?? 1))
    }
    const shortItems = new Set([...need].filter(([id, q]) => (available.get(id) ?? 0) < q).map(([id]) => id))
    const checksStock = plan.reserve || plan.fulfil === "stock"
    if (checksStock && shortItems.size) {
      if (plan.fulfil === "stock") {
        throw new ChannelOrderImportError("insufficient_quantity", `Not enough available stock at the channel's location for SKU ${skusOf(shortItems).join(", ")}`, { skus: skusOf(shortItems), location_id: locationId })
      }
      holds.push({ reason: "insufficient_quantity", detail: `Short at the channel's location: ${skusOf(shortItems).join(", ")}; those lines are not reserved` })
    }

    if (sourceProblem) {
      if (fulfils) throw new ChannelOrderImportError("channel_misconfigured", sourceProblem, { location_id: locationId, sales_channel_id: settings.sales_channel_id })
      holds.push({ reason: "disabled_source", detail: sourceProblem })
    }

    // Shipping option: the channel's mapping, else its default, else a hold (or a refusal when the
    // action must fulfil, because Medusa cannot fulfil without a shipping option).
    const service = order.shipping.service_code ?? order.shipping.name ?? null
    const shippingOptionId = (service && settings.shipping_mapping[service]) || settings.default_shipping_option_id || null
    if (!shippingOptionId) {
      if (fulfils) throw new ChannelOrderImportError("unmapped_shipping", `Shipping service "${service ?? "(none)"}" is not mapped to a shipping option`, { shipping_service: service })
      holds.push({ reason: "unmapped_shipping_policy", detail: `Shipping service "${service ?? "(none)"}" is not mapped to a shipping option` })
    }
    if (plan.hold_status_rule) holds.push({ reason: "status_rule", detail: `Status "${order.status}" is set to "Import and hold"` })

    // An order the merchant must ship needs somewhere to ship it: hold it until the address is fixed.
    const shipsFromHere = !fulfils && !plan.cancel && !order.fulfilled_by_marketplace
    const missing = addressGaps(order.shipping_address)
    if (shipsFromHere && missing.length) {
      holds.push({ reason: "address_incomplete", detail: order.shipping_address ? `The shipping address has no ${missing.join(", ")}` : "The marketplace sent no shipping address" })
    }

    // Amounts: the marketplace's figures, as tax lines, adjustments and charge lines.
    const amounts = orderAmounts(order, settings.tax_mode)
    const predicted = predictTotals(order, amounts)
    // Nothing to collect (a free replacement): no capture. Not paid yet (cash on delivery): a
    // payment collection that waits for the money.
    const payment: ActionPlan["payment"] =
      plan.payment === "none" ? "none" : !(predicted.total > 0) ? "zero" : order.payment_status === "pending" ? "awaiting" : plan.payment

    const lines: PreparedLine[] = order.items.map((item) => {
      const v = matched.get(item.external_id)
      const managed = Boolean(v?.manage_inventory && !v.allow_backorder)
      const short = managed && (v!.inventory_items ?? []).some((ii) => shortItems.has(ii.inventory_item_id))
      return {
        external_item_id: item.external_id,
        variant_id: v?.id ?? null,
        manage_inventory: managed,
        inventory: (v?.inventory_items ?? []).map((ii) => ({ inventory_item_id: ii.inventory_item_id, required_quantity: Number(ii.required_quantity ?? 1) })),
        quantity: item.quantity,
        shipped_quantity: plan.fulfil === "none" ? Math.min(item.quantity, item.shipped_quantity ?? 0) : 0,
        reserve: plan.reserve && managed && !short && openQuantity(item) > 0,
      }
    })
    // Spend the page's stock ledger for what this order reserves or ships.
    for (const line of lines) {
      if (!line.reserve) continue
      for (const ii of line.inventory) available.set(ii.inventory_item_id, (available.get(ii.inventory_item_id) ?? 0) - (line.quantity - line.shipped_quantity) * ii.required_quantity)
    }

    const email = settings.email_policy === "placeholder" || !order.email ? placeholderEmail(channel.name, order.external_id) : order.email
    const address = (a: CanonicalOrder["shipping_address"]) =>
      a
        ? {
            first_name: a.first_name ?? order.customer.first_name ?? undefined,
            last_name: a.last_name ?? order.customer.last_name ?? undefined,
            company: a.company ?? undefined,
            address_1: a.address_1 ?? undefined,
            address_2: a.address_2 ?? undefined,
            city: a.city ?? undefined,
            province: a.province ?? undefined,
            postal_code: a.postal_code ?? undefined,
            country_code: a.country_code,
            phone: a.phone ?? order.customer.phone ?? undefined,
          }
        : undefined

    const order_input = {
      region_id: settings.region_id,
      sales_channel_id: settings.sales_channel_id,
      currency_code: order.currency_code,
      email,
      shipping_address: address(order.shipping_address),
      billing_address: address(order.billing_address ?? order.shipping_address),
      no_notification: true,
      items: [
        ...order.items.map((item) => {
          const v = matched.get(item.external_id)
          const a = amounts.items[item.external_id]
          return {
            title: item.title,
            quantity: item.quantity,
            // The marketplace's own unit price, unrounded: Medusa multiplies it by the quantity.
            unit_price: item.unit_price,
            is_tax_inclusive: a.is_tax_inclusive,
            tax_lines: a.tax_lines,
            adjustments: a.adjustments,
            variant_id: v?.id,
            product_id: v?.product_id,
            variant_sku: item.sku ?? undefined,
            // Lets Medusa create the line even when stock is short or the line is marketplace-fulfilled;
            // the plugin decides about stock itself (holds, no reservation).
            allow_backorder: true,
            metadata: {
              external_item_id: item.external_id,
              marketplace_product_id: item.marketplace_product_id ?? null,
              marketplace_unit_price: item.unit_price,
              marketplace_tax_total: item.tax_total,
              marketplace_discount_total: item.discount_total,
            },
          }
        }),
        // What the buyer paid besides goods and shipping (gift wrap, COD fee) is a line of its own.
        ...amounts.charges.map((c) => ({
          title: c.title,
          quantity: 1,
          unit_price: Number(c.unit_price),
          is_tax_inclusive: c.is_tax_inclusive,
          tax_lines: c.tax_lines,
          adjustments: c.adjustments,
          requires_shipping: false,
          is_discountable: false,
          metadata: { channel_charge: c.type, channel_charge_key: c.key, external_charge_id: c.external_id },
        })),
      ],
      shipping_methods: [
        {
          name: order.shipping.name ?? order.shipping.service_code ?? "Marketplace shipping",
          amount: Number(amounts.shipping.amount),
          is_tax_inclusive: amounts.shipping.is_tax_inclusive,
          tax_lines: amounts.shipping.tax_lines,
          adjustments: amounts.shipping.adjustments.map(({ is_tax_inclusive: _net, ...a }) => a),
          shipping_option_id: shippingOptionId ?? undefined,
          data: { marketplace_service_code: order.shipping.service_code ?? null },
        },
      ],
      metadata: {
        channel_id: channel.id,
        channel_name: channel.name,
        external_id: order.external_id,
        external_status: order.status,
        channel_order_id: c.channel_order_id,
        fulfilled_by_marketplace: order.fulfilled_by_marketplace,
        ...(order.notes ? { marketplace_notes: order.notes } : {}),
        ...(order.gift_message ? { gift_message: order.gift_message } : {}),
        ...(Object.keys(order.custom_fields ?? {}).length ? { custom_fields: order.custom_fields } : {}),
        tax_mode: amounts.tax_mode,
        ...(order.tax_collected_by === "marketplace" ? { tax_collected_by_marketplace: true } : {}),
        ...(order.replaces_external_id ? { replaces_external_id: order.replaces_external_id } : {}),
        ...(order.payment_method ? { payment_method: order.payment_method } : {}),
        ...(payment === "zero" ? { zero_value: true } : {}),
      },
    }

    return {
      channel_order_id: c.channel_order_id,
      external_id: order.external_id,
      external_status: order.status,
      action,
      plan: { ...plan, payment },
      amounts: { tax_mode: amounts.tax_mode, items: amounts.items, shipping: amounts.shipping, charges: amounts.charges },
      reconciliation_order: reconciliationInput(order, amounts),
      location_id: locationId,
      shipping_option_id: shippingOptionId,
      lines,
      holds,
      tags: [...(order.tags ?? [])],
      order_input,
      shipped_elsewhere: plan.cancel
        ? []
        : lines.filter((l) => l.shipped_quantity > 0).map((l) => ({ external_item_id: l.external_item_id, quantity: l.shipped_quantity })),
    }
  }

  function skusOf(inventoryItems: Set<string>): string[] {
    const out = new Set<string>()
    for (const map of [variantBy.sku, variantBy.barcode, variantBy.mapping]) {
      for (const [key, v] of map) {
        if (v?.inventory_items?.some((ii) => inventoryItems.has(ii.inventory_item_id))) out.add(v.sku ?? key)
      }
    }
    return [...out]
  }

  /**
   * Marketplace-fulfilled lines that match nothing go against a hidden "{FBA}" product, created once
   * per SKU by the `channel-orders-create-placeholder-products` workflow (whose step deletes what it
   * created if the workflow fails after it).
   */
  async function fbaPlaceholder(sku: string, title: string): Promise<VariantRow> {
    const fbaSku = placeholderSku(sku)
    const existing = variantBy.sku.get(fbaSku)
    if (existing) return existing
    const { result } = await createPlaceholderProductsWorkflow(container).run({ input: { products: [{ sku, title }] } })
    const row: VariantRow = result[sku]
    variantBy.sku.set(fbaSku, row)
    return row
  }
}

export { placeholderHandle }
