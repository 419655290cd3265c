import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { recordShipmentFeedbackWorkflow } from "../workflows/feedback/record-shipment-feedback"

/**
 * A shipment of an imported order → a shipment feedback row in the outbox (for channels that count
 * "shipment created" as shipped). The delivery job sends it; if this event is ever lost, the job's
 * sweep records the row from the shipment itself.
 */
export default async function channelFeedbackOnShipmentCreated({ event, container }: SubscriberArgs<{ id: string }>) {
  await recordShipmentFeedbackWorkflow(container).run({
    input: { trigger: "shipment_created", fulfillment_id: event.data.id },
  })
}

export const config: SubscriberConfig = {
  event: "shipment.created",
  context: { subscriberId: "channel-orders-feedback-shipment-created" },
}
