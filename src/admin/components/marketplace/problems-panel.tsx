import { ArrowPath, EllipsisHorizontal, ExclamationCircle, XCircle } from "@medusajs/icons"
import {
  Button,
  Checkbox,
  DataTable,
  DropdownMenu,
  Heading,
  IconButton,
  Tabs,
  Text,
  createDataTableColumnHelper,
  toast,
  useDataTable,
  usePrompt,
  type DataTablePaginationState,
  type DataTableRowSelectionState,
} from "@medusajs/ui"
import { useMemo, useState } from "react"
import { Link, useNavigate, useSearchParams } from "react-router-dom"
import { EmptyState, ErrorState, StateBadge } from "../common"
import { ShippingMappingDrawer } from "../channels/shipping-mapping"
import { SkuMappingDrawer } from "../channels/sku-mapping-drawer"
import {
  useBulkChannelOrderAction,
  useChannelOrder,
  useChannelOrders,
  useChannelOrderSummary,
  useIgnoreChannelOrder,
  useRetryChannelOrder,
} from "../../hooks/channel-orders"
import { useChannels } from "../../hooks/channels"
import { errorMessage } from "../../lib/errors"
import { errorCodeLabel, formatAge, formatDateTime, plural, providerLabel } from "../../lib/format"
import { serviceOf, skusOf } from "../../lib/problems"
import { sdk } from "../../lib/sdk"
import type { Channel, ChannelOrder, ChannelOrderState, RetryResponse } from "../../types"

type View = "failed" | "waiting" | "stuck" | "all"
const STATES: Record<View, ChannelOrderState[] | undefined> = { failed: ["failed"], waiting: ["waiting"], stuck: undefined, all: ["failed", "waiting"] }
const PAGE_SIZE = 20
const column = createDataTableColumnHelper<ChannelOrder>()

type Fix =
  | { kind: "sku"; order: ChannelOrder }
  | { kind: "shipping"; order: ChannelOrder }

