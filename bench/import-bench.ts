/**
 * The import benchmark (issue 8, part 1). A `medusa exec` script: `npm run bench -- [options]` runs
 * it through scripts/run.js, which creates a fresh database, migrates it, runs this file with the
 * options in BENCH_ARGS, and drops the database. See bench/README.md for the options and the output.
 *
 * In one process and one run it measures
 *   plugin: the plugin's real pipeline as the scheduled job runs it (runChannelImport, trigger
 *           "schedule": staging, status rules, import rules, dedup, locks), page after page;
 *   floor:  the least a correct import does per order through Medusa's core workflows
 *           (createOrderWorkflow, a reservation, a payment collection marked paid) on an identical
 *           second set of orders,
 * and prints one JSON line per measure.
 */
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import inspector from "node:inspector"
import v8 from "node:v8"
import { performance } from "node:perf_hooks"
// First: the query counter must wrap pg before the app opens its pool (exec imports this file
// before it boots the app; patching the prototype would also cover clients created earlier).
import { installPgCounter } from "./lib/pg-counter"
import { collectGarbage, measurePhase, mergePhases, percentile, pool, round, windowPeaks, type MemorySample, type PhaseResult } from "./lib/stats"
import type { ExecArgs, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { WorkflowManager } from "@medusajs/framework/orchestration"
import {
  createOrderPaymentCollectionWorkflow,
  createOrderWorkflow,
  markPaymentCollectionAsPaid,
  reserveInventoryStep,
} from "@medusajs/medusa/core-flows"
import { seedStore, type SeededStore } from "../src/scripts/seed-store"
import { generateSandboxOrders, type SandboxCatalogueItem } from "../src/providers/sandbox/generator"
import { createChannelWorkflow } from "../src/workflows/channels/create-channel"
import { replaceStatusRulesWorkflow } from "../src/workflows/channels/replace-status-rules"
import { runChannelImport, type RunSummary } from "../src/workflows/import-orders/run-channel-import"
import { CHANNEL_MODULE } from "../src/modules/channel"
import { fileChannelBench } from "./file-channel-bench"
import type ChannelModuleService from "../src/modules/channel/service"
import { parseChannelSettings } from "../src/modules/channel/settings"
import type { CanonicalOrderInput } from "../src/modules/channel/types/canonical-order"
import type { StatusAction, StatusRuleInput } from "../src/modules/channel/types/provider"

const PATCHED_PG = installPgCounter()

// ---- options ------------------------------------------------------------------------------------

type Options = {
  orders: number
  lines: number
  concurrency: number
  page_size: number
  warmup: number
  batch_import: boolean | null
  only: "plugin" | "floor" | null
  scaling: boolean
  scaling_ns: number[]
  with_floor: boolean
  mix: "realistic" | "valid"
  seed: number
  profile: boolean
  queries: boolean
  rounds: number
  heap_snapshot: boolean
  memory_trace: boolean
  heap_profile: boolean
  /** `--files`: the file channel bench (bench/file-channel-bench.ts) instead of the sandbox one. */
  files: boolean
  files_ns: number[]
}

const USAGE = `npm run bench -- [--orders N] [--lines L] [--concurrency K] [--page-size P] [--warmup W]
                     [--batch-import true|false] [--only plugin|floor] [--mix realistic|valid] [--seed S]
                     [--scaling [--scaling-ns 500,2000,5000] [--with-floor]] [--rounds R] [--profile] [--cpu-prof] [--queries] [--heap-snapshot] [--memory-trace] [--heap-profile] [--heap-mb MB]
                     [--launcher launch|medusa-exec] [--files [--files-ns 1000,20000]]`

export function parseOptions(argv: string[]): Options {
  const o: Options = {
    orders: 1000,
    lines: 3,
    concurrency: 1,
    page_size: 100,
    warmup: 20,
    batch_import: null,
    only: null,
    scaling: false,
    scaling_ns: [500, 2000, 5000],
    with_floor: false,
    mix: "realistic",
    seed: 42,
    profile: false,
    queries: false,
    rounds: 1,
    heap_snapshot: false,
    memory_trace: false,
    heap_profile: false,
    files: false,
    files_ns: [1000, 20000],
  }
  const args = [...argv]
  const int = (name: string, v: string | undefined, min = 0) => {
    const n = Number(v)
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} needs an integer ≥ ${min}, got ${v}\n${USAGE}`)
    return n
  }
  while (args.length) {
    let a = args.shift()!
    if (a === "--") continue
    let value: string | undefined
    if (a.includes("=")) [a, value] = [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]
    const next = () => value ?? args.shift()
    switch (a) {
      case "--orders": o.orders = int("orders", next(), 1); break
      case "--lines": o.lines = int("lines", next(), 1); break
      case "--concurrency": o.concurrency = int("concurrency", next(), 1); break
      case "--page-size": o.page_size = int("page-size", next(), 1); break
      case "--warmup": o.warmup = int("warmup", next(), 0); break
      case "--seed": o.seed = int("seed", next(), 0); break
      case "--batch-import": {
        const v = value ?? (args[0] && !args[0].startsWith("--") ? args.shift() : "true")
        if (!["true", "false"].includes(String(v))) throw new Error(`--batch-import takes true or false\n${USAGE}`)
        o.batch_import = v === "true"
        break
      }
      case "--no-batch-import": o.batch_import = false; break
      case "--only": {
        const v = next()
        if (v !== "plugin" && v !== "floor") throw new Error(`--only takes plugin or floor\n${USAGE}`)
        o.only = v
        break
      }
      case "--mix": {
        const v = next()
        if (v !== "realistic" && v !== "valid") throw new Error(`--mix takes realistic or valid\n${USAGE}`)
        o.mix = v
        break
      }
      case "--scaling": o.scaling = true; break
      case "--scaling-ns": o.scaling_ns = String(next()).split(",").map((s) => int("scaling-ns", s.trim(), 1)); break
      case "--with-floor": o.with_floor = true; break
      case "--profile": o.profile = true; break
      case "--queries": o.queries = true; break
      case "--rounds": o.rounds = int("rounds", next(), 1); break
      case "--heap-snapshot": o.heap_snapshot = true; break
      case "--memory-trace": o.memory_trace = true; break
      case "--heap-profile": o.heap_profile = true; break
      case "--files": o.files = true; break
      case "--files-ns": o.files_ns = String(next()).split(",").map((s) => int("files-ns", s.trim(), 1)); break
      case "--cpu-prof": break // handled by scripts/run.js (node --cpu-prof for the whole process)
      case "--launcher": next(); break // handled by scripts/run.js (bench/launch.js or medusa-exec)
      case "--heap-mb": next(); break // handled by scripts/run.js (the process's --max-old-space-size)
      case "--help": case "-h": throw new Error(USAGE)
      default: throw new Error(`Unknown option ${a}\n${USAGE}`)
    }
  }
  return o
}

// ---- the order mix ------------------------------------------------------------------------------

/** Sandbox statuses and how often a marketplace sends them; mostly paid orders to import as valid. */
const MIXES: Record<Options["mix"], Array<[string, number]>> = {
  realistic: [
    ["paid", 0.85],
    ["on_hold", 0.04],
    ["shipped", 0.04],
    ["pending", 0.04],
    ["canceled", 0.03],
  ],
  valid: [["paid", 1]],
}

/** The bench channel's status rules. */
const BENCH_RULES: StatusRuleInput[] = [
  { external_status: "paid", action: "import_as_valid", retry: true },
  { external_status: "on_hold", action: "import_and_hold", retry: true },
  { external_status: "shipped", action: "import_as_history", retry: false },
  { external_status: "pending", action: "do_not_import", retry: true },
  { external_status: "canceled", action: "do_not_import", retry: false },
]
const ruleFor = (status: string) => BENCH_RULES.find((r) => r.external_status === status)?.action ?? "do_not_import"
/** What the floor does per action: every imported order is created and paid; these also reserve. */
const RESERVES = new Set<StatusAction>(["import_as_valid", "import_and_hold", "import_and_invoice", "import_and_complete"])

function statusPicker(mix: Array<[string, number]>) {
  return (_i: number, rnd: () => number) => {
    let x = rnd()
    for (const [status, share] of mix) {
      if (x < share) return status
      x -= share
    }
    return mix[0][0]
  }
}

// ---- helpers ------------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`)
const loadavg = () => os.loadavg().map((n) => round(n, 2))
/** True under the Medusa CLI (its ts-node loads `domain`, which slows every promise); false under bench/launch.js. */
const domainLoaded = () => ((process as any).moduleLoadList as string[]).includes("NativeModule domain")

const OUT_DIR = path.join(process.cwd(), ".medusa", "bench")
let resultsFile: string | null = null

function emit(line: Record<string, unknown>) {
  const text = JSON.stringify(line)
  process.stdout.write(text + "\n")
  if (resultsFile) fs.appendFileSync(resultsFile, text + "\n")
}

/** Medusa's own `floor` reservation: the core step, in the smallest workflow that can run it. */
const floorReserveWorkflow = createWorkflow("bench-floor-reserve-inventory", (input: { items: any[] }) => {
  return new WorkflowResponse(reserveInventoryStep(input))
})

/** A file in OUT_DIR named by kind, time and label: `<kind>-<time>[-<label>].<ext>`. */
function outFile(kind: string, ext: string, label?: string) {
  const time = new Date().toISOString().replace(/[:.]/g, "-")
  return path.join(OUT_DIR, `${kind}-${time}${label ? `-${label.replace(/[^\w-]+/g, "-")}` : ""}.${ext}`)
}

/** `--heap-snapshot`: a V8 heap snapshot after a full GC (bench/heap-summary.js compares two). */
function heapSnapshot(label: string) {
  collectGarbage()
  const file = outFile("heap", "heapsnapshot", label)
  v8.writeHeapSnapshot(file)
  log(`heap snapshot (${label}, heap used ${Math.round(process.memoryUsage().heapUsed / 1048576)} MB): ${path.relative(process.cwd(), file)}`)
}

/** `--memory-trace`: the phase's samples as JSON lines. */
function writeMemoryTrace(label: string, trace: MemorySample[]) {
  const file = outFile("memory", "jsonl", label)
  fs.writeFileSync(file, trace.map((s) => JSON.stringify(s)).join("\n") + "\n")
  log(`memory trace (${label}, ${trace.length} samples): ${path.relative(process.cwd(), file)}`)
}

/** An inspector session on this process, for the profilers below. */
function inspectorSession() {
  const session = new inspector.Session()
  session.connect()
  const post = (method: string, params?: Record<string, unknown>) =>
    new Promise<any>((resolve, reject) => session.post(method as any, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))))
  return { post, disconnect: () => session.disconnect() }
}

