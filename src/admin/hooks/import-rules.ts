import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"
import type {
  DryRunResponse,
  ImportRuleBody,
  ImportRuleListResponse,
  ImportRuleResponse,
  RuleCatalogue,
} from "../types"

export const importRuleKeys = {
  all: ["channel-orders:import-rules"] as const,
  list: () => [...importRuleKeys.all, "list"] as const,
  detail: (id: string) => [...importRuleKeys.all, "detail", id] as const,
  catalogue: ["channel-orders:import-rules-catalogue"] as const,
}

export function useImportRules() {
  return useQuery({
    queryKey: importRuleKeys.list(),
    queryFn: () => sdk.client.fetch<ImportRuleListResponse>("/admin/import-rules", { query: { limit: 200 } }),
  })
}

export function useImportRule(id: string | undefined) {
  return useQuery({
    queryKey: importRuleKeys.detail(id ?? ""),
    queryFn: () => sdk.client.fetch<ImportRuleResponse>(`/admin/import-rules/${id}`),
    enabled: !!id,
  })
}

export function useRuleCatalogue() {
  return useQuery({
    queryKey: importRuleKeys.catalogue,
    queryFn: () => sdk.client.fetch<RuleCatalogue>("/admin/import-rules/catalogue"),
    staleTime: Infinity,
  })
}

export function useCreateImportRule() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: ImportRuleBody) =>
      sdk.client.fetch<ImportRuleResponse>("/admin/import-rules", { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: importRuleKeys.all }),
  })
}

export function useUpdateImportRule(id: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: Partial<ImportRuleBody>) =>
      sdk.client.fetch<ImportRuleResponse>(`/admin/import-rules/${id}`, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: importRuleKeys.all }),
  })
}

export function useDeleteImportRule() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => sdk.client.fetch<unknown>(`/admin/import-rules/${id}`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: importRuleKeys.all }),
  })
}

/** What the rules (or one draft rule) would do to a staged channel order; imports nothing. */
export function useDryRun() {
  return useMutation({
    mutationFn: (body: { channel_order_id: string; rule?: ImportRuleBody }) =>
      sdk.client.fetch<DryRunResponse>("/admin/import-rules/dry-run", { method: "POST", body }),
  })
}
