#!/usr/bin/env node
/**
 * Runs a `medusa exec`-style script (default export `({ container, args })`) the way `medusa exec`
 * does — config from medusa-config.ts, every module, link, workflow and subscriber loaded, no HTTP
 * server, no scheduled jobs (worker mode "server") — but without the Medusa CLI's ts-node.
 *
 * Why: the CLI registers ts-node, and ts-node loads Node's `repl`, which loads `domain`. Once
 * `domain` is loaded Node installs a promise hook and a domain-aware EventEmitter, which costs every
 * promise and emitter in the process (visible in a profile as promiseInitHook, _propagate and
 * EventEmitter.init at node:domain). A store running its built server in production pays none of
 * that, so the benchmark transpiles TypeScript itself with @swc/core (the same options ts-node's swc
 * mode derives from this repo's tsconfig) and leaves `domain` unloaded.
 *
 *   node bench/launch.js ./bench/import-bench.ts      (scripts/run.js bench does this)
 */
const fs = require("node:fs")
const path = require("node:path")

const ROOT = process.cwd()

function registerTypeScript() {
  const swc = require("@swc/core")
  const options = (filename) => ({
    filename,
    swcrc: false,
    configFile: false,
    sourceMaps: "inline",
    module: { type: "commonjs", noInterop: false, strictMode: true, ignoreDynamic: true },
    jsc: {
      parser: { syntax: "typescript", tsx: filename.endsWith(".tsx"), decorators: true, dynamicImport: true },
      target: "es2021",
      keepClassNames: true,
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    },
  })
  const compile = (module, filename) => {
    const source = fs.readFileSync(filename, "utf8")
    module._compile(swc.transformSync(source, options(filename)).code, filename)
  }
  for (const ext of [".ts", ".tsx", ".cts"]) require.extensions[ext] = compile
}

async function main() {
  const file = process.argv[2]
  if (!file) {
    console.error("usage: node bench/launch.js <script.ts> [args…]")
    process.exit(2)
  }
  registerTypeScript()
  process.env.MEDUSA_WORKER_MODE = "server"
  const loadersModule = require("@medusajs/medusa/loaders/index")
  const { ContainerRegistrationKeys } = require("@medusajs/framework/utils")
  const express = require("express")
  const container = await loadersModule.initializeContainer(ROOT, { skipDbConnection: true })
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  // Imported before the app boots, like `medusa exec` does (the bench hooks pg at import time).
  const imported = require(path.resolve(ROOT, file))
  const script = imported.default ?? imported
  if (typeof script !== "function") throw new Error(`${file} does not default-export a function`)
  const { container: booted } = await loadersModule.default({ directory: ROOT, expressApp: express(), skipLoadingEntryPoints: true })
  try {
    await script({ container: booted, args: process.argv.slice(3) })
  } catch (e) {
    logger.error(`${file} failed`, e)
    process.exit(1)
  }
  process.exit(0)
}

module.exports = { registerTypeScript }

if (require.main === module) {
  main().catch((e) => {
    console.error(e)
    process.exit(1)
  })
}
