#!/usr/bin/env node
/**
 * The entry point of every npm script that needs PostgreSQL (see scripts/with-postgres.js):
 *   node scripts/run.js test [unit|integration:modules|integration:http] [jest args…]
 *   node scripts/run.js demo [--reset]  the demo: its marketplaces, a persistent database, seed, `medusa develop`
 *   node scripts/run.js exec <script>   `medusa exec <script>` against the demo database
 *   node scripts/run.js db-generate     `medusa plugin:db:generate`
 *   node scripts/run.js bench [args…]   the import benchmark
 */
const { spawn, fork } = require("node:child_process")
process.env.MEDUSA_DISABLE_TELEMETRY = process.env.MEDUSA_DISABLE_TELEMETRY || "true"
const fs = require("node:fs")
const path = require("node:path")
const { ensurePostgres, listDatabases, createDatabaseIfMissing, dropDatabases } = require("./with-postgres")

const ROOT = path.resolve(__dirname, "..")
const BIN = (name) => path.join(ROOT, "node_modules", ".bin", name)
const TEST_KINDS = ["unit", "integration:modules", "integration:http"]
const DEMO_DB = process.env.DEMO_DB_NAME || "medusa_channel_orders_demo"
const RESULTS_DIR = path.join(ROOT, ".medusa", "test-results")

function run(cmd, args, env, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, ...env }, ...opts })
    const forward = (sig) => child.kill(sig)
    process.on("SIGINT", forward)
    process.on("SIGTERM", forward)
    child.on("exit", (code, signal) => {
      process.off("SIGINT", forward)
      process.off("SIGTERM", forward)
      resolve(code ?? (signal ? 1 : 0))
    })
  })
}

/**
 * Like run(), for `medusa develop`: it forks the actual server and, on Ctrl+C, exits without stopping
 * that child (a terminal's Ctrl+C reaches the whole group, a signal sent to this runner does not). So
 * it runs in a process group of its own, which gets every signal and is cleared when it exits.
 */
function runGroup(cmd, args, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, ...env }, detached: true })
    const toGroup = (sig) => {
      try {
        process.kill(-child.pid, sig)
      } catch {}
    }
    const forward = (sig) => toGroup(sig)
    process.on("SIGINT", forward)
    process.on("SIGTERM", forward)
    child.on("exit", (code, signal) => {
      process.off("SIGINT", forward)
      process.off("SIGTERM", forward)
      toGroup("SIGTERM")
      resolve(code ?? (signal ? 1 : 0))
    })
  })
}

/**
 * The HTTP suites of the second Jest (see test()): those that bring their own Medusa processes,
 * databases or clock (crash, equivalence, faults), and the marketplace suites, which share nothing
 * with the others either. Chosen so both halves take about as long.
 */
const ISOLATED_HTTP_SUITES = "integration-tests/http/(import-crash|import-equivalence|marketplace-faults|marketplace-amazon|marketplace-ebay|marketplace-mirakl|money-marketplaces|feedback-marketplaces)\\.spec\\.ts$"

/**
 * One test file at a time. The HTTP suites boot a whole Medusa app per file, and a single in-band
 * process keeps some of each (it passed 4 GB of heap after ~20 suites): they run in one Jest worker
 * that is replaced whenever it holds more than 1.5 GB between files.
 */
function inBandArgs(kind) {
  return kind === "integration:http" ? ["--maxWorkers=1", "--workerIdleMemoryLimit=1536MB"] : ["--runInBand"]
}

