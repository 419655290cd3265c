import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Channels } from "@medusajs/icons"
import {
  Badge,
  Button,
  Container,
  DataTable,
  Heading,
  Text,
  createDataTableColumnHelper,
  useDataTable,
  type DataTablePaginationState,
} from "@medusajs/ui"
import { useMemo, useState } from "react"
import { Link, useNavigate } from "react-router-dom"
import { EnabledBadge, ErrorState } from "../../../components/common"
import { CreateChannelDrawer } from "../../../components/channels/create-channel-drawer"
import { useChannelOrderSummary } from "../../../hooks/channel-orders"
import { useChannels } from "../../../hooks/channels"
import { formatDateTime, formatRelative, nextRunAt, providerLabel } from "../../../lib/format"
import type { Channel } from "../../../types"

type Row = Channel & { imported: number; not_imported: number; failed: number; waiting: number; reconciled: number; mismatched: number; last_import_at: string | null }

const column = createDataTableColumnHelper<Row>()
const PAGE_SIZE = 20

const ChannelsPage = () => {
  const navigate = useNavigate()
  const [pagination, setPagination] = useState<DataTablePaginationState>({ pageIndex: 0, pageSize: PAGE_SIZE })
  const [createOpen, setCreateOpen] = useState(false)
  const { data, isLoading, isError, error, refetch } = useChannels({
    limit: PAGE_SIZE,
    offset: pagination.pageIndex * PAGE_SIZE,
  })
  const summary = useChannelOrderSummary()

  const rows: Row[] = useMemo(() => {
    const byId = new Map((summary.data?.channels ?? []).map((s) => [s.channel_id, s]))
    return (data?.channels ?? []).map((c) => {
      const s = byId.get(c.id)
      return {
        ...c,
        imported: s?.imported ?? 0,
        not_imported: s?.not_imported ?? 0,
        failed: s?.failed ?? 0,
        waiting: s?.waiting ?? 0,
        reconciled: s?.reconciled ?? 0,
        mismatched: s?.mismatched ?? 0,
        last_import_at: s?.last_import_at ?? null,
      }
    })
  }, [data, summary.data])

  const columns = useMemo(
    () => [
      column.accessor("name", {
        header: "Name",
        // A real link, so the row can be reached and opened with the keyboard too.
        cell: ({ row }) => (
          <Link
            to={`/settings/channels/${row.original.id}`}
            className="text-ui-fg-base txt-compact-small-plus outline-none hover:underline focus-visible:underline"
            onClick={(e) => e.stopPropagation()}
          >
            {row.original.name}
          </Link>
        ),
      }),
      column.accessor("provider", { header: "Marketplace", cell: ({ getValue }) => providerLabel(getValue()) }),
      column.accessor("enabled", { header: "Status", cell: ({ getValue }) => <EnabledBadge enabled={getValue()} /> }),
      column.display({
        id: "last_import",
        header: "Last import",
        cell: ({ row }) => {
          const run = row.original.last_run
          if (!run) return <span className="text-ui-fg-muted">Never</span>
          return (
            <span title={formatDateTime(run.started_at)}>
              {formatRelative(run.started_at)}
              {run.status === "failed" ? <span className="text-ui-fg-error"> · failed</span> : null}
              {run.status === "running" ? <span className="text-ui-fg-muted"> · running</span> : null}
            </span>
          )
        },
      }),
      column.accessor("imported", { header: "Imported", cell: ({ getValue }) => getValue() }),
      column.display({
        id: "reconciled",
        header: "Reconciled",
        // Imported orders whose total, tax and paid amount equal the marketplace's figures.
        cell: ({ row }) => (
          <span className="flex items-center gap-x-1.5" title="Imported orders whose amounts equal the marketplace's">
            {row.original.reconciled}
            {row.original.mismatched ? (
              <Badge size="2xsmall" color="orange">
                {row.original.mismatched} mismatch
              </Badge>
            ) : null}
          </span>
        ),
      }),
      column.display({
        id: "not_imported",
        header: "Not imported",
        cell: ({ row }) => (
          <span className="flex items-center gap-x-1.5" title={`${row.original.failed} failed, ${row.original.waiting} waiting`}>
            {row.original.not_imported}
            {row.original.failed ? (
              <Badge size="2xsmall" color="red">
                {row.original.failed} failed
              </Badge>
            ) : null}
          </span>
        ),
      }),
      column.display({
        id: "next_run",
        header: "Next scheduled run",
        cell: ({ row }) => {
          const c = row.original
          if (!c.enabled) return <span className="text-ui-fg-muted">Paused</span>
          const next = nextRunAt(c.last_run?.started_at, c.settings?.pull_interval_minutes)
          if (!next || next.getTime() <= Date.now()) return "Within a minute"
          return <span title={formatDateTime(next)}>{formatRelative(next)}</span>
        },
      }),
    ],
    []
  )

  const table = useDataTable({
    data: rows,
    columns,
    getRowId: (r) => r.id,
    rowCount: data?.count ?? 0,
    isLoading,
    pagination: { state: pagination, onPaginationChange: setPagination },
    onRowClick: (_e, row) => navigate(`/settings/channels/${row.id}`),
  })

  return (
    <Container className="divide-y p-0">
      <DataTable instance={table}>
        <DataTable.Toolbar className="flex items-start justify-between gap-x-4 px-6 py-4">
          <div>
            <Heading level="h1">Channels</Heading>
            <Text size="small" className="text-ui-fg-subtle mt-1">
              Marketplaces whose orders are imported into this store.
            </Text>
          </div>
          <div className="flex items-center gap-x-2">
            {summary.data?.not_importable_count ? (
              <Button size="small" variant="transparent" asChild>
                <Link to="/marketplace?tab=problems">Import problems ({summary.data.not_importable_count})</Link>
              </Button>
            ) : null}
            <Button size="small" variant="secondary" onClick={() => setCreateOpen(true)}>
              Create channel
            </Button>
          </div>
        </DataTable.Toolbar>
        {isError ? (
          <ErrorState error={error} onRetry={() => refetch()} />
        ) : (
          <>
            <DataTable.Table
              emptyState={{
                empty: {
                  heading: "No channels yet",
                  description: "Create a channel to start importing orders from a marketplace.",
                },
              }}
            />
            <DataTable.Pagination />
          </>
        )}
      </DataTable>
      <CreateChannelDrawer
        open={createOpen}
        onOpenChange={setCreateOpen}
        providers={data?.providers ?? []}
        onCreated={(c) => navigate(`/settings/channels/${c.id}`)}
      />
    </Container>
  )
}

export const config = defineRouteConfig({
  label: "Channels",
  icon: Channels,
})

export const handle = {
  breadcrumb: () => "Channels",
}

export default ChannelsPage
