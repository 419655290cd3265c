import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"
import type { StatusRuleInput } from "../../../modules/channel/types/provider"

/** Replaces a channel's whole "Order import settings" table; compensation puts the old table back. */
export const replaceStatusRulesStep = createStep(
  "replace-status-rules",
  async (input: { channel_id: string; status_rules: StatusRuleInput[] }, { container }) => {
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const before = await channels.listChannelStatusRules({ channel_id: input.channel_id })
    if (before.length) await channels.deleteChannelStatusRules(before.map((r) => r.id))
    const created = input.status_rules.length
      ? await channels.createChannelStatusRules(input.status_rules.map((r) => ({ ...r, channel_id: input.channel_id })))
      : []
    return new StepResponse(created, {
      channel_id: input.channel_id,
      created: created.map((r) => r.id),
      before: before.map(({ channel_id, external_status, action, retry }) => ({ channel_id, external_status, action, retry })),
    })
  },
  async (comp, { container }) => {
    if (!comp) return
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    if (comp.created.length) await channels.deleteChannelStatusRules(comp.created)
    if (comp.before.length) await channels.createChannelStatusRules(comp.before)
  }
)
