/**
 * Fuzzing the pure path a marketplace payload takes before any database (issue 17):
 * identifyRaw → decideChannelOrder (provider mapper + canonical schema + countries + status rule) →
 * the money functions of order-amounts.ts. Payloads start from the real fixtures of each marketplace
 * and are mutated with hostile values (unicode/RTL/emoji, empty and 10,000-character strings,
 * zero-width characters, negative/zero/fractional quantities, prices as strings, with many decimals
 * or in exponent notation, unknown/lower-case currencies, ISO-3 or named countries, missing e-mails,
 * duplicate line ids, 500-line orders, missing or extra nesting).
 *
 * Fixed seed, bounded runs: see SEED / RUNS.
 */
import fc from "fast-check"
import { identifyRaw } from "../run-channel-import"
import { decideChannelOrder, type ChannelOrderDecision, type ChannelOrderDecisionContext } from "../decide-channel-order"
import { marketplaceFigures, orderAmounts, predictTotals, reconcile, reconciliationInput, RECONCILIATION_TOLERANCE } from "../order-amounts"
import { stageableRows } from "../../../modules/channel/service"
import { parseChannelSettings } from "../../../modules/channel/settings"
import { parseCanonicalOrder } from "../../../modules/channel/types/canonical-order"
import { AmazonChannelProvider } from "../../../providers/amazon/service"
import { EbayChannelProvider } from "../../../providers/ebay/service"
import { MiraklChannelProvider } from "../../../providers/mirakl/service"
import { SandboxChannelProvider } from "../../../providers/sandbox/service"
import { ApiChannelProvider } from "../../../providers/api/service"
import { amazonMoneyCases } from "../../../../integration-tests/fixtures/money/amazon"
import { ebayMoneyCases } from "../../../../integration-tests/fixtures/money/ebay"
import { miraklMoneyCases } from "../../../../integration-tests/fixtures/money/mirakl"
import { makeOrder as makeAmazonOrder, projectOrder } from "../../../../integration-tests/simulators/amazon"
import { makeOrder as makeEbayOrder } from "../../../../integration-tests/simulators/ebay"
import { sandboxOrder } from "../../../../integration-tests/helpers/channel-fixtures"
import { DEFAULT_INCLUDED_DATA } from "../../../providers/amazon/service"

export const SEED = 20261204
/** Per provider. 5 providers × RUNS mutated payloads, plus the unmutated seeds. */
export const RUNS = 300

// ---------------------------------------------------------------------------------------------
// Hostile values
// ---------------------------------------------------------------------------------------------

const LONG = "x".repeat(10_000)
const HOSTILE_STRINGS = [
  "",
  " ",
  LONG,
  "\u200B",
  "a\u200Bb\u200C\u200D\uFEFF",
  "\u202Eevil\u202C",
  "שלום עולם",
  "مرحبا بالعالم",
  "👨‍👩‍👧‍👦🎉🏳️‍🌈",
  "Zoë Ñúñez 山田太郎",
  "\u0000",
  "null",
  "undefined",
  "<script>alert(1)</script>",
  "Robert'); DROP TABLE orders;--",
]
const HOSTILE_NUMBERS = [-1, 0, 0.5, 1.5, -0.01, 2.345678901234, 1e21, 1e-7, 0.1 + 0.2, Number.MAX_SAFE_INTEGER + 2, -0, NaN, Infinity, -Infinity]
const HOSTILE_PRICES = ["12.50", "12,50", "1e3", "1E-2", "0.000000001", "19.999999999999", " 5 ", "-3.00", "abc", "", "1.2.3", "0x10", "٣٫٥"]
const HOSTILE_CURRENCIES = ["usd", "eur", "XXX", "ZZZ", "EURO", "€", "", "US$", "Eur", "123"]
const HOSTILE_COUNTRIES = ["DEU", "USA", "FRA", "Germany", "Deutschland", "de", "fr", "XX", "ZZ", "United States", "", "Côte d'Ivoire", "🇩🇪"]

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({ unit: "grapheme-composite", maxLength: 10 })
)
const hostileNumber = fc.oneof(fc.constantFrom(...HOSTILE_NUMBERS), fc.double(), fc.integer({ min: -1000, max: 1000 }))
const hostilePrice = fc.oneof(fc.constantFrom(...HOSTILE_PRICES), hostileNumber, fc.double({ min: 0, max: 1e6, noNaN: true }).map((n) => n.toString()))
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  hostilePrice,
  fc.constantFrom(null, undefined, true, false, {}, [], [null], { value: "1.00" }, { amount: "1e2", currencyCode: "usd" })
)

