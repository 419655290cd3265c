import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"

/**
 * Medusa has no "on hold" status, so the plugin guards the core routes that fulfil, ship or complete
 * an order: while it has an open hold they answer 409 naming the open reasons. The core workflows
 * behind them are guarded as well (src/workflows/hooks/hold-guard.ts), for callers that are not
 * these routes; the middleware gives the admin a clear 409 before any workflow starts.
 */
export async function blockFulfillmentWhileOnHold(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const open = await channels.listOrderHolds({ order_id: req.params.id, released_at: null }, { select: ["id", "reason", "detail"] })
  if (!open.length) return next()
  res.status(409).json({
    type: "not_allowed",
    code: "order_on_hold",
    message: `Order ${req.params.id} is on hold (${[...new Set(open.map((h) => h.reason))].join(", ")}); release its holds before ${verbOf(req.path)} it`,
    holds: open,
  })
}

function verbOf(path: string): string {
  if (/\/shipments\/?$/.test(path)) return "shipping"
  if (/\/complete\/?$/.test(path)) return "completing"
  return "fulfilling"
}
