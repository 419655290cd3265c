#!/usr/bin/env node
/**
 * `npm run test:cluster`: nothing lost, nothing doubled, on a real cluster whose processes die.
 *
 * Builds a store the way a store installs the plugin (.medusa/cluster/store: a medusa-config that
 * registers the built package `medusa-channel-orders`, node_modules linked to this repository's,
 * `medusa build`), and runs it from its build output as three processes on one PostgreSQL and the
 * local Redis (one DB index of its own, flushed at start): one `server`, two `worker`s, with
 * Medusa's workflow-engine-redis, event-bus-redis and locking-redis. The marketplaces are the
 * sandbox and the Amazon, eBay and Mirakl simulators (a process of their own, real HTTP).
 *
 *  1. pull: 1,000 orders on five channels (batched and per-order, many pages each), pulled by both
 *     workers at once through the plugin's scheduled job → exactly 1,000 Medusa orders, nothing twice;
 *  2. kills: rounds of new orders, each round SIGKILLs both workers at seeded random moments while
 *     they import (≥ 10 kills), then the time their leases and locks need to run out passes (see
 *     timePasses) and the workers restart; after the next runs every order is imported exactly once
 *     and fully (reservation, payment, holds as its action says), nothing left `importing`, and the
 *     undone imports left nothing behind (stock reserved for no reservation, orphan payment records);
 *  3. 20 concurrent `POST /admin/channels/:id/import`: one runs, 19 get 409;
 *  4. feedback: 200 shipments through Medusa's admin API, both workers killed mid-delivery, then each
 *     marketplace must have received each confirmation exactly once.
 *
 * Apart from step 3's admin route (the server process), pulls and deliveries happen only in the
 * worker processes, in the plugin's scheduled jobs. Besides
 * the every-minute cron tick, the driver enqueues extra ticks of the same jobs in the workflow
 * engine's BullMQ queue, so that both workers run one at once and a round does not wait for the
 * next minute. Writes .medusa/test-results/cluster.json (read by scripts/test-summary.js) and
 * cluster.metrics.json, and prints "N passed, N failed".
 *
 * Environment: CLUSTER_SEED (random moments, default 16), CLUSTER_REDIS_DB (default 7),
 * CLUSTER_KILL_ROUNDS (default 6), CLUSTER_KEEP=1 keeps the database (logs: .medusa/cluster/logs),
 * CLUSTER_SHARED_BUYERS=1 gives both sandbox marketplaces' first orders the same buyers, CLUSTER_SRC
 * builds the plugin from another copy of src/ (to try a fix without touching the checkout).
 */
const { spawn, fork } = require("node:child_process")
const fs = require("node:fs")
const path = require("node:path")
const { ensurePostgres, createDatabaseIfMissing, dropDatabases } = require("./with-postgres")
const { freePort, run, waitFor, stopTree } = require("./lib/proc")

process.env.MEDUSA_DISABLE_TELEMETRY = process.env.MEDUSA_DISABLE_TELEMETRY || "true"
const ROOT = path.resolve(__dirname, "..")
const WORK = path.join(ROOT, ".medusa", "cluster")
const STORE = path.join(WORK, "store")
const PLUGIN = path.join(WORK, "plugin")
const BUILT = path.join(STORE, ".medusa", "server")
const LOGS = path.join(WORK, "logs")
const CLI = path.join(ROOT, "node_modules", "@medusajs", "cli", "cli.js")
const RESULTS_DIR = path.join(ROOT, ".medusa", "test-results")
const SEED = Number(process.env.CLUSTER_SEED || 16)
const REDIS_DB = Number(process.env.CLUSTER_REDIS_DB || 7)
const REDIS_URL = `redis://127.0.0.1:6379/${REDIS_DB}`
const ROUNDS = Number(process.env.CLUSTER_KILL_ROUNDS || 6)
const SHARED_BUYERS = process.env.CLUSTER_SHARED_BUYERS === "1"
const RATE_MULTIPLIER = 1000
const ENCRYPTION_KEY = "cluster-channel-orders-key"
const ADMIN = { email: "admin@channel-orders.test", password: "supersecret" }
const PULL_JOB = "job-channel-orders-pull-channels"
const FEEDBACK_JOB = "job-channel-orders-deliver-feedback"
const JOB_QUEUE = "medusa-workflows-jobs"
const WALL_LIMIT_S = 600

/** The channels: [key, provider, first pull's orders, orders per kill round, settings]. */
const CHANNELS = [
  ["sandbox_batch", "sandbox", 320, 40, { batch_import: true, page_size: 40 }],
  ["sandbox_per_order", "sandbox", 80, 8, { batch_import: false, page_size: 20 }],
  ["amazon", "amazon", 200, 20, { batch_import: true }],
  ["ebay", "ebay", 200, 20, { batch_import: true, page_size: 25 }],
  ["mirakl", "mirakl", 200, 20, { batch_import: true, page_size: 40 }],
]
const SHIPMENTS = { amazon: 67, ebay: 67, mirakl: 66 }

const started = Date.now()
const elapsed = () => (Date.now() - started) / 1000
const log = (m) => console.error(`[cluster ${elapsed().toFixed(0).padStart(3)} s] ${m}`)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** mulberry32: the kill moments are random, but the same for a given CLUSTER_SEED. */
function seededRandom(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const rnd = seededRandom(SEED)
const between = (lo, hi) => lo + rnd() * (hi - lo)

// ------------------------------------------------------------------------------------- Redis

async function ensureRedis() {
  const IORedis = require("ioredis")
  const ping = async () => {
    const c = new IORedis({ host: "127.0.0.1", port: 6379, lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null })
    c.on("error", () => {})
    try {
      await c.connect()
      return (await c.ping()) === "PONG"
    } catch {
      return false
    } finally {
      c.disconnect()
    }
  }
  let startedHere = false
  if (!(await ping())) {
    log("Redis on 127.0.0.1:6379 did not answer; starting redis-server")
    const code = await run("redis-server", ["--port", "6379", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "yes"], { cwd: WORK, logFile: path.join(LOGS, "redis.log") })
    if (code !== 0) throw new Error("redis-server could not be started (is Redis installed?)")
    for (let i = 0; i < 50 && !(await ping()); i++) await sleep(100)
    if (!(await ping())) throw new Error("redis-server did not answer after starting it")
    startedHere = true
  }
  const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: null })
  // One run at a time per DB index: another run's flush would wipe this one's queues and locks.
  const owner = await redis.get("channel-orders-cluster:run")
  if (owner && isAlive(Number(owner))) throw new Error(`Redis DB ${REDIS_DB} is in use by another cluster run (pid ${owner}); set CLUSTER_REDIS_DB`)
  await redis.flushdb()
  await redis.set("channel-orders-cluster:run", String(process.pid))
  return { redis, startedHere }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

