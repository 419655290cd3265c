import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules, ProductStatus } from "@medusajs/framework/utils"
import {
  createApiKeysWorkflow,
  createInventoryLevelsWorkflow,
  createProductsWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createShippingOptionsWorkflow,
  createShippingProfilesWorkflow,
  createStockLocationsWorkflow,
  createTaxRegionsWorkflow,
  createUserAccountWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
  updateStoresWorkflow,
} from "@medusajs/medusa/core-flows"

import { FAMILIES, SIZES } from "./demo-catalogue"

export const DEMO_ADMIN = { email: "admin@channel-orders.test", password: "supersecret" }

export type SeededStore = {
  region_id: string
  sales_channel_id: string
  stock_location_id: string
  shipping_profile_id: string
  shipping_options: { standard: string; express: string }
  fulfillment_set_id: string | null
  variants: Array<{ id: string; sku: string; barcode: string; title: string; product_id: string; inventory_item_id: string; stocked: number }>
}


/** A deterministic EAN-13 with a valid check digit, so barcode matching can be exercised. */
function ean13(seed: number): string {
  const body = `400${String(1000000000 + seed).slice(-9)}`
  const sum = body.split("").reduce((acc, d, i) => acc + Number(d) * (i % 2 ? 3 : 1), 0)
  return body + ((10 - (sum % 10)) % 10)
}

/** Stock per variant: mostly plenty, a few short or empty so the "insufficient quantity" paths are real. */
function stockFor(sku: string, index: number): number {
  if (sku === "V789") return 50
  if (index % 17 === 5) return 0
  if (index % 11 === 3) return 2
  return 100
}

/**
 * Creates (or finds) a realistic store: EUR region with the system payment provider, a warehouse
 * linked to the default sales channel, manual fulfilment with standard and express options, a few
 * dozen variants with SKUs, barcodes and stock, a publishable key and an admin user.
 * Idempotent: a second run returns what the first created.
 */
