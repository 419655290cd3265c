import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"
import type { StatusRuleInput } from "../../../modules/channel/types/provider"

export type CreateChannelStepInput = {
  name: string
  provider: string
  enabled?: boolean
  credentials?: Record<string, unknown> | null
  settings: Record<string, unknown>
  status_rules: StatusRuleInput[]
}

/** Creates the channel with its credentials sealed, and the provider's default status rules. */
export const createChannelStep = createStep(
  "create-channel",
  async (input: CreateChannelStepInput, { container }) => {
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const channel = await channels.createChannels({
      name: input.name,
      provider: input.provider,
      enabled: input.enabled ?? true,
      credentials_encrypted: channels.sealCredentials(input.credentials ?? null),
      settings: input.settings,
    })
    if (input.status_rules.length) {
      await channels.createChannelStatusRules(input.status_rules.map((r) => ({ ...r, channel_id: channel.id })))
    }
    return new StepResponse(channel, channel.id)
  },
  async (channelId, { container }) => {
    if (!channelId) return
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const rules = await channels.listChannelStatusRules({ channel_id: channelId }, { select: ["id"] })
    await channels.deleteChannelStatusRules(rules.map((r) => r.id))
    await channels.deleteChannels(channelId)
  }
)