/** Sends the `start` calls; the function it returns sends `stop` and writes the profile it answers to a file. */
async function startProfiler(start: Array<[method: string, params?: Record<string, unknown>]>, stop: string) {
  const session = inspectorSession()
  for (const [method, params] of start) await session.post(method, params)
  return async (file: string) => {
    const { profile } = await session.post(stop)
    session.disconnect()
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, JSON.stringify(profile))
    return file
  }
}

/**
 * `--heap-profile`: V8's sampling heap profiler over the phase, keeping samples of objects a major
 * GC collected but not of those a scavenge collected: what the phase promoted to the old generation
 * (live or dropped later). That volume, not what stays live, sets how far the heap grows between
 * major GCs and so the peak RSS.
 */
const heapSampler = () =>
  startProfiler(
    [["HeapProfiler.enable"], ["HeapProfiler.startSampling", { samplingInterval: 32768, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: false }]],
    "HeapProfiler.stopSampling"
  )

const cpuProfiler = () => startProfiler([["Profiler.enable"], ["Profiler.setSamplingInterval", { interval: 500 }], ["Profiler.start"]], "Profiler.stop")

// ---- the bench ----------------------------------------------------------------------------------

export default async function importBench({ container, args }: ExecArgs) {
  const raw = process.env.BENCH_ARGS ? (JSON.parse(process.env.BENCH_ARGS) as string[]) : (args ?? [])
  const opts = parseOptions(raw)
  fs.mkdirSync(OUT_DIR, { recursive: true })
  const stamp = new Date().toISOString().replace(/[:.]/g, "-")
  resultsFile = path.join(OUT_DIR, `results-${stamp}.jsonl`)
  if (!PATCHED_PG.length) throw new Error("Could not find the pg module to count queries")
  log(`options ${JSON.stringify(opts)}; counting queries on ${PATCHED_PG.length} pg module(s); loadavg ${loadavg().join(" ")}`)

  if (opts.files) {
    await fileChannelBench(container, { ns: opts.files_ns, lines: opts.lines, page_size: opts.page_size === 100 ? 250 : opts.page_size, emit, log })
    log(`results also in ${path.relative(process.cwd(), resultsFile)}`)
    return
  }
  const b = new Bench(container, opts)
  await b.setup()
  if (opts.scaling) await b.scaling()
  else await b.sideBySide()
  log(`results also in ${path.relative(process.cwd(), resultsFile)}`)
}

