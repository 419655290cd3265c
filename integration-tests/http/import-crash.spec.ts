/**
 * Crash safety of the import (issue 16, items 1 and 2): a Medusa process is killed with SIGKILL at
 * each point of an import where a crash used to leave a duplicate or a half-imported order (after the
 * order is created and before it is linked, after it is linked and before its reservation, payment
 * and holds, inside a batched page), on both import paths. The lease of the killed import then runs
 * out, and a new process imports again: every external order must end imported exactly once and
 * fully (reservation, captured payment, holds as its status says), nothing left `importing`, and
 * every interruption recorded on the channel order's timeline.
 */
import { spawn } from "node:child_process"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { CRASH_CHANNELS, MIRAKL_API_KEY, ORDERS_PER_CHANNEL, channelName, fbaSku } from "../crash/import-crash"
import { MiraklSimulator, makeOrder as makeMiraklOrder } from "../simulators/mirakl"

const { targetFromEnv, createDatabaseIfMissing, dropDatabases } = require("../../scripts/with-postgres")
const { Client } = require("pg")

jest.setTimeout(15 * 60 * 1000)

const ROOT = path.resolve(__dirname, "../..")
const target = targetFromEnv()
const baseUrl = process.env.DB_BASE_URL ?? `postgres://${encodeURIComponent(target.user)}${target.password ? `:${encodeURIComponent(target.password)}` : ""}@${target.host}:${target.port}`
const DB = `medusa-channel-integration-crash-${Date.now().toString(36)}_${process.pid}`
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "channel-crash-"))

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: "development", NODE_OPTIONS: "", LOG_LEVEL: "warn", MEDUSA_DISABLE_TELEMETRY: "true", DATABASE_URL: `${baseUrl}/${DB}`, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    })
    let output = ""
    child.stdout.on("data", (d) => (output += d))
    child.stderr.on("data", (d) => (output += d))
    child.on("exit", (code, signal) => resolve({ code, signal, output }))
  })
}
const medusa = (args: string[]) => run([path.join(ROOT, "node_modules/@medusajs/cli/cli.js"), ...args], {})
// The Mirakl channel's marketplace lives in this process, so it outlives every killed import.
const mirakl = new MiraklSimulator({ apiKey: MIRAKL_API_KEY })
let miraklUrl = ""
const script = (env: Record<string, string>) =>
  run([path.join(ROOT, "bench/launch.js"), "./integration-tests/crash/import-crash.ts"], { CRASH_MIRAKL_URL: miraklUrl, ...env })
