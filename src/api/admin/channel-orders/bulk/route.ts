import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../../../modules/channel"
import type ChannelModuleService from "../../../../modules/channel/service"
import { releaseOrderHoldWorkflow } from "../../../../workflows/holds/release-order-hold"
import { retryChannelOrder } from "../../../../workflows/import-orders/retry-channel-order"
import { addOrderTagsWorkflow } from "../../../../workflows/tags/add-order-tags"
import { normalizeTag } from "../../../../workflows/tags/normalize"
import type { PostChannelOrdersBulkType } from "../validators"

type Outcome = { id: string; ok: boolean; error?: string; state?: string; released?: number }

/**
 * The marketplace desk's bulk actions (issue 20) on channel orders, one after the other, each
 * through the same workflow as its single-order route. One order failing does not stop the others:
 * the answer says, per id, what happened.
 */
export async function POST(req: AuthenticatedMedusaRequest<PostChannelOrdersBulkType>, res: MedusaResponse) {
  const body = req.validatedBody
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const actor = req.auth_context?.actor_id ?? null
  const ids = [...new Set(body.ids)]
  const rows = await channels.listChannelOrders({ id: ids }, { select: ["id", "state", "order_id", "error_code"] })
  const byId = new Map(rows.map((r: any) => [r.id, r]))
  const results: Outcome[] = []
  for (const id of ids) {
    const co: any = byId.get(id)
    try {
      if (!co) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Channel order ${id} was not found`)
      results.push({ id, ok: true, ...(await apply(req, channels, co, body, actor)) })
    } catch (e: any) {
      results.push({ id, ok: false, error: String(e?.message ?? e) })
    }
  }
  res.json({
    action: body.action,
    ok: results.filter((r) => r.ok).length,
    failed: results.filter((r) => !r.ok).length,
    results,
  })
}

async function apply(
  req: AuthenticatedMedusaRequest,
  channels: ChannelModuleService,
  co: { id: string; state: string; order_id: string | null; error_code: string | null },
  body: PostChannelOrdersBulkType,
  actor: string | null
): Promise<Partial<Outcome>> {
  switch (body.action) {
    case "retry": {
      const r = await retryChannelOrder(req.scope, co.id)
      return { state: r.channel_order?.state }
    }
    case "ignore": {
      if (co.state === "imported") throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "An imported order cannot be ignored")
      await channels.updateChannelOrders({ id: co.id, state: "ignored" })
      await channels.createChannelOrderEvents({
        channel_order_id: co.id,
        type: "ignored",
        message: "Ignored by an admin",
        data: { by: actor, previous_state: co.state, previous_error: co.error_code, bulk: true },
      })
      return { state: "ignored" }
    }
    case "release_holds": {
      const orderId = requireOrder(co)
      const holds = await channels.listOrderHolds({ order_id: orderId, released_at: null }, { select: ["id", "reason"] })
      let released = 0
      for (const h of holds as any[]) {
        if (body.reasons && !body.reasons.includes(h.reason)) continue
        await releaseOrderHoldWorkflow(req.scope).run({ input: { order_id: orderId, hold_id: h.id, released_by: actor, note: body.note ?? null } })
        released++
      }
      return { released }
    }
    case "add_tag": {
      const orderId = requireOrder(co)
      if (!normalizeTag(body.tag)) throw new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid tag "${body.tag}"`)
      await addOrderTagsWorkflow(req.scope).run({ input: { order_id: orderId, tags: [body.tag] } })
      return {}
    }
    case "remove_tag": {
      const orderId = requireOrder(co)
      const n = normalizeTag(body.tag)
      const tags = n ? await channels.listOrderTags({ order_id: orderId, normalized: n.normalized }, { select: ["id"] }) : []
      if (tags.length) await channels.deleteOrderTags(tags.map((t: any) => t.id))
      return {}
    }
  }
}

function requireOrder(co: { id: string; order_id: string | null }): string {
  if (!co.order_id) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Channel order ${co.id} has no Medusa order`)
  return co.order_id
}
