import type { MedusaContainer } from "@medusajs/framework/types"
import { scrubSecrets } from "../../modules/channel/scrub"
import { ContainerRegistrationKeys, MedusaError, Modules, validateEmail } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../modules/channel"
import type ChannelModuleService from "../../modules/channel/service"
import type { ChannelSettings } from "../../modules/channel/settings"
import { parseCanonicalOrder, type CanonicalOrder } from "../../modules/channel/types/canonical-order"
import type { IChannelProvider, StatusAction } from "../../modules/channel/types/provider"
import { ChannelOrderImportError, type ChannelOrderErrorCode, type ChannelOrderErrorData } from "../../modules/channel/errors"
import { decideChannelOrder } from "./decide-channel-order"
import { importChannelOrderWorkflow, type ImportChannelOrderInput } from "./import-channel-order"
import { importChannelOrdersBatchWorkflow, type BatchImportInput } from "./import-channel-orders-batch"
import { prepareImports, type ImportCandidate } from "./prepare-imports"
import { applyRuleEffects, evaluateImportRules, loadImportRules, storeCountryCode } from "./apply-import-rules"
import { buyerKeys, orderFingerprint } from "./duplicate-orders"
import type { ApplicableImportRule } from "../rules/apply"
import { normalizeChannelOrder } from "./normalize-channel-order"
import { failpoint } from "./failpoints"
import crypto from "node:crypto"
import { matchedSkus } from "./prepare-imports"
import { recordChannelOrderFailuresWorkflow, type ChannelOrderFailure } from "./record-channel-order-failures"
import { followChannelOrderWorkflow } from "./follow-channel-order"
import { acceptChannelOrdersWorkflow, type ChannelOrderAcceptance } from "./accept-channel-orders"
import type { ChannelOrderEventInput } from "./steps/record-channel-order-events"

export type DecisionCounts = { imported: number; waiting: number; ignored: number; failed: number; skipped: number }

export type StagedChannelOrder = {
  id: string
  external_id: string
  external_status: string | null
  state: string
  order_id: string | null
  raw: unknown
  attempts: number
}

export type DecideContext = {
  /** Provider call context (credentials, limiter); needed for marketplace calls such as acceptance. */
  ctx?: any
  channel: { id: string; name: string; provider: string }
  settings: ChannelSettings
  provider: IChannelProvider
  /** external_status → rule; statuses without a row behave as do_not_import with retry on. */
  rules: Map<string, { action: StatusAction; retry: boolean }>
  import_rules: ApplicableImportRule[]
  store_country: string | null
}

const emptyCounts = (): DecisionCounts => ({ imported: 0, waiting: 0, ignored: 0, failed: 0, skipped: 0 })

/** Loads what deciding needs for one channel: settings, provider and its status-rule table. */
export async function loadDecideContext(container: MedusaContainer, channelId: string): Promise<DecideContext & { ctx: any }> {
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const { channel, settings, provider, ctx } = await channels.getChannelContext(channelId)
  const rows = await channels.listChannelStatusRules({ channel_id: channelId })
  const rules = new Map(rows.map((r) => [r.external_status, { action: r.action as StatusAction, retry: r.retry }]))
  const [import_rules, store_country] = await Promise.all([loadImportRules(container), storeCountryCode(container)])
  return { channel, settings, provider, rules, ctx, import_rules, store_country }
}

/**
 * Applies the channel's status rules to a page of staged channel orders and imports those whose
 * status imports. Every order ends in a recorded state: imported, waiting (do not import, retry on),
 * ignored (retry off), failed (with a code and a message), or skipped (already imported).
 * One order's failure never stops the page.
 */
