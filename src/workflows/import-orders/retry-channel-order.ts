import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../modules/channel"
import type ChannelModuleService from "../../modules/channel/service"
import { recoverInterruptedImports } from "./recover-interrupted-imports"
import { decideChannelOrders, loadDecideContext, type StagedChannelOrder } from "./decide-channel-orders"

/**
 * Decides one channel order again from the payload it was staged with, even if it was ignored,
 * and records it as a run with trigger `retry`.
 */
export async function retryChannelOrder(container: MedusaContainer, channelOrderId: string) {
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  let row = await channels.retrieveChannelOrder(channelOrderId)
  if (row.state === "importing") {
    // A dead import's leftovers are undone before anything is decided again; a live one is left alone.
    await recoverInterruptedImports(container, row.channel_id)
    row = await channels.retrieveChannelOrder(channelOrderId)
    if (row.state === "importing") {
      throw new MedusaError(MedusaError.Types.CONFLICT, `Channel order ${row.external_id} is being imported right now; try again when that import ends`)
    }
  }
  if (row.state === "imported") {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Channel order ${row.external_id} is already imported`)
  }
  const dc = await loadDecideContext(container, row.channel_id)
  const started = new Date()
  const counts = await decideChannelOrders(
    container,
    dc,
    [{ row: row as unknown as StagedChannelOrder, previous_status: row.external_status, is_new: false }],
    { force: true }
  )
  const run = await channels.createChannelImportRuns({
    channel_id: row.channel_id,
    trigger: "retry",
    status: "succeeded",
    started_at: started,
    finished_at: new Date(),
    fetched: 1,
    ...counts,
  })
  return { channel_order: await channels.retrieveChannelOrder(channelOrderId), run }
}
