import { mergePhases, percentile, windowPeaks, type PhaseResult } from "../stats"

const MB = 1024 * 1024

describe("windowPeaks", () => {
  // Ten pages of 100 orders, one every second from t = 0; the run ends at t = 10 s.
  const pages = Array.from({ length: 10 }, (_, i) => ({ t: i * 1000, n: 100 }))
  const at = (t: number, mb: number) => ({ t, rss: mb * MB })

  it("cuts windows of the given size at page starts and takes each window's highest sample", () => {
    const samples = [at(0, 300), at(900, 420), at(2400, 610), at(4999, 500), at(5000, 700), at(9999, 450)]
    expect(windowPeaks(pages, 10_000, samples, 500)).toEqual([610, 700])
  })

  it("starts a new window only once the previous one holds the size, so a short last page makes a short window", () => {
    const uneven = [
      { t: 0, n: 300 },
      { t: 1000, n: 300 },
      { t: 2000, n: 50 },
    ]
    const samples = [at(500, 400), at(1500, 450), at(2500, 520)]
    expect(windowPeaks(uneven, 3000, samples, 500)).toEqual([450, 520])
  })

  it("ignores samples taken after the run ended", () => {
    expect(windowPeaks(pages, 10_000, [at(100, 350), at(10_000, 900)], 1000)).toEqual([350])
  })
})

describe("percentile", () => {
  it("is the nearest rank, and null for no values", () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3)
    expect(percentile([1, 2, 3, 4], 50)).toBe(2)
    expect(percentile([1, 2, 3, 4], 95)).toBe(4)
    expect(percentile([], 50)).toBeNull()
  })
})

describe("mergePhases", () => {
  const phase = (over: Partial<PhaseResult>): PhaseResult => ({
    seconds: 1,
    queries: 10,
    db_wait_ms: 5,
    cpu_ms: 100,
    elu: 0.5,
    rss_start_mb: 300,
    peak_rss_mb: 500,
    rss_end_mb: 400,
    heap_used_end_mb: 150,
    peak_heap_used_mb: 350,
    major_gcs: 2,
    gc_ms: 40,
    heap_after_gc_mb: 100,
    rss_after_gc_mb: 380,
    rss_samples: [{ t: 1, rss: 1 }],
    ...over,
  })

  it("adds up counts and times, keeps the highest peaks, and the last slice's end state", () => {
    const merged = mergePhases([phase({ seconds: 2, elu: 1 }), phase({ peak_rss_mb: 650, peak_heap_used_mb: 420, heap_after_gc_mb: 104, major_gcs: 3, gc_ms: 75 })])
    expect(merged).toMatchObject({
      seconds: 3,
      queries: 20,
      major_gcs: 5,
      gc_ms: 115,
      peak_rss_mb: 650,
      peak_heap_used_mb: 420,
      heap_after_gc_mb: 104,
      rss_start_mb: 300,
    })
    expect(merged.elu).toBeCloseTo((2 * 1 + 1 * 0.5) / 3)
    expect(merged.rss_samples).toHaveLength(2)
  })
})
