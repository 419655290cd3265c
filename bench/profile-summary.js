#!/usr/bin/env node
/**
 * Summarises a V8 CPU profile (.cpuprofile, from `npm run bench -- --profile` or `-- --cpu-prof`):
 * self time grouped into coarse categories and by package, then the top functions by self time.
 *
 *   node bench/profile-summary.js <file.cpuprofile> [--top 25] [--json]
 *
 * Self time of a sample is the gap to the next sample. Frames without a script (V8 builtins such as
 * JSON.stringify, RegExp code, native bindings) are charged to the package of the nearest JavaScript
 * caller, so "pg" includes the builtins pg calls; GC, idle and "(program)" stay separate.
 * Packages: the last node_modules/<name> (or @scope/name) in the script's path; this repo's files
 * are "plugin src/<dir>/<subdir>" and "bench"; Node's own modules are "node:internal".
 */
const fs = require("node:fs")
const path = require("node:path")

function parseArgs(argv) {
  const out = { file: null, top: 25, json: false }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === "--top") out.top = Number(argv[++i])
    else if (a === "--json") out.json = true
    else if (!out.file) out.file = a
  }
  if (!out.file) {
    console.error("usage: node bench/profile-summary.js <file.cpuprofile> [--top 25] [--json]")
    process.exit(2)
  }
  return out
}

const ROOT = path.resolve(__dirname, "..")
const SPECIAL = new Set(["(garbage collector)", "(program)", "(idle)", "(root)"])

function packageOf(url) {
  if (!url) return null
  let p = url
  if (p.startsWith("file://")) p = decodeURIComponent(p.slice("file://".length))
  if (p.startsWith("node:")) return "node:internal"
  const nm = p.lastIndexOf("/node_modules/")
  if (nm >= 0) {
    const rest = p.slice(nm + "/node_modules/".length).split("/")
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]
  }
  if (p.startsWith(ROOT + "/")) {
    const rel = p.slice(ROOT.length + 1).split("/")
    if (rel[0] === "src") return `plugin src/${rel.slice(1, 3).filter((s) => !s.includes(".")).join("/") || rel[1]}`
    if (rel[0] === "bench") return "bench"
    return `repo ${rel[0]}`
  }
  if (!p.includes("/")) return "node:internal"
  return "other"
}

