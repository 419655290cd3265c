import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MedusaError } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"
import { failpoint } from "../failpoints"

/**
 * The import's last write: the channel orders become `imported`. Until this step they are
 * `importing`, so a process that dies anywhere before it leaves them visibly unfinished, and
 * recovery undoes the Medusa order and imports them again. Fails if a recovery took them over.
 */
export const finishChannelOrderImportsStep = createStep(
  "finish-channel-order-imports",
  async (input: { ids: string[]; owner: string }, { container }) => {
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    await failpoint("before-finish")
    const done = new Set(await channels.finishChannelOrderImports(input.ids, input.owner))
    const lost = input.ids.filter((id) => !done.has(id))
    if (lost.length) {
      await channels.reopenChannelOrderImports([...done], input.owner)
      throw new MedusaError(MedusaError.Types.CONFLICT, `The import of channel orders ${lost.join(", ")} was taken over by a recovery; it is undone`)
    }
    return new StepResponse(true, input)
  },
  async (input, { container }) => {
    if (!input) return
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    await channels.reopenChannelOrderImports(input.ids, input.owner)
  }
)
