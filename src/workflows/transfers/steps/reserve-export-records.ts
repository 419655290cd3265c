import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ORDER_TRANSFER_MODULE } from "../../../modules/order-transfer"
import type OrderTransferModuleService from "../../../modules/order-transfer/service"

export type ReserveExportRecordsInput = { order_export_id: string; run_id: string; order_ids: string[]; file: string; status_updates: boolean }

type Previous = { created: string[]; updated: Array<{ id: string; state: string; run_id: string | null; file: string | null; error: string | null }> }

/**
 * With status updates: marks the orders `exporting` (this run, this file name) before the file is
 * written. A process that dies while writing leaves them so; the next run looks for the file and
 * settles them (export.ts, recoverInterruptedExport). Undone: created records deleted, others restored.
 */
export const reserveExportRecordsStep = createStep(
  "reserve-export-records",
  async (input: ReserveExportRecordsInput, { container }) => {
    const previous: Previous = { created: [], updated: [] }
    if (!input.status_updates || !input.order_ids.length) return new StepResponse(previous, previous)
    const transfers: OrderTransferModuleService = container.resolve(ORDER_TRANSFER_MODULE)
    const existing = await transfers.listOrderExportRecords({ order_export_id: input.order_export_id, order_id: input.order_ids })
    const byOrder = new Map(existing.map((r) => [r.order_id, r]))
    const toUpdate = existing.map((r) => ({ id: r.id, state: "exporting" as const, run_id: input.run_id, file: input.file, error: null }))
    const toCreate = input.order_ids
      .filter((id) => !byOrder.has(id))
      .map((order_id) => ({ order_export_id: input.order_export_id, order_id, run_id: input.run_id, state: "exporting" as const, file: input.file }))
    previous.updated = existing.map((r) => ({ id: r.id, state: r.state, run_id: r.run_id ?? null, file: r.file ?? null, error: r.error ?? null }))
    if (toUpdate.length) await transfers.updateOrderExportRecords(toUpdate)
    if (toCreate.length) {
      const created = await transfers.createOrderExportRecords(toCreate)
      previous.created = created.map((r) => r.id)
    }
    return new StepResponse(previous, previous)
  },
  async (previous, { container }) => {
    if (!previous) return
    const transfers: OrderTransferModuleService = container.resolve(ORDER_TRANSFER_MODULE)
    if (previous.created.length) await transfers.deleteOrderExportRecords(previous.created)
    if (previous.updated.length) await transfers.updateOrderExportRecords(previous.updated as any)
  }
)
