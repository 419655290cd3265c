import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../modules/channel"
import type ChannelModuleService from "../../modules/channel/service"
import type { ChannelOrderEventInput } from "./steps/record-channel-order-events"

export type InterruptedImport = { id: string; external_id: string; order_id: string | null; import_owner: string | null }

export type RecoveryOutcome = { channel_order_id: string; undone_order_ids: string[]; kept_order_id: string | null; released: boolean }

/**
 * Takes over imports whose process died (their `importing` lease ran out) and undoes what they left:
 * the Medusa order an import created (linked to the channel order or not yet: it is found by its
 * metadata.channel_order_id) with its reservations, payment collections, holds, tags and invoice,
 * as the workflow's own compensations would have. The channel order is then `pending` again, for
 * the caller to import afresh. An order that was already fulfilled is not undone (its stock may
 * have moved): it stays linked, so it can never be imported twice, and fails visibly for a person.
 */
export async function recoverInterruptedImports(container: MedusaContainer, channelId: string | null): Promise<{ outcomes: RecoveryOutcome[]; events: ChannelOrderEventInput[] }> {
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const stale = await channels.listInterruptedImports(channelId)
  if (!stale.length) return { outcomes: [], events: [] }
  const found = await channels.findOrdersOfChannelOrders(stale.map((s) => s.id))
  const outcomes: RecoveryOutcome[] = []
  const events: ChannelOrderEventInput[] = []
  for (const row of stale) {
    const orderIds = [...new Set([...found.filter((f) => f.channel_order_id === row.id).map((f) => f.id), ...(row.order_id ? [row.order_id] : [])])]
    const fulfilled = await fulfilledOrders(container, orderIds)
    const undone: string[] = []
    for (const id of orderIds.filter((id) => !fulfilled.has(id))) {
      await undoOrder(container, id)
      undone.push(id)
    }
    const kept = orderIds.find((id) => fulfilled.has(id)) ?? null
    if (kept) {
      // Keep the link so that nothing imports it again; a person decides (the order exists, shipped or not).
      await channels.updateChannelOrders({
        id: row.id,
        state: "failed",
        order_id: kept,
        import_owner: null,
        import_lease_until: null,
        error_code: "import_failed",
        error_message: `An import stopped midway after Medusa order ${kept} was fulfilled; check that order, then ignore this one`,
      } as any)
      events.push({ channel_order_id: row.id, order_id: kept, type: "import_interrupted", message: `An import stopped midway after fulfilment; Medusa order ${kept} kept for review`, data: { owner: row.import_owner, undone_order_ids: undone, kept_order_id: kept } })
      outcomes.push({ channel_order_id: row.id, undone_order_ids: undone, kept_order_id: kept, released: false })
      continue
    }
    const released = await channels.releaseInterruptedImport(row.id, row.import_owner)
    events.push({
      channel_order_id: row.id,
      type: "import_interrupted",
      message: undone.length
        ? `An import stopped midway; undid what it left (Medusa order ${undone.join(", ")}) and imports it again`
        : "An import stopped before creating anything; imports it again",
      data: { owner: row.import_owner, undone_order_ids: undone },
    })
    outcomes.push({ channel_order_id: row.id, undone_order_ids: undone, kept_order_id: null, released })
  }
  await channels.createChannelOrderEvents(events)
  return { outcomes, events }
}

async function fulfilledOrders(container: MedusaContainer, orderIds: string[]): Promise<Set<string>> {
  if (!orderIds.length) return new Set()
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "order", fields: ["id", "fulfillments.id"], filters: { id: orderIds } })
  return new Set((data as any[]).filter((o) => (o.fulfillments ?? []).length).map((o) => o.id))
}

/** What the import workflow's compensations undo, for an order whose workflow never got to run them. */
async function undoOrder(container: MedusaContainer, orderId: string): Promise<void> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const { data } = await query.graph({ entity: "order", fields: ["id", "items.id", "payment_collections.id"], filters: { id: orderId } })
  const order = data[0] as any
  if (!order) return
  const itemIds: string[] = (order.items ?? []).map((i: any) => i.id)
  // Linked collections, and the batched path's collections created before their link (found by metadata).
  const unlinked = await (container.resolve(Modules.PAYMENT) as any).listPaymentCollections({ metadata: { order_id: orderId } }, { select: ["id"] }).catch(() => [])
  const linked: string[] = (order.payment_collections ?? []).map((p: any) => p.id)
  const collectionIds: string[] = [...new Set([...linked, ...unlinked.map((p: any) => p.id as string)])]
  if (itemIds.length) {
    // Under the same locks as Medusa's reserve step (one per inventory item): the inventory module
    // adjusts a level's reserved quantity by read-modify-write, so a deletion racing another
    // worker's reservation of the same item would lose one of the two updates.
    const inventory = container.resolve(Modules.INVENTORY)
    const reservations = await inventory.listReservationItems({ line_item_id: itemIds }, { select: ["id", "inventory_item_id"] })
    const keys = [...new Set(reservations.map((r: any) => r.inventory_item_id as string))]
    if (keys.length) {
      await container.resolve(Modules.LOCKING).execute(keys, async () => {
        await inventory.deleteReservationItemsByLineItem(itemIds)
      })
    }
  }
  if (collectionIds.length) {
    if (linked.length) await link.dismiss(linked.map((id) => ({ [Modules.ORDER]: { order_id: orderId }, [Modules.PAYMENT]: { payment_collection_id: id } })))
    await (container.resolve(Modules.PAYMENT) as any).deletePaymentCollections(collectionIds)
  }
  const [holds, tags, invoices] = await Promise.all([
    channels.listOrderHolds({ order_id: orderId }, { select: ["id"] }),
    channels.listOrderTags({ order_id: orderId }, { select: ["id"] }),
    channels.listChannelInvoices({ order_id: orderId } as any, { select: ["id"] }),
  ])
  if (holds.length) await channels.deleteOrderHolds(holds.map((h) => h.id))
  if (tags.length) await channels.deleteOrderTags(tags.map((t) => t.id))
  if (invoices.length) await channels.deleteChannelInvoices(invoices.map((i: any) => i.id))
  await container.resolve(Modules.ORDER).deleteOrders([orderId])
}