/** Coarse buckets, to say where the time goes in one breath. */
const CATEGORIES = [
  ["workflow engine", (p) => /^@medusajs\/(orchestration|workflows-sdk|workflow-engine-)/.test(p)],
  ["ORM + SQL building (MikroORM, knex)", (p) => /^@mikro-orm\//.test(p) || ["knex", "tarn", "sqlstring"].includes(p)],
  ["pg driver", (p) => /^(pg|pg-.*|postgres-.*)$/.test(p)],
  ["Medusa utils (services, decorators, serializer, BigNumber)", (p) => ["@medusajs/utils", "bignumber.js", "lodash", "awilix", "ulid"].includes(p)],
  ["remote query / links", (p) => ["@medusajs/query", "@medusajs/link-modules", "@medusajs/modules-sdk", "dataloader", "graphql"].includes(p)],
  ["Medusa modules + core flows", (p) => /^@medusajs\//.test(p)],
  ["plugin (src) + bench", (p) => p.startsWith("plugin ") || p === "bench" || p.startsWith("repo ")],
  ["Node internals (sockets, timers, promises)", (p) => p === "node:internal" || p === "(native)"],
  ["garbage collector", (p) => p === "(garbage collector)"],
]
const categoryOf = (pkg) => (CATEGORIES.find(([, test]) => test(pkg)) ?? ["other"])[0]

function shortFile(url) {
  let p = url || ""
  if (p.startsWith("file://")) p = decodeURIComponent(p.slice("file://".length))
  const nm = p.lastIndexOf("/node_modules/")
  if (nm >= 0) return p.slice(nm + "/node_modules/".length)
  if (p.startsWith(ROOT + "/")) return p.slice(ROOT.length + 1)
  return p
}

function summarise(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)

  // Self time per node id, in microseconds.
  const self = new Map()
  const { samples = [], timeDeltas = [] } = profile
  let t = profile.startTime
  const stamps = samples.map((_, i) => (t += timeDeltas[i] ?? 0))
  for (let i = 0; i < samples.length; i++) {
    const next = i + 1 < samples.length ? stamps[i + 1] : profile.endTime
    const dt = Math.max(0, next - stamps[i])
    self.set(samples[i], (self.get(samples[i]) ?? 0) + dt)
  }

  // The package a node's time is charged to (nearest ancestor with a script for builtins).
  const chargeCache = new Map()
  const chargeOf = (id) => {
    if (chargeCache.has(id)) return chargeCache.get(id)
    const n = nodes.get(id)
    const name = n.callFrame.functionName
    let result
    if (SPECIAL.has(name)) result = name
    else {
      const pkg = packageOf(n.callFrame.url)
      if (pkg) result = pkg
      else {
        const p = parent.get(id)
        result = p === undefined ? "(native)" : chargeOf(p)
        if (result && SPECIAL.has(result) && result !== "(garbage collector)") result = "(native)"
      }
    }
    chargeCache.set(id, result)
    return result
  }

  const total = [...self.values()].reduce((a, b) => a + b, 0)
  const idle = [...self.entries()].filter(([id]) => nodes.get(id).callFrame.functionName === "(idle)").reduce((a, [, v]) => a + v, 0)
  const byPackage = new Map()
  const byFunction = new Map()
  for (const [id, us] of self) {
    if (!us) continue
    const n = nodes.get(id)
    const pkg = chargeOf(id)
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us)
    const cf = n.callFrame
    const key = `${cf.functionName || "(anonymous)"}\u0000${cf.url}\u0000${cf.lineNumber}`
    const entry = byFunction.get(key) ?? { function: cf.functionName || "(anonymous)", package: pkg, where: cf.url ? `${shortFile(cf.url)}:${cf.lineNumber + 1}` : "(builtin)", us: 0 }
    entry.us += us
    byFunction.set(key, entry)
  }
  const byCategory = new Map()
  for (const [pkg, us] of byPackage) if (pkg !== "(idle)") byCategory.set(categoryOf(pkg), (byCategory.get(categoryOf(pkg)) ?? 0) + us)
  const busy = total - idle
  const pct = (us) => Math.round((us / busy) * 1000) / 10
  return {
    total_ms: Math.round(total / 1000),
    busy_ms: Math.round(busy / 1000),
    idle_ms: Math.round(idle / 1000),
    categories: [...byCategory.entries()].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ category: name, self_ms: Math.round(us / 1000), pct_of_busy: pct(us) })),
    packages: [...byPackage.entries()]
      .filter(([k]) => k !== "(idle)")
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({ package: name, self_ms: Math.round(us / 1000), pct_of_busy: pct(us) })),
    functions: [...byFunction.values()]
      .filter((f) => f.function !== "(idle)")
      .sort((a, b) => b.us - a.us)
      .map((f) => ({ function: f.function, package: f.package, where: f.where, self_ms: Math.round(f.us / 1000), pct_of_busy: pct(f.us) })),
  }
}

function main() {
  const args = parseArgs(process.argv.slice(2))
  const profile = JSON.parse(fs.readFileSync(args.file, "utf8"))
  const s = summarise(profile)
  if (args.json) {
    console.log(JSON.stringify({ ...s, packages: s.packages.slice(0, args.top), functions: s.functions.slice(0, args.top) }, null, 2))
    return
  }
  console.log(`${args.file}: ${s.total_ms} ms sampled, ${s.busy_ms} ms busy, ${s.idle_ms} ms idle (waiting on I/O)\n`)
  console.log("Self time by category (% of busy time):")
  for (const c of s.categories) console.log(`  ${String(c.pct_of_busy).padStart(5)}%  ${String(c.self_ms).padStart(7)} ms  ${c.category}`)
  console.log("\nSelf time by package (% of busy time):")
  for (const p of s.packages.slice(0, args.top)) console.log(`  ${String(p.pct_of_busy).padStart(5)}%  ${String(p.self_ms).padStart(7)} ms  ${p.package}`)
  console.log(`\nTop ${args.top} functions by self time:`)
  for (const f of s.functions.slice(0, args.top)) {
    console.log(`  ${String(f.pct_of_busy).padStart(5)}%  ${String(f.self_ms).padStart(7)} ms  ${f.function}  [${f.package}]  ${f.where}`)
  }
}

if (require.main === module) main()
module.exports = { summarise, packageOf }
