import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MedusaError } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"
import { failpoint } from "../failpoints"

export type ClaimChannelOrderInput = {
  channel_order_id: string
  order_id: string
  action: string
  external_status: string | null
  rule_effects?: unknown
  /** The import that began (beginChannelOrderImports) and still owns the row. */
  owner?: string | null
}

/**
 * Links the new Medusa order to its channel order, if and only if no order was linked before. When
 * another instance got there first the step fails, and the workflow compensates (deletes) the order
 * it just created: the database, not timing, decides that an external order is imported once.
 */
export const claimChannelOrderStep = createStep(
  "claim-channel-order",
  async (input: ClaimChannelOrderInput, { container }) => {
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    await failpoint("after-create")
    const won = await channels.claimChannelOrder(input.channel_order_id, input.order_id, input)
    if (!won) {
      throw new MedusaError(MedusaError.Types.DUPLICATE_ERROR, `Channel order ${input.channel_order_id} is already imported`)
    }
    await failpoint("after-claim")
    return new StepResponse(true, { channel_order_id: input.channel_order_id, order_id: input.order_id })
  },
  async (comp, { container }) => {
    if (!comp) return
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    await channels.unclaimChannelOrder(comp.channel_order_id, comp.order_id)
  }
)
