import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"
import type {
  ChannelListResponse,
  ChannelResponse,
  ConnectionCheck,
  CreateChannelBody,
  ImportRun,
  RunsResponse,
  SkuMappingResponse,
  SkuMappingsResponse,
  StatusRuleRow,
  StatusRulesResponse,
  UpdateChannelBody,
} from "../types"
import { channelOrderKeys } from "./channel-orders"

export const channelKeys = {
  all: ["channel-orders:channels"] as const,
  list: (q: { limit: number; offset: number }) => [...channelKeys.all, "list", q] as const,
  detail: (id: string) => [...channelKeys.all, "detail", id] as const,
  statusRules: (id: string) => [...channelKeys.all, "status-rules", id] as const,
  runs: (id: string, q: { limit: number; offset: number }) => [...channelKeys.all, "runs", id, q] as const,
  skuMappings: (id: string) => [...channelKeys.all, "sku-mappings", id] as const,
}

export function useChannels(q: { limit?: number; offset?: number } = {}) {
  const query = { limit: q.limit ?? 50, offset: q.offset ?? 0 }
  return useQuery({
    queryKey: channelKeys.list(query),
    queryFn: () => sdk.client.fetch<ChannelListResponse>("/admin/channels", { query }),
    placeholderData: keepPreviousData,
  })
}

export function useChannel(id: string) {
  return useQuery({
    queryKey: channelKeys.detail(id),
    queryFn: () => sdk.client.fetch<ChannelResponse>(`/admin/channels/${id}`),
    enabled: !!id,
  })
}

export function useCreateChannel() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: CreateChannelBody) =>
      sdk.client.fetch<ChannelResponse>("/admin/channels", { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: channelKeys.all }),
  })
}

export function useUpdateChannel(id: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: UpdateChannelBody) =>
      sdk.client.fetch<ChannelResponse>(`/admin/channels/${id}`, { method: "POST", body }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: channelKeys.all })
      qc.invalidateQueries({ queryKey: channelOrderKeys.all })
    },
  })
}

export function useDeleteChannel(id: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: () => sdk.client.fetch<{ id: string; deleted: boolean }>(`/admin/channels/${id}`, { method: "DELETE" }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: channelKeys.all })
      qc.invalidateQueries({ queryKey: channelOrderKeys.all })
    },
  })
}

export function useStatusRules(id: string) {
  return useQuery({
    queryKey: channelKeys.statusRules(id),
    queryFn: () => sdk.client.fetch<StatusRulesResponse>(`/admin/channels/${id}/status-rules`),
    enabled: !!id,
  })
}

export function useSaveStatusRules(id: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (rows: Pick<StatusRuleRow, "external_status" | "action" | "retry">[]) =>
      sdk.client.fetch<StatusRulesResponse>(`/admin/channels/${id}/status-rules`, {
        method: "PUT",
        body: { status_rules: rows },
      }),
    onSuccess: (data) => qc.setQueryData(channelKeys.statusRules(id), data),
  })
}

export function useChannelRuns(id: string, q: { limit?: number; offset?: number } = {}, opts: { poll?: boolean } = {}) {
  const query = { limit: q.limit ?? 10, offset: q.offset ?? 0 }
  return useQuery({
    queryKey: channelKeys.runs(id, query),
    queryFn: () => sdk.client.fetch<RunsResponse>(`/admin/channels/${id}/runs`, { query }),
    enabled: !!id,
    placeholderData: keepPreviousData,
    // Poll while the caller waits for a run, and while the latest answer still shows one running.
    refetchInterval: (q) => (opts.poll || q.state.data?.runs?.some((r) => r.status === "running") ? 1500 : false),
  })
}

/**
 * Pulls the channel now. The server answers at once (`wait=false`, 202 with the running run); the
 * mutation then follows the run every 2 s until it ends, so the page shows its counts as they grow.
 */
export function useRunImport(id: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async () => {
      let { run } = await sdk.client.fetch<{ run: ImportRun }>(`/admin/channels/${id}/import`, { method: "POST", query: { wait: "false" } })
      while (run.status === "running") {
        await new Promise((r) => setTimeout(r, 2000))
        qc.invalidateQueries({ queryKey: [...channelKeys.all, "runs", id] })
        const { runs } = await sdk.client.fetch<RunsResponse>(`/admin/channels/${id}/runs`, { query: { limit: 10, offset: 0 } })
        run = runs.find((r) => r.id === run.id) ?? run
      }
      return { run }
    },
    onSettled: () => {
      qc.invalidateQueries({ queryKey: channelKeys.all })
      qc.invalidateQueries({ queryKey: channelOrderKeys.all })
    },
  })
}

export function useTestConnection(id: string) {
  return useMutation({
    mutationFn: () => sdk.client.fetch<ConnectionCheck>(`/admin/channels/${id}/test-connection`, { method: "POST" }),
  })
}

export function useSkuMappings(id: string) {
  return useQuery({
    queryKey: channelKeys.skuMappings(id),
    queryFn: () => sdk.client.fetch<SkuMappingsResponse>(`/admin/channels/${id}/sku-mappings`),
    enabled: !!id,
  })
}

export function useCreateSkuMapping(id: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: { external_sku: string; variant_id: string }) =>
      sdk.client.fetch<SkuMappingResponse>(`/admin/channels/${id}/sku-mappings`, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: channelKeys.skuMappings(id) }),
  })
}

export function useDeleteSkuMapping(id: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (mappingId: string) =>
      sdk.client.fetch<unknown>(`/admin/channels/${id}/sku-mappings/${mappingId}`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: channelKeys.skuMappings(id) }),
  })
}
