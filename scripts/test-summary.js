// Adds up Jest's JSON results of every test kind into the closing line CI reads: "N passed, N failed".
const fs = require("node:fs")
const path = require("node:path")

const dir = path.join(__dirname, "..", ".medusa", "test-results")
let passed = 0
let failed = 0
let skipped = 0
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".json")) : []
for (const file of files) {
  const r = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"))
  // Other JSON files (e.g. suite metrics) share the folder; only Jest-shaped results count.
  if (typeof r.numPassedTests !== "number") continue
  passed += r.numPassedTests ?? 0
  // A suite that failed to load counts as a failure even though no test in it ran.
  failed += (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0)
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0)
  console.log(`${file.replace(/\.json$/, "")}: ${r.numPassedTests} passed, ${r.numFailedTests} failed`)
}
if (!files.length) failed += 1
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`)
