import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"

export type ChannelOrderEventInput = {
  channel_order_id: string
  order_id?: string | null
  type: string
  message: string
  data?: Record<string, unknown> | null
}

/** Appends to a channel order's timeline, inside the same workflow as the change it describes. */
export const recordChannelOrderEventsStep = createStep(
  "record-channel-order-events",
  async (events: ChannelOrderEventInput[], { container }) => {
    if (!events.length) return new StepResponse([], [])
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const created = await channels.createChannelOrderEvents(events)
    return new StepResponse(created, created.map((e) => e.id))
  },
  async (ids, { container }) => {
    if (!ids?.length) return
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    await channels.deleteChannelOrderEvents(ids)
  }
)
