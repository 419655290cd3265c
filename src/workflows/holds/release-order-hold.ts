import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import { releaseOrderHoldStep } from "./steps/release-order-hold"

export type ReleaseOrderHoldInput = { order_id: string; hold_id: string; released_by?: string | null; note?: string | null }

export const releaseOrderHoldWorkflow = createWorkflow("channel-orders-release-order-hold", (input: ReleaseOrderHoldInput) => {
  const released = releaseOrderHoldStep(input)
  // Status-change feedback (issue 18) listens to it.
  emitEventStep({
    eventName: "order_hold.released",
    data: transform({ input }, ({ input }) => ({ order_id: input.order_id, hold_id: input.hold_id })),
  })
  return new WorkflowResponse(released)
})
