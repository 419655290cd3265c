import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { scrubSecrets } from "../modules/channel/scrub"
import { ORDER_TRANSFER_MODULE } from "../modules/order-transfer"
import type OrderTransferModuleService from "../modules/order-transfer/service"
import { TransferAlreadyRunningError } from "../workflows/transfers/errors"
import { runOrderExport } from "../workflows/transfers/export-orders"
import { runStatusImport } from "../workflows/transfers/import-statuses"

/**
 * Every minute: runs each enabled order export and status import whose `interval_minutes` has
 * passed since its last run began (none set: Run button only). Instances may tick at once: the
 * configuration's lock lets one run it and the others skip. `CHANNEL_ORDERS_SCHEDULED_TRANSFERS=off`
 * pauses them (the Run button still works).
 */
export default async function runOrderTransfersJob(container: MedusaContainer) {
  if (process.env.CHANNEL_ORDERS_SCHEDULED_TRANSFERS === "off") return
  const transfers: OrderTransferModuleService = container.resolve(ORDER_TRANSFER_MODULE)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const [exports, imports] = await Promise.all([
    transfers.listOrderExports({ enabled: true, interval_minutes: { $gt: 0 } } as any, { select: ["id", "name", "interval_minutes"] }),
    transfers.listStatusImports({ enabled: true, interval_minutes: { $gt: 0 } } as any, { select: ["id", "name", "interval_minutes"] }),
  ])
  const all = [...imports.map((c) => ({ ...c, kind: "status_import" as const })), ...exports.map((c) => ({ ...c, kind: "order_export" as const }))]
  if (!all.length) return
  const latest = await transfers.latestRunsByConfiguration(all.map((c) => c.id))
  const now = Date.now()
  for (const c of all) {
    const last = latest.get(c.id)
    // A little slack so a 1-minute interval is not skipped by clock jitter between ticks.
    if (last && now - new Date(last.started_at).getTime() < Number(c.interval_minutes) * 60_000 - 5_000) continue
    try {
      const run =
        c.kind === "order_export"
          ? await runOrderExport(container, { order_export_id: c.id, trigger: "schedule" })
          : await runStatusImport(container, { status_import_id: c.id, trigger: "schedule" })
      logger.info(`${c.kind === "order_export" ? "Order export" : "Status import"} ${c.name}: ${run.status}`)
    } catch (e) {
      if (e instanceof TransferAlreadyRunningError) continue
      logger.error(`Scheduled run of ${c.name} failed: ${scrubSecrets((e as Error).message)}`)
    }
  }
}

export const config = {
  name: "channel-orders-run-order-transfers",
  schedule: "* * * * *",
}
