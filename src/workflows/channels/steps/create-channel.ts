import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"
import type { StatusRuleInput } from "../../../modules/channel/types/provider"

export type CreateChannelStepInput = {
  name: string
  provider: string
  enabled?: boolean
  /** Sealed with the module's key (`channels.sealCredentials`); opened only inside the step. */
  credentials_sealed?: string | null
  settings: Record<string, unknown>
  status_rules: StatusRuleInput[]
}

/** Creates the channel with its credentials sealed, and the provider's default status rules. */
export const createChannelStep = createStep(
  "create-channel",
  async (input: CreateChannelStepInput, { container }) => {
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const sealed = input.credentials_sealed ?? null
    // Opened here only to name the account; the step's input and output keep the sealed form.
    const credentials = channels.openCredentials(sealed)
    const channel = await channels.createChannels({
      name: input.name,
      provider: input.provider,
      enabled: input.enabled ?? true,
      credentials_encrypted: sealed,
      settings: input.settings,
    })
    // Known only once the channel has an id (a provider without an identity falls back to it).
    const account_key = channels.accountKeyFor(channel, input.settings as Record<string, any>, credentials)
    await channels.updateChannels({ id: channel.id, account_key })
    if (input.status_rules.length) {
      await channels.createChannelStatusRules(input.status_rules.map((r) => ({ ...r, channel_id: channel.id })))
    }
    return new StepResponse({ ...channel, account_key }, channel.id)
  },
  async (channelId, { container }) => {
    if (!channelId) return
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const rules = await channels.listChannelStatusRules({ channel_id: channelId }, { select: ["id"] })
    await channels.deleteChannelStatusRules(rules.map((r) => r.id))
    await channels.deleteChannels(channelId)
  }
)