export async function decideChannelOrders(
  container: MedusaContainer,
  dc: DecideContext,
  staged: Array<{ row: StagedChannelOrder; previous_status: string | null; is_new: boolean; changed?: boolean }>,
  opts: { force?: boolean } = {}
): Promise<DecisionCounts> {
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const counts = emptyCounts()
  const events: ChannelOrderEventInput[] = []
  const updates: Array<Record<string, unknown>> = []
  const candidates: Array<ImportCandidate & { row: StagedChannelOrder }> = []

  // Orders the decision says wait (retry on) or import, which the marketplace wants accepted first:
  // accepted after every decision of the page is recorded (acceptWaitingOrders).
  const toAccept: Array<{ row: StagedChannelOrder; order: CanonicalOrder }> = []
  // Imported orders the marketplace changed: followed (channel-orders-follow-channel-order) once the
  // page's timeline is written. Orders that cannot be read: failed (channel-orders-record-failure).
  const follows: Array<{ row: StagedChannelOrder; order: CanonicalOrder }> = []
  const decided: { failures: ChannelOrderFailure[]; events: ChannelOrderEventInput[] } = { failures: [], events: [] }

  for (const { row, previous_status, is_new, changed } of staged) {
    if (is_new) events.push({ channel_order_id: row.id, type: "staged", message: `Received from ${dc.channel.name} with status "${row.external_status}"` })
    else if (previous_status !== null && previous_status !== row.external_status) {
      events.push({
        channel_order_id: row.id,
        order_id: row.order_id,
        type: "status_changed",
        message: `Marketplace status changed from "${previous_status}" to "${row.external_status}"`,
        data: { from: previous_status, to: row.external_status },
      })
    }

    const decision = decideChannelOrder({ row, changed }, { provider: dc.provider, settings: dc.settings, rules: dc.rules, force: opts.force })
    switch (decision.kind) {
      case "skip":
        counts.skipped++
        continue
      case "follow":
        counts.skipped++
        follows.push({ row, order: decision.order })
        continue
      case "ignore":
        counts.ignored++
        continue
      case "fail":
        counts.failed++
        decided.failures.push(failure(row, decision.code, decision.message, decision.data))
        decided.events.push({ channel_order_id: row.id, type: "failed", message: decision.message, data: { error_code: decision.code, ...decision.data } })
        continue
      case "wait":
        counts[decision.state]++
        if (decision.state === "waiting") toAccept.push({ row, order: decision.order })
        updates.push({ id: row.id, state: decision.state, action: "do_not_import", normalized: decision.order, error_code: null, error_message: decision.message, error_data: null })
        if (row.state !== decision.state || previous_status !== row.external_status) {
          events.push({ channel_order_id: row.id, type: decision.state, message: `Status "${decision.order.status}": do not import (retry ${decision.state === "waiting" ? "on" : "off"})` })
        }
        continue
      case "import":
        toAccept.push({ row, order: decision.order })
        updates.push({ id: row.id, normalized: decision.order, action: decision.action })
        candidates.push({ channel_order_id: row.id, order: decision.order, action: decision.action, row })
    }
  }

  if (updates.length) await channels.updateChannelOrders(updates as any)
  // Staged, status changes and decisions go on the timeline before anything is imported, so the
  // timeline reads in the order things happened.
  if (events.length) await channels.createChannelOrderEvents(events.splice(0))
  if (decided.failures.length) await recordChannelOrderFailuresWorkflow(container).run({ input: decided })
  for (const f of follows) await followChannelOrder(container, dc, f.row, f.order)
  await acceptWaitingOrders(container, dc, toAccept)

  if (candidates.length) {
    const prepared = await prepareImports(container, dc.channel, dc.settings, candidates)
    const duplicates = dc.settings.duplicate_protection ? await findDuplicates(channels, dc, candidates) : new Map<string, string>()
    const locking = container.resolve(Modules.LOCKING)
    // Every import this call begins is owned by it: its rows are `importing` until they finish, and
    // a row it leaves behind (the process died) is recovered by the next run once the lease ends.
    const owner = `import-${crypto.randomUUID()}`
    const failures: ChannelOrderFailure[] = []
    const ready: Array<{ row: StagedChannelOrder; input: ImportChannelOrderInput }> = []
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[i]
      const p = prepared[i]
      if (!p.ok) {
        counts.failed++
        failures.push(failure(c.row, p.error.code, p.error.message, p.error.data))
        events.push({ channel_order_id: c.row.id, type: "failed", message: p.error.message, data: { error_code: p.error.code, ...(p.error.data ?? {}) } })
        continue
      }
      const effects = await evaluateImportRules(container, dc.import_rules, c.order, dc.channel, dc.store_country, dc.settings.tax_mode)
      let input = applyRuleEffects(p.prepared, effects, dc.settings)
      const firstSeen = duplicates.get(c.row.id)
      if (firstSeen && !effects.cancel) {
        input = { ...input, holds: [...input.holds, { reason: "duplicate_order", detail: `Same buyer, items and total as ${firstSeen}` }] }
      }
      const ruleEffects = effects.matched_rule_ids.length ? effects : null
      ready.push({ row: c.row, input: { ...input, channel_id: dc.channel.id, rule_effects: ruleEffects as any, alerts: effects.alerts, import_owner: owner } })
    }

    let oneByOne = ready
    if (dc.settings.batch_import && ready.length) {
      const { batch, rest } = await splitForBatch(container, ready)
      if (batch.length) {
        const outcome = await importBatch(container, batch)
        counts.imported += outcome.imported
        counts.skipped += outcome.skipped
        if (outcome.error) {
          logger.warn(`Batch import of ${batch.length} orders from ${dc.channel.name} failed, importing them one by one: ${outcome.error?.message ?? outcome.error}`)
          oneByOne = ready
        } else {
          oneByOne = rest
        }
      }
    }

    for (const { row, input } of oneByOne) {
      // One importer per external order at a time, across instances; the claim step still has the
      // last word if a lock is lost.
      const outcome = await locking
        .execute(`channel-order:${row.id}`, async () => {
          const [fresh] = await channels.listChannelOrders({ id: row.id }, { select: ["id", "state", "order_id"] })
          if (fresh?.order_id) return { kind: "skipped" as const }
          // Another live import holds it (its lease has not ended): not ours to import.
          const [begun] = await channels.beginChannelOrderImports([row.id], owner, IMPORT_LEASE_SECONDS)
          if (!begun) return { kind: "skipped" as const }
          await failpoint("before-create")
          const { result, errors } = await importChannelOrderWorkflow(container).run({ input, throwOnError: false })
          if (errors?.length) return { kind: "error" as const, error: errors[0].error as unknown }
          return { kind: "imported" as const, order_id: result.order_id }
        }, { timeout: 30 })
        // No lock within 30 s (another instance holds it) or a lock lost midway: this order's
        // outcome, not the page's. Whoever linked an order has imported it; otherwise it failed.
        .catch(async (error: unknown) => {
          const [fresh] = await channels.listChannelOrders({ id: row.id }, { select: ["id", "order_id"] })
          if (fresh?.order_id) return { kind: "skipped" as const }
          const message = `The order's import lock failed (another import of it may have been running); retry it: ${(error as Error)?.message ?? error}`
          return { kind: "error" as const, error: new ChannelOrderImportError("import_failed", message) }
        })

      if (outcome.kind === "imported") counts.imported++
      else if (outcome.kind === "skipped") counts.skipped++
      else {
        const classified = classifyImportError(outcome.error)
        if (classified.code === null) {
          counts.skipped++
          continue
        }
        counts.failed++
        logger.warn(`Channel order ${row.external_id} (${dc.channel.name}) failed to import: ${classified.message}`)
        failures.push(failure(row, classified.code, classified.message, classified.data))
        events.push({ channel_order_id: row.id, type: "failed", message: classified.message, data: { error_code: classified.code } })
      }
    }
    // Failed, unless an order got linked meanwhile (the step checks), with their timeline, as one unit.
    if (failures.length) await recordChannelOrderFailuresWorkflow(container).run({ input: { failures, events: events.splice(0) } })
    await channels.releaseUnfinishedImports(owner)
  }

  if (events.length) await channels.createChannelOrderEvents(events)
  return counts
}

