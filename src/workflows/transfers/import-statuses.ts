import crypto from "node:crypto"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { stringify } from "csv-stringify/sync"
import { CHANNEL_MODULE } from "../../modules/channel"
import type ChannelModuleService from "../../modules/channel/service"
import { scrubSecrets } from "../../modules/channel/scrub"
import { ORDER_TRANSFER_MODULE } from "../../modules/order-transfer"
import type OrderTransferModuleService from "../../modules/order-transfer/service"
import { applyOrderStatus, OrderStatusError } from "../status-sync/order-status"
import { errorCodeOf, TransferAlreadyRunningError, TRANSFER_LOCK_SECONDS, transferLockKey } from "./errors"
import type { TransferTrigger } from "./export-orders"
import { openLocation } from "./locations"
import { RowError, STATUS_FILE_PATTERN, statusRows, type StatusImportFormat, type StatusRow } from "./status-rows"

/** Who status imports are attributed to (order cancellations, holds). */
export const STATUS_IMPORT_ACTOR = "channel-orders-status-import"

export type RowFailure = { file: string; row: number | null; order: string | null; code: string; message: string }

/** The Medusa order a row names: by display_id, or by the channel order's external id. */
async function resolveOrder(container: MedusaContainer, row: StatusRow): Promise<{ order_id: string; channel_order_id: string | null }> {
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  if (row.display_id !== null) {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({ entity: "order", fields: ["id"], filters: { display_id: row.display_id } as any })
    if (!data[0]) throw new RowError("unknown_order", `No order #${row.display_id}`)
    const [co] = await channels.listChannelOrders({ order_id: (data[0] as any).id } as any, { select: ["id"], take: 1 })
    return { order_id: (data[0] as any).id, channel_order_id: co?.id ?? null }
  }
  const filters: Record<string, unknown> = { external_id: row.external_id, order_id: { $ne: null } }
  if (row.channel_id) filters.channel_id = row.channel_id
  const cos = await channels.listChannelOrders(filters as any, { select: ["id", "order_id", "channel_id"] })
  const orders = [...new Set(cos.map((c: any) => c.order_id as string))]
  if (!orders.length) throw new RowError("unknown_order", `No imported order with external id ${row.external_id}`)
  if (orders.length > 1) {
    throw new RowError("ambiguous_order", `External id ${row.external_id} names orders of several channels (${cos.map((c: any) => c.channel_id).join(", ")}); add a channel_id column`)
  }
  return { order_id: orders[0], channel_order_id: (cos[0] as any).id }
}

const who = (row: StatusRow) => (row.display_id !== null ? `#${row.display_id}` : (row.external_id ?? null))

/**
 * One run of a status import: reads every waiting file at the source, applies each row to its order
 * (status-sync/order-status.ts), and moves the file to `processed/`, or to `failed/` beside a report
 * (`<file>.errors.csv`) naming each row that failed, when any did. A failing row stops nothing else.
 */
