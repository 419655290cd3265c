import {
  Container,
  DataTable,
  Select,
  Text,
  createDataTableColumnHelper,
  useDataTable,
  type DataTablePaginationState,
} from "@medusajs/ui"
import { useMemo, useState } from "react"
import { Link } from "react-router-dom"
import { useChannelOrders } from "../../hooks/channel-orders"
import { STATE_BADGE, errorCodeLabel, formatDateTime, formatRelative } from "../../lib/format"
import { CHANNEL_ORDER_STATES, type ChannelOrder, type ChannelOrderState } from "../../types"
import { ErrorState, SectionHeader, StateBadge } from "../common"

const column = createDataTableColumnHelper<ChannelOrder>()
const PAGE_SIZE = 10

/** The latest orders this channel returned, with what became of each and a link to the Medusa order. */
export function ChannelOrdersSection({ channelId }: { channelId: string }) {
  const [pagination, setPagination] = useState<DataTablePaginationState>({ pageIndex: 0, pageSize: PAGE_SIZE })
  const [state, setState] = useState<ChannelOrderState | "all">("all")
  const { data, isLoading, isError, error, refetch } = useChannelOrders({
    channel_id: channelId,
    state: state === "all" ? undefined : state,
    limit: PAGE_SIZE,
    offset: pagination.pageIndex * PAGE_SIZE,
  })

  const columns = useMemo(
    () => [
      column.accessor("external_id", {
        header: "Marketplace order",
        cell: ({ row }) =>
          row.original.order_id ? (
            <Link
              to={`/orders/${row.original.order_id}`}
              className="text-ui-fg-interactive hover:text-ui-fg-interactive-hover font-mono"
              onClick={(e) => e.stopPropagation()}
            >
              {row.original.external_id}
            </Link>
          ) : (
            <span className="font-mono">{row.original.external_id}</span>
          ),
      }),
      column.accessor("external_status", { header: "Status", cell: ({ getValue }) => getValue() ?? "–" }),
      column.accessor("state", { header: "Result", cell: ({ getValue }) => <StateBadge state={getValue()} /> }),
      column.display({
        id: "reason",
        header: "Reason",
        cell: ({ row }) =>
          row.original.error_code ? (
            <Text size="small" className="text-ui-fg-error" title={row.original.error_message ?? undefined}>
              {errorCodeLabel(row.original.error_code)}
            </Text>
          ) : (
            <span className="text-ui-fg-muted">–</span>
          ),
      }),
      column.accessor("updated_at", {
        header: "Updated",
        cell: ({ getValue }) => <span title={formatDateTime(getValue())}>{formatRelative(getValue())}</span>,
      }),
    ],
    []
  )

  const table = useDataTable({
    data: data?.channel_orders ?? [],
    columns,
    getRowId: (r) => r.id,
    rowCount: data?.count ?? 0,
    isLoading,
    pagination: { state: pagination, onPaginationChange: setPagination },
  })

  return (
    <Container className="divide-y p-0" role="region" aria-labelledby="channel-orders-heading" data-testid="channel-orders-section">
      <SectionHeader
        id="channel-orders-heading"
        title="Orders"
        description="The orders this channel returned, latest change first."
        actions={
          <Select
            size="small"
            value={state}
            onValueChange={(v) => {
              setState(v as ChannelOrderState | "all")
              setPagination({ pageIndex: 0, pageSize: PAGE_SIZE })
            }}
          >
            <Select.Trigger aria-label="Show orders in state" className="w-[150px]">
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              <Select.Item value="all">All orders</Select.Item>
              {CHANNEL_ORDER_STATES.map((s) => (
                <Select.Item key={s} value={s}>
                  {STATE_BADGE[s].label}
                </Select.Item>
              ))}
            </Select.Content>
          </Select>
        }
      />
      {isError ? (
        <ErrorState error={error} onRetry={() => refetch()} />
      ) : (
        <DataTable instance={table}>
          <DataTable.Table
            emptyState={{
              empty: {
                heading: state === "all" ? "No orders yet" : `No ${STATE_BADGE[state].label.toLowerCase()} orders`,
                description: state === "all" ? "Orders appear here after an import." : undefined,
              },
            }}
          />
          {(data?.count ?? 0) > PAGE_SIZE ? <DataTable.Pagination /> : null}
        </DataTable>
      )}
    </Container>
  )
}
