import { InjectManager, MedusaContext, MedusaError, MedusaService } from "@medusajs/framework/utils"
import type { Context } from "@medusajs/framework/types"
import { Channel } from "./models/channel"
import { ChannelStatusRule } from "./models/channel-status-rule"
import { ChannelOrder } from "./models/channel-order"
import { ChannelImportRun } from "./models/channel-import-run"
import { ChannelOrderEvent } from "./models/channel-order-event"
import { OrderHold } from "./models/order-hold"
import { OrderTag } from "./models/order-tag"
import { ChannelInvoice } from "./models/channel-invoice"
import { ChannelSkuMapping } from "./models/channel-sku-mapping"
import { ImportRule } from "./models/import-rule"
import { SandboxOrder } from "./models/sandbox-order"
import { ChannelRateBucket } from "./models/channel-rate-bucket"
import { ChannelProviderCache } from "./models/channel-provider-cache"
import { ChannelFeedback } from "./models/channel-feedback"
import { ChannelSweep } from "./models/channel-sweep"
import { ChannelApiKey } from "./models/channel-api-key"
import { ChannelApiRequest } from "./models/channel-api-request"
import { PROVIDER_IDS_KEY, PROVIDER_PREFIX } from "./loaders/providers"
import { SecretBox } from "./secrets"
import { ChannelCredentialsUnreadableError, moduleSecretBox, resealSecret } from "./credentials"
import { credentialUrlProblems, type AllowedHostsOption } from "./hosts"
import { rememberSecrets } from "./scrub"
import { ChannelProviderError } from "./errors"
import { channelAccountKey } from "./accounts"
import { parseChannelSettings, type ChannelSettings } from "./settings"
import type { ChannelContext, ChannelProviderCache as ProviderCache, ChannelRateLimiter, IChannelProvider, RateLimit } from "./types/provider"
import type { SqlManager } from "./services/sql"
import type { StagedRow } from "./services/staging"
import { ChannelStagingStore } from "./services/staging"
import { ChannelClaimStore } from "./services/claims"
import { ChannelRunStore } from "./services/runs"
import { ChannelRateBuckets } from "./services/rate-buckets"
import { ChannelFeedbackOutbox, type NewChannelFeedbackRow } from "./services/feedback-outbox"
import { ChannelSandboxStore } from "./services/sandbox"
import { ChannelReports } from "./services/reports"

export type ChannelModuleOptions = {
  /**
   * Secret the credentials are encrypted with. Required with NODE_ENV=production (the module refuses
   * to start without it); elsewhere it falls back to the JWT secret with a warning (credentials.ts).
   */
  encryption_key?: string
  /**
   * Extra hosts a channel's `base_url` / `auth_url` may point at, per provider id (`"*"`: every
   * provider), on top of the marketplace's published hosts. Outside production these may also be
   * plain http (the test simulators). See hosts.ts.
   */
  allowed_hosts?: AllowedHostsOption
  providers?: unknown[]
}

export { stageableRows, type StagedRow } from "./services/staging"
export type { NewChannelFeedbackRow } from "./services/feedback-outbox"


