import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { validateChannelConfigStep } from "./steps/validate-channel-config"
import { createChannelStep } from "./steps/create-channel"

export type CreateChannelInput = {
  name: string
  provider: string
  enabled?: boolean
  /**
   * The credentials sealed with the channel module's key: `channels.sealCredentials({...})`.
   * Workflow input is kept by Medusa's workflow engine (`workflow_execution`, readable through
   * `/admin/workflows-executions`), so plaintext credentials are never part of it; each step opens
   * them itself when it needs them, and no step returns them.
   */
  credentials_sealed?: string | null
  settings?: Record<string, unknown>
}

export const createChannelWorkflow = createWorkflow("channel-orders-create-channel", (input: CreateChannelInput) => {
  const validated = validateChannelConfigStep(
    transform({ input }, ({ input }) => ({
      provider: input.provider,
      settings: input.settings ?? {},
      credentials_sealed: input.credentials_sealed ?? null,
      // Plaintext passed by mistake is refused by the step (it would be stored with the input).
      plaintext_credentials: (input as any).credentials !== undefined,
    }))
  )
  const channel = createChannelStep(
    transform({ input, validated }, ({ input, validated }) => ({
      name: input.name,
      provider: input.provider,
      enabled: input.enabled,
      credentials_sealed: input.credentials_sealed ?? null,
      settings: validated.settings,
      status_rules: validated.default_rules,
    }))
  )
  return new WorkflowResponse(channel)
})
