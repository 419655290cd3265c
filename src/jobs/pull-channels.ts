import type { MedusaContainer } from "@medusajs/framework/types"
import { scrubSecrets } from "../modules/channel/scrub"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../modules/channel"
import type ChannelModuleService from "../modules/channel/service"
import { parseChannelSettings } from "../modules/channel/settings"
import { ImportAlreadyRunningError, runChannelImport } from "../workflows/import-orders/run-channel-import"

/** The share of a one-minute tick the job spends pulling; feedback delivery shares the worker's job slot. */
export const PULL_TICK_BUDGET_MS = 45_000

/**
 * Every minute: pull each enabled channel whose pull interval has elapsed since its last run began,
 * or whose last run stopped with pages left. Several instances may tick at once; the per-channel
 * lock lets one of them pull and the others skip. A tick pulls for at most PULL_TICK_BUDGET_MS: a
 * run stops after the page that crosses it, its cursor on the next page, and the next tick resumes
 * (channels least recently pulled first, so a big backlog does not starve the others).
 */
export default async function pullChannelsJob(container: MedusaContainer) {
  // `CHANNEL_ORDERS_SCHEDULED_PULLS=off` pauses scheduled pulls (manual runs and recovery still work).
  if (process.env.CHANNEL_ORDERS_SCHEDULED_PULLS === "off") return
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const enabled = await channels.listChannels({ enabled: true }, { select: ["id", "name", "settings"] })
  if (!enabled.length) return
  const latest = await channels.latestRunsByChannel(enabled.map((c) => c.id))
  const started = Date.now()
  const lastStart = (id: string) => (latest.get(id) ? new Date(latest.get(id).started_at).getTime() : 0)
  for (const channel of [...enabled].sort((a, b) => lastStart(a.id) - lastStart(b.id))) {
    const left = PULL_TICK_BUDGET_MS - (Date.now() - started)
    if (left <= 0) break
    const interval = parseChannelSettings(channel.settings).pull_interval_minutes * 60_000
    const last = latest.get(channel.id)
    const unfinished = Boolean(last?.cursor?.page_token) && !last?.cursor?.completed_to && last?.status !== "running"
    // A little slack so a 1-minute interval is not skipped by clock jitter between ticks.
    if (last && !unfinished && started - new Date(last.started_at).getTime() < interval - 5_000) continue
    try {
      const run = await runChannelImport(container, { channel_id: channel.id, trigger: "schedule", max_duration_ms: left })
      const more = (run as any).cursor?.page_token && !(run as any).cursor?.completed_to ? "; more pages next tick" : ""
      logger.info(`Pulled ${channel.name}: ${run.fetched} fetched, ${run.imported} imported, ${run.failed} failed (${run.status})${more}`)
    } catch (e) {
      if (e instanceof ImportAlreadyRunningError) continue
      logger.error(`Scheduled pull of ${channel.name} failed: ${scrubSecrets((e as Error).message)}`)
    }
  }
}

export const config = {
  name: "channel-orders-pull-channels",
  schedule: "* * * * *",
}
