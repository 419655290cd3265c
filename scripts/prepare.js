#!/usr/bin/env node
/**
 * `prepare`: builds the plugin when nothing is built yet, so that a git install ships the build.
 *
 * npm runs `prepare` after installing a git dependency (`npm install github:…#main` or
 * `git+https://…`): it clones the repository, installs its dev dependencies, runs this script and
 * packs the result, so the store receives `.medusa/server` (JS, declarations, admin bundle) although
 * it is not committed. npm also runs `prepare` after a plain `npm install`/`npm ci` in a checkout
 * and before `npm pack`; there it must not cost a second build:
 *
 *  - `.medusa/server/src` already there (a developer's checkout, `npm pack` after `npm run build`):
 *    nothing to do. `npm run build` is how you rebuild.
 *  - CHANNEL_ORDERS_SKIP_PREPARE=1: nothing to do (.ci/run sets it: it runs `npm run build` itself
 *    right after `npm ci`).
 *  - otherwise (a fresh clone, a git install): `medusa plugin:build`.
 *
 * A checkout without its dev dependencies (no @medusajs/cli) cannot build: it says so and fails.
 */
const fs = require("node:fs")
const path = require("node:path")
const { spawnSync } = require("node:child_process")

const root = path.resolve(__dirname, "..")
if (process.env.CHANNEL_ORDERS_SKIP_PREPARE === "1") {
  console.log("[prepare] CHANNEL_ORDERS_SKIP_PREPARE=1: not building")
  process.exit(0)
}
if (fs.existsSync(path.join(root, ".medusa", "server", "src"))) {
  console.log("[prepare] .medusa/server is built already (npm run build rebuilds it)")
  process.exit(0)
}
let cli
try {
  cli = require.resolve("@medusajs/cli/cli.js", { paths: [root] })
} catch {
  console.error("[prepare] @medusajs/cli is not installed: install the dev dependencies (npm ci), then npm run build")
  process.exit(1)
}
console.log("[prepare] building the plugin (medusa plugin:build)")
const r = spawnSync(process.execPath, [cli, "plugin:build"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, MEDUSA_DISABLE_TELEMETRY: process.env.MEDUSA_DISABLE_TELEMETRY || "true" },
})
process.exit(r.status ?? 1)