class ChannelModuleService extends MedusaService({
  Channel,
  ChannelStatusRule,
  ChannelOrder,
  ChannelImportRun,
  ChannelOrderEvent,
  OrderHold,
  OrderTag,
  ChannelInvoice,
  ChannelSkuMapping,
  ImportRule,
  SandboxOrder,
  ChannelRateBucket,
  ChannelProviderCache,
  ChannelFeedback,
  ChannelSweep,
  ChannelApiKey,
  ChannelApiRequest,
}) {
  protected readonly cradle_: Record<string, any>
  protected readonly options_: ChannelModuleOptions
  protected secrets_?: SecretBox
  // The service is split by concern (src/modules/channel/services/): each part runs its own SQL and
  // the service delegates to it, keeping every public method name and signature.
  protected readonly staging_: ChannelStagingStore
  protected readonly claims_: ChannelClaimStore
  protected readonly runs_: ChannelRunStore
  protected readonly rateBuckets_: ChannelRateBuckets
  protected readonly feedbackOutbox_: ChannelFeedbackOutbox
  protected readonly sandbox_: ChannelSandboxStore
  protected readonly reports_: ChannelReports

  constructor(cradle: Record<string, any>, options: ChannelModuleOptions = {}) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.cradle_ = cradle
    this.options_ = options ?? {}
    const repository = (this as unknown as { baseRepository_: unknown }).baseRepository_
    this.staging_ = new ChannelStagingStore(repository)
    this.claims_ = new ChannelClaimStore(repository)
    this.runs_ = new ChannelRunStore(repository)
    this.rateBuckets_ = new ChannelRateBuckets(repository)
    this.feedbackOutbox_ = new ChannelFeedbackOutbox(repository)
    this.sandbox_ = new ChannelSandboxStore(repository)
    this.reports_ = new ChannelReports(repository)
  }

  private get secrets(): SecretBox {
    this.secrets_ ??= moduleSecretBox(this.options_.encryption_key, this.cradle_)
    return this.secrets_
  }

  /** The module's `allowed_hosts` option (hosts.ts). */
  allowedHosts(): AllowedHostsOption | undefined {
    return this.options_.allowed_hosts
  }

  /**
   * Why this provider may not send a channel's credentials to the URLs in these settings (each
   * problem names its setting); empty when it may. Checked on save and before every use.
   */
  credentialUrlProblems(providerId: string, settings: Record<string, unknown> | null | undefined): string[] {
    let published: readonly string[] | undefined
    try {
      published = this.getProvider(providerId).credential_hosts
    } catch {
      published = undefined
    }
    return credentialUrlProblems(settings, { provider_id: providerId, published, allowed_hosts: this.options_.allowed_hosts })
  }

  // ---- providers -------------------------------------------------------------------------

  listProviderIds(): string[] {
    let ids: (string | undefined)[] = []
    try {
      ids = this.cradle_[PROVIDER_IDS_KEY] ?? []
    } catch {
      ids = []
    }
    return ids.filter((x): x is string => Boolean(x))
  }

  getProvider(providerId: string): IChannelProvider {
    try {
      const provider = this.cradle_[PROVIDER_PREFIX + providerId]
      if (provider) return provider as IChannelProvider
    } catch {
      // awilix throws for an unknown key; fall through to the readable error below
    }
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `Unknown channel provider "${providerId}". Registered providers: ${this.listProviderIds().join(", ") || "none"}`
    )
  }

  // ---- credentials -------------------------------------------------------------------------

  sealCredentials(credentials: Record<string, unknown> | null | undefined): string | null {
    if (!credentials || !Object.keys(credentials).length) return null
    return this.secrets.seal(credentials)
  }

  /** Throws ChannelCredentialsUnreadableError (code `credentials_undecryptable`) when the key cannot open them. */
  openCredentials(sealed: string | null | undefined, channelName?: string): Record<string, any> {
    if (!sealed) return {}
    let credentials: Record<string, any>
    try {
      credentials = this.secrets.open<Record<string, any>>(sealed)
    } catch {
      throw new ChannelCredentialsUnreadableError(channelName)
    }
    // Messages formatted anywhere in this process are scrubbed of these values (scrub.ts).
    rememberSecrets(credentials)
    return credentials
  }

  /**
   * A value sealed with the current key (returned as is) or with `previousKey` (sealed again with the
   * current one); null when neither opens it. Also used for the secrets other modules seal with this
   * key (order exports, status imports).
   */
  resealSecret(sealed: string, previousKey: string): string | null {
    return resealSecret(this.secrets, sealed, previousKey)
  }

  /**
   * Re-encrypts every channel's credentials and every provider cache entry with the current key
   * (src/scripts/rotate-encryption-key.ts). A value the current key already opens is left as it is;
   * one only `previousKey` opens is sealed again; one neither opens is counted as unreadable (a cache
   * entry is then dropped: the provider fetches a new token).
   */
  async reencryptSecrets(previousKey: string): Promise<{ channels: number; unchanged: number; unreadable: string[]; cache_entries: number; cache_dropped: number }> {
    const reseal = (sealed: string) => this.resealSecret(sealed, previousKey)
    const out = { channels: 0, unchanged: 0, unreadable: [] as string[], cache_entries: 0, cache_dropped: 0 }
    const channels = await this.listChannels({}, { select: ["id", "name", "credentials_encrypted"] })
    for (const channel of channels) {
      if (!channel.credentials_encrypted) continue
      const next = reseal(channel.credentials_encrypted)
      if (next === null) out.unreadable.push(channel.id)
      else if (next === channel.credentials_encrypted) out.unchanged++
      else {
        await this.updateChannels({ id: channel.id, credentials_encrypted: next })
        out.channels++
      }
    }
    const entries = await this.listChannelProviderCaches({}, { select: ["id", "value_encrypted", "expires_at"] } as any)
    for (const entry of entries) {
      const next = reseal(entry.value_encrypted)
      if (next === null) {
        await this.deleteChannelProviderCaches([entry.id])
        out.cache_dropped++
      } else if (next !== entry.value_encrypted) {
        await this.putProviderCacheEntry(entry.id, next, new Date(entry.expires_at))
        out.cache_entries++
      }
    }
    return out
  }

  /** `missing`, `set`, or `unreadable` (stored, but the current key cannot open them: the admin must enter them again). */
  credentialsStatus(channel: { credentials_encrypted?: string | null }): "missing" | "set" | "unreadable" {
    if (!channel.credentials_encrypted) return "missing"
    try {
      this.secrets.open(channel.credentials_encrypted)
      return "set"
    } catch {
      return "unreadable"
    }
  }

  /**
   * Everything a provider call needs for one channel: decrypted credentials, settings, limiter, cache.
   * `limiter_deadline` bounds rate-limit waits (see rateLimiterFor): a feedback send passes its lease.
   */
  async getChannelContext(channelId: string, opts: { limiter_deadline?: number } = {}): Promise<{
    channel: { id: string; name: string; provider: string; enabled: boolean }
    settings: ChannelSettings
    provider: IChannelProvider
    ctx: ChannelContext
  }> {
    const channel = await this.retrieveChannel(channelId)
    const settings = parseChannelSettings(channel.settings)
    const provider = this.getProvider(channel.provider)
    // Checked at every use, not only on save: a channel stored before the check, or an allowlist
    // narrowed since, never sends its credentials to a host the policy refuses.
    const problems = this.credentialUrlProblems(channel.provider, channel.settings as Record<string, unknown>)
    if (problems.length) {
      throw new ChannelProviderError("host_not_allowed", `Channel ${channel.name}: ${problems.join("; ")}`, { retryable: false })
    }
    const ctx: ChannelContext = {
      channel_id: channel.id,
      credentials: this.openCredentials(channel.credentials_encrypted, channel.name),
      settings,
      limiter: this.rateLimiterFor(channel.id, { deadline: opts.limiter_deadline }),
      cache: this.providerCacheFor(channel.id),
    }
    return {
      channel: { id: channel.id, name: channel.name, provider: channel.provider, enabled: channel.enabled },
      settings,
      provider,
      ctx,
    }
  }

  // ---- staging -----------------------------------------------------------------------------

  /** The account key a channel with these settings and credentials stands for (see accounts.ts). */
  accountKeyFor(channel: { id: string; provider: string }, settings: Record<string, any>, credentials: Record<string, any>): string {
    let provider: IChannelProvider | null = null
    try {
      provider = this.getProvider(channel.provider)
    } catch {
      provider = null
    }
    return channelAccountKey(channel, provider, { settings, credentials })
  }

  /** The stored account key of a live channel; `channel:<id>` for a channel saved before accounts existed. */
  async accountKeyOfChannel(channelId: string, @MedusaContext() sharedContext: Context = {}): Promise<string> {
    return this.staging_.accountKeyOfChannel(channelId, sharedContext)
  }

  /**
   * Moves a channel's orders to its new account key (its seller id or URL changed). An order the new
   * account already holds (imported by another channel of that account) keeps its old key: it stays
   * this channel's record, and the other channel's row is the one future pulls update.
   */
  async rekeyChannelOrders(channelId: string, accountKey: string, @MedusaContext() sharedContext: Context = {}): Promise<number> {
    return this.staging_.rekeyChannelOrders(channelId, accountKey, sharedContext)
  }

  /**
   * Upserts a page of raw payloads in one statement, on the (account_key, external_id) unique index:
   * the raw payload is kept before anything is decided, and a payload older than the stored one
   * never overwrites it (two overlapping pulls may arrive out of order).
   *
   * An order of the same account staged by a deleted channel is adopted by this one (its import is
   * found, not repeated). An order another live channel of the account holds stays with that
   * channel: this one leaves it alone.
   */
  async stageChannelOrders(channelId: string, rows: StagedRow[], @MedusaContext() sharedContext: Context = {}): Promise<void> {
    return this.staging_.stageChannelOrders(channelId, rows, sharedContext)
  }

  // ---- sweeps ------------------------------------------------------------------------------

  async sweepWatermark(name: string, @MedusaContext() sharedContext: Context = {}): Promise<Date | null> {
    return this.feedbackOutbox_.sweepWatermark(name, sharedContext)
  }

  /** Moves a sweep's watermark forward only: two instances sweeping at once never move it back. */
  async advanceSweepWatermark(name: string, to: Date, @MedusaContext() sharedContext: Context = {}): Promise<void> {
    return this.feedbackOutbox_.advanceSweepWatermark(name, to, sharedContext)
  }

  /**
   * Marks a channel order imported only if no Medusa order was linked yet. The database decides,
   * so two instances racing past their locks still end with one order: the loser compensates.
   */
  async claimChannelOrder(
    channelOrderId: string,
    orderId: string,
    fields: { action: string; external_status: string | null; rule_effects?: unknown; owner?: string | null },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<boolean> {
    return this.claims_.claimChannelOrder(channelOrderId, orderId, fields, sharedContext)
  }

  /**
   * claimChannelOrder for a whole batch in one statement. Returns the ids it won; the caller
   * undoes the batch when that is not all of them.
   */
  async claimChannelOrders(
    claims: Array<{ channel_order_id: string; order_id: string; action: string; rule_effects?: unknown; owner?: string | null }>,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<string[]> {
    return this.claims_.claimChannelOrders(claims, sharedContext)
  }

  /**
   * The first write of an import: the channel orders become `importing`, owned by `owner` until the
   * lease ends, if no Medusa order is linked and no other import holds them (an expired one too:
   * only recovery may take those over, because it first undoes what the dead import left). Returns the ids won.
   * A process that dies after this leaves a visible `importing` row, which recovery takes over.
   */
  async beginChannelOrderImports(ids: string[], owner: string, leaseSeconds: number, @MedusaContext() sharedContext: Context = {}): Promise<string[]> {
    return this.claims_.beginChannelOrderImports(ids, owner, leaseSeconds, sharedContext)
  }

  /** The last write of an import: `imported`, lease released. Only rows this owner still holds. */
  async finishChannelOrderImports(ids: string[], owner: string, @MedusaContext() sharedContext: Context = {}): Promise<string[]> {
    return this.claims_.finishChannelOrderImports(ids, owner, sharedContext)
  }

  /** Undo of finishChannelOrderImports (a step after it failed): back to `importing` for that owner. */
  async reopenChannelOrderImports(ids: string[], owner: string, @MedusaContext() sharedContext: Context = {}): Promise<void> {
    return this.claims_.reopenChannelOrderImports(ids, owner, sharedContext)
  }

  /**
   * Channel orders staged but never decided (a run died between staging a page and deciding it) and
   * not touched for `graceMinutes`: the marketplace may never list them again, so a run decides them.
   */
  async listStalePendingChannelOrders(channelId: string, graceMinutes: number, @MedusaContext() sharedContext: Context = {}) {
    return this.claims_.listStalePendingChannelOrders(channelId, graceMinutes, sharedContext)
  }

  /** Imports whose lease ran out: their process died (or hung) midway. */
  async listInterruptedImports(channelId: string | null, @MedusaContext() sharedContext: Context = {}) {
    return this.claims_.listInterruptedImports(channelId, sharedContext)
  }

  /**
   * Medusa orders an import of these channel orders created, linked or not (the order's
   * metadata.channel_order_id is written at creation, before the link).
   */
  async findOrdersOfChannelOrders(ids: string[], @MedusaContext() sharedContext: Context = {}): Promise<Array<{ id: string; channel_order_id: string }>> {
    return this.claims_.findOrdersOfChannelOrders(ids, sharedContext)
  }

  /** What an import run began but neither imported nor failed (it gave up on it): `pending` again. */
  async releaseUnfinishedImports(owner: string, @MedusaContext() sharedContext: Context = {}): Promise<number> {
    return this.claims_.releaseUnfinishedImports(owner, sharedContext)
  }

  /** After recovery undid an interrupted import: the row is `pending` again, unless someone took it meanwhile. */
  async releaseInterruptedImport(id: string, owner: string | null, @MedusaContext() sharedContext: Context = {}): Promise<boolean> {
    return this.claims_.releaseInterruptedImport(id, owner, sharedContext)
  }

  /** Undo of claimChannelOrders. */
  async unclaimChannelOrders(claims: Array<{ channel_order_id: string; order_id: string }>, @MedusaContext() sharedContext: Context = {}): Promise<void> {
    return this.claims_.unclaimChannelOrders(claims, sharedContext)
  }

  /** Undo of claimChannelOrder, used when a later step of the import fails. */
  async unclaimChannelOrder(channelOrderId: string, orderId: string, @MedusaContext() sharedContext: Context = {}): Promise<void> {
    return this.claims_.unclaimChannelOrder(channelOrderId, orderId, sharedContext)
  }

  // ---- sandbox marketplace ----------------------------------------------------------------

  /**
   * Puts orders into the sandbox marketplace (insert or replace), stamping them as updated now the
   * way a real marketplace bumps its last-update time, so the next pull sees them.
   */
  async putSandboxOrders(channelId: string, orders: Record<string, any>[], @MedusaContext() sharedContext: Context = {}) {
    return this.sandbox_.putSandboxOrders(channelId, orders, sharedContext)
  }

  // ---- runs --------------------------------------------------------------------------------

  /** The latest run per channel, in one query (the scheduler asks for all channels each minute). */
  async latestRunsByChannel(channelIds: string[], @MedusaContext() sharedContext: Context = {}) {
    return this.runs_.latestRunsByChannel(channelIds, sharedContext)
  }

  /** The database's clock: every instance's windows follow it, whatever the machines' clocks say. */
  async databaseNow(@MedusaContext() sharedContext: Context = {}): Promise<Date> {
    return this.runs_.databaseNow(sharedContext)
  }

  /**
   * Runs of the channel left `running` by a process that died (the caller holds the channel's lock,
   * so no other run is live): failed, with the reason, so they stop looking busy.
   */
  async closeInterruptedRuns(channelId: string, currentRunId: string, @MedusaContext() sharedContext: Context = {}): Promise<number> {
    return this.runs_.closeInterruptedRuns(channelId, currentRunId, sharedContext)
  }

  /** The cursor of the newest run that persisted one. */
  async lastCursor(channelId: string, @MedusaContext() sharedContext: Context = {}): Promise<Record<string, any> | null> {
    return this.runs_.lastCursor(channelId, sharedContext)
  }

  /** Per channel: last import time, imported and not imported counts (the module summary). */
  async channelOrderSummary(@MedusaContext() sharedContext: Context = {}) {
    return this.reports_.channelOrderSummary(sharedContext)
  }

  // ---- duplicate protection ----------------------------------------------------------------

  /**
   * Imported channel orders (any channel) since `since` whose buyer e-mail or shipping address
   * matches one of the given keys; the caller compares their items and totals.
   */
  async findImportedByBuyer(
    since: Date,
    keys: { emails: string[]; addresses: string[] },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<Array<{ id: string; channel_id: string; external_id: string; order_id: string; normalized: any }>> {
    return this.reports_.findImportedByBuyer(since, keys, sharedContext)
  }

  // ---- shared rate limiting ----------------------------------------------------------------

  /**
   * Takes one token from a bucket kept in PostgreSQL, so every Medusa instance shares a marketplace
   * account's budget. Returns 0 when a token was taken, otherwise the milliseconds to wait.
   */
  async tryTakeRateToken(key: string, limit: RateLimit, @MedusaContext() sharedContext: Context = {}): Promise<number> {
    return this.rateBuckets_.tryTakeRateToken(key, limit, sharedContext)
  }

  /**
   * Providers name their buckets with the scope the marketplace meters by (Amazon: seller, eBay:
   * application, Mirakl: shop), so two channels on one account share one budget.
   */
  /**
   * With a `deadline` (epoch ms), a wait for a token that would end after it fails the call as
   * retryable `rate_limited` instead: a feedback send must finish inside its lease, or another
   * instance takes the row over and sends it a second time.
   */
  rateLimiterFor(_channelId: string, opts: { deadline?: number } = {}): ChannelRateLimiter {
    return this.rateBuckets_.rateLimiterFor(_channelId, opts)
  }

  // ---- provider cache ----------------------------------------------------------------------

  @InjectManager()
  async putProviderCacheEntry(id: string, sealed: string, expiresAt: Date, @MedusaContext() sharedContext: Context = {}) {
    const manager = sharedContext.manager as unknown as SqlManager
    await manager.execute(
      `insert into channel_provider_cache (id, value_encrypted, expires_at, created_at, updated_at)
       values (?, ?, ?, now(), now())
       on conflict (id) do update set value_encrypted = excluded.value_encrypted, expires_at = excluded.expires_at,
         updated_at = now(), deleted_at = null`,
      [id, sealed, expiresAt]
    )
  }

  providerCacheFor(channelId: string): ProviderCache {
    const key = (k: string) => `${channelId}:${k}`
    return {
      get: async <T>(k: string) => {
        const [row] = await this.listChannelProviderCaches({ id: key(k) })
        if (!row || new Date(row.expires_at).getTime() <= Date.now()) return undefined
        // A token sealed with an earlier key is a miss: the provider fetches a new one.
        try {
          return this.secrets.open<T>(row.value_encrypted)
        } catch {
          return undefined
        }
      },
      set: async (k: string, value: unknown, ttlSeconds: number) => {
        await this.putProviderCacheEntry(key(k), this.secrets.seal(value), new Date(Date.now() + ttlSeconds * 1000))
      },
      delete: async (k: string) => {
        await this.deleteChannelProviderCaches([key(k)])
      },
    }
  }

  // ==========================================================================================
  // ---- feedback outbox (added for the fulfillment feedback workflows, src/workflows/feedback)
  // Atomic SQL the generated CRUD cannot express: idempotent inserts on the unique index, and a
  // claim/settle protocol so that two instances never send the same row.
  // ==========================================================================================

  /**
   * Inserts outbox rows, skipping those already recorded: a shipment row is unique per
   * (fulfillment, kind) through the unique index; a cancel row is unique per order (serialized by
   * an advisory lock, since its fulfillment_id is null). Returns only the rows inserted now.
   */
  async insertChannelFeedbacks(rows: NewChannelFeedbackRow[], @MedusaContext() sharedContext: Context = {}): Promise<any[]> {
    return this.feedbackOutbox_.insertChannelFeedbacks(rows, sharedContext)
  }

  /**
   * Claims one outbox row for this process, or returns null when it is not due or another process
   * holds it. The row is locked while it is read, so of two instances racing for it exactly one
   * wins. `deliver` takes a pending row whose time has come, or a `sending` row whose lease expired
   * (its process died mid-send: `previous_state` tells the caller to check the marketplace before
   * sending again); it becomes `sending` with attempts + 1 and a lease until `now + lease_ms`.
   * `verify` takes a `sent` row whose read-back is due and moves its next check to the lease end.
   */
  async claimChannelFeedback(
    id: string,
    opts: { mode: "deliver" | "verify"; now: Date; lease_ms: number; max_attempts?: number },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<(Record<string, any> & { previous_state: string }) | null> {
    return this.feedbackOutbox_.claimChannelFeedback(id, opts, sharedContext)
  }

  /**
   * Writes the outcome of a claimed row, only if the claim still stands (same state, attempts and
   * lease end as when it was claimed): a process whose lease expired and was overtaken cannot
   * overwrite the newer outcome. Returns whether the outcome was written.
   */
  async settleChannelFeedback(
    id: string,
    claim: { state: string; attempts: number; lease_until: Date },
    outcome: {
      state: string
      next_attempt_at: Date | null
      error_code: string | null
      error_message: string | null
      response: unknown
    },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<boolean> {
    return this.feedbackOutbox_.settleChannelFeedback(id, claim, outcome, sharedContext)
  }
}

export default ChannelModuleService
