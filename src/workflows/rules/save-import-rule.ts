import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { saveImportRuleStep } from "./steps/save-import-rule"

export type SaveImportRuleInput = { id?: string; rule: Record<string, unknown> }

export const saveImportRuleWorkflow = createWorkflow("channel-orders-save-import-rule", (input: SaveImportRuleInput) => {
  return new WorkflowResponse(saveImportRuleStep(input))
})
