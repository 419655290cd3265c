import { ShoppingCart } from "@medusajs/icons"
import {
  Badge,
  Button,
  Checkbox,
  DataTable,
  Input,
  Label,
  Prompt,
  Select,
  Text,
  Textarea,
  createDataTableColumnHelper,
  toast,
  useDataTable,
  usePrompt,
  type DataTablePaginationState,
  type DataTableRowSelectionState,
} from "@medusajs/ui"
import { useEffect, useMemo, useState } from "react"
import { Link, useSearchParams } from "react-router-dom"
import { EmptyState, ErrorState, StateBadge } from "../common"
import { useChannelOrders } from "../../hooks/channel-orders"
import { useDeskBulk, type BulkAction, type DeskSummary } from "../../hooks/marketplace"
import { errorMessage } from "../../lib/errors"
import { formatAge, formatDateTime, holdReasonLabel, plural, providerLabel } from "../../lib/format"
import type { Channel, ChannelOrder, ChannelOrderListQuery, ChannelOrderState } from "../../types"
// The server's own list (a file of plain constants), so a new hold reason needs no copy here.
import { HOLD_REASONS } from "../../../modules/channel/types/states"

const PAGE_SIZE = 20
const ALL = "__all"
const column = createDataTableColumnHelper<ChannelOrder>()

/** The filters the desk keeps in the address, so a link (the orders-list widget) opens a filtered tab. */
export const FILTER_KEYS = ["channel_id", "tag", "hold_reason", "external_status", "created_from", "created_to", "q"] as const
type FilterKey = (typeof FILTER_KEYS)[number]

export type OrdersTabPreset = { state?: ChannelOrderState[]; on_hold?: boolean }

type Dialog = { mode: "release_holds" | "add_tag" | "remove_tag"; ids: string[] } | null

