/**
 * Process helpers shared by the scripts that start real Medusa processes (scripts/e2e.js,
 * scripts/cluster.js): a free port, waiting for a URL, running a command to completion, and
 * stopping a detached process group.
 */
const { spawn } = require("node:child_process")
const fs = require("node:fs")
const net = require("node:net")

/** The first of `preferred` that is free, else any free port. */
function freePort(preferred = []) {
  const tryPort = (port) =>
    new Promise((resolve) => {
      const srv = net.createServer()
      srv.unref()
      srv.on("error", () => resolve(null))
      srv.listen(port, "0.0.0.0", () => srv.close(() => resolve(port)))
    })
  return (async () => {
    for (const p of preferred) if (await tryPort(p)) return p
    return new Promise((resolve) => {
      const srv = net.createServer()
      srv.listen(0, "0.0.0.0", () => {
        const { port } = srv.address()
        srv.close(() => resolve(port))
      })
    })
  })()
}

/** Runs a command to completion with its output appended to `logFile`; resolves with the exit code. */
function run(cmd, args, { cwd, env, logFile }) {
  return new Promise((resolve) => {
    const out = fs.openSync(logFile, "a")
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", out, out] })
    child.on("exit", (code) => {
      fs.closeSync(out)
      resolve(code ?? 1)
    })
  })
}

/** Polls `url` until `isUp(response)`; fails early if `child` exited. */
async function waitFor(url, { timeoutMs, isUp = (r) => r.ok, child, intervalMs = 1000, what = "the store" }) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`)
    try {
      const r = await fetch(url, { redirect: "manual" })
      if (isUp(r)) return
    } catch {}
    await new Promise((r) => setTimeout(r, intervalMs))
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`)
}

/** SIGTERM to a detached child's process group, SIGKILL after `graceMs`; resolves once it exited. */
function stopTree(child, graceMs = 10_000) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve()
    const kill = (sig) => {
      try {
        process.kill(-child.pid, sig)
      } catch {}
    }
    const t = setTimeout(() => kill("SIGKILL"), graceMs)
    child.once("exit", () => {
      clearTimeout(t)
      resolve()
    })
    kill("SIGTERM")
  })
}

module.exports = { freePort, run, waitFor, stopTree }
