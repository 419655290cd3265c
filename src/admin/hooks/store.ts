import { keepPreviousData, useQuery } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"
import type { Named, ShippingOptionHit, VariantHit } from "../types"

/** Lookups over the store's own admin API, for the pickers of the channel settings. */
const keys = {
  variants: (q: string) => ["channel-orders:store", "variants", q] as const,
  variantsById: (ids: string[]) => ["channel-orders:store", "variants-by-id", ids] as const,
  shippingOptions: ["channel-orders:store", "shipping-options"] as const,
  salesChannels: ["channel-orders:store", "sales-channels"] as const,
  regions: ["channel-orders:store", "regions"] as const,
  stockLocations: ["channel-orders:store", "stock-locations"] as const,
  fulfillmentProviders: ["channel-orders:store", "fulfillment-providers"] as const,
}

const VARIANT_FIELDS = "id,title,sku,barcode,product.id,product.title,product.thumbnail"

export function useVariantSearch(q: string) {
  return useQuery({
    queryKey: keys.variants(q),
    queryFn: () =>
      sdk.client.fetch<{ variants: VariantHit[]; count: number }>("/admin/product-variants", {
        query: { q: q || undefined, limit: 20, fields: VARIANT_FIELDS },
      }),
    placeholderData: keepPreviousData,
  })
}

export function useVariantsById(ids: string[]) {
  const sorted = [...new Set(ids)].sort()
  return useQuery({
    queryKey: keys.variantsById(sorted),
    queryFn: () =>
      sdk.client.fetch<{ variants: VariantHit[] }>("/admin/product-variants", {
        query: { id: sorted, limit: sorted.length, fields: VARIANT_FIELDS },
      }),
    enabled: sorted.length > 0,
    placeholderData: keepPreviousData,
  })
}

export function useShippingOptions() {
  return useQuery({
    queryKey: keys.shippingOptions,
    queryFn: () =>
      sdk.client.fetch<{ shipping_options: ShippingOptionHit[] }>("/admin/shipping-options", {
        query: { limit: 200, fields: "id,name,provider_id" },
      }),
    staleTime: 60_000,
  })
}

export function useSalesChannels() {
  return useQuery({
    queryKey: keys.salesChannels,
    queryFn: () =>
      sdk.client.fetch<{ sales_channels: Named[] }>("/admin/sales-channels", { query: { limit: 200, fields: "id,name" } }),
    staleTime: 60_000,
  })
}

export function useRegions() {
  return useQuery({
    queryKey: keys.regions,
    queryFn: () =>
      sdk.client.fetch<{ regions: (Named & { currency_code: string })[] }>("/admin/regions", {
        query: { limit: 200, fields: "id,name,currency_code" },
      }),
    staleTime: 60_000,
  })
}

export function useStockLocations() {
  return useQuery({
    queryKey: keys.stockLocations,
    queryFn: () =>
      sdk.client.fetch<{ stock_locations: Named[] }>("/admin/stock-locations", {
        query: { limit: 200, fields: "id,name" },
      }),
    staleTime: 60_000,
  })
}

export function useFulfillmentProviders() {
  return useQuery({
    queryKey: keys.fulfillmentProviders,
    queryFn: () =>
      sdk.client.fetch<{ fulfillment_providers: { id: string; is_enabled?: boolean }[] }>("/admin/fulfillment-providers", {
        query: { limit: 200 },
      }),
    staleTime: 60_000,
  })
}

export function useUsers(ids: string[]) {
  const sorted = [...new Set(ids.filter(Boolean))].sort()
  return useQuery({
    queryKey: ["channel-orders:store", "users", sorted],
    queryFn: () =>
      sdk.client.fetch<{ users: { id: string; email: string; first_name: string | null; last_name: string | null }[] }>(
        "/admin/users",
        { query: { id: sorted, limit: sorted.length, fields: "id,email,first_name,last_name" } }
      ),
    enabled: sorted.length > 0,
    staleTime: 60_000,
  })
}
