import { InjectManager, InjectTransactionManager, MedusaContext, MedusaError, MedusaService, generateEntityId } from "@medusajs/framework/utils"
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
import { ChannelCredentialsUnreadableError, resolveEncryptionKey } from "./credentials"
import { credentialUrlProblems, type AllowedHostsOption } from "./hosts"
import { rememberSecrets } from "./scrub"
import { ChannelProviderError } from "./errors"
import { channelAccountKey } from "./accounts"
import { STUCK_PENDING_MINUTES } from "./types/states"
import { parseChannelSettings, type ChannelSettings } from "./settings"
import type { ChannelContext, ChannelProviderCache as ProviderCache, ChannelRateLimiter, IChannelProvider, RateLimit } from "./types/provider"

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

export type StagedRow = {
  external_id: string
  external_status: string | null
  external_updated_at: string | null
  raw: unknown
}

type SqlManager = { execute: (sql: string, params?: unknown[]) => Promise<any[]> }

/**
 * A page's rows as one upsert can take them. One bad row fails the whole statement, and a page that
 * fails every run blocks its channel, so: one row per external id (PostgreSQL refuses to update a
 * row twice in one statement; the newest payload wins), update times PostgreSQL can read (an
 * unreadable one is dropped, not the order), and text jsonb can store: no NUL character and no
 * unpaired surrogate (each becomes U+FFFD; the rest of the payload is kept as received).
 */
