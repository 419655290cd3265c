import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ORDER_TRANSFER_MODULE } from "../../../modules/order-transfer"
import type OrderTransferModuleService from "../../../modules/order-transfer/service"

export type MarkExportFailedInput = { order_export_id: string; export_name: string; run_id: string; order_ids: string[]; reason: string }

/**
 * A file that could not be written: with status updates, each order is `export_failed` with the
 * reason (taken again by the next run) and its timeline says so. Undone: records and entries removed
 * or restored.
 */
export const markExportFailedStep = createStep(
  "mark-export-failed",
  async (input: MarkExportFailedInput, { container }) => {
    const transfers: OrderTransferModuleService = container.resolve(ORDER_TRANSFER_MODULE)
    const existing = await transfers.listOrderExportRecords({ order_export_id: input.order_export_id, order_id: input.order_ids })
    const byOrder = new Map(existing.map((r) => [r.order_id, r]))
    // An order another run exported meanwhile stays exported.
    const updatable = existing.filter((r) => r.state !== "exported")
    const comp = {
      created: [] as string[],
      updated: updatable.map((r) => ({ id: r.id, state: r.state, run_id: r.run_id ?? null, error: r.error ?? null })),
      events: [] as string[],
    }
    if (updatable.length) await transfers.updateOrderExportRecords(updatable.map((r) => ({ id: r.id, state: "export_failed" as const, run_id: input.run_id, error: input.reason })))
    const toCreate = input.order_ids.filter((id) => !byOrder.has(id))
    if (toCreate.length) {
      const created = await transfers.createOrderExportRecords(
        toCreate.map((order_id) => ({ order_export_id: input.order_export_id, order_id, run_id: input.run_id, state: "export_failed" as const, error: input.reason }))
      )
      comp.created = created.map((r) => r.id)
    }
    const failedIds = [...updatable.map((r) => r.order_id), ...toCreate]
    if (failedIds.length) {
      const events = await transfers.createOrderTransferEvents(
        failedIds.map((order_id) => ({
          order_id,
          configuration_id: input.order_export_id,
          run_id: input.run_id,
          type: "export_failed",
          message: `Export by "${input.export_name}" failed: ${input.reason}`,
          data: { order_export_id: input.order_export_id, run_id: input.run_id, reason: input.reason },
        }))
      )
      comp.events = events.map((e) => e.id)
    }
    return new StepResponse({ failed: failedIds.length }, comp)
  },
  async (comp, { container }) => {
    if (!comp) return
    const transfers: OrderTransferModuleService = container.resolve(ORDER_TRANSFER_MODULE)
    if (comp.created.length) await transfers.deleteOrderExportRecords(comp.created)
    if (comp.updated.length) await transfers.updateOrderExportRecords(comp.updated as any)
    if (comp.events.length) await transfers.deleteOrderTransferEvents(comp.events)
  }
)
