import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { recordShipmentFeedbackWorkflow } from "../workflows/feedback/record-shipment-feedback"

/** For channels whose `shipped_when` is `order_completed`: a completed order's shipments go to the outbox. */
export default async function channelFeedbackOnOrderCompleted({ event, container }: SubscriberArgs<{ id: string }>) {
  await recordShipmentFeedbackWorkflow(container).run({
    input: { trigger: "order_completed", order_id: event.data.id },
  })
}

export const config: SubscriberConfig = {
  event: "order.completed",
  context: { subscriberId: "channel-orders-feedback-order-completed" },
}
