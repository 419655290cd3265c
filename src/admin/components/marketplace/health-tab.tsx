import { Heading, Text } from "@medusajs/ui"
import { useMemo } from "react"
import { ErrorState, TableSkeleton } from "../common"
import { useImportHealth, type ImportHealth } from "../../hooks/marketplace"
import { errorCodeLabel, formatDateTime } from "../../lib/format"
import type { Channel } from "../../types"

/**
 * Import health as plain CSS bars in `@medusajs/ui`'s tag colours (no chart library is installed):
 * imported and failed orders per hour over 7 days stacked per channel, failures by reason, and
 * the feedback's time to confirmation.
 */
const PALETTE = ["bg-ui-tag-blue-icon", "bg-ui-tag-green-icon", "bg-ui-tag-purple-icon", "bg-ui-tag-orange-icon", "bg-ui-tag-neutral-icon"]
const HOUR = 3_600_000

export function HealthTab({ channels }: { channels: Channel[] }) {
  const { data, isLoading, isError, error, refetch } = useImportHealth(7)
  if (isError) return <ErrorState error={error} onRetry={() => refetch()} />
  if (isLoading || !data) return <TableSkeleton rows={4} label="Loading import health" />
  return (
    <div className="flex flex-col divide-y" data-testid="import-health">
      <HourlyChart title="Orders imported per hour (7 days)" rows={data.imported_per_hour} channels={channels} />
      <HourlyChart title="Orders failed per hour (7 days)" rows={data.failed_per_hour} channels={channels} failed />
      <Reasons data={data} />
      <Feedback data={data} />
    </div>
  )
}

function HourlyChart({ title, rows, channels, failed }: { title: string; rows: ImportHealth["imported_per_hour"]; channels: Channel[]; failed?: boolean }) {
  const { buckets, ids, max, total } = useMemo(() => {
    const end = Math.floor(Date.now() / HOUR) * HOUR
    const start = end - 167 * HOUR
    const ids = [...new Set(rows.map((r) => r.channel_id))]
    const buckets = Array.from({ length: 168 }, (_, i) => ({ at: start + i * HOUR, by: new Map<string, number>(), sum: 0 }))
    for (const r of rows) {
      const i = Math.round((new Date(r.hour).getTime() - start) / HOUR)
      if (i < 0 || i >= buckets.length) continue
      buckets[i].by.set(r.channel_id, (buckets[i].by.get(r.channel_id) ?? 0) + r.count)
      buckets[i].sum += r.count
    }
    return { buckets, ids, max: Math.max(1, ...buckets.map((b) => b.sum)), total: rows.reduce((n, r) => n + r.count, 0) }
  }, [rows])
  const name = (id: string) => channels.find((c) => c.id === id)?.name ?? id
  const color = (id: string) => (failed && ids.length === 1 ? "bg-ui-tag-red-icon" : PALETTE[ids.indexOf(id) % PALETTE.length])
  return (
    <section className="flex flex-col gap-y-3 px-6 py-4" aria-label={title}>
      <div className="flex items-baseline justify-between">
        <Heading level="h3">{title}</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          {total} in total · peak {max === 1 && !total ? 0 : max} per hour
        </Text>
      </div>
      <div className="border-ui-border-base flex h-32 items-end gap-px border-b" role="img" aria-label={`${title}: ${total} in total`}>
        {buckets.map((b) => (
          <div key={b.at} className="flex h-full flex-1 flex-col-reverse" title={`${formatDateTime(new Date(b.at))}: ${b.sum}`}>
            {ids.map((id) =>
              b.by.get(id) ? <div key={id} className={color(id)} style={{ height: `${((b.by.get(id) ?? 0) / max) * 100}%` }} /> : null
            )}
          </div>
        ))}
      </div>
      <div className="flex justify-between">
        <Text size="xsmall" className="text-ui-fg-muted">
          {formatDateTime(new Date(buckets[0].at))}
        </Text>
        <Text size="xsmall" className="text-ui-fg-muted">
          now
        </Text>
      </div>
      {ids.length ? (
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {ids.map((id) => (
            <span key={id} className="txt-compact-xsmall text-ui-fg-subtle flex items-center gap-x-1">
              <span className={`inline-block h-2 w-2 rounded-sm ${color(id)}`} /> {name(id)}
            </span>
          ))}
        </div>
      ) : (
        <Text size="small" className="text-ui-fg-muted">
          Nothing in the last 7 days.
        </Text>
      )}
    </section>
  )
}

function Reasons({ data }: { data: ImportHealth }) {
  const max = Math.max(1, ...data.failures_by_reason.map((r) => r.count))
  return (
    <section className="flex flex-col gap-y-2 px-6 py-4" aria-label="Failures by reason">
      <Heading level="h3">Failures by reason</Heading>
      {data.failures_by_reason.length ? (
        data.failures_by_reason.map((r) => (
          <div key={r.reason} className="grid grid-cols-[200px_1fr_48px] items-center gap-x-3">
            <Text size="small">{errorCodeLabel(r.reason)}</Text>
            <div className="bg-ui-bg-component h-2 rounded-full">
              <div className="bg-ui-tag-red-icon h-2 rounded-full" style={{ width: `${(r.count / max) * 100}%` }} />
            </div>
            <Text size="small" className="text-right tabular-nums">
              {r.count}
            </Text>
          </div>
        ))
      ) : (
        <Text size="small" className="text-ui-fg-muted">
          No failed orders in the last 7 days.
        </Text>
      )}
    </section>
  )
}

function duration(s: number | null): string {
  if (s === null) return "–"
  if (s < 90) return `${s} s`
  if (s < 5400) return `${Math.round(s / 60)} min`
  return `${(s / 3600).toFixed(1)} h`
}

function Feedback({ data }: { data: ImportHealth }) {
  const f = data.feedback_confirmation
  const max = Math.max(1, f.p95_seconds ?? 0, f.p50_seconds ?? 0)
  return (
    <section className="flex flex-col gap-y-2 px-6 py-4" aria-label="Feedback time to confirmation">
      <Heading level="h3">Feedback time to confirmation</Heading>
      <Text size="small" className="text-ui-fg-subtle">
        {f.confirmed} confirmed in the last 7 days
      </Text>
      {(["p50", "p95"] as const).map((k) => {
        const v = f[`${k}_seconds`]
        return (
          <div key={k} className="grid grid-cols-[200px_1fr_64px] items-center gap-x-3">
            <Text size="small">{k === "p50" ? "Median (p50)" : "Slowest 5% (p95)"}</Text>
            <div className="bg-ui-bg-component h-2 rounded-full">
              <div className="bg-ui-tag-blue-icon h-2 rounded-full" style={{ width: `${((v ?? 0) / max) * 100}%` }} />
            </div>
            <Text size="small" className="text-right tabular-nums">
              {duration(v)}
            </Text>
          </div>
        )
      })}
    </section>
  )
}
