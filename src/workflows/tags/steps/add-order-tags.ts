import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"
import { normalizeTag } from "../normalize"

/** Adds tags to an order; tags it already has (in any case) are left as they are. */
export const addOrderTagsStep = createStep(
  "add-order-tags",
  async (input: { order_id: string; tags: string[] }, { container }) => {
    const wanted = new Map<string, string>()
    for (const t of input.tags) {
      const n = normalizeTag(t)
      if (n && !wanted.has(n.normalized)) wanted.set(n.normalized, n.value)
    }
    if (!wanted.size) return new StepResponse([], [])
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const existing = await channels.listOrderTags({ order_id: input.order_id, normalized: [...wanted.keys()] })
    const have = new Set(existing.map((t) => t.normalized))
    const toCreate = [...wanted].filter(([n]) => !have.has(n)).map(([normalized, value]) => ({ order_id: input.order_id, value, normalized }))
    const created = toCreate.length ? await channels.createOrderTags(toCreate) : []
    return new StepResponse(created, created.map((t) => t.id))
  },
  async (ids, { container }) => {
    if (!ids?.length) return
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    await channels.deleteOrderTags(ids)
  }
)