// ------------------------------------------------------------------------------------- build

/**
 * The package a store installs: this repository's package.json and `medusa plugin:build` output,
 * built in a folder of the suite's own (.medusa/cluster/plugin) from a copy of src/, so that another
 * `npm run build` in the repository (which empties .medusa/server first) cannot pull the plugin out
 * from under the running cluster.
 */
async function buildPlugin() {
  fs.rmSync(PLUGIN, { recursive: true, force: true })
  fs.mkdirSync(PLUGIN, { recursive: true })
  for (const f of ["package.json", "tsconfig.json"]) fs.copyFileSync(path.join(ROOT, f), path.join(PLUGIN, f))
  const src = process.env.CLUSTER_SRC ? path.resolve(process.env.CLUSTER_SRC) : path.join(ROOT, "src")
  fs.cpSync(src, path.join(PLUGIN, "src"), { recursive: true, filter: (p) => !p.includes(`${path.sep}__tests__`) })
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(PLUGIN, "node_modules"))
  log("building the plugin (medusa plugin:build, from a copy of src/)")
  const code = await run(process.execPath, [CLI, "plugin:build"], { cwd: PLUGIN, logFile: path.join(LOGS, "build.log") })
  if (code !== 0) throw new Error(`medusa plugin:build failed, see ${path.join(LOGS, "build.log")}`)
}

/** The store folder: a medusa-config registering the built plugin, node_modules linked to the repo's. */
async function buildStore() {
  fs.rmSync(STORE, { recursive: true, force: true })
  fs.mkdirSync(path.join(STORE, "node_modules"), { recursive: true })
  for (const entry of fs.readdirSync(path.join(ROOT, "node_modules"))) {
    fs.symlinkSync(path.join(ROOT, "node_modules", entry), path.join(STORE, "node_modules", entry))
  }
  // What `npm install medusa-channel-orders` would give the store (its package.json exports the build).
  fs.symlinkSync(PLUGIN, path.join(STORE, "node_modules", "medusa-channel-orders"))
  fs.copyFileSync(path.join(ROOT, "integration-tests", "cluster", "store", "medusa-config.ts"), path.join(STORE, "medusa-config.ts"))
  const version = require(path.join(ROOT, "node_modules", "@medusajs", "medusa", "package.json")).version
  fs.writeFileSync(
    path.join(STORE, "package.json"),
    JSON.stringify(
      {
        name: "channel-orders-cluster-store",
        version: "0.0.0",
        private: true,
        scripts: { build: "medusa build", start: "medusa start" },
        dependencies: { "@medusajs/medusa": version, "@medusajs/framework": version, "@medusajs/cli": version, "medusa-channel-orders": "file:../plugin" },
      },
      null,
      2
    )
  )
  fs.writeFileSync(
    path.join(STORE, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: {
          target: "ES2021",
          esModuleInterop: true,
          module: "Node16",
          moduleResolution: "Node16",
          skipLibCheck: true,
          declaration: false,
          outDir: "./.medusa/server",
          rootDir: "./",
          resolveJsonModule: true,
          strictNullChecks: true,
        },
        include: ["medusa-config.ts", "src/**/*"],
        exclude: ["node_modules", ".medusa"],
      },
      null,
      2
    )
  )
  log("building the store (medusa build, admin disabled)")
  const code = await run(process.execPath, [CLI, "build"], { cwd: STORE, env: { REDIS_URL }, logFile: path.join(LOGS, "build.log") })
  if (code !== 0 || !fs.existsSync(path.join(BUILT, "medusa-config.js"))) throw new Error(`medusa build failed, see ${path.join(LOGS, "build.log")}`)
}

// ------------------------------------------------------------------------------------- simulators

function startSimulators() {
  const child = fork(path.join(ROOT, "integration-tests", "cluster", "sim-host.js"), [], {
    cwd: ROOT,
    stdio: ["ignore", fs.openSync(path.join(LOGS, "simulators.log"), "a"), fs.openSync(path.join(LOGS, "simulators.log"), "a"), "ipc"],
  })
  let seq = 0
  const call = (cmd, args) =>
    new Promise((resolve, reject) => {
      const id = ++seq
      const onMessage = (m) => {
        if (m.id !== id) return
        child.off("message", onMessage)
        m.error ? reject(new Error(m.error)) : resolve(m.result)
      }
      child.on("message", onMessage)
      child.send({ id, cmd, args })
    })
  return { child, call }
}

// ------------------------------------------------------------------------------------- Medusa processes

class Cluster {
  constructor(env) {
    this.env = env
    this.procs = {}
    this.starts = {}
    this.kills = []
    this.boots = []
  }

  async start(name, mode, extraEnv = {}) {
    const port = await freePort()
    const n = (this.starts[name] = (this.starts[name] ?? 0) + 1)
    const logFile = path.join(LOGS, `${name}.${n}.log`)
    const out = fs.openSync(logFile, "a")
    const t0 = Date.now()
    const child = spawn(process.execPath, [CLI, "start", "--port", String(port)], {
      cwd: BUILT,
      // Not "production": the plugin reaches plain-http simulators only outside production.
      env: { ...process.env, ...this.env, ...extraEnv, MEDUSA_WORKER_MODE: mode, PORT: String(port), NODE_ENV: "development" },
      stdio: ["ignore", out, out],
      detached: true,
    })
    fs.closeSync(out)
    child.on("exit", () => {})
    this.procs[name] = { child, port, logFile, mode, base: `http://127.0.0.1:${port}` }
    await waitFor(`http://127.0.0.1:${port}/health`, { timeoutMs: 120_000, intervalMs: 200, child, what: `${name} (${mode})` })
    this.procs[name].boot_ms = Date.now() - t0
    this.boots.push({ name, mode, ms: this.procs[name].boot_ms })
    return this.procs[name]
  }

