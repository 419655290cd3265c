import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../modules/channel"
import type ChannelModuleService from "../../modules/channel/service"

/** Workflow ids of this plugin start with this; its own fulfilments (imports, shipments made on the marketplace) are not guarded. */
export const PLUGIN_WORKFLOW_PREFIX = "channel-orders-"

export type HoldGuardAction = "fulfil" | "ship" | "complete"

const VERB: Record<HoldGuardAction, string> = { fulfil: "fulfilling", ship: "shipping", complete: "completing" }

/**
 * Throws `not_allowed` when any of the orders has an open hold, naming the order and the hold
 * reasons. Call it from your own handler if your store consumes one of the core hooks this plugin
 * uses (Medusa allows one handler per hook) and you set `CHANNEL_ORDERS_HOLD_HOOKS=false`.
 */
export async function assertOrdersNotOnHold(container: MedusaContainer, orderIds: string[], action: HoldGuardAction): Promise<void> {
  const ids = [...new Set(orderIds.filter(Boolean))]
  if (!ids.length) return
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const open = await channels.listOrderHolds({ order_id: ids, released_at: null }, { select: ["id", "order_id", "reason"] })
  if (!open.length) return
  const byOrder = new Map<string, Set<string>>()
  for (const h of open) {
    const set = byOrder.get(h.order_id as string) ?? new Set<string>()
    set.add(h.reason as string)
    byOrder.set(h.order_id as string, set)
  }
  const described = [...byOrder].map(([id, reasons]) => `Order ${id} is on hold (${[...reasons].join(", ")})`).join("; ")
  throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `${described}; release its holds before ${VERB[action]} it`)
}

/** The order a fulfillment belongs to (through Medusa's order–fulfillment link). */
export async function orderIdsOfFulfillments(container: MedusaContainer, fulfillmentIds: string[]): Promise<string[]> {
  const ids = fulfillmentIds.filter(Boolean)
  if (!ids.length) return []
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "fulfillment", fields: ["id", "order.id"], filters: { id: ids } })
  return data.map((f: any) => f.order?.id).filter(Boolean)
}

/**
 * Whether a core workflow runs as a step of one of this plugin's workflows (an import that
 * fulfils and ships, a shipment the marketplace made): those record what already happened and are
 * not guarded. The parent's step key is set by Medusa's `runAsStep`, never by an HTTP request.
 */
export function runsInsidePluginWorkflow(stepContext: { parentStepIdempotencyKey?: string; context?: Record<string, any> } | undefined): boolean {
  const key = stepContext?.parentStepIdempotencyKey ?? stepContext?.context?.parentStepIdempotencyKey
  return typeof key === "string" && key.startsWith(PLUGIN_WORKFLOW_PREFIX)
}