/** A value fitting the field's name: the hostile values the issue lists, per kind of field. */
function hostileFor(key: string): fc.Arbitrary<unknown> {
  const k = key.toLowerCase()
  if (/quantity/.test(k)) return fc.oneof(fc.constantFrom(-1, 0, 0.5, 1.5, 2.0000001, "2", "1e1", null), hostileNumber)
  if (/price|amount|value|total|tax|discount|deduced/.test(k)) return hostilePrice
  if (/currency/.test(k)) return fc.oneof(fc.constantFrom(...HOSTILE_CURRENCIES), hostileString)
  if (/country/.test(k)) return fc.oneof(fc.constantFrom(...HOSTILE_COUNTRIES), hostileString)
  if (/mail/.test(k)) return fc.constantFrom(null, undefined, "", "not-an-email", "a@b", "ü@例え.テスト", LONG)
  if (/name|title|line|city|street|address/.test(k)) return hostileString
  if (/date|time|_at$/.test(k)) return fc.constantFrom("", "yesterday", "2026-13-45T99:99:99Z", "0", 0, 1e13, "2026-02-30T00:00:00Z", null)
  return hostileValue
}

// ---------------------------------------------------------------------------------------------
// Mutations of a JSON tree
// ---------------------------------------------------------------------------------------------

type Path = Array<string | number>

function paths(node: unknown, prefix: Path = [], out: Path[] = [], depth = 0): Path[] {
  if (depth > 12 || node === null || typeof node !== "object") return out
  if (Array.isArray(node)) {
    // Long arrays: a few elements are enough to reach every shape.
    node.slice(0, 3).forEach((v, i) => {
      out.push([...prefix, i])
      paths(v, [...prefix, i], out, depth + 1)
    })
  } else {
    for (const [k, v] of Object.entries(node)) {
      out.push([...prefix, k])
      paths(v, [...prefix, k], out, depth + 1)
    }
  }
  return out
}

function parentOf(root: any, path: Path): any {
  let node = root
  for (const p of path.slice(0, -1)) {
    if (node === null || typeof node !== "object") return undefined
    node = node[p as any]
  }
  return node && typeof node === "object" ? node : undefined
}

type Mutation =
  | { kind: "set"; pick: number; value: unknown }
  | { kind: "set_field"; pick: number; chosen: number }
  | { kind: "delete"; pick: number }
  | { kind: "wrap"; pick: number }
  | { kind: "unwrap"; pick: number }
  | { kind: "extra"; pick: number; key: string; value: unknown }
  | { kind: "affix"; pick: number; text: string; where: "start" | "end" | "replace" }
  | { kind: "duplicate_line" }
  | { kind: "many_lines"; count: number }
  | { kind: "drop_lines" }

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("set" as const), pick: fc.nat(), value: hostileValue }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("set_field" as const), pick: fc.nat(), chosen: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("wrap" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("unwrap" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("extra" as const), pick: fc.nat(), key: fc.oneof(hostileString, fc.constantFrom("__proto__", "constructor", "items", "orderId")), value: hostileValue }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("affix" as const),
      pick: fc.nat(),
      text: fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), hostileString),
      where: fc.constantFrom("start" as const, "end" as const, "replace" as const),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "duplicate_line" as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("many_lines" as const), count: fc.constantFrom(50, 500) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "drop_lines" as const }) }
)

/** Values chosen per field: precomputed so that the mutation stays a pure function of its inputs. */
const FIELD_SAMPLES: Record<string, unknown[]> = {}
function fieldSample(key: string, n: number): unknown {
  const bucket = key.toLowerCase().replace(/[^a-z_]/g, "")
  if (!FIELD_SAMPLES[bucket]) FIELD_SAMPLES[bucket] = fc.sample(hostileFor(key), { seed: SEED, numRuns: 64 })
  const s = FIELD_SAMPLES[bucket]
  return s[n % s.length]
}

