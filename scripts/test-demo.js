#!/usr/bin/env node
/**
 * `npm run test:demo`: the demo as a new merchant meets it (issue 20). It runs the real
 * `node scripts/run.js demo` three times, on the project-local embedded PostgreSQL (forced, in a
 * temporary demo folder) and through the admin API only:
 *
 *  1. `--reset`: the marketplaces start, the seed makes a channel for each and the seed-002 rules;
 *     every marketplace channel imports its orders; the tutorial order (V789 × 5) is held by the
 *     rule and tagged "Review Needed"; one order per marketplace, shipped in Medusa, is confirmed by
 *     its marketplace; the merchant adds a rule of their own. Ctrl+C (SIGINT) stops everything.
 *  2. a plain restart: the merchant's rule, the channels (now at the marketplaces' new addresses)
 *     and the orders are all still there, and a new pull imports nothing twice.
 *  3. `--reset`: a clean demo again.
 *
 * Writes .medusa/test-results/demo.json like the other suites.
 */
const fs = require("node:fs")
const os = require("node:os")
const path = require("node:path")
const { spawn } = require("node:child_process")
const { freePort, waitFor } = require("./lib/proc")

process.env.MEDUSA_DISABLE_TELEMETRY = process.env.MEDUSA_DISABLE_TELEMETRY || "true"
const ROOT = path.resolve(__dirname, "..")
const RESULTS = path.join(ROOT, ".medusa", "test-results", "demo.json")
const LOGS = path.join(ROOT, ".medusa", "demo-test")
const started = Date.now()
const log = (m) => console.error(`[demo ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${m}`)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const TUTORIAL_ORDER = "302-4200003-0023757"

function check(condition, message) {
  if (!condition) throw new Error(message)
}

class Demo {
  constructor(dir, port, n) {
    this.dir = dir
    this.port = port
    this.base = `http://localhost:${port}`
    this.logFile = path.join(LOGS, `demo.${n}.log`)
  }

