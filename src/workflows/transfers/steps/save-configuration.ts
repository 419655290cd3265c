import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ORDER_TRANSFER_MODULE } from "../../../modules/order-transfer"
import type OrderTransferModuleService from "../../../modules/order-transfer/service"

export type TransferKind = "order_export" | "status_import"

export type SaveConfigurationInput = {
  kind: TransferKind
  /** Absent: create. */
  id?: string
  /** The fields to write; secrets only as `credentials_encrypted` (sealed with the channel module's key). */
  data: Record<string, unknown>
}

const methods = (s: OrderTransferModuleService, kind: TransferKind) =>
  kind === "order_export"
    ? { create: (d: any) => s.createOrderExports(d), update: (d: any) => s.updateOrderExports(d), retrieve: (id: string) => s.retrieveOrderExport(id), remove: (id: string) => s.deleteOrderExports(id) }
    : { create: (d: any) => s.createStatusImports(d), update: (d: any) => s.updateStatusImports(d), retrieve: (id: string) => s.retrieveStatusImport(id), remove: (id: string) => s.deleteStatusImports(id) }

/** Creates or updates an export / status import configuration. Undone: the new one deleted, or the previous values restored. */
export const saveTransferConfigurationStep = createStep(
  "save-transfer-configuration",
  async (input: SaveConfigurationInput, { container }) => {
    const m = methods(container.resolve(ORDER_TRANSFER_MODULE), input.kind)
    if (!input.id) {
      const created: Record<string, any> = await m.create(input.data)
      return new StepResponse(created, { kind: input.kind, created: created.id as string | null, previous: null as Record<string, unknown> | null })
    }
    const before: any = await m.retrieve(input.id)
    const previous: Record<string, unknown> = { id: before.id }
    for (const k of Object.keys(input.data)) previous[k] = before[k]
    const updated: Record<string, any> = await m.update({ id: input.id, ...input.data })
    return new StepResponse(updated, { kind: input.kind, created: null as string | null, previous: previous as Record<string, unknown> | null })
  },
  async (comp, { container }) => {
    if (!comp) return
    const m = methods(container.resolve(ORDER_TRANSFER_MODULE), comp.kind)
    if (comp.created) await m.remove(comp.created)
    else if (comp.previous) await m.update(comp.previous)
  }
)

/** Soft-deletes a configuration (its runs and export records stay, as history). Undone: restored. */
export const deleteTransferConfigurationStep = createStep(
  "delete-transfer-configuration",
  async (input: { kind: TransferKind; id: string }, { container }) => {
    const s: OrderTransferModuleService = container.resolve(ORDER_TRANSFER_MODULE)
    if (input.kind === "order_export") {
      await s.retrieveOrderExport(input.id)
      await s.softDeleteOrderExports(input.id)
    } else {
      await s.retrieveStatusImport(input.id)
      await s.softDeleteStatusImports(input.id)
    }
    return new StepResponse(input.id, input)
  },
  async (input, { container }) => {
    if (!input) return
    const s: OrderTransferModuleService = container.resolve(ORDER_TRANSFER_MODULE)
    if (input.kind === "order_export") await s.restoreOrderExports(input.id)
    else await s.restoreStatusImports(input.id)
  }
)