function applyMutation(root: any, m: Mutation, linesKey: string[]): any {
  const lineHolder = () => {
    let node = root
    for (const k of linesKey) node = node?.[k]
    return Array.isArray(node) ? node : null
  }
  if (m.kind === "duplicate_line") {
    const lines = lineHolder()
    if (lines?.length) lines.push(structuredClone(lines[0]))
    return root
  }
  if (m.kind === "many_lines") {
    const lines = lineHolder()
    if (lines?.length) {
      const first = lines[0]
      while (lines.length < m.count) lines.push(structuredClone(first))
    }
    return root
  }
  if (m.kind === "drop_lines") {
    const lines = lineHolder()
    if (lines) lines.length = 0
    return root
  }
  const all = paths(root)
  if (!all.length) return m.kind === "set" ? m.value : root
  let candidates = all
  if (m.kind === "affix") {
    candidates = all.filter((p) => typeof parentOf(root, p)?.[p[p.length - 1] as any] === "string")
    if (!candidates.length) return root
  }
  const path = candidates[m.pick % candidates.length]
  const parent = parentOf(root, path)
  if (!parent) return root
  const key = path[path.length - 1] as any
  switch (m.kind) {
    case "set":
      parent[key] = m.value
      break
    case "set_field":
      parent[key] = fieldSample(String(typeof key === "number" ? path[path.length - 2] ?? key : key), m.chosen)
      break
    case "delete":
      if (Array.isArray(parent)) parent.splice(key, 1)
      else delete parent[key]
      break
    case "wrap":
      parent[key] = { value: parent[key] }
      break
    case "unwrap": {
      const v = parent[key]
      if (v && typeof v === "object") {
        const inner = Object.values(v)[0]
        parent[key] = inner
      }
      break
    }
    case "extra": {
      const target = parent[key] && typeof parent[key] === "object" ? parent[key] : parent
      Object.defineProperty(target, m.key, { value: m.value, enumerable: true, configurable: true, writable: true })
      break
    }
    case "affix": {
      const s = parent[key] as string
      parent[key] = m.where === "start" ? m.text + s : m.where === "end" ? s + m.text : m.text
      break
    }
  }
  return root
}

// ---------------------------------------------------------------------------------------------
// Providers and their seeds
// ---------------------------------------------------------------------------------------------

type Subject = {
  name: string
  provider: any
  seeds: unknown[]
  /** Where the payload keeps its lines. */
  linesKey: string[]
  /** Seeds whose amounts are known to reconcile (the money fixtures). */
  reconciles: boolean
}

const SERVED = new Set(DEFAULT_INCLUDED_DATA)
const subjects: Subject[] = [
  {
    name: "amazon",
    provider: new AmazonChannelProvider({}, {}),
    seeds: [
      ...amazonMoneyCases.map((c) => c.raw),
      projectOrder(makeAmazonOrder({ id: "111-0000001-0000001", status: "UNSHIPPED" } as any), SERVED),
      projectOrder(makeAmazonOrder({ id: "111-0000002-0000002", status: "SHIPPED" } as any), SERVED),
    ],
    linesKey: ["orderItems"],
    reconciles: true,
  },
  {
    name: "ebay",
    provider: new EbayChannelProvider({}, {}),
    seeds: [...ebayMoneyCases.map((c) => c.raw), makeEbayOrder({ seq: 1 }), makeEbayOrder({ seq: 2, currency: "EUR" } as any)],
    linesKey: ["lineItems"],
    reconciles: true,
  },
  {
    name: "mirakl",
    provider: new MiraklChannelProvider({}, {}),
    seeds: miraklMoneyCases.map((c) => c.raw),
    linesKey: ["order_lines"],
    reconciles: true,
  },
  {
    name: "sandbox",
    provider: new SandboxChannelProvider({}, {}),
    seeds: [
      sandboxOrder("S-1"),
      sandboxOrder("S-2", { lines: [["A", 2, 10.005], ["B", 1, 0.1]], prices_include_tax: true } as any),
      sandboxOrder("S-3", { status: "pending", lines: [["A", 3, 19.99]] }),
    ],
    linesKey: ["items"],
    reconciles: false,
  },
  {
    name: "api (B2B)",
    provider: new ApiChannelProvider({}, {}),
    seeds: [
      sandboxOrder("B2B-1"),
      sandboxOrder("B2B-2", { totals: { total: 24.8, tax_total: 0 }, lines: [["A", 1, 19.9]] } as any),
    ],
    linesKey: ["items"],
    reconciles: false,
  },
]

