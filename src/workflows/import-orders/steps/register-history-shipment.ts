import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { Modules } from "@medusajs/framework/utils"

/**
 * Marks a history order's fulfillment as shipped. Medusa's shipment workflow derives shipped
 * quantities from inventory kits, which history lines deliberately have none of (their stock is
 * not ours to move), so the two module calls it would make are made here directly.
 */
export const registerHistoryShipmentStep = createStep(
  "register-history-shipment",
  async (input: { order_id: string; fulfillment_id: string; items: Array<{ id: string; quantity: number }> }, { container }) => {
    const fulfillments = container.resolve(Modules.FULFILLMENT)
    const orders = container.resolve(Modules.ORDER)
    await fulfillments.updateFulfillment(input.fulfillment_id, { shipped_at: new Date() })
    await orders.registerShipment({
      order_id: input.order_id,
      reference: Modules.FULFILLMENT,
      reference_id: input.fulfillment_id,
      items: input.items,
      no_notification: true,
    } as any)
    return new StepResponse(true, input.fulfillment_id)
  },
  async (fulfillmentId, { container }) => {
    if (!fulfillmentId) return
    await container.resolve(Modules.FULFILLMENT).updateFulfillment(fulfillmentId, { shipped_at: null } as any)
  }
)
