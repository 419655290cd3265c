/**
 * Issue 8: the batched import path writes exactly what the per-order core-workflow path writes.
 *
 * One database is migrated and seeded (store, buyers, an import rule, two sandbox channels holding
 * the same 100 orders), then cloned, so both copies start with identical rows and ids. The
 * per-order path imports into one copy, the batched path into the other, each in its own Medusa
 * process (integration-tests/equivalence/import-paths.ts). Then every order is compared field by
 * field: items, quantities, prices, totals, tax lines, adjustments, addresses, shipping methods,
 * reservations, payment collections, sessions, payments, captures, transactions, customers, holds,
 * tags, invoices, timeline and the events emitted. Ids the import created and timestamps are
 * normalised away; any other difference fails the test.
 */
import { spawn } from "node:child_process"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"

const { targetFromEnv, createDatabaseIfMissing, cloneDatabase, dropDatabases } = require("../../scripts/with-postgres")

jest.setTimeout(15 * 60 * 1000)

const ROOT = path.resolve(__dirname, "../..")
const target = targetFromEnv()
const baseUrl = process.env.DB_BASE_URL ?? `postgres://${encodeURIComponent(target.user)}${target.password ? `:${encodeURIComponent(target.password)}` : ""}@${target.host}:${target.port}`
const tag = `${Date.now().toString(36)}_${process.pid}`
const DB = { per_order: `medusa-channel-integration-eq-${tag}-a`, batched: `medusa-channel-integration-eq-${tag}-b` }
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "channel-eq-"))

function run(args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: "development", NODE_OPTIONS: "", LOG_LEVEL: "warn", MEDUSA_DISABLE_TELEMETRY: "true", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    })
    let output = ""
    child.stdout.on("data", (d) => (output += d))
    child.stderr.on("data", (d) => (output += d))
    child.on("exit", (code) => {
      if (env.EQ_STEP) fs.writeFileSync(path.join(outDir, `${env.EQ_STEP}-${env.EQ_BATCH ?? "seed"}.log`), output)
      return code === 0 ? resolve() : reject(new Error(`${args.join(" ")} exited ${code}:\n${output.slice(-4000)}`))
    })
  })
}

const medusa = (db: string, args: string[], env: Record<string, string> = {}) =>
  run([path.join(ROOT, "node_modules/@medusajs/cli/cli.js"), ...args], { DATABASE_URL: `${baseUrl}/${db}`, ...env })
const script = (db: string, env: Record<string, string>) =>
  run([path.join(ROOT, "bench/launch.js"), "./integration-tests/equivalence/import-paths.ts"], { DATABASE_URL: `${baseUrl}/${db}`, ...env })

// A Medusa id: prefix, underscore, 26 ULID characters.
const ID = /\b[a-z]+(?:_[a-z]+)*_[0-9A-HJKMNP-TV-Z]{26}\b/g
const TIMESTAMP_KEY = /(_at|^created|^updated|^deleted)$/

/** Ids both databases have (the seed's) stay as they are; ids only one of them has become their prefix. */
function normalise(value: any, shared: Set<string>, key = ""): any {
  if (Array.isArray(value)) {
    return value.map((v) => normalise(v, shared)).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
  }
  if (value && typeof value === "object") {
    const out: Record<string, any> = {}
    for (const k of Object.keys(value).sort()) {
      if (["display_id", "custom_display_id", "number", "path"].includes(k)) continue
      out[k] = normalise(value[k], shared, k)
    }
    return out
  }
  if (TIMESTAMP_KEY.test(key)) return value == null ? null : "<time>"
  if (typeof value === "string") return value.replace(ID, (id) => (shared.has(id) ? id : `${id.slice(0, id.lastIndexOf("_"))}_<new>`))
  return value
}