function contextFor(provider: any): ChannelOrderDecisionContext {
  const rules = new Map<string, { action: any; retry: boolean }>()
  for (const r of provider.defaultStatusRules() as Array<{ external_status: string; action: any; retry: boolean }>) {
    rules.set(r.external_status, { action: r.action, retry: r.retry })
  }
  return { provider, settings: parseChannelSettings({}), rules }
}

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

const UNSTORABLE_KEY = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
function hasUnstorableKey(node: unknown, depth = 0): boolean {
  if (depth > 40 || node === null || typeof node !== "object") return false
  return Object.entries(node).some(([k, v]) => UNSTORABLE_KEY.test(k) || hasUnstorableKey(v, depth + 1))
}

const KINDS = ["follow", "skip", "ignore", "wait", "fail", "import"]
const finite = (n: unknown) => typeof n === "number" && Number.isFinite(n)

type Stats = { runs: number; kinds: Record<string, number>; mapperErrors: number; unidentified: number; mismatch: number; reconciled: number; untypedUpdatedAt: number; unstorableKey: number; duplicateIds: number; outOfRange: number; sumOfParts: number }

function checkPayload(subject: Subject, raw: unknown, stats: Stats, opts: { mustReconcile?: boolean } = {}): ChannelOrderDecision {
  const ctx = contextFor(subject.provider)
  stats.runs++

  // 1. Staging: whatever the payload, it gets a key and is kept as it came.
  const staged = identifyRaw(subject.provider, raw)
  expect(typeof staged.external_id).toBe("string")
  expect(staged.external_id.length).toBeGreaterThan(0)
  expect(staged.raw).toBe(raw)
  expect(staged.external_status === null || typeof staged.external_status === "string").toBe(true)
  // identifyRaw passes the provider's update time through as it is: eBay's `lastModifiedDate` and the
  // sandbox/API `updated_at` are not type-checked, so a hostile payload stages a number or an object
  // here although StagedRow says string | null (found by this suite; see the report). It is harmless
  // because stageableRows, the step that writes the row, re-reads it with Date.parse and drops what
  // it cannot read; so the property is asserted on what is written, not on identifyRaw's output.
  if (!(staged.external_updated_at === null || typeof staged.external_updated_at === "string")) stats.untypedUpdatedAt++
  const [written] = stageableRows([staged])
  expect(written.external_id).toBe(staged.external_id)
  expect(written.external_updated_at === null || !Number.isNaN(Date.parse(written.external_updated_at))).toBe(true)
  expect(typeof written.raw_json).toBe("string")
  // Values and object keys are cleaned of NUL and lone surrogates (jsonb refuses both; keys were a
  // bug this suite found in storableJson, fixed and pinned by the test below).
  if (hasUnstorableKey(raw)) stats.unstorableKey++
  expect(/\\u(0000|d[89a-f])/i.test(written.raw_json)).toBe(false)
  if (staged.external_id.startsWith("unidentified:")) stats.unidentified++

  // 2. Deciding never throws and always gives one of the known decisions.
  const decision = decideChannelOrder({ row: { state: "pending", order_id: null, raw } }, ctx)
  expect(KINDS).toContain(decision.kind)
  stats.kinds[decision.kind] = (stats.kinds[decision.kind] ?? 0) + 1

  if (decision.kind === "fail") {
    expect(decision.code).toBe("invalid_payload")
    expect(typeof decision.message).toBe("string")
    if (decision.data.mapper_error) {
      stats.mapperErrors++
      // The mapper's own reason, not just the prefix.
      const reason = decision.message.replace(/^The marketplace payload could not be read: /, "")
      expect(reason.trim().length).toBeGreaterThan(0)
      expect(reason).not.toBe("undefined")
    } else {
      expect(decision.data.issues!.length).toBeGreaterThan(0)
      for (const issue of decision.data.issues!) {
        expect(issue.path.length).toBeGreaterThan(0)
        expect(issue.message.length).toBeGreaterThan(0)
        expect(decision.message).toContain(issue.path)
      }
    }
    return decision
  }

  if (decision.kind === "import" || decision.kind === "wait") {
    // The order the pipeline goes on with is a valid canonical order (idempotent: parsing it again keeps it).
    const again = parseCanonicalOrder(decision.order)
    if (!again.success) throw new Error(`decided order is not canonical: ${again.message}`)
    expect(decision.message === undefined || (decision as any).message.length > 0).toBe(true)
  }

  if (decision.kind === "import") {
    const order = decision.order
    const amounts = orderAmounts(order, "marketplace")
    const predicted = predictTotals(order, amounts)
    const mp = marketplaceFigures(order)
    const r = reconcile(reconciliationInput(order, amounts), { ...predicted, paid_total: null })
    for (const n of [predicted.total, predicted.tax_total, mp.total, mp.tax_total, r.difference.total, r.difference.tax_total, r.medusa.total, r.medusa.tax_total]) {
      expect(finite(n)).toBe(true)
    }
    expect(["reconciled", "mismatch"]).toContain(r.status)
    if (r.status === "reconciled") {
      stats.reconciled++
      expect(Math.abs(r.difference.total)).toBeLessThanOrEqual(RECONCILIATION_TOLERANCE)
      expect(Math.abs(r.difference.tax_total)).toBeLessThanOrEqual(RECONCILIATION_TOLERANCE)
    } else {
      stats.mismatch++
      // A mismatch is a hold the admin sees: it must say why (a figure differs or a tax could not be carried).
      expect(
        r.problems.length > 0 || Math.abs(r.difference.total) > RECONCILIATION_TOLERANCE || Math.abs(r.difference.tax_total) > RECONCILIATION_TOLERANCE
      ).toBe(true)
    }
    // Rounded consistently: reconcile keeps 4 decimals of every figure it reports.
    expect(Math.abs(r.medusa.total * 10_000 - Math.round(r.medusa.total * 10_000))).toBeLessThan(1e-6 * Math.max(1, Math.abs(r.medusa.total * 10_000)))
    // "Totals add up to the cent": when the payload reports no figures of its own, the marketplace's
    // figures are the sum of the order's parts, and Medusa's must equal them within one cent. Held to
    // it only where the canonical order is sound; the exclusions are findings of this suite (pinned
    // by the tests below), not a weaker rule:
    // - duplicate item external_ids: now refused by the schema (they shared one line's amounts), so
    //   none reaches here;
    // - amounts Medusa cannot carry (a non-zero amount below 1e-6 with a tax on it, or above 1e12):
    //   the rate that reproduces the tax (100 × tax / net) overflows Medusa's precision.
    const unreported = (order.totals?.total ?? null) === null && (order.totals?.tax_total ?? null) === null
    const ids = order.items.map((i) => i.external_id)
    const duplicateIds = new Set(ids).size !== ids.length
    const amountsOf = [
      ...order.items.flatMap((i) => [i.unit_price, i.unit_price * i.quantity, i.discount_total, i.tax_total]),
      order.shipping.price, order.shipping.discount_total, order.shipping.tax_total,
      ...order.charges.flatMap((c) => [c.amount, c.discount_total, c.tax_total]),
    ]
    const outOfRange = amountsOf.some((a) => a !== 0 && (Math.abs(a) < 1e-6 || Math.abs(a) > 1e12))
    if (duplicateIds) stats.duplicateIds++
    if (outOfRange) stats.outOfRange++
    if (unreported && r.problems.length === 0 && !duplicateIds && !outOfRange) {
      stats.sumOfParts++
      expect({ difference: r.difference, status: r.status }).toEqual({ difference: r.difference, status: "reconciled" })
    }
    if (opts.mustReconcile) {
      expect({ status: r.status, difference: r.difference, problems: r.problems }).toEqual({ status: "reconciled", difference: expect.anything(), problems: [] })
    }
  }
  return decision
}

