import crypto from "node:crypto"
import { STUCK_PENDING_MINUTES } from "../../modules/channel/types/states"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../modules/channel"
import type ChannelModuleService from "../../modules/channel/service"
import type { StagedRow } from "../../modules/channel/service"
import { ChannelProviderError } from "../../modules/channel/errors"
import { scrubSecrets } from "../../modules/channel/scrub"
import { CallErrorList, recordCallErrors, type CallError } from "../../providers/shared/call-errors"
import { recoverInterruptedImports } from "./recover-interrupted-imports"
import { decideChannelOrders, loadDecideContext, type DecisionCounts, type StagedChannelOrder } from "./decide-channel-orders"

export type ImportTrigger = "schedule" | "manual" | "retry"

export type RunSummary = {
  id: string
  channel_id: string
  trigger: ImportTrigger
  status: "running" | "succeeded" | "failed"
  started_at: Date
  finished_at: Date | null
  window_from: Date | null
  window_to: Date | null
  fetched: number
  imported: number
  waiting: number
  ignored: number
  failed: number
  skipped: number
  pages: number
  error: string | null
  /** Machine-readable reason of a failed run (a provider's code, e.g. `credentials_undecryptable`, `host_not_allowed`). */
  error_code?: string | null
  /** Every failed marketplace call of the run (retried ones too), first MAX_RUN_ERRORS of them. */
  errors?: CallError[] | null
  /** Failed calls past the cap, counted only. */
  errors_dropped?: number
}

export class ImportAlreadyRunningError extends MedusaError {
  constructor(channelId: string) {
    super(MedusaError.Types.CONFLICT, `An import of channel ${channelId} is already running`)
  }
}

/** How long a run may hold its channel's lock without renewing it (each page renews it). */
const RUN_LOCK_SECONDS = 15 * 60
/** Each window re-reads at least this much of the previous one, whatever the setting says (clock skew, late indexing). */
export const MIN_OVERLAP_MINUTES = 2

/** A marketplace's refusal of a page token (expired, malformed, for another query). */
export function isRefusedPageToken(e: any): boolean {
  if (e?.code === "invalid_page_token") return true
  const status = Number(e?.status)
  const text = `${e?.marketplace_code ?? ""} ${e?.marketplace_message ?? ""} ${e?.message ?? ""}`.toLowerCase()
  return (status === 400 || status === 404 || status === 410) && /token|cursor|offset|page/.test(text)
}

const lockKey = (channelId: string) => `channel-import:${channelId}`

/**
 * Staged rows plus what they were before this page, read with two queries per page. "Before" is
 * read across the channel's marketplace account, so an order a deleted twin of this channel
 * imported comes back as known (and is followed, not imported again). An order another live channel
 * of the same account holds is left to that channel and dropped from this page.
 */
export async function stagePage(channels: ChannelModuleService, channelId: string, rows: StagedRow[]) {
  const ids = rows.map((r) => r.external_id)
  const accountKey = await channels.accountKeyOfChannel(channelId)
  const before = await channels.listChannelOrders({ account_key: accountKey, external_id: ids } as any, { select: ["id", "external_id", "external_status", "external_updated_at"] })
  const previous = new Map(before.map((b) => [b.external_id, b.external_status]))
  const previousUpdate = new Map(before.map((b) => [b.external_id, b.external_updated_at ? new Date(b.external_updated_at).getTime() : null]))
  await channels.stageChannelOrders(channelId, rows)
  const after = await channels.listChannelOrders(
    { channel_id: channelId, external_id: ids },
    { select: ["id", "external_id", "external_status", "external_updated_at", "state", "order_id", "raw", "attempts"] }
  )
  const byId = new Map(after.map((a) => [a.external_id, a]))
  // Keep the page's order; a payload repeated within one page is decided once.
  const seen = new Set<string>()
  return ids
    .filter((id) => (seen.has(id) || !byId.has(id) ? false : (seen.add(id), true)))
    .map((id) => {
      const row = byId.get(id) as unknown as StagedChannelOrder & { external_updated_at?: Date | string | null }
      const now = row.external_updated_at ? new Date(row.external_updated_at).getTime() : null
      const then = previousUpdate.get(id) ?? null
      return {
        row,
        previous_status: previous.has(id) ? (previous.get(id) ?? null) : null,
        is_new: !previous.has(id),
        changed: previous.has(id) && (previous.get(id) !== row.external_status || (now !== null && then !== null && now > then)),
      }
    })
}

