import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"
import type { Reconciliation } from "../order-amounts"

export type RecordReconciliationInput = Array<{ channel_order_id: string; reconciliation: Reconciliation }>

/** Keeps each imported order's reconciliation (both sets of figures) on its channel order, for the admin. */
export const recordReconciliationStep = createStep(
  "record-channel-order-reconciliation",
  async (input: RecordReconciliationInput, { container }) => {
    if (!input.length) return new StepResponse(undefined, [] as string[])
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    await channels.updateChannelOrders(
      input.map((r) => ({ id: r.channel_order_id, reconciliation: r.reconciliation as any, reconciliation_status: r.reconciliation.status }))
    )
    return new StepResponse(undefined, input.map((r) => r.channel_order_id))
  },
  async (ids, { container }) => {
    if (!ids?.length) return
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    await channels.updateChannelOrders(ids.map((id) => ({ id, reconciliation: null, reconciliation_status: null })))
  }
)
