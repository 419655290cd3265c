import countries from "i18n-iso-countries"
import type { CanonicalAddress, CanonicalOrder } from "../../modules/channel/types/canonical-order"

const fold = (s: string) =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()

let byName: Map<string, string> | null = null

/** Every country name in every language the library ships (78), folded (no accents, case or punctuation). */
function namesIndex(): Map<string, string> {
  if (byName) return byName
  byName = new Map()
  for (const lang of countries.langs()) {
    for (const [alpha2, names] of Object.entries(countries.getNames(lang, { select: "all" }) as Record<string, string[]>)) {
      for (const name of names) {
        const key = fold(name)
        if (key && !byName.has(key)) byName.set(key, alpha2.toLowerCase())
      }
    }
  }
  return byName
}

/** ISO-3166 alpha-2 (lower case) for an alpha-2 or alpha-3 code or a country name in a common language; null if unknown. */
export function resolveCountry(value: string | null | undefined): string | null {
  const v = value?.trim()
  if (!v) return null
  if (/^[A-Za-z]{2}$/.test(v)) {
    // UK is what many marketplaces and people write for GB.
    const code = v.toUpperCase() === "UK" ? "GB" : v.toUpperCase()
    return countries.isValid(code) ? code.toLowerCase() : null
  }
  if (/^[A-Za-z]{3}$/.test(v)) {
    const a2 = countries.alpha3ToAlpha2(v.toUpperCase())
    if (a2) return a2.toLowerCase()
  }
  return namesIndex().get(fold(v)) ?? null
}

const US_STATES: Record<string, string> = {
  alabama: "al", alaska: "ak", arizona: "az", arkansas: "ar", california: "ca", colorado: "co", connecticut: "ct",
  delaware: "de", "district of columbia": "dc", florida: "fl", georgia: "ga", hawaii: "hi", idaho: "id", illinois: "il",
  indiana: "in", iowa: "ia", kansas: "ks", kentucky: "ky", louisiana: "la", maine: "me", maryland: "md",
  massachusetts: "ma", michigan: "mi", minnesota: "mn", mississippi: "ms", missouri: "mo", montana: "mt", nebraska: "ne",
  nevada: "nv", "new hampshire": "nh", "new jersey": "nj", "new mexico": "nm", "new york": "ny", "north carolina": "nc",
  "north dakota": "nd", ohio: "oh", oklahoma: "ok", oregon: "or", pennsylvania: "pa", "rhode island": "ri",
  "south carolina": "sc", "south dakota": "sd", tennessee: "tn", texas: "tx", utah: "ut", vermont: "vt", virginia: "va",
  washington: "wa", "west virginia": "wv", wisconsin: "wi", wyoming: "wy", "puerto rico": "pr",
}

/**
 * The province as Medusa's tax regions name it: the ISO 3166-2 code in lower case ("us-ca"), which
 * is how a tax region's province_code is matched. Marketplaces send "CA", "us-ca" or "California";
 * a province that is not a code (a German Land, a French region by name) is kept as it is.
 */
export function normalizeProvince(country: string | null, province: string | null | undefined): string | null {
  const p = province?.trim()
  if (!p) return null
  if (!country) return p
  const cc = country.toLowerCase()
  const prefixed = p.toLowerCase().match(/^([a-z]{2})[-\s]([a-z0-9]{1,3})$/)
  if (prefixed && prefixed[1] === cc) return `${cc}-${prefixed[2]}`
  if (/^[A-Za-z0-9]{1,3}$/.test(p)) return `${cc}-${p.toLowerCase()}`
  if (cc === "us") {
    const code = US_STATES[fold(p)]
    if (code) return `us-${code}`
  }
  return p
}

export type CountryProblem = { address: "shipping_address" | "billing_address"; given: string | null }

function resolveAddress(a: CanonicalAddress, fallback: string | null): { address: CanonicalAddress; resolved: boolean } {
  const code = resolveCountry(a.country_code) ?? resolveCountry(a.country) ?? fallback
  return {
    address: { ...a, country_code: code, province: normalizeProvince(code, a.province) },
    resolved: !!code,
  }
}

/**
 * Gives every address of the order an ISO alpha-2 country (from a code, an ISO-3 code or a name),
 * else the channel's default country, and a province Medusa's tax regions match. Addresses whose
 * country stays unknown keep a null country_code and are reported, so the order is held, not refused.
 */
export function resolveOrderCountries(order: CanonicalOrder, defaultCountry?: string | null): { order: CanonicalOrder; problems: CountryProblem[] } {
  const fallback = resolveCountry(defaultCountry ?? null)
  const problems: CountryProblem[] = []
  const out: CanonicalOrder = { ...order }
  for (const key of ["shipping_address", "billing_address"] as const) {
    const a = order[key]
    if (!a) continue
    const r = resolveAddress(a, fallback)
    out[key] = r.address
    if (!r.resolved) problems.push({ address: key, given: a.country ?? a.country_code ?? null })
  }
  return { order: out, problems }
}
