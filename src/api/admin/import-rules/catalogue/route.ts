import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { IMPORT_RULE_CATALOGUE } from "../../../../workflows/rules/catalogue"

/** Fields, operators and actions the rule editor offers, with each field's type. */
export async function GET(_req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  res.json(IMPORT_RULE_CATALOGUE)
}
