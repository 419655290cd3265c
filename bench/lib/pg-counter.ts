import path from "node:path"

/**
 * Counts database round trips by wrapping `pg`'s `Client.prototype.query`, which every query of
 * Medusa (MikroORM → knex → pg) and of the plugin (knex raw, manager.execute) goes through, including
 * BEGIN/COMMIT/SAVEPOINT. Patching the prototype also covers clients that already exist.
 * Besides the count it sums the wall time each query waited for its answer (`wait_ms`): with one
 * order in flight that is roughly the time spent in PostgreSQL plus the socket.
 */
export type PgCounter = {
  queries: number
  wait_ms: number
  /** When set, every query is also counted under a short key (verb + table) here. */
  byStatement: Map<string, { count: number; wait_ms: number }> | null
}

export const pgCounter: PgCounter = { queries: 0, wait_ms: 0, byStatement: null }

/** "select … from "order" as o0 …" → `select order`; BEGIN/COMMIT/SAVEPOINT keep their verb. */
export function statementKey(text: string): string {
  const t = text.replace(/\s+/g, " ").trim()
  const verb = (t.match(/^\w+/)?.[0] ?? "?").toLowerCase()
  const table = (re: RegExp) => t.match(re)?.[1]?.replace(/"/g, "")
  let target: string | undefined
  if (verb === "select" || verb === "with") target = table(/ from ("?[\w.]+"?)/i)
  else if (verb === "insert") target = table(/^insert into ("?[\w.]+"?)/i)
  else if (verb === "update") target = table(/^update ("?[\w.]+"?)/i)
  else if (verb === "delete") target = table(/^delete from ("?[\w.]+"?)/i)
  else if (verb === "savepoint" || verb === "release" || verb === "rollback") return verb
  const locking = verb === "select" && / for update/i.test(t) ? " for update" : ""
  return target ? `${verb} ${target}${locking}` : verb
}

const MARK = Symbol.for("medusa-channel-orders.bench.pg-counter")

export function installPgCounter(): string[] {
  const patched: string[] = []
  const roots = [process.cwd()]
  for (const pkg of ["knex/package.json", "@mikro-orm/postgresql/package.json", "@mikro-orm/knex/package.json"]) {
    try {
      roots.push(path.dirname(require.resolve(pkg, { paths: [process.cwd()] })))
    } catch {
      // not installed: nothing to patch there
    }
  }
  for (const from of roots) {
    let resolved: string
    try {
      resolved = require.resolve("pg", { paths: [from] })
    } catch {
      continue
    }
    const pg = require(resolved)
    const proto = pg?.Client?.prototype
    if (!proto || proto[MARK]) continue
    const original = proto.query
    proto.query = function patchedQuery(this: unknown, ...args: any[]) {
      pgCounter.queries++
      const started = performance.now()
      let entry: { count: number; wait_ms: number } | undefined
      if (pgCounter.byStatement) {
        const text = typeof args[0] === "string" ? args[0] : String(args[0]?.text ?? "")
        const key = statementKey(text)
        entry = pgCounter.byStatement.get(key)
        if (!entry) pgCounter.byStatement.set(key, (entry = { count: 0, wait_ms: 0 }))
        entry.count++
      }
      const done = () => {
        const ms = performance.now() - started
        pgCounter.wait_ms += ms
        if (entry) entry.wait_ms += ms
      }
      const last = args[args.length - 1]
      if (typeof last === "function") {
        args[args.length - 1] = function (this: unknown, ...cbArgs: unknown[]) {
          done()
          return last.apply(this, cbArgs)
        }
        return original.apply(this, args)
      }
      const result = original.apply(this, args)
      // A submittable (pg-cursor, pg-query-stream) returns itself: counted, not timed.
      if (result && typeof result.then === "function") result.then(done, done)
      return result
    }
    proto[MARK] = true
    patched.push(resolved)
  }
  return patched
}