type PluginOutcome = {
  phase: PhaseResult
  runs: RunSummary[]
  latencies: number[]
  pages: number
  /** Every page of the run (all channels) by start time, and when the last run ended. */
  page_starts: Array<{ t: number; n: number }>
  end: number
  imported: number
  outcome: Record<string, number>
  batch_import: boolean | null
}

class Bench {
  private readonly channels: ChannelModuleService
  private readonly query: any
  private store!: SeededStore
  private catalogue: SandboxCatalogueItem[] = []
  private variantBySku = new Map<string, SeededStore["variants"][number]>()
  /** channel id → start times and sizes of its pages, filled by the provider hook while a run is measured. */
  private pages = new Map<string, Array<{ t: number; n: number }>>()
  private channelSeq = 0

  constructor(private readonly container: MedusaContainer, private readonly opts: Options) {
    this.channels = container.resolve(CHANNEL_MODULE)
    this.query = container.resolve(ContainerRegistrationKeys.QUERY)
  }

  async setup() {
    const t0 = performance.now()
    // Scheduled jobs are workflows named job-<name>; none may be registered, or the plugin's
    // pull job could start runs of the bench channels behind the bench's back.
    const jobs = [...WorkflowManager.getWorkflows().keys()].filter((id) => id.startsWith("job-"))
    if (jobs.length) throw new Error(`Scheduled jobs are loaded (${jobs.join(", ")}); the bench must run in worker mode "server"`)
    this.store = await seedStore(this.container)
    const usable = this.store.variants.filter((v) => v.stocked >= 100 && v.inventory_item_id)
    if (usable.length < this.opts.lines) throw new Error(`Only ${usable.length} seeded variants have stock ≥ 100; --lines ${this.opts.lines} needs as many`)
    const { data } = await this.query.graph({
      entity: "product_variant",
      fields: ["id", "sku", "title", "product.title", "prices.amount", "prices.currency_code"],
      filters: { id: usable.map((v) => v.id) },
    })
    this.catalogue = data
      .map((v: any) => ({
        sku: v.sku as string,
        title: `${v.product?.title ?? ""} ${v.title ?? ""}`.trim(),
        price: Number((v.prices ?? []).find((p: any) => p.currency_code === "eur")?.amount),
      }))
      .filter((c: SandboxCatalogueItem) => Number.isFinite(c.price))
      .sort((a: SandboxCatalogueItem, b: SandboxCatalogueItem) => a.sku.localeCompare(b.sku))
    for (const v of usable) this.variantBySku.set(v.sku, v)

    // Every order takes at most 2 units of a SKU (the generator's quantities are 1–2, a SKU at most
    // once per order), so this much extra stock covers every set the run imports.
    const sets = this.opts.scaling ? this.opts.scaling_ns.reduce((a, n) => a + n, 0) * (this.opts.with_floor ? 2 : 1) : this.opts.orders * 2
    const extra = (sets + 2 * this.opts.warmup) * 2
    const inventory = this.container.resolve(Modules.INVENTORY)
    await inventory.updateInventoryLevels(
      usable.map((v) => ({ inventory_item_id: v.inventory_item_id, location_id: this.store.stock_location_id, stocked_quantity: v.stocked + extra }))
    )
    this.installPageHook()
    log(`seeded store in ${((performance.now() - t0) / 1000).toFixed(1)} s; catalogue ${this.catalogue.length} variants (stock ≥ 100, raised by ${extra})`)
  }

