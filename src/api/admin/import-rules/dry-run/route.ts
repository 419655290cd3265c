import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../../../modules/channel"
import type ChannelModuleService from "../../../../modules/channel/service"
import { parseCanonicalOrder } from "../../../../modules/channel/types/canonical-order"
import { evaluateImportRules, loadImportRules } from "../../../../workflows/import-orders/apply-import-rules"
import { parseImportRule } from "../../../../workflows/rules/schema"

/**
 * Which rules would match a staged channel order, and what they would do, without importing.
 * With `rule`, that unsaved rule is evaluated alongside the saved ones.
 */
export async function POST(
  req: AuthenticatedMedusaRequest<{ channel_order_id?: string; rule?: Record<string, unknown>; exclude_rule_id?: string }>,
  res: MedusaResponse
) {
  const body = (req.body ?? {}) as { channel_order_id?: string; rule?: Record<string, unknown>; exclude_rule_id?: string }
  if (!body.channel_order_id) throw new MedusaError(MedusaError.Types.INVALID_DATA, "channel_order_id is required")
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const co = await channels.retrieveChannelOrder(body.channel_order_id)
  const channel = await channels.retrieveChannel(co.channel_id)
  const provider = channels.getProvider(channel.provider)
  const parsed = parseCanonicalOrder(co.normalized ?? provider.normalize(co.raw, { settings: channel.settings as any }))
  if (!parsed.success) throw new MedusaError(MedusaError.Types.INVALID_DATA, `The channel order is not a valid order: ${parsed.message}`)
  // A draft of a saved rule replaces it, so the dry run doesn't count the rule twice.
  const replaced = body.exclude_rule_id ?? (typeof body.rule?.id === "string" ? (body.rule.id as string) : undefined)
  const rules = (await loadImportRules(req.scope)).filter((r) => r.id !== replaced)
  if (body.rule) {
    const { id: _id, created_at: _c, updated_at: _u, deleted_at: _d, ...ruleBody } = body.rule as Record<string, unknown>
    const draft = parseImportRule(ruleBody)
    if (!draft.success) throw new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid import rule: ${draft.errors.join("; ")}`)
    rules.push({ ...(draft.rule as any), id: replaced ?? "draft", channel_ids: draft.rule.channel_ids ?? [] })
  }
  const effects = await evaluateImportRules(req.scope, rules, parsed.order, { id: channel.id, provider: channel.provider })
  res.json(effects)
}
