import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"

export type UpdateChannelStepInput = {
  id: string
  name?: string
  enabled?: boolean
  /** undefined keeps the stored credentials, null removes them. */
  credentials?: Record<string, unknown> | null
  settings?: Record<string, unknown>
}

export const updateChannelStep = createStep(
  "update-channel",
  async (input: UpdateChannelStepInput, { container }) => {
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const before = await channels.retrieveChannel(input.id)
    const update: Record<string, unknown> = { id: input.id }
    if (input.name !== undefined) update.name = input.name
    if (input.enabled !== undefined) update.enabled = input.enabled
    if (input.settings !== undefined) update.settings = input.settings
    if (input.credentials !== undefined) update.credentials_encrypted = channels.sealCredentials(input.credentials)
    const channel = await channels.updateChannels(update as any)
    return new StepResponse(channel, {
      id: before.id,
      name: before.name,
      enabled: before.enabled,
      settings: before.settings,
      credentials_encrypted: before.credentials_encrypted,
    })
  },
  async (before, { container }) => {
    if (!before) return
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    await channels.updateChannels(before as any)
  }
)