  /** kill -9 of the process (its group: `medusa start` runs the app in this very process). */
  async kill(name, moment) {
    const p = this.procs[name]
    if (!p || p.child.exitCode !== null || p.child.signalCode !== null) throw new Error(`${name} is not running`)
    const exited = new Promise((r) => p.child.once("exit", (code, signal) => r(signal)))
    process.kill(-p.child.pid, "SIGKILL")
    const signal = await exited
    this.kills.push({ worker: name, pid: p.child.pid, at_s: Number(elapsed().toFixed(1)), signal, ...moment })
    delete this.procs[name]
  }

  /** A clean stop (SIGTERM: Medusa finishes the jobs in hand, then exits). */
  async stop(name) {
    const p = this.procs[name]
    if (!p) return
    await stopTree(p.child, 60_000)
    delete this.procs[name]
  }

  async stopAll() {
    await Promise.all(Object.keys(this.procs).map((n) => this.stop(n)))
  }

  get workersDown() {
    return !this.procs.worker_a && !this.procs.worker_b
  }
}

/** Enqueues ticks of a scheduled job, exactly as its repeatable cron entry enqueues one; returns them. */
async function tick(queue, jobId, n = 1) {
  const jobs = []
  for (let i = 0; i < n; i++) {
    jobs.push(await queue.add("schedule", { jobId, schedulerOptions: { concurrency: "forbid", cron: "* * * * *" } }, { removeOnComplete: true, removeOnFail: true }))
  }
  return jobs.map((j) => j.id)
}

/** Whether any of these ticks is still waiting or running (finished ones are removed from the queue). */
async function ticking(queue, ids) {
  for (const id of ids) if (await queue.getJob(id)) return true
  return false
}

// ------------------------------------------------------------------------------------- admin API

function adminClient(base) {
  let token = null
  const call = async (method, url, body) => {
    const res = await fetch(base + url, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    let data
    try {
      data = JSON.parse(text)
    } catch {
      data = text
    }
    return { status: res.status, data }
  }
  return {
    call,
    async login() {
      const r = await call("POST", "/auth/user/emailpass", ADMIN)
      if (r.status !== 200) throw new Error(`admin login failed: ${r.status} ${JSON.stringify(r.data)}`)
      token = r.data.token
    },
    async ok(method, url, body) {
      const r = await call(method, url, body)
      if (r.status >= 300) throw new Error(`${method} ${url} → ${r.status} ${JSON.stringify(r.data).slice(0, 500)}`)
      return r.data
    },
  }
}

async function pool(items, size, fn) {
  let next = 0
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await fn(items[next++])
    })
  )
}

// ------------------------------------------------------------------------------------- main

