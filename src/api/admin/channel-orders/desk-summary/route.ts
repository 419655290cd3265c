import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { deskSummary } from "../desk"

/** Counts of the marketplace desk (issue 20): open holds by reason, channel orders by state, feedback by state, running imports. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  res.json(await deskSummary(req.scope))
}