function differences(a: any, b: any, at = "$", out: string[] = []): string[] {
  if (out.length >= 60) return out
  if (a && b && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)])
    for (const k of keys) differences(a[k], b[k], Array.isArray(a) ? `${at}[${k}]` : `${at}.${k}`, out)
    return out
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${at}: per-order ${JSON.stringify(a)?.slice(0, 300)} ≠ batched ${JSON.stringify(b)?.slice(0, 300)}`)
  return out
}

describe("batched import path vs per-order path", () => {
  let raw: Record<"per_order" | "batched", string>
  let snap: Record<"per_order" | "batched", any>
  /** Ids both databases hold (the seed's); the rest were created by one import. */
  let shared: Set<string>

  beforeAll(async () => {
    await createDatabaseIfMissing(target, DB.per_order)
    await medusa(DB.per_order, ["db:migrate"])
    await script(DB.per_order, { EQ_STEP: "seed" })
    await cloneDatabase(target, DB.per_order, DB.batched)
    const out = { per_order: path.join(outDir, "per-order.json"), batched: path.join(outDir, "batched.json") }
    await Promise.all([
      script(DB.per_order, { EQ_STEP: "import", EQ_BATCH: "false", EQ_OUT: out.per_order }),
      script(DB.batched, { EQ_STEP: "import", EQ_BATCH: "true", EQ_OUT: out.batched }),
    ])
    raw = { per_order: fs.readFileSync(out.per_order, "utf8"), batched: fs.readFileSync(out.batched, "utf8") }
    snap = { per_order: JSON.parse(raw.per_order), batched: JSON.parse(raw.batched) }
    const perOrderIds = new Set(raw.per_order.match(ID) ?? [])
    shared = new Set((raw.batched.match(ID) ?? []).filter((id) => perOrderIds.has(id)))
  })

  afterAll(async () => {
    await dropDatabases(target, Object.values(DB))
    if (process.env.EQ_KEEP_OUTPUT) console.log(`snapshots kept in ${outDir}`)
    else fs.rmSync(outDir, { recursive: true, force: true })
  })

  it("imports the same orders, and most of them on the batched path", () => {
    const imported = (s: any) => s.channel_orders.filter((c: any) => c.state === "imported").length
    expect(snap.per_order.runs.every((r: any) => r.status === "succeeded")).toBe(true)
    expect(snap.batched.runs.every((r: any) => r.status === "succeeded")).toBe(true)
    expect(snap.per_order.channel_orders).toHaveLength(100)
    expect(imported(snap.per_order)).toBeGreaterThanOrEqual(90)
    expect(imported(snap.batched)).toBe(imported(snap.per_order))
    // The per-order database used only core workflows; the batched one took every plain import.
    expect(snap.per_order.paths.every((p: string) => p === "workflow")).toBe(true)
    const plain = snap.batched.channel_orders.filter((c: any) => c.state === "imported" && ["import_as_valid", "import_and_hold", "import_and_invoice"].includes(c.action)).length
    expect(snap.batched.paths.filter((p: string) => p === "batch")).toHaveLength(plain)
    expect(plain).toBeGreaterThanOrEqual(70)
  })

  it("covers what the comparison must see: taxes, holds, tags, reservations, payments, known and new customers", () => {
    const orders = snap.per_order.channel_orders.map((c: any) => c.order).filter(Boolean)
    expect(orders.some((o: any) => o.items.some((i: any) => i.tax_lines.length) && o.shipping_methods.some((m: any) => m.tax_lines.length))).toBe(true)
    expect(orders.some((o: any) => o.holds.some((h: any) => h.reason === "insufficient_quantity"))).toBe(true)
    expect(orders.some((o: any) => o.holds.some((h: any) => h.reason === "custom_rule"))).toBe(true)
    expect(orders.some((o: any) => o.holds.some((h: any) => h.reason === "not_managed_item"))).toBe(true)
    expect(orders.some((o: any) => o.holds.some((h: any) => h.reason === "unmapped_shipping_policy"))).toBe(true)
    expect(orders.some((o: any) => o.tags.length === 2)).toBe(true)
    expect(orders.some((o: any) => o.reservations.length)).toBe(true)
    expect(orders.some((o: any) => o.invoices.length)).toBe(true)
    expect(orders.some((o: any) => o.payment_collections[0]?.status === "completed")).toBe(true)
    expect(orders.some((o: any) => o.payment_collections[0]?.status === "authorized")).toBe(true)
    expect(orders.some((o: any) => o.customer?.email === "known.account@buyers.example")).toBe(true)
    expect(orders.some((o: any) => o.customer?.email === "known.guest@buyers.example")).toBe(true)
  })

  it("writes identical records on both paths", () => {
    const byExternal = (s: any) => Object.fromEntries(s.channel_orders.map((c: any) => [c.external_id, normalise(c, shared)]))
    const diffs = differences(byExternal(snap.per_order), byExternal(snap.batched))
    expect(diffs).toEqual([])
  })

  it("creates and finds the same customers", () => {
    expect(differences(normalise(snap.per_order.customers, shared), normalise(snap.batched.customers, shared))).toEqual([])
  })

  it("emits the same events", () => {
    // Three documented exceptions. Reserving a page in one createReservationItems call updates each inventory level once, where
    // one call per order updates it once per order: the levels (and their final quantities, compared
    // with the reservations above) are the same, the number of intermediate updates is not.
    const LEVEL = "inventory.inventory-level.updated"
    // One link.create for the page announces its links in one event with an array of ids, as any
    // batch link.create in Medusa does; one call per order announces one id per event. Every link
    // must be announced exactly once on both paths.
    const LINKED = "LinkOrderPaymentCollection.attached"
    // Third: the per-order path runs Medusa's createOrderWorkflow, which writes the store's tax lines
    // and promotion adjustments; the import then replaces them with the marketplace's. Those
    // intermediate records are created and deleted on that path only. The records that remain are
    // compared field by field above; here each kind must end with the same number on both paths.
    const AMOUNTS = /^order\.order-(line-item|shipping-method)-(tax-line|adjustment)\.(created|deleted)$/
    const events = (s: any) => normalise(s.events.filter((e: any) => e.name !== LEVEL && e.name !== LINKED && !AMOUNTS.test(e.name)), shared)
    expect(differences(events(snap.per_order), events(snap.batched))).toEqual([])
    const net = (s: any) => {
      const out: Record<string, number> = {}
      for (const e of s.events.filter((e: any) => AMOUNTS.test(e.name))) {
        const kind = e.name.replace(/\.(created|deleted)$/, "")
        out[kind] = (out[kind] ?? 0) + (e.name.endsWith(".created") ? 1 : -1) * [e.data.id].flat().length
      }
      return out
    }
    expect(net(snap.per_order)).toEqual(net(snap.batched))
    expect(net(snap.batched)["order.order-line-item-tax-line"]).toBeGreaterThan(0)
    expect(net(snap.batched)["order.order-line-item-adjustment"]).toBeGreaterThan(0)
    const levels = (s: any) => [...new Set(s.events.filter((e: any) => e.name === LEVEL).map((e: any) => e.data.id))].sort()
    expect(levels(snap.batched)).toEqual(levels(snap.per_order))
    expect(levels(snap.per_order).length).toBeGreaterThan(0)
    const linkIds = (s: any) => s.events.filter((e: any) => e.name === LINKED).flatMap((e: any) => [e.data.id].flat())
    const collections = (s: any) => s.channel_orders.flatMap((c: any) => c.order?.payment_collections ?? []).length
    expect(linkIds(snap.per_order).every((id: unknown) => typeof id === "string")).toBe(true)
    for (const s of [snap.per_order, snap.batched]) {
      expect(new Set(linkIds(s)).size).toBe(linkIds(s).length)
      expect(linkIds(s)).toHaveLength(collections(s))
    }
    expect(collections(snap.batched)).toBe(collections(snap.per_order))
  })
})
