import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MedusaError } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"
import { failpoint } from "../failpoints"

export type ChannelOrderClaim = { channel_order_id: string; order_id: string; action: string; rule_effects?: unknown; owner?: string | null }

/**
 * claimChannelOrderStep for a batch: links every new order to its channel order in one statement.
 * If any channel order was imported meanwhile, the whole batch is undone (its orders deleted) and
 * the caller imports the page order by order, where the lost ones are skipped.
 */
export const claimChannelOrdersStep = createStep(
  "claim-channel-orders",
  async (claims: ChannelOrderClaim[], { container }) => {
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    await failpoint("batch-after-create")
    const won = new Set(await channels.claimChannelOrders(claims))
    const lost = claims.filter((c) => !won.has(c.channel_order_id))
    if (lost.length) {
      await channels.unclaimChannelOrders(claims.filter((c) => won.has(c.channel_order_id)))
      throw new MedusaError(MedusaError.Types.DUPLICATE_ERROR, `Channel orders ${lost.map((c) => c.channel_order_id).join(", ")} are already imported`)
    }
    await failpoint("batch-after-claim")
    return new StepResponse(claims.length, claims.map((c) => ({ channel_order_id: c.channel_order_id, order_id: c.order_id })))
  },
  async (claimed, { container }) => {
    if (!claimed?.length) return
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    await channels.unclaimChannelOrders(claimed)
  }
)