const report: Record<string, Stats & { ms: number }> = {}

afterAll(() => {
  // Shown with --verbose or in CI logs: how many cases ran, and what they decided.
  // eslint-disable-next-line no-console
  console.log(`fuzz-pipeline seed=${SEED} runs/provider=${RUNS}\n` + JSON.stringify(report, null, 1))
})

describe.each(subjects)("fuzz pipeline: $name", (subject) => {
  const stats: Stats = { runs: 0, kinds: {}, mapperErrors: 0, unidentified: 0, mismatch: 0, reconciled: 0, untypedUpdatedAt: 0, unstorableKey: 0, duplicateIds: 0, outOfRange: 0, sumOfParts: 0 }

  it("every unmutated seed payload is imported or waits, and the money fixtures reconcile to the cent", () => {
    for (const seed of subject.seeds) {
      const d = checkPayload(subject, structuredClone(seed), stats, { mustReconcile: subject.reconciles })
      expect(["import", "wait"]).toContain(d.kind)
    }
  })

  it("mutated payloads never throw, are staged, and either map (totals finite, to the cent) or fail with invalid_payload naming the field", () => {
    const t0 = performance.now()
    fc.assert(
      fc.property(fc.nat({ max: subject.seeds.length - 1 }), fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (which, mutations) => {
        let raw: any = structuredClone(subject.seeds[which])
        for (const m of mutations) raw = applyMutation(raw, m, subject.linesKey)
        checkPayload(subject, raw, stats)
      }),
      { seed: SEED, numRuns: RUNS }
    )
    report[subject.name] = { ...stats, ms: Math.round(performance.now() - t0) }
  })

  it("non-object payloads (null, arrays, strings, numbers) are staged under an unidentified key and fail", () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(null, undefined, [], "", 0, true), hostileString, hostileNumber, fc.array(fc.anything(), { maxLength: 3 })), (raw) => {
        const d = checkPayload(subject, raw, stats)
        expect(d.kind).toBe("fail")
      }),
      { seed: SEED, numRuns: 50 }
    )
  })
})

