import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { deleteChannelStep } from "./steps/delete-channel"

export const deleteChannelWorkflow = createWorkflow("channel-orders-delete-channel", (input: { id: string }) => {
  return new WorkflowResponse(deleteChannelStep(input.id))
})