export function stageableRows(rows: StagedRow[]): Array<Omit<StagedRow, "raw"> & { raw_json: string }> {
  const byId = new Map<string, Omit<StagedRow, "raw"> & { raw_json: string; t: number }>()
  for (const row of rows) {
    const t = row.external_updated_at ? Date.parse(row.external_updated_at) : NaN
    const candidate = {
      external_id: row.external_id,
      external_status: row.external_status,
      external_updated_at: Number.isNaN(t) ? null : new Date(t).toISOString(),
      raw_json: storableJson(row.raw),
      t: Number.isNaN(t) ? -Infinity : t,
    }
    const kept = byId.get(row.external_id)
    if (!kept || candidate.t >= kept.t) byId.set(row.external_id, candidate)
  }
  return [...byId.values()].map(({ t: _t, ...row }) => row)
}

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * JSON that PostgreSQL's jsonb accepts; JSON.stringify writes both problems as \u escapes, so a cheap
 * test finds them. Keys are cleaned too (a marketplace's custom field may carry a NUL in its name).
 */
function storableJson(raw: unknown): string {
  const json = JSON.stringify(raw ?? null)
  if (!/\\u(0000|d[89a-f])/i.test(json)) return json
  return JSON.stringify(storableValue(raw ?? null))
}

function storableValue(value: unknown): unknown {
  if (typeof value === "string") return value.replace(UNSTORABLE, "\uFFFD")
  if (Array.isArray(value)) return value.map(storableValue)
  if (value && typeof value === "object" && typeof (value as any).toJSON !== "function") {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k.replace(UNSTORABLE, "\uFFFD")] = storableValue(v)
    return out
  }
  return value
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

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

  constructor(cradle: Record<string, any>, options: ChannelModuleOptions = {}) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.cradle_ = cradle
    this.options_ = options ?? {}
  }

  private get secrets(): SecretBox {
    if (!this.secrets_) {
      let jwtSecret: string | undefined
      try {
        jwtSecret = this.cradle_.configModule?.projectConfig?.http?.jwtSecret
      } catch {
        jwtSecret = undefined
      }
      this.secrets_ = new SecretBox(resolveEncryptionKey(this.options_.encryption_key, jwtSecret).key)
    }
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
   * Re-encrypts every channel's credentials and every provider cache entry with the current key
   * (src/scripts/rotate-encryption-key.ts). A value the current key already opens is left as it is;
   * one only `previousKey` opens is sealed again; one neither opens is counted as unreadable (a cache
   * entry is then dropped: the provider fetches a new token).
   */
  async reencryptSecrets(previousKey: string): Promise<{ channels: number; unchanged: number; unreadable: string[]; cache_entries: number; cache_dropped: number }> {
    const previous = new SecretBox(previousKey)
    const reseal = (sealed: string): string | null => {
      try {
        this.secrets.open(sealed)
        return sealed
      } catch {
        // not sealed with the current key
      }
      try {
        return this.secrets.seal(previous.open(sealed))
      } catch {
        return null
      }
    }
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
  @InjectManager()
  async accountKeyOfChannel(channelId: string, @MedusaContext() sharedContext: Context = {}): Promise<string> {
    const manager = sharedContext.manager as unknown as SqlManager
    const [row] = await manager.execute(`select account_key from channel where id = ?`, [channelId])
    return row?.account_key || `channel:${channelId}`
  }

  /**
   * Moves a channel's orders to its new account key (its seller id or URL changed). An order the new
   * account already holds (imported by another channel of that account) keeps its old key: it stays
   * this channel's record, and the other channel's row is the one future pulls update.
   */
  @InjectTransactionManager()
  async rekeyChannelOrders(channelId: string, accountKey: string, @MedusaContext() sharedContext: Context = {}): Promise<number> {
    const manager = sharedContext.transactionManager as unknown as SqlManager
    const rows = await manager.execute(
      `update channel_order c set account_key = ?, updated_at = now()
       where c.channel_id = ? and c.deleted_at is null and c.account_key is distinct from ?
         and not exists (select 1 from channel_order o where o.account_key = ? and o.external_id = c.external_id and o.deleted_at is null)
       returning c.id`,
      [accountKey, channelId, accountKey, accountKey]
    )
    return rows.length
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
  @InjectTransactionManager()
  async stageChannelOrders(channelId: string, rows: StagedRow[], @MedusaContext() sharedContext: Context = {}): Promise<void> {
    if (!rows.length) return
    const manager = sharedContext.transactionManager as unknown as SqlManager
    const [channel] = await manager.execute(`select account_key from channel where id = ?`, [channelId])
    const accountKey = channel?.account_key || `channel:${channelId}`
    const values: string[] = []
    const params: unknown[] = []
    for (const row of stageableRows(rows)) {
      values.push("(?, ?, ?, ?, ?, ?::timestamptz, ?::jsonb, 'pending', 0, now(), now())")
      params.push(generateEntityId(undefined, "chord"), channelId, accountKey, row.external_id, row.external_status, row.external_updated_at, row.raw_json)
    }
    const newer = `(channel_order.external_updated_at is null
          or excluded.external_updated_at is null
          or excluded.external_updated_at >= channel_order.external_updated_at)`
    await manager.execute(
      `insert into channel_order (id, channel_id, account_key, external_id, external_status, external_updated_at, raw, state, attempts, created_at, updated_at)
       values ${values.join(", ")}
       on conflict (account_key, external_id) where deleted_at is null do update set
         channel_id = excluded.channel_id,
         raw = case when ${newer} then excluded.raw else channel_order.raw end,
         external_status = case when ${newer} then excluded.external_status else channel_order.external_status end,
         external_updated_at = case when ${newer} then excluded.external_updated_at else channel_order.external_updated_at end,
         updated_at = now()
       where (channel_order.channel_id = excluded.channel_id and ${newer})
          or (channel_order.channel_id <> excluded.channel_id
              and not exists (select 1 from channel ch where ch.id = channel_order.channel_id and ch.deleted_at is null))`,
      params
    )
  }

  // ---- sweeps ------------------------------------------------------------------------------

  @InjectManager()
  async sweepWatermark(name: string, @MedusaContext() sharedContext: Context = {}): Promise<Date | null> {
    const manager = sharedContext.manager as unknown as SqlManager
    const [row] = await manager.execute(`select watermark from channel_sweep where id = ? and deleted_at is null`, [name])
    return row?.watermark ? new Date(row.watermark) : null
  }

  /** Moves a sweep's watermark forward only: two instances sweeping at once never move it back. */
  @InjectTransactionManager()
  async advanceSweepWatermark(name: string, to: Date, @MedusaContext() sharedContext: Context = {}): Promise<void> {
    const manager = sharedContext.transactionManager as unknown as SqlManager
    await manager.execute(
      `insert into channel_sweep (id, watermark, created_at, updated_at) values (?, ?::timestamptz, now(), now())
       on conflict (id) do update set watermark = greatest(channel_sweep.watermark, excluded.watermark), updated_at = now()`,
      [name, to.toISOString()]
    )
  }

  /**
   * Marks a channel order imported only if no Medusa order was linked yet. The database decides,
   * so two instances racing past their locks still end with one order: the loser compensates.
   */
  @InjectTransactionManager()
  async claimChannelOrder(
    channelOrderId: string,
    orderId: string,
    fields: { action: string; external_status: string | null; rule_effects?: unknown; owner?: string | null },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<boolean> {
    const won = await this.claimChannelOrders([{ channel_order_id: channelOrderId, order_id: orderId, action: fields.action, rule_effects: fields.rule_effects, owner: fields.owner }], sharedContext)
    return won.length === 1
  }

  /**
   * claimChannelOrder for a whole batch in one statement. Returns the ids it won; the caller
   * undoes the batch when that is not all of them.
   */
  @InjectTransactionManager()
  async claimChannelOrders(
    claims: Array<{ channel_order_id: string; order_id: string; action: string; rule_effects?: unknown; owner?: string | null }>,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<string[]> {
    if (!claims.length) return []
    const manager = sharedContext.transactionManager as unknown as SqlManager
    // One jsonb parameter for the page, not four per row: binding hundreds of parameters costs
    // more in the driver than the update costs in PostgreSQL. An import that began with
    // beginChannelOrderImports links its order only while it still owns the row (a recovery may
    // have taken it over), and the row stays `importing` until finishChannelOrderImports.
    const rows = await manager.execute(
      `update channel_order c set
         state = case when v.owner is null then 'imported' else 'importing' end,
         order_id = v.order_id, action = v.action, imported_at = case when v.owner is null then now() else null end, updated_at = now(),
         error_code = null, error_message = null, error_data = null, attempts = c.attempts + 1, rule_effects = v.rule_effects
       from jsonb_to_recordset(?::jsonb) as v(id text, order_id text, action text, rule_effects jsonb, owner text)
       where c.id = v.id and c.order_id is null and c.deleted_at is null
         and (v.owner is null or (c.state = 'importing' and c.import_owner = v.owner))
       returning c.id`,
      [JSON.stringify(claims.map((c) => ({ id: c.channel_order_id, order_id: c.order_id, action: c.action, rule_effects: c.rule_effects ?? null, owner: c.owner ?? null })))]
    )
    return rows.map((r: any) => r.id)
  }

  /**
   * The first write of an import: the channel orders become `importing`, owned by `owner` until the
   * lease ends, if no Medusa order is linked and no other import holds them (an expired one too:
   * only recovery may take those over, because it first undoes what the dead import left). Returns the ids won.
   * A process that dies after this leaves a visible `importing` row, which recovery takes over.
   */
  @InjectTransactionManager()
  async beginChannelOrderImports(ids: string[], owner: string, leaseSeconds: number, @MedusaContext() sharedContext: Context = {}): Promise<string[]> {
    if (!ids.length) return []
    const manager = sharedContext.transactionManager as unknown as SqlManager
    const rows = await manager.execute(
      `update channel_order set state = 'importing', import_owner = ?, import_lease_until = now() + (? * interval '1 second'), updated_at = now()
       where id in (select jsonb_array_elements_text(?::jsonb)) and order_id is null and deleted_at is null
         and (state <> 'importing' or import_owner = ?)
       returning id`,
      [owner, leaseSeconds, JSON.stringify(ids), owner]
    )
    return rows.map((r: any) => r.id)
  }

  /** The last write of an import: `imported`, lease released. Only rows this owner still holds. */
  @InjectTransactionManager()
  async finishChannelOrderImports(ids: string[], owner: string, @MedusaContext() sharedContext: Context = {}): Promise<string[]> {
    if (!ids.length) return []
    const manager = sharedContext.transactionManager as unknown as SqlManager
    const rows = await manager.execute(
      `update channel_order set state = 'imported', imported_at = now(), import_owner = null, import_lease_until = null, updated_at = now()
       where id in (select jsonb_array_elements_text(?::jsonb)) and state = 'importing' and import_owner = ? and order_id is not null and deleted_at is null
       returning id`,
      [JSON.stringify(ids), owner]
    )
    return rows.map((r: any) => r.id)
  }

  /** Undo of finishChannelOrderImports (a step after it failed): back to `importing` for that owner. */
  @InjectTransactionManager()
  async reopenChannelOrderImports(ids: string[], owner: string, @MedusaContext() sharedContext: Context = {}): Promise<void> {
    if (!ids.length) return
    const manager = sharedContext.transactionManager as unknown as SqlManager
    await manager.execute(
      `update channel_order set state = 'importing', imported_at = null, import_owner = ?, updated_at = now()
       where id in (select jsonb_array_elements_text(?::jsonb)) and state = 'imported' and deleted_at is null`,
      [owner, JSON.stringify(ids)]
    )
  }

  /**
   * Channel orders staged but never decided (a run died between staging a page and deciding it) and
   * not touched for `graceMinutes`: the marketplace may never list them again, so a run decides them.
   */
  @InjectManager()
  async listStalePendingChannelOrders(channelId: string, graceMinutes: number, @MedusaContext() sharedContext: Context = {}) {
    const manager = sharedContext.manager as unknown as SqlManager
    return (await manager.execute(
      `select id from channel_order
       where channel_id = ? and state = 'pending' and order_id is null and deleted_at is null
         and updated_at < now() - (? * interval '1 minute')
       order by updated_at limit 500`,
      [channelId, graceMinutes]
    )) as Array<{ id: string }>
  }

  /** Imports whose lease ran out: their process died (or hung) midway. */
  @InjectManager()
  async listInterruptedImports(channelId: string | null, @MedusaContext() sharedContext: Context = {}) {
    const manager = sharedContext.manager as unknown as SqlManager
    return (await manager.execute(
      `select id, channel_id, external_id, external_status, order_id, import_owner, import_lease_until, attempts, raw, state
       from channel_order
       where state = 'importing' and deleted_at is null and (import_lease_until is null or import_lease_until < now())
         and (?::text is null or channel_id = ?)
       order by import_lease_until nulls first limit 500`,
      [channelId, channelId]
    )) as Array<{ id: string; channel_id: string; external_id: string; external_status: string | null; order_id: string | null; import_owner: string | null; attempts: number; raw: unknown; state: string }>
  }

  /**
   * Medusa orders an import of these channel orders created, linked or not (the order's
   * metadata.channel_order_id is written at creation, before the link).
   */
  @InjectManager()
  async findOrdersOfChannelOrders(ids: string[], @MedusaContext() sharedContext: Context = {}): Promise<Array<{ id: string; channel_order_id: string }>> {
    if (!ids.length) return []
    const manager = sharedContext.manager as unknown as SqlManager
    return (await manager.execute(
      `select id, metadata->>'channel_order_id' as channel_order_id from "order"
       where deleted_at is null and metadata->>'channel_order_id' in (select jsonb_array_elements_text(?::jsonb))`,
      [JSON.stringify(ids)]
    )) as Array<{ id: string; channel_order_id: string }>
  }

  /** What an import run began but neither imported nor failed (it gave up on it): `pending` again. */
  @InjectTransactionManager()
  async releaseUnfinishedImports(owner: string, @MedusaContext() sharedContext: Context = {}): Promise<number> {
    const manager = sharedContext.transactionManager as unknown as SqlManager
    const rows = await manager.execute(
      `update channel_order set state = 'pending', import_owner = null, import_lease_until = null, updated_at = now()
       where state = 'importing' and import_owner = ? and order_id is null and deleted_at is null returning id`,
      [owner]
    )
    return rows.length
  }

  /** After recovery undid an interrupted import: the row is `pending` again, unless someone took it meanwhile. */
  @InjectTransactionManager()
  async releaseInterruptedImport(id: string, owner: string | null, @MedusaContext() sharedContext: Context = {}): Promise<boolean> {
    const manager = sharedContext.transactionManager as unknown as SqlManager
    const rows = await manager.execute(
      `update channel_order set state = 'pending', order_id = null, imported_at = null, import_owner = null, import_lease_until = null, updated_at = now()
       where id = ? and state = 'importing' and import_owner is not distinct from ? and deleted_at is null
       returning id`,
      [id, owner]
    )
    return rows.length === 1
  }

  /** Undo of claimChannelOrders. */
  @InjectTransactionManager()
  async unclaimChannelOrders(claims: Array<{ channel_order_id: string; order_id: string }>, @MedusaContext() sharedContext: Context = {}): Promise<void> {
    if (!claims.length) return
    const manager = sharedContext.transactionManager as unknown as SqlManager
    await manager.execute(
      `update channel_order c set state = 'pending', order_id = null, imported_at = null, import_owner = null, import_lease_until = null, updated_at = now()
       from jsonb_to_recordset(?::jsonb) as v(id text, order_id text) where c.id = v.id and c.order_id = v.order_id`,
      [JSON.stringify(claims.map((c) => ({ id: c.channel_order_id, order_id: c.order_id })))]
    )
  }

  /** Undo of claimChannelOrder, used when a later step of the import fails. */
  @InjectTransactionManager()
  async unclaimChannelOrder(channelOrderId: string, orderId: string, @MedusaContext() sharedContext: Context = {}): Promise<void> {
    await this.unclaimChannelOrders([{ channel_order_id: channelOrderId, order_id: orderId }], sharedContext)
  }

  // ---- sandbox marketplace ----------------------------------------------------------------

  /**
   * Puts orders into the sandbox marketplace (insert or replace), stamping them as updated now the
   * way a real marketplace bumps its last-update time, so the next pull sees them.
   */
  @InjectTransactionManager()
  async putSandboxOrders(channelId: string, orders: Record<string, any>[], @MedusaContext() sharedContext: Context = {}) {
    const manager = sharedContext.transactionManager as unknown as SqlManager
    const now = new Date()
    const stamped: Record<string, any>[] = orders.map((o) => ({ ...o, updated_at: now.toISOString(), created_at: o.created_at ?? now.toISOString() }))
    for (let i = 0; i < stamped.length; i += 500) {
      const chunk = stamped.slice(i, i + 500)
      await manager.execute(
        `insert into channel_sandbox_order (id, channel_id, external_id, payload, external_updated_at, created_at, updated_at)
         values ${chunk.map(() => "(?, ?, ?, ?::jsonb, ?, now(), now())").join(", ")}
         on conflict (channel_id, external_id) where deleted_at is null do update set
           payload = excluded.payload, external_updated_at = excluded.external_updated_at, updated_at = now()`,
        chunk.flatMap((o) => [generateEntityId(undefined, "sbord"), channelId, String(o.external_id), JSON.stringify(o), now])
      )
    }
    return stamped
  }

  // ---- runs --------------------------------------------------------------------------------

  /** The latest run per channel, in one query (the scheduler asks for all channels each minute). */
  @InjectManager()
  async latestRunsByChannel(channelIds: string[], @MedusaContext() sharedContext: Context = {}) {
    if (!channelIds.length) return new Map<string, any>()
    const manager = sharedContext.manager as unknown as SqlManager
    const rows = await manager.execute(
      `select distinct on (channel_id) id, channel_id, status, started_at, finished_at, cursor, trigger,
              fetched, imported, waiting, ignored, failed, skipped, error, error_code
       from channel_import_run where deleted_at is null and channel_id in (${channelIds.map(() => "?").join(", ")})
       order by channel_id, started_at desc`,
      channelIds
    )
    return new Map<string, any>(rows.map((r: any) => [r.channel_id, r]))
  }

  /** The database's clock: every instance's windows follow it, whatever the machines' clocks say. */
  @InjectManager()
  async databaseNow(@MedusaContext() sharedContext: Context = {}): Promise<Date> {
    const manager = sharedContext.manager as unknown as SqlManager
    const rows = await manager.execute(`select now() as now`)
    return new Date(rows[0].now)
  }

  /**
   * Runs of the channel left `running` by a process that died (the caller holds the channel's lock,
   * so no other run is live): failed, with the reason, so they stop looking busy.
   */
  @InjectTransactionManager()
  async closeInterruptedRuns(channelId: string, currentRunId: string, @MedusaContext() sharedContext: Context = {}): Promise<number> {
    const manager = sharedContext.transactionManager as unknown as SqlManager
    const rows = await manager.execute(
      `update channel_import_run set status = 'failed', finished_at = now(), updated_at = now(),
         error = coalesce(error, 'Interrupted: the process running it stopped before it finished; the next run resumed its work')
       where channel_id = ? and id <> ? and status = 'running' and deleted_at is null returning id`,
      [channelId, currentRunId]
    )
    return rows.length
  }

  /** The cursor of the newest run that persisted one. */
  @InjectManager()
  async lastCursor(channelId: string, @MedusaContext() sharedContext: Context = {}): Promise<Record<string, any> | null> {
    const manager = sharedContext.manager as unknown as SqlManager
    const rows = await manager.execute(
      `select cursor from channel_import_run
       where channel_id = ? and cursor is not null and deleted_at is null
       order by started_at desc limit 1`,
      [channelId]
    )
    return rows[0]?.cursor ?? null
  }

  /** Per channel: last import time, imported and not imported counts (the module summary). */
  @InjectManager()
  async channelOrderSummary(@MedusaContext() sharedContext: Context = {}) {
    const manager = sharedContext.manager as unknown as SqlManager
    const rows = await manager.execute(
      `select c.id as channel_id, c.name, c.provider,
              (select max(finished_at) from channel_import_run r where r.channel_id = c.id and r.deleted_at is null and r.status = 'succeeded') as last_import_at,
              count(o.id) filter (where o.state = 'imported')::int as imported,
              count(o.id) filter (where o.state in ('failed', 'waiting', 'pending'))::int as not_imported,
              count(o.id) filter (where o.state = 'failed')::int as failed,
              count(o.id) filter (where o.state = 'waiting')::int as waiting,
              count(o.id) filter (where (o.state = 'pending' and o.updated_at < now() - (? * interval '1 minute'))
                                     or (o.state = 'importing' and (o.import_lease_until is null or o.import_lease_until < now())))::int as stuck,
              count(o.id) filter (where o.reconciliation_status = 'reconciled')::int as reconciled,
              count(o.id) filter (where o.reconciliation_status = 'mismatch')::int as mismatched
       from channel c left join channel_order o on o.channel_id = c.id and o.deleted_at is null
       where c.deleted_at is null
       group by c.id order by c.created_at`,
      [STUCK_PENDING_MINUTES]
    )
    return rows as Array<{
      channel_id: string
      name: string
      provider: string
      last_import_at: Date | null
      imported: number
      not_imported: number
      failed: number
      waiting: number
      /** Pending or importing past their grace period (see stuckReason): a run died on them. */
      stuck: number
      /** Imported orders whose total, tax and paid amount equal the marketplace's; and those that do not. */
      reconciled: number
      mismatched: number
    }>
  }

  // ---- duplicate protection ----------------------------------------------------------------

  /**
   * Imported channel orders (any channel) since `since` whose buyer e-mail or shipping address
   * matches one of the given keys; the caller compares their items and totals.
   */
  @InjectManager()
  async findImportedByBuyer(
    since: Date,
    keys: { emails: string[]; addresses: string[] },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<Array<{ id: string; channel_id: string; external_id: string; order_id: string; normalized: any }>> {
    if (!keys.emails.length && !keys.addresses.length) return []
    const manager = sharedContext.manager as unknown as SqlManager
    const addressExpr = `lower(concat_ws('|', normalized->'shipping_address'->>'address_1', coalesce(normalized->'shipping_address'->>'postal_code', ''), normalized->'shipping_address'->>'country_code'))`
    const clauses: string[] = []
    const params: unknown[] = [since]
    if (keys.emails.length) {
      clauses.push(`lower(normalized->>'email') in (${keys.emails.map(() => "?").join(", ")})`)
      params.push(...keys.emails)
    }
    if (keys.addresses.length) {
      clauses.push(`${addressExpr} in (${keys.addresses.map(() => "?").join(", ")})`)
      params.push(...keys.addresses)
    }
    return manager.execute(
      `select id, channel_id, external_id, order_id, normalized from channel_order
       where deleted_at is null and state = 'imported' and imported_at >= ? and (${clauses.join(" or ")})`,
      params
    )
  }

  // ---- shared rate limiting ----------------------------------------------------------------

  /**
   * Takes one token from a bucket kept in PostgreSQL, so every Medusa instance shares a marketplace
   * account's budget. Returns 0 when a token was taken, otherwise the milliseconds to wait.
   */
  @InjectManager()
  async tryTakeRateToken(key: string, limit: RateLimit, @MedusaContext() sharedContext: Context = {}): Promise<number> {
    const manager = sharedContext.manager as unknown as SqlManager
    const refill = `least(?::float8, channel_rate_bucket.tokens + extract(epoch from (clock_timestamp() - channel_rate_bucket.refilled_at)) * ?::float8)`
    const taken = await manager.execute(
      `insert into channel_rate_bucket (id, tokens, refilled_at, created_at, updated_at)
       values (?, ?::float8 - 1, clock_timestamp(), now(), now())
       on conflict (id) do update set tokens = ${refill} - 1, refilled_at = clock_timestamp(), updated_at = now()
       where ${refill} >= 1
       returning tokens`,
      [key, limit.burst, limit.burst, limit.rate, limit.burst, limit.rate]
    )
    if (taken.length) return 0
    const [row] = await manager.execute(
      `select least(?::float8, tokens + extract(epoch from (clock_timestamp() - refilled_at)) * ?::float8) as tokens
       from channel_rate_bucket where id = ?`,
      [limit.burst, limit.rate, key]
    )
    const tokens = Number(row?.tokens ?? 0)
    return Math.max(1, Math.ceil(((1 - tokens) / limit.rate) * 1000))
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
    return {
      acquire: async (operation: string, limit: RateLimit) => {
        const key = operation
        for (;;) {
          const wait = await this.tryTakeRateToken(key, limit)
          if (wait === 0) return
          if (opts.deadline !== undefined && Date.now() + wait > opts.deadline) {
            throw new ChannelProviderError(
              "rate_limited",
              `The marketplace's rate limit for ${operation} would hold this call ${Math.ceil(wait / 1000)} s, past the end of its lease; it is tried again later`,
              { retryable: true, retry_after_ms: wait }
            )
          }
          await sleep(Math.min(wait, 60_000))
        }
      },
    }
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
  @InjectTransactionManager()
  async insertChannelFeedbacks(rows: NewChannelFeedbackRow[], @MedusaContext() sharedContext: Context = {}): Promise<any[]> {
    const manager = sharedContext.transactionManager as unknown as SqlManager
    const inserted: any[] = []
    const columns = `id, channel_id, channel_order_id, order_id, fulfillment_id, kind, state, items, carrier_code, carrier_name,
      tracking_numbers, shipped_at, attempts, next_attempt_at, error_code, error_message, response, created_at, updated_at`
    const placeholders = "?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?::timestamptz, 0, ?::timestamptz, ?, ?, ?::jsonb, now(), now()"
    for (const row of rows) {
      const params = [
        generateEntityId(undefined, "chfb"),
        row.channel_id,
        row.channel_order_id,
        row.order_id,
        row.fulfillment_id ?? null,
        row.kind,
        row.state ?? "pending",
        JSON.stringify(row.items ?? []),
        row.carrier_code ?? null,
        row.carrier_name ?? null,
        JSON.stringify(row.tracking_numbers ?? []),
        row.shipped_at ?? null,
        row.next_attempt_at ?? null,
        row.error_code ?? null,
        row.error_message ?? null,
        row.response === undefined || row.response === null ? null : JSON.stringify(row.response),
      ]
      if (row.kind === "cancel") {
        await manager.execute(`select pg_advisory_xact_lock(hashtext(?))`, [`channel_feedback:cancel:${row.order_id}`])
        const res = await manager.execute(
          `insert into channel_feedback (${columns})
           select ${placeholders}
           where not exists (select 1 from channel_feedback where order_id = ? and kind = 'cancel' and deleted_at is null)
           returning *`,
          [...params, row.order_id]
        )
        inserted.push(...res)
      } else {
        const res = await manager.execute(
          `insert into channel_feedback (${columns}) values (${placeholders})
           on conflict (fulfillment_id, kind) where deleted_at is null do nothing
           returning *`,
          params
        )
        inserted.push(...res)
      }
    }
    return inserted
  }

  /**
   * Claims one outbox row for this process, or returns null when it is not due or another process
   * holds it. The row is locked while it is read, so of two instances racing for it exactly one
   * wins. `deliver` takes a pending row whose time has come, or a `sending` row whose lease expired
   * (its process died mid-send: `previous_state` tells the caller to check the marketplace before
   * sending again); it becomes `sending` with attempts + 1 and a lease until `now + lease_ms`.
   * `verify` takes a `sent` row whose read-back is due and moves its next check to the lease end.
   */
  @InjectTransactionManager()
  async claimChannelFeedback(
    id: string,
    opts: { mode: "deliver" | "verify"; now: Date; lease_ms: number; max_attempts?: number },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<(Record<string, any> & { previous_state: string }) | null> {
    const manager = sharedContext.transactionManager as unknown as SqlManager
    const [current] = await manager.execute(
      `select id, state, next_attempt_at, attempts from channel_feedback where id = ? and deleted_at is null for update`,
      [id]
    )
    if (!current) return null
    const now = opts.now.getTime()
    const at = current.next_attempt_at ? new Date(current.next_attempt_at).getTime() : null
    const due = at === null || at <= now
    const leaseEnd = new Date(now + opts.lease_ms)
    if (opts.mode === "deliver") {
      const claimable = (current.state === "pending" && due) || (current.state === "sending" && at !== null && at <= now)
      if (!claimable) return null
      // A row whose every attempt ended with its process (it crashes the worker, or the worker is
      // killed each time) stops here: the attempt cap holds for crashes too, not only for outcomes.
      if (current.state === "sending" && opts.max_attempts && Number(current.attempts) >= opts.max_attempts) {
        await manager.execute(
          `update channel_feedback set state = 'failed', next_attempt_at = null, error_code = 'attempts_exhausted',
             error_message = ?, updated_at = now() where id = ?`,
          [`${current.attempts} attempts ended without an outcome (the process sending it stopped each time); check the order on the marketplace, then retry it`, id]
        )
        return null
      }
      const [row] = await manager.execute(
        `update channel_feedback set state = 'sending', attempts = attempts + 1, next_attempt_at = ?, updated_at = now()
         where id = ? returning *`,
        [leaseEnd, id]
      )
      return { ...row, previous_state: current.state }
    }
    if (current.state !== "sent" || at === null || at > now) return null
    const [row] = await manager.execute(
      `update channel_feedback set next_attempt_at = ?, updated_at = now() where id = ? returning *`,
      [leaseEnd, id]
    )
    return { ...row, previous_state: current.state }
  }

  /**
   * Writes the outcome of a claimed row, only if the claim still stands (same state, attempts and
   * lease end as when it was claimed): a process whose lease expired and was overtaken cannot
   * overwrite the newer outcome. Returns whether the outcome was written.
   */
  @InjectTransactionManager()
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
    const manager = sharedContext.transactionManager as unknown as SqlManager
    const rows = await manager.execute(
      `update channel_feedback set state = ?, next_attempt_at = ?, error_code = ?, error_message = ?, response = ?::jsonb, updated_at = now()
       where id = ? and deleted_at is null and state = ? and attempts = ? and next_attempt_at = ?
       returning id`,
      [
        outcome.state,
        outcome.next_attempt_at,
        outcome.error_code,
        outcome.error_message,
        outcome.response === undefined || outcome.response === null ? null : JSON.stringify(outcome.response),
        id,
        claim.state,
        claim.attempts,
        claim.lease_until,
      ]
    )
    return rows.length === 1
  }
}

/** One outbox row to insert (see ChannelModuleService.insertChannelFeedbacks). */
export type NewChannelFeedbackRow = {
  channel_id: string
  channel_order_id: string
  order_id: string
  fulfillment_id?: string | null
  kind: "shipment" | "cancel"
  state?: "pending" | "failed"
  items?: Array<{ external_item_id: string; quantity: number; line_item_id?: string }>
  carrier_code?: string | null
  carrier_name?: string | null
  tracking_numbers?: string[]
  shipped_at?: Date | string | null
  next_attempt_at?: Date | null
  error_code?: string | null
  error_message?: string | null
  response?: unknown
}

export default ChannelModuleService
