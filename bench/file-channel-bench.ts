/**
 * `npm run bench -- --files [--files-ns 1000,20000] [--page-size P] [--lines L]`: the file channel
 * (issue 19) at scale. For each N, a default-layout CSV of N orders is written to a fresh directory
 * (outside the clock) and one import run of a `file` channel reads it to its end: streamed, a page
 * at a time, each page staged and decided on the batched path. Prints one JSON line per N (time,
 * peak RSS) and a summary with the peak RSS growth from the first N to the last (issue 19: under
 * 150 MB from 1,000 to 20,000 orders).
 */
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { measurePhase, round } from "./lib/stats"
import { seedStore } from "../src/scripts/seed-store"
import { createChannelWorkflow } from "../src/workflows/channels/create-channel"
import { runChannelImport } from "../src/workflows/import-orders/run-channel-import"
import { CHANNEL_MODULE } from "../src/modules/channel"
import type ChannelModuleService from "../src/modules/channel/service"

export type FileBenchOptions = { ns: number[]; lines: number; page_size: number; emit: (line: Record<string, unknown>) => void; log: (m: string) => void }

const HEADER =
  "order_id,status,created_at,currency,email,customer_first_name,customer_last_name,prices_include_tax,shipping_method,shipping_price,shipping_tax,line_id,sku,title,quantity,unit_price,line_discount,line_tax,ship_first_name,ship_last_name,ship_address_1,ship_city,ship_postal_code,ship_country"

/** Writes N orders of `lines` lines each, streamed (the file is never in memory whole). */
async function writeOrdersFile(file: string, prefix: string, n: number, lines: number, catalogue: Array<{ sku: string; price: string }>) {
  const out = fs.createWriteStream(file)
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once("drain", () => r())))
  await write(`${HEADER}\n`)
  for (let i = 0; i < n; i++) {
    const id = `${prefix}-${i + 1}`
    let chunk = ""
    for (let l = 0; l < lines; l++) {
      const c = catalogue[(i * lines + l) % catalogue.length]
      const q = 1 + ((i + l) % 2)
      chunk += `${id},paid,2024-03-01T10:00:00Z,EUR,${id.toLowerCase()}@bench.example,Ada,Lovelace,true,standard,4.90,0.78,${id}-${l + 1},${c.sku},"Item ${c.sku}, bench",${q},${c.price},0,0,Ada,Lovelace,Hauptstraße ${i % 200},Berlin,10115,DE\n`
    }
    await write(chunk)
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())))
}

export async function fileChannelBench(container: MedusaContainer, opts: FileBenchOptions) {
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const store = await seedStore(container)
  const usable = store.variants.filter((v) => v.stocked >= 100 && v.inventory_item_id)
  const query = container.resolve("query") as any
  const { data } = await query.graph({ entity: "product_variant", fields: ["id", "sku", "prices.amount", "prices.currency_code"], filters: { id: usable.map((v) => v.id) } })
  const catalogue = data
    .map((v: any) => ({ sku: v.sku as string, price: String((v.prices ?? []).find((p: any) => p.currency_code === "eur")?.amount ?? "") }))
    .filter((c: { price: string }) => c.price && c.price !== "undefined")
  // Every order takes at most 2 units of a line; raise the stock so every set fits.
  const extra = opts.ns.reduce((a, n) => a + n, 0) * opts.lines * 2
  await container
    .resolve(Modules.INVENTORY)
    .updateInventoryLevels(usable.map((v) => ({ inventory_item_id: v.inventory_item_id, location_id: store.stock_location_id, stocked_quantity: v.stocked + extra })))
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "file-bench-"))
  const rows: Array<{ n: number; seconds: number; peak: number; start: number }> = []
  try {
    for (const n of opts.ns) {
      const dir = path.join(tmp, `n${n}`)
      fs.mkdirSync(dir)
      const file = path.join(dir, "orders.csv")
      await writeOrdersFile(file, `FB${n}`, n, opts.lines, catalogue)
      const size = fs.statSync(file).size
      const { result: channel } = await createChannelWorkflow(container).run({
        input: {
          name: `File bench ${n}`,
          provider: "file",
          credentials_sealed: channels.sealCredentials({}),
          settings: {
            sales_channel_id: store.sales_channel_id,
            region_id: store.region_id,
            stock_location_id: store.stock_location_id,
            shipping_mapping: { standard: store.shipping_options.standard },
            source: { type: "directory", path: dir },
            format: "csv",
            layout: "default",
            page_size: opts.page_size,
          },
        },
      })
      opts.log(`files: N = ${n} (${(size / 1024 / 1024).toFixed(1)} MB CSV); loadavg ${os.loadavg().map((x) => round(x, 2)).join(" ")}`)
      const { result: run, phase } = await measurePhase(() => runChannelImport(container, { channel_id: channel.id, trigger: "schedule" }))
      const imported = await channels.listChannelOrders({ channel_id: channel.id, state: "imported" } as any, { select: ["id"], take: 1 }).then(() => run.imported)
      const line = {
        measure: "file_channel",
        n,
        lines_per_order: opts.lines,
        page_size: opts.page_size,
        file_mb: round(size / 1024 / 1024, 1),
        run_status: run.status,
        run_error: run.error ?? null,
        imported,
        failed: run.failed,
        pages: run.pages,
        seconds: round(phase.seconds, 1),
        ms_per_order: round((phase.seconds * 1000) / n, 2),
        rss_start_mb: phase.rss_start_mb,
        peak_rss_mb: phase.peak_rss_mb,
        peak_rss_growth_mb: round(phase.peak_rss_mb - phase.rss_start_mb, 1),
        peak_heap_used_mb: phase.peak_heap_used_mb,
        heap_after_gc_mb: phase.heap_after_gc_mb,
        moved_to_processed: fs.existsSync(path.join(dir, "processed", "orders.csv")),
      }
      opts.emit(line)
      rows.push({ n, seconds: phase.seconds, peak: phase.peak_rss_mb, start: phase.rss_start_mb })
    }
    if (rows.length > 1) {
      const first = rows[0]
      const last = rows[rows.length - 1]
      opts.emit({
        measure: "file_channel_summary",
        ns: rows.map((r) => r.n),
        seconds: rows.map((r) => round(r.seconds, 1)),
        peak_rss_mb: rows.map((r) => r.peak),
        peak_rss_growth_mb: round(last.peak - first.peak, 1),
        target_mb: 150,
        within_target: last.peak - first.peak < 150,
      })
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true })
  }
}