/**
 * One pull of one channel. Holds the channel's lock for the whole run (409 for a second caller),
 * walks the marketplace's time window page by page, stages every payload before deciding anything,
 * and saves the cursor only after a page is fully persisted, so a run that dies resumes from the
 * page it was on, with nothing lost and nothing doubled.
 */
export async function runChannelImport(container: MedusaContainer, input: RunChannelImportInput): Promise<RunSummary> {
  // Every marketplace call the run makes, however deep (listing, token refresh, acceptance,
  // following a change), reports its failed attempts here; the run row keeps them.
  const callErrors = new CallErrorList()
  return recordCallErrors(callErrors.add, () => runRecorded(container, input, callErrors))
}

type RunChannelImportInput = {
  channel_id: string
  trigger: ImportTrigger
  now?: Date
  /**
   * Stop after the page that ends past this many milliseconds, with the cursor on the next page:
   * the scheduled job's share of its tick, so a channel with a long backlog does not hold the
   * worker's job slot (and feedback delivery behind it) for the whole backlog. The next tick resumes.
   */
  max_duration_ms?: number
}

async function runRecorded(container: MedusaContainer, input: RunChannelImportInput, callErrors: CallErrorList): Promise<RunSummary> {
  const started = Date.now()
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const locking = container.resolve(Modules.LOCKING)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const owner = `run-${crypto.randomUUID()}`
  const channel = await channels.retrieveChannel(input.channel_id)
  if (!channel.enabled) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Channel ${channel.name} is disabled; enable it to import`)
  }
  try {
    await locking.acquire(lockKey(channel.id), { ownerId: owner, expire: RUN_LOCK_SECONDS })
  } catch {
    throw new ImportAlreadyRunningError(channel.id)
  }

  let run: any
  // The channel's credentials once opened: every error text is scrubbed of them before it is stored or logged.
  let credentials: unknown
  try {
    // The run row first: whatever fails after this (credentials that cannot be decrypted, a provider
    // that is not registered) is a failed run the admin sees, not only a log line.
    run = await channels.createChannelImportRuns({ channel_id: channel.id, trigger: input.trigger, status: "running", started_at: new Date() })
    // This run holds the channel's lock, so any other run still `running` belongs to a process that
    // died: say so instead of leaving it running.
    await channels.closeInterruptedRuns(channel.id, run.id)
    const dc = await loadDecideContext(container, channel.id)
    credentials = dc.ctx.credentials
    // Windows follow the database's clock, which every instance shares, not this machine's.
    const now = input.now ?? (await channels.databaseNow())
    const last = await channels.lastCursor(channel.id)
    const lagMs = (dc.provider.listing_lag_seconds ?? 0) * 1000
    const overlapMs = Math.max(dc.settings.overlap_minutes, MIN_OVERLAP_MINUTES) * 60_000
    let windowFrom: Date
    let windowTo: Date
    let pageToken: string | null = null
    // A cursor holding both a page token and completed_to finished its window (runs saved before
    // every key was written each time kept the last page's token next to completed_to).
    if (last?.page_token && last.window_from && last.window_to && !last.completed_to) {
      // The previous run stopped between pages: finish its window first.
      windowFrom = new Date(last.window_from)
      windowTo = new Date(last.window_to)
      pageToken = last.page_token
    } else {
      windowTo = new Date(now.getTime() - lagMs)
      windowFrom = last?.completed_to
        ? new Date(new Date(last.completed_to).getTime() - overlapMs)
        : new Date(now.getTime() - dc.settings.lookback_hours * 3_600_000)
    }
    run = await channels.updateChannelImportRuns({ id: run.id, window_from: windowFrom, window_to: windowTo })
    const totals: DecisionCounts & { fetched: number; pages: number } = { fetched: 0, pages: 0, imported: 0, waiting: 0, ignored: 0, failed: 0, skipped: 0 }

    // Recovery first: imports of this channel whose process died midway are undone and decided again,
    // and so are orders staged but never decided (the marketplace may never list them again).
    const { outcomes } = await recoverInterruptedImports(container, channel.id)
    const stale = await channels.listStalePendingChannelOrders(channel.id, STUCK_PENDING_MINUTES)
    const released = [...new Set([...outcomes.filter((o) => o.released).map((o) => o.channel_order_id), ...stale.map((s) => s.id)])]
    if (released.length) {
      const rows = await channels.listChannelOrders({ id: released }, { select: ["id", "external_id", "external_status", "state", "order_id", "raw", "attempts"] })
      const counts = await decideChannelOrders(
        container,
        dc,
        rows.map((row: any) => ({ row, previous_status: row.external_status, is_new: false, changed: false }))
      )
      for (const k of Object.keys(counts) as (keyof DecisionCounts)[]) totals[k] += counts[k]
    }

    if (windowFrom < windowTo) {
      let resumed = !!pageToken
      // The earliest end a provider reported for its listing (its clock or the marketplace's limit).
      let listedUntil: Date | null = null
      for (;;) {
        let page
        try {
          page = await dc.provider.listOrders(dc.ctx, {
            updated_after: windowFrom.toISOString(),
            updated_before: windowTo.toISOString(),
            page_token: pageToken,
          })
        } catch (e: any) {
          // A saved page token the marketplace refuses (expired after a day, or invalid) would wedge
          // the channel: start the saved window again from its first page. Staging is idempotent.
          if (!resumed || !isRefusedPageToken(e)) throw e
          logger.warn(`Channel ${channel.name}: the saved page token was refused (${scrubSecrets(String(e?.message ?? e), credentials)}); reading the window ${windowFrom.toISOString()}..${windowTo.toISOString()} from its start`)
          resumed = false
          pageToken = null
          continue
        }
        resumed = false
        if (page.listed_until) {
          const t = new Date(page.listed_until)
          if (!Number.isNaN(t.getTime()) && t < windowTo && (!listedUntil || t < listedUntil)) listedUntil = t
        }
        const rows = page.orders.map((raw) => identifyRaw(dc.provider, raw))
        const staged = rows.length ? await stagePage(channels, channel.id, rows) : []
        const counts = staged.length ? await decideChannelOrders(container, dc, staged) : null
        totals.pages++
        totals.fetched += page.orders.length
        if (counts) for (const k of Object.keys(counts) as (keyof DecisionCounts)[]) totals[k] += counts[k]
        pageToken = page.next_page_token ?? null
        // Only now is the page safe: move the cursor past it.
        // Every key written each time: Medusa merges a json column on update, and a page token left
        // over from an earlier page would send the next run back into a finished window.
        const cursor = pageToken
          ? { window_from: windowFrom.toISOString(), window_to: windowTo.toISOString(), page_token: pageToken, completed_to: null }
          : { window_from: null, window_to: null, page_token: null, completed_to: (listedUntil ?? windowTo).toISOString() }
        await channels.updateChannelImportRuns({ id: run.id, cursor, ...totals, ...callErrors.toRun() } as any)
        await locking.acquire(lockKey(channel.id), { ownerId: owner, expire: RUN_LOCK_SECONDS })
        if (!pageToken) break
        if (input.max_duration_ms !== undefined && Date.now() - started >= input.max_duration_ms) break
      }
    } else {
      await channels.updateChannelImportRuns({ id: run.id, cursor: last ?? { completed_to: windowTo.toISOString() } })
    }

    run = await channels.updateChannelImportRuns({ id: run.id, status: "succeeded", finished_at: new Date(), ...callErrors.toRun() } as any)
    return run as RunSummary
  } catch (e: any) {
    if (!run) throw e
    const message = scrubSecrets(String(e?.message ?? e), credentials)
    const error_code = e instanceof ChannelProviderError ? e.code : null
    logger.warn(`Import run ${run.id} of channel ${channel.name} failed${error_code ? ` (${error_code})` : ""}: ${message}`)
    run = await channels.updateChannelImportRuns({ id: run.id, status: "failed", finished_at: new Date(), error: message, error_code, ...callErrors.toRun() } as any)
    return run as RunSummary
  } finally {
    await locking.release(lockKey(channel.id), { ownerId: owner }).catch(() => undefined)
  }
}

/**
 * The staging key of a raw payload. A payload the provider cannot even identify is still kept,
 * under a key derived from its content, and fails with `unidentified_payload` rather than vanish.
 */
export function identifyRaw(provider: { identify(raw: unknown): { external_id: string; status: string; updated_at?: string | null } }, raw: unknown): StagedRow {
  try {
    const id = provider.identify(raw)
    return { external_id: id.external_id, external_status: id.status || null, external_updated_at: id.updated_at ?? null, raw }
  } catch {
    const digest = crypto.createHash("sha256").update(JSON.stringify(raw ?? null)).digest("hex").slice(0, 24)
    return { external_id: `unidentified:${digest}`, external_status: null, external_updated_at: null, raw }
  }
}
