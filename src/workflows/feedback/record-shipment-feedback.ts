import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { recordChannelOrderEventsStep } from "../import-orders/steps/record-channel-order-events"
import { buildShipmentFeedback } from "./build-feedback"
import { describeItems, FEEDBACK_EVENT_TYPE } from "./policy"
import { loadShipmentFeedbackContextStep, type LoadShipmentFeedbackContextInput } from "./steps/load-shipment-feedback-context"
import { recordChannelFeedbackStep } from "./steps/record-channel-feedback"

export type RecordShipmentFeedbackInput = LoadShipmentFeedbackContextInput & {
  /** ISO time the rows become due (tests); now by default. */
  now?: string
}

/**
 * Shipment → outbox row(s). Triggered by `shipment.created` (one fulfillment) or, for channels whose
 * `shipped_when` is `order_completed`, by `order.completed` (every shipped fulfillment of the order).
 * One row per fulfillment: a partial shipment carries only its lines, and several shipments of an
 * order are each reported once.
 */
export const recordShipmentFeedbackWorkflow = createWorkflow(
  "channel-orders-record-shipment-feedback",
  (input: RecordShipmentFeedbackInput) => {
    const context = loadShipmentFeedbackContextStep(
      transform({ input }, ({ input }) =>
        input.fulfillment_id
          ? { trigger: input.trigger, fulfillment_id: input.fulfillment_id }
          : { trigger: input.trigger, order_id: input.order_id! }
      )
    )
    const built = transform({ context, input }, ({ context, input }) =>
      buildShipmentFeedback(context, input.now ? new Date(input.now) : new Date())
    )
    const recorded = recordChannelFeedbackStep(transform({ built }, ({ built }) => built.rows))

    recordChannelOrderEventsStep(
      transform({ recorded, built }, ({ recorded, built }) =>
        recorded.map((row: any) => {
          const unmapped = built.unmapped[row.fulfillment_id] ?? []
          const carrier = row.carrier_code
            ? `carrier ${row.carrier_code}${row.carrier_name ? ` (${row.carrier_name})` : ""}`
            : "no carrier mapping: it will fail with unmapped_carrier until one is added and the item retried"
          const tracking = (row.tracking_numbers ?? []).length ? `tracking ${row.tracking_numbers.join(", ")}` : "no tracking number"
          const message =
            row.state === "failed"
              ? `Shipment feedback for fulfillment ${row.fulfillment_id} not sent: ${row.error_message}`
              : `Shipment feedback queued for fulfillment ${row.fulfillment_id}: ${describeItems(row.items)}; ${carrier}; ${tracking}` +
                (unmapped.length ? `; lines not from the marketplace left out: ${unmapped.join(", ")}` : "")
          return {
            channel_order_id: row.channel_order_id,
            order_id: row.order_id,
            type: FEEDBACK_EVENT_TYPE,
            message,
            data: { feedback_id: row.id, kind: "shipment", action: "recorded", state: row.state, fulfillment_id: row.fulfillment_id },
          }
        })
      )
    )

    return new WorkflowResponse(
      transform({ recorded, built }, ({ recorded, built }) => ({
        recorded: recorded.map((r: any) => r.id as string),
        skipped: built.skipped,
      }))
    )
  }
)
