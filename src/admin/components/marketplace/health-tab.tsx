import { Heading, Text } from "@medusajs/ui"
import { useMemo, type ReactNode } from "react"
import { Bar, BarChart, CartesianGrid, LabelList, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts"
import { ErrorState, TableSkeleton } from "../common"
import { useImportHealth, type ImportHealth } from "../../hooks/marketplace"
import { errorCodeLabel, formatDateTime } from "../../lib/format"
import type { Channel } from "../../types"

/**
 * Import health (issue 20), drawn with recharts in `@medusajs/ui`'s colours: the charts read the
 * admin's CSS variables (`var(--tag-blue-icon)`, `var(--fg-muted)`, ...), so they follow its light
 * and dark themes. Orders imported and failed per hour over 7 days (168 hourly bars stacked per
 * channel, a channel keeping its colour on both, a tick per day, a tooltip with each channel's
 * count, a legend with the channel names), failures by reason and the feedback's time to
 * confirmation (p50, p95) as horizontal bars. "Failed" counts failed import attempts (the
 * timeline's failure events, see `importHealth`), so an order fixed since still counts where it
 * failed. Each chart is an element with role="img" whose label gives its totals (the e2e test reads
 * "...: N in total"), the SVG inside hidden from assistive technology; each section is a region
 * named by its heading. The charts have a fixed height and take the width they are given.
 */
const PALETTE = ["var(--tag-blue-icon)", "var(--tag-green-icon)", "var(--tag-purple-icon)", "var(--tag-orange-icon)", "var(--tag-neutral-icon)"]
const FAILED = "var(--tag-red-icon)"
const MUTED = "var(--fg-muted)"
const GRID = "var(--border-base)"
const AXIS_TICK = { fill: MUTED, fontSize: 11 }
const HOUR = 3_600_000
const DAYS = 7

const dayTick = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short" })
const hourOf = new Intl.DateTimeFormat(undefined, { timeStyle: "short" })

export function HealthTab({ channels }: { channels: Channel[] }) {
  const { data, isLoading, isError, error, refetch } = useImportHealth(DAYS)
  if (isError) return <ErrorState error={error} onRetry={() => refetch()} />
  if (isLoading || !data) return <TableSkeleton rows={4} label="Loading import health" />
  // One colour per channel on both hourly charts, in the order of the channel list.
  const seen = [...new Set([...channels.map((c) => c.id), ...data.imported_per_hour.map((r) => r.channel_id), ...data.failed_per_hour.map((r) => r.channel_id)])]
  const colorOf = (id: string) => PALETTE[Math.max(0, seen.indexOf(id)) % PALETTE.length]
  return (
    <div className="flex flex-col divide-y" data-testid="import-health">
      <HourlyChart title={`Orders imported per hour (${DAYS} days)`} rows={data.imported_per_hour} channels={channels} colorOf={colorOf} />
      <HourlyChart title={`Orders failed per hour (${DAYS} days)`} rows={data.failed_per_hour} channels={channels} colorOf={colorOf} failed />
      <Reasons data={data} />
      <Feedback data={data} />
    </div>
  )
}

type Bucket = { at: number } & Record<string, number>

const channelName = (channels: Channel[], id: string) => channels.find((c) => c.id === id)?.name ?? id

function HourlyChart({
  title,
  rows,
  channels,
  colorOf,
  failed,
}: {
  title: string
  rows: ImportHealth["imported_per_hour"]
  channels: Channel[]
  colorOf: (id: string) => string
  failed?: boolean
}) {
  const { buckets, ids, ticks, peak, total, byChannel } = useMemo(() => {
    const end = Math.floor(Date.now() / HOUR) * HOUR
    const start = end - (DAYS * 24 - 1) * HOUR
    // Stacked bottom-up, and listed in the legend and the tooltip, by channel name.
    const ids = [...new Set(rows.map((r) => r.channel_id))].sort((a, b) => channelName(channels, a).localeCompare(channelName(channels, b)))
    const buckets: Bucket[] = Array.from({ length: DAYS * 24 }, (_, i) => {
      const b = { at: start + i * HOUR } as Bucket
      for (const id of ids) b[id] = 0
      return b
    })
    let total = 0
    for (const r of rows) {
      const i = Math.round((new Date(r.hour).getTime() - start) / HOUR)
      if (i < 0 || i >= buckets.length) continue
      buckets[i][r.channel_id] += r.count
      total += r.count
    }
    // A tick where a local day begins.
    // A day's first hour, except one too close to the right edge for its label to fit.
    const ticks = buckets
      .filter((b, i) => i > 0 && i < buckets.length - 10 && new Date(b.at).getDate() !== new Date(buckets[i - 1].at).getDate())
      .map((b) => b.at)
    const peak = Math.max(0, ...buckets.map((b) => ids.reduce((n, id) => n + b[id], 0)))
    const byChannel = ids.map((id) => `${channelName(channels, id)} ${buckets.reduce((n, b) => n + b[id], 0)}`)
    return { buckets, ids, ticks, peak, total, byChannel }
  }, [rows, channels])
  const nameOf = (id: string) => channelName(channels, id)
  // A single channel's failures in red; several keep their channel colours.
  const color = (id: string) => (failed && ids.length === 1 ? FAILED : colorOf(id))
  return (
    <section className="flex flex-col gap-y-3 px-6 py-4" aria-label={title}>
      <div className="flex items-baseline justify-between">
        <Heading level="h3">{title}</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          {total} in total · peak {peak} per hour
        </Text>
      </div>
      {ids.length ? (
        // The label says what the chart shows; the SVG inside is hidden from assistive technology.
        <div role="img" aria-label={`${title}: ${total} in total; ${byChannel.join(", ")}`} className="h-48 w-full">
          <div aria-hidden className="h-full w-full">
            <ResponsiveContainer width="100%" height="100%" minWidth={0} initialDimension={{ width: 800, height: 192 }}>
              <BarChart data={buckets} margin={{ top: 4, right: 16, bottom: 0, left: 0 }} barCategoryGap={1} accessibilityLayer={false}>
                <CartesianGrid vertical={false} stroke={GRID} />
                <XAxis
                  dataKey="at"
                  ticks={ticks}
                  interval={0}
                  tickFormatter={(at: number) => dayTick.format(new Date(at))}
                  tick={AXIS_TICK}
                  tickLine={false}
                  axisLine={{ stroke: GRID }}
                />
                <YAxis allowDecimals={false} width={40} tick={AXIS_TICK} tickLine={false} axisLine={false} domain={[0, "auto"]} />
                <Tooltip
                  cursor={{ fill: "var(--bg-base-hover)" }}
                  isAnimationActive={false}
                  content={(p) => <HourTooltip active={p.active} payload={p.payload} ids={ids} nameOf={nameOf} color={color} />}
                />
                <Legend
                  verticalAlign="bottom"
                  align="left"
                  iconType="square"
                  iconSize={8}
                  wrapperStyle={{ fontSize: 12, paddingTop: 4 }}
                  formatter={(value: string) => <span style={{ color: "var(--fg-subtle)" }}>{value}</span>}
                />
                {ids.map((id) => (
                  <Bar key={id} dataKey={id} name={nameOf(id)} stackId="hour" fill={color(id)} isAnimationActive={false} />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
        </div>
      ) : (
        <div role="img" aria-label={`${title}: 0 in total`} className="border-ui-border-base flex h-16 items-center border-b">
          <Text size="small" className="text-ui-fg-muted">
            Nothing in the last {DAYS} days.
          </Text>
        </div>
      )}
    </section>
  )
}

function HourTooltip({
  active,
  payload,
  ids,
  nameOf,
  color,
}: {
  active?: boolean
  payload?: ReadonlyArray<{ payload?: unknown }>
  ids: string[]
  nameOf: (id: string) => string
  color: (id: string) => string
}) {
  const bucket = payload?.[0]?.payload as Bucket | undefined
  if (!active || !bucket) return null
  const sum = ids.reduce((n, id) => n + (bucket[id] ?? 0), 0)
  return (
    <TooltipBox>
      <Text size="xsmall" weight="plus">
        {formatDateTime(new Date(bucket.at))} – {hourOf.format(new Date(bucket.at + HOUR))}
      </Text>
      {ids.map((id) => (
        <div key={id} className="flex items-center justify-between gap-x-4">
          <span className="txt-compact-xsmall text-ui-fg-subtle flex items-center gap-x-1.5">
            <span className="inline-block h-2 w-2 rounded-sm" style={{ background: color(id) }} />
            {nameOf(id)}
          </span>
          <span className="txt-compact-xsmall tabular-nums">{bucket[id] ?? 0}</span>
        </div>
      ))}
      {ids.length > 1 ? (
        <div className="flex justify-between gap-x-4 border-t pt-1" style={{ borderColor: GRID }}>
          <span className="txt-compact-xsmall text-ui-fg-subtle">Total</span>
          <span className="txt-compact-xsmall tabular-nums">{sum}</span>
        </div>
      ) : null}
    </TooltipBox>
  )
}

function TooltipBox({ children }: { children: ReactNode }) {
  return (
    <div
      className="text-ui-fg-base flex min-w-[160px] flex-col gap-y-1 rounded-lg px-3 py-2"
      style={{ background: "var(--bg-base)", boxShadow: "var(--elevation-tooltip)" }}
    >
      {children}
    </div>
  )
}

type HBar = { label: string; value: number; text: string }

/** A category label flush with the section's left edge (recharts right-aligns them against the axis). */
function LeftLabel({ y, payload }: { y?: number | string; payload?: { value?: unknown } }) {
  return (
    <text x={0} y={y} dy={4} textAnchor="start" fill="var(--fg-base)" fontSize={13}>
      {String(payload?.value ?? "")}
    </text>
  )
}

/** Labelled horizontal bars, the value printed after each bar. */
function HorizontalBars({ rows, color, label }: { rows: HBar[]; color: string; label: string }) {
  const height = rows.length * 32 + 8
  return (
    <div role="img" aria-label={label} className="w-full" style={{ height }}>
      <div aria-hidden className="h-full w-full">
        <ResponsiveContainer width="100%" height="100%" minWidth={0} initialDimension={{ width: 800, height }}>
          <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 72, bottom: 4, left: 0 }} barCategoryGap={10} accessibilityLayer={false}>
            <XAxis type="number" hide domain={[0, (max: number) => Math.max(1, max)] as const} />
            <YAxis type="category" dataKey="label" width={200} tick={LeftLabel} tickLine={false} axisLine={false} />
            <Bar dataKey="value" fill={color} radius={[0, 4, 4, 0]} background={{ fill: "var(--bg-component)", radius: 4 }} isAnimationActive={false}>
              <LabelList dataKey="text" position="right" offset={8} fill="var(--fg-subtle)" fontSize={13} />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
    </div>
  )
}

function Reasons({ data }: { data: ImportHealth }) {
  const rows = data.failures_by_reason.map((r) => ({ label: errorCodeLabel(r.reason), value: r.count, text: String(r.count) }))
  const total = rows.reduce((n, r) => n + r.value, 0)
  return (
    <section className="flex flex-col gap-y-2 px-6 py-4" aria-label="Failures by reason">
      <Heading level="h3">Failures by reason</Heading>
      {rows.length ? (
        <HorizontalBars
          rows={rows}
          color={FAILED}
          label={`Failed import attempts by reason (${DAYS} days): ${rows.map((r) => `${r.label} ${r.value}`).join(", ")}; ${total} in total`}
        />
      ) : (
        <Text size="small" className="text-ui-fg-muted">
          No failed imports in the last {DAYS} days.
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
  const rows = (["p50", "p95"] as const).map((k) => {
    const v = f[`${k}_seconds`]
    return { label: k === "p50" ? "Median (p50)" : "Slowest 5% (p95)", value: v ?? 0, text: duration(v) }
  })
  return (
    <section className="flex flex-col gap-y-2 px-6 py-4" aria-label="Feedback time to confirmation">
      <Heading level="h3">Feedback time to confirmation</Heading>
      {f.confirmed ? (
        <>
          <Text size="small" className="text-ui-fg-subtle">
            {f.confirmed} confirmed in the last {DAYS} days
          </Text>
          <HorizontalBars
            rows={rows}
            color="var(--tag-blue-icon)"
            label={`Feedback time to confirmation (${DAYS} days, ${f.confirmed} confirmed): median ${rows[0].text}, slowest 5% ${rows[1].text}`}
          />
        </>
      ) : (
        <Text size="small" className="text-ui-fg-muted">
          No feedback confirmed in the last {DAYS} days.
        </Text>
      )}
    </section>
  )
}
