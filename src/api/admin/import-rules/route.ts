import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"
import { saveImportRuleWorkflow } from "../../../workflows/rules/save-import-rule"

export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const rules = await channels.listImportRules({}, { order: { priority: "DESC", id: "ASC" } })
  res.json({ import_rules: rules })
}

/** The body is the rule itself; it is validated as a whole by the workflow (400 naming every problem). */
export async function POST(req: AuthenticatedMedusaRequest<Record<string, unknown>>, res: MedusaResponse) {
  const { result } = await saveImportRuleWorkflow(req.scope).run({ input: { rule: (req.body ?? {}) as Record<string, unknown> } })
  res.status(201).json({ import_rule: result })
}
