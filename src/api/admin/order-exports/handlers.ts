import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"
import { ORDER_TRANSFER_MODULE } from "../../../modules/order-transfer"
import type OrderTransferModuleService from "../../../modules/order-transfer/service"
import {
  deleteOrderExportWorkflow,
  deleteStatusImportWorkflow,
  saveOrderExportWorkflow,
  saveStatusImportWorkflow,
} from "../../../workflows/transfers/configurations"
import { runOrderExport } from "../../../workflows/transfers/export-orders"
import { runStatusImport } from "../../../workflows/transfers/import-statuses"
import { presentLocation, splitLocationSecrets } from "../../../workflows/transfers/locations"

/**
 * The handlers of /admin/order-exports and /admin/status-imports (the same shape for both kinds;
 * the route files only bind them). No business logic: workflows and the run functions do the work.
 */
type Kind = {
  kind: "order_export" | "status_import"
  /** Singular and plural response keys. */
  one: "order_export" | "status_import"
  many: "order_exports" | "status_imports"
  /** The body key holding the location. */
  location: "destination" | "source"
}

export const ORDER_EXPORTS: Kind = { kind: "order_export", one: "order_export", many: "order_exports", location: "destination" }
export const STATUS_IMPORTS: Kind = { kind: "status_import", one: "status_import", many: "status_imports", location: "source" }

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v ?? null))

/** A configuration as the API shows it: its location without secrets, and whether secrets are stored. */
export function presentConfiguration(k: Kind, row: Record<string, any>, channels: ChannelModuleService, lastRun?: any) {
  const { credentials_encrypted, deleted_at: _d, ...rest } = row
  return {
    ...rest,
    [k.location]: presentLocation(row[k.location]),
    has_credentials: Boolean(credentials_encrypted),
    credentials_status: channels.credentialsStatus({ credentials_encrypted }),
    ...(lastRun !== undefined ? { last_run: lastRun ? presentRun(lastRun) : null } : {}),
  }
}

export function presentRun(run: Record<string, any>) {
  return {
    id: run.id,
    kind: run.kind,
    configuration_id: run.configuration_id,
    trigger: run.trigger,
    status: run.status,
    started_at: iso(run.started_at),
    finished_at: iso(run.finished_at),
    file: run.file ?? null,
    files: run.files ?? [],
    exported: run.exported ?? 0,
    processed: run.processed ?? 0,
    applied: run.applied ?? 0,
    failed: run.failed ?? 0,
    errors: run.errors ?? [],
    error: run.error ?? null,
    error_code: run.error_code ?? null,
  }
}

const service = (req: AuthenticatedMedusaRequest) => req.scope.resolve<OrderTransferModuleService>(ORDER_TRANSFER_MODULE)
const channelsOf = (req: AuthenticatedMedusaRequest) => req.scope.resolve<ChannelModuleService>(CHANNEL_MODULE)

async function retrieve(k: Kind, req: AuthenticatedMedusaRequest, id: string): Promise<any> {
  const s = service(req)
  return k.kind === "order_export" ? s.retrieveOrderExport(id) : s.retrieveStatusImport(id)
}

const identity = (loc: any) => (loc ? JSON.stringify([loc.type, loc.host ?? null, loc.port ?? null, loc.username ?? null, loc.url ?? null]) : "")

export function listHandler(k: Kind) {
  return async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
    const s = service(req)
    const { limit = 50, offset = 0 } = (req.validatedQuery ?? {}) as { limit?: number; offset?: number }
    const [rows, count] =
      k.kind === "order_export"
        ? await s.listAndCountOrderExports({}, { take: limit, skip: offset, order: { created_at: "ASC" } })
        : await s.listAndCountStatusImports({}, { take: limit, skip: offset, order: { created_at: "ASC" } })
    const latest = await s.latestRunsByConfiguration(rows.map((r: any) => r.id))
    const channels = channelsOf(req)
    res.json({ [k.many]: rows.map((r: any) => presentConfiguration(k, r, channels, latest.get(r.id) ?? null)), count, limit, offset })
  }
}

