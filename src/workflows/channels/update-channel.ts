import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { useQueryGraphStep } from "@medusajs/medusa/core-flows"
import { validateChannelConfigStep } from "./steps/validate-channel-config"
import { updateChannelStep } from "./steps/update-channel"

export type UpdateChannelInput = {
  id: string
  name?: string
  enabled?: boolean
  /**
   * New credentials sealed with the channel module's key (`channels.sealCredentials({...})`):
   * undefined keeps the stored ones, null removes them. Never plaintext (see CreateChannelInput).
   */
  credentials_sealed?: string | null
  settings?: Record<string, unknown>
}

/**
 * Settings are merged into what is stored and validated as a whole; credentials are replaced, never
 * merged. Changing a URL the credentials are sent to (`base_url`, `auth_url`) requires sending the
 * credentials again.
 */
export const updateChannelWorkflow = createWorkflow("channel-orders-update-channel", (input: UpdateChannelInput) => {
  const { data: channels } = useQueryGraphStep({
    entity: "channel",
    fields: ["id", "provider", "settings"],
    filters: { id: input.id },
    options: { throwIfKeyNotFound: true },
  })
  const merged = transform({ input, channels }, ({ input, channels }) => ({
    channel_id: input.id,
    provider: channels[0].provider as string,
    previous_settings: (channels[0].settings as Record<string, unknown>) ?? {},
    settings: { ...((channels[0].settings as Record<string, unknown>) ?? {}), ...(input.settings ?? {}) },
    settings_sent: input.settings !== undefined,
    // Only the keys this update sends are judged against the provider's keys (stored ones are not).
    supplied_settings_keys: Object.keys(input.settings ?? {}),
    credentials_sealed: input.credentials_sealed,
    plaintext_credentials: (input as any).credentials !== undefined,
  }))
  const validated = validateChannelConfigStep(merged)
  const channel = updateChannelStep(
    transform({ input, validated }, ({ input, validated }) => ({
      id: input.id,
      name: input.name,
      enabled: input.enabled,
      credentials_sealed: input.credentials_sealed,
      settings: input.settings ? validated.settings : undefined,
    }))
  )
  return new WorkflowResponse(channel)
})
