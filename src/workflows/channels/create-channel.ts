import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { validateChannelConfigStep } from "./steps/validate-channel-config"
import { createChannelStep } from "./steps/create-channel"

export type CreateChannelInput = {
  name: string
  provider: string
  enabled?: boolean
  credentials?: Record<string, unknown>
  settings?: Record<string, unknown>
}

export const createChannelWorkflow = createWorkflow("channel-orders-create-channel", (input: CreateChannelInput) => {
  const validated = validateChannelConfigStep(
    transform({ input }, ({ input }) => ({ provider: input.provider, settings: input.settings ?? {}, credentials: input.credentials }))
  )
  const channel = createChannelStep(
    transform({ input, validated }, ({ input, validated }) => ({
      name: input.name,
      provider: input.provider,
      enabled: input.enabled,
      credentials: input.credentials,
      settings: validated.settings,
      status_rules: validated.default_rules,
    }))
  )
  return new WorkflowResponse(channel)
})
