import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { releaseOrderHoldWorkflow } from "../../../../../../../workflows/holds/release-order-hold"
import type { ReleaseOrderHoldType } from "../../../../validators"

export async function POST(req: AuthenticatedMedusaRequest<ReleaseOrderHoldType>, res: MedusaResponse) {
  const { result } = await releaseOrderHoldWorkflow(req.scope).run({
    input: { order_id: req.params.id, hold_id: req.params.hold_id, released_by: req.auth_context?.actor_id ?? null, note: req.validatedBody?.note ?? null },
  })
  res.json({ hold: result })
}
