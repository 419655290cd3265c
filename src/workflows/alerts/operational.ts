import { CREDENTIAL_ERROR_CODES, type AlertOptions, type AlertSeverity, type OperationalAlertCode } from "../../modules/channel-alert/policy"

/** What the operational checks read about one channel. */
export type ChannelHealth = {
  channel: { id: string; name: string; enabled: boolean; created_at: Date | string; pull_interval_minutes: number }
  /** Finished runs, newest first (at least `run_failures` of them when there are that many). */
  recent_runs: Array<{ status: string; error_code?: string | null; error?: string | null; started_at: Date | string; finished_at?: Date | string | null }>
  /** When its last successful run finished, or null. */
  last_success_at: Date | string | null
  /** Channel orders that could not be imported (`failed`) in the last hour. */
  failed_last_hour: number
  /** Feedback rows not confirmed, created more than `feedback_unconfirmed_hours` ago. */
  unconfirmed_feedback: number
}

export type OperationalCause = {
  code: OperationalAlertCode
  channel_id: string
  severity: AlertSeverity
  title: string
  message: string
  data: Record<string, unknown>
}

/** The operational alerts a channel's state calls for right now (pure; the evaluate workflow raises and clears them). */
export function operationalCauses(h: ChannelHealth, opts: AlertOptions, now: Date): OperationalCause[] {
  if (!h.channel.enabled) return []
  const out: OperationalCause[] = []
  const name = h.channel.name
  const base = { channel_id: h.channel.id }
  const finished = h.recent_runs.filter((r) => r.status !== "running")
  const lastN = finished.slice(0, opts.run_failures)
  if (opts.run_failures > 0 && lastN.length >= opts.run_failures && lastN.every((r) => r.status === "failed")) {
    out.push({
      ...base,
      code: "run_failures",
      severity: "error",
      title: `${name}: ${lastN.length} imports failed in a row`,
      message: `The last ${lastN.length} runs of channel ${name} failed. Last error: ${lastN[0].error ?? lastN[0].error_code ?? "unknown"}`,
      data: { runs: lastN.length, error_code: lastN[0].error_code ?? null },
    })
  }
  const last = finished[0]
  if (last && last.status === "failed" && last.error_code && CREDENTIAL_ERROR_CODES.includes(last.error_code)) {
    out.push({
      ...base,
      code: "credentials_refused",
      severity: "error",
      title: `${name}: credentials refused`,
      message: `Channel ${name} could not sign in (${last.error_code}): enter its credentials again on the channel page.`,
      data: { error_code: last.error_code },
    })
  }
  if (h.failed_last_hour > opts.import_failures_per_hour) {
    out.push({
      ...base,
      code: "import_failures",
      severity: "warning",
      title: `${name}: ${h.failed_last_hour} orders could not be imported in the last hour`,
      message: `${h.failed_last_hour} orders of channel ${name} could not be imported in the last hour (more than ${opts.import_failures_per_hour}). See the import problems list.`,
      data: { failed: h.failed_last_hour, threshold: opts.import_failures_per_hour },
    })
  }
  if (h.unconfirmed_feedback > 0) {
    out.push({
      ...base,
      code: "feedback_unconfirmed",
      severity: "warning",
      title: `${name}: ${h.unconfirmed_feedback} shipment or cancel confirmations not confirmed`,
      message: `${h.unconfirmed_feedback} feedback item(s) of channel ${name} are not confirmed after ${opts.feedback_unconfirmed_hours} hours.`,
      data: { unconfirmed: h.unconfirmed_feedback, hours: opts.feedback_unconfirmed_hours },
    })
  }
  const since = new Date(h.last_success_at ?? h.channel.created_at).getTime()
  const limitMs = opts.stale_interval_multiple * h.channel.pull_interval_minutes * 60_000
  if (opts.stale_interval_multiple > 0 && now.getTime() - since > limitMs) {
    const minutes = Math.round((now.getTime() - since) / 60_000)
    out.push({
      ...base,
      code: "channel_stale",
      severity: "warning",
      title: `${name}: no successful import for ${minutes} minutes`,
      message: `Channel ${name} has had no successful run for ${minutes} minutes (more than ${opts.stale_interval_multiple} × its ${h.channel.pull_interval_minutes}-minute interval).`,
      data: { minutes, last_success_at: h.last_success_at ? new Date(h.last_success_at).toISOString() : null },
    })
  }
  return out
}

export const operationalKey = (code: string, channelId: string) => `op:${code}:${channelId}`