  /** Records when each page of a sandbox pull starts and how many orders it holds. */
  private installPageHook() {
    const provider: any = this.channels.getProvider("sandbox")
    const proto = Object.getPrototypeOf(provider)
    const original = proto.listOrders
    const pages = this.pages
    proto.listOrders = async function (this: unknown, ctx: any, input: any) {
      const t = performance.now()
      const page = await original.call(this, ctx, input)
      pages.get(ctx.channel_id)?.push({ t, n: page.orders.length })
      return page
    }
  }

  private makeSet(prefix: string, count: number, seed: number): CanonicalOrderInput[] {
    const orders = generateSandboxOrders({
      count,
      catalogue: this.catalogue,
      prefix,
      seed,
      lines: this.opts.lines,
      status: statusPicker(MIXES[this.opts.mix]),
    })
    // Each set has its own buyers, so no path finds customers the other one created.
    for (const o of orders) if (o.email) o.email = o.email.replace("@", `.${prefix.toLowerCase()}@`)
    return orders
  }

  private async createBenchChannel(name: string) {
    const settings: Record<string, unknown> = {
      sales_channel_id: this.store.sales_channel_id,
      region_id: this.store.region_id,
      stock_location_id: this.store.stock_location_id,
      shipping_mapping: { standard: this.store.shipping_options.standard, express: this.store.shipping_options.express },
      lookback_hours: 24,
      page_size: this.opts.page_size,
    }
    if (this.opts.batch_import !== null) settings.batch_import = this.opts.batch_import
    const { result: channel } = await createChannelWorkflow(this.container).run({
      input: { name: `${name} #${++this.channelSeq}`, provider: "sandbox", credentials_sealed: this.channels.sealCredentials({ api_key: "sandbox-secret-key" }), settings },
    })
    await replaceStatusRulesWorkflow(this.container).run({ input: { channel_id: channel.id, status_rules: BENCH_RULES } })
    return channel as { id: string; name: string; settings: Record<string, unknown> }
  }

  // ---- plugin ----------------------------------------------------------------------------------

