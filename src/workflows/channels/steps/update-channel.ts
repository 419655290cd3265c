import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"
import { ChannelCredentialsUnreadableError } from "../../../modules/channel/credentials"

export type UpdateChannelStepInput = {
  id: string
  name?: string
  enabled?: boolean
  /** Sealed with the module's key (`channels.sealCredentials`): undefined keeps the stored credentials, null removes them. */
  credentials_sealed?: string | null
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
    if (input.credentials_sealed !== undefined) update.credentials_encrypted = input.credentials_sealed
    // A new seller id, URL or key can mean another account: the channel's orders follow its key.
    const settings = (input.settings ?? before.settings ?? {}) as Record<string, any>
    // Opened here only to name the account; the step's input and output keep the sealed form.
    const previousKey = (before as any).account_key ?? `channel:${before.id}`
    let credentials: Record<string, any> | null
    try {
      credentials = channels.openCredentials(input.credentials_sealed !== undefined ? input.credentials_sealed : before.credentials_encrypted)
    } catch (e) {
      if (!(e instanceof ChannelCredentialsUnreadableError)) throw e
      credentials = null // stored credentials the key cannot open: the account stays what it was
    }
    update.account_key = credentials ? channels.accountKeyFor(before, settings, credentials) : previousKey
    const channel = await channels.updateChannels(update as any)
    if (update.account_key !== previousKey) await channels.rekeyChannelOrders(before.id, update.account_key as string)
    return new StepResponse(channel, {
      id: before.id,
      name: before.name,
      enabled: before.enabled,
      settings: before.settings,
      credentials_encrypted: before.credentials_encrypted,
      account_key: previousKey,
    })
  },
  async (before, { container }) => {
    if (!before) return
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    await channels.updateChannels(before as any)
    await channels.rekeyChannelOrders(before.id, before.account_key)
  }
)
