import { createHook, createStep, createWorkflow, StepResponse, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { CHANNEL_MODULE } from "../../modules/channel"
import type ChannelModuleService from "../../modules/channel/service"
import type { ChannelSettings } from "../../modules/channel/settings"
import type { CanonicalOrder } from "../../modules/channel/types/canonical-order"
import { syncImportedOrder } from "../status-sync/sync-imported-order"
import { recordChannelOrderEventsStep } from "./steps/record-channel-order-events"

export type FollowChannelOrderInput = {
  channel: { id: string; name: string; provider: string }
  settings: ChannelSettings
  channel_order_id: string
  order_id: string
  /** The order as the marketplace shows it now. */
  order: CanonicalOrder
}

/** Saves the marketplace's new version of an imported order; compensation puts the previous one back. */
export const saveFollowedChannelOrderStep = createStep(
  "channel-orders-save-followed-channel-order",
  async (input: { channel_order_id: string; order: CanonicalOrder }, { container }) => {
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const [before] = await channels.listChannelOrders({ id: input.channel_order_id }, { select: ["id", "normalized"] })
    await channels.updateChannelOrders({ id: input.channel_order_id, normalized: input.order } as any)
    return new StepResponse(true, before ? { id: before.id, normalized: before.normalized ?? null } : null)
  },
  async (previous, { container }) => {
    if (!previous) return
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    await channels.updateChannelOrders(previous as any)
  }
)

/**
 * Carries the marketplace's change out on the Medusa order: a cancellation cancels it (or holds it
 * once fulfilled), a shipment made elsewhere fulfils it without moving stock, a new address updates
 * it. Each of those is one of Medusa's own workflows, which undoes itself if it fails midway; a
 * change that went through is not undone by a later failure of this workflow (the order did change
 * on the marketplace), and the next change is followed from the Medusa order as it is.
 */
export const applyMarketplaceChangeStep = createStep(
  "channel-orders-apply-marketplace-change",
  async (input: FollowChannelOrderInput, { container }) => {
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const provider = channels.getProvider(input.channel.provider)
    const events = await syncImportedOrder(container, { channel: input.channel, settings: input.settings, provider }, { id: input.channel_order_id, order_id: input.order_id }, input.order)
    return new StepResponse(events)
  }
)

/**
 * Follows a marketplace change of an imported order (never imports it again): the new version is
 * saved, the change carried out on the Medusa order, and the timeline written, as one unit.
 * `channelOrderFollowed` lets a store act on the change after it was applied.
 */
export const followChannelOrderWorkflow = createWorkflow("channel-orders-follow-channel-order", (input: FollowChannelOrderInput) => {
  saveFollowedChannelOrderStep(transform(input, (i) => ({ channel_order_id: i.channel_order_id, order: i.order })))
  const events = applyMarketplaceChangeStep(input)
  recordChannelOrderEventsStep(events).config({ name: "record-followed-channel-order-events" })
  const channelOrderFollowed = createHook("channelOrderFollowed", {
    channel_order_id: input.channel_order_id,
    order_id: input.order_id,
    events,
  })
  return new WorkflowResponse(events, { hooks: [channelOrderFollowed] })
})