export function createHandler(k: Kind) {
  return async (req: AuthenticatedMedusaRequest<any>, res: MedusaResponse) => {
    const channels = channelsOf(req)
    const { credentials, ...body } = req.validatedBody as Record<string, any>
    const { location, secrets } = splitLocationSecrets(body[k.location], credentials)
    // Sealed before any workflow sees them: the engine keeps workflow input.
    const input = { ...body, [k.location]: location, enabled: body.enabled ?? true, credentials_sealed: channels.sealCredentials(secrets) }
    const wf = k.kind === "order_export" ? saveOrderExportWorkflow : saveStatusImportWorkflow
    const { result } = await wf(req.scope).run({ input })
    res.status(201).json({ [k.one]: presentConfiguration(k, result as any, channels, null) })
  }
}

export function retrieveHandler(k: Kind) {
  return async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
    const row = await retrieve(k, req, req.params.id)
    const latest = await service(req).latestRunsByConfiguration([row.id])
    res.json({ [k.one]: presentConfiguration(k, row, channelsOf(req), latest.get(row.id) ?? null) })
  }
}

/**
 * Updates what the body sends. Secrets: new ones (inline or `credentials`) replace the stored ones,
 * `credentials: null` removes them, none keeps them; a location moved to another server (type, host,
 * port, user, URL) needs its secrets sent again, so a stored password never follows it there.
 */
export function updateHandler(k: Kind) {
  return async (req: AuthenticatedMedusaRequest<any>, res: MedusaResponse) => {
    const channels = channelsOf(req)
    const before = await retrieve(k, req, req.params.id)
    const { credentials, ...body } = req.validatedBody as Record<string, any>
    const input: Record<string, any> = { id: before.id, ...body }
    if (body[k.location]) {
      const { location, secrets } = splitLocationSecrets(body[k.location], credentials)
      input[k.location] = location
      if (secrets) input.credentials_sealed = channels.sealCredentials(secrets)
      else if (credentials === null) input.credentials_sealed = null
      else if (before.credentials_encrypted && identity(location) !== identity(before[k.location])) {
        throw new MedusaError(
          MedusaError.Types.INVALID_DATA,
          `The ${k.location} moved to another server: send its password or private key again (credentials), or credentials: null to store none`
        )
      }
    } else if (credentials !== undefined) {
      input.credentials_sealed = credentials === null ? null : channels.sealCredentials(splitLocationSecrets({}, credentials).secrets)
    }
    const wf = k.kind === "order_export" ? saveOrderExportWorkflow : saveStatusImportWorkflow
    const { result } = await wf(req.scope).run({ input })
    res.json({ [k.one]: presentConfiguration(k, result as any, channels) })
  }
}

export function deleteHandler(k: Kind) {
  return async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
    const wf = k.kind === "order_export" ? deleteOrderExportWorkflow : deleteStatusImportWorkflow
    await wf(req.scope).run({ input: { id: req.params.id } })
    res.json({ id: req.params.id, object: k.one, deleted: true })
  }
}

/** Runs it now and answers when the run ends: `{ run }` (409 while another run of it is in progress). */
export function runHandler(k: Kind) {
  return async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
    const run =
      k.kind === "order_export"
        ? await runOrderExport(req.scope, { order_export_id: req.params.id, trigger: "manual" })
        : await runStatusImport(req.scope, { status_import_id: req.params.id, trigger: "manual" })
    res.json({ run: presentRun(run) })
  }
}

export function runsHandler(k: Kind) {
  return async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
    await retrieve(k, req, req.params.id)
    const { limit = 20, offset = 0 } = (req.validatedQuery ?? {}) as { limit?: number; offset?: number }
    const [runs, count] = await service(req).listAndCountTransferRuns({ configuration_id: req.params.id }, { take: limit, skip: offset, order: { started_at: "DESC" } })
    res.json({ runs: runs.map(presentRun), count, limit, offset })
  }
}