/** The import problems list (moved from Settings to the Marketplace page's Problems tab, issue 20). */
export const ImportProblemsPanel = () => {
  const navigate = useNavigate()
  const prompt = usePrompt()
  const [params, setParams] = useSearchParams()
  const view = (["failed", "waiting", "stuck", "all"].includes(params.get("view") ?? "") ? params.get("view") : "failed") as View
  const [pagination, setPagination] = useState<DataTablePaginationState>({ pageIndex: 0, pageSize: PAGE_SIZE })
  const [selection, setSelection] = useState<DataTableRowSelectionState>({})
  const [fix, setFix] = useState<Fix | null>(null)

  const summary = useChannelOrderSummary({ refetchInterval: 15_000 })
  const channels = useChannels({ limit: 200 })
  const channelById = useMemo(() => new Map((channels.data?.channels ?? []).map((c) => [c.id, c])), [channels.data])
  const { data, isLoading, isError, error, refetch } = useChannelOrders({
    state: STATES[view],
    // Orders a stopped run left staged or mid-import, past their grace period; the next run recovers them.
    stuck: view === "stuck" ? true : undefined,
    limit: PAGE_SIZE,
    offset: pagination.pageIndex * PAGE_SIZE,
  })
  const retry = useRetryChannelOrder()
  const ignore = useIgnoreChannelOrder()
  const bulk = useBulkChannelOrderAction()

  const failedCount = (summary.data?.not_importable_count ?? 0) - (summary.data?.stuck_count ?? 0)
  const waitingCount = summary.data?.waiting_count ?? 0
  const stuckCount = summary.data?.stuck_count ?? 0

  const retryOne = async (o: ChannelOrder) => {
    try {
      const res = await retry.mutateAsync(o.id)
      reportRetry(o, res)
    } catch (e) {
      toast.error(`Could not retry ${o.external_id}`, { description: errorMessage(e) })
    }
  }

  const ignoreOne = async (o: ChannelOrder) => {
    const ok = await prompt({
      title: `Ignore order ${o.external_id}?`,
      description: "It will not be imported and leaves this list. A later change on the marketplace does not bring it back.",
      confirmText: "Ignore",
      cancelText: "Cancel",
    })
    if (!ok) return
    ignore.mutate(o.id, {
      onSuccess: () => toast.success(`Order ${o.external_id} ignored`),
      onError: (e) => toast.error(`Could not ignore ${o.external_id}`, { description: errorMessage(e) }),
    })
  }

  const bulkAction = async (ids: string[], action: "retry" | "ignore") => {
    if (action === "ignore") {
      const ok = await prompt({
        title: `Ignore ${plural(ids.length, "order")}?`,
        description: "They will not be imported and leave this list.",
        confirmText: "Ignore",
        cancelText: "Cancel",
      })
      if (!ok) return
    }
    bulk.mutate(
      { ids, action },
      {
        onSuccess: (r) => {
          setSelection({})
          const what = action === "retry" ? `${plural(r.ok, "order")} retried, ${r.imported} imported` : `${plural(r.ok, "order")} ignored`
          if (r.failed) toast.warning(what, { description: `${r.failed} could not be processed: ${r.errors[0]}` })
          else toast.success(what)
        },
      }
    )
  }

  const columns = useMemo(
    () => [
      column.select({
        // The stock checkboxes have no accessible name; these say what they select.
        header: ({ table }) => (
          <Checkbox
            aria-label="Select all orders on this page"
            checked={table.getIsSomePageRowsSelected() ? "indeterminate" : table.getIsAllPageRowsSelected()}
            onCheckedChange={(c) => table.toggleAllPageRowsSelected(!!c)}
            onClick={(e) => e.stopPropagation()}
          />
        ),
        cell: ({ row }) => (
          <Checkbox
            aria-label={`Select order ${row.original.external_id}`}
            checked={row.getIsSelected()}
            onCheckedChange={(c) => row.toggleSelected(!!c)}
            onClick={(e) => e.stopPropagation()}
          />
        ),
      }),
      column.accessor("channel_id", {
        header: "Channel",
        cell: ({ getValue }) => {
          const c = channelById.get(getValue())
          return c ? (
            <div>
              <div className="text-ui-fg-base">{c.name}</div>
              <div className="text-ui-fg-muted text-xs">{providerLabel(c.provider)}</div>
            </div>
          ) : (
            getValue()
          )
        },
      }),
      column.accessor("external_id", {
        header: "Order",
        cell: ({ getValue }) => <span className="text-ui-fg-base font-mono">{getValue()}</span>,
      }),
      column.accessor("external_status", {
        header: "Status",
        cell: ({ row }) => (
          <div className="flex flex-col items-start gap-y-1">
            <StateBadge state={row.original.state} />
            <span className="text-ui-fg-muted font-mono text-xs">{row.original.external_status ?? "–"}</span>
          </div>
        ),
      }),
      column.display({
        id: "reason",
        header: "Reason",
        cell: ({ row }) => {
          const o = row.original
          if (o.state === "waiting") {
            return (
              <div className="max-w-[360px] whitespace-normal">
                <Text size="small" weight="plus" leading="compact">
                  Waiting for an importable status
                </Text>
                <Text size="xsmall" className="text-ui-fg-subtle">
                  Status “{o.external_status}” is set to “Do not import” with Retry on.
                </Text>
              </div>
            )
          }
          return (
            <div className="max-w-[360px] whitespace-normal">
              <Text size="small" weight="plus" leading="compact" className="text-ui-fg-error">
                {errorCodeLabel(o.error_code)}
              </Text>
              <Text size="xsmall" className="text-ui-fg-subtle">
                {o.error_message}
              </Text>
            </div>
          )
        },
      }),
      column.accessor("created_at", {
        header: "Age",
        cell: ({ getValue }) => <span title={formatDateTime(getValue())}>{formatAge(getValue())}</span>,
      }),
      column.display({
        id: "fix",
        header: () => <span className="sr-only">Fix</span>,
        cell: ({ row }) => {
          const o = row.original
          const busy = (retry.isPending && retry.variables === o.id) || (ignore.isPending && ignore.variables === o.id)
          let primary: { label: string; onClick: () => void }
          if (o.state === "waiting") {
            primary = {
              label: "Change status rule",
              onClick: () => navigate(`/settings/channels/${o.channel_id}?status=${encodeURIComponent(o.external_status ?? "")}`),
            }
          } else if (o.error_code === "unmatched_sku") {
            primary = { label: "Map SKU", onClick: () => setFix({ kind: "sku", order: o }) }
          } else if (o.error_code === "unmapped_shipping") {
            primary = { label: "Map shipping service", onClick: () => setFix({ kind: "shipping", order: o }) }
          } else {
            primary = { label: "Retry", onClick: () => retryOne(o) }
          }
          return (
            <div className="flex items-center justify-end gap-x-1" onClick={(e) => e.stopPropagation()}>
              <Button size="small" variant="secondary" onClick={primary.onClick} isLoading={busy} aria-label={`${primary.label} for order ${o.external_id}`}>
                {primary.label}
              </Button>
              <DropdownMenu>
                <DropdownMenu.Trigger asChild>
                  <IconButton size="small" variant="transparent" aria-label={`More actions for order ${o.external_id}`}>
                    <EllipsisHorizontal />
                  </IconButton>
                </DropdownMenu.Trigger>
                <DropdownMenu.Content align="end">
                  <DropdownMenu.Item className="gap-x-2" onClick={() => retryOne(o)}>
                    <ArrowPath className="text-ui-fg-subtle" />
                    Retry
                  </DropdownMenu.Item>
                  <DropdownMenu.Item className="gap-x-2" onClick={() => ignoreOne(o)}>
                    <XCircle className="text-ui-fg-subtle" />
                    Ignore
                  </DropdownMenu.Item>
                  <DropdownMenu.Separator />
                  <DropdownMenu.Item asChild>
                    <Link to={`/settings/channels/${o.channel_id}`}>Open channel</Link>
                  </DropdownMenu.Item>
                </DropdownMenu.Content>
              </DropdownMenu>
            </div>
          )
        },
      }),
    ],
    [channelById, retry.isPending, retry.variables, ignore.isPending, ignore.variables] // eslint-disable-line react-hooks/exhaustive-deps
  )

  const table = useDataTable({
    data: data?.channel_orders ?? [],
    columns,
    getRowId: (r) => r.id,
    rowCount: data?.count ?? 0,
    isLoading,
    pagination: { state: pagination, onPaginationChange: setPagination },
    rowSelection: { state: selection, onRowSelectionChange: setSelection },
    commands: [
      { label: "Retry", shortcut: "r", action: async (sel) => bulkAction(Object.keys(sel), "retry") },
      { label: "Ignore", shortcut: "i", action: async (sel) => bulkAction(Object.keys(sel), "ignore") },
    ],
  })

  const setView = (v: string) => {
    setSelection({})
    setPagination({ pageIndex: 0, pageSize: PAGE_SIZE })
    setParams((p) => {
      p.set("view", v)
      return p
    }, { replace: true })
  }

  const fixChannel: Channel | undefined = fix ? channelById.get(fix.order.channel_id) : undefined

  return (
    <div className="divide-y">
      <DataTable instance={table}>
        <div className="flex flex-col gap-y-4 px-6 py-4">
          <div className="flex items-start justify-between gap-x-4">
            <div>
              <Heading level="h2">Import problems</Heading>
              <Text size="small" className="text-ui-fg-subtle mt-1">
                Marketplace orders that could not be imported, and orders waiting for a status that is set to import. Fix
                the cause, then retry.
              </Text>
            </div>
            <div className="flex shrink-0 items-center gap-x-2">
              <Button
                size="small"
                variant="secondary"
                disabled={!data?.channel_orders?.length || bulk.isPending}
                isLoading={bulk.isPending && bulk.variables?.action === "retry"}
                onClick={() => bulkAction((data?.channel_orders ?? []).map((o) => o.id), "retry")}
              >
                Retry all on this page
              </Button>
            </div>
          </div>
          <Tabs value={view} onValueChange={setView}>
            <Tabs.List aria-label="Which problems to show">
              <Tabs.Trigger value="failed">Cannot be imported ({failedCount})</Tabs.Trigger>
              <Tabs.Trigger value="waiting">Waiting ({waitingCount})</Tabs.Trigger>
              {stuckCount > 0 || view === "stuck" ? <Tabs.Trigger value="stuck">Interrupted ({stuckCount})</Tabs.Trigger> : null}
              <Tabs.Trigger value="all">All</Tabs.Trigger>
            </Tabs.List>
          </Tabs>
        </div>
        {isError ? (
          <ErrorState error={error} onRetry={() => refetch()} />
        ) : !isLoading && (data?.count ?? 0) === 0 ? (
          <EmptyState
            icon={<ExclamationCircle />}
            title={view === "waiting" ? "No waiting orders" : "No import problems"}
            description={
              view === "waiting"
                ? "No order is waiting for its marketplace status to change."
                : "Every marketplace order was imported or deliberately skipped."
            }
          />
        ) : (
          <>
            <DataTable.Table />
            <DataTable.Pagination />
            <DataTable.CommandBar selectedLabel={(n) => `${n} selected`} />
          </>
        )}
      </DataTable>
      {fix?.kind === "sku" && fixChannel ? (
        <SkuFix order={fix.order} channel={fixChannel} onClose={() => setFix(null)} />
      ) : null}
      {fix?.kind === "shipping" && fixChannel ? (
        <ShippingMappingDrawer
          channel={fixChannel}
          open
          onOpenChange={(o) => !o && setFix(null)}
          addService={serviceOf(fix.order)}
          onSaved={async () => {
            const order = fix.order
            try {
              const res = await sdk.client.fetch<RetryResponse>(`/admin/channel-orders/${order.id}/retry`, { method: "POST" })
              reportRetry(order, res)
            } catch (e) {
              toast.error(`Could not retry ${order.external_id}`, { description: errorMessage(e) })
            }
            refetch()
            summary.refetch()
          }}
        />
      ) : null}
    </div>
  )
}

