import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"

/** Order exports and status imports (Settings → Import & export), over /admin/order-exports and /admin/status-imports. */
export type TransferKind = "order-exports" | "status-imports"

export type FileLocation =
  | { type: "directory"; path: string }
  | { type: "sftp"; host: string; port?: number; username: string; path: string; host_key_fingerprint?: string }
  | { type: "url"; url: string }

export type ExportConditions = {
  channel_ids?: string[]
  statuses?: string[]
  fulfillment_statuses?: string[]
  tags?: string[]
  hold?: "any" | "on_hold" | "not_on_hold"
  since_last_export?: "created" | "updated" | null
}

export type TransferRun = {
  id: string
  kind: "order_export" | "status_import"
  trigger: "schedule" | "manual"
  status: "running" | "succeeded" | "partial" | "failed"
  started_at: string
  finished_at: string | null
  file: string | null
  files: Array<{ name: string; rows: number; applied: number; failed: number; moved_to: string | null; report: string | null }>
  exported: number
  processed: number
  applied: number
  failed: number
  errors: Array<{ file?: string; row?: number | null; order?: string | null; code: string; message: string; orders?: number }>
  error: string | null
  error_code: string | null
}

type Common = {
  id: string
  name: string
  description: string | null
  enabled: boolean
  interval_minutes: number | null
  has_credentials: boolean
  credentials_status: "missing" | "set" | "unreadable"
  created_at: string
  updated_at: string
  last_run?: TransferRun | null
}
export type OrderExport = Common & {
  destination: FileLocation
  format: "csv" | "csv_items" | "json" | "jsonl"
  conditions: ExportConditions | null
  status_updates: boolean
  last_exported_at: string | null
}
export type StatusImport = Common & { source: FileLocation; format: "csv" | "json" | "jsonl" }
export type TransferConfiguration = OrderExport | StatusImport

export type LocationSecrets = { password?: string; private_key?: string; passphrase?: string; authorization?: string }
export type TransferBody = Record<string, unknown> & { credentials?: LocationSecrets | null }

const one = (kind: TransferKind) => (kind === "order-exports" ? "order_export" : "status_import")
const many = (kind: TransferKind) => (kind === "order-exports" ? "order_exports" : "status_imports")

export const transferKeys = {
  all: ["channel-orders:transfers"] as const,
  list: (kind: TransferKind) => [...transferKeys.all, kind, "list"] as const,
  detail: (kind: TransferKind, id: string) => [...transferKeys.all, kind, "detail", id] as const,
  runs: (kind: TransferKind, id: string) => [...transferKeys.all, kind, "runs", id] as const,
  order: (orderId: string) => [...transferKeys.all, "order", orderId] as const,
}

export function useTransferConfigurations(kind: TransferKind) {
  return useQuery({
    queryKey: transferKeys.list(kind),
    queryFn: async () => {
      const data = await sdk.client.fetch<Record<string, any>>(`/admin/${kind}`, { query: { limit: 100, offset: 0 } })
      return { items: (data[many(kind)] ?? []) as TransferConfiguration[], count: data.count as number }
    },
    placeholderData: keepPreviousData,
  })
}

export function useTransferConfiguration(kind: TransferKind, id: string) {
  return useQuery({
    queryKey: transferKeys.detail(kind, id),
    queryFn: async () => (await sdk.client.fetch<Record<string, any>>(`/admin/${kind}/${id}`))[one(kind)] as TransferConfiguration,
    enabled: !!id,
  })
}

export function useCreateTransferConfiguration(kind: TransferKind) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (body: TransferBody) =>
      (await sdk.client.fetch<Record<string, any>>(`/admin/${kind}`, { method: "POST", body }))[one(kind)] as TransferConfiguration,
    onSuccess: () => qc.invalidateQueries({ queryKey: transferKeys.all }),
  })
}

export function useUpdateTransferConfiguration(kind: TransferKind, id: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (body: TransferBody) =>
      (await sdk.client.fetch<Record<string, any>>(`/admin/${kind}/${id}`, { method: "POST", body }))[one(kind)] as TransferConfiguration,
    onSuccess: () => qc.invalidateQueries({ queryKey: transferKeys.all }),
  })
}

export function useDeleteTransferConfiguration(kind: TransferKind, id: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: () => sdk.client.fetch<{ id: string; deleted: boolean }>(`/admin/${kind}/${id}`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: transferKeys.all }),
  })
}

export function useTransferRuns(kind: TransferKind, id: string, opts: { poll?: boolean } = {}) {
  return useQuery({
    queryKey: transferKeys.runs(kind, id),
    queryFn: () => sdk.client.fetch<{ runs: TransferRun[]; count: number }>(`/admin/${kind}/${id}/runs`, { query: { limit: 10, offset: 0 } }),
    enabled: !!id,
    refetchInterval: (q) => (opts.poll || q.state.data?.runs?.some((r) => r.status === "running") ? 1500 : false),
  })
}

/** Runs it now; the request answers when the run ends. */
export function useRunTransfer(kind: TransferKind, id: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: () => sdk.client.fetch<{ run: TransferRun }>(`/admin/${kind}/${id}/run`, { method: "POST", body: {} }),
    onSettled: () => qc.invalidateQueries({ queryKey: transferKeys.all }),
  })
}

export type OrderTransfers = {
  exports: Array<{ order_export_id: string; order_export_name: string | null; state: "exporting" | "exported" | "export_failed"; file: string | null; exported_at: string | null; error: string | null }>
  timeline: Array<{ id: string; type: string; message: string; created_at: string; data: Record<string, any> | null }>
}

export function useOrderTransfers(orderId: string) {
  return useQuery({
    queryKey: transferKeys.order(orderId),
    queryFn: () => sdk.client.fetch<OrderTransfers>(`/admin/orders/${orderId}/transfers`),
    enabled: !!orderId,
  })
}