async function test(pg, kinds, jestArgs) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true })
  const before = new Set(await listDatabases(pg.target))
  let failed = 0
  try {
    for (const kind of kinds) {
      const started = Date.now()
      const jest = (name, args) => {
        const outputFile = path.join(RESULTS_DIR, `${name}.json`)
        fs.rmSync(outputFile, { force: true })
        return run(
          process.execPath,
          [BIN("jest"), ...inBandArgs(kind), "--forceExit", "--silent=false", "--json", `--outputFile=${outputFile}`, "--passWithNoTests", ...args],
          { ...pg.env, TEST_TYPE: kind, NODE_OPTIONS: "--experimental-vm-modules --max-old-space-size=4096", NODE_ENV: "test" }
        ).then((code) => {
          // Jest cannot write its JSON when a failure holds a circular object (an Axios error's
          // req/res): the summary must still count that half as failed, not leave it out.
          if (!fs.existsSync(outputFile)) {
            fs.writeFileSync(outputFile, JSON.stringify({ numPassedTests: 0, numFailedTests: code === 0 ? 0 : 1, numRuntimeErrorTestSuites: 0, note: "Jest wrote no results; see its log" }))
          }
          return code
        })
      }
      const name = kind.replace(":", "-")
      fs.rmSync(path.join(RESULTS_DIR, `${name}-isolated.json`), { force: true })
      console.error(`\n=== ${kind} tests ===`)
      let codes
      if (kind === "integration:http" && !jestArgs.length) {
        // Two Jests side by side (ISOLATED_HTTP_SUITES in the second), so the HTTP suite uses both
        // cores of a CI machine; every suite has its own database, so they share nothing.
        codes = await Promise.all([
          jest(name, ["--testPathIgnorePatterns", "/node_modules/", ISOLATED_HTTP_SUITES]),
          jest(`${name}-isolated`, [ISOLATED_HTTP_SUITES]),
        ])
      } else {
        codes = [await jest(name, jestArgs)]
      }
      const code = codes.find((c) => c !== 0) ?? 0
      console.error(`=== ${kind}: exit ${code} in ${((Date.now() - started) / 1000).toFixed(1)} s ===`)
      if (code !== 0) failed++
    }
  } finally {
    // The HTTP runner drops its own per-run database; the module runner leaves its database behind,
    // so drop that one (only ours, so a concurrent run elsewhere on the server is never touched).
    // Only the module runner's own name (medusa-channel-integration-<jest worker>): the equivalence
    // suite's databases (…-integration-eq-…) may belong to a run going on next to this one.
    if (kinds.includes("integration:modules")) {
      const leftover = (await listDatabases(pg.target)).filter((d) => !before.has(d) && /^medusa-channel-integration-\d+$/.test(d))
      await dropDatabases(pg.target, leftover)
    }
  }
  return failed ? 1 : 0
}

async function prepareDemoDatabase(pg) {
  const created = await createDatabaseIfMissing(pg.target, DEMO_DB)
  const env = { ...pg.env, DATABASE_URL: `${pg.env.DB_BASE_URL}/${DEMO_DB}` }
  const migrate = await run(BIN("medusa"), ["db:migrate"], env)
  if (migrate !== 0) throw new Error("medusa db:migrate failed")
  return { env, created }
}

/**
 * The import benchmark (bench/README.md): a fresh database, migrated, then bench/import-bench.ts run
 * as an exec script with the bench's options in BENCH_ARGS, then the database is dropped.
 * `--cpu-prof` profiles the whole bench process with node --cpu-prof.
 */
