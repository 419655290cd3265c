import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import { createOrderHoldsStep } from "./steps/create-order-holds"
import type { HoldReason } from "../../modules/channel/types/states"

export type PlaceOrderHoldInput = {
  order_id: string
  channel_order_id?: string | null
  reason: HoldReason
  detail?: string | null
  created_by?: string | null
}

export const placeOrderHoldWorkflow = createWorkflow("channel-orders-place-order-hold", (input: PlaceOrderHoldInput) => {
  const holds = createOrderHoldsStep(transform({ input }, ({ input }) => [input]))
  // Status-change feedback (issue 18) listens to it.
  emitEventStep({
    eventName: "order_hold.placed",
    data: transform({ holds, input }, ({ holds, input }) => ({ order_id: input.order_id, hold_id: (holds[0] as any)?.id ?? null })),
  })
  return new WorkflowResponse(transform({ holds }, ({ holds }) => holds[0]))
})
