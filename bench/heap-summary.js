#!/usr/bin/env node
/**
 * What grew between two V8 heap snapshots (from `npm run bench -- --heap-snapshot`): objects grouped
 * by constructor/type name, with count and self size in each snapshot and the difference, biggest
 * growth first. Self sizes only (no retained sizes), which is enough to see what piles up.
 *
 *   node bench/heap-summary.js <before.heapsnapshot> <after.heapsnapshot> [--top 30]
 *   node bench/heap-summary.js <one.heapsnapshot> [--top 30]
 */
const fs = require("node:fs")

function groups(file) {
  const snap = JSON.parse(fs.readFileSync(file, "utf8"))
  const meta = snap.snapshot.meta
  const fields = meta.node_fields
  const types = meta.node_types[0]
  const width = fields.length
  const iType = fields.indexOf("type")
  const iName = fields.indexOf("name")
  const iSize = fields.indexOf("self_size")
  const out = new Map()
  const nodes = snap.nodes
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + iType]]
    let name = snap.strings[nodes[i + iName]]
    // Strings, code and numbers are grouped by type; objects and closures by constructor name.
    if (type === "string" || type === "concatenated string" || type === "sliced string") name = "(string)"
    else if (type === "code") name = "(compiled code)"
    else if (type === "number" || type === "hidden" || type === "array") name = `(${type}) ${type === "array" ? "" : name}`.trim()
    else if (type === "closure") name = `(closure) ${name}`
    else if (type !== "object" && type !== "native") name = `(${type})`
    const g = out.get(name) ?? { count: 0, size: 0 }
    g.count++
    g.size += nodes[i + iSize]
    out.set(name, g)
  }
  return out
}

const args = process.argv.slice(2)
const topAt = args.indexOf("--top")
const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 30
const files = args
if (!files.length) {
  console.error("usage: node bench/heap-summary.js <before.heapsnapshot> [<after.heapsnapshot>] [--top 30]")
  process.exit(2)
}
const mb = (b) => (b / 1024 / 1024).toFixed(1)
const a = groups(files[0])
if (files.length === 1) {
  const rows = [...a.entries()].sort((x, y) => y[1].size - x[1].size).slice(0, top)
  for (const [name, g] of rows) console.log(`${mb(g.size).padStart(8)} MB ${String(g.count).padStart(9)}  ${name}`)
  process.exit(0)
}
const b = groups(files[1])
const names = new Set([...a.keys(), ...b.keys()])
const rows = [...names]
  .map((name) => {
    const x = a.get(name) ?? { count: 0, size: 0 }
    const y = b.get(name) ?? { count: 0, size: 0 }
    return { name, count: y.count - x.count, size: y.size - x.size, before: x, after: y }
  })
  .sort((p, q) => q.size - p.size)
const total = (m) => [...m.values()].reduce((s, g) => s + g.size, 0)
console.log(`heap ${mb(total(a))} MB → ${mb(total(b))} MB (self sizes)\n`)
console.log("   Δ MB     Δ count   after MB  after count  name")
for (const r of rows.slice(0, top)) {
  console.log(`${mb(r.size).padStart(8)} ${String(r.count).padStart(10)} ${mb(r.after.size).padStart(10)} ${String(r.after.count).padStart(12)}  ${r.name}`)
}
