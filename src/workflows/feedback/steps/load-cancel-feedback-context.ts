import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"
import { ENDED_KINDS, statusKindOf, type IChannelProvider } from "../../../modules/channel/types/provider"

export type CancelFeedbackContext = {
  skip: string | null
  order_id: string
  channel_order: {
    id: string
    channel_id: string
    external_id: string
    action: string | null
    external_status: string | null
  } | null
  provider_id: string | null
  /** Whether the channel's provider can cancel an order on the marketplace. */
  can_cancel: boolean
  /** Whether the marketplace status already says canceled (then the Medusa cancel is its echo). */
  canceled_on_marketplace: boolean
}

/** Reads the channel order of a canceled Medusa order and whether its marketplace takes cancellations. */
export const loadCancelFeedbackContextStep = createStep(
  "load-cancel-feedback-context",
  async (input: { order_id: string }, { container }) => {
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const done = (c: CancelFeedbackContext) => new StepResponse<CancelFeedbackContext>(c)
    const base: CancelFeedbackContext = { skip: null, order_id: input.order_id, channel_order: null, provider_id: null, can_cancel: false, canceled_on_marketplace: false }
    const [co] = await channels.listChannelOrders(
      { order_id: input.order_id },
      { select: ["id", "channel_id", "external_id", "action", "external_status"], take: 1 }
    )
    if (!co) return done({ ...base, skip: "not_a_channel_order" })
    const [channel] = await channels.listChannels({ id: co.channel_id }, { select: ["id", "provider"], take: 1 })
    if (!channel) return done({ ...base, skip: "channel_not_found" })
    let provider: IChannelProvider | null = null
    try {
      provider = channels.getProvider(channel.provider)
    } catch {
      provider = null
    }
    const status = co.external_status ?? null
    // The provider declares what its statuses mean; an order the marketplace ended itself needs no
    // cancellation sent back.
    const canceledOnMarketplace = !!provider && ENDED_KINDS.has(statusKindOf(provider, status))
    return done({
      ...base,
      channel_order: {
        id: co.id,
        channel_id: co.channel_id,
        external_id: co.external_id,
        action: co.action ?? null,
        external_status: co.external_status ?? null,
      },
      provider_id: channel.provider,
      can_cancel: typeof provider?.cancelOrder === "function",
      canceled_on_marketplace: canceledOnMarketplace,
    })
  }
)
