import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { runChannelImport } from "../../../../../workflows/import-orders/run-channel-import"

/** Pulls the channel now and answers with the run summary (409 while another pull runs, 400 if disabled). */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const run = await runChannelImport(req.scope, { channel_id: req.params.id, trigger: "manual" })
  res.json({ run })
}
