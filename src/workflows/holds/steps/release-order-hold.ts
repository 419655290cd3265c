import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"

/** Whether the reason a hold was placed still holds today; a person may release it anyway. */
async function causeStillExists(container: any, hold: { reason: string; order_id: string }): Promise<string | null> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  if (hold.reason === "insufficient_quantity") {
    const { data } = await query.graph({
      entity: "order",
      fields: ["items.id", "items.quantity", "items.variant.manage_inventory", "items.variant.inventory_items.inventory_item_id", "items.variant.inventory_items.required_quantity", "metadata"],
      filters: { id: hold.order_id },
    })
    const items = data[0]?.items ?? []
    const reservations = await container.resolve(Modules.INVENTORY).listReservationItems({ line_item_id: items.map((i: any) => i.id) })
    const reserved = new Set(reservations.map((r: any) => r.line_item_id))
    const unreserved = items.filter((i: any) => i.variant?.manage_inventory && !reserved.has(i.id))
    return unreserved.length ? `${unreserved.length} line(s) still have no stock reserved` : null
  }
  if (hold.reason === "not_managed_item") {
    const { data } = await query.graph({ entity: "order", fields: ["items.id", "items.variant_id"], filters: { id: hold.order_id } })
    const custom = (data[0]?.items ?? []).filter((i: any) => !i.variant_id)
    return custom.length ? `${custom.length} line(s) are still not linked to a product` : null
  }
  if (hold.reason === "unmapped_shipping_policy") {
    const { data } = await query.graph({ entity: "order", fields: ["shipping_methods.shipping_option_id"], filters: { id: hold.order_id } })
    return (data[0]?.shipping_methods ?? []).some((m: any) => m.shipping_option_id) ? null : "the order still has no shipping option"
  }
  return null
}

/**
 * Releases one open hold, recording who did it and, when the cause is still there (stock still
 * short, line still unmatched), that it was released anyway.
 */
export const releaseOrderHoldStep = createStep(
  "release-order-hold",
  async (input: { order_id: string; hold_id: string; released_by?: string | null; note?: string | null }, { container }) => {
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const [hold] = await channels.listOrderHolds({ id: input.hold_id, order_id: input.order_id })
    if (!hold) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Hold ${input.hold_id} not found on order ${input.order_id}`)
    if (hold.released_at) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Hold ${input.hold_id} is already released`)
    const still = await causeStillExists(container, hold)
    const release_note = [input.note, still ? `Released while its cause remains: ${still}` : null].filter(Boolean).join(" — ") || null
    const updated = await channels.updateOrderHolds({ id: hold.id, released_at: new Date(), released_by: input.released_by ?? null, release_note })
    if (hold.channel_order_id) {
      await channels.createChannelOrderEvents({
        channel_order_id: hold.channel_order_id,
        order_id: hold.order_id,
        type: "hold_released",
        message: `Hold ${hold.reason} released${still ? " (cause still present)" : ""}`,
        data: { hold_id: hold.id, released_by: input.released_by ?? null, cause_still_present: still },
      })
    }
    return new StepResponse(updated, hold.id)
  },
  async (holdId, { container }) => {
    if (!holdId) return
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    await channels.updateOrderHolds({ id: holdId, released_at: null, released_by: null, release_note: null })
  }
)
