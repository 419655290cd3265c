import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ORDER_TRANSFER_MODULE } from "../../../../../modules/order-transfer"
import type OrderTransferModuleService from "../../../../../modules/order-transfer/service"

/** An order's file transfers: per export configuration exported (when, file) or export_failed (why), and its transfer timeline. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const transfers: OrderTransferModuleService = req.scope.resolve(ORDER_TRANSFER_MODULE)
  const orderId = req.params.id
  const [records, timeline] = await Promise.all([
    transfers.listOrderExportRecords({ order_id: orderId }, { order: { created_at: "ASC" } }),
    transfers.listOrderTransferEvents({ order_id: orderId }, { order: { created_at: "ASC" } }),
  ])
  const configIds = [...new Set(records.map((r) => r.order_export_id))]
  const configs = configIds.length ? await transfers.listOrderExports({ id: configIds }, { select: ["id", "name"], withDeleted: true }) : []
  const names = new Map(configs.map((c) => [c.id, c.name]))
  res.json({
    exports: records.map((r) => ({
      order_export_id: r.order_export_id,
      order_export_name: names.get(r.order_export_id) ?? null,
      state: r.state,
      file: r.file ?? null,
      exported_at: r.exported_at ?? null,
      error: r.error ?? null,
      run_id: r.run_id ?? null,
      updated_at: r.updated_at,
    })),
    timeline,
  })
}
