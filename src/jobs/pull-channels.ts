import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../modules/channel"
import type ChannelModuleService from "../modules/channel/service"
import { parseChannelSettings } from "../modules/channel/settings"
import { ImportAlreadyRunningError, runChannelImport } from "../workflows/import-orders/run-channel-import"

/**
 * Every minute: pull each enabled channel whose pull interval has elapsed since its last run began.
 * Several instances may tick at once; the per-channel lock lets one of them pull and the others
 * skip, and a channel that is still being pulled is simply not due.
 */
export default async function pullChannelsJob(container: MedusaContainer) {
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const enabled = await channels.listChannels({ enabled: true }, { select: ["id", "name", "settings"] })
  if (!enabled.length) return
  const latest = await channels.latestRunsByChannel(enabled.map((c) => c.id))
  const now = Date.now()
  for (const channel of enabled) {
    const interval = parseChannelSettings(channel.settings).pull_interval_minutes * 60_000
    const last = latest.get(channel.id)
    // A little slack so a 1-minute interval is not skipped by clock jitter between ticks.
    if (last && now - new Date(last.started_at).getTime() < interval - 5_000) continue
    try {
      const run = await runChannelImport(container, { channel_id: channel.id, trigger: "schedule" })
      logger.info(`Pulled ${channel.name}: ${run.fetched} fetched, ${run.imported} imported, ${run.failed} failed (${run.status})`)
    } catch (e) {
      if (e instanceof ImportAlreadyRunningError) continue
      logger.error(`Scheduled pull of ${channel.name} failed: ${(e as Error).message}`)
    }
  }
}

export const config = {
  name: "channel-orders-pull-channels",
  schedule: "* * * * *",
}
