import type { CanonicalOrderInput } from "../../modules/channel/types/canonical-order"

/** Plausible buyers and addresses, so the demo and the benchmarks look like real marketplace traffic. */
const FIRST = ["Anna", "Lukas", "Marie", "Jonas", "Sofia", "Paul", "Emma", "Felix", "Lea", "Noah", "Mia", "Elias"]
const LAST = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Koch"]
const CITIES: Array<[string, string, string]> = [
  ["Berlin", "10115", "de"],
  ["Hamburg", "20095", "de"],
  ["München", "80331", "de"],
  ["Köln", "50667", "de"],
  ["Paris", "75001", "fr"],
  ["Lyon", "69001", "fr"],
  ["Amsterdam", "1012", "nl"],
  ["Wien", "1010", "at"],
]
const STREETS = ["Hauptstraße", "Bahnhofstraße", "Gartenweg", "Schulstraße", "Rue de Rivoli", "Kerkstraat"]

/** A small deterministic PRNG (mulberry32), so a seed gives the same orders on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export type SandboxCatalogueItem = { sku: string; title: string; price: number }

export type GenerateOptions = {
  count: number
  catalogue: SandboxCatalogueItem[]
  prefix?: string
  seed?: number
  lines?: number
  status?: string | ((i: number, rnd: () => number) => string)
  currency_code?: string
  shipping_service?: string
}

/** Builds canonical orders as a marketplace would send them (amounts in major units, ISO-2 countries). */
export function generateSandboxOrders(opts: GenerateOptions): CanonicalOrderInput[] {
  const rnd = seededRandom(opts.seed ?? 42)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]
  const orders: CanonicalOrderInput[] = []
  for (let i = 0; i < opts.count; i++) {
    const first = pick(FIRST)
    const last = pick(LAST)
    const [city, postal, country] = pick(CITIES)
    const lineCount = opts.lines ?? 1 + Math.floor(rnd() * 3)
    const used = new Set<string>()
    const items: CanonicalOrderInput["items"] = []
    for (let l = 0; l < lineCount; l++) {
      let product = pick(opts.catalogue)
      for (let tries = 0; used.has(product.sku) && tries < 10; tries++) product = pick(opts.catalogue)
      used.add(product.sku)
      items.push({
        external_id: `${opts.prefix ?? "SBX"}-${i + 1}-L${l + 1}`,
        sku: product.sku,
        marketplace_product_id: `MP-${product.sku}`,
        title: product.title,
        quantity: 1 + Math.floor(rnd() * 2),
        unit_price: product.price,
        tax_total: 0,
        discount_total: 0,
      })
    }
    const address = {
      first_name: first,
      last_name: last,
      address_1: `${pick(STREETS)} ${1 + Math.floor(rnd() * 120)}`,
      city,
      postal_code: postal,
      country_code: country,
      phone: `+49 30 ${100000 + Math.floor(rnd() * 899999)}`,
    }
    const status = typeof opts.status === "function" ? opts.status(i, rnd) : opts.status ?? "paid"
    const id = `${opts.prefix ?? "SBX"}-${String(i + 1).padStart(6, "0")}`
    orders.push({
      external_id: id,
      status,
      created_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
      currency_code: opts.currency_code ?? "eur",
      email: `${first}.${last}.${i}@buyers.example`.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, ""),
      customer: { first_name: first, last_name: last, phone: address.phone },
      shipping_address: address,
      billing_address: address,
      items,
      shipping: { service_code: opts.shipping_service ?? "standard", name: "Standard", price: 4.9 },
      fulfilled_by_marketplace: false,
      payment_status: status === "pending" ? "pending" : "paid",
      notes: null,
      gift_message: null,
      custom_fields: {},
    })
  }
  return orders
}
