import {
  Container,
  DataTable,
  StatusBadge,
  Text,
  Tooltip,
  createDataTableColumnHelper,
  useDataTable,
  type DataTablePaginationState,
} from "@medusajs/ui"
import { useQueryClient } from "@tanstack/react-query"
import { useEffect, useMemo, useRef, useState } from "react"
import { channelOrderKeys } from "../../hooks/channel-orders"
import { channelKeys, useChannelRuns } from "../../hooks/channels"
import { formatDateTime, formatRelative, humanize } from "../../lib/format"
import type { ImportRun } from "../../types"
import { ErrorState, SectionHeader } from "../common"

const column = createDataTableColumnHelper<ImportRun>()
const PAGE_SIZE = 10

function duration(run: ImportRun): string {
  if (!run.finished_at) return "–"
  const s = Math.max(0, (new Date(run.finished_at).getTime() - new Date(run.started_at).getTime()) / 1000)
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`
}

/** "3 failed calls" (retries included), or null when every call went through at once. */
function callErrorsLabel(run: ImportRun): string | null {
  const n = (run.errors?.length ?? 0) + (run.errors_dropped ?? 0)
  return n ? `${n} failed marketplace call${n === 1 ? "" : "s"}` : null
}

function CallErrorList({ run }: { run: ImportRun }) {
  return (
    <ul className="max-w-[420px] text-xs">
      {(run.errors ?? []).map((e, i) => (
        <li key={i}>
          {formatDateTime(e.at)} · {e.operation}
          {e.status ? ` · HTTP ${e.status}` : ""} · {e.code}
          {e.retryable ? " (retryable)" : ""}: {e.message}
        </li>
      ))}
      {run.errors_dropped ? <li>…and {run.errors_dropped} more</li> : null}
    </ul>
  )
}

const statusColor = { running: "blue", succeeded: "green", failed: "red" } as const

/** The channel's latest pulls with their counts and errors; polled while a run is in progress. */
export function RunsSection({ channelId, polling }: { channelId: string; polling: boolean }) {
  const [pagination, setPagination] = useState<DataTablePaginationState>({ pageIndex: 0, pageSize: PAGE_SIZE })
  const { data, isLoading, isError, error, refetch } = useChannelRuns(
    channelId,
    { limit: PAGE_SIZE, offset: pagination.pageIndex * PAGE_SIZE },
    { poll: polling }
  )

  // A run that was running (a scheduled one, or another admin's) has ended: refresh what it changed.
  const qc = useQueryClient()
  const running = useRef(new Set<string>())
  useEffect(() => {
    const runs = data?.runs ?? []
    const ended = runs.some((r) => r.status !== "running" && running.current.has(r.id))
    running.current = new Set(runs.filter((r) => r.status === "running").map((r) => r.id))
    if (ended) {
      qc.invalidateQueries({ queryKey: channelOrderKeys.all })
      qc.invalidateQueries({ queryKey: channelKeys.detail(channelId) })
    }
  }, [data, channelId, qc])

  const columns = useMemo(
    () => [
      column.accessor("started_at", {
        header: "Started",
        cell: ({ row }) => (
          <div title={`${formatDateTime(row.original.started_at)} · took ${duration(row.original)}`}>
            <div>{formatRelative(row.original.started_at)}</div>
            <div className="text-ui-fg-muted text-xs">{row.original.trigger ? humanize(row.original.trigger) : ""}</div>
          </div>
        ),
      }),
      column.accessor("status", {
        header: "Status",
        cell: ({ getValue }) => <StatusBadge color={statusColor[getValue()] ?? "grey"}>{humanize(getValue())}</StatusBadge>,
      }),
      column.accessor("fetched", { header: "Fetched" }),
      column.accessor("imported", { header: "Imported" }),
      column.accessor("waiting", { header: "Waiting" }),
      column.accessor("ignored", { header: "Ignored" }),
      column.accessor("failed", {
        header: "Failed",
        cell: ({ getValue }) => <span className={getValue() ? "text-ui-fg-error font-medium" : undefined}>{getValue()}</span>,
      }),
      column.accessor("error", {
        header: "Error",
        cell: ({ row }) => {
          const e = row.original.error
          const calls = callErrorsLabel(row.original)
          if (!e && !calls) return <span className="text-ui-fg-muted">–</span>
          return (
            <div>
              {e ? (
                <Tooltip content={e}>
                  <Text size="small" className="text-ui-fg-error max-w-[220px] truncate" tabIndex={0}>
                    {e}
                  </Text>
                </Tooltip>
              ) : null}
              {calls ? (
                <Tooltip content={<CallErrorList run={row.original} />}>
                  <Text size="small" className="text-ui-fg-muted max-w-[220px] truncate" tabIndex={0} data-testid="run-call-errors">
                    {calls}
                  </Text>
                </Tooltip>
              ) : null}
            </div>
          )
        },
      }),
    ],
    []
  )

  const table = useDataTable({
    data: data?.runs ?? [],
    columns,
    getRowId: (r) => r.id,
    rowCount: data?.count ?? 0,
    isLoading,
    pagination: { state: pagination, onPaginationChange: setPagination },
  })

  return (
    <Container className="divide-y p-0" role="region" aria-labelledby="runs-heading" data-testid="runs-section">
      <SectionHeader id="runs-heading" title="Recent imports" description="Each pull of this channel, with what became of the orders it read." />
      {isError ? (
        <ErrorState error={error} onRetry={() => refetch()} />
      ) : (
        <DataTable instance={table}>
          <DataTable.Table
            emptyState={{ empty: { heading: "No imports yet", description: "Run an import or wait for the next scheduled one." } }}
          />
          {(data?.count ?? 0) > PAGE_SIZE ? <DataTable.Pagination /> : null}
        </DataTable>
      )}
    </Container>
  )
}
