import { performance, PerformanceObserver } from "node:perf_hooks"
import v8 from "node:v8"
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
  /** Highest heap used seen (sampled every 250 ms): where V8 let the heap grow before a major GC. */
  peak_heap_used_mb: number
  /** Major (mark-compact) collections during the phase. */
  major_gcs: number
  /** Main-thread time of all collections during the phase (the pauses; concurrent marking not included). */
  gc_ms: number
  /** After the clock stopped and a full GC: what the phase left behind (a leak shows here, not in peak RSS). */
  heap_after_gc_mb: number
  rss_after_gc_mb: number
  /** Every RSS sample: performance.now() and bytes (windows of a run are cut from these). */
  rss_samples: Array<{ t: number; rss: number }>
  /** Query count and wait per statement key (verb + table), when asked for. */
  statements?: Map<string, { count: number; wait_ms: number }>
}

/** One sample of `--memory-trace`: MB at `t` seconds into the phase; gc = collections since the last sample. */
export type MemorySample = {
  t: number
  rss: number
  heap_total: number
  heap_used: number
  old_space: number
  large_object_space: number
  external: number
  array_buffers: number
  gc?: string
}

/**
 * Runs `fn` as one measured phase: wall time, pg round trips, CPU time of the process, event-loop
 * utilisation and RSS (sampled every 50 ms; the peak is the highest sample, start and end included).
 */
export async function measurePhase<T>(
  fn: () => Promise<T>,
  opts: { statements?: boolean; trace?: MemorySample[] } = {}
): Promise<{ result: T; phase: PhaseResult }> {
  collectGarbage()
  const statements = opts.statements ? new Map<string, { count: number; wait_ms: number }>() : undefined
  pgCounter.byStatement = statements ?? null
  const rssStart = process.memoryUsage().rss
  const trace = opts.trace
  const tStart = performance.now()
  // With a trace, each sample also says which collections ran since the previous one (m = minor, M = major).
  let gcs = ""
  let majorGcs = 0
  let gcMs = 0
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as any).detail?.kind
      gcMs += e.duration
      if (kind === 4) majorGcs++
      if (trace) gcs += kind === 1 ? "m" : kind === 4 ? "M" : "o"
    }
  })
  gcObserver.observe({ entryTypes: ["gc"] })
  let peakHeap = process.memoryUsage().heapUsed
  let tick = 0
  const rssSamples: Array<{ t: number; rss: number }> = [{ t: performance.now(), rss: rssStart }]
  const sampler = setInterval(() => {
    rssSamples.push({ t: performance.now(), rss: process.memoryUsage.rss() })
    // Every 5th tick (250 ms), as process.memoryUsage() walks the heap spaces: the heap's
    // high-water mark and, with a trace, the whole picture.
    if (tick++ % 5 !== 0) return
    const m = process.memoryUsage()
    peakHeap = Math.max(peakHeap, m.heapUsed)
    if (trace) {
      const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, s.space_size]))
      trace.push({
        t: round((performance.now() - tStart) / 1000, 2),
        rss: mb(m.rss),
        heap_total: mb(m.heapTotal),
        heap_used: mb(m.heapUsed),
        old_space: mb(spaces.old_space ?? 0),
        large_object_space: mb(spaces.large_object_space ?? 0),
        external: mb(m.external),
        array_buffers: mb(m.arrayBuffers),
        ...(gcs ? { gc: gcs } : {}),
      })
      gcs = ""
    }
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
    gcObserver.disconnect()
    pgCounter.byStatement = null
  }
  const seconds = (performance.now() - t0) / 1000
  const elu = performance.eventLoopUtilization(elu0).utilization
  const cpu = process.cpuUsage(cpu0)
  const mem = process.memoryUsage()
  const peak = rssSamples.reduce((max, s) => Math.max(max, s.rss), mem.rss)
  peakHeap = Math.max(peakHeap, mem.heapUsed)
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
      peak_heap_used_mb: mb(peakHeap),
      major_gcs: majorGcs,
      gc_ms: gcMs,
      heap_after_gc_mb: mb(settled.heapUsed),
      rss_after_gc_mb: mb(settled.rss),
      rss_samples: rssSamples,
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
    peak_heap_used_mb: Math.max(...phases.map((p) => p.peak_heap_used_mb)),
    major_gcs: phases.reduce((a, p) => a + p.major_gcs, 0),
    gc_ms: phases.reduce((a, p) => a + p.gc_ms, 0),
    heap_after_gc_mb: last.heap_after_gc_mb,
    rss_after_gc_mb: last.rss_after_gc_mb,
    rss_samples: phases.flatMap((p) => p.rss_samples),
    statements,
  }
}

/**
 * Peak RSS per window of `size` orders: pages (start time, orders) are grouped in order until a group
 * holds `size` orders; each window runs from its first page's start to the next window's start (or
 * `end`). A run's overall peak is the highest of many GC cycles, so it rises with the run's length
 * alone; windows of equal size compare like with like along a run and between runs.
 */
export function windowPeaks(pages: Array<{ t: number; n: number }>, end: number, samples: Array<{ t: number; rss: number }>, size: number): number[] {
  const starts: number[] = []
  let inWindow = size
  for (const p of pages) {
    if (inWindow >= size) {
      starts.push(p.t)
      inWindow = 0
    }
    inWindow += p.n
  }
  return starts.map((from, i) => {
    const to = starts[i + 1] ?? end
    let peak = 0
    for (const s of samples) if (s.t >= from && s.t < to && s.rss > peak) peak = s.rss
    return mb(peak)
  })
}
