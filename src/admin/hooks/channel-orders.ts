import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"
import type {
  ChannelOrderListQuery,
  ChannelOrderListResponse,
  ChannelOrderResponse,
  ChannelOrderSummary,
  RetryResponse,
} from "../types"

export type { ChannelOrderSummary } from "../types"

export const channelOrderKeys = {
  all: ["channel-orders"] as const,
  summary: ["channel-orders", "summary"] as const,
  list: (q: ChannelOrderListQuery) => ["channel-orders", "list", q] as const,
  detail: (id: string) => ["channel-orders", "detail", id] as const,
}

export function useChannelOrderSummary(opts: { refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: channelOrderKeys.summary,
    queryFn: () => sdk.client.fetch<ChannelOrderSummary>("/admin/channel-orders/summary"),
    refetchInterval: opts.refetchInterval ?? 30_000,
  })
}

export function useChannelOrders(q: ChannelOrderListQuery, opts: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: channelOrderKeys.list(q),
    queryFn: () =>
      sdk.client.fetch<ChannelOrderListResponse>("/admin/channel-orders", { query: q as Record<string, unknown> }),
    placeholderData: keepPreviousData,
    enabled: opts.enabled ?? true,
  })
}

export function useChannelOrder(id: string | null | undefined) {
  return useQuery({
    queryKey: channelOrderKeys.detail(id ?? ""),
    queryFn: () => sdk.client.fetch<ChannelOrderResponse>(`/admin/channel-orders/${id}`),
    enabled: !!id,
  })
}

function useInvalidateAfterDecision() {
  const qc = useQueryClient()
  return () => {
    qc.invalidateQueries({ queryKey: channelOrderKeys.all })
    qc.invalidateQueries({ queryKey: ["channel-orders:channels"] })
    qc.invalidateQueries({ queryKey: ["channel-orders:order"] })
    qc.invalidateQueries({ queryKey: ["orders"] })
  }
}

export function useRetryChannelOrder() {
  const invalidate = useInvalidateAfterDecision()
  return useMutation({
    mutationFn: (id: string) => sdk.client.fetch<RetryResponse>(`/admin/channel-orders/${id}/retry`, { method: "POST" }),
    onSettled: invalidate,
  })
}

export function useIgnoreChannelOrder() {
  const invalidate = useInvalidateAfterDecision()
  return useMutation({
    mutationFn: (id: string) => sdk.client.fetch<unknown>(`/admin/channel-orders/${id}/ignore`, { method: "POST" }),
    onSettled: invalidate,
  })
}

/** Retries or ignores several channel orders one after the other; reports how many of each went through. */
export function useBulkChannelOrderAction() {
  const invalidate = useInvalidateAfterDecision()
  return useMutation({
    mutationFn: async ({ ids, action }: { ids: string[]; action: "retry" | "ignore" }) => {
      const results = { ok: 0, failed: 0, imported: 0, errors: [] as string[] }
      for (const id of ids) {
        try {
          const res = await sdk.client.fetch<RetryResponse>(`/admin/channel-orders/${id}/${action}`, { method: "POST" })
          results.ok++
          if (action === "retry" && res?.channel_order?.state === "imported") results.imported++
        } catch (e) {
          results.failed++
          results.errors.push((e as Error).message)
        }
      }
      return results
    },
    onSettled: invalidate,
  })
}
