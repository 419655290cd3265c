import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { seedStore, type SeededStore } from "../../src/scripts/seed-store"
import { adminHeaders } from "../helpers/admin"
import { channelOrder, runImport } from "../helpers/channel-fixtures"
import { createMarketplaceChannel, type Marketplace } from "../helpers/feedback-marketplaces"
import { addStoreTaxRates, orderMoney } from "../helpers/tax-store"
import { AMAZON_MONEY_MARKETPLACES, amazonMoneyCases, loadAmazonMoneyCases } from "../fixtures/money/amazon"
import { ebayMoneyCases, loadEbayMoneyCases } from "../fixtures/money/ebay"
import { miraklMoneyCases, loadMiraklMoneyCases } from "../fixtures/money/mirakl"

jest.setTimeout(300_000)

type Expected = { total: number; tax_total: number; captured: number; shipping_total: number; lines: Array<{ sku: string | null; title?: string; total: number }> }
type MoneyCase = { name: string; raw: any; expected: Expected }

/**
 * Real marketplace payloads (built on the official models' examples, served by the local
 * simulators whose traffic is checked against the official OpenAPI documents) imported into a
 * store with real tax rates (DE 19 %, FR 20 %, US-CA 7.25 % …): each Medusa order's total, tax,
 * lines, shipping and captured amount equal what the buyer paid, to the cent.
 */
const MARKETPLACES: Array<{ kind: Marketplace; cases: MoneyCase[]; load: (sim: any) => void; idOf: (raw: any) => string; settings?: Record<string, unknown> }> = [
  {
    kind: "amazon",
    cases: amazonMoneyCases as any,
    load: (sim) => loadAmazonMoneyCases(sim),
    idOf: (raw) => raw.orderId,
    settings: { marketplace_ids: AMAZON_MONEY_MARKETPLACES },
  },
  { kind: "ebay", cases: ebayMoneyCases as any, load: (sim) => loadEbayMoneyCases(sim), idOf: (raw) => raw.orderId },
  { kind: "mirakl", cases: miraklMoneyCases as any, load: (sim) => loadMiraklMoneyCases(sim), idOf: (raw) => raw.order_id },
]

const sortLines = (lines: Array<{ sku: string | null; total: number }>) =>
  lines.map((l) => [l.sku ?? "(charge)", l.total] as [string, number]).sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1])

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let auth: any

    beforeAll(async () => {
      store = await seedStore(getContainer(), { withAdmin: true })
      await addStoreTaxRates(getContainer())
    })
    beforeEach(async () => {
      auth = await adminHeaders(api, getContainer())
    })

    for (const m of MARKETPLACES) {
      it(`${m.kind}: ${m.cases.length} real orders import at exactly what the buyer paid`, async () => {
        // Catalogue SKUs of the payloads are not the seeded store's: the lines come in as custom lines.
        const channel = await createMarketplaceChannel(api, auth, store, m.kind, { import_unavailable_products: true, ...m.settings })
        try {
          m.load(channel.sim)
          const run = await runImport(api, auth, channel.channel_id)
          expect(run).toMatchObject({ status: "succeeded" })
          const failures: string[] = []
          for (const c of m.cases) {
            const co = await channelOrder(api, auth, channel.channel_id, m.idOf(c.raw))
            if (co?.state !== "imported") {
              failures.push(`${c.name}: ${co?.state} ${co?.error_code ?? ""} ${co?.error_message ?? ""}`)
              continue
            }
            const money = await orderMoney(api, auth, co.order_id)
            const got = { total: money.total, tax_total: money.tax_total, captured: money.captured, shipping_total: money.shipping_total, lines: sortLines(money.lines) }
            const want = { total: c.expected.total, tax_total: c.expected.tax_total, captured: c.expected.captured, shipping_total: c.expected.shipping_total, lines: sortLines(c.expected.lines) }
            const close = (a: number, b: number) => Math.abs(a - b) < 0.005
            const equal =
              close(got.total, want.total) &&
              close(got.tax_total, want.tax_total) &&
              close(got.captured, want.captured) &&
              close(got.shipping_total, want.shipping_total) &&
              got.lines.length === want.lines.length &&
              got.lines.every((l, i) => l[0] === want.lines[i][0] && close(l[1], want.lines[i][1]))
            if (!equal) failures.push(`${c.name}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`)
            // Every order reconciles against the marketplace's own figures.
            if (co.reconciliation_status !== "reconciled") failures.push(`${c.name}: reconciliation ${co.reconciliation_status} ${JSON.stringify(co.reconciliation)}`)
          }
          expect(failures).toEqual([])
        } finally {
          await channel.stop()
        }
      })
    }
  },
})