export async function seedStore(container: MedusaContainer, opts: { withAdmin?: boolean } = {}): Promise<SeededStore> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const storeModule = container.resolve(Modules.STORE)
  const salesChannelModule = container.resolve(Modules.SALES_CHANNEL)
  const fulfillmentModule = container.resolve(Modules.FULFILLMENT)

  const existing = await query.graph({
    entity: "product_variant",
    fields: ["id", "sku", "barcode", "title", "product_id", "inventory_items.inventory_item_id"],
    filters: { sku: "TSHIRT-S" },
  })
  if (existing.data.length) {
    logger.info("Store already seeded; reading it back")
    return readBack(container)
  }

  // Sales channel and store defaults
  let [salesChannel] = await salesChannelModule.listSalesChannels({ name: "Default Sales Channel" })
  if (!salesChannel) {
    const { result } = await createSalesChannelsWorkflow(container).run({
      input: { salesChannelsData: [{ name: "Default Sales Channel" }] },
    })
    salesChannel = result[0]
  }
  const [store] = await storeModule.listStores()
  await updateStoresWorkflow(container).run({
    input: {
      selector: { id: store.id },
      update: {
        supported_currencies: [
          { currency_code: "eur", is_default: true },
          { currency_code: "usd" },
          { currency_code: "gbp" },
        ],
        default_sales_channel_id: salesChannel.id,
      },
    },
  })

  const { result: regions } = await createRegionsWorkflow(container).run({
    input: {
      regions: [
        {
          name: "Europe",
          currency_code: "eur",
          countries: ["de", "fr", "es", "it", "nl", "be", "at"],
          payment_providers: ["pp_system_default"],
          automatic_taxes: true,
        },
        {
          name: "United States",
          currency_code: "usd",
          countries: ["us"],
          payment_providers: ["pp_system_default"],
        },
        {
          name: "United Kingdom",
          currency_code: "gbp",
          countries: ["gb"],
          payment_providers: ["pp_system_default"],
        },
      ],
    },
  })
  const region = regions[0]
  await createTaxRegionsWorkflow(container).run({
    input: ["de", "fr", "es", "it", "nl", "be", "at", "us", "gb"].map((country_code) => ({ country_code, provider_id: "tp_system" })),
  })
  // Store's home country, used by "is_international" in import rules.
  await updateStoresWorkflow(container).run({
    input: { selector: { id: store.id }, update: { metadata: { default_country_code: "de" } } },
  })

  const { result: locations } = await createStockLocationsWorkflow(container).run({
    input: {
      locations: [{ name: "Main Warehouse", address: { city: "Berlin", country_code: "DE", address_1: "Lagerstraße 1" } }],
    },
  })
  const location = locations[0]
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
    [Modules.FULFILLMENT]: { fulfillment_provider_id: "manual_manual" },
  })
  await linkSalesChannelsToStockLocationWorkflow(container).run({ input: { id: location.id, add: [salesChannel.id] } })

  let [profile] = await fulfillmentModule.listShippingProfiles({ type: "default" })
  if (!profile) {
    const { result } = await createShippingProfilesWorkflow(container).run({
      input: { data: [{ name: "Default Shipping Profile", type: "default" }] },
    })
    profile = result[0]
  }

  const fulfillmentSet = await fulfillmentModule.createFulfillmentSets({
    name: "Main Warehouse delivery",
    type: "shipping",
    service_zones: [
      {
        name: "Everywhere we sell",
        geo_zones: ["de", "fr", "es", "it", "nl", "be", "at", "us", "gb"].map((country_code) => ({ country_code, type: "country" as const })),
      },
    ],
  })
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
    [Modules.FULFILLMENT]: { fulfillment_set_id: fulfillmentSet.id },
  })

  const option = (name: string, code: string, amount: number) => ({
    name,
    price_type: "flat" as const,
    provider_id: "manual_manual",
    service_zone_id: fulfillmentSet.service_zones[0].id,
    shipping_profile_id: profile.id,
    type: { label: name, description: name, code },
    prices: [
      { currency_code: "eur", amount },
      { currency_code: "usd", amount },
      { currency_code: "gbp", amount },
      { region_id: region.id, amount },
    ],
    rules: [
      { attribute: "enabled_in_store", value: "true", operator: "eq" as const },
      { attribute: "is_return", value: "false", operator: "eq" as const },
    ],
  })
  const { result: options } = await createShippingOptionsWorkflow(container).run({
    input: [option("Standard Shipping", "standard", 4.9), option("Express Shipping", "express", 12.9)],
  })

  const { result: apiKeys } = await createApiKeysWorkflow(container).run({
    input: { api_keys: [{ title: "Webshop", type: "publishable", created_by: "" }] },
  })
  await linkSalesChannelsToApiKeyWorkflow(container).run({ input: { id: apiKeys[0].id, add: [salesChannel.id] } })

  // Products: each family in three sizes, plus the tutorial's V789.
  let seq = 0
  const products: any[] = FAMILIES.map(([title, code, price]) => ({
    title,
    handle: code.toLowerCase(),
    status: ProductStatus.PUBLISHED,
    shipping_profile_id: profile.id,
    options: [{ title: "Size", values: [...SIZES] }],
    variants: SIZES.map((size) => {
      seq++
      return {
        title: size,
        sku: `${code}-${size}`,
        barcode: ean13(seq),
        manage_inventory: true,
        options: { Size: size },
        prices: [
          { amount: price, currency_code: "eur" },
          { amount: price, currency_code: "usd" },
          { amount: price, currency_code: "gbp" },
        ],
      }
    }),
    sales_channels: [{ id: salesChannel.id }],
  }))
  products.push({
    title: "Bulk Widget",
    handle: "bulk-widget",
    status: ProductStatus.PUBLISHED,
    shipping_profile_id: profile.id,
    options: [{ title: "Size", values: ["One size"] as any }],
    variants: [
      {
        title: "One size",
        sku: "V789",
        barcode: ean13(999),
        manage_inventory: true,
        options: { Size: "One size" } as any,
        prices: [
          { amount: 9.5, currency_code: "eur" },
          { amount: 9.5, currency_code: "usd" },
          { amount: 9.5, currency_code: "gbp" },
        ],
      },
    ],
    sales_channels: [{ id: salesChannel.id }],
  })
  await createProductsWorkflow(container).run({ input: { products } })

  const { data: variants } = await query.graph({
    entity: "product_variant",
    fields: ["id", "sku", "inventory_items.inventory_item_id"],
  })
  await createInventoryLevelsWorkflow(container).run({
    input: {
      // Sorted, so the same SKUs are short on every machine.
      inventory_levels: variants
        .filter((v: any) => v.inventory_items?.length)
        .sort((a: any, b: any) => String(a.sku).localeCompare(String(b.sku)))
        .map((v: any, i: number) => ({
          location_id: location.id,
          inventory_item_id: v.inventory_items[0].inventory_item_id,
          stocked_quantity: stockFor(v.sku, i),
        })),
    },
  })

  if (opts.withAdmin) {
    await ensureAdminUser(container, DEMO_ADMIN.email, DEMO_ADMIN.password)
  }
  logger.info(`Seeded ${variants.length} variants, region ${region.id}, location ${location.id}, options ${options.map((o) => o.id).join(", ")}`)
  return readBack(container)
}

