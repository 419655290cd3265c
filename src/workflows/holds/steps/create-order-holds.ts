import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"
import type { HoldReason } from "../../../modules/channel/types/states"

export type OrderHoldInput = {
  order_id: string
  channel_order_id?: string | null
  reason: HoldReason
  detail?: string | null
  rule_id?: string | null
  created_by?: string | null
}

export const createOrderHoldsStep = createStep(
  "create-order-holds",
  async (holds: OrderHoldInput[], { container }) => {
    if (!holds.length) return new StepResponse([], [])
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const created = await channels.createOrderHolds(holds)
    return new StepResponse(created, created.map((h) => h.id))
  },
  async (ids, { container }) => {
    if (!ids?.length) return
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    await channels.deleteOrderHolds(ids)
  }
)
