import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MedusaError } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"
import { ChannelSettingsSchema } from "../../../modules/channel/settings"
import { ChannelProviderError } from "../../../modules/channel/errors"

export type ValidateChannelConfigInput = {
  /** For an existing channel: its stored credentials are used when the request doesn't replace them. */
  channel_id?: string
  provider: string
  settings: Record<string, unknown>
  credentials?: Record<string, unknown> | null
}

/** Checks settings against the shared schema and the provider's own rules, before anything is written. */
export const validateChannelConfigStep = createStep(
  "validate-channel-config",
  async (input: ValidateChannelConfigInput, { container }) => {
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const provider = channels.getProvider(input.provider)
    const parsed = ChannelSettingsSchema.safeParse(input.settings ?? {})
    if (!parsed.success) {
      const message = parsed.error.issues.map((i) => `settings.${i.path.join(".")}: ${i.message}`).join("; ")
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid channel settings: ${message}`)
    }
    const credentials =
      input.credentials === undefined && input.channel_id
        ? channels.openCredentials((await channels.retrieveChannel(input.channel_id)).credentials_encrypted)
        : input.credentials ?? {}
    try {
      provider.validateSettings?.(parsed.data, credentials)
    } catch (e) {
      if (e instanceof ChannelProviderError || e instanceof Error) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, e.message)
      }
      throw e
    }
    return new StepResponse({ settings: parsed.data as Record<string, unknown>, default_rules: provider.defaultStatusRules() })
  }
)
