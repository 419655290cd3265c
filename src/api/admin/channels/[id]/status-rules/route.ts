import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CHANNEL_MODULE } from "../../../../../modules/channel"
import type ChannelModuleService from "../../../../../modules/channel/service"
import { replaceStatusRulesWorkflow } from "../../../../../workflows/channels/replace-status-rules"
import type { PutStatusRulesType } from "../../validators"

/**
 * The "Order import settings" table: the channel's rules, plus every status the provider knows
 * that has no rule yet (`has_rule: false`, shown with the default do_not_import + retry).
 */
async function table(channels: ChannelModuleService, channelId: string) {
  const channel = await channels.retrieveChannel(channelId)
  const provider = channels.getProvider(channel.provider)
  const rules = await channels.listChannelStatusRules({ channel_id: channelId }, { order: { created_at: "ASC" } })
  const known = provider.statuses()
  const byStatus = new Map(rules.map((r) => [r.external_status, r]))
  const rows = known.map((s) => {
    const r = byStatus.get(s.external_status)
    return r
      ? { external_status: r.external_status, action: r.action, retry: r.retry, has_rule: true, description: s.description ?? null }
      : { external_status: s.external_status, action: "do_not_import", retry: true, has_rule: false, description: s.description ?? null }
  })
  for (const r of rules) {
    if (!known.some((s) => s.external_status === r.external_status)) {
      rows.push({ external_status: r.external_status, action: r.action, retry: r.retry, has_rule: true, description: null })
    }
  }
  return rows
}

export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  res.json({ status_rules: await table(channels, req.params.id) })
}

export async function PUT(req: AuthenticatedMedusaRequest<PutStatusRulesType>, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  await channels.retrieveChannel(req.params.id)
  const seen = new Set<string>()
  const rules = req.validatedBody.status_rules.filter((r) => (seen.has(r.external_status) ? false : (seen.add(r.external_status), true)))
  await replaceStatusRulesWorkflow(req.scope).run({ input: { channel_id: req.params.id, status_rules: rules } })
  res.json({ status_rules: await table(channels, req.params.id) })
}
