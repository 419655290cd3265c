import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { orderIdOfEvent, recordStatusChangeFeedbackWorkflow, STATUS_CHANGE_EVENTS } from "../workflows/feedback/record-status-change-feedback"

/**
 * Any event that may change an imported order's status, fulfilment status or hold → at most one
 * `status` outbox row per change, for channels that take status changes (the `api` provider's
 * webhook with `order.status_changed` in `webhook_events`). Unchanged status records nothing.
 */
export default async function channelFeedbackOnStatusChanged({ event, container }: SubscriberArgs<Record<string, any>>) {
  const target = await orderIdOfEvent(container, event.name, event.data ?? {})
  if (!target.order_id && !target.fulfillment_id) return
  await recordStatusChangeFeedbackWorkflow(container).run({ input: { ...target, trigger: event.name } })
}

export const config: SubscriberConfig = {
  event: [...STATUS_CHANGE_EVENTS],
  context: { subscriberId: "channel-orders-feedback-status-changed" },
}
