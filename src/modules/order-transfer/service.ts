import { MedusaService } from "@medusajs/framework/utils"
import { OrderExport } from "./models/order-export"
import { StatusImport } from "./models/status-import"
import { TransferRun } from "./models/transfer-run"
import { OrderExportRecord } from "./models/order-export-record"
import { OrderTransferEvent } from "./models/order-transfer-event"

/**
 * Order exports and status imports (issue 19): their configurations, runs, per-order export records
 * and the orders' transfer timeline. Secrets of a location are sealed with the channel module's key
 * (`ChannelModuleService.sealCredentials`) before they reach this module.
 */
class OrderTransferModuleService extends MedusaService({
  OrderExport,
  StatusImport,
  TransferRun,
  OrderExportRecord,
  OrderTransferEvent,
}) {
  /** The newest run of each configuration. */
  async latestRunsByConfiguration(ids: string[]): Promise<Map<string, any>> {
    const out = new Map<string, any>()
    await Promise.all(
      ids.map(async (id) => {
        const [run] = await this.listTransferRuns({ configuration_id: id }, { take: 1, order: { started_at: "DESC" } })
        if (run) out.set(id, run)
      })
    )
    return out
  }

  /**
   * Runs of a configuration still `running` besides `exceptId`: the caller holds the configuration's
   * lock, so they belong to a process that died. They are closed as failed.
   */
  async closeInterruptedRuns(configurationId: string, exceptId: string): Promise<string[]> {
    const stale = await this.listTransferRuns({ configuration_id: configurationId, status: "running" }, { select: ["id"] })
    const ids = stale.map((r) => r.id).filter((id) => id !== exceptId)
    if (ids.length) {
      await this.updateTransferRuns(
        ids.map((id) => ({ id, status: "failed" as const, finished_at: new Date(), error: "Interrupted: the process running it stopped", error_code: "interrupted" }))
      )
    }
    return ids
  }
}

export default OrderTransferModuleService
