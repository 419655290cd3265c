import { createHook, createStep, createWorkflow, StepResponse, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { CHANNEL_MODULE } from "../../modules/channel"
import type ChannelModuleService from "../../modules/channel/service"
import type { ChannelOrderErrorCode, ChannelOrderErrorData } from "../../modules/channel/errors"
import { recordChannelOrderEventsStep, type ChannelOrderEventInput } from "./steps/record-channel-order-events"

/** One channel order that failed, with the reason the admin's fix buttons read. */
export type ChannelOrderFailure = {
  id: string
  error_code: ChannelOrderErrorCode
  error_message: string
  error_data: ChannelOrderErrorData | null
  /** The attempts the row counts after this one. */
  attempts: number
}

const RESTORED_FIELDS = ["id", "state", "order_id", "error_code", "error_message", "error_data", "attempts", "import_owner", "import_lease_until"] as const

/**
 * Marks channel orders failed, except those that got a Medusa order meanwhile (an admin retry or an
 * overlapping run between the attempt and now): an imported order is never shown as failed. Ends the
 * rows' import leases. Compensation writes back each row as it was before.
 */
export const recordChannelOrderFailuresStep = createStep(
  "channel-orders-record-channel-order-failures",
  async (input: { failures: ChannelOrderFailure[] }, { container }) => {
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    if (!input.failures.length) return new StepResponse({ recorded: [] as string[] }, [] as Record<string, unknown>[])
    const before = await channels.listChannelOrders({ id: input.failures.map((f) => f.id) }, { select: [...RESTORED_FIELDS] as string[] })
    const linked = new Set(before.filter((r) => r.order_id).map((r) => r.id))
    const todo = input.failures.filter((f) => !linked.has(f.id))
    if (todo.length) {
      await channels.updateChannelOrders(
        todo.map((f) => ({ id: f.id, state: "failed", error_code: f.error_code, error_message: f.error_message, error_data: f.error_data, attempts: f.attempts, import_owner: null, import_lease_until: null })) as any
      )
    }
    const ids = new Set(todo.map((f) => f.id))
    const previous = before.filter((r) => ids.has(r.id)).map(({ order_id: _o, ...r }) => r as Record<string, unknown>)
    return new StepResponse({ recorded: todo.map((f) => f.id) }, previous)
  },
  async (previous, { container }) => {
    if (!previous?.length) return
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    await channels.updateChannelOrders(previous as any)
  }
)

/**
 * Records failed channel orders and their timeline in one unit. `channelOrdersFailed` lets a store
 * react (page someone, open a ticket); if its handler throws, the rows and events are restored.
 */
export const recordChannelOrderFailuresWorkflow = createWorkflow(
  "channel-orders-record-failure",
  (input: { failures: ChannelOrderFailure[]; events: ChannelOrderEventInput[] }) => {
    const recorded = recordChannelOrderFailuresStep(transform(input, (i) => ({ failures: i.failures })))
    recordChannelOrderEventsStep(transform(input, (i) => i.events)).config({ name: "record-channel-order-failure-events" })
    const channelOrdersFailed = createHook("channelOrdersFailed", {
      failures: transform({ input, recorded }, ({ input, recorded }) => input.failures.filter((f) => recorded.recorded.includes(f.id))),
    })
    return new WorkflowResponse(recorded, { hooks: [channelOrdersFailed] })
  }
)
