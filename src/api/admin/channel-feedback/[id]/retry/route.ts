import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { retryChannelFeedbackWorkflow } from "../../../../../workflows/feedback/retry-channel-feedback"
import { presentChannelFeedback } from "../../presenters"

/** Re-queues a failed item (after the carrier mapping or the order was fixed); the next pass sends it. */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { result } = await retryChannelFeedbackWorkflow(req.scope).run({ input: { id: req.params.id } })
  res.json({ channel_feedback: presentChannelFeedback(result as any) })
}