async function main() {
  // One run at a time in this checkout: the store, the plugin build and the logs are shared folders.
  fs.mkdirSync(WORK, { recursive: true })
  const pidFile = path.join(WORK, "run.pid")
  const other = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, "utf8")) : 0
  if (other && other !== process.pid && isAlive(other)) throw new Error(`another cluster run (pid ${other}) is using ${WORK}`)
  fs.writeFileSync(pidFile, String(process.pid))
  process.on("exit", () => fs.rmSync(pidFile, { force: true }))
  fs.rmSync(LOGS, { recursive: true, force: true })
  fs.mkdirSync(LOGS, { recursive: true })
  fs.mkdirSync(RESULTS_DIR, { recursive: true })
  fs.rmSync(path.join(RESULTS_DIR, "cluster.json"), { force: true })
  const results = []
  const metrics = { seed: SEED, redis: REDIS_URL, phases_s: {} }
  const check = (name, ok, detail = {}) => {
    results.push({ name, ok: !!ok, detail })
    log(`${ok ? "PASS" : "FAIL"} ${name}${ok ? "" : `: ${JSON.stringify(detail).slice(0, 1500)}`}`)
  }
  const phase = async (name, fn) => {
    const t0 = Date.now()
    try {
      return await fn()
    } finally {
      metrics.phases_s[name] = Number(((metrics.phases_s[name] ?? 0) + (Date.now() - t0) / 1000).toFixed(1))
    }
  }

  const { redis, startedHere } = await ensureRedis()
  const pg = await ensurePostgres({ log })
  const dbName = `cluster_${Date.now().toString(36)}_${process.pid}`
  const dbUrl = `${pg.env.DB_BASE_URL}/${dbName}`
  const { Pool } = require("pg")
  let db = null
  let sims = null
  const { Queue } = require("bullmq")
  const queue = new Queue(JOB_QUEUE, { connection: redis })
  const cluster = new Cluster({
    ...pg.env,
    DATABASE_URL: dbUrl,
    REDIS_URL,
    CHANNEL_RATE_LIMIT_MULTIPLIER: String(RATE_MULTIPLIER),
    CHANNEL_ORDERS_ENCRYPTION_KEY: ENCRYPTION_KEY,
    NODE_OPTIONS: "--max-old-space-size=1024",
    LOG_LEVEL: "info",
  })
  let cleaned = false
  const cleanup = async () => {
    if (cleaned) return
    cleaned = true
    await cluster.stopAll().catch(() => {})
    if (sims) {
      await sims.call("stop").catch(() => {})
      sims.child.kill()
    }
    await db?.end().catch(() => {})
    await queue.close().catch(() => {})
    if (process.env.CLUSTER_KEEP !== "1") await dropDatabases(pg.target, [dbName]).catch(() => {})
    else log(`CLUSTER_KEEP=1: database ${dbName} kept`)
    await redis.flushdb().catch(() => {})
    if (startedHere) await redis.call("shutdown", "nosave").catch(() => {})
    redis.disconnect()
    await pg.stop()
  }
  const onSignal = (code) => () => cleanup().then(() => process.exit(code))
  process.once("SIGINT", onSignal(130))
  process.once("SIGTERM", onSignal(143))

  // Everything the run put on a marketplace: channel id → external id → { hold }.
  const expected = new Map()
  const expect = (channelId, ids, hold = () => false) => {
    const m = expected.get(channelId) ?? new Map()
    for (const id of ids) m.set(id, { hold: hold(id) })
    expected.set(channelId, m)
  }
  const { importSnapshot, inFlight } = require(path.join(ROOT, "integration-tests", "cluster", "checks.js"))
  let summary = {}

  try {
    await phase("build", async () => {
      await buildPlugin()
      await buildStore()
    })

    let urls, seeded
    await phase("setup", async () => {
      sims = startSimulators()
      urls = await sims.call("start", { multiplier: RATE_MULTIPLIER })
      await createDatabaseIfMissing(pg.target, dbName)
      log(`database ${dbName}; migrating from the built store`)
      const env = { ...cluster.env, NODE_ENV: "development" }
      if ((await run(process.execPath, [CLI, "db:migrate"], { cwd: BUILT, env, logFile: path.join(LOGS, "setup.log") })) !== 0) {
        throw new Error(`medusa db:migrate failed, see ${path.join(LOGS, "setup.log")}`)
      }
      // The store itself (region, warehouse, products, admin) through the dev store's container
      // (bench/launch.js), before any cluster process runs; channels and orders go through the admin API.
      log("seeding the store")
      const outFile = path.join(WORK, "seed-out.json")
      const seedEnv = { DATABASE_URL: dbUrl, ...pg.env, CHANNEL_ORDERS_ENCRYPTION_KEY: ENCRYPTION_KEY, CLUSTER_OUT: outFile, NODE_ENV: "development", LOG_LEVEL: "warn", REDIS_URL: "" }
      if ((await run(process.execPath, [path.join(ROOT, "bench", "launch.js"), "./integration-tests/cluster/seed.ts"], { cwd: ROOT, env: seedEnv, logFile: path.join(LOGS, "setup.log") })) !== 0) {
        throw new Error(`seeding failed, see ${path.join(LOGS, "setup.log")}`)
      }
      seeded = JSON.parse(fs.readFileSync(outFile, "utf8"))
      db = new Pool({ connectionString: dbUrl, max: 4 })
      // Dropping the database at the end terminates any connection still open to it; an idle client's
      // error must not bring the suite down after it has passed.
      db.on("error", (e) => log(`database pool: ${e.message}`))
    })
    const skus = seeded.skus
    const total = () => [...expected.values()].reduce((n, m) => n + m.size, 0)

    const server = await phase("start", async () => {
      log("starting the server")
      return cluster.start("server", "server")
    })
    const admin = adminClient(server.base)
    await admin.login()

    // The channels, as an admin creates them; the first orders on their marketplaces.
    const ch = {}
    const simIds = {}
    const addSimOrders = async (kind, count, updatedMs) => {
      const ids = await sims.call("add", { kind, count, skus, updated_ms: updatedMs })
      expect(ch[kind].id, ids)
      simIds[kind] = [...(simIds[kind] ?? []), ...ids]
      return ids
    }
    const addSandboxOrders = async (key, prefix, count, email) => {
      const orders = Array.from({ length: count }, (_, i) => sandboxOrder(`${prefix}-${String(i + 1).padStart(5, "0")}`, skus, i, email?.(i)))
      for (let i = 0; i < orders.length; i += 50) await admin.ok("POST", `/admin/channels/${ch[key].id}/sandbox/orders`, { orders: orders.slice(i, i + 50) })
      const held = new Set(orders.filter((o) => o.status === "on_hold").map((o) => o.external_id))
      expect(ch[key].id, orders.map((o) => o.external_id), (id) => held.has(id))
    }
    await phase("channels", async () => {
      const st = seeded.store
      const common = {
        sales_channel_id: st.sales_channel_id,
        region_id: st.region_id,
        stock_location_id: st.stock_location_id,
        shipping_mapping: { standard: st.shipping_options.standard, express: st.shipping_options.express },
        default_shipping_option_id: st.shipping_options.standard,
        carrier_mapping: { [st.shipping_options.standard]: "DHL" },
        lookback_hours: 24,
        pull_interval_minutes: 1,
      }
      for (const [key, provider, first, , settings] of CHANNELS) {
        const sim = provider === "sandbox" ? {} : urls[provider]
        const { channel } = await admin.ok("POST", "/admin/channels", {
          name: `Cluster ${key}`,
          provider,
          enabled: true,
          credentials: provider === "sandbox" ? { api_key: "sandbox-secret-key" } : urls.credentials[provider],
          settings: { ...common, ...settings, ...sim },
        })
        ch[key] = { id: channel.id, name: channel.name, batch: settings.batch_import !== false }
        if (provider === "sandbox") {
          await admin.ok("PUT", `/admin/channels/${channel.id}/status-rules`, {
            status_rules: [
              { external_status: "paid", action: "import_as_valid", retry: true },
              { external_status: "on_hold", action: "import_and_hold", retry: true },
            ],
          })
          // CLUSTER_SHARED_BUYERS=1: the two sandbox marketplaces' first orders come from the same buyers.
          await addSandboxOrders(key, `CL-${key === "sandbox_batch" ? "B" : "P"}`, first, SHARED_BUYERS ? (i) => `buyer-${i}@buyers.example` : undefined)
        } else {
          await addSimOrders(key, first, Date.now() - 2 * 3600_000)
        }
      }
    })
    const batchChannels = new Set(Object.values(ch).filter((c) => c.batch).map((c) => c.id))
    const channelName = new Map(Object.values(ch).map((c) => [c.id, c.name]))

    await phase("start", async () => {
      log("starting two workers")
      await Promise.all([cluster.start("worker_a", "worker"), cluster.start("worker_b", "worker")])
    })
    metrics.boot_ms = { server: server.boot_ms, worker_a: cluster.procs.worker_a.boot_ms, worker_b: cluster.procs.worker_b.boot_ms }
    const scheduled = await queue.getRepeatableJobs()
    if (!scheduled.some((j) => j.key?.includes(PULL_JOB) || j.id?.includes(PULL_JOB) || JSON.stringify(j).includes(PULL_JOB))) {
      throw new Error(`the workers did not schedule ${PULL_JOB}: ${JSON.stringify(scheduled)}`)
    }

    const q = async (sql, params) => (await db.query(sql, params)).rows
    const importedCount = async () => (await q(`select count(*)::int as n from channel_order where state = 'imported' and deleted_at is null`))[0].n
    /**
     * Until every expected order is imported, with no import in flight and no run running. The job
     * stops a run after its tick's budget (the next tick resumes it); when the cluster goes idle
     * short of the goal, the channels are made due again and the job ticks, as the cron would a
     * minute later, until two ticks in a row import nothing more.
     */
    const settle = async (what, timeoutMs, ticks) => {
      const deadline = Date.now() + timeoutMs
      let idleSince = null
      let extraRuns = 0
      let fruitless = 0
      let lastImported = -1
      for (;;) {
        const [s] = await q(
          `select (select count(*)::int from channel_order where state = 'imported' and deleted_at is null) as imported,
                  (select count(*)::int from channel_order where state = 'importing' and deleted_at is null) as importing,
                  (select count(*)::int from channel_order where state = 'pending' and deleted_at is null) as pending,
                  (select count(*)::int from channel_import_run where status = 'running' and deleted_at is null) as running`
        )
        if (s.imported >= total() && !s.importing && !s.pending && !s.running) return { ...s, extra_runs: extraRuns }
        if (s.imported > lastImported) {
          lastImported = s.imported
          fruitless = 0
        }
        const idle = !s.running && !s.importing && !(await ticking(queue, ticks))
        idleSince = idle ? (idleSince ?? Date.now()) : null
        if (Date.now() > deadline || (idleSince && Date.now() - idleSince > 2_000 && fruitless >= 2)) {
          log(`${what}: gave up waiting (${JSON.stringify(s)}, ${total()} expected)`)
          return { ...s, extra_runs: extraRuns }
        }
        if (idleSince && Date.now() - idleSince > 2_000) {
          extraRuns++
          fruitless++
          await timePasses({ dead: false })
          ticks = await tick(queue, PULL_JOB, 2)
          idleSince = null
        }
        await sleep(300)
      }
    }
    /**
     * What 15 minutes would do, with every worker dead: the Redis locks they held expire (the run
     * lock lives 15 minutes), their imports' leases (10 minutes) and feedback claims (10 minutes)
     * run out, orders staged but never decided become stale, and every channel is due again. With
     * workers alive, only the last.
     */
    const timePasses = async ({ dead }) => {
      if (dead) {
        if (!cluster.workersDown) throw new Error("timePasses({ dead: true }) with a worker alive")
        const keys = await redis.keys("medusa_lock:*")
        if (keys.length) await redis.del(...keys)
        await q(`update channel_order set import_lease_until = now() - interval '1 second' where state = 'importing' and deleted_at is null`)
        await q(`update channel_feedback set next_attempt_at = now() - interval '1 second' where state = 'sending' and deleted_at is null`)
        // Orders staged but never decided count as stuck after 15 minutes, too.
        await q(`update channel_order set updated_at = updated_at - interval '15 minutes' where state = 'pending' and deleted_at is null`)
        return { locks_expired: keys.length }
      }
      await q(`update channel_import_run set started_at = started_at - interval '15 minutes' where deleted_at is null`)
      return {}
    }
    const pulledLines = (file) => {
      const out = []
      if (!fs.existsSync(file)) return out
      for (const line of fs.readFileSync(file, "utf8").split("\n")) {
        const m = /Pulled (Cluster \w+): (\d+) fetched, (\d+) imported/.exec(line)
        if (m) out.push({ channel: m[1], fetched: Number(m[2]), imported: Number(m[3]) })
      }
      return out
    }

    // ---------------------------------------------------------------- 1. 1,000 orders, both workers
    await phase("pull_1000", async () => {
      const n = total()
      log(`pull: ${n} orders on ${CHANNELS.length} channels; two ticks of the pull job`)
      const t0 = Date.now()
      const s = await settle("pull", 300_000, await tick(queue, PULL_JOB, 2))
      const seconds = (Date.now() - t0) / 1000
      const snap = await importSnapshot(db, expected)
      const byWorker = { worker_a: pulledLines(cluster.procs.worker_a.logFile), worker_b: pulledLines(cluster.procs.worker_b.logFile) }
      const runs = await q(
        `select channel_id, started_at, finished_at, fetched, imported, pages, status from channel_import_run where deleted_at is null and imported > 0 order by started_at`
      )
      // Two runs that imported something overlapped in time: the workers pulled at once.
      const overlapping = runs.some((a, i) => runs.some((b, j) => i !== j && a.channel_id !== b.channel_id && a.started_at < b.finished_at && b.started_at < a.finished_at))
      metrics.pull = {
        orders: n,
        seconds: Number(seconds.toFixed(1)),
        orders_per_second: Number((n / seconds).toFixed(1)),
        pages: runs.reduce((k, r) => k + r.pages, 0),
        runs: runs.map((r) => ({ channel: channelName.get(r.channel_id), imported: r.imported, pages: r.pages, status: r.status })),
        pulled_by: Object.fromEntries(Object.entries(byWorker).map(([w, l]) => [w, l.filter((x) => x.imported > 0).map((x) => `${x.channel} (${x.imported})`)])),
        ...pick(snap, ["medusa_orders", "imported", "reservations", "payment_collections", "holds", "duplicates", "lost", "half_imported", "leftovers"]),
      }
      log(`pull: ${JSON.stringify(metrics.pull)}`)
      check(`pull: ${n} orders over ${metrics.pull.pages} pages, pulled by both workers at once → exactly ${n} Medusa orders, no duplicate reservation, payment or hold`, s.imported === n && snap.imported === n && snap.medusa_orders === n && !snap.duplicates && !snap.lost && !snap.half_imported && !snap.leftovers && overlapping && byWorker.worker_a.some((x) => x.imported > 0) && byWorker.worker_b.some((x) => x.imported > 0), {
        settled: s,
        overlapping,
        problems: trim(snap.problems),
      })
      await Promise.all([cluster.stop("worker_a"), cluster.stop("worker_b")])
    })

    // ---------------------------------------------------------------- 2. kill rounds
    const rounds = []
    await phase("kill_rounds", async () => {
      for (let r = 1; r <= ROUNDS; r++) {
        // New orders on every marketplace while the workers are down; then they are due again.
        for (const [key, provider, , perRound] of CHANNELS) {
          if (provider === "sandbox") {
            await addSandboxOrders(key, `CL-R${r}-${key === "sandbox_batch" ? "B" : "P"}`, perRound)
          } else {
            // Amazon lists an order only once it is older than its two-minute rule.
            await addSimOrders(key, perRound, Date.now() - 4 * 60_000)
          }
        }
        await timePasses({ dead: false })
        const before = await importedCount()
        await Promise.all([cluster.start("worker_a", "worker"), cluster.start("worker_b", "worker")])
        await tick(queue, PULL_JOB, 2)
        // The first sign of import work: a row taken for import (not one a dead worker left), or one imported.
        const dead = rounds.flatMap((x) => x.left_in_flight.map((o) => o.owner))
        const t0 = Date.now()
        for (;;) {
          const [s] = await q(
            `select (select count(*)::int from channel_order where state = 'importing' and not (import_owner = any($1::text[]))) as importing,
                    (select count(*)::int from channel_order where state = 'imported') as imported`,
            [dead]
          )
          if (s.importing > 0 || s.imported > before) break
          if (Date.now() - t0 > 60_000) throw new Error(`round ${r}: no import started within 60 s`)
          await sleep(50)
        }
        const first = r % 2 ? "worker_a" : "worker_b"
        const second = first === "worker_a" ? "worker_b" : "worker_a"
        const d1 = between(0.5, 6)
        await sleep(d1 * 1000)
        const atFirst = await inFlight(db, batchChannels)
        await cluster.kill(first, { round: r, after_activity_s: Number(d1.toFixed(2)) })
        const d2 = between(0.5, 4)
        await sleep(d2 * 1000)
        await cluster.kill(second, { round: r, after_first_kill_s: Number(d2.toFixed(2)) })
        const left = await inFlight(db, batchChannels)
        const passed = await timePasses({ dead: true })
        const round = {
          round: r,
          imported_before: before,
          imported_at_kills: await importedCount(),
          in_flight_at_first_kill: atFirst.owners.map((o) => `${channelName.get(o.channel_id)}: ${o.rows}`),
          left_in_flight: left.owners.map((o) => ({ owner: o.owner, channel: channelName.get(o.channel_id), batch: o.batch, rows: o.rows, linked: o.linked, created: o.created })),
          left_pending: left.pending,
          ...passed,
        }
        rounds.push(round)
        log(`round ${r}: ${JSON.stringify(round)}`)
      }
      // The restart: the next runs recover whatever the kills left and import the rest.
      log(`restart after ${cluster.kills.length} kills; the next runs must import all ${total()} orders`)
      await timePasses({ dead: false })
      await Promise.all([cluster.start("worker_a", "worker"), cluster.start("worker_b", "worker")])
      const s = await settle("recovery", 300_000, await tick(queue, PULL_JOB, 2))
      const snap = await importSnapshot(db, expected)
      const interrupted = await q(
        `select e.data->>'owner' as owner, co.channel_id, count(*)::int as rows,
                sum(jsonb_array_length(coalesce(e.data->'undone_order_ids', '[]'::jsonb)))::int as undone
           from channel_order_event e join channel_order co on co.id = e.channel_order_id
          where e.type = 'import_interrupted' and e.deleted_at is null group by 1, 2`
      )
      const [runsLeft] = await q(`select count(*)::int as n from channel_import_run where status = 'running' and deleted_at is null`)
      const batchPages = interrupted.filter((i) => batchChannels.has(i.channel_id) && i.rows > 1)
      // What the kills cut: per round, the imports left `importing` by the two dead workers.
      // An import no later run got to before the next kills stays in flight over several rounds: once.
      const cut = [...new Map(rounds.flatMap((r) => r.left_in_flight).map((o) => [o.owner, o])).values()]
      const batchPagesCut = cut.filter((o) => o.batch && o.rows > 1).length
      const recordedOwners = new Set(interrupted.map((i) => i.owner))
      metrics.kills = {
        kills: cluster.kills.length,
        moments: cluster.kills,
        rounds,
        cut: { batched_pages: batchPagesCut, per_order_imports: cut.length - batchPagesCut, orders: cut.reduce((n, o) => n + o.rows, 0) },
        cut_without_timeline_entry: cut.filter((o) => !recordedOwners.has(o.owner)).map((o) => `${o.channel}: ${o.rows} (${o.owner})`),
        leftover_kinds: countBy(snap.problems.leftovers.map((l) => (l.startsWith("inventory item") ? "stock reserved_quantity ≠ live reservations" : l.startsWith("payment collection") ? `payment collection ${/\((never linked|its link was dismissed)\)/.exec(l)?.[1] ?? ""}` : l.split(" ")[0]))),
        leftover_list: snap.problems.leftovers.slice(0, 200),
        interrupted_imports: interrupted.length,
        interrupted_batched_pages: batchPages.length,
        interrupted_orders: interrupted.reduce((n, i) => n + i.rows, 0),
        undone_medusa_orders: interrupted.reduce((n, i) => n + i.undone, 0),
        runs_left_running: runsLeft.n,
        ...pick(snap, ["medusa_orders", "imported", "reservations", "payment_collections", "holds", "duplicates", "lost", "half_imported", "leftovers", "states"]),
      }
      summary = { ...summary, orders_imported: snap.imported, kills: cluster.kills.length, batched_pages_cut: batchPagesCut, duplicates: snap.duplicates, lost: snap.lost, half_imported: snap.half_imported, leftovers: snap.leftovers }
      log(`kills: ${JSON.stringify({ ...metrics.kills, moments: undefined, rounds: undefined })}`)
      check(
        `kills: ${cluster.kills.length} kill -9 of a worker at seeded random moments (cutting ${batchPagesCut} batched pages and ${cut.length - batchPagesCut} per-order imports), then a restart → all ${total()} orders imported exactly once and fully, nothing left importing`,
        cluster.kills.length >= 10 && batchPagesCut >= 1 && batchPages.length >= 1 && s.imported === total() && snap.imported === total() && !snap.duplicates && !snap.lost && !snap.half_imported && runsLeft.n === 0,
        { settled: s, runs_left_running: runsLeft.n, batch_pages_cut: batchPagesCut, problems: trim({ ...snap.problems, leftovers: [] }) }
      )
      // What the undone imports left behind, apart from the orders: stock and payment records.
      check(
        "kills: the undone imports leave nothing behind (every inventory level's reserved quantity equals its live reservations; no payment collection, reservation or hold without its order)",
        !snap.leftovers,
        { leftovers: snap.problems.leftovers.slice(0, 15) }
      )
      await Promise.all([cluster.stop("worker_a"), cluster.stop("worker_b")])
    })

    // ---------------------------------------------------------------- 3. 20 concurrent imports
    await phase("concurrent_409", async () => {
      const ids = await addSimOrders("amazon", 30, Date.now() - 4 * 60_000)
      const answers = await Promise.all(Array.from({ length: 20 }, () => admin.call("POST", `/admin/channels/${ch.amazon.id}/import`, {})))
      const statuses = answers.map((a) => a.status).sort()
      const ran = answers.find((a) => a.status === 200)
      metrics.concurrent = { requests: 20, statuses: countBy(statuses), run: ran ? pick(ran.data.run, ["status", "fetched", "imported", "failed"]) : null, new_orders: ids.length }
      check(
        "20 concurrent POST /admin/channels/:id/import: one runs, the others get 409",
        statuses.filter((s) => s === 200).length === 1 && statuses.filter((s) => s === 409).length === 19 && ran?.data?.run?.status === "succeeded",
        metrics.concurrent
      )
    })

    // ---------------------------------------------------------------- 4. feedback
    await phase("feedback", async () => {
      // Outbox rows are recorded while delivery is paused, so the kill finds a full backlog.
      await Promise.all([cluster.start("worker_a", "worker", { CHANNEL_FEEDBACK_DELIVERY: "off" }), cluster.start("worker_b", "worker", { CHANNEL_FEEDBACK_DELIVERY: "off" })])
      const toShip = []
      for (const [kind, n] of Object.entries(SHIPMENTS)) {
        const rows = await q(`select external_id, order_id from channel_order where channel_id = $1 and state = 'imported' order by external_id limit $2`, [ch[kind].id, n])
        for (const r of rows) toShip.push({ kind, ...r })
      }
      log(`feedback: shipping ${toShip.length} orders through the admin API`)
      const t0 = Date.now()
      const shipFailures = []
      await pool(toShip, 6, async (o) => {
        try {
          const items = (
            await q(
              `select oi.item_id as id, oi.quantity::int as quantity from order_item oi join "order" o on o.id = oi.order_id and o.version = oi.version
                where oi.order_id = $1 and oi.deleted_at is null`,
              [o.order_id]
            )
          ).map((i) => ({ id: i.id, quantity: i.quantity }))
          const created = await admin.ok("POST", `/admin/orders/${o.order_id}/fulfillments?fields=id,*fulfillments`, { items, location_id: seeded.store.stock_location_id })
          const fulfillment = created.order.fulfillments.find((f) => !f.shipped_at && !f.canceled_at) ?? created.order.fulfillments[0]
          const tracking = `CL${o.order_id.slice(-10).toUpperCase()}`
          await admin.ok("POST", `/admin/orders/${o.order_id}/fulfillments/${fulfillment.id}/shipments`, {
            items,
            labels: [{ tracking_number: tracking, tracking_url: `https://track.example/${tracking}`, label_url: `https://labels.example/${tracking}.pdf` }],
          })
          o.fulfillment_id = fulfillment.id
        } catch (e) {
          shipFailures.push(`${o.kind} ${o.external_id}: ${e.message}`)
        }
      })
      const shipSeconds = (Date.now() - t0) / 1000
      const rowsRecorded = async () => (await q(`select count(*)::int as n from channel_feedback where kind = 'shipment' and deleted_at is null`))[0].n
      for (let i = 0; i < 120 && (await rowsRecorded()) < toShip.length - shipFailures.length; i++) await sleep(500)
      const recorded = await rowsRecorded()
      log(`feedback: ${toShip.length - shipFailures.length} shipped in ${shipSeconds.toFixed(0)} s, ${recorded} outbox rows`)
      await Promise.all([cluster.stop("worker_a"), cluster.stop("worker_b")])

      // Delivery on: both workers run a pass, and both are killed in the middle of it.
      await Promise.all([cluster.start("worker_a", "worker"), cluster.start("worker_b", "worker")])
      await tick(queue, FEEDBACK_JOB, 2)
      const states = async () => Object.fromEntries((await q(`select state, count(*)::int as n from channel_feedback where deleted_at is null group by 1`)).map((r) => [r.state, r.n]))
      const t1 = Date.now()
      for (;;) {
        const s = await states()
        if ((s.sending ?? 0) + (s.sent ?? 0) + (s.confirmed ?? 0) > 0) break
        if (Date.now() - t1 > 90_000) throw new Error(`feedback: no delivery started within 90 s (${JSON.stringify(s)})`)
        await sleep(50)
      }
      // Both workers run a pass; each is killed at a random moment of it.
      const d = between(0.2, 1.2)
      await sleep(d * 1000)
      const atKill = await states()
      await cluster.kill("worker_a", { phase: "feedback", after_first_delivery_s: Number(d.toFixed(2)) })
      const d2 = between(0.1, 0.8)
      await sleep(d2 * 1000)
      await cluster.kill("worker_b", { phase: "feedback", after_first_kill_s: Number(d2.toFixed(2)) })
      const stuck = await q(`select f.id, co.external_id, co.channel_id from channel_feedback f join channel_order co on co.id = f.channel_order_id where f.state = 'sending'`)
      const { confirmations: before } = await sims.call("confirmations")
      const kindOf = new Map(Object.entries(ch).map(([k, c]) => [c.id, k]))
      const stuckReached = stuck.filter((r) => (before[kindOf.get(r.channel_id)]?.[r.external_id]?.requests ?? 0) > 0)
      const afterKill = await states()
      await timePasses({ dead: true })
      await Promise.all([cluster.start("worker_a", "worker"), cluster.start("worker_b", "worker")])
      await tick(queue, FEEDBACK_JOB, 2)
      const t2 = Date.now()
      let lastTick = Date.now()
      let s
      for (;;) {
        s = await states()
        if (!(s.pending ?? 0) && !(s.sending ?? 0)) break
        if (Date.now() - t2 > 180_000) break
        if (Date.now() - lastTick > 10_000) {
          await tick(queue, FEEDBACK_JOB, 2)
          lastTick = Date.now()
        }
        await sleep(500)
      }
      const { confirmations } = await sims.call("confirmations")
      const shipped = toShip.filter((o) => o.fulfillment_id)
      const perShipment = shipped.map((o) => ({ ...o, got: confirmations[o.kind][o.external_id] ?? { requests: 0, accepted: 0 } }))
      const exactlyOnce = perShipment.filter((o) => o.got.accepted === 1 && o.got.requests === 1).length
      const doubled = perShipment.filter((o) => o.got.accepted > 1 || o.got.requests > 1)
      const missing = perShipment.filter((o) => o.got.accepted === 0)
      const shippedIds = new Set(shipped.map((o) => `${o.kind}|${o.external_id}`))
      const unexpected = Object.entries(confirmations).flatMap(([k, m]) => Object.keys(m).filter((id) => !shippedIds.has(`${k}|${id}`)).map((id) => `${k} ${id}`))
      metrics.feedback = {
        shipments: shipped.length,
        ship_failures: shipFailures,
        ship_seconds: Number(shipSeconds.toFixed(1)),
        outbox_rows: recorded,
        states_at_kill: atKill,
        states_after_kill: afterKill,
        in_flight_at_kill: stuck.length,
        in_flight_already_received: stuckReached.length,
        final_states: s,
        confirmed_exactly_once: exactlyOnce,
        received_twice: doubled.map((o) => `${o.kind} ${o.external_id}: ${o.got.requests} requests`),
        never_received: missing.map((o) => `${o.kind} ${o.external_id}`),
        unexpected_confirmations: unexpected,
        mirakl_or23: countBy(perShipment.filter((o) => o.kind === "mirakl").map((o) => o.got.tracking ?? 0)),
      }
      summary.shipments_confirmed = exactlyOnce
      summary.feedback_kills = cluster.kills.filter((k) => k.phase === "feedback").length
      summary.confirmations_doubled = doubled.length
      log(`feedback: ${JSON.stringify(metrics.feedback)}`)
      check(
        `feedback: ${shipped.length} shipments, both workers killed mid-delivery (${stuck.length} confirmation(s) in flight, ${stuckReached.length} already at the marketplace) → each marketplace received each confirmation exactly once`,
        shipped.length === 200 && recorded === 200 && exactlyOnce === 200 && !doubled.length && !missing.length && !unexpected.length && !(s.pending ?? 0) && !(s.sending ?? 0) && !(s.failed ?? 0),
        { ...metrics.feedback, states_at_kill: undefined }
      )
      // Still exactly once after everything (the 30 orders of the concurrent imports included).
      const snap = await importSnapshot(db, expected, { full: false })
      summary.orders_imported = snap.imported
      summary.duplicates = (summary.duplicates ?? 0) + snap.duplicates
      summary.lost = Math.max(summary.lost ?? 0, snap.lost)
      check(`end: ${total()} external orders, each exactly one Medusa order`, snap.imported === total() && snap.medusa_orders === total() && !snap.duplicates && !snap.lost, { problems: trim(snap.problems) })
    })
  } catch (e) {
    log(`failed: ${e?.stack ?? e}`)
    results.push({ name: "cluster run", ok: false, detail: { error: String(e?.message ?? e) } })
    for (const f of fs.existsSync(LOGS) ? fs.readdirSync(LOGS).filter((f) => /^(server|worker)/.test(f)) : []) {
      const tail = fs.readFileSync(path.join(LOGS, f), "utf8").split("\n").filter((l) => /error|Error|warn/.test(l)).slice(-8).join("\n")
      if (tail.trim()) console.error(`--- ${f} (last errors) ---\n${tail}`)
    }
  } finally {
    await cleanup()
  }

  const wall = elapsed()
  summary.wall_seconds = Number(wall.toFixed(0))
  results.push({ name: `wall time under ${WALL_LIMIT_S / 60} minutes (${wall.toFixed(0)} s)`, ok: wall < WALL_LIMIT_S, detail: metrics.phases_s })
  metrics.summary = summary
  const boots = cluster.boots.filter((b) => b.mode === "worker").map((b) => b.ms).sort((a, b) => a - b)
  if (boots.length) summary.worker_boot_s = { min: +(boots[0] / 1000).toFixed(1), median: +(boots[boots.length >> 1] / 1000).toFixed(1), max: +(boots[boots.length - 1] / 1000).toFixed(1), starts: boots.length }
  metrics.wall_seconds = Number(wall.toFixed(1))
  const passed = results.filter((r) => r.ok).length
  const failed = results.length - passed
  fs.writeFileSync(
    path.join(RESULTS_DIR, "cluster.json"),
    JSON.stringify(
      {
        numPassedTests: passed,
        numFailedTests: failed,
        numPendingTests: 0,
        numRuntimeErrorTestSuites: 0,
        testResults: results.map((r) => ({ name: r.name, status: r.ok ? "passed" : "failed", detail: r.detail })),
      },
      null,
      2
    )
  )
  fs.writeFileSync(path.join(RESULTS_DIR, "cluster.metrics.json"), JSON.stringify(metrics, null, 2))
  console.log(`CLUSTER SUMMARY ${JSON.stringify(summary)}`)
  for (const r of results) console.log(`${r.ok ? "✓" : "✗"} ${r.name}`)
  console.log(`${passed} passed, ${failed} failed`)
  return failed ? 1 : 0
}

