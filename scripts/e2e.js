#!/usr/bin/env node
/**
 * `npm run test:e2e`: the admin extensions in a real, headless Chromium.
 *
 *  1. a fresh database (scripts/with-postgres.js: the local PostgreSQL, or an embedded one);
 *  2. `medusa db:migrate` and the demo seed (store, admin user, "Sandbox Marketplace" channel);
 *  3. the dev store: `medusa start` with NODE_ENV=development, which is what `medusa develop`
 *     runs, minus its file watcher (the tests write screenshots, which would restart it);
 *  4. the flows in e2e/*.e2e.js, driven by playwright-core with Debian's /usr/bin/chromium;
 *  5. stops the store, drops the database, prints "N passed, N failed".
 *
 * Installs nothing: CI runs scripts/e2e-deps.sh first. Screenshots go to e2e/screenshots/
 * (git-ignored); E2E_UPDATE_DOCS=1 also refreshes the three in docs/screenshots/.
 * E2E_KEEP=1 leaves the store running after the tests (Ctrl+C to stop).
 */
const { spawn } = require("node:child_process")
const fs = require("node:fs")
const path = require("node:path")
const { ensurePostgres, createDatabaseIfMissing, dropDatabases } = require("./with-postgres")

process.env.MEDUSA_DISABLE_TELEMETRY = process.env.MEDUSA_DISABLE_TELEMETRY || "true"
const ROOT = path.resolve(__dirname, "..")
const BIN = (name) => path.join(ROOT, "node_modules", ".bin", name)
const CLI = path.join(ROOT, "node_modules", "@medusajs", "cli", "cli.js")
const WORK = path.join(ROOT, ".medusa", "e2e")
const SHOTS = path.join(ROOT, "e2e", "screenshots")
const RESULTS = path.join(ROOT, ".medusa", "test-results", "e2e.json")
const started = Date.now()
const log = (m) => console.error(`[e2e ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${m}`)

const proc = require("./lib/proc")
const { freePort, waitFor, stopTree } = proc
const run = (cmd, args, env, logFile) => proc.run(cmd, args, { cwd: ROOT, env, logFile })

function writeResults(results) {
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true })
  const passed = results.filter((r) => r.ok).length
  const failed = results.length - passed
  fs.writeFileSync(
    RESULTS,
    JSON.stringify(
      {
        numPassedTests: passed,
        numFailedTests: failed,
        numPendingTests: 0,
        numRuntimeErrorTestSuites: 0,
        testResults: results.map((r) => ({ name: r.name, status: r.ok ? "passed" : "failed", duration: r.ms, error: r.error })),
      },
      null,
      2
    )
  )
}

async function main() {
  fs.mkdirSync(WORK, { recursive: true })
  fs.rmSync(SHOTS, { recursive: true, force: true })
  fs.mkdirSync(SHOTS, { recursive: true })
  const serverLog = path.join(WORK, "server.log")
  const setupLog = path.join(WORK, "setup.log")
  fs.writeFileSync(serverLog, "")
  fs.writeFileSync(setupLog, "")

  if (!fs.existsSync(process.env.CHROMIUM_PATH || "/usr/bin/chromium")) {
    throw new Error("Chromium is missing: run `bash scripts/e2e-deps.sh` (installs Debian's chromium)")
  }

  const pg = await ensurePostgres({ log })
  const dbName = `medusa_channel_orders_e2e_${Date.now().toString(36)}_${process.pid}`
  let server = null
  let results = []
  const cleanup = async () => {
    await stopTree(server)
    await dropDatabases(pg.target, [dbName]).catch(() => {})
    await pg.stop()
  }
  const onSignal = (code) => () => cleanup().then(() => process.exit(code))
  process.once("SIGINT", onSignal(130))
  process.once("SIGTERM", onSignal(143))

  try {
    await createDatabaseIfMissing(pg.target, dbName)
    const port = await freePort([Number(process.env.E2E_PORT) || 9410, 9411, 9412, 9413])
    const base = `http://localhost:${port}`
    const env = {
      ...pg.env,
      DATABASE_URL: `${pg.env.DB_BASE_URL}/${dbName}`,
      MEDUSA_BACKEND_URL: base,
      ADMIN_CORS: base,
      AUTH_CORS: base,
      STORE_CORS: base,
      PORT: String(port),
    }
    log(`database ${dbName}; migrating`)
    if ((await run(BIN("medusa"), ["db:migrate"], env, setupLog)) !== 0) throw new Error(`medusa db:migrate failed, see ${setupLog}`)
    log("seeding the demo store")
    if ((await run(BIN("medusa"), ["exec", "./src/scripts/seed.ts"], env, setupLog)) !== 0) throw new Error(`seeding failed, see ${setupLog}`)

    log(`starting the dev store on ${base}`)
    const out = fs.openSync(serverLog, "a")
    server = spawn(process.execPath, [CLI, "start", "--port", String(port)], {
      cwd: ROOT,
      env: { ...process.env, ...env, NODE_ENV: "development" },
      stdio: ["ignore", out, out],
      detached: true,
    })
    await waitFor(`${base}/health`, { timeoutMs: 180_000, child: server })
    await waitFor(`${base}/app/login`, { timeoutMs: 120_000, child: server, isUp: (r) => r.status === 200 })
    log("store is up")

    const { runSuites } = require(path.join(ROOT, "e2e", "harness.js"))
    results = await runSuites({ base, root: ROOT, shots: SHOTS, log })
  } catch (e) {
    log(`setup failed: ${e?.stack ?? e}`)
    results.push({ name: "e2e setup", ok: false, ms: 0, error: String(e?.message ?? e) })
    try {
      const tail = fs.readFileSync(serverLog, "utf8").split("\n").slice(-40).join("\n")
      if (tail.trim()) console.error(`--- last lines of ${serverLog} ---\n${tail}`)
    } catch {}
  } finally {
    if (process.env.E2E_KEEP === "1" && server) {
      log("E2E_KEEP=1: the store keeps running; Ctrl+C to stop")
      await new Promise((resolve) => process.once("SIGINT", resolve))
    }
    await cleanup()
  }

  writeResults(results)
  const passed = results.filter((r) => r.ok).length
  const failed = results.length - passed
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; screenshots in ${path.relative(ROOT, SHOTS)}/`)
  console.log(`${passed} passed, ${failed} failed`)
  return failed ? 1 : 0
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e)
    console.log("0 passed, 1 failed")
    process.exit(1)
  }
)