/** Creates an admin user with an email/password identity unless one exists. */
export async function ensureAdminUser(container: MedusaContainer, email: string, password: string): Promise<void> {
  const userModule = container.resolve(Modules.USER)
  const [user] = await userModule.listUsers({ email })
  if (user) return
  const authModule = container.resolve(Modules.AUTH)
  const { authIdentity, error } = await authModule.register("emailpass", { body: { email, password } } as any)
  if (error || !authIdentity) {
    throw new Error(`Could not create the admin identity: ${error}`)
  }
  await createUserAccountWorkflow(container).run({
    input: { authIdentityId: authIdentity.id, userData: { email, first_name: "Store", last_name: "Admin" } },
  })
}

/** What a seeded store contains, read back through query (used by the seed's output and by tests). */
export async function readBack(container: MedusaContainer): Promise<SeededStore> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: regions } = await query.graph({ entity: "region", fields: ["id", "name"], filters: { name: "Europe" } })
  const { data: channels } = await query.graph({
    entity: "sales_channel",
    fields: ["id", "stock_locations.id"],
    filters: { name: "Default Sales Channel" },
  })
  const { data: locations } = await query.graph({
    entity: "stock_location",
    fields: ["id", "fulfillment_sets.id"],
    filters: { name: "Main Warehouse" },
  })
  const { data: options } = await query.graph({ entity: "shipping_option", fields: ["id", "name", "shipping_profile_id"] })
  const { data: variants } = await query.graph({
    entity: "product_variant",
    fields: ["id", "sku", "barcode", "title", "product_id", "inventory_items.inventory_item_id"],
  })
  const inventory = container.resolve(Modules.INVENTORY)
  const levels = await inventory.listInventoryLevels({ location_id: locations[0].id })
  const stocked = new Map(levels.map((l) => [l.inventory_item_id, Number(l.stocked_quantity)]))
  const byName = (n: string) => options.find((o: any) => o.name === n)!
  return {
    region_id: regions[0].id,
    sales_channel_id: channels[0].id,
    stock_location_id: locations[0].id,
    shipping_profile_id: byName("Standard Shipping").shipping_profile_id,
    fulfillment_set_id: locations[0].fulfillment_sets?.[0]?.id ?? null,
    shipping_options: { standard: byName("Standard Shipping").id, express: byName("Express Shipping").id },
    variants: variants
      .filter((v: any) => v.sku)
      .map((v: any) => ({
        id: v.id,
        sku: v.sku,
        barcode: v.barcode,
        title: v.title,
        product_id: v.product_id,
        inventory_item_id: v.inventory_items?.[0]?.inventory_item_id,
        stocked: stocked.get(v.inventory_items?.[0]?.inventory_item_id) ?? 0,
      }))
      .sort((a: any, b: any) => a.sku.localeCompare(b.sku)),
  }
}
