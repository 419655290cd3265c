import { performance } from "node:perf_hooks"
import { pgCounter } from "./pg-counter"

export const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10
export const round = (n: number, digits = 2) => {
  const f = 10 ** digits
  return Math.round(n * f) / f
}

/** Nearest-rank percentile of a list of numbers (p in 0..100). */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]
}

export function collectGarbage() {
  const gc = (globalThis as any).gc
  if (typeof gc === "function") {
    gc()
    gc()
  }
}

export type PhaseResult = {
  seconds: number
  queries: number
  db_wait_ms: number
  cpu_ms: number
  elu: number
  rss_start_mb: number
  peak_rss_mb: number
  rss_end_mb: number
  heap_used_end_mb: number
  /** After the clock stopped and a full GC: what the phase left behind (a leak shows here, not in peak RSS). */
  heap_after_gc_mb: number
  rss_after_gc_mb: number
  /** Query count and wait per statement key (verb + table), when asked for. */
  statements?: Map<string, { count: number; wait_ms: number }>
}

/**
 * Runs `fn` as one measured phase: wall time, pg round trips, CPU time of the process, event-loop
 * utilisation and RSS (sampled every 50 ms; the peak is the highest sample, start and end included).
 */
export async function measurePhase<T>(fn: () => Promise<T>, opts: { statements?: boolean } = {}): Promise<{ result: T; phase: PhaseResult }> {
  collectGarbage()
  const statements = opts.statements ? new Map<string, { count: number; wait_ms: number }>() : undefined
  pgCounter.byStatement = statements ?? null
  const rssStart = process.memoryUsage().rss
  let peak = rssStart
  const sampler = setInterval(() => {
    const rss = process.memoryUsage().rss
    if (rss > peak) peak = rss
  }, 50)
  sampler.unref()
  const q0 = pgCounter.queries
  const w0 = pgCounter.wait_ms
  const cpu0 = process.cpuUsage()
  const elu0 = performance.eventLoopUtilization()
  const t0 = performance.now()
  let result: T
  try {
    result = await fn()
  } finally {
    clearInterval(sampler)
    pgCounter.byStatement = null
  }
  const seconds = (performance.now() - t0) / 1000
  const elu = performance.eventLoopUtilization(elu0).utilization
  const cpu = process.cpuUsage(cpu0)
  const mem = process.memoryUsage()
  peak = Math.max(peak, mem.rss)
  collectGarbage()
  const settled = process.memoryUsage()
  return {
    result,
    phase: {
      seconds,
      queries: pgCounter.queries - q0,
      db_wait_ms: pgCounter.wait_ms - w0,
      cpu_ms: (cpu.user + cpu.system) / 1000,
      elu,
      rss_start_mb: mb(rssStart),
      peak_rss_mb: mb(peak),
      rss_end_mb: mb(mem.rss),
      heap_used_end_mb: mb(mem.heapUsed),
      heap_after_gc_mb: mb(settled.heapUsed),
      rss_after_gc_mb: mb(settled.rss),
      statements,
    },
  }
}

/** Runs `worker` over `items` with at most `concurrency` in flight, in order of the list. */
export async function pool<T>(items: T[], concurrency: number, worker: (item: T, index: number) => Promise<void>) {
  let next = 0
  const runners = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++
      await worker(items[i], i)
    }
  })
  await Promise.all(runners)
}

/** Adds up phases measured one after another (rounds of one measure) into one. */
export function mergePhases(phases: PhaseResult[]): PhaseResult {
  const [first] = phases
  const last = phases[phases.length - 1]
  const seconds = phases.reduce((a, p) => a + p.seconds, 0)
  let statements: PhaseResult["statements"]
  for (const p of phases) {
    if (!p.statements) continue
    statements ??= new Map()
    for (const [k, v] of p.statements) {
      const e = statements.get(k) ?? { count: 0, wait_ms: 0 }
      statements.set(k, { count: e.count + v.count, wait_ms: e.wait_ms + v.wait_ms })
    }
  }
  return {
    seconds,
    queries: phases.reduce((a, p) => a + p.queries, 0),
    db_wait_ms: phases.reduce((a, p) => a + p.db_wait_ms, 0),
    cpu_ms: phases.reduce((a, p) => a + p.cpu_ms, 0),
    elu: seconds ? phases.reduce((a, p) => a + p.elu * p.seconds, 0) / seconds : 0,
    rss_start_mb: first.rss_start_mb,
    peak_rss_mb: Math.max(...phases.map((p) => p.peak_rss_mb)),
    rss_end_mb: last.rss_end_mb,
    heap_used_end_mb: last.heap_used_end_mb,
    heap_after_gc_mb: last.heap_after_gc_mb,
    rss_after_gc_mb: last.rss_after_gc_mb,
    statements,
  }
}
