import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { addOrderTagsStep } from "./steps/add-order-tags"

export const addOrderTagsWorkflow = createWorkflow("channel-orders-add-order-tags", (input: { order_id: string; tags: string[] }) => {
  return new WorkflowResponse(addOrderTagsStep(input))
})