  async start(args = []) {
    const out = fs.openSync(this.logFile, "a")
    this.child = spawn(process.execPath, [path.join(ROOT, "scripts", "run.js"), "demo", ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        FORCE_EMBEDDED_POSTGRES: "1",
        CHANNEL_ORDERS_DEMO_DIR: this.dir,
        DEMO_PORT: String(this.port),
        // A new marketplace order every 20 s instead of every 4 minutes.
        DEMO_ORDER_EVERY_MS: "20000",
        REDIS_URL: "",
      },
      stdio: ["ignore", out, out],
      // A process group, as in a terminal, so stop() can press Ctrl+C the way a terminal does.
      detached: true,
    })
    fs.closeSync(out)
    const t0 = Date.now()
    await waitFor(`${this.base}/health`, { timeoutMs: 420_000, intervalMs: 1000, child: this.child, what: "the demo" })
    // /health answers before the admin's first build is done; the API is what this test needs.
    this.token = await this.login()
    log(`demo ${args.join(" ") || "(restart)"} up in ${((Date.now() - t0) / 1000).toFixed(0)} s`)
  }

  async login() {
    for (const deadline = Date.now() + 60_000; ; ) {
      const r = await fetch(`${this.base}/auth/user/emailpass`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "admin@channel-orders.test", password: "supersecret" }),
      }).catch(() => null)
      if (r?.ok) return (await r.json()).token
      if (Date.now() > deadline) throw new Error(`admin login failed: ${r?.status}`)
      await sleep(1000)
    }
  }

  async api(method, url, body) {
    const r = await fetch(`${this.base}${url}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    const text = await r.text()
    if (!r.ok) {
      const e = new Error(`${method} ${url} → ${r.status}: ${text.slice(0, 400)}`)
      e.status = r.status
      throw e
    }
    return text ? JSON.parse(text) : {}
  }

  /** Run now, waiting out a scheduled run that holds the channel (409). */
  async importNow(channelId) {
    for (const deadline = Date.now() + 180_000; ; ) {
      try {
        return (await this.api("POST", `/admin/channels/${channelId}/import`)).run
      } catch (e) {
        if (e.status !== 409 || Date.now() > deadline) throw e
        await sleep(2000)
      }
    }
  }

  async channelOrders(channelId) {
    const rows = []
    for (let offset = 0; ; offset += 100) {
      const { channel_orders, count } = await this.api("GET", `/admin/channel-orders?channel_id=${channelId}&limit=100&offset=${offset}`)
      rows.push(...channel_orders)
      if (rows.length >= count || !channel_orders.length) return rows
    }
  }

  /** Ctrl+C, as a merchant stops it: everything it started must be gone afterwards. */
  async stop() {
    if (!this.child || this.child.exitCode !== null) return
    const exited = new Promise((r) => this.child.once("exit", (code, signal) => r(code ?? signal)))
    process.kill(-this.child.pid, "SIGINT")
    const code = await Promise.race([exited, sleep(60_000).then(() => "timeout")])
    if (code === "timeout") {
      process.kill(-this.child.pid, "SIGKILL")
      throw new Error("the demo did not stop within 60 s of Ctrl+C")
    }
    log(`demo stopped (${code})`)
  }
}

async function shipAll(demo, orderId, locationId) {
  const { order } = await demo.api("GET", `/admin/orders/${orderId}?fields=id,*items,*fulfillments`)
  const items = order.items.map((i) => ({ id: i.id, quantity: Number(i.quantity) }))
  await demo.api("POST", `/admin/orders/${orderId}/fulfillments`, { items, location_id: locationId })
  const { order: after } = await demo.api("GET", `/admin/orders/${orderId}?fields=id,*fulfillments`)
  const fulfillment = after.fulfillments.at(-1)
  await demo.api("POST", `/admin/orders/${orderId}/fulfillments/${fulfillment.id}/shipments`, {
    items,
    labels: [{ tracking_number: `DEMO${orderId.slice(-8)}`, tracking_url: "https://track.example/demo", label_url: "https://labels.example/demo.pdf" }],
  })
}

const PROCESS_PATTERNS = (dir, port) => [
  `${path.join(ROOT, "demo", "host.js")} ${dir}`,
  path.join(dir, "postgres", "data"),
  `develop --port ${port}`,
  `start --port ${port}`,
]

/** Processes of this demo still alive (the marketplaces' host, the embedded PostgreSQL, the store). */
function leftovers(dir, port) {
  const out = []
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    let cmd = ""
    try {
      cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ")
    } catch {
      continue
    }
    if (PROCESS_PATTERNS(dir, port).some((p) => cmd.includes(p))) out.push(`${pid} ${cmd.trim()}`)
  }
  return out
}

async function main() {
  fs.rmSync(LOGS, { recursive: true, force: true })
  fs.mkdirSync(LOGS, { recursive: true })
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "channel-orders-demo-"))
  const results = []
  const step = async (name, fn) => {
    const t0 = Date.now()
    try {
      await fn()
      results.push({ name, ok: true, ms: Date.now() - t0 })
      log(`✓ ${name}`)
    } catch (e) {
      results.push({ name, ok: false, ms: Date.now() - t0, error: String(e?.stack ?? e) })
      log(`✗ ${name}\n${e?.stack ?? e}`)
      throw e
    }
  }
  const port = await freePort([9410])
  const state = {}
  let demo
  try {
    await step("npm run demo -- --reset: marketplaces, channels, rules; every marketplace imports; the tutorial order is held and tagged; shipments are confirmed", async () => {
      demo = new Demo(dir, port, 1)
      await demo.start(["--reset"])
      check(fs.existsSync(path.join(dir, "postgres", "data", "PG_VERSION")), `the embedded PostgreSQL should keep its data in ${dir}/postgres`)
      const { channels } = await demo.api("GET", "/admin/channels")
      const byProvider = Object.fromEntries(channels.map((c) => [c.provider, c]))
      for (const p of ["sandbox", "amazon", "ebay", "mirakl"]) check(byProvider[p], `a ${p} channel should exist: ${channels.map((c) => c.provider)}`)
      check(channels.length === 4, `4 channels expected, got ${channels.length}`)
      state.channels = Object.fromEntries(channels.map((c) => [c.provider, c.id]))
      const { import_rules } = await demo.api("GET", "/admin/import-rules")
      const tutorial = import_rules.find((r) => r.name === "Hold large quantities for review")
      check(tutorial, `the seed-002 tutorial rule should exist: ${import_rules.map((r) => r.name)}`)
      check(JSON.stringify(tutorial.conditions).includes('"max_item_quantity"') && JSON.stringify(tutorial.actions).includes("Review Needed"), "the tutorial rule holds quantities over 4 and tags Review Needed")
      check(import_rules.some((r) => r.name === "Tag large orders"), "the second tagging rule should exist")

      state.imported = {}
      for (const p of ["amazon", "ebay", "mirakl"]) {
        const run = await demo.importNow(state.channels[p])
        check(!run || run.status !== "failed", `${p} run failed: ${JSON.stringify(run)}`)
        const rows = await demo.channelOrders(state.channels[p])
        const imported = rows.filter((r) => r.state === "imported")
        check(imported.length >= 8, `${p}: at least 8 orders imported, got ${imported.length} (${rows.map((r) => `${r.external_id}:${r.state}:${r.error_code ?? ""}`).join(", ")})`)
        state.imported[p] = imported.length
        log(`${p}: ${rows.length} channel orders, ${imported.length} imported`)
      }
      const [tutorialOrder] = (await demo.api("GET", `/admin/channel-orders?channel_id=${state.channels.amazon}&external_id=${TUTORIAL_ORDER}`)).channel_orders
      check(tutorialOrder?.state === "imported", `the tutorial order should be imported: ${JSON.stringify(tutorialOrder)}`)
      check(tutorialOrder.tags.some((t) => t.value === "Review Needed"), `the tutorial order should be tagged Review Needed: ${JSON.stringify(tutorialOrder.tags)}`)
      check(tutorialOrder.holds.some((h) => h.reason === "custom_rule"), `the tutorial order should be held by the rule: ${JSON.stringify(tutorialOrder.holds)}`)
      const { order } = await demo.api("GET", `/admin/orders/${tutorialOrder.order_id}?fields=id,*items`)
      check(order.items.length === 1 && order.items[0].variant_sku === "V789" && Number(order.items[0].quantity) === 5, `the tutorial order is V789 × 5: ${JSON.stringify(order.items.map((i) => [i.variant_sku, i.quantity]))}`)

      // One order per marketplace, shipped as a warehouse would: the marketplace confirms it.
      const { stock_locations } = await demo.api("GET", "/admin/stock-locations")
      state.shipped = {}
      for (const p of ["amazon", "ebay", "mirakl"]) {
        const rows = await demo.channelOrders(state.channels[p])
        const candidate = rows.find((r) => r.state === "imported" && !r.holds.length && r.order_id)
        check(candidate, `${p}: an imported order without holds to ship`)
        await shipAll(demo, candidate.order_id, stock_locations[0].id)
        state.shipped[p] = candidate.order_id
      }
      const deadline = Date.now() + 240_000
      for (;;) {
        const states = {}
        for (const [p, orderId] of Object.entries(state.shipped)) {
          const { channel_feedback } = await demo.api("GET", `/admin/channel-feedback?order_id=${orderId}&kind=shipment`)
          states[p] = channel_feedback.map((f) => f.state).join(",")
        }
        if (Object.values(states).every((s) => s === "confirmed")) break
        if (Date.now() > deadline || Object.values(states).some((s) => s.includes("failed"))) throw new Error(`shipment feedback should be confirmed by each marketplace: ${JSON.stringify(states)}`)
        await sleep(3000)
      }
      const rule = await demo.api("POST", "/admin/import-rules", {
        name: "Merchant's own rule",
        conditions: { all: [{ field: "shipping_country", operator: "eq", value: "AT" }] },
        actions: [{ type: "add_tags", tags: ["Austria"] }],
      })
      state.ruleId = rule.import_rule.id
      await demo.stop()
      check(leftovers(dir, port).length === 0, `Ctrl+C should stop the marketplaces and the database: ${leftovers(dir, port).join("\n")}`)
      check(!(await fetch(`${demo.base}/health`).then(() => true, () => false)), "Ctrl+C should stop the store")
    })

    await step("a restart keeps the merchant's work and imports nothing twice", async () => {
      demo = new Demo(dir, port, 2)
      await demo.start()
      const { import_rules } = await demo.api("GET", "/admin/import-rules")
      check(import_rules.some((r) => r.id === state.ruleId), "the merchant's rule should survive the restart")
      check(import_rules.filter((r) => r.name === "Hold large quantities for review").length === 1, "the seed should not add its rules twice")
      const { channels } = await demo.api("GET", "/admin/channels")
      check(channels.length === 4, `still 4 channels, got ${channels.length}`)
      for (const p of ["amazon", "ebay", "mirakl"]) {
        check(channels.some((c) => c.id === state.channels[p]), `the ${p} channel should be the same one`)
        await demo.importNow(state.channels[p])
        const rows = await demo.channelOrders(state.channels[p])
        const ids = rows.map((r) => r.external_id)
        check(new Set(ids).size === ids.length, `${p}: no external id twice`)
        const imported = rows.filter((r) => r.state === "imported").length
        check(imported >= state.imported[p], `${p}: ${state.imported[p]} imported before the restart, ${imported} after`)
        const { orders } = await demo.api("GET", `/admin/orders?fields=id&limit=1`)
        check(Array.isArray(orders), "orders list")
      }
      for (const [p, orderId] of Object.entries(state.shipped)) {
        const { channel_feedback } = await demo.api("GET", `/admin/channel-feedback?order_id=${orderId}&kind=shipment`)
        check(channel_feedback.length === 1 && channel_feedback[0].state === "confirmed", `${p}: the confirmed shipment is still one confirmed row: ${JSON.stringify(channel_feedback.map((f) => f.state))}`)
      }
      const [tutorialOrder] = (await demo.api("GET", `/admin/channel-orders?channel_id=${state.channels.amazon}&external_id=${TUTORIAL_ORDER}`)).channel_orders
      check(tutorialOrder?.order_id, "the tutorial order is still imported once")
      await demo.stop()
      check(leftovers(dir, port).length === 0, `Ctrl+C should stop everything: ${leftovers(dir, port).join("\n")}`)
    })

    await step("npm run demo -- --reset starts clean", async () => {
      demo = new Demo(dir, port, 3)
      await demo.start(["--reset"])
      const { import_rules } = await demo.api("GET", "/admin/import-rules")
      check(!import_rules.some((r) => r.id === state.ruleId), "the merchant's rule should be gone after --reset")
      const { channels } = await demo.api("GET", "/admin/channels")
      check(channels.length === 4 && !channels.some((c) => c.id === state.channels.amazon), "new channels after --reset")
      await demo.stop()
    })
  } catch {
    // The failing step is in the results.
  } finally {
    await demo?.stop().catch(() => {})
    const left = leftovers(dir, port)
    for (const line of left) {
      try {
        process.kill(Number(line.split(" ")[0]), "SIGKILL")
      } catch {}
    }
    fs.rmSync(dir, { recursive: true, force: true })
    fs.mkdirSync(path.dirname(RESULTS), { recursive: true })
    const passed = results.filter((r) => r.ok).length
    fs.writeFileSync(
      RESULTS,
      JSON.stringify(
        {
          numPassedTests: passed,
          numFailedTests: results.length - passed,
          numPendingTests: 0,
          numRuntimeErrorTestSuites: 0,
          testResults: results.map((r) => ({ name: r.name, status: r.ok ? "passed" : "failed", duration: r.ms, error: r.error })),
        },
        null,
        2
      )
    )
    log(`${passed} passed, ${results.length - passed} failed (logs in ${LOGS})`)
    process.exitCode = passed === 3 && results.length === 3 ? 0 : 1
  }
}

main()