  /** Imports `orders` through K sandbox channels pulled at once (K = concurrency), each run to its last page. */
  async plugin(label: string, orders: CanonicalOrderInput[], concurrency: number, profileAs?: string): Promise<PluginOutcome> {
    const k = Math.max(1, Math.min(concurrency, orders.length))
    const chans = []
    for (let i = 0; i < k; i++) chans.push(await this.createBenchChannel(`Bench ${label} ${i + 1}/${k}`))
    for (let i = 0; i < k; i++) {
      const share = orders.filter((_, j) => j % k === i)
      for (let s = 0; s < share.length; s += 1000) await this.channels.putSandboxOrders(chans[i].id, share.slice(s, s + 1000) as any)
    }
    // The sandbox stamps orders "updated now"; a pull's window ends at its start, exclusive.
    await sleep(25)
    for (const c of chans) this.pages.set(c.id, [])
    const ends = new Map<string, number>()
    const stopProfile = profileAs ? await cpuProfiler() : null
    const stopHeapProfile = this.opts.heap_profile ? await heapSampler() : null
    const trace: MemorySample[] | undefined = this.opts.memory_trace ? [] : undefined
    const { result: runs, phase } = await measurePhase(
      () =>
        Promise.all(
          chans.map(async (c) => {
            const run = await runChannelImport(this.container, { channel_id: c.id, trigger: "schedule" })
            ends.set(c.id, performance.now())
            return run
          })
        ),
      { statements: this.opts.queries, trace }
    )
    if (trace) writeMemoryTrace(`plugin-${label}`, trace)
    if (stopHeapProfile) {
      log(`sampling heap profile of the plugin phase: ${path.relative(process.cwd(), await stopHeapProfile(outFile("plugin", "heapprofile", label)))}`)
    }
    if (stopProfile && profileAs) log(`CPU profile of the plugin phase: ${path.relative(process.cwd(), await stopProfile(profileAs))}`)

    // Per-order latency: each page's time (from its fetch to the next page's fetch, or the run's
    // end for the last page) divided by the orders on that page, counted once per order.
    const latencies: number[] = []
    let pageCount = 0
    const allPages: Array<{ t: number; n: number }> = []
    for (const c of chans) {
      const ps = this.pages.get(c.id) ?? []
      this.pages.delete(c.id)
      allPages.push(...ps)
      ps.forEach((p, i) => {
        const end = i + 1 < ps.length ? ps[i + 1].t : ends.get(c.id)!
        pageCount++
        for (let j = 0; j < p.n; j++) latencies.push((end - p.t) / p.n)
      })
    }
    const outcome = { fetched: 0, imported: 0, waiting: 0, ignored: 0, failed: 0, skipped: 0 }
    for (const r of runs) {
      if (r.status !== "succeeded") throw new Error(`Import run ${r.id} of ${label} ended ${r.status}: ${r.error}`)
      for (const key of Object.keys(outcome) as (keyof typeof outcome)[]) outcome[key] += Number((r as any)[key] ?? 0)
    }
    if (outcome.fetched !== orders.length) throw new Error(`${label}: the runs fetched ${outcome.fetched} of ${orders.length} orders`)
    const expected = orders.filter((o) => ruleFor(o.status) !== "do_not_import").length
    if (outcome.imported !== expected) {
      log(`warning: ${label} imported ${outcome.imported} orders, the status mix asks for ${expected} (${JSON.stringify(outcome)})`)
      const failed = await this.channels.listChannelOrders({ channel_id: chans.map((c) => c.id), state: "failed" } as any, { select: ["external_id", "error_code", "error_message"], take: 3 })
      for (const f of failed) log(`  ${f.external_id}: ${(f as any).error_code} ${(f as any).error_message}`)
    }
    return {
      phase,
      runs,
      latencies,
      pages: pageCount,
      page_starts: allPages.sort((a, b) => a.t - b.t),
      end: Math.max(...ends.values()),
      imported: outcome.imported,
      outcome,
      // The channel's effective setting: the one given with --batch-import, else the setting's default.
      batch_import: parseChannelSettings(chans[0].settings).batch_import,
    }
  }

  // ---- floor -----------------------------------------------------------------------------------

