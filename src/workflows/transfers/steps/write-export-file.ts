import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ORDER_TRANSFER_MODULE } from "../../../modules/order-transfer"
import type OrderTransferModuleService from "../../../modules/order-transfer/service"
import { exportStream, type ExportFormat } from "../export-format"
import { openLocation } from "../locations"
import { exportedOrderPages } from "../select-orders"

export type WriteExportFileInput = { order_export_id: string; file: string; order_ids: string[] }

/**
 * Reads the orders page by page (Medusa's totals) and streams the file to the destination, which
 * writes it under a temporary name and renames it when complete: a reader never sees half a file,
 * and a failure leaves none. Answers the file's path at the destination.
 */
export const writeExportFileStep = createStep("write-export-file", async (input: WriteExportFileInput, { container }) => {
  const transfers: OrderTransferModuleService = container.resolve(ORDER_TRANSFER_MODULE)
  const config = await transfers.retrieveOrderExport(input.order_export_id)
  const transport = await openLocation(container, config.destination as any, config.credentials_encrypted)
  try {
    const body = exportStream(config.format as ExportFormat, exportedOrderPages(container, input.order_ids))
    const { path } = await transport.write(input.file, body)
    return new StepResponse({ path })
  } finally {
    await transport.close().catch(() => undefined)
  }
})
