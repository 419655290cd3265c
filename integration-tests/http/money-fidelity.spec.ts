import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { seedStore, type SeededStore } from "../../src/scripts/seed-store"
import type { CanonicalOrderInput } from "../../src/modules/channel/types/canonical-order"
import { adminHeaders } from "../helpers/admin"
import { channelOrder, createSandboxChannel, inject, reservationsFor, runImport, sandboxOrder, setRules, stockOf } from "../helpers/channel-fixtures"
import { addStoreTaxRates, orderMoney } from "../helpers/tax-store"

jest.setTimeout(300_000)

type Expected = { total: number; tax_total: number; captured: number; shipping_total: number; lines: number[]; payment_status?: string; holds?: string[] }
type Case = { name: string; order: CanonicalOrderInput; expected: Expected; us?: boolean }

const eu = (id: string, o: Partial<CanonicalOrderInput>) => sandboxOrder(id, { prices_include_tax: true, ...o } as any)

/**
 * Canonical orders as the marketplaces' mappers produce them, each with what the buyer paid. The
 * store has DE 19 %, FR 20 %, US-CA 7.25 % … rates, so any tax Medusa added on its own would show.
 */
const CASES: Case[] = [
  {
    name: "EU VAT-inclusive prices (eBay.de, 75.28 € paid)",
    order: eu("M-EU", {
      items: [{ external_id: "M-EU-1", sku: "TSHIRT-M", title: "Shirt", quantity: 2, unit_price: 35.14, tax_total: 11.22, tax_rate: 19 }],
      shipping: { service_code: "standard", price: 5, tax_total: 0.8, tax_rate: 19 },
      totals: { total: 75.28, tax_total: 12.02 },
    }),
    expected: { total: 75.28, tax_total: 12.02, captured: 75.28, shipping_total: 5, lines: [70.28] },
  },
  {
    name: "country given by name, no ISO code (Mirakl, 39.90 € paid)",
    order: eu("M-FR", {
      shipping_address: { first_name: "Jeanne", last_name: "Martin", address_1: "3 rue de Rivoli", city: "Paris", postal_code: "75001", country_code: "", country: "France" },
      items: [{ external_id: "M-FR-1", sku: "TOTE-M", title: "Tote", quantity: 1, unit_price: 39.9, tax_total: 6.65, tax_rate: 20 }],
      shipping: { service_code: "standard", price: 0 },
    }),
    expected: { total: 39.9, tax_total: 6.65, captured: 39.9, shipping_total: 0, lines: [39.9] },
  },
  {
    name: "sub-cent unit price, multiplied before rounding",
    order: sandboxOrder("M-SUB", {
      items: [{ external_id: "M-SUB-1", sku: "SOCKS-M", title: "Socks", quantity: 2, unit_price: 22.495, tax_total: 0 }],
      shipping: { service_code: "standard", price: 0 },
    }),
    expected: { total: 44.99, tax_total: 0, captured: 44.99, shipping_total: 0, lines: [44.99] },
  },
  {
    name: "item and shipping promotions on inclusive prices",
    order: eu("M-PROMO", {
      items: [{ external_id: "M-PROMO-1", sku: "HOODIE-L", title: "Hoodie", quantity: 1, unit_price: 49, discount_total: 9, discounts: [{ code: "WINTER9", amount: 9 }], tax_total: 6.39, tax_rate: 19 }],
      shipping: { service_code: "standard", price: 5.9, discount_total: 2, tax_total: 0.62, tax_rate: 19 },
    }),
    expected: { total: 43.9, tax_total: 7.01, captured: 43.9, shipping_total: 3.9, lines: [40] },
  },
  {
    name: "gift wrap the buyer paid (3.33)",
    order: eu("M-GIFT", {
      items: [{ external_id: "M-GIFT-1", sku: "BEANIE-M", title: "Beanie", quantity: 1, unit_price: 18, tax_total: 2.87, tax_rate: 19 }],
      charges: [{ type: "gift_wrap", name: "Gift wrap", amount: 3.33, tax_total: 0.53, tax_rate: 19 }],
      shipping: { service_code: "standard", price: 0 },
    }),
    expected: { total: 21.33, tax_total: 3.4, captured: 21.33, shipping_total: 0, lines: [18, 3.33] },
  },
  {
    name: "US marketplace-collected tax, state given as CA",
    us: true,
    order: sandboxOrder("M-US", {
      currency_code: "usd",
      tax_collected_by: "marketplace",
      shipping_address: { first_name: "Sam", last_name: "Lee", address_1: "1 Market St", city: "San Francisco", province: "CA", postal_code: "94105", country_code: "US" },
      items: [{ external_id: "M-US-1", sku: "CAP-M", title: "Cap", quantity: 2, unit_price: 17.5, tax_total: 2.8, tax_lines: [{ code: "STATE_SALES_TAX", amount: 2.8, rate: 8 }] }],
      shipping: { service_code: "standard", price: 4.99 },
      totals: { total: 42.79, tax_total: 2.8 },
    }),
    expected: { total: 42.79, tax_total: 2.8, captured: 42.79, shipping_total: 4.99, lines: [37.8] },
  },
  {
    name: "zero-value replacement order: nothing captured",
    order: sandboxOrder("M-ZERO", {
      replaces_external_id: "M-EU",
      items: [{ external_id: "M-ZERO-1", sku: "TSHIRT-M", title: "Replacement shirt", quantity: 1, unit_price: 0 }],
      shipping: { service_code: "standard", price: 0 },
    }),
    expected: { total: 0, tax_total: 0, captured: 0, shipping_total: 0, lines: [0] },
  },
  {
    name: "cash on delivery: a payment collection that waits for the money",
    order: eu("M-COD", {
      payment_status: "pending",
      payment_method: "cash_on_delivery",
      items: [{ external_id: "M-COD-1", sku: "SOCKS-L", title: "Shorts", quantity: 1, unit_price: 24.5, tax_total: 3.91 }],
      charges: [{ type: "cod_fee", name: "Cash on delivery fee", amount: 2.5, tax_total: 0.4 }],
      shipping: { service_code: "standard", price: 0 },
    }),
    expected: { total: 27, tax_total: 4.31, captured: 0, shipping_total: 0, lines: [24.5, 2.5], payment_status: "not_paid" },
  },
  {
    name: "figures that do not add up are held as total_mismatch",
    order: eu("M-OFF", {
      items: [{ external_id: "M-OFF-1", sku: "CAP-M", title: "Cap", quantity: 1, unit_price: 22, tax_total: 3.51 }],
      shipping: { service_code: "standard", price: 0 },
      totals: { total: 25, tax_total: 3.51 },
    }),
    expected: { total: 22, tax_total: 3.51, captured: 22, shipping_total: 0, lines: [22], holds: ["total_mismatch"] },
  },
]

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let auth: any
    let regions: { us_region_id: string }

    beforeAll(async () => {
      store = await seedStore(getContainer(), { withAdmin: true })
      regions = await addStoreTaxRates(getContainer())
    })
    beforeEach(async () => {
      auth = await adminHeaders(api, getContainer())
    })

    const importAll = async (settings: Record<string, unknown>, cases: Case[], suffix: string) => {
      const out = new Map<string, any>()
      for (const us of [false, true]) {
        const group = cases.filter((c) => !!c.us === us)
        if (!group.length) continue
        const channel = await createSandboxChannel(api, auth, store, { ...settings, ...(us ? { region_id: regions.us_region_id } : {}) }, `Money ${suffix}${us ? " US" : ""}`)
        await setRules(api, auth, channel.id, [["paid", "import_as_valid", true]])
        await inject(api, auth, channel.id, group.map((c) => ({ ...c.order, external_id: `${c.order.external_id}-${suffix}` })))
        const run = await runImport(api, auth, channel.id)
        expect(run).toMatchObject({ status: "succeeded", failed: 0 })
        for (const c of group) out.set(c.name, { channel, co: await channelOrder(api, auth, channel.id, `${c.order.external_id}-${suffix}`) })
      }
      return out
    }

    for (const [path, batch] of [["batched", true], ["per-order", false]] as const) {
      it(`${path} path: every order equals what the buyer paid, to the cent, in a store with tax rates`, async () => {
        const imported = await importAll({ batch_import: batch }, CASES, path)
        for (const c of CASES) {
          const { co } = imported.get(c.name)
          expect({ name: c.name, state: co.state, error: co.error_message }).toEqual({ name: c.name, state: "imported", error: null })
          const m = await orderMoney(api, auth, co.order_id)
          expect({ name: c.name, total: m.total, tax_total: m.tax_total, captured: m.captured, shipping_total: m.shipping_total, lines: m.lines.map((l: any) => l.total).sort((a: number, b: number) => a - b) }).toEqual({
            name: c.name,
            total: c.expected.total,
            tax_total: c.expected.tax_total,
            captured: c.expected.captured,
            shipping_total: c.expected.shipping_total,
            lines: [...c.expected.lines].sort((a, b) => a - b),
          })
          if (c.expected.payment_status) expect(m.order.payment_status).toBe(c.expected.payment_status)
          const { data } = await api.get(`/admin/orders/${co.order_id}/channel`, auth)
          const holds = data.holds.filter((h: any) => !h.released_at).map((h: any) => h.reason)
          expect({ name: c.name, holds }).toEqual({ name: c.name, holds: c.expected.holds ?? [] })
          expect(data.channel_order.reconciliation_status).toBe(c.expected.holds?.includes("total_mismatch") ? "mismatch" : "reconciled")
        }
        // The US order's state is the code Medusa's tax regions use, and its tax says who collected it.
        const us = await orderMoney(api, auth, imported.get(CASES.find((c) => c.us)!.name).co.order_id)
        expect(us.order.shipping_address.province).toBe("us-ca")
        expect(us.order.items[0].tax_lines[0].description).toMatch(/Collected by the marketplace/)
        // The mismatch hold shows both figures.
        const off = imported.get("figures that do not add up are held as total_mismatch").co
        const { data } = await api.get(`/admin/orders/${off.order_id}/channel`, auth)
        expect(data.holds.find((h: any) => h.reason === "total_mismatch").detail).toContain("total 22 EUR in Medusa, 25 EUR on the marketplace")
        expect(data.channel_order.reconciliation).toMatchObject({ status: "mismatch", medusa: { total: 22 }, marketplace: { total: 25 } })
        // The zero-value order says what it replaces and captured nothing.
        const zero = await orderMoney(api, auth, imported.get("zero-value replacement order: nothing captured").co.order_id)
        expect(zero.order.metadata).toMatchObject({ zero_value: true, replaces_external_id: "M-EU" })
      })
    }

    it("tax_mode store lets Medusa compute the store's rates (inclusive prices stay inclusive); none adds no tax", async () => {
      const order = eu("M-STORE", { items: [{ external_id: "M-STORE-1", sku: "TSHIRT-M", title: "Shirt", quantity: 1, unit_price: 29.99, tax_total: 4.79 }], shipping: { service_code: "standard", price: 0 } })
      const store_ = await importAll({ tax_mode: "store" }, [{ name: "store", order, expected: {} as any }], "store")
      const s = await orderMoney(api, auth, store_.get("store").co.order_id)
      // Medusa keeps its own tax unrounded: 29.99 × 0.19 / 1.19 = 4.78832…
      expect(s.total).toBeCloseTo(29.99, 10)
      expect(s.tax_total).toBeCloseTo(4.7883, 4)
      const none = await importAll({ tax_mode: "none" }, [{ name: "none", order, expected: {} as any }], "none")
      const n = await orderMoney(api, auth, none.get("none").co.order_id)
      expect({ total: n.total, tax_total: n.tax_total }).toEqual({ total: 29.99, tax_total: 0 })
    })

    it("an order whose country cannot be read is held (address_incomplete), not refused; the channel default fills it", async () => {
      const order = sandboxOrder("M-NOWHERE", {
        shipping_address: { first_name: "A", last_name: "B", address_1: "1 Street", city: "Somewhere", country: "Atlantis" },
        shipping: { service_code: "standard", price: 0 },
      } as any)
      const held = await importAll({}, [{ name: "x", order, expected: {} as any }], "nowhere")
      const co = held.get("x").co
      expect(co.state).toBe("imported")
      const { data } = await api.get(`/admin/orders/${co.order_id}/channel`, auth)
      expect(data.holds.map((h: any) => h.reason)).toContain("address_incomplete")
      const filled = await importAll({ default_country_code: "DE" }, [{ name: "x", order, expected: {} as any }], "default")
      const m = await orderMoney(api, auth, filled.get("x").co.order_id)
      expect(m.order.shipping_address.country_code).toBe("de")
    })

    it("an order first seen partly shipped imports its full quantity, records the shipped units as shipped and reserves only the rest", async () => {
      const order = sandboxOrder("M-PART", {
        items: [
          { external_id: "M-PART-1", sku: "JEANS-M", title: "Jeans", quantity: 3, shipped_quantity: 1, unit_price: 69, tax_total: 0 },
          { external_id: "M-PART-2", sku: "BEANIE-S", title: "Beanie", quantity: 1, shipped_quantity: 1, unit_price: 18, tax_total: 0 },
        ],
        shipping: { service_code: "standard", price: 0 },
      } as any)
      const before = await stockOf(getContainer(), store, "JEANS-M")
      const imported = await importAll({}, [{ name: "x", order, expected: {} as any }], "part")
      const co = imported.get("x").co
      expect(co.state).toBe("imported")
      const m = await orderMoney(api, auth, co.order_id)
      expect(m.total).toBe(225)
      expect(m.captured).toBe(225)
      const { data } = await api.get(`/admin/orders/${co.order_id}?fields=id,fulfillment_status,*items,*fulfillments,fulfillments.items.*`, auth)
      expect(data.order.fulfillment_status).toBe("partially_shipped")
      const shipped = data.order.fulfillments.flatMap((f: any) => f.items.map((i: any) => [i.sku, Number(i.quantity), !!f.shipped_at]))
      expect(shipped.sort()).toEqual([["BEANIE-S", 1, true], ["JEANS-M", 1, true]])
      const reservations = await reservationsFor(getContainer(), co.order_id)
      expect(reservations.map((r: any) => Number(r.quantity))).toEqual([2])
      // Shipped elsewhere: no stock left the warehouse for those units; two more are reserved.
      const after = await stockOf(getContainer(), store, "JEANS-M")
      expect(after).toEqual({ stocked: before.stocked, reserved: before.reserved + 2 })
    })
  },
})
