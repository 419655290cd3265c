/**
 * Exact decimal arithmetic on amounts as files write them ("19.99", "-0.5", "1,234.50" is refused):
 * amounts are scaled integers (BigInt) so nothing is rounded before Medusa multiplies them.
 */
export const SCALE = 8
const FACTOR = 10n ** BigInt(SCALE)
const DECIMAL = /^-?\d+(\.\d+)?$/

/** Whether a cell holds a plain decimal amount (surrounding spaces allowed). */
export function isDecimal(value: string): boolean {
  return DECIMAL.test(value.trim())
}

/** "19.99" → 1999000000n (scaled by 10^8); null when it is not a plain decimal or has more than 8 decimals. */
export function toScaled(value: string): bigint | null {
  const v = value.trim()
  if (!DECIMAL.test(v)) return null
  const negative = v.startsWith("-")
  const [int, frac = ""] = (negative ? v.slice(1) : v).split(".")
  if (frac.length > SCALE) return null
  const n = BigInt(int) * FACTOR + BigInt((frac + "0".repeat(SCALE)).slice(0, SCALE))
  return negative ? -n : n
}

/** A scaled amount as a decimal string without trailing zeros ("19.9", "5", "-0.01"). */
export function fromScaled(n: bigint): string {
  const negative = n < 0n
  const abs = negative ? -n : n
  const int = abs / FACTOR
  const frac = (abs % FACTOR).toString().padStart(SCALE, "0").replace(/0+$/, "")
  return `${negative ? "-" : ""}${int}${frac ? `.${frac}` : ""}`
}

/** How many decimals a decimal string has ("19.90" → 2). */
export function decimalsOf(value: string): number {
  const frac = value.trim().split(".")[1]
  return frac ? frac.length : 0
}

/**
 * Splits `total` over `weights` in steps of 10^-decimals, proportionally, by largest remainder:
 * the parts always add up to exactly `total` (the last cent goes where the most was cut off).
 */
export function allocate(total: bigint, weights: bigint[], decimals = 2): bigint[] {
  if (!weights.length) return []
  const unit = 10n ** BigInt(Math.max(0, SCALE - Math.min(decimals, SCALE)))
  const units = total / unit
  const rest = total - units * unit
  const positive = weights.map((w) => (w > 0n ? w : 0n))
  const sum = positive.reduce((a, b) => a + b, 0n)
  const base = sum === 0n ? positive.map((_, i) => (i === 0 ? 1n : 0n)) : positive
  const baseSum = sum === 0n ? 1n : sum
  const shares = base.map((w) => (units * w) / baseSum)
  const remainders = base.map((w, i) => ({ i, r: (units * w) % baseSum }))
  let left = units - shares.reduce((a, b) => a + b, 0n)
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1))
  for (let k = 0; left > 0n; k = (k + 1) % remainders.length, left--) shares[remainders[k].i] += 1n
  for (let k = 0; left < 0n; k = (k + 1) % remainders.length, left++) shares[remainders[k].i] -= 1n
  const out = shares.map((s) => s * unit)
  // Sub-unit rest (more decimals than `decimals`) lands on the first weighted part.
  if (rest !== 0n) out[Math.max(0, base.findIndex((w) => w > 0n))] += rest
  return out
}

/** unit price × quantity, exact. */
export function times(amount: bigint, quantity: number): bigint {
  return amount * BigInt(quantity)
}