function reportRetry(o: ChannelOrder, res: RetryResponse) {
  const state = res.channel_order?.state
  if (state === "imported") toast.success(`Order ${o.external_id} imported`)
  else if (state === "failed")
    toast.error(`Order ${o.external_id} still cannot be imported`, { description: res.channel_order.error_message ?? undefined })
  else toast.info(`Order ${o.external_id} is now ${state}`)
}

/** Map the order's unknown SKU, then retry the order. */
function SkuFix({ order, channel, onClose }: { order: ChannelOrder; channel: Channel; onClose: () => void }) {
  const detail = useChannelOrder(order.id)
  const retry = useRetryChannelOrder()
  const summary = useChannelOrderSummary()
  const named = skusOf(order)
  const all = (detail.data?.channel_order.normalized?.items ?? []).map((i) => i.sku).filter((s): s is string => !!s)
  const choices = [...new Set([...named, ...all])]
  return (
    <SkuMappingDrawer
      channelId={channel.id}
      open
      onOpenChange={(o) => !o && onClose()}
      externalSku={named[0] ?? ""}
      skuChoices={choices}
      title={`Map SKU of order ${order.external_id}`}
      submitLabel="Map and retry"
      onMapped={async () => {
        try {
          const res = await retry.mutateAsync(order.id)
          reportRetry(order, res)
        } catch (e) {
          toast.error(`Could not retry ${order.external_id}`, { description: errorMessage(e) })
        }
        summary.refetch()
      }}
    />
  )
}