/**
 * Which prepared imports the batched path takes: those that only create, reserve, pay, invoice, hold
 * and tag (cancel and fulfilment need Medusa's order-change workflows), whose e-mail Medusa accepts,
 * and none while an automatic promotion exists (the batch does not compute promotions).
 */
async function splitForBatch(
  container: MedusaContainer,
  ready: Array<{ row: StagedChannelOrder; input: ImportChannelOrderInput }>
): Promise<{ batch: Array<{ row: StagedChannelOrder; input: BatchImportInput }>; rest: Array<{ row: StagedChannelOrder; input: ImportChannelOrderInput }> }> {
  const promotions = container.resolve(Modules.PROMOTION)
  const [automatic] = await promotions.listPromotions({ is_automatic: true }, { take: 1, select: ["id"] })
  if (automatic) return { batch: [], rest: ready }
  const batch: Array<{ row: StagedChannelOrder; input: BatchImportInput }> = []
  const rest: Array<{ row: StagedChannelOrder; input: ImportChannelOrderInput }> = []
  for (const r of ready) {
    const email = validEmail(r.input.order_input.email)
    // Orders partly shipped before the import need a fulfillment: Medusa's fulfillment workflow, per order.
    if (email && !r.input.plan.cancel && r.input.plan.fulfil === "none" && !r.input.shipped_elsewhere?.length) batch.push({ row: r.row, input: { ...r.input, customer_email: email } })
    else rest.push(r)
  }
  return { batch, rest }
}

