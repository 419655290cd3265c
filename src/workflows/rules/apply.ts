import { evaluateConditions, type ConditionGroup } from "./conditions"
import type { RuleFacts } from "./facts"
import { renderNote } from "./note"
import { isReservedOrderMetadataKey } from "./reserved-metadata"
import { dedupeTags, type AlertSeverity, type ImportRule, type ImportRuleAction } from "./schema"

/** A saved rule as the engine needs it. `conditions`/`actions` may come straight from JSON columns. */
export type ApplicableImportRule = Pick<ImportRule, "name" | "priority" | "enabled"> & {
  id: string
  channel_ids?: readonly string[] | null
  conditions: ConditionGroup
  actions: readonly ImportRuleAction[]
}

export type RuleHold = {
  reason: "custom_rule"
  rule_id: string
  rule_name: string
  detail: string
}

export type RuleAlert = {
  rule_id: string
  rule_name: string
  /** Rendered: `{{field}}` placeholders filled like a note. */
  message: string
  severity: AlertSeverity
  /** Present only when the action names them (issue 22: routed by the alerts outbox). */
  destination_ids?: string[]
  recipients?: string[]
}

type MetadataValue = string | number | boolean

/** What one matching rule asked for, and whether it won where rules compete. */
export type RuleContribution = {
  rule_id: string
  rule_name: string
  priority: number
  tags: string[]
  hold: { detail: string; superseded: boolean } | null
  cancel: boolean
  note: { value: string; applied: boolean; overridden_by: string | null } | null
  metadata: { key: string; value: MetadataValue; applied: boolean; overridden_by: string | null }[]
  alerts: { message: string; severity: AlertSeverity }[]
}

export type ImportRuleEffects = {
  /** In evaluation order: priority high → low, then id ascending. */
  matched_rule_ids: string[]
  tags: string[]
  /** Empty whenever `cancel` is true. */
  holds: RuleHold[]
  /** Holds that matching rules asked for but a cancel overrode. */
  superseded_holds: RuleHold[]
  cancel: boolean
  cancelled_by: string[]
  note: string | null
  note_rule_id: string | null
  metadata: Record<string, MetadataValue>
  metadata_rule_ids: Record<string, string>
  alerts: RuleAlert[]
  contributions: RuleContribution[]
}

export const CUSTOM_RULE_HOLD_REASON = "custom_rule" as const

/**
 * Evaluation order, which is also who wins a note or metadata key: higher
 * priority first; on equal priority the lower id (plain string order). Medusa
 * ids are time-ordered, so that is the rule created first.
 */
export function compareImportRules(
  a: Pick<ApplicableImportRule, "id" | "priority">,
  b: Pick<ApplicableImportRule, "id" | "priority">
): number {
  if (a.priority !== b.priority) {
    return b.priority - a.priority
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** Whether the rule is enabled and scoped to the channel (an empty scope means every channel). */
export function ruleAppliesToChannel(rule: ApplicableImportRule, channelId: string): boolean {
  if (rule.enabled !== true) {
    return false
  }
  const scope = rule.channel_ids ?? []
  return scope.length === 0 || scope.includes(channelId)
}

/** The rules whose conditions hold for the order, in evaluation order. */
export function matchImportRules<R extends ApplicableImportRule>(
  rules: readonly R[],
  facts: RuleFacts,
  context: { channel_id: string }
): R[] {
  return rules
    .filter((rule) => ruleAppliesToChannel(rule, context.channel_id) && evaluateConditions(rule.conditions, facts))
    .sort(compareImportRules)
}

export function defaultHoldDetail(ruleName: string): string {
  return `Held by import rule "${ruleName}"`
}

/**
 * Applies every matching rule and merges what they ask for:
 * tags and holds accumulate, cancel beats hold, the first rule in evaluation
 * order wins the note and each metadata key, alerts are kept once per rule and message.
 */
export function applyImportRules(
  rules: readonly ApplicableImportRule[],
  facts: RuleFacts,
  context: { channel_id: string }
): ImportRuleEffects {
  const matched = matchImportRules(rules, facts, context)
  const effects: ImportRuleEffects = {
    matched_rule_ids: matched.map((r) => r.id),
    tags: [],
    holds: [],
    superseded_holds: [],
    cancel: false,
    cancelled_by: [],
    note: null,
    note_rule_id: null,
    metadata: {},
    metadata_rule_ids: {},
    alerts: [],
    contributions: [],
  }
  const requestedTags: string[] = []
  const holds: RuleHold[] = []

  for (const rule of matched) {
    const contribution: RuleContribution = {
      rule_id: rule.id,
      rule_name: rule.name,
      priority: rule.priority,
      tags: [],
      hold: null,
      cancel: false,
      note: null,
      metadata: [],
      alerts: [],
    }
    for (const action of rule.actions ?? []) {
      switch (action?.type) {
        case "add_tags":
          contribution.tags = dedupeTags([...contribution.tags, ...(action.tags ?? [])])
          break
        case "hold":
          if (!contribution.hold) {
            const detail = action.detail?.trim() || defaultHoldDetail(rule.name)
            contribution.hold = { detail, superseded: false }
            holds.push({ reason: CUSTOM_RULE_HOLD_REASON, rule_id: rule.id, rule_name: rule.name, detail })
          }
          break
        case "cancel":
          contribution.cancel = true
          break
        case "set_note": {
          if (contribution.note) break
          const value = renderNote(action.note ?? "", facts).trim()
          // An empty rendering (e.g. "{{notes}}" without notes) gives way to the next rule.
          const applied = value !== "" && effects.note_rule_id === null
          contribution.note = { value, applied, overridden_by: applied ? null : effects.note_rule_id }
          if (applied) {
            effects.note = value
            effects.note_rule_id = rule.id
          }
          break
        }
        case "set_metadata": {
          const key = action.key
          // A rule saved before reserved keys were refused must not overwrite the plugin's own keys.
          if (isReservedOrderMetadataKey(key)) break
          if (contribution.metadata.some((m) => m.key === key)) break
          const owner = effects.metadata_rule_ids[key] ?? null
          contribution.metadata.push({ key, value: action.value, applied: owner === null, overridden_by: owner })
          if (owner === null) {
            effects.metadata[key] = action.value
            effects.metadata_rule_ids[key] = rule.id
          }
          break
        }
        case "alert": {
          const message = renderNote(action.message, facts).trim() || action.message
          if (contribution.alerts.some((a) => a.message === message)) break
          const severity = action.severity ?? "warning"
          contribution.alerts.push({ message, severity })
          const alert: RuleAlert = { rule_id: rule.id, rule_name: rule.name, message, severity }
          if (action.destination_ids?.length) alert.destination_ids = [...action.destination_ids]
          if (action.recipients?.length) alert.recipients = [...action.recipients]
          effects.alerts.push(alert)
          break
        }
        default:
          // Unknown action types in stored data are ignored rather than failing the import.
          break
      }
    }
    if (contribution.cancel) {
      effects.cancelled_by.push(rule.id)
    }
    requestedTags.push(...contribution.tags)
    effects.contributions.push(contribution)
  }

  effects.tags = dedupeTags(requestedTags)
  effects.cancel = effects.cancelled_by.length > 0
  if (effects.cancel) {
    effects.superseded_holds = holds
    for (const c of effects.contributions) {
      if (c.hold) c.hold.superseded = true
    }
  } else {
    effects.holds = holds
  }
  return effects
}
