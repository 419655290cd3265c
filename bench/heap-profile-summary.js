#!/usr/bin/env node
/**
 * Where the sampled bytes of a `.heapprofile` (from `npm run bench -- --heap-profile`) were allocated:
 * by allocating function (self), by package, and by the workflow step or module call on the stack
 * (inclusive), biggest first. With the bench's sampling options the bytes are those a scavenge did
 * not free: objects promoted to the old generation, most of them later dropped by a major GC.
 *
 *   node bench/heap-profile-summary.js .medusa/bench/<file>.heapprofile [--top 25]
 */
const fs = require("node:fs")

const args = process.argv.slice(2)
const file = args.find((a) => !a.startsWith("--"))
const topAt = args.indexOf("--top")
const TOP = topAt >= 0 ? Number(args[topAt + 1]) : 25
if (!file) {
  console.error("usage: node bench/heap-profile-summary.js <file.heapprofile> [--top N]")
  process.exit(2)
}

const profile = JSON.parse(fs.readFileSync(file, "utf8"))

/** The package a script belongs to (node_modules/<pkg>), "plugin" for this repo's src, else "node". */
function packageOf(url) {
  if (!url) return "(native)"
  const m = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)
  if (m) return m[m.length - 1].replace("node_modules/", "")
  if (url.includes("/src/")) return "plugin"
  if (url.includes("/bench/")) return "bench"
  return url.startsWith("node:") ? "node" : "(other)"
}

const where = (f) => `${f.functionName || "(anonymous)"} ${(f.url || "").replace(/.*node_modules\//, "").replace(/.*\/(src|bench)\//, "$1/")}:${f.lineNumber + 1}`

const self = new Map()
const byPackage = new Map()
const inclusive = new Map()
let total = 0

function walk(node, stack) {
  const f = node.callFrame
  const key = where(f)
  const here = [...stack, key]
  if (node.selfSize) {
    total += node.selfSize
    self.set(key, (self.get(key) ?? 0) + node.selfSize)
    const pkg = packageOf(f.url)
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + node.selfSize)
    // Each frame on the stack counted once, however often it recurses.
    for (const k of new Set(here)) inclusive.set(k, (inclusive.get(k) ?? 0) + node.selfSize)
  }
  for (const c of node.children ?? []) walk(c, here)
}
walk(profile.head, [])

const mb = (n) => (n / 1048576).toFixed(1)
const pct = (n) => ((100 * n) / total).toFixed(1)
const table = (title, map, filter = () => true) => {
  console.log(`\n${title}`)
  for (const [k, v] of [...map].filter(([k]) => filter(k)).sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
    console.log(`${mb(v).padStart(8)} MB ${pct(v).padStart(5)}%  ${k}`)
  }
}
console.log(`sampled ${mb(total)} MB in ${profile.samples?.length ?? "?"} samples`)
table("by package (self)", byPackage)
table("by allocating function (self)", self)
table("plugin and workflow frames on the stack (inclusive)", inclusive, (k) => / src\/|core-flows|workflows-sdk|orchestration/.test(k))
table("module service calls on the stack (inclusive)", inclusive, (k) => /@medusajs\/[a-z-]+\/dist\/services\//.test(k) && !/utils|framework/.test(k))
