/**
 * Fuzzing the canonical order schema (issue 17): parseCanonicalOrder on generated hostile canonical
 * orders never throws, and either succeeds with a well-formed order or fails with a message naming
 * every bad field's path. Fixed seed, bounded runs.
 */
import fc from "fast-check"
import { CanonicalOrderSchema, parseCanonicalOrder } from "../types/canonical-order"

const SEED = 20261204
const RUNS = 500

const LONG = "x".repeat(10_000)
const hostileString = fc.oneof(
  fc.constantFrom("", " ", LONG, "\u200B", "a\u200Bb\uFEFF", "\u202Eevil\u202C", "שלום", "مرحبا", "👨‍👩‍👧‍👦🎉", "\u0000", "Zoë 山田"),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 })
)
const hostileNumber = fc.oneof(
  fc.constantFrom(-1, 0, 0.5, 1.5, -0.01, 1e21, 1e-7, 0.1 + 0.2, Number.MAX_SAFE_INTEGER + 2, -0, NaN, Infinity, -Infinity),
  fc.double(),
  fc.integer({ min: -5, max: 1000 })
)
const money = fc.oneof(
  fc.constantFrom("12.50", "12,50", "1e3", " 5 ", "-3.00", "abc", "", "0.000000001", "22.495", "19.999999999999", "1.2.3"),
  hostileNumber,
  fc.double({ min: 0, max: 1e6, noNaN: true }),
  fc.integer({ min: 0, max: 100_000 }).map((c) => c / 100)
)
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined })
const anyHostile = fc.oneof(hostileString, hostileNumber, fc.constantFrom(null, true, {}, [], { value: 1 }))
const currency = fc.oneof(fc.constantFrom("EUR", "usd", "Gbp", "XXX", "ZZZ", "EURO", "€", "", "12A"), hostileString)
const country = fc.oneof(fc.constantFrom("DE", "de", "DEU", "Germany", "Deutschland", "XX", "United States", "", "🇩🇪"), hostileString)
const isoDate = fc.oneof(
  fc.date({ min: new Date("1970-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom("", "yesterday", "2026-13-45T99:99:99Z", "2026-02-30T00:00:00Z", "0")
)

const taxLine = fc.record({ code: maybe(hostileString), name: maybe(hostileString), rate: maybe(hostileNumber), amount: money }, { requiredKeys: ["amount"] })
const discount = fc.record({ code: maybe(hostileString), name: maybe(hostileString), amount: money }, { requiredKeys: ["amount"] })
const address = fc.record(
  { first_name: maybe(hostileString), last_name: maybe(hostileString), address_1: maybe(hostileString), city: maybe(hostileString), country_code: maybe(country), country: maybe(country), phone: maybe(hostileString) },
  { requiredKeys: [] }
)
const item = fc.record(
  {
    external_id: fc.oneof(fc.constantFrom("L1", "L1", "L2"), hostileString),
    sku: maybe(hostileString),
    title: hostileString,
    quantity: fc.oneof(fc.constantFrom(-1, 0, 0.5, 1, 2, 500, "2"), hostileNumber),
    shipped_quantity: maybe(fc.constantFrom(-1, 0, 1, 0.5)),
    unit_price: money,
    discount_total: maybe(money),
    discounts: maybe(fc.array(discount, { maxLength: 2 })),
    tax_total: maybe(money),
    tax_rate: maybe(hostileNumber),
    tax_lines: maybe(fc.array(taxLine, { maxLength: 2 })),
  },
  { requiredKeys: ["external_id", "title", "quantity", "unit_price"] }
)
const charge = fc.record({
  type: fc.constantFrom("gift_wrap", "cod_fee", "fee", "other", "tip", ""),
  name: hostileString,
  amount: money,
})

const order = fc.record(
  {
    external_id: hostileString,
    status: fc.oneof(fc.constantFrom("paid", "shipped"), hostileString),
    created_at: isoDate,
    updated_at: isoDate,
    currency_code: currency,
    email: fc.constantFrom(undefined, null, "", "not-an-email", "ü@例え.テスト", LONG),
    customer: maybe(fc.record({ first_name: maybe(hostileString), last_name: maybe(hostileString) }, { requiredKeys: [] })),
    shipping_address: fc.oneof(address, fc.constantFrom(null, undefined, "Berlin", [])),
    billing_address: maybe(address),
    items: fc.oneof(
      { weight: 5, arbitrary: fc.array(item, { minLength: 0, maxLength: 5 }) },
      { weight: 1, arbitrary: fc.constant(Array.from({ length: 500 }, (_, n) => ({ external_id: `L${n}`, title: "Ünïcødé ‮title", quantity: 1, unit_price: "0.333" }))) },
      { weight: 1, arbitrary: fc.constantFrom(null, {}, "items", [null]) }
    ),
    shipping: maybe(fc.oneof(fc.record({ price: maybe(money), discount_total: maybe(money), tax_total: maybe(money), name: maybe(hostileString) }, { requiredKeys: [] }), anyHostile)),
    charges: maybe(fc.array(charge, { maxLength: 2 })),
    prices_include_tax: maybe(fc.oneof(fc.boolean(), fc.constantFrom("true", 1, null))),
    tax_collected_by: maybe(fc.constantFrom("seller", "marketplace", "amazon", "")),
    totals: maybe(fc.oneof(fc.record({ total: maybe(money), tax_total: maybe(money), paid_total: maybe(money) }, { requiredKeys: [] }), anyHostile)),
    payment_status: maybe(fc.constantFrom("paid", "pending", "PAID", "")),
    custom_fields: maybe(fc.oneof(fc.dictionary(hostileString, anyHostile, { maxKeys: 3 }), anyHostile)),
    notes: maybe(hostileString),
  },
  { requiredKeys: ["items"] }
)
/**
 * Mostly a valid order with a few hostile fields laid over it (so that both outcomes are exercised:
 * a fully random order is refused every time), sometimes a fully random one.
 */
const BASE = {
  external_id: "ORD-1",
  status: "paid",
  created_at: "2026-12-04T10:00:00Z",
  updated_at: "2026-12-04T11:00:00Z",
  currency_code: "EUR",
  email: "buyer@example.com",
  shipping_address: { first_name: "Ada", country_code: "DE" },
  items: [{ external_id: "L1", title: "Tea", quantity: 1, unit_price: 9.99 }],
}
const overlaid = fc
  .tuple(order, fc.subarray(Object.keys(BASE).concat(["shipping", "totals", "charges", "custom_fields", "prices_include_tax"]), { minLength: 0, maxLength: 3 }))
  .map(([hostile, keys]) => {
    const out: Record<string, unknown> = structuredClone(BASE)
    for (const k of keys) out[k] = (hostile as Record<string, unknown>)[k]
    return out
  })
/** Missing or extra nesting: the whole order wrapped in an envelope, or its fields one level too deep. */
const wrapped = fc.oneof(
  { weight: 8, arbitrary: overlaid },
  { weight: 2, arbitrary: order },
  { weight: 1, arbitrary: order.map((o) => ({ order: o })) },
  { weight: 1, arbitrary: order.map((o) => ({ ...o, items: { item: o.items } })) },
  { weight: 1, arbitrary: fc.anything() }
)

const TOP_LEVEL = new Set([...Object.keys(CanonicalOrderSchema.shape), "order"])

describe("fuzz canonical order schema", () => {
  it("never throws; success is a well-formed order, failure names every bad field", () => {
    const counts = { ok: 0, refused: 0, issues: 0 }
    const t0 = performance.now()
    fc.assert(
      fc.property(wrapped, (input) => {
        const result = parseCanonicalOrder(input)
        if (result.success) {
          counts.ok++
          const o = result.order
          expect(o.currency_code).toMatch(/^[a-z]{3}$/)
          expect(o.items.length).toBeGreaterThan(0)
          expect(o.external_id.length).toBeGreaterThan(0)
          for (const i of o.items) {
            expect(Number.isInteger(i.quantity) && i.quantity > 0).toBe(true)
            for (const a of [i.unit_price, i.discount_total, i.tax_total]) expect(Number.isFinite(a) && a >= 0).toBe(true)
          }
          for (const a of [o.shipping.price, o.shipping.discount_total, o.shipping.tax_total]) expect(Number.isFinite(a) && a >= 0).toBe(true)
          expect(Number.isNaN(Date.parse(o.created_at))).toBe(false)
        } else {
          counts.refused++
          counts.issues += result.issues.length
          expect(result.issues.length).toBeGreaterThan(0)
          expect(result.message.length).toBeGreaterThan(0)
          for (const issue of result.issues) {
            expect(issue.path.length).toBeGreaterThan(0)
            // The path names a field of the canonical order (or "order" for the whole payload).
            expect(TOP_LEVEL.has(issue.path.split(".")[0])).toBe(true)
            expect(result.message).toContain(`${issue.path}: ${issue.message}`)
          }
        }
      }),
      { seed: SEED, numRuns: RUNS }
    )
    // eslint-disable-next-line no-console
    console.log(`fuzz-canonical-order seed=${SEED} runs=${RUNS} ${JSON.stringify(counts)} ${Math.round(performance.now() - t0)} ms`)
  })
})
