import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../modules/channel"
import type ChannelModuleService from "../../modules/channel/service"
import type { CanonicalOrder } from "../../modules/channel/types/canonical-order"
import { applyImportRules, type ApplicableImportRule, type ImportRuleEffects } from "../rules/apply"
import { buildRuleFacts } from "../rules/facts"
import { isReservedOrderMetadataKey } from "../rules/reserved-metadata"
import type { TaxMode } from "./order-amounts"
import { planFor, type PreparedImport } from "./prepare-imports"

/** Every saved import rule, in the shape the evaluator takes (disabled ones never match). */
export async function loadImportRules(container: MedusaContainer): Promise<ApplicableImportRule[]> {
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const rows = await channels.listImportRules({})
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    priority: r.priority,
    enabled: r.enabled,
    channel_ids: (r.channel_ids as unknown as string[]) ?? [],
    conditions: r.conditions as any,
    actions: r.actions as any,
  }))
}

/** The store's home country, against which `is_international` is judged. */
export async function storeCountryCode(container: MedusaContainer): Promise<string | null> {
  const [store] = await container.resolve(Modules.STORE).listStores({}, { select: ["id", "metadata"] })
  const code = (store?.metadata as any)?.default_country_code
  return typeof code === "string" && code ? code.toLowerCase() : null
}

export async function evaluateImportRules(
  container: MedusaContainer,
  rules: ApplicableImportRule[],
  order: CanonicalOrder,
  channel: { id: string; provider: string },
  storeCountry?: string | null,
  taxMode?: TaxMode
): Promise<ImportRuleEffects> {
  const country = storeCountry === undefined ? await storeCountryCode(container) : storeCountry
  const facts = buildRuleFacts(order, channel, { store_country_code: country, tax_mode: taxMode })
  return applyImportRules(rules, facts, { channel_id: channel.id })
}

/**
 * Folds what the matching rules decided into the prepared import: tags and holds accumulate, a
 * cancel wins over every hold (the order is imported, then canceled, and nothing is reserved),
 * and the winning note and metadata values land on the order's metadata.
 */
export function applyRuleEffects(prepared: PreparedImport, effects: ImportRuleEffects, settings: Parameters<typeof planFor>[1]): PreparedImport {
  if (!effects.matched_rule_ids.length) return prepared
  const out: PreparedImport = { ...prepared, tags: [...prepared.tags, ...effects.tags], holds: [...prepared.holds] }
  if (effects.cancel) {
    out.action = "import_and_cancel"
    out.plan = planFor("import_and_cancel", settings)
    out.lines = out.lines.map((l) => ({ ...l, reserve: false }))
    out.holds = []
    out.shipped_elsewhere = []
  } else {
    for (const h of effects.holds) out.holds.push({ reason: "custom_rule", detail: h.detail, rule_id: h.rule_id })
  }
  out.order_input = {
    ...prepared.order_input,
    metadata: {
      ...(prepared.order_input.metadata ?? {}),
      ...Object.fromEntries(Object.entries(effects.metadata).filter(([key]) => !isReservedOrderMetadataKey(key))),
      ...(effects.note !== null ? { note: effects.note } : {}),
    },
  }
  return out
}