export function OrdersTab({
  preset,
  channels,
  summary,
  groupByReason,
  emptyTitle,
}: {
  preset: OrdersTabPreset
  channels: Channel[]
  summary?: DeskSummary
  groupByReason?: boolean
  emptyTitle: string
}) {
  const [params, setParams] = useSearchParams()
  const [pagination, setPagination] = useState<DataTablePaginationState>({ pageIndex: 0, pageSize: PAGE_SIZE })
  const [selection, setSelection] = useState<DataTableRowSelectionState>({})
  const [dialog, setDialog] = useState<Dialog>(null)
  const prompt = usePrompt()
  const bulk = useDeskBulk()
  const channelById = useMemo(() => new Map(channels.map((c) => [c.id, c])), [channels])

  const filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ""])) as Record<FilterKey, string>
  const filterKey = FILTER_KEYS.map((k) => filters[k]).join("|")
  useEffect(() => {
    setPagination({ pageIndex: 0, pageSize: PAGE_SIZE })
    setSelection({})
  }, [filterKey])

  const setFilter = (key: FilterKey, value: string) =>
    setParams(
      (p) => {
        if (value) p.set(key, value)
        else p.delete(key)
        return p
      },
      { replace: true }
    )

  const query: ChannelOrderListQuery = {
    ...(preset.state ? { state: preset.state } : {}),
    ...(preset.on_hold !== undefined ? { on_hold: preset.on_hold } : {}),
    ...Object.fromEntries(FILTER_KEYS.filter((k) => filters[k]).map((k) => [k, filters[k]])),
    limit: PAGE_SIZE,
    offset: pagination.pageIndex * PAGE_SIZE,
  }
  const { data, isLoading, isError, error, refetch } = useChannelOrders(query)

  const run = async (body: BulkAction, what: string) => {
    try {
      const r = await bulk.mutateAsync(body)
      setSelection({})
      setDialog(null)
      const first = r.results.find((x) => !x.ok)
      if (r.failed) toast.warning(`${what}: ${plural(r.ok, "order")} done`, { description: `${r.failed} could not be processed: ${first?.error}` })
      else toast.success(`${what}: ${plural(r.ok, "order")} done`)
    } catch (e) {
      toast.error(`${what} failed`, { description: errorMessage(e) })
    }
  }

  const confirmThen = async (ids: string[], action: "retry" | "ignore") => {
    if (action === "ignore") {
      const ok = await prompt({
        title: `Ignore ${plural(ids.length, "order")}?`,
        description: "They will not be imported. Imported orders are left as they are.",
        confirmText: "Ignore",
        cancelText: "Cancel",
      })
      if (!ok) return
    }
    await run({ action, ids }, action === "retry" ? "Retry" : "Ignore")
  }

  const columns = useMemo(
    () => [
      column.select({
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
      column.accessor("external_id", {
        header: "Order",
        cell: ({ row }) => {
          const o = row.original
          return (
            <div className="flex flex-col">
              <span className="text-ui-fg-base font-mono">{o.external_id}</span>
              {o.order_id ? (
                <Link to={`/orders/${o.order_id}`} className="text-ui-fg-interactive txt-compact-xsmall hover:underline" onClick={(e) => e.stopPropagation()}>
                  {o.display_id ? `Order #${o.display_id}` : "Open order"}
                </Link>
              ) : (
                <span className="text-ui-fg-muted txt-compact-xsmall">Not in Medusa</span>
              )}
            </div>
          )
        },
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
      column.accessor("state", {
        header: "Status",
        cell: ({ row }) => (
          <div className="flex flex-col items-start gap-y-1">
            <StateBadge state={row.original.state} />
            <span className="text-ui-fg-muted font-mono text-xs">{row.original.external_status ?? "–"}</span>
          </div>
        ),
      }),
      column.display({
        id: "badges",
        header: "Holds and tags",
        cell: ({ row }) => {
          const o = row.original
          if (!o.holds?.length && !o.tags?.length) return <span className="text-ui-fg-muted">–</span>
          return (
            <div className="flex max-w-[320px] flex-wrap gap-1 whitespace-normal">
              {(o.holds ?? []).map((h) => (
                <Badge key={h.id} size="2xsmall" color="orange" title={h.detail ?? undefined}>
                  On hold: {holdReasonLabel(h.reason)}
                </Badge>
              ))}
              {(o.tags ?? []).map((t) => (
                <Badge key={t.id} size="2xsmall" color="blue">
                  {t.value}
                </Badge>
              ))}
            </div>
          )
        },
      }),
      column.accessor("created_at", {
        header: "Received",
        cell: ({ getValue }) => <span title={formatDateTime(getValue())}>{formatAge(getValue())}</span>,
      }),
    ],
    [channelById]
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
      { label: "Release holds", shortcut: "h", action: async (sel) => setDialog({ mode: "release_holds", ids: Object.keys(sel) }) },
      { label: "Add tag", shortcut: "t", action: async (sel) => setDialog({ mode: "add_tag", ids: Object.keys(sel) }) },
      { label: "Remove tag", shortcut: "u", action: async (sel) => setDialog({ mode: "remove_tag", ids: Object.keys(sel) }) },
      { label: "Retry", shortcut: "r", action: async (sel) => confirmThen(Object.keys(sel), "retry") },
      { label: "Ignore", shortcut: "i", action: async (sel) => confirmThen(Object.keys(sel), "ignore") },
    ],
  })

  const anyFilter = FILTER_KEYS.some((k) => filters[k])

  return (
    <div className="divide-y">
      {groupByReason ? (
        <div className="flex flex-wrap items-center gap-2 px-6 py-3" aria-label="Holds by reason" role="group" data-testid="holds-by-reason">
          <Button size="small" variant={filters.hold_reason ? "transparent" : "secondary"} onClick={() => setFilter("hold_reason", "")}>
            All reasons ({summary?.on_hold_count ?? 0})
          </Button>
          {(summary?.holds_by_reason ?? []).map((r) => (
            <Button
              key={r.reason}
              size="small"
              variant={filters.hold_reason === r.reason ? "secondary" : "transparent"}
              onClick={() => setFilter("hold_reason", r.reason)}
            >
              {holdReasonLabel(r.reason)} ({r.count})
            </Button>
          ))}
        </div>
      ) : null}
      <div className="grid grid-cols-2 gap-3 px-6 py-3 md:grid-cols-4 xl:grid-cols-7" role="search" aria-label="Filter marketplace orders">
        <FilterField label="Search" id="desk-q">
          <Input
            id="desk-q"
            size="small"
            type="search"
            placeholder="Marketplace or Medusa order no."
            defaultValue={filters.q}
            key={`q-${filters.q}`}
            onKeyDown={(e) => e.key === "Enter" && setFilter("q", (e.target as HTMLInputElement).value.trim())}
            onBlur={(e) => e.target.value.trim() !== filters.q && setFilter("q", e.target.value.trim())}
          />
        </FilterField>
        <FilterField label="Channel" id="desk-channel">
          <Select size="small" value={filters.channel_id || ALL} onValueChange={(v) => setFilter("channel_id", v === ALL ? "" : v)}>
            <Select.Trigger id="desk-channel" aria-label="Channel">
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              <Select.Item value={ALL}>All channels</Select.Item>
              {channels.map((c) => (
                <Select.Item key={c.id} value={c.id}>
                  {c.name}
                </Select.Item>
              ))}
            </Select.Content>
          </Select>
        </FilterField>
        <FilterField label="Tag" id="desk-tag">
          <Input
            id="desk-tag"
            size="small"
            placeholder="e.g. Review Needed"
            defaultValue={filters.tag}
            key={`tag-${filters.tag}`}
            onKeyDown={(e) => e.key === "Enter" && setFilter("tag", (e.target as HTMLInputElement).value.trim())}
            onBlur={(e) => e.target.value.trim() !== filters.tag && setFilter("tag", e.target.value.trim())}
          />
        </FilterField>
        <FilterField label="Hold reason" id="desk-hold-reason">
          <Select size="small" value={filters.hold_reason || ALL} onValueChange={(v) => setFilter("hold_reason", v === ALL ? "" : v)}>
            <Select.Trigger id="desk-hold-reason" aria-label="Hold reason">
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              <Select.Item value={ALL}>Any</Select.Item>
              {HOLD_REASONS.map((r) => (
                <Select.Item key={r} value={r}>
                  {holdReasonLabel(r)}
                </Select.Item>
              ))}
            </Select.Content>
          </Select>
        </FilterField>
        <FilterField label="Marketplace status" id="desk-status">
          <Input
            id="desk-status"
            size="small"
            placeholder="e.g. Unshipped"
            defaultValue={filters.external_status}
            key={`st-${filters.external_status}`}
            onKeyDown={(e) => e.key === "Enter" && setFilter("external_status", (e.target as HTMLInputElement).value.trim())}
            onBlur={(e) => e.target.value.trim() !== filters.external_status && setFilter("external_status", e.target.value.trim())}
          />
        </FilterField>
        <FilterField label="Received from" id="desk-from">
          <Input id="desk-from" size="small" type="date" value={filters.created_from} onChange={(e) => setFilter("created_from", e.target.value)} />
        </FilterField>
        <FilterField label="Received to" id="desk-to">
          <Input id="desk-to" size="small" type="date" value={filters.created_to} onChange={(e) => setFilter("created_to", e.target.value)} />
        </FilterField>
      </div>
      {anyFilter ? (
        <div className="flex items-center justify-between px-6 py-2">
          <Text size="small" className="text-ui-fg-subtle">
            {plural(data?.count ?? 0, "order")} match
          </Text>
          <Button
            size="small"
            variant="transparent"
            onClick={() =>
              setParams(
                (p) => {
                  FILTER_KEYS.forEach((k) => p.delete(k))
                  return p
                },
                { replace: true }
              )
            }
          >
            Clear filters
          </Button>
        </div>
      ) : null}
      <DataTable instance={table}>
        {isError ? (
          <ErrorState error={error} onRetry={() => refetch()} />
        ) : !isLoading && (data?.count ?? 0) === 0 ? (
          <EmptyState icon={<ShoppingCart />} title={emptyTitle} description={anyFilter ? "No order matches these filters." : "Nothing here right now."} />
        ) : (
          <>
            <DataTable.Table />
            <DataTable.Pagination />
            <DataTable.CommandBar selectedLabel={(n) => `${n} selected`} />
          </>
        )}
      </DataTable>
      {dialog ? (
        <BulkDialog
          dialog={dialog}
          busy={bulk.isPending}
          onCancel={() => setDialog(null)}
          onConfirm={(text) =>
            dialog.mode === "release_holds"
              ? run({ action: "release_holds", ids: dialog.ids, note: text || undefined, ...(filters.hold_reason ? { reasons: [filters.hold_reason] } : {}) }, "Release holds")
              : run({ action: dialog.mode, ids: dialog.ids, tag: text }, dialog.mode === "add_tag" ? "Add tag" : "Remove tag")
          }
        />
      ) : null}
    </div>
  )
}


function FilterField({ label, id, children }: { label: string; id: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-col gap-y-1">
      <Label htmlFor={id} size="xsmall" className="text-ui-fg-subtle">
        {label}
      </Label>
      {children}
    </div>
  )
}

/** The note of a bulk release, or the tag to add or remove. */
function BulkDialog({ dialog, busy, onCancel, onConfirm }: { dialog: NonNullable<Dialog>; busy: boolean; onCancel: () => void; onConfirm: (text: string) => void }) {
  const [text, setText] = useState("")
  const n = plural(dialog.ids.length, "order")
  const title = dialog.mode === "release_holds" ? `Release the holds of ${n}?` : dialog.mode === "add_tag" ? `Add a tag to ${n}` : `Remove a tag from ${n}`
  const needsText = dialog.mode !== "release_holds"
  return (
    <Prompt open onOpenChange={(o) => !o && onCancel()}>
      <Prompt.Content>
        <Prompt.Header>
          <Prompt.Title>{title}</Prompt.Title>
          <Prompt.Description>
            {dialog.mode === "release_holds"
              ? "Their open holds are released (only those of the hold reason filtered on, if any), and they can be fulfilled."
              : "Orders not in Medusa yet are skipped."}
          </Prompt.Description>
        </Prompt.Header>
        <div className="flex flex-col gap-y-2 px-6 pb-4">
          <Label htmlFor="desk-bulk-text" size="small">
            {dialog.mode === "release_holds" ? "Note (optional)" : "Tag"}
          </Label>
          {dialog.mode === "release_holds" ? (
            <Textarea id="desk-bulk-text" value={text} onChange={(e) => setText(e.target.value)} maxLength={1000} />
          ) : (
            <Input id="desk-bulk-text" value={text} onChange={(e) => setText(e.target.value)} maxLength={64} />
          )}
        </div>
        <Prompt.Footer>
          <Prompt.Cancel onClick={onCancel}>Cancel</Prompt.Cancel>
          <Button size="small" onClick={() => onConfirm(text.trim())} isLoading={busy} disabled={needsText && !text.trim()}>
            {dialog.mode === "release_holds" ? "Release holds" : dialog.mode === "add_tag" ? "Add tag" : "Remove tag"}
          </Button>
        </Prompt.Footer>
      </Prompt.Content>
    </Prompt>
  )
}

