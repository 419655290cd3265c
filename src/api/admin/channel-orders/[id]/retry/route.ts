import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { retryChannelOrder } from "../../../../../workflows/import-orders/retry-channel-order"
import { presentChannelOrder } from "../../presenters"

/** Decides the order again from its stored payload (after a SKU mapping or a rule was fixed). */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const result = await retryChannelOrder(req.scope, req.params.id)
  res.json({ channel_order: presentChannelOrder(result.channel_order), run: result.run })
}
