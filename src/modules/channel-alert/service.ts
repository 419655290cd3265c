import { InjectTransactionManager, MedusaContext, MedusaService, generateEntityId } from "@medusajs/framework/utils"
import type { Context } from "@medusajs/framework/types"
import { ChannelAlertDestination } from "./models/alert-destination"
import { ChannelAlert } from "./models/alert"
import { ChannelAlertDelivery } from "./models/alert-delivery"
import { SecretBox } from "../channel/secrets"
import { moduleSecretBox, resealSecret } from "../channel/credentials"
import type { AllowedHostsOption } from "../channel/hosts"
import { rememberSecrets } from "../channel/scrub"
import { MAX_DIGEST_LINES, resolveAlertOptions, type AlertOptions, type AlertSeverity } from "./policy"

export type ChannelAlertModuleOptions = {
  /** The plugin's credential key (shared with the channel module): webhook secrets are sealed with it. */
  encryption_key?: string
  allowed_hosts?: AllowedHostsOption
  /** Dedupe/digest windows and operational thresholds (policy.ts, DEFAULT_ALERT_OPTIONS). */
  alerts?: Partial<AlertOptions>
}

type SqlManager = { execute: (sql: string, params?: unknown[]) => Promise<any[]> }

/** One alert to record and route (alerts.ts in the workflows builds these). */
export type RaiseAlertInput = {
  source: "rule" | "operational" | "test"
  code: string
  /** Dedupe key: the same key within the dedupe window is recorded as suppressed, not sent. */
  key: string
  /** Digest group: alerts of one group to one destination travel together. */
  group_key: string
  severity: AlertSeverity
  title: string
  message: string
  channel_id?: string | null
  rule_id?: string | null
  order_id?: string | null
  data?: Record<string, unknown> | null
  /** Operational alerts are open until cleared; others have no state. */
  state?: "open" | null
  routes: Array<{ destination_id: string | null; kind: "email" | "webhook" | "feed"; recipients?: string[] }>
  /** Skip the dedupe window (test sends, cleared notices). */
  force?: boolean
}

/** Alert destinations, raised alerts and the alert outbox (issue 22). */
class ChannelAlertModuleService extends MedusaService({ ChannelAlertDestination, ChannelAlert, ChannelAlertDelivery }) {
  protected readonly cradle_: Record<string, any>
  protected readonly options_: ChannelAlertModuleOptions
  protected secrets_?: SecretBox

