import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
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
  return new WorkflowResponse(transform({ holds }, ({ holds }) => holds[0]))
})