function validEmail(email: unknown): string | null {
  if (typeof email !== "string") return null
  try {
    return validateEmail(email)
  } catch {
    return null
  }
}

/**
 * Runs the batch workflow under one lock per channel order (all of the batch's keys at once), after
 * dropping the ones another instance imported meanwhile.
 */
async function importBatch(
  container: MedusaContainer,
  batch: Array<{ row: StagedChannelOrder; input: BatchImportInput }>
): Promise<{ imported: number; skipped: number; error?: any }> {
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const locking = container.resolve(Modules.LOCKING)
  return await locking
    .execute(
      batch.map((b) => `channel-order:${b.row.id}`),
      async () => {
        const owner = batch[0].input.import_owner!
        const begun = new Set(await channels.beginChannelOrderImports(batch.map((b) => b.row.id), owner, IMPORT_LEASE_SECONDS))
        const todo = batch.filter((b) => begun.has(b.row.id))
        const taken = batch.length - todo.length
        if (!todo.length) return { imported: 0, skipped: taken }
        const { errors } = await importChannelOrdersBatchWorkflow(container).run({ input: { imports: todo.map((b) => b.input) }, throwOnError: false })
        if (errors?.length) return { imported: 0, skipped: 0, error: errors[0].error }
        return { imported: todo.length, skipped: taken }
      },
      { timeout: 60 }
    )
    .catch((error) => ({ imported: 0, skipped: 0, error }))
}

/**
 * Orders the marketplace wants accepted before they can ship (Mirakl OR21), once the decision said
 * they wait or import: accept the lines whose SKUs match the catalogue and refuse the others, once
 * per order, when the channel's `accept_orders` setting is on (the default), through the
 * `channel-orders-accept-channel-orders` workflow (which records each accept on the timeline as it
 * happens, and never sends one twice). The order then waits for its next status.
 */
async function acceptWaitingOrders(container: MedusaContainer, dc: DecideContext, decided: Array<{ row: StagedChannelOrder; order: CanonicalOrder }>): Promise<void> {
  const provider = dc.provider
  if (!provider.acceptOrder || !provider.awaitsAcceptance || (dc.settings as any).accept_orders === false) return
  const todo = decided.filter((d) => !d.row.order_id && provider.awaitsAcceptance!(d.row.raw))
  if (!todo.length) return
  const known = await matchedSkus(container, dc.channel.id, dc.settings, todo.flatMap((t) => t.order.items.map((i) => i.sku ?? "")))
  const orders: ChannelOrderAcceptance[] = todo.map(({ row, order }) => ({
    channel_order_id: row.id,
    external_order_id: order.external_id,
    accept_item_ids: order.items.filter((i) => i.sku && known.has(i.sku)).map((i) => i.external_id),
    refuse_item_ids: order.items.filter((i) => !i.sku || !known.has(i.sku)).map((i) => i.external_id),
    raw_order: row.raw,
  }))
  await acceptChannelOrdersWorkflow(container).run({ input: { channel_id: dc.channel.id, orders } })
}

/**
 * Duplicate protection: an order whose buyer (e-mail or shipping address), items and total match an
 * order imported from any channel within the window, or an earlier order of this same page.
 * Returns channel order id → a description of the first order.
 */