  /** The order Medusa's createOrderWorkflow gets, built as the plugin builds it (same lines, prices, addresses, shipping). */
  private floorOrderInput(o: CanonicalOrderInput) {
    const address = (a: any) =>
      a && {
        first_name: a.first_name ?? o.customer?.first_name ?? undefined,
        last_name: a.last_name ?? o.customer?.last_name ?? undefined,
        address_1: a.address_1 ?? undefined,
        city: a.city ?? undefined,
        postal_code: a.postal_code ?? undefined,
        country_code: a.country_code,
        phone: a.phone ?? o.customer?.phone ?? undefined,
      }
    const service = o.shipping?.service_code ?? "standard"
    return {
      region_id: this.store.region_id,
      sales_channel_id: this.store.sales_channel_id,
      currency_code: o.currency_code,
      email: o.email,
      shipping_address: address(o.shipping_address),
      billing_address: address(o.billing_address ?? o.shipping_address),
      no_notification: true,
      items: o.items.map((item) => {
        const v = this.variantBySku.get(item.sku!)!
        return {
          title: item.title,
          quantity: item.quantity,
          unit_price: Math.round(((item.unit_price * item.quantity - (item.discount_total ?? 0)) / item.quantity) * 100) / 100,
          is_tax_inclusive: false,
          variant_id: v.id,
          product_id: v.product_id,
          variant_sku: item.sku,
          allow_backorder: true,
          metadata: { external_item_id: item.external_id, marketplace_product_id: item.marketplace_product_id ?? null, marketplace_unit_price: item.unit_price },
        }
      }),
      shipping_methods: [
        {
          name: o.shipping?.name ?? service,
          amount: o.shipping?.price ?? 0,
          shipping_option_id: (this.store.shipping_options as any)[service] ?? this.store.shipping_options.standard,
          data: { marketplace_service_code: service },
        },
      ],
      metadata: { external_id: o.external_id, external_status: o.status, source: "bench-floor" },
    }
  }

  /** One order through the floor: create, read its totals and lines, reserve, pay. */
  private async floorOne(o: CanonicalOrderInput, action: StatusAction) {
    const { result: created } = await createOrderWorkflow(this.container).run({ input: this.floorOrderInput(o) as any })
    const {
      data: [order],
    } = await this.query.graph({ entity: "order", fields: ["id", "total", "items.id", "items.variant_id", "items.quantity"], filters: { id: created.id } })
    if (RESERVES.has(action)) {
      const byVariant = new Map([...this.variantBySku.values()].map((v) => [v.id, v]))
      const items = order.items
        .filter((i: any) => byVariant.get(i.variant_id)?.inventory_item_id)
        .map((i: any) => ({
          id: i.id,
          inventory_item_id: byVariant.get(i.variant_id)!.inventory_item_id,
          required_quantity: 1,
          allow_backorder: false,
          quantity: i.quantity,
          location_ids: [this.store.stock_location_id],
        }))
      await floorReserveWorkflow(this.container).run({ input: { items } })
    }
    const { result: collections } = await createOrderPaymentCollectionWorkflow(this.container).run({
      input: { order_id: order.id, amount: Number(order.total) },
    })
    await markPaymentCollectionAsPaid(this.container).run({ input: { order_id: order.id, payment_collection_id: collections[0].id } })
  }

  /** The floor over a set: every order whose status the bench rules import, K in flight. */
  async floor(orders: CanonicalOrderInput[], concurrency: number) {
    const work = orders.map((o) => ({ o, action: ruleFor(o.status) })).filter((w) => w.action !== "do_not_import")
    const latencies: number[] = []
    const { phase } = await measurePhase(
      () =>
        pool(work, concurrency, async ({ o, action }) => {
          const t = performance.now()
          await this.floorOne(o, action)
          latencies.push(performance.now() - t)
        }),
      { statements: this.opts.queries }
    )
    return { phase, latencies, imported: work.length }
  }

  // ---- modes -----------------------------------------------------------------------------------