async function bench(pg, args) {
  // A bench stopped with Ctrl-C leaves its database; drop those whose runner process is gone.
  const alive = (pid) => {
    try {
      process.kill(pid, 0)
      return true
    } catch (e) {
      return e.code === "EPERM"
    }
  }
  const stale = (await listDatabases(pg.target)).filter((d) => {
    const m = /^medusa_channel_orders_bench_[a-z0-9]+_(\d+)$/.exec(d)
    return m && !alive(Number(m[1]))
  })
  await dropDatabases(pg.target, stale)
  const db = `medusa_channel_orders_bench_${Date.now().toString(36)}_${process.pid}`
  await createDatabaseIfMissing(pg.target, db)
  const env = { ...pg.env, DATABASE_URL: `${pg.env.DB_BASE_URL}/${db}`, LOG_LEVEL: process.env.LOG_LEVEL || "warn" }
  try {
    console.error(`[bench] database ${db}: migrating…`)
    const migrate = await run(BIN("medusa"), ["db:migrate"], env)
    if (migrate !== 0) throw new Error("medusa db:migrate failed")
    // node itself runs the medusa CLI, so the bench process gets flags NODE_OPTIONS refuses (--cpu-prof).
    // BENCH_NODE_FLAGS: extra V8/node flags for a diagnostic run (e.g. --trace-gc-nvp).
    const heapMb = benchHeapMb(args)
    const nodeFlags = [
      "--expose-gc",
      ...(heapMb > 0 ? [`--max-old-space-size=${heapMb}`] : []),
      ...(process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean),
    ]
    if (args.includes("--cpu-prof")) {
      const profileDir = path.join(ROOT, ".medusa", "bench")
      fs.mkdirSync(profileDir, { recursive: true })
      nodeFlags.push("--cpu-prof", `--cpu-prof-dir=${profileDir}`)
    }
    // bench/launch.js boots like `medusa exec` minus the CLI's ts-node (which loads `domain`, a
    // per-promise cost production servers do not pay); `--launcher medusa-exec` uses the CLI itself.
    const viaCli = args.join(" ").includes("--launcher medusa-exec") || args.includes("--launcher=medusa-exec")
    const entry = viaCli ? [fs.realpathSync(BIN("medusa")), "exec"] : [path.join(ROOT, "bench", "launch.js")]
    return await run(process.execPath, [...nodeFlags, ...entry, "./bench/import-bench.ts"], { ...env, BENCH_ARGS: JSON.stringify(args) })
  } finally {
    await dropDatabases(pg.target, [db])
  }
}

/**
 * The bench process's V8 heap limit: `--heap-mb N`, default 1024 (what Node gives itself in a 4 GB
 * container); `--heap-mb 0` leaves V8's own default, a quarter of the host's memory up to 4 GB.
 * Pinned because peak RSS follows it: V8 lets the heap grow up to 4x its live size between major
 * GCs when the limit is 2 GB or more, and at most 1.3-2x below that (bench/README.md, "Why peak RSS
 * moves"), so an unpinned bench would report a different peak on every host.
 */
function benchHeapMb(args) {
  const i = args.findIndex((a) => a === "--heap-mb" || a.startsWith("--heap-mb="))
  if (i < 0) return 1024
  const raw = args[i].includes("=") ? args[i].slice(args[i].indexOf("=") + 1) : args[i + 1]
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0) throw new Error(`--heap-mb takes a whole number of MB (0: V8's default), got ${raw}`)
  return n
}

/**
 * `npm run demo [-- --reset]` (issue 20). Everything it keeps lives in `.demo/` (git-ignored, or
 * CHANNEL_ORDERS_DEMO_DIR): the embedded PostgreSQL's data when no PostgreSQL answers (kept between
 * runs), and the marketplaces' start time, from which their order book is rebuilt. With a
 * PostgreSQL that answers, the demo database is `medusa_channel_orders_demo` on it. `--reset`
 * throws both away first.
 *
 *   1. the Amazon, eBay and Mirakl simulators start in a process of their own (demo/host.js);
 *   2. migrations, then src/scripts/seed-demo.ts: the store, the sandbox channel, the seed-002
 *      rules, and a channel per marketplace pointed at the simulators;
 *   3. `medusa develop` (DEMO_PORT, default 9000) until Ctrl+C, which stops everything.
 */