const ok = (r: { code: number | null; output: string }, what: string) => {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}:\n${r.output.slice(-4000)}`)
}

describe("an import killed at any point is completed or undone by the next run", () => {
  let snap: any
  const kills: Array<{ channel: string; signal: string | null; code: number | null; reached: boolean }> = []

  beforeAll(async () => {
    miraklUrl = await mirakl.start()
    const now = Date.now()
    for (let i = 0; i < ORDERS_PER_CHANNEL; i++) {
      mirakl.addOrder(
        makeMiraklOrder({
          id: `CRASH-MK-${i + 1}-A`,
          state: "WAITING_ACCEPTANCE",
          createdAt: new Date(now - 3_600_000 + i * 60_000),
          lastUpdated: new Date(now - 1_800_000 + i * 60_000),
          lines: [{ sku: "V789", quantity: 1, unitPrice: 9.5, taxRate: 20 }],
        })
      )
    }
    await createDatabaseIfMissing(target, DB)
    ok(await medusa(["db:migrate"]), "db:migrate")
    ok(await script({ CRASH_STEP: "seed" }), "seed")
    for (const c of CRASH_CHANNELS) {
      const r = await script({ CRASH_STEP: "import", CRASH_CHANNEL: channelName(c), CHANNEL_ORDERS_FAILPOINT: c.failpoint })
      kills.push({ channel: channelName(c), signal: r.signal, code: r.code, reached: r.output.includes(`failpoint ${c.failpoint}`) })
    }
    // The killed imports' leases run out (ten minutes in production; here the clock is moved).
    const db = new Client({ connectionString: `${baseUrl}/${DB}` })
    await db.connect()
    await db.query(`update channel_order set import_lease_until = now() - interval '1 second' where state = 'importing'`)
    await db.end()
    const out = path.join(outDir, "after.json")
    ok(await script({ CRASH_STEP: "recover", CRASH_OUT: out }), "recover")
    snap = JSON.parse(fs.readFileSync(out, "utf8"))
  })

  afterAll(async () => {
    await mirakl.stop()
    await dropDatabases(target, [DB])
    fs.rmSync(outDir, { recursive: true, force: true })
  })

  it("killed every import process at its failpoint", () => {
    expect(kills.map((k) => [k.channel, k.signal, k.reached])).toEqual(CRASH_CHANNELS.map((c) => [channelName(c), "SIGKILL", true]))
  })

  it("imports every external order exactly once, and leaves nothing importing", () => {
    expect(snap.runs.every((r: any) => r.status === "succeeded")).toBe(true)
    expect(snap.channel_orders).toHaveLength(CRASH_CHANNELS.length * ORDERS_PER_CHANNEL)
    expect(snap.channel_orders.filter((c: any) => c.state !== "imported").map((c: any) => [c.external_id, c.state, c.error_message])).toEqual([])
    const perExternal = new Map<string, number>()
    for (const o of snap.orders) perExternal.set(o.metadata.external_id, (perExternal.get(o.metadata.external_id) ?? 0) + 1)
    expect([...perExternal.values()].every((n) => n === 1)).toBe(true)
    expect(perExternal.size).toBe(snap.channel_orders.length)
    // Every Medusa order is the one its channel order links to: no orphan of a killed import survives.
    const linked = new Set(snap.channel_orders.map((c: any) => c.order_id))
    expect(snap.orders.filter((o: any) => !linked.has(o.id)).map((o: any) => o.id)).toEqual([])
  })

  it("imports each order fully: reservation, captured payment and holds as its status says", () => {
    const reservedByItem = new Map<string, number>()
    for (const r of snap.reservations) reservedByItem.set(r.line_item_id, (reservedByItem.get(r.line_item_id) ?? 0) + r.quantity)
    // Marketplace-fulfilled orders come in as history: nothing of the store's stock is reserved.
    const history = new Set(snap.channel_orders.filter((c: any) => c.action === "import_as_history").map((c: any) => c.order_id))
    expect(history.size).toBe(CRASH_CHANNELS.filter((c) => c.fba).length * ORDERS_PER_CHANNEL)
    for (const o of snap.orders) {
      for (const i of o.items) expect({ order: o.metadata.external_id, reserved: reservedByItem.get(i.id) ?? 0 }).toEqual({ order: o.metadata.external_id, reserved: history.has(o.id) ? 0 : i.quantity })
      expect(o.payment_collections.map((p: any) => [p.status, Number(p.captured_amount) === Number(p.amount)])).toEqual([["completed", true]])
      const holds = snap.holds.filter((h: any) => h.order_id === o.id).map((h: any) => h.reason)
      expect({ order: o.metadata.external_id, holds }).toEqual({ order: o.metadata.external_id, holds: o.metadata.external_status === "on_hold" ? ["status_rule"] : [] })
    }
    expect(snap.reservations).toHaveLength(snap.orders.filter((o: any) => !history.has(o.id)).reduce((n: number, o: any) => n + o.items.length, 0))
    // Nothing of an undone import stays behind: no payment collection without its order.
    expect(snap.orphan_payment_collections).toEqual([])
  })

  it("a placeholder product made by a killed import is reused, never doubled", () => {
    // Killed right after creating them, before any order was claimed: the next run finds them by SKU.
    const expected = CRASH_CHANNELS.flatMap((c, n) => (c.fba ? [0, 1].map((k) => ({ sku: `FBA:${fbaSku(n, k)}`, variants: 1, products: 1 })) : []))
    const used = new Set(snap.orders.flatMap((o: any) => o.items.map((i: any) => i.variant_sku)))
    expect(snap.placeholders.filter((p: any) => used.has(p.sku))).toEqual(expected.filter((p) => used.has(p.sku)))
    expect(snap.placeholders.map((p: any) => p.sku).filter((sku: string) => !expected.some((e) => e.sku === sku))).toEqual([])
    expect(snap.placeholders.every((p: any) => p.variants === 1 && p.products === 1)).toBe(true)
  })

  it("an order the marketplace accepted just before the process died is never accepted twice", () => {
    // One OR21 per order: the killed run's one stands (the marketplace moved the order on), and
    // the next runs accept the others, then import all of them.
    const or21 = mirakl.requestsFor("OR21").map((r) => r.path)
    expect(or21.sort()).toEqual(Array.from({ length: ORDERS_PER_CHANNEL }, (_, i) => `/api/orders/CRASH-MK-${i + 1}-A/accept`).sort())
    const name = channelName(CRASH_CHANNELS.find((c) => c.mirakl)!)
    const channelId = snap.channel_ids_by_name[name]
    expect(snap.channel_orders.filter((c: any) => c.channel_id === channelId).map((c: any) => c.state)).toEqual(Array(ORDERS_PER_CHANNEL).fill("imported"))
  })

  it("records every interrupted import on its timeline, with the orders it undid", () => {
    // A killed per-order import leaves one order in flight; a killed batch leaves its whole page.
    // The placeholder and accept failpoints strike before any order is claimed: nothing is in flight there.
    const perOrder = CRASH_CHANNELS.filter((c) => !c.batch && !c.fba && !c.mirakl).length
    const batched = CRASH_CHANNELS.filter((c) => c.batch && !c.fba && !c.mirakl).length * ORDERS_PER_CHANNEL
    expect(snap.interrupted).toHaveLength(perOrder + batched)
    // All but the import killed before it created anything left a Medusa order to undo.
    expect(snap.interrupted.filter((e: any) => e.data.undone_order_ids.length)).toHaveLength(perOrder + batched - 1)
  })
})