async function findDuplicates(
  channels: ChannelModuleService,
  dc: DecideContext,
  candidates: Array<ImportCandidate & { row: StagedChannelOrder }>
): Promise<Map<string, string>> {
  const since = new Date(Date.now() - dc.settings.duplicate_window_hours * 3_600_000)
  const keyed = candidates.map((c) => ({ c, keys: buyerKeys(c.order), fp: orderFingerprint(c.order) }))
  const earlier = await channels.findImportedByBuyer(since, {
    emails: [...new Set(keyed.map((k) => k.keys.email).filter((x): x is string => !!x))],
    addresses: [...new Set(keyed.map((k) => k.keys.address).filter((x): x is string => !!x))],
  })
  const seen: Array<{ keys: { email: string | null; address: string | null }; fp: string; label: string; id: string }> = earlier.map((e) => {
    const parsed = parseCanonicalOrder(e.normalized)
    return parsed.success
      ? { keys: buyerKeys(parsed.order), fp: orderFingerprint(parsed.order), label: `order ${e.external_id} (channel ${e.channel_id}, Medusa order ${e.order_id})`, id: e.id }
      : { keys: { email: null, address: null }, fp: "", label: "", id: e.id }
  })
  const found = new Map<string, string>()
  for (const k of keyed) {
    const match = seen.find(
      (s) => s.id !== k.c.row.id && s.fp === k.fp && ((k.keys.email && s.keys.email === k.keys.email) || (k.keys.address && s.keys.address === k.keys.address))
    )
    if (match) found.set(k.c.row.id, match.label)
    seen.push({ keys: k.keys, fp: k.fp, label: `order ${k.c.order.external_id} (channel ${dc.channel.id})`, id: k.c.row.id })
  }
  return found
}

/**
 * Follows one marketplace change of an imported order through `channel-orders-follow-channel-order`;
 * a change that cannot be applied leaves the order as it was and says so on its timeline.
 */
async function followChannelOrder(container: MedusaContainer, dc: DecideContext, row: StagedChannelOrder, order: CanonicalOrder): Promise<void> {
  const { errors } = await followChannelOrderWorkflow(container).run({
    input: { channel: dc.channel, settings: dc.settings, channel_order_id: row.id, order_id: row.order_id!, order },
    throwOnError: false,
  })
  if (!errors?.length) return
  const e: any = errors[0].error
  const message = scrubSecrets(String(e?.message ?? e), dc.ctx?.credentials)
  container.resolve(ContainerRegistrationKeys.LOGGER).warn(`Could not follow the marketplace change of ${row.external_id}: ${message}`)
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  await channels.createChannelOrderEvents([{ channel_order_id: row.id, order_id: row.order_id, type: "sync_failed", message: `Could not apply the marketplace change: ${message}` }])
}

function failure(row: StagedChannelOrder, code: ChannelOrderErrorCode, message: string, data: ChannelOrderErrorData | null = null): ChannelOrderFailure {
  return { id: row.id, error_code: code, error_message: message, error_data: data, attempts: (row.attempts ?? 0) + 1 }
}

/** How long an import owns a channel order before recovery may take it over (far above any import's length). */
export const IMPORT_LEASE_SECONDS = 600

/** Maps what a failed import workflow threw to the reason stored on the channel order; null means "lost the race, already imported". */
export function classifyImportError(error: any): { code: ChannelOrderErrorCode | null; message: string; data: ChannelOrderErrorData | null } {
  const message = error?.message ?? String(error)
  if (error instanceof ChannelOrderImportError) return { code: error.code, message, data: error.data }
  if (error?.type === MedusaError.Types.DUPLICATE_ERROR && /already imported/.test(message)) return { code: null, message, data: null }
  if (error?.code === "insufficient_inventory" || /required inventory|insufficient/i.test(message)) {
    return { code: "insufficient_quantity", message: `Not enough available stock: ${message}`, data: null }
  }
  if (/shipping option|shipping profile/i.test(message)) return { code: "unmapped_shipping", message, data: null }
  return { code: "import_failed", message, data: null }
}

export type { CanonicalOrder }
