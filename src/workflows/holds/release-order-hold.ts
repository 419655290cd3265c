import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { releaseOrderHoldStep } from "./steps/release-order-hold"

export type ReleaseOrderHoldInput = { order_id: string; hold_id: string; released_by?: string | null; note?: string | null }

export const releaseOrderHoldWorkflow = createWorkflow("channel-orders-release-order-hold", (input: ReleaseOrderHoldInput) => {
  return new WorkflowResponse(releaseOrderHoldStep(input))
})