export async function runStatusImport(container: MedusaContainer, input: { status_import_id: string; trigger: TransferTrigger }) {
  const transfers: OrderTransferModuleService = container.resolve(ORDER_TRANSFER_MODULE)
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const locking = container.resolve(Modules.LOCKING)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const config: any = await transfers.retrieveStatusImport(input.status_import_id)
  const owner = `status-import-${crypto.randomUUID()}`
  try {
    await locking.acquire(transferLockKey(config.id), { ownerId: owner, expire: TRANSFER_LOCK_SECONDS })
  } catch {
    throw new TransferAlreadyRunningError(config.id)
  }
  let run: any = await transfers.createTransferRuns({ kind: "status_import", configuration_id: config.id, trigger: input.trigger, status: "running", started_at: new Date() })
  const errors: RowFailure[] = []
  const files: any[] = []
  const totals = { processed: 0, applied: 0, failed: 0 }
  try {
    await transfers.closeInterruptedRuns(config.id, run.id)
    const transport = await openLocation(container, config.source, config.credentials_encrypted)
    try {
      const waiting = await transport.list({ pattern: STATUS_FILE_PATTERN[config.format as StatusImportFormat] })
      for (const file of waiting) {
        const fileErrors: RowFailure[] = []
        const summary = { name: file.name, rows: 0, applied: 0, failed: 0, moved_to: null as string | null, report: null as string | null }
        try {
          const body = await transport.read(file.name)
          for await (const parsed of statusRows(body, config.format)) {
            summary.rows++
            totals.processed++
            const fail = (code: string, message: string, order: string | null) => {
              fileErrors.push({ file: file.name, row: parsed.row, order, code, message })
              summary.failed++
              totals.failed++
            }
            if (parsed.error || !parsed.value) {
              fail(parsed.error?.code ?? "invalid_row", parsed.error?.message ?? "unreadable row", null)
              continue
            }
            const row = parsed.value
            try {
              const target = await resolveOrder(container, row)
              const result = await applyOrderStatus(container, {
                order_id: target.order_id,
                status: row.status,
                tracking_number: row.tracking_number,
                tracking_url: row.tracking_url,
                carrier: row.carrier,
                shipped_at: row.shipped_at,
                items: row.items,
                actor: STATUS_IMPORT_ACTOR,
                source: `status import "${config.name}" (${file.name}, row ${row.row})`,
                metadata: { status_import_id: config.id, file: file.name, row: row.row },
              })
              summary.applied++
              totals.applied++
              const data = { status_import_id: config.id, run_id: run.id, file: file.name, row: row.row, status: row.status, outcome: result.outcome, tracking_number: row.tracking_number }
              await transfers.createOrderTransferEvents({ order_id: target.order_id, configuration_id: config.id, run_id: run.id, type: "status_imported", message: result.message, data })
              if (target.channel_order_id) {
                await channels.createChannelOrderEvents({ channel_order_id: target.channel_order_id, order_id: target.order_id, type: "status_imported", message: result.message, data })
              }
            } catch (e: any) {
              const code = e instanceof RowError || e instanceof OrderStatusError ? e.code : "status_failed"
              fail(code, scrubSecrets(String(e?.message ?? e)), who(row))
            }
          }
        } catch (e: any) {
          // The file could not be read or parsed past this point; the rows before it were applied.
          fileErrors.push({ file: file.name, row: null, order: null, code: errorCodeOf(e) ?? "unreadable_file", message: scrubSecrets(String(e?.message ?? e)) })
          summary.failed++
          totals.failed++
        }
        if (fileErrors.length) {
          const report = stringify([["file", "row", "order", "code", "message"], ...fileErrors.map((f) => [f.file, f.row ?? "", f.order ?? "", f.code, f.message])])
          const written = await transport.write(`${file.name}.errors.csv`, report, { folder: "failed" }).catch(() => null)
          summary.report = written?.path ?? null
          summary.moved_to = (await transport.move(file.name, "failed")).path
        } else {
          summary.moved_to = (await transport.move(file.name, "processed")).path
        }
        errors.push(...fileErrors)
        files.push(summary)
        run = await transfers.updateTransferRuns({ id: run.id, ...totals, files: files as any, errors: (errors.length ? errors : null) as any })
        await locking.acquire(transferLockKey(config.id), { ownerId: owner, expire: TRANSFER_LOCK_SECONDS })
      }
    } finally {
      await transport.close().catch(() => undefined)
    }
    const status = !errors.length ? "succeeded" : totals.applied ? "partial" : "failed"
    run = await transfers.updateTransferRuns({ id: run.id, status, finished_at: new Date(), ...totals, files: files as any, errors: (errors.length ? errors : null) as any, file: files[0]?.name ?? null })
    return run
  } catch (e: any) {
    const message = scrubSecrets(String(e?.message ?? e))
    const code = errorCodeOf(e)
    logger.warn(`Status import ${config.name} (run ${run.id}) failed${code ? ` (${code})` : ""}: ${message}`)
    run = await transfers.updateTransferRuns({ id: run.id, status: "failed", finished_at: new Date(), ...totals, files: files as any, errors: (errors.length ? errors : null) as any, error: message, error_code: code })
    return run
  } finally {
    await locking.release(transferLockKey(config.id), { ownerId: owner }).catch(() => undefined)
  }
}
