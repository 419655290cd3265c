import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { useQueryGraphStep } from "@medusajs/medusa/core-flows"
import { validateChannelConfigStep } from "./steps/validate-channel-config"
import { updateChannelStep } from "./steps/update-channel"

export type UpdateChannelInput = {
  id: string
  name?: string
  enabled?: boolean
  credentials?: Record<string, unknown> | null
  settings?: Record<string, unknown>
}

/** Settings are merged into what is stored and validated as a whole; credentials are replaced, never merged. */
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
    settings: { ...((channels[0].settings as Record<string, unknown>) ?? {}), ...(input.settings ?? {}) },
    credentials: input.credentials ?? undefined,
  }))
  const validated = validateChannelConfigStep(merged)
  const channel = updateChannelStep(
    transform({ input, validated }, ({ input, validated }) => ({
      id: input.id,
      name: input.name,
      enabled: input.enabled,
      credentials: input.credentials,
      settings: input.settings ? validated.settings : undefined,
    }))
  )
  return new WorkflowResponse(channel)
})
