import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { Container, Skeleton, Text, clx } from "@medusajs/ui"
import { SectionHeader } from "../components/common"
import { useOrderChannel } from "../hooks/order-channel"
import { formatDateTime, formatRelative, humanize } from "../lib/format"
import type { TimelineEvent } from "../types"

const TYPE_LABELS: Record<string, string> = {
  staged: "Received",
  waiting: "Waiting",
  ignored: "Ignored",
  failed: "Not imported",
  rules_matched: "Rules matched",
  created: "Created",
  imported: "Imported",
  hold: "Put on hold",
  hold_released: "Hold released",
  status_changed: "Status changed",
  accepted: "Accepted",
  accept_failed: "Acceptance failed",
  sync_failed: "Update failed",
  feedback: "Feedback",
  feedback_sent: "Feedback sent",
  exported: "Exported",
  status_imported: "Status imported",
}

const PIPELINE_ORDER = ["staged", "accepted", "accept_failed", "waiting", "ignored", "failed", "created", "rules_matched", "tag", "hold"]
const rank = (type: string) => {
  const i = PIPELINE_ORDER.indexOf(type)
  return i < 0 ? PIPELINE_ORDER.length : i
}

const tone = (type: string) =>
  /fail/.test(type) ? "error" : /hold/.test(type) && !/released/.test(type) ? "warning" : /created|imported|accepted|sent|confirmed/.test(type) ? "success" : "neutral"

/** The order's import timeline: received, rules matched, created, holds, status changes, feedback. */
const OrderImportTimeline = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const { data, isLoading } = useOrderChannel(order.id)
  if (isLoading) {
    return (
      <Container className="flex flex-col gap-y-3 px-6 py-4" role="status" aria-label="Loading the import timeline">
        <Skeleton className="h-6 w-40" />
        <Skeleton className="h-4 w-full" />
        <Skeleton className="h-4 w-full" />
      </Container>
    )
  }
  if (!data?.channel_order) return null
  // Oldest → newest, then reversed: newest first. "Received" is the first event of an order by
  // definition (the pipeline may write it a few ms after the order was created); events of the same
  // instant keep the pipeline's order.
  const first = (e: TimelineEvent) => (e.type === "staged" ? 0 : 1)
  const events = [...(data.timeline ?? [])]
    .sort((a, b) => first(a) - first(b) || +new Date(a.created_at) - +new Date(b.created_at) || rank(a.type) - rank(b.type))
    .reverse()

  return (
    <Container className="divide-y p-0" role="region" aria-labelledby="import-timeline-heading" data-testid="import-timeline">
      <SectionHeader id="import-timeline-heading" title="Import timeline" description={`From ${data.channel?.name ?? "the marketplace"}, newest first.`} />
      {events.length ? (
        <ol className="flex flex-col px-6 py-4">
          {events.map((e, i) => (
            <TimelineItem key={e.id ?? `${e.type}-${i}`} event={e} last={i === events.length - 1} />
          ))}
        </ol>
      ) : (
        <div className="px-6 py-4">
          <Text size="small" className="text-ui-fg-muted">
            No events recorded.
          </Text>
        </div>
      )}
    </Container>
  )
}

function TimelineItem({ event: e, last }: { event: TimelineEvent; last: boolean }) {
  const t = tone(e.type)
  return (
    <li className="grid grid-cols-[20px_1fr] gap-x-3">
      <div className="flex flex-col items-center" aria-hidden>
        <span
          className={clx("mt-1.5 size-2.5 shrink-0 rounded-full border-2", {
            "border-ui-tag-red-icon bg-ui-tag-red-bg": t === "error",
            "border-ui-tag-orange-icon bg-ui-tag-orange-bg": t === "warning",
            "border-ui-tag-green-icon bg-ui-tag-green-bg": t === "success",
            "border-ui-border-strong bg-ui-bg-base": t === "neutral",
          })}
        />
        {!last ? <span className="bg-ui-border-base my-1 w-px flex-1" /> : null}
      </div>
      <div className={clx("flex flex-col gap-y-0.5", !last && "pb-4")}>
        <div className="flex items-baseline justify-between gap-x-2">
          <Text size="small" weight="plus" leading="compact">
            {TYPE_LABELS[e.type] ?? humanize(e.type)}
          </Text>
          <Text size="xsmall" className="text-ui-fg-muted shrink-0" title={formatDateTime(e.created_at)}>
            {formatRelative(e.created_at)}
          </Text>
        </div>
        <Text size="small" className="text-ui-fg-subtle">
          {e.message}
        </Text>
      </div>
    </li>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details",
  id: "channel-orders:order-import-timeline",
})

export default OrderImportTimeline
