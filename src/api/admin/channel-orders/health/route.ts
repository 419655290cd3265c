import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { importHealth } from "../desk"

/** Import health for the Marketplace page's charts (issue 20); `?days=` 1 to 30, default 7. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const raw = req.query.days
  const days = raw === undefined ? 7 : Number(raw)
  if (!Number.isInteger(days) || days < 1 || days > 30) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "days must be a whole number from 1 to 30")
  }
  res.json(await importHealth(req.scope, days))
}
