import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"
import { normalizeTag } from "../normalize"

type OrderTagsInput = { order_id: string; tags: string[] }

/**
 * Adds tags to one order, or to many (an import batch) with one read and one write; tags an order
 * already has (in any case) are left as they are.
 */
export const addOrderTagsStep = createStep(
  "add-order-tags",
  async (input: OrderTagsInput | OrderTagsInput[], { container }) => {
    const wanted = new Map<string, { order_id: string; value: string; normalized: string }>()
    for (const entry of Array.isArray(input) ? input : [input]) {
      for (const t of entry.tags) {
        const n = normalizeTag(t)
        if (!n) continue
        const key = `${entry.order_id}\u0000${n.normalized}`
        if (!wanted.has(key)) wanted.set(key, { order_id: entry.order_id, ...n })
      }
    }
    if (!wanted.size) return new StepResponse([], [])
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const rows = [...wanted.values()]
    const existing = await channels.listOrderTags({ order_id: [...new Set(rows.map((r) => r.order_id))], normalized: [...new Set(rows.map((r) => r.normalized))] })
    const have = new Set(existing.map((t) => `${t.order_id}\u0000${t.normalized}`))
    const toCreate = [...wanted].filter(([key]) => !have.has(key)).map(([, row]) => row)
    const created = toCreate.length ? await channels.createOrderTags(toCreate) : []
    return new StepResponse(created, created.map((t) => t.id))
  },
  async (ids, { container }) => {
    if (!ids?.length) return
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    await channels.deleteOrderTags(ids)
  }
)
