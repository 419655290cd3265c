import crypto from "node:crypto"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { ORDER_TRANSFER_MODULE } from "../../modules/order-transfer"
import type OrderTransferModuleService from "../../modules/order-transfer/service"
import { scrubSecrets } from "../../modules/channel/scrub"
import { errorCodeOf, TransferAlreadyRunningError, TRANSFER_LOCK_SECONDS, transferLockKey } from "./errors"
import { FILE_EXTENSIONS, type ExportFormat } from "./export-format"
import { fileStamp, openLocation, slug } from "./locations"
import { selectOrdersToExport } from "./select-orders"
import { markExportFailedStep, type MarkExportFailedInput } from "./steps/mark-export-failed"
import { markOrdersExportedStep } from "./steps/mark-orders-exported"
import { reserveExportRecordsStep } from "./steps/reserve-export-records"
import { writeExportFileStep } from "./steps/write-export-file"

export type ExportOrdersInput = {
  order_export_id: string
  export_name: string
  run_id: string
  order_ids: string[]
  file: string
  status_updates: boolean
  /** Start of the run (ISO). */
  started_at: string
}

/**
 * One export file: reserve the orders (status updates on), write the file atomically, then mark
 * them exported. A failure to write undoes the reservation; the caller then marks them export_failed.
 */
export const exportOrdersWorkflow = createWorkflow("channel-orders-export-orders", (input: ExportOrdersInput) => {
  reserveExportRecordsStep(
    transform({ input }, ({ input }) => ({
      order_export_id: input.order_export_id,
      run_id: input.run_id,
      order_ids: input.order_ids,
      file: input.file,
      status_updates: input.status_updates,
    }))
  )
  const written = writeExportFileStep(transform({ input }, ({ input }) => ({ order_export_id: input.order_export_id, file: input.file, order_ids: input.order_ids })))
  const marked = markOrdersExportedStep(
    transform({ input, written }, ({ input, written }) => ({
      order_export_id: input.order_export_id,
      export_name: input.export_name,
      run_id: input.run_id,
      order_ids: input.order_ids,
      path: written.path,
      exported_at: new Date().toISOString(),
      status_updates: input.status_updates,
      watermark: input.started_at,
    }))
  )
  return new WorkflowResponse(transform({ written, marked }, ({ written, marked }) => ({ path: written.path, exported: marked.exported })))
})

/** Orders of a failed export file marked `export_failed` with the reason. */
export const markExportFailedWorkflow = createWorkflow("channel-orders-mark-export-failed", (input: MarkExportFailedInput) => {
  return new WorkflowResponse(markExportFailedStep(input))
})

export type TransferTrigger = "schedule" | "manual"

/**
 * Records left `exporting` by a run whose process died (this run holds the lock, so no other run is
 * writing): if their file is at the destination it was written, and they are `exported`; otherwise
 * they are released and exported again.
 */
async function recoverInterruptedExport(container: MedusaContainer, config: any, runId: string) {
  const transfers: OrderTransferModuleService = container.resolve(ORDER_TRANSFER_MODULE)
  const stuck = await transfers.listOrderExportRecords({ order_export_id: config.id, state: "exporting" })
  const left = stuck.filter((r) => r.run_id !== runId)
  if (!left.length) return
  const transport = await openLocation(container, config.destination, config.credentials_encrypted)
  let present: Set<string>
  try {
    present = new Set((await transport.list()).map((f) => f.name))
  } finally {
    await transport.close().catch(() => undefined)
  }
  const baseName = (f: string | null) => (f ? f.split("/").pop()! : "")
  const written = left.filter((r) => present.has(baseName(r.file)))
  const lost = left.filter((r) => !present.has(baseName(r.file)))
  if (written.length) await transfers.updateOrderExportRecords(written.map((r) => ({ id: r.id, state: "exported" as const, exported_at: r.updated_at as any })))
  if (lost.length) await transfers.deleteOrderExportRecords(lost.map((r) => r.id))
}

/**
 * One run of an order export, by its schedule or the Run button: holds the configuration's lock (409
 * for a second caller), selects the orders, writes one file and answers the run
 * (`status`, `file`, `exported`, `failed`, `error`). Nothing to export writes no file.
 */
export async function runOrderExport(container: MedusaContainer, input: { order_export_id: string; trigger: TransferTrigger }) {
  const transfers: OrderTransferModuleService = container.resolve(ORDER_TRANSFER_MODULE)
  const locking = container.resolve(Modules.LOCKING)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const config: any = await transfers.retrieveOrderExport(input.order_export_id)
  const owner = `export-${crypto.randomUUID()}`
  try {
    await locking.acquire(transferLockKey(config.id), { ownerId: owner, expire: TRANSFER_LOCK_SECONDS })
  } catch {
    throw new TransferAlreadyRunningError(config.id)
  }
  const started = new Date()
  let run: any = await transfers.createTransferRuns({ kind: "order_export", configuration_id: config.id, trigger: input.trigger, status: "running", started_at: started })
  let orderIds: string[] = []
  try {
    await transfers.closeInterruptedRuns(config.id, run.id)
    if (config.status_updates) await recoverInterruptedExport(container, config, run.id)
    orderIds = await selectOrdersToExport(container, config)
    if (!orderIds.length) {
      run = await transfers.updateTransferRuns({ id: run.id, status: "succeeded", finished_at: new Date(), exported: 0 })
      return run
    }
    const file = `${slug(config.name)}-${fileStamp(started)}-${run.id.slice(-6)}.${FILE_EXTENSIONS[config.format as ExportFormat]}`
    const { result } = await exportOrdersWorkflow(container).run({
      input: {
        order_export_id: config.id,
        export_name: config.name,
        run_id: run.id,
        order_ids: orderIds,
        file,
        status_updates: config.status_updates,
        started_at: started.toISOString(),
      },
    })
    run = await transfers.updateTransferRuns({ id: run.id, status: "succeeded", finished_at: new Date(), file: result.path, exported: orderIds.length })
    return run
  } catch (e: any) {
    const reason = scrubSecrets(String(e?.message ?? e))
    const code = errorCodeOf(e)
    let failed = 0
    if (config.status_updates && orderIds.length) {
      try {
        const { result } = await markExportFailedWorkflow(container).run({
          input: { order_export_id: config.id, export_name: config.name, run_id: run.id, order_ids: orderIds, reason },
        })
        failed = result.failed
      } catch (inner: any) {
        logger.error(`Order export ${config.name}: could not mark the orders export_failed: ${scrubSecrets(String(inner?.message ?? inner))}`)
      }
    } else {
      failed = orderIds.length
    }
    logger.warn(`Order export ${config.name} (run ${run.id}) failed${code ? ` (${code})` : ""}: ${reason}`)
    run = await transfers.updateTransferRuns({
      id: run.id,
      status: "failed",
      finished_at: new Date(),
      failed,
      error: reason,
      error_code: code,
      errors: (orderIds.length ? [{ code: code ?? "export_failed", message: reason, orders: orderIds.length }] : null) as any,
    })
    return run
  } finally {
    await locking.release(transferLockKey(config.id), { ownerId: owner }).catch(() => undefined)
  }
}