  private async warmUp(which: { plugin: boolean; floor: boolean }) {
    if (!this.opts.warmup) return
    const t0 = performance.now()
    if (which.plugin) await this.plugin("warm-up", this.makeSet("WP", this.opts.warmup, this.opts.seed + 1), 1)
    if (which.floor) await this.floor(this.makeSet("WF", this.opts.warmup, this.opts.seed + 1), 1)
    log(`warm-up (${this.opts.warmup} orders per path) in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  }

  private line(measure: string, n: number, imported: number, phase: PhaseResult, latencies: number[], extra: Record<string, unknown>) {
    return {
      measure,
      orders: n,
      lines: this.opts.lines,
      concurrency: this.opts.concurrency,
      orders_per_s: round(n / phase.seconds, 2),
      p50_ms: round(percentile(latencies, 50) ?? NaN, 1),
      p95_ms: round(percentile(latencies, 95) ?? NaN, 1),
      peak_rss_mb: phase.peak_rss_mb,
      db_round_trips_per_order: round(phase.queries / n, 1),
      ...extra,
      imported,
      seconds: round(phase.seconds, 1),
      ms_per_order: round((phase.seconds * 1000) / n, 1),
      cpu_ms_per_order: round(phase.cpu_ms / n, 1),
      db_wait_ms_per_order: round(phase.db_wait_ms / n, 1),
      event_loop_utilization: round(phase.elu, 2),
      rss_start_mb: phase.rss_start_mb,
      rss_end_mb: phase.rss_end_mb,
      heap_used_end_mb: phase.heap_used_end_mb,
      peak_heap_used_mb: phase.peak_heap_used_mb,
      major_gcs: phase.major_gcs,
      gc_ms_per_order: round(phase.gc_ms / n, 1),
      heap_after_gc_mb: phase.heap_after_gc_mb,
      rss_after_gc_mb: phase.rss_after_gc_mb,
      loadavg: loadavg(),
      // V8's heap limit (--heap-mb), which caps how far the heap grows between major GCs and so the peak RSS.
      heap_limit_mb: Math.round(v8.getHeapStatistics().heap_size_limit / 1048576),
      node_domain_loaded: domainLoaded(),
    }
  }

  /**
   * Plugin, then floor, over the same N orders. With `--rounds R` the two sets are cut into R slices
   * measured alternately (plugin, floor, floor, plugin, plugin, …), so a machine whose load swings
   * slows both measures alike; the figures are the sums over the slices.
   */
  async sideBySide() {
    const { orders, concurrency } = this.opts
    const doPlugin = this.opts.only !== "floor"
    const doFloor = this.opts.only !== "plugin"
    await this.warmUp({ plugin: doPlugin, floor: doFloor })

    const rounds = Math.min(this.opts.rounds, orders)
    const pluginSet = this.makeSet("BP", orders, this.opts.seed)
    const floorSet = this.makeSet("BF", orders, this.opts.seed)
    const slice = (set: CanonicalOrderInput[], r: number) => set.slice(Math.floor((r * orders) / rounds), Math.floor(((r + 1) * orders) / rounds))
    const pluginParts: PluginOutcome[] = []
    const floorParts: Array<Awaited<ReturnType<Bench["floor"]>>> = []
    const profileFile = this.opts.profile ? outFile("plugin", "cpuprofile") : undefined
    if (this.opts.heap_snapshot) heapSnapshot("before")
    for (let r = 0; r < rounds; r++) {
      const runPlugin = async () => {
        if (!doPlugin) return
        const part = slice(pluginSet, r)
        log(`plugin${rounds > 1 ? ` round ${r + 1}/${rounds}` : ""}: importing ${part.length} orders (${this.opts.lines} lines) through ${concurrency} channel(s), page size ${this.opts.page_size}; loadavg ${loadavg().join(" ")}`)
        const p = await this.plugin("plugin", part, concurrency, rounds === 1 ? profileFile : undefined)
        log(`plugin: ${p.phase.seconds.toFixed(1)} s, ${JSON.stringify(p.outcome)}`)
        pluginParts.push(p)
        if (this.opts.heap_snapshot) heapSnapshot(`after-plugin-${r + 1}`)
      }
      const runFloor = async () => {
        if (!doFloor) return
        const part = slice(floorSet, r)
        log(`floor${rounds > 1 ? ` round ${r + 1}/${rounds}` : ""}: ${part.length} orders, ${concurrency} in flight; loadavg ${loadavg().join(" ")}`)
        const f = await this.floor(part, concurrency)
        log(`floor: ${f.phase.seconds.toFixed(1)} s, ${f.imported} orders created`)
        floorParts.push(f)
        if (this.opts.heap_snapshot) heapSnapshot(`after-floor-${r + 1}`)
      }
      if (r % 2 === 0) {
        await runPlugin()
        await runFloor()
      } else {
        await runFloor()
        await runPlugin()
      }
    }

    const plugin = pluginParts.length
      ? {
          phase: mergePhases(pluginParts.map((p) => p.phase)),
          latencies: pluginParts.flatMap((p) => p.latencies),
          imported: pluginParts.reduce((a, p) => a + p.imported, 0),
          pages: pluginParts.reduce((a, p) => a + p.pages, 0),
          outcome: pluginParts.reduce<Record<string, number>>((acc, p) => {
            for (const [k, v] of Object.entries(p.outcome)) acc[k] = (acc[k] ?? 0) + v
            return acc
          }, {}),
          batch_import: pluginParts[0].batch_import,
        }
      : null
    const floor = floorParts.length
      ? {
          phase: mergePhases(floorParts.map((f) => f.phase)),
          latencies: floorParts.flatMap((f) => f.latencies),
          imported: floorParts.reduce((a, f) => a + f.imported, 0),
        }
      : null
    const pluginRate = plugin ? orders / plugin.phase.seconds : null
    const floorRate = floor ? orders / floor.phase.seconds : null
    if (plugin) {
      emit(
        this.line("plugin", orders, plugin.imported, plugin.phase, plugin.latencies, {
          ratio_to_floor: pluginRate && floorRate ? round(pluginRate / floorRate, 2) : null,
          batch_import: plugin.batch_import,
          page_size: this.opts.page_size,
          pages: plugin.pages,
          rounds,
          outcome: plugin.outcome,
          profiled: Boolean(profileFile && rounds === 1),
        })
      )
    }
    if (floor) emit(this.line("floor", orders, floor.imported, floor.phase, floor.latencies, { rounds }))
    if (plugin?.phase.statements) emit(this.statementsLine("plugin", orders, plugin.phase.statements))
    if (floor?.phase.statements) emit(this.statementsLine("floor", orders, floor.phase.statements))
  }

  /** `--queries`: the statements behind db_round_trips_per_order, per order, most frequent first. */
  private statementsLine(pathName: string, n: number, statements: Map<string, { count: number; wait_ms: number }>) {
    const rows = [...statements.entries()].sort((a, b) => b[1].count - a[1].count)
    return {
      measure: "queries",
      path: pathName,
      orders: n,
      per_order: Object.fromEntries(rows.slice(0, 40).map(([k, v]) => [k, round(v.count / n, 2)])),
      wait_ms_per_order: Object.fromEntries(rows.slice(0, 40).map(([k, v]) => [k, round(v.wait_ms / n, 1)])),
      other_per_order: round(rows.slice(40).reduce((a, [, v]) => a + v.count, 0) / n, 2),
    }
  }

  async scaling() {
    const orderModule = this.container.resolve(Modules.ORDER)
    await this.warmUp({ plugin: true, floor: this.opts.with_floor })
    const rows: Array<{ path: string; n: number; ms: number; peak: number; heap: number; peak_heap: number; windows?: number[] }> = []
    // Peak RSS is also reported per window of the smallest N's size, so a long run's many GC cycles
    // are compared window by window with a short run's few.
    const windowSize = Math.min(...this.opts.scaling_ns)
    if (this.opts.heap_snapshot) heapSnapshot("before")
    for (const n of this.opts.scaling_ns) {
      const [, inDb] = await orderModule.listAndCountOrders({}, { take: 1, select: ["id"] })
      log(`scaling: N = ${n} (${inDb} orders already in the database); loadavg ${loadavg().join(" ")}`)
      const p = await this.plugin(`scaling ${n}`, this.makeSet(`S${n}P`, n, this.opts.seed), this.opts.concurrency)
      const windows = windowPeaks(p.page_starts, p.end, p.phase.rss_samples, windowSize)
      const base = this.line("scaling", n, p.imported, p.phase, p.latencies, {
        path: "plugin",
        batch_import: p.batch_import,
        orders_in_db_before: inDb,
        outcome: p.outcome,
        window_orders: windowSize,
        window_peak_rss_mb: windows,
      })
      emit(base)
      rows.push({ path: "plugin", n, ms: base.ms_per_order, peak: p.phase.peak_rss_mb, heap: p.phase.heap_after_gc_mb, peak_heap: p.phase.peak_heap_used_mb, windows })
      if (this.opts.heap_snapshot) heapSnapshot(`after-plugin-${n}`)
      if (this.opts.with_floor) {
        const f = await this.floor(this.makeSet(`S${n}F`, n, this.opts.seed), this.opts.concurrency)
        const fl = this.line("scaling", n, f.imported, f.phase, f.latencies, { path: "floor", orders_in_db_before: inDb + p.imported })
        emit(fl)
        rows.push({ path: "floor", n, ms: fl.ms_per_order, peak: f.phase.peak_rss_mb, heap: f.phase.heap_after_gc_mb, peak_heap: f.phase.peak_heap_used_mb })
      }
    }
    for (const pathName of ["plugin", "floor"]) {
      const rs = rows.filter((r) => r.path === pathName)
      if (rs.length < 2) continue
      const first = rs[0]
      const last = rs[rs.length - 1]
      emit({
        measure: "scaling_summary",
        path: pathName,
        n_from: first.n,
        n_to: last.n,
        ms_per_order: rs.map((r) => r.ms),
        peak_rss_mb: rs.map((r) => r.peak),
        ms_per_order_growth: round(last.ms / first.ms, 2),
        peak_rss_growth_mb: round(last.peak - first.peak, 1),
        peak_heap_used_mb: rs.map((r) => r.peak_heap),
        ...(rs[0].windows
          ? {
              window_orders: windowSize,
              // Median of each N's window peaks, and the last N's last window (the biggest tables) against the first N's first.
              window_peak_rss_median_mb: rs.map((r) => percentile(r.windows!, 50)),
              last_window_growth_mb: round(last.windows![last.windows!.length - 1] - first.windows![0], 1),
              window_median_growth_mb: round(percentile(last.windows!, 50)! - percentile(first.windows!, 50)!, 1),
            }
          : {}),
        heap_after_gc_mb: rs.map((r) => r.heap),
        heap_after_gc_growth_mb: round(last.heap - first.heap, 1),
        loadavg: loadavg(),
      })
    }
  }
}