// ------------------------------------------------------------------------------------- helpers

/** A canonical sandbox order (its marketplace stamps the time); every fifth arrives on hold. */
function sandboxOrder(externalId, skus, i, email = `${externalId.toLowerCase()}@buyers.example`) {
  const lines = [
    [skus[i % skus.length], 1 + (i % 2)],
    [skus[(i + 5) % skus.length], 1],
  ]
  const address = { first_name: "Ada", last_name: "Lovelace", address_1: "Hauptstraße 1", city: "Berlin", postal_code: "10115", country_code: "de", phone: "+49 30 1234567" }
  const status = i % 5 === 4 ? "on_hold" : "paid"
  return {
    external_id: externalId,
    status,
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
    currency_code: "eur",
    email,
    customer: { first_name: "Ada", last_name: "Lovelace", phone: address.phone },
    shipping_address: address,
    billing_address: address,
    items: lines.map(([sku, quantity], l) => ({ external_id: `${externalId}-L${l + 1}`, sku, title: `Item ${sku}`, quantity, unit_price: 20, tax_total: 0, discount_total: 0 })),
    shipping: { service_code: "standard", name: "Standard", price: 4.9 },
    fulfilled_by_marketplace: false,
    payment_status: "paid",
    custom_fields: {},
  }
}

function pick(o, keys) {
  return Object.fromEntries(keys.filter((k) => o?.[k] !== undefined).map((k) => [k, o[k]]))
}

function countBy(xs) {
  const m = {}
  for (const x of xs) m[x] = (m[x] ?? 0) + 1
  return m
}

function trim(problems) {
  return Object.fromEntries(Object.entries(problems).map(([k, v]) => [k, v.slice(0, 15)]))
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e)
    console.log("0 passed, 1 failed")
    process.exit(1)
  }
)
