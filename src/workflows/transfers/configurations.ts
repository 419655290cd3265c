import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { deleteTransferConfigurationStep, saveTransferConfigurationStep } from "./steps/save-configuration"

/**
 * Saving and deleting export and status import configurations. Input never holds plaintext secrets:
 * the route seals them first (`channels.sealCredentials`), since the engine keeps workflow input.
 * `credentials_sealed`: undefined keeps the stored secrets, null removes them.
 */
export type SaveTransferConfigurationInput = { id?: string; credentials_sealed?: string | null } & Record<string, unknown>

const toData = (input: SaveTransferConfigurationInput) => {
  const { id: _id, credentials_sealed, ...rest } = input
  const data: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) data[k] = v
  if (credentials_sealed !== undefined) data.credentials_encrypted = credentials_sealed
  return data
}

export const saveOrderExportWorkflow = createWorkflow("channel-orders-save-order-export", (input: SaveTransferConfigurationInput) => {
  const saved = saveTransferConfigurationStep(transform({ input }, ({ input }) => ({ kind: "order_export" as const, id: input.id, data: toData(input) })))
  return new WorkflowResponse(saved)
})

export const deleteOrderExportWorkflow = createWorkflow("channel-orders-delete-order-export", (input: { id: string }) => {
  return new WorkflowResponse(deleteTransferConfigurationStep(transform({ input }, ({ input }) => ({ kind: "order_export" as const, id: input.id }))))
})

export const saveStatusImportWorkflow = createWorkflow("channel-orders-save-status-import", (input: SaveTransferConfigurationInput) => {
  const saved = saveTransferConfigurationStep(transform({ input }, ({ input }) => ({ kind: "status_import" as const, id: input.id, data: toData(input) })))
  return new WorkflowResponse(saved)
})

export const deleteStatusImportWorkflow = createWorkflow("channel-orders-delete-status-import", (input: { id: string }) => {
  return new WorkflowResponse(deleteTransferConfigurationStep(transform({ input }, ({ input }) => ({ kind: "status_import" as const, id: input.id }))))
})
