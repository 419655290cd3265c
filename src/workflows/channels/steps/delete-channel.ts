import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"

/**
 * Soft-deletes the channel and its status rules. Its channel orders stay: they are the record of
 * what was imported, and the Medusa orders they point to are untouched.
 */
export const deleteChannelStep = createStep(
  "delete-channel",
  async (id: string, { container }) => {
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const rules = await channels.listChannelStatusRules({ channel_id: id }, { select: ["id"] })
    await channels.softDeleteChannelStatusRules(rules.map((r) => r.id))
    await channels.softDeleteChannels(id)
    return new StepResponse(id, { id, rules: rules.map((r) => r.id) })
  },
  async (comp, { container }) => {
    if (!comp) return
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    await channels.restoreChannels(comp.id)
    if (comp.rules.length) await channels.restoreChannelStatusRules(comp.rules)
  }
)
