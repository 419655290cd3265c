import { completeOrderWorkflow, createOrderFulfillmentWorkflow, createOrderShipmentWorkflow } from "@medusajs/medusa/core-flows"
import { assertOrdersNotOnHold, orderIdsOfFulfillments, runsInsidePluginWorkflow } from "../holds/hold-guard"

/**
 * Holds are enforced in Medusa's core workflows, whoever runs them (the admin, another plugin, a
 * script): creating a fulfillment, creating a shipment and completing an order fail while the order
 * has an open hold, and the workflow compensates (the fulfillment is deleted, stock and reservations
 * are restored; events are not emitted). The plugin's own workflows that record a fulfilment that
 * already happened (imports as history or complete, shipments made on the marketplace) pass.
 *
 * Medusa allows ONE handler per hook. A store or another plugin that consumes one of these hooks
 * too fails at boot with "Cannot define multiple hook handlers"; set CHANNEL_ORDERS_HOLD_HOOKS=false
 * and call `assertOrdersNotOnHold` from its own handler. A hook already taken when this file loads
 * is left to its owner (with a warning), and the fulfillment route's middleware still guards it.
 */
function register(name: string, fn: () => void) {
  try {
    fn()
  } catch (e: any) {
    // eslint-disable-next-line no-console
    console.warn(`[medusa-channel-orders] holds are not enforced in ${name}: ${e?.message ?? e}`)
  }
}

if (process.env.CHANNEL_ORDERS_HOLD_HOOKS !== "false") {
  register("createOrderFulfillmentWorkflow.hooks.fulfillmentCreated", () =>
    createOrderFulfillmentWorkflow.hooks.fulfillmentCreated(async ({ fulfillment }, ctx) => {
      if (runsInsidePluginWorkflow(ctx as any)) return
      await assertOrdersNotOnHold(ctx.container, await orderIdsOfFulfillments(ctx.container, [fulfillment.id]), "fulfil")
    })
  )
  register("createOrderShipmentWorkflow.hooks.shipmentCreated", () =>
    createOrderShipmentWorkflow.hooks.shipmentCreated(async ({ shipment }, ctx) => {
      if (runsInsidePluginWorkflow(ctx as any)) return
      await assertOrdersNotOnHold(ctx.container, await orderIdsOfFulfillments(ctx.container, [(shipment as any).id]), "ship")
    })
  )
  register("completeOrderWorkflow.hooks.ordersCompleted", () =>
    completeOrderWorkflow.hooks.ordersCompleted(async ({ orders }, ctx) => {
      if (runsInsidePluginWorkflow(ctx as any)) return
      await assertOrdersNotOnHold(ctx.container, ((orders ?? []) as any[]).map((o) => o.id), "complete")
    })
  )
}
