import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"
import type { ChannelFeedback } from "../types"
import { channelOrderKeys } from "./channel-orders"

/** A run still going, as the desk summary lists it (its counts grow page by page). */
export type RunningRun = {
  id: string
  channel_id: string
  status: "running"
  started_at: string
  pages: number
  fetched: number
  imported: number
  waiting: number
  ignored: number
  failed: number
  skipped: number
  window_from: string | null
  window_to: string | null
}

export type DeskSummary = {
  on_hold_count: number
  holds_by_reason: Array<{ reason: string; count: number }>
  /** Channel orders per state. */
  states: Record<string, number>
  /** Feedback rows per state; `retrying` = pending after a failed attempt. */
  feedback: Record<string, number>
  running_runs: RunningRun[]
}

export const deskKeys = {
  summary: ["channel-orders", "desk-summary"] as const,
  feedback: (q: Record<string, unknown>) => ["channel-orders", "desk-feedback", q] as const,
}

/** Counts of the Marketplace page's tabs and the orders-list widget; polled faster while a run goes. */
export function useDeskSummary(opts: { refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: deskKeys.summary,
    queryFn: () => sdk.client.fetch<DeskSummary>("/admin/channel-orders/desk-summary"),
    refetchInterval: (q) => (q.state.data?.running_runs?.length ? 2500 : opts.refetchInterval ?? 15_000),
  })
}

export type FeedbackRow = ChannelFeedback & {
  channel_id: string
  channel_order_id: string | null
  order_id: string | null
  attempts: number
  next_attempt_at: string | null
  updated_at: string
}

export function useDeskFeedback(q: { state?: string; limit: number; offset: number }) {
  return useQuery({
    queryKey: deskKeys.feedback(q),
    queryFn: () =>
      sdk.client.fetch<{ channel_feedback: FeedbackRow[]; count: number }>("/admin/channel-feedback", {
        query: q as Record<string, unknown>,
      }),
    placeholderData: keepPreviousData,
  })
}

export type BulkAction =
  | { action: "retry" | "ignore"; ids: string[] }
  | { action: "release_holds"; ids: string[]; note?: string; reasons?: string[] }
  | { action: "add_tag" | "remove_tag"; ids: string[]; tag: string }

export type BulkResult = {
  action: BulkAction["action"]
  ok: number
  failed: number
  results: Array<{ id: string; ok: boolean; error?: string; state?: string; released?: number }>
}

/** `POST /admin/channel-orders/bulk`: one action on the selected channel orders. */
export function useDeskBulk() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: BulkAction) => sdk.client.fetch<BulkResult>("/admin/channel-orders/bulk", { method: "POST", body }),
    onSettled: () => {
      qc.invalidateQueries({ queryKey: channelOrderKeys.all })
      qc.invalidateQueries({ queryKey: ["channel-orders:order"] })
      qc.invalidateQueries({ queryKey: ["orders"] })
    },
  })
}

export type ImportHealth = {
  days: number
  imported_per_hour: Array<{ hour: string; channel_id: string; count: number }>
  /** Failed import attempts (the timeline's failure events) per hour, kept after the order is fixed. */
  failed_per_hour: Array<{ hour: string; channel_id: string; count: number }>
  /** The same attempts by their error code. */
  failures_by_reason: Array<{ reason: string; count: number }>
  feedback_confirmation: { confirmed: number; p50_seconds: number | null; p95_seconds: number | null }
}

export function useImportHealth(days = 7) {
  return useQuery({
    queryKey: ["channel-orders", "health", days] as const,
    queryFn: () => sdk.client.fetch<ImportHealth>("/admin/channel-orders/health", { query: { days } }),
    refetchInterval: 60_000,
  })
}