describe("staging a payload whose object key holds a NUL or a lone surrogate", () => {
  // Found by the fuzz above (minimal case): storableJson once cleaned string VALUES only, so a key such
  // as custom_fields {"a\u0000": 1} kept "\u0000" in raw_json, which jsonb refuses (the page's upsert failed).
  it("is written as JSON PostgreSQL's jsonb accepts", () => {
    const raw = { ...sandboxOrder("K-1"), custom_fields: { "a\u0000": 1, "b\uD800": 2 } }
    const [written] = stageableRows([identifyRaw(new SandboxChannelProvider({}, {}), raw)])
    expect(/\\u(0000|d[89a-f])/i.test(written.raw_json)).toBe(false)
  })
})

describe("money findings of the fuzz (minimal cases)", () => {
  const sandbox = new SandboxChannelProvider({}, {})
  const imported = (raw: unknown) => {
    const d = decideChannelOrder({ row: { state: "pending", order_id: null, raw } }, contextFor(sandbox))
    if (d.kind !== "import") throw new Error(`expected an import, got ${d.kind}`)
    const amounts = orderAmounts(d.order, "marketplace")
    return reconcile(reconciliationInput(d.order, amounts), { ...predictTotals(d.order, amounts), paid_total: null })
  }

  // Found by the fuzz: two lines with one external_id shared one line's amounts (amounts are keyed by
  // line id), so 1 × 10.00 + 1 × 30.00 became 2 × 30.00. The schema now refuses such an order, naming the line.
  it("two lines sharing an external_id are refused with invalid_payload naming the second line", () => {
    const raw = sandboxOrder("DUP-1", { lines: [["A", 1, 10], ["B", 1, 30]] })
    ;(raw.items as any[])[1].external_id = (raw.items as any[])[0].external_id
    const d = decideChannelOrder({ row: { state: "pending", order_id: null, raw } }, contextFor(sandbox))
    expect(d).toMatchObject({ kind: "fail", code: "invalid_payload", data: { issues: [{ path: "items.1.external_id", message: 'duplicate line id "DUP-1-L1"' }] } })
  })

  // FINDING: an amount far below a cent with a tax on it (unit_price 1e-30, tax 1.00; the fuzz found 1.48e-260 with tax 16.20 giving a predicted total of 1.62e235) is accepted by the
  // schema; the rate that reproduces the tax (100 × tax / net = 1e32 %) is beyond what Medusa's totals
  // reproduce, and the predicted figures are absurd. Reconciliation holds it as a mismatch, so nothing
  // is silently wrong. it.failing documents it; drop `.failing` if the schema starts refusing such amounts.
  it.failing("a unit price of 1e-30 carrying a tax still adds up to the cent", () => {
    const raw = sandboxOrder("TINY-1", { lines: [["A", 1, 1e-30]] })
    ;(raw.items as any[])[0].tax_total = 1
    const r = imported(raw)
    expect(r.status).toBe("reconciled")
  })
})
