import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ORDER_TRANSFER_MODULE } from "../../../modules/order-transfer"
import type OrderTransferModuleService from "../../../modules/order-transfer/service"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"

export type MarkOrdersExportedInput = {
  order_export_id: string
  export_name: string
  run_id: string
  order_ids: string[]
  path: string
  exported_at: string
  status_updates: boolean
  /** Start of the run: the next "since the last export" counts from here. */
  watermark: string
}

/**
 * After the file is written, and only then: the orders are `exported` (when, which file) with a
 * timeline entry each (also on the import timeline of channel orders), and the export's watermark
 * moves. Without status updates only the watermark moves. Undone: records back to `exporting`,
 * entries removed, watermark restored.
 */
export const markOrdersExportedStep = createStep(
  "mark-orders-exported",
  async (input: MarkOrdersExportedInput, { container }) => {
    const transfers: OrderTransferModuleService = container.resolve(ORDER_TRANSFER_MODULE)
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const before = await transfers.retrieveOrderExport(input.order_export_id, { select: ["id", "last_exported_at"] })
    const comp = { order_export_id: input.order_export_id, last_exported_at: before.last_exported_at ?? null, records: [] as string[], events: [] as string[], channel_events: [] as string[] }
    if (input.status_updates && input.order_ids.length) {
      const records = await transfers.listOrderExportRecords({ order_export_id: input.order_export_id, order_id: input.order_ids, run_id: input.run_id }, { select: ["id"] })
      await transfers.updateOrderExportRecords(records.map((r) => ({ id: r.id, state: "exported" as const, file: input.path, exported_at: new Date(input.exported_at), error: null })))
      comp.records = records.map((r) => r.id)
      const message = `Exported by "${input.export_name}" in ${input.path}`
      const data = { order_export_id: input.order_export_id, run_id: input.run_id, file: input.path }
      const events = await transfers.createOrderTransferEvents(
        input.order_ids.map((order_id) => ({ order_id, configuration_id: input.order_export_id, run_id: input.run_id, type: "exported", message, data }))
      )
      comp.events = events.map((e) => e.id)
      const cos = await channels.listChannelOrders({ order_id: input.order_ids } as any, { select: ["id", "order_id"] })
      if (cos.length) {
        const created = await channels.createChannelOrderEvents(cos.map((co: any) => ({ channel_order_id: co.id, order_id: co.order_id, type: "exported", message, data })))
        comp.channel_events = created.map((e: any) => e.id)
      }
    }
    await transfers.updateOrderExports({ id: input.order_export_id, last_exported_at: new Date(input.watermark) })
    return new StepResponse({ exported: input.order_ids.length }, comp)
  },
  async (comp, { container }) => {
    if (!comp) return
    const transfers: OrderTransferModuleService = container.resolve(ORDER_TRANSFER_MODULE)
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    await transfers.updateOrderExports({ id: comp.order_export_id, last_exported_at: comp.last_exported_at as any })
    if (comp.records.length) await transfers.updateOrderExportRecords(comp.records.map((id) => ({ id, state: "exporting" as const, exported_at: null })))
    if (comp.events.length) await transfers.deleteOrderTransferEvents(comp.events)
    if (comp.channel_events.length) await channels.deleteChannelOrderEvents(comp.channel_events)
  }
)