  constructor(cradle: Record<string, any>, options: ChannelAlertModuleOptions = {}) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.cradle_ = cradle
    this.options_ = options ?? {}
  }

  private get secrets(): SecretBox {
    this.secrets_ ??= moduleSecretBox(this.options_.encryption_key, this.cradle_)
    return this.secrets_
  }

  alertOptions(): AlertOptions {
    return resolveAlertOptions(this.options_.alerts as any)
  }

  allowedHosts(): AllowedHostsOption | undefined {
    return this.options_.allowed_hosts
  }

  sealSecret(secret: string): string {
    return this.secrets.seal(secret)
  }

  /** Key rotation: a value sealed with the current key as is, one sealed with `previousKey` sealed again, else null. */
  resealSecret(sealed: string, previousKey: string): string | null {
    return resealSecret(this.secrets, sealed, previousKey)
  }

  /** The webhook URL of a destination (stored sealed: Slack and Teams URLs carry their token), or null. */
  destinationUrl(row: { url?: string | null } | null | undefined): string | null {
    if (!row?.url) return null
    try {
      const url = this.secrets.open<string>(row.url)
      rememberSecrets([url])
      return url
    } catch {
      return null
    }
  }

  /** The webhook secret of a destination, or null (none set, or unreadable with the current key). */
  async webhookSecret(destinationId: string): Promise<string | null> {
    const [row] = await this.listChannelAlertDestinations({ id: destinationId }, { select: ["id", "secret_encrypted"] })
    if (!row?.secret_encrypted) return null
    try {
      const secret = this.secrets.open<string>(row.secret_encrypted)
      rememberSecrets([secret])
      return secret
    } catch {
      return null
    }
  }

  /**
   * Records an alert and, unless the same key was raised within the dedupe window, puts it in the
   * outbox of each route: it joins a pending message of its group to that destination (a digest) or
   * starts one, due after the gather delay, or after the digest window when the group's last message
   * went out less than a window ago. One advisory lock per route keeps concurrent raises from
   * starting two messages.
   */
  @InjectTransactionManager()
  async raiseAlert(
    input: RaiseAlertInput,
    now: Date = new Date(),
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ alert_id: string; suppressed: boolean; delivery_ids: string[]; already_open?: boolean }> {
    const manager = sharedContext.transactionManager as unknown as SqlManager
    const opts = this.alertOptions()
    await manager.execute(`select pg_advisory_xact_lock(hashtext(?))`, [`channel-alert:${input.key}`])
    if (input.state === "open") {
      // Raised once: another instance's check may have opened it meanwhile.
      const [open] = await manager.execute(`select id from channel_alert where key = ? and state = 'open' and deleted_at is null limit 1`, [input.key])
      if (open) return { alert_id: open.id, suppressed: false, delivery_ids: [], already_open: true }
    }
    let suppressed = false
    if (!input.force) {
      const since = new Date(now.getTime() - opts.dedupe_window_minutes * 60_000)
      const [prev] = await manager.execute(
        `select id from channel_alert where key = ? and raised_at > ? and suppressed = false and deleted_at is null limit 1`,
        [input.key, since]
      )
      suppressed = Boolean(prev)
    }
    const alertId = generateEntityId(undefined, "chalrt")
    await manager.execute(
      `insert into channel_alert (id, source, code, key, state, severity, title, message, channel_id, rule_id, order_id, data, suppressed, raised_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        alertId,
        input.source,
        input.code,
        input.key,
        input.state ?? null,
        input.severity,
        input.title,
        input.message,
        input.channel_id ?? null,
        input.rule_id ?? null,
        input.order_id ?? null,
        input.data ? JSON.stringify(input.data) : null,
        suppressed,
        now,
      ]
    )
    if (suppressed) return { alert_id: alertId, suppressed, delivery_ids: [] }
    const deliveryIds: string[] = []
    for (const route of input.routes) {
      const recipients = [...new Set(route.recipients ?? [])].sort()
      const routeKey = `${route.destination_id ?? `default:${route.kind}`}|${recipients.join(",")}`
      await manager.execute(`select pg_advisory_xact_lock(hashtext(?))`, [`channel-alert-route:${routeKey}:${input.group_key}`])
      const [pending] = await manager.execute(
        `select id from channel_alert_delivery
         where group_key = ? and kind = ? and destination_id is not distinct from ? and recipients = ?::jsonb
           and state = 'pending' and attempts = 0 and deleted_at is null
         order by created_at desc limit 1 for update`,
        [input.group_key, route.kind, route.destination_id, JSON.stringify(recipients)]
      )
      if (pending) {
        await manager.execute(
          `update channel_alert_delivery set count = count + 1, last_at = ?, updated_at = now(),
             alert_ids = alert_ids || ?::jsonb,
             lines = case when jsonb_array_length(lines) < ? then lines || ?::jsonb else lines end,
             severity = case when ? = 'error' or severity = 'error' then 'error' when ? = 'warning' or severity = 'warning' then 'warning' else 'info' end
           where id = ?`,
          [now, JSON.stringify([alertId]), MAX_DIGEST_LINES, JSON.stringify([input.message]), input.severity, input.severity, pending.id]
        )
        deliveryIds.push(pending.id)
        continue
      }
      const [recent] = await manager.execute(
        `select coalesce(sent_at, created_at) as at from channel_alert_delivery
         where group_key = ? and kind = ? and destination_id is not distinct from ? and recipients = ?::jsonb
           and state <> 'pending' and deleted_at is null and created_at > ?
         order by created_at desc limit 1`,
        [input.group_key, route.kind, route.destination_id, JSON.stringify(recipients), new Date(now.getTime() - opts.digest_window_minutes * 60_000)]
      )
      const gather = now.getTime() + opts.gather_seconds * 1000
      const due = recent ? Math.max(gather, new Date(recent.at).getTime() + opts.digest_window_minutes * 60_000) : gather
      const id = generateEntityId(undefined, "chaldl")
      await manager.execute(
        `insert into channel_alert_delivery (id, destination_id, kind, group_key, recipients, title, message, severity, count, lines, alert_ids, first_at, last_at, state, attempts, next_attempt_at)
         values (?, ?, ?, ?, ?::jsonb, ?, ?, ?, 1, ?::jsonb, ?::jsonb, ?, ?, 'pending', 0, ?)`,
        [
          id,
          route.destination_id,
          route.kind,
          input.group_key,
          JSON.stringify(recipients),
          input.title,
          input.message,
          input.severity,
          JSON.stringify([input.message]),
          JSON.stringify([alertId]),
          now,
          now,
          new Date(due),
        ]
      )
      deliveryIds.push(id)
    }
    return { alert_id: alertId, suppressed, delivery_ids: deliveryIds }
  }

  /** Deliveries due at `now` (pending/retrying whose time came, sending whose lease ran out), oldest first. */
  async dueDeliveryIds(now: Date, limit = 200): Promise<string[]> {
    const rows = await this.listChannelAlertDeliveries(
      { state: ["pending", "retrying", "sending"], next_attempt_at: { $lte: now } } as any,
      { select: ["id"], order: { next_attempt_at: "ASC" }, take: limit }
    )
    return rows.map((r) => r.id)
  }

  /** Takes a due delivery for one send (attempts + 1, leased); null when it is not due or another process has it. */
  @InjectTransactionManager()
  async claimDelivery(id: string, now: Date, leaseMs: number, @MedusaContext() sharedContext: Context = {}): Promise<Record<string, any> | null> {
    const manager = sharedContext.transactionManager as unknown as SqlManager
    const [row] = await manager.execute(
      `update channel_alert_delivery set state = 'sending', attempts = attempts + 1, next_attempt_at = ?, updated_at = now()
       where id = ? and deleted_at is null and state in ('pending', 'retrying', 'sending') and next_attempt_at <= ?
       returning *`,
      [new Date(now.getTime() + leaseMs), id, now]
    )
    return row ?? null
  }

  /** Writes a send's outcome if the claim (state sending, same attempt) still holds. */
  @InjectTransactionManager()
  async settleDelivery(
    id: string,
    attempts: number,
    outcome: { state: "sent" | "retrying" | "failed"; next_attempt_at?: Date | null; error?: string | null; status?: number | null; response?: unknown },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<boolean> {
    const manager = sharedContext.transactionManager as unknown as SqlManager
    const rows = await manager.execute(
      `update channel_alert_delivery set state = ?, next_attempt_at = ?, last_error = ?, last_status = ?, response = ?::jsonb,
         sent_at = case when ? = 'sent' then now() else sent_at end, updated_at = now()
       where id = ? and state = 'sending' and attempts = ? returning id`,
      [
        outcome.state,
        outcome.next_attempt_at ?? null,
        outcome.error ?? null,
        outcome.status ?? null,
        outcome.response === undefined ? null : JSON.stringify(outcome.response),
        outcome.state,
        id,
        attempts,
      ]
    )
    return rows.length > 0
  }
}

export default ChannelAlertModuleService
