import { Text } from "@medusajs/ui"
import { formatDateTime } from "../../lib/format"

export type ProgressRun = {
  id: string
  channel_id?: string
  started_at: string
  pages?: number
  fetched: number
  imported: number
  waiting: number
  ignored: number
  failed: number
  skipped: number
  window_from?: string | null
  window_to?: string | null
}

/**
 * A running import's progress: what the run row records page by page (pages, fetched, decided
 * counts, the window it reads). A marketplace does not say how many orders a window holds, so the
 * bar splits what was fetched by outcome and a moving stripe says the run goes on.
 */
export function RunProgress({ run, label }: { run: ProgressRun; label?: string }) {
  const fetched = Math.max(run.fetched, 1)
  const other = run.waiting + run.ignored + run.skipped
  const pct = (n: number) => `${Math.min(100, (n / fetched) * 100)}%`
  return (
    <div className="flex flex-col gap-y-2" data-testid="run-progress" aria-live="polite">
      <div className="flex items-center justify-between gap-x-4">
        <Text size="small" weight="plus">
          {label ?? "Import running"}
        </Text>
        <Text size="xsmall" className="text-ui-fg-subtle">
          started {formatDateTime(run.started_at)}
        </Text>
      </div>
      <div
        className="bg-ui-bg-component relative flex h-2 w-full overflow-hidden rounded-full"
        role="progressbar"
        aria-label={`${label ?? "Import"} progress`}
        aria-valuetext={`${run.fetched} fetched, ${run.imported} imported, ${run.failed} failed`}
      >
        <div className="bg-ui-tag-green-icon h-full transition-all" style={{ width: pct(run.imported) }} />
        <div className="bg-ui-tag-orange-icon h-full transition-all" style={{ width: pct(other) }} />
        <div className="bg-ui-tag-red-icon h-full transition-all" style={{ width: pct(run.failed) }} />
        <div className="bg-ui-fg-interactive absolute inset-y-0 w-1/5 animate-pulse rounded-full opacity-40" style={{ left: `${((run.pages ?? 0) * 17) % 80}%` }} />
      </div>
      <Text size="xsmall" className="text-ui-fg-subtle" data-testid="run-progress-counts">
        Page {run.pages ?? 0} · {run.fetched} fetched · {run.imported} imported · {other} waiting or skipped · {run.failed} failed
        {run.window_from && run.window_to ? ` · window ${formatDateTime(run.window_from)} – ${formatDateTime(run.window_to)}` : ""}
      </Text>
    </div>
  )
}
