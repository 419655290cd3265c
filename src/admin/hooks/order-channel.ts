import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"
import type { OrderChannelResponse } from "../types"

export const orderChannelKeys = {
  detail: (orderId: string) => ["channel-orders:order", orderId] as const,
}

/** The order's marketplace side: channel order, tags, holds, timeline and feedback. */
export function useOrderChannel(orderId: string) {
  return useQuery({
    queryKey: orderChannelKeys.detail(orderId),
    queryFn: () => sdk.client.fetch<OrderChannelResponse>(`/admin/orders/${orderId}/channel`),
    enabled: !!orderId,
  })
}

function useRefresh(orderId: string) {
  const qc = useQueryClient()
  return () => {
    qc.invalidateQueries({ queryKey: orderChannelKeys.detail(orderId) })
    // The dashboard's own order queries (fulfillment buttons, activity).
    qc.invalidateQueries({ queryKey: ["orders"] })
  }
}

export function useAddOrderTags(orderId: string) {
  const refresh = useRefresh(orderId)
  return useMutation({
    mutationFn: (tags: string[]) =>
      sdk.client.fetch<unknown>(`/admin/orders/${orderId}/tags`, { method: "POST", body: { tags } }),
    onSuccess: refresh,
  })
}

export function useRemoveOrderTag(orderId: string) {
  const refresh = useRefresh(orderId)
  return useMutation({
    mutationFn: (tag: string) =>
      sdk.client.fetch<unknown>(`/admin/orders/${orderId}/tags/${encodeURIComponent(tag)}`, { method: "DELETE" }),
    onSuccess: refresh,
  })
}

export function usePlaceHold(orderId: string) {
  const refresh = useRefresh(orderId)
  return useMutation({
    mutationFn: (body: { detail?: string }) =>
      sdk.client.fetch<unknown>(`/admin/orders/${orderId}/holds`, { method: "POST", body }),
    onSuccess: refresh,
  })
}

export function useReleaseHold(orderId: string) {
  const refresh = useRefresh(orderId)
  return useMutation({
    mutationFn: ({ holdId, note }: { holdId: string; note?: string }) =>
      sdk.client.fetch<unknown>(`/admin/orders/${orderId}/holds/${holdId}/release`, {
        method: "POST",
        body: note ? { note } : {},
      }),
    onSuccess: refresh,
  })
}
