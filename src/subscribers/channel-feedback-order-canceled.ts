import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { recordCancelFeedbackWorkflow } from "../workflows/feedback/record-cancel-feedback"

/** An imported order canceled in Medusa → a cancellation for the marketplace (or a manual-cancel flag). */
export default async function channelFeedbackOnOrderCanceled({ event, container }: SubscriberArgs<{ id: string }>) {
  await recordCancelFeedbackWorkflow(container).run({ input: { order_id: event.data.id } })
}

export const config: SubscriberConfig = {
  event: "order.canceled",
  context: { subscriberId: "channel-orders-feedback-order-canceled" },
}
