import { ArrowPath, PaperPlane } from "@medusajs/icons"
import { Badge, Button, DataTable, StatusBadge, Tabs, Text, createDataTableColumnHelper, toast, useDataTable, type DataTablePaginationState } from "@medusajs/ui"
import { useMemo, useState } from "react"
import { Link, useSearchParams } from "react-router-dom"
import { useMutation, useQueryClient } from "@tanstack/react-query"
import { EmptyState, ErrorState } from "../common"
import { useDeskFeedback, type DeskSummary, type FeedbackRow } from "../../hooks/marketplace"
import { errorMessage } from "../../lib/errors"
import { errorCodeLabel, formatAge, formatDateTime, humanize, providerLabel } from "../../lib/format"
import { sdk } from "../../lib/sdk"
import type { Channel } from "../../types"

const PAGE_SIZE = 20
const column = createDataTableColumnHelper<FeedbackRow>()
/** `retrying` is a pending row after a failed attempt; the list shows pending rows and marks them. */
const VIEWS = ["sent", "confirmed", "failed", "pending"] as const
type View = (typeof VIEWS)[number]
const COLORS = { pending: "grey", sending: "blue", sent: "blue", confirmed: "green", failed: "red" } as const

/** Shipment, cancel and status feedback the store sends back to the marketplaces. */
export function FeedbackTab({ channels, summary }: { channels: Channel[]; summary?: DeskSummary }) {
  const [params, setParams] = useSearchParams()
  const view = (VIEWS.includes(params.get("feedback") as View) ? params.get("feedback") : "failed") as View
  const [pagination, setPagination] = useState<DataTablePaginationState>({ pageIndex: 0, pageSize: PAGE_SIZE })
  const channelById = useMemo(() => new Map(channels.map((c) => [c.id, c])), [channels])
  const { data, isLoading, isError, error, refetch } = useDeskFeedback({ state: view, limit: PAGE_SIZE, offset: pagination.pageIndex * PAGE_SIZE })
  const qc = useQueryClient()
  const retry = useMutation({
    mutationFn: (id: string) => sdk.client.fetch(`/admin/channel-feedback/${id}/retry`, { method: "POST", body: {} }),
    onSettled: () => qc.invalidateQueries({ queryKey: ["channel-orders"] }),
  })
  const counts = summary?.feedback ?? {}

  const columns = useMemo(
    () => [
      column.accessor("kind", { header: "Kind", cell: ({ getValue }) => humanize(getValue()) }),
      column.accessor("channel_id", {
        header: "Channel",
        cell: ({ getValue }) => {
          const c = channelById.get(getValue())
          return c ? `${c.name} (${providerLabel(c.provider)})` : getValue()
        },
      }),
      column.accessor("order_id", {
        header: "Order",
        cell: ({ getValue }) =>
          getValue() ? (
            <Link to={`/orders/${getValue()}`} className="text-ui-fg-interactive hover:underline">
              Open order
            </Link>
          ) : (
            "–"
          ),
      }),
      column.accessor("state", {
        header: "State",
        cell: ({ row }) => {
          const f = row.original
          const retrying = f.state === "pending" && f.attempts > 0
          return (
            <div className="flex flex-col items-start gap-y-1">
              <StatusBadge color={retrying ? "orange" : COLORS[f.state] ?? "grey"}>{retrying ? "Retrying" : humanize(f.state)}</StatusBadge>
              {f.error_code ? (
                <Text size="xsmall" className="text-ui-fg-error max-w-[320px] whitespace-normal">
                  {errorCodeLabel(f.error_code)}: {f.error_message}
                </Text>
              ) : null}
            </div>
          )
        },
      }),
      column.accessor("tracking_numbers", {
        header: "Tracking",
        cell: ({ getValue }) => (
          <div className="flex flex-wrap gap-1">
            {(getValue() ?? []).map((t) => (
              <Badge key={t} size="2xsmall">
                {t}
              </Badge>
            ))}
          </div>
        ),
      }),
      column.accessor("attempts", { header: "Attempts" }),
      column.accessor("created_at", {
        header: "Created",
        cell: ({ getValue }) => <span title={formatDateTime(getValue())}>{formatAge(getValue())}</span>,
      }),
      column.display({
        id: "retry",
        header: () => <span className="sr-only">Retry</span>,
        cell: ({ row }) =>
          row.original.state === "failed" ? (
            <Button
              size="small"
              variant="secondary"
              isLoading={retry.isPending && retry.variables === row.original.id}
              onClick={() =>
                retry.mutate(row.original.id, {
                  onSuccess: () => toast.success("Feedback queued again"),
                  onError: (e) => toast.error("Could not retry", { description: errorMessage(e) }),
                })
              }
            >
              <ArrowPath /> Retry
            </Button>
          ) : null,
      }),
    ],
    [channelById, retry.isPending, retry.variables] // eslint-disable-line react-hooks/exhaustive-deps
  )

  const table = useDataTable({
    data: data?.channel_feedback ?? [],
    columns,
    getRowId: (r) => r.id,
    rowCount: data?.count ?? 0,
    isLoading,
    pagination: { state: pagination, onPaginationChange: setPagination },
  })

  return (
    <div className="divide-y">
      <div className="px-6 py-3">
        <Tabs
          value={view}
          onValueChange={(v) => {
            setPagination({ pageIndex: 0, pageSize: PAGE_SIZE })
            setParams((p) => (p.set("feedback", v), p), { replace: true })
          }}
        >
          <Tabs.List aria-label="Which feedback to show">
            <Tabs.Trigger value="sent">Sent ({counts.sent ?? 0})</Tabs.Trigger>
            <Tabs.Trigger value="confirmed">Confirmed ({counts.confirmed ?? 0})</Tabs.Trigger>
            <Tabs.Trigger value="failed">Failed ({counts.failed ?? 0})</Tabs.Trigger>
            <Tabs.Trigger value="pending">
              Queued and retrying ({(counts.pending ?? 0) + (counts.retrying ?? 0)})
            </Tabs.Trigger>
          </Tabs.List>
        </Tabs>
      </div>
      <DataTable instance={table}>
        {isError ? (
          <ErrorState error={error} onRetry={() => refetch()} />
        ) : !isLoading && (data?.count ?? 0) === 0 ? (
          <EmptyState icon={<PaperPlane />} title="No feedback here" description="Shipments and cancellations sent back to the marketplaces appear here." />
        ) : (
          <>
            <DataTable.Table />
            <DataTable.Pagination />
          </>
        )}
      </DataTable>
    </div>
  )
}
