/**
 * A small sequential test runner over playwright-core (the full @playwright/test is not a
 * dependency). The flows share one browser page, like an admin working through the day: each
 * test picks up where the previous one left off. A failing test is screenshotted and recorded;
 * the next ones still run.
 */
const fs = require("node:fs")
const path = require("node:path")
const { chromium } = require("playwright-core")

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
]

const TEST_TIMEOUT_MS = Number(process.env.E2E_TEST_TIMEOUT_MS || 150_000)
const STEP_TIMEOUT_MS = Number(process.env.E2E_STEP_TIMEOUT_MS || 20_000)

class AssertionError extends Error {}

function makeExpect(page) {
  const describe = (target) => (typeof target === "string" ? `"${target}"` : String(target))
  const text = (t) => page.getByText(t).first()
  return {
    /** Waits until the locator (or the text) is visible. */
    async visible(target, { timeout = STEP_TIMEOUT_MS, what } = {}) {
      const loc = typeof target === "string" || target instanceof RegExp ? text(target) : target.first()
      try {
        await loc.waitFor({ state: "visible", timeout })
      } catch (e) {
        throw new AssertionError(`expected ${what ?? describe(target)} to be visible within ${timeout} ms (${e.message.split("\n")[0]})`)
      }
      return loc
    },
    /** Waits until the locator (or the text) is gone. */
    async hidden(target, { timeout = STEP_TIMEOUT_MS, what } = {}) {
      const loc = typeof target === "string" || target instanceof RegExp ? text(target) : target.first()
      try {
        await loc.waitFor({ state: "hidden", timeout })
      } catch (e) {
        throw new AssertionError(`expected ${what ?? describe(target)} to disappear within ${timeout} ms`)
      }
    },
    /** Waits until the locator's text matches. */
    async text(loc, expected, { timeout = STEP_TIMEOUT_MS } = {}) {
      const deadline = Date.now() + timeout
      let last = ""
      while (Date.now() < deadline) {
        last = ((await loc.first().textContent({ timeout: 2000 }).catch(() => "")) ?? "").replace(/\s+/g, " ").trim()
        if (expected instanceof RegExp ? expected.test(last) : last.includes(expected)) return last
        await page.waitForTimeout(250)
      }
      throw new AssertionError(`expected text ${describe(expected)}, got "${last.slice(0, 300)}"`)
    },
    /** A toast (sonner) whose text matches. */
    async toast(expected, { timeout = STEP_TIMEOUT_MS } = {}) {
      const loc = page.locator("[data-sonner-toast]").filter({ hasText: expected }).first()
      try {
        await loc.waitFor({ state: "visible", timeout })
      } catch {
        const shown = await page.locator("[data-sonner-toast]").allTextContents().catch(() => [])
        throw new AssertionError(`expected a toast ${describe(expected)}; toasts shown: ${JSON.stringify(shown)}`)
      }
      return ((await loc.textContent()) ?? "").replace(/\s+/g, " ").trim()
    },
    /** Every interactive element inside `loc` has an accessible name (from the accessibility tree). */
    async named(loc, what) {
      const snap = await loc.first().ariaSnapshot()
      const roles = "button|combobox|textbox|searchbox|spinbutton|checkbox|switch|radio|link|menuitem|tab|slider"
      const unnamed = snap.split("\n").filter((l) => new RegExp(`^\\s*- (${roles})\\b(?!\\s+")`).test(l))
      if (unnamed.length) throw new AssertionError(`${what}: ${unnamed.length} control(s) without an accessible name: ${unnamed.slice(0, 5).join(" | ")}`)
    },
    that(cond, message) {
      if (!cond) throw new AssertionError(message)
    },
  }
}

async function runSuites({ base, root, shots, log }) {
  const files = fs
    .readdirSync(path.join(root, "e2e"))
    .filter((f) => f.endsWith(".e2e.js"))
    .sort()
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  })
  const results = []
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: base })
    const page = await context.newPage()
    page.setDefaultTimeout(STEP_TIMEOUT_MS)
    page.setDefaultNavigationTimeout(60_000)
    const pageErrors = []
    page.on("pageerror", (e) => pageErrors.push(e.message))
    page.on("console", (m) => {
      if (m.type() === "error" && process.env.E2E_VERBOSE) log(`console: ${m.text().slice(0, 300)}`)
    })

    let shotIndex = 0
    /** Saves e2e/screenshots/NN-name.png; with `doc` and E2E_UPDATE_DOCS=1 also docs/screenshots/<doc>.png. */
    const shot = async (name, opts = {}) => {
      const file = path.join(shots, `${String(++shotIndex).padStart(2, "0")}-${name}.png`)
      if (opts.doc) {
        // Let toasts fade so the picture shows the screen itself.
        await page.locator("[data-sonner-toast]").first().waitFor({ state: "detached", timeout: 8000 }).catch(() => {})
      }
      await page.waitForTimeout(opts.settle ?? 400)
      await page.screenshot({ path: file, fullPage: opts.fullPage ?? false })
      if (opts.doc && process.env.E2E_UPDATE_DOCS === "1") {
        const docs = path.join(root, "docs", "screenshots")
        fs.mkdirSync(docs, { recursive: true })
        fs.copyFileSync(file, path.join(docs, `${opts.doc}.png`))
      }
      return file
    }
    /** The admin API with the page's session (for fixtures: what a marketplace would do). */
    const api = async (method, url, body) => {
      const res = await context.request.fetch(`${base}${url}`, {
        method,
        data: body,
        headers: body ? { "content-type": "application/json" } : undefined,
      })
      const json = await res.json().catch(() => null)
      if (!res.ok()) throw new Error(`${method} ${url} → ${res.status()}: ${JSON.stringify(json)}`)
      return json
    }
    const ctx = { page, context, base, shot, api, expect: makeExpect(page), state: {}, log }

    let aborted = null
    for (const file of files) {
      const suite = require(path.join(root, "e2e", file))
      for (const t of suite.tests) {
        if (aborted) {
          results.push({ name: t.name, ok: false, ms: 0, error: `not run: ${aborted} failed` })
          log(`  – ${t.name}: not run (${aborted} failed)`)
          continue
        }
        const t0 = Date.now()
        log(`▶ ${t.name}`)
        let timer
        try {
          await Promise.race([
            t.fn(ctx),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error(`timed out after ${TEST_TIMEOUT_MS / 1000} s`)), TEST_TIMEOUT_MS)
            }),
          ])
          results.push({ name: t.name, ok: true, ms: Date.now() - t0 })
          log(`  ✓ ${t.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`)
        } catch (e) {
          const slug = t.name.replace(/[^a-z0-9]+/gi, "-").toLowerCase().slice(0, 60)
          await page.screenshot({ path: path.join(shots, `FAILED-${slug}.png`) }).catch(() => {})
          results.push({ name: t.name, ok: false, ms: Date.now() - t0, error: e?.message ?? String(e) })
          log(`  ✕ ${t.name}: ${e?.message ?? e}`)
          if (t.critical) aborted = `"${t.name}"`
          if (pageErrors.length) log(`    page errors: ${pageErrors.slice(-3).join(" | ").slice(0, 600)}`)
        } finally {
          clearTimeout(timer)
        }
      }
    }
  } finally {
    await browser.close().catch(() => {})
  }
  return results
}

module.exports = { runSuites, CHROMIUM_ARGS }
