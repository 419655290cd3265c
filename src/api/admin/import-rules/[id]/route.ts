import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CHANNEL_MODULE } from "../../../../modules/channel"
import type ChannelModuleService from "../../../../modules/channel/service"
import { saveImportRuleWorkflow } from "../../../../workflows/rules/save-import-rule"

export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  res.json({ import_rule: await channels.retrieveImportRule(req.params.id) })
}

/** Partial updates are merged into the stored rule, and the result is validated as a whole. */
export async function POST(req: AuthenticatedMedusaRequest<Record<string, unknown>>, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const stored = await channels.retrieveImportRule(req.params.id)
  const { id, created_at, updated_at, deleted_at, ...current } = stored as any
  const { result } = await saveImportRuleWorkflow(req.scope).run({
    input: { id: req.params.id, rule: { ...current, ...((req.body ?? {}) as Record<string, unknown>) } },
  })
  res.json({ import_rule: result })
}

export async function DELETE(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  await channels.retrieveImportRule(req.params.id)
  await channels.softDeleteImportRules(req.params.id)
  res.json({ id: req.params.id, object: "import_rule", deleted: true })
}