async function demo(args) {
  const reset = args.includes("--reset")
  const dir = path.resolve(process.env.CHANNEL_ORDERS_DEMO_DIR || path.join(ROOT, ".demo"))
  const pgDir = path.join(dir, "postgres")
  const stateFile = path.join(dir, "state.json")
  if (reset) {
    fs.rmSync(pgDir, { recursive: true, force: true })
    fs.rmSync(stateFile, { force: true })
  }
  fs.mkdirSync(dir, { recursive: true })
  // As root, the embedded PostgreSQL runs as the postgres user, who must be able to reach its data.
  if (process.getuid?.() === 0) fs.chmodSync(dir, 0o755)
  const pg = await ensurePostgres({ persistentDir: pgDir })
  let host = null
  let stopping = false
  const stopAll = async () => {
    if (stopping) return
    stopping = true
    if (host?.connected) host.kill("SIGTERM")
    await pg.stop()
  }
  // run() hands a signal to the step in progress and the `finally` below cleans up; a second one gives up waiting.
  let signals = 0
  const onSignal = (code) => () => {
    if (++signals > 1) stopAll().then(() => process.exit(code))
  }
  process.on("SIGINT", onSignal(130))
  process.on("SIGTERM", onSignal(143))
  try {
    if (reset && !pg.embedded) await dropDatabases(pg.target, [DEMO_DB])
    let state = fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, "utf8")) : null
    if (!state?.epoch) {
      state = { epoch: new Date().toISOString() }
      fs.writeFileSync(stateFile, JSON.stringify(state, null, 2) + "\n")
    }

    // The demo folder as an argument only names the process (ps, and the demo test's leftover check).
    host = fork(path.join(ROOT, "demo", "host.js"), [dir], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit", "ipc"] })
    const call = (cmd, callArgs) =>
      new Promise((resolve, reject) => {
        const id = Math.random()
        const onMessage = (m) => {
          if (m.id !== id) return
          host.off("message", onMessage)
          m.error ? reject(new Error(m.error)) : resolve(m.result)
        }
        host.on("message", onMessage)
        host.once("exit", (code) => reject(new Error(`the demo marketplaces stopped (exit ${code})`)))
        host.send({ id, cmd, args: callArgs })
      })
    const marketplaces = await call("start", { epoch: state.epoch })

    const { env } = await prepareDemoDatabase(pg)
    const seeded = await run(BIN("medusa"), ["exec", "./src/scripts/seed-demo.ts"], { ...env, CHANNEL_ORDERS_DEMO_MARKETPLACES: JSON.stringify(marketplaces) })
    if (seeded !== 0) return seeded
    const port = process.env.DEMO_PORT || "9000"
    console.log(`\n  Admin:         http://localhost:${port}/app`)
    console.log("  Login:         admin@channel-orders.test / supersecret")
    console.log(`  Marketplaces:  Amazon ${marketplaces.amazon.settings.base_url} · eBay ${marketplaces.ebay.settings.base_url} · Mirakl ${marketplaces.mirakl.settings.base_url}`)
    console.log(`  Kept in:       ${pg.embedded ? pgDir : `database ${DEMO_DB}`} (npm run demo -- --reset starts clean)\n`)
    return await runGroup(BIN("medusa"), ["develop", "--port", port], { ...env, CHANNEL_ORDERS_DEMO: "1" })
  } catch (e) {
    // Ctrl+C while migrating or seeding fails that step: that is the stop asked for, not an error.
    if (signals > 0) return 130
    throw e
  } finally {
    await stopAll()
  }
}

async function main() {
  const [command, ...rest] = process.argv.slice(2)
  if (!command) {
    console.error("usage: node scripts/run.js <test|demo|exec|db-generate|bench> …")
    return 2
  }
  if (command === "demo") return demo(rest)
  const pg = await ensurePostgres()
  const stop = async () => {
    await pg.stop()
  }
  process.on("SIGINT", () => stop().then(() => process.exit(130)))
  process.on("SIGTERM", () => stop().then(() => process.exit(143)))
  try {
    switch (command) {
      case "test": {
        const kinds = rest[0] && TEST_KINDS.includes(rest[0]) ? [rest.shift()] : TEST_KINDS
        return await test(pg, kinds, rest)
      }
      case "exec": {
        const { env } = await prepareDemoDatabase(pg)
        return await run(BIN("medusa"), ["exec", ...rest], env)
      }
      case "db-generate":
        return await run(BIN("medusa"), ["plugin:db:generate"], pg.env)
      case "bench":
        return await bench(pg, rest)
      default:
        console.error(`unknown command ${command}`)
        return 2
    }
  } finally {
    await stop()
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e)
    process.exit(1)
  }
)
