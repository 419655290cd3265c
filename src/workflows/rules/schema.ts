import { z } from "@medusajs/framework/zod"
import type { ConditionGroup, ConditionLeaf, ConditionNode, ConditionValue } from "./conditions"
import { CUSTOM_FIELD_PREFIX, resolveRuleField, type RuleFieldDefinition } from "./fields"
import { isNotePlaceholder, MAX_NOTE_TEMPLATE_LENGTH, notePlaceholders } from "./note"
import {
  isRuleOperator,
  operatorsForFieldType,
  RULE_OPERATORS,
  valueKindFor,
  type RuleValueKind,
} from "./operators"
import { checkPattern } from "./pattern"
import { isReservedOrderMetadataKey, RESERVED_ORDER_METADATA_KEYS } from "./reserved-metadata"

export const MAX_TAG_LENGTH = 64
export const MAX_CONDITION_DEPTH = 8
export const MAX_CONDITIONS = 100
export const MAX_LIST_VALUES = 500
export const MAX_TEXT_VALUE_LENGTH = 500

export const ALERT_SEVERITIES = ["info", "warning", "error"] as const
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number]

export const RULE_ACTION_TYPES = ["add_tags", "hold", "cancel", "set_note", "set_metadata", "alert"] as const
export type RuleActionType = (typeof RULE_ACTION_TYPES)[number]

const tag = z
  .string()
  .trim()
  .min(1, { message: "a tag must not be empty" })
  .max(MAX_TAG_LENGTH, { message: `a tag has at most ${MAX_TAG_LENGTH} characters` })

const AddTagsAction = z.strictObject({
  type: z.literal("add_tags"),
  tags: z
    .array(tag)
    .min(1, { message: "list at least one tag" })
    .max(50)
    .transform((tags) => dedupeTags(tags)),
})

const HoldAction = z.strictObject({
  type: z.literal("hold"),
  detail: z.string().trim().min(1).max(500).optional(),
})

const CancelAction = z.strictObject({ type: z.literal("cancel") })

const SetNoteAction = z.strictObject({
  type: z.literal("set_note"),
  note: z
    .string()
    .trim()
    .min(1, { message: "the note must not be empty" })
    .max(MAX_NOTE_TEMPLATE_LENGTH)
    .superRefine((note, ctx) => {
      for (const name of new Set(notePlaceholders(note))) {
        if (!isNotePlaceholder(name)) {
          ctx.addIssue({ code: "custom", message: `unknown placeholder "{{${name}}}"` })
        }
      }
    }),
})

const SetMetadataAction = z.strictObject({
  type: z.literal("set_metadata"),
  key: z
    .string()
    .trim()
    .min(1, { message: "the key must not be empty" })
    .max(100)
    .refine((key) => !isReservedOrderMetadataKey(key), {
      error: (issue) =>
        `"${String(issue.input).trim()}" is a metadata key the plugin writes itself (reserved: ${RESERVED_ORDER_METADATA_KEYS.join(", ")}); use set_note for the note`,
    }),
  value: z.union([z.string().max(1000), z.number().finite(), z.boolean()], {
    error: "expects text (at most 1000 characters), a number or true/false",
  }),
})

const AlertAction = z.strictObject({
  type: z.literal("alert"),
  // The same {{field}} placeholders as set_note (issue 22).
  message: z
    .string()
    .trim()
    .min(1, { message: "the message must not be empty" })
    .max(500)
    .superRefine((message, ctx) => {
      for (const name of new Set(notePlaceholders(message))) {
        if (!isNotePlaceholder(name)) ctx.addIssue({ code: "custom", message: `unknown placeholder "{{${name}}}"` })
      }
    }),
  severity: z.enum(ALERT_SEVERITIES).default("warning"),
  /** Alert destinations (Settings → Alerts); the admin feed always gets the alert. Checked to exist when the rule is saved. */
  destination_ids: z.array(z.string().trim().min(1)).max(20).transform((ids) => Array.from(new Set(ids))).optional(),
  /** E-mail addresses: added to the rule's e-mail destinations, or sent with the default alert template when it names none. */
  recipients: z
    .array(z.string().trim().toLowerCase().pipe(z.email({ error: "expects an e-mail address" })))
    .max(50)
    .transform((r) => Array.from(new Set(r)))
    .optional(),
})

export const ImportRuleActionSchema = z.discriminatedUnion(
  "type",
  [AddTagsAction, HoldAction, CancelAction, SetNoteAction, SetMetadataAction, AlertAction],
  {
    error: (issue) => {
      if (issue.code !== "invalid_union") {
        return undefined
      }
      const type = (issue.input as { type?: unknown } | undefined)?.type
      const shown = type === undefined ? "required" : `unknown action type ${JSON.stringify(type)}`
      return `${shown} (expected one of ${RULE_ACTION_TYPES.join(", ")})`
    },
  }
)

export type ImportRuleAction = z.output<typeof ImportRuleActionSchema>

export const ImportRuleSchema = z
  .strictObject({
    name: z.string().trim().min(1, { message: "the rule needs a name" }).max(200),
    channel_ids: z
      .array(z.string().trim().min(1))
      .max(100)
      .default([])
      .transform((ids) => Array.from(new Set(ids))),
    priority: z.number({ error: "expects a whole number" }).int({ error: "expects a whole number" }).min(-1_000_000).max(1_000_000).default(0),
    enabled: z.boolean().default(true),
    conditions: z.unknown().transform((value, ctx): ConditionGroup => {
      const issues: ConditionIssue[] = []
      const group = normalizeConditions(value, issues)
      for (const issue of issues) {
        ctx.addIssue({ code: "custom", message: issue.message, path: issue.path })
      }
      return issues.length || !group ? z.NEVER : group
    }),
    actions: z
      .array(ImportRuleActionSchema)
      .min(1, { message: "a rule needs at least one action" })
      .max(20)
      .superRefine((actions, ctx) => {
        const seen = new Set<string>()
        actions.forEach((action, index) => {
          let slot: string | null = null
          if (action.type === "hold" || action.type === "cancel" || action.type === "set_note") {
            slot = action.type
          } else if (action.type === "set_metadata") {
            slot = `set_metadata:${action.key}`
          }
          if (slot === null) {
            return
          }
          if (seen.has(slot)) {
            const what = action.type === "set_metadata" ? `metadata key "${action.key}"` : `"${action.type}"`
            ctx.addIssue({ code: "custom", message: `${what} appears twice in this rule`, path: [index] })
          }
          seen.add(slot)
        })
      }),
  })

/** What the admin API accepts. */
export type ImportRuleInput = z.input<typeof ImportRuleSchema>
/** A validated rule, defaults filled and text trimmed. */
export type ImportRule = z.output<typeof ImportRuleSchema>

/**
 * Validates a rule before it is saved. Errors name the offending path, e.g.
 * `conditions.all[1].field: unknown field "totl"`.
 */
export function parseImportRule(
  input: unknown
): { success: true; rule: ImportRule } | { success: false; errors: string[] } {
  const result = ImportRuleSchema.safeParse(input)
  if (result.success) {
    return { success: true, rule: result.data }
  }
  return { success: false, errors: formatRuleIssues(result.error.issues) }
}

/** Turns zod issues into `path: message` lines. */
export function formatRuleIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string[] {
  return issues.map((issue) => `${formatPath(issue.path) || "rule"}: ${issue.message}`)
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = ""
  for (const key of path) {
    out += typeof key === "number" ? `[${key}]` : `${out ? "." : ""}${String(key)}`
  }
  return out
}

/** Case-insensitive de-duplication that keeps the first spelling. */
export function dedupeTags(tags: readonly string[]): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const raw of tags) {
    const t = raw.trim()
    const key = t.toLowerCase()
    if (t && t.length <= MAX_TAG_LENGTH && !seen.has(key)) {
      seen.add(key)
      out.push(t)
    }
  }
  return out
}

type ConditionIssue = { path: (string | number)[]; message: string }

const GROUP_HINT = "expected {all: [...]}, {any: [...]} or {field, operator, value}"

function normalizeConditions(value: unknown, issues: ConditionIssue[]): ConditionGroup | null {
  if (value === undefined) {
    issues.push({ path: [], message: "required: use {all: []} to match every order" })
    return null
  }
  if (!isPlainObject(value) || !("all" in value || "any" in value)) {
    issues.push({ path: [], message: "the top level must be {all: [...]} or {any: [...]}" })
    return null
  }
  const counter = { leaves: 0 }
  return normalizeNode(value, [], 1, issues, counter) as ConditionGroup | null
}

function normalizeNode(
  node: unknown,
  path: (string | number)[],
  depth: number,
  issues: ConditionIssue[],
  counter: { leaves: number }
): ConditionNode | null {
  if (!isPlainObject(node)) {
    issues.push({ path, message: GROUP_HINT })
    return null
  }
  if ("all" in node || "any" in node) {
    if ("all" in node && "any" in node) {
      issues.push({ path, message: "use either all or any in one group, not both" })
      return null
    }
    const key = "all" in node ? "all" : "any"
    reportExtraKeys(node, [key], path, issues)
    if (depth > MAX_CONDITION_DEPTH) {
      issues.push({ path, message: `conditions are nested more than ${MAX_CONDITION_DEPTH} levels deep` })
      return null
    }
    const children = node[key]
    if (!Array.isArray(children)) {
      issues.push({ path: [...path, key], message: "expected a list of conditions" })
      return null
    }
    if (key === "any" && children.length === 0) {
      issues.push({ path: [...path, key], message: "an any-group with no condition never matches" })
    }
    const out = children.map((child, i) => normalizeNode(child, [...path, key, i], depth + 1, issues, counter))
    return key === "all" ? { all: out as ConditionNode[] } : { any: out as ConditionNode[] }
  }
  if ("field" in node || "operator" in node) {
    counter.leaves += 1
    if (counter.leaves === MAX_CONDITIONS + 1) {
      issues.push({ path, message: `a rule has at most ${MAX_CONDITIONS} conditions` })
    }
    return normalizeLeaf(node, path, issues)
  }
  issues.push({ path, message: GROUP_HINT })
  return null
}

function normalizeLeaf(
  node: Record<string, unknown>,
  path: (string | number)[],
  issues: ConditionIssue[]
): ConditionLeaf | null {
  reportExtraKeys(node, ["field", "operator", "value"], path, issues)
  const { field, operator, value } = node

  let definition: RuleFieldDefinition | null = null
  if (typeof field !== "string") {
    issues.push({ path: [...path, "field"], message: "required: the name of a field" })
  } else {
    definition = resolveRuleField(field)
    if (!definition) {
      const message = field.startsWith(CUSTOM_FIELD_PREFIX)
        ? `invalid custom field name "${field}" (1-100 characters, no braces, no surrounding spaces)`
        : `unknown field "${field}"`
      issues.push({ path: [...path, "field"], message })
    }
  }

  if (typeof operator !== "string") {
    issues.push({ path: [...path, "operator"], message: `required: one of ${RULE_OPERATORS.join(", ")}` })
    return null
  }
  if (!isRuleOperator(operator)) {
    issues.push({ path: [...path, "operator"], message: `unknown operator "${operator}"` })
    return null
  }
  if (!definition) {
    return null
  }
  const kind = valueKindFor(definition.type, operator)
  if (!kind) {
    issues.push({
      path: [...path, "operator"],
      message: `operator "${operator}" does not apply to field "${definition.key}" (${definition.type}); use one of ${operatorsForFieldType(definition.type).join(", ")}`,
    })
    return null
  }
  const checked = checkValue(kind, value)
  if ("error" in checked) {
    issues.push({
      path: [...path, "value"],
      message: `field "${definition.key}" with operator "${operator}" ${checked.error}`,
    })
    return null
  }
  const leaf: ConditionLeaf = { field: definition.key, operator }
  if (checked.value !== undefined) {
    leaf.value = checked.value
  }
  return leaf
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing"
  if (value === null) return "null"
  if (Array.isArray(value)) return "a list"
  return `${typeof value} ${JSON.stringify(value)}`
}

type Checked = { value: ConditionValue | undefined } | { error: string }

function checkText(value: unknown): { value: string } | { error: string } {
  if (typeof value !== "string") {
    return { error: `expects text, got ${describe(value)}` }
  }
  const trimmed = value.trim()
  if (!trimmed) {
    return { error: "expects non-empty text" }
  }
  if (trimmed.length > MAX_TEXT_VALUE_LENGTH) {
    return { error: `expects text of at most ${MAX_TEXT_VALUE_LENGTH} characters` }
  }
  return { value: trimmed }
}

function checkValue(kind: RuleValueKind, value: unknown): Checked {
  switch (kind) {
    case "number":
      return typeof value === "number" && Number.isFinite(value)
        ? { value }
        : { error: `expects a number, got ${describe(value)}` }
    case "boolean":
      return typeof value === "boolean" ? { value } : { error: `expects true or false, got ${describe(value)}` }
    case "string":
      return checkText(value)
    case "scalar":
      if (typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value))) {
        return { value }
      }
      if (typeof value === "string") {
        return checkText(value)
      }
      return { error: `expects text, a number or true/false, got ${describe(value)}` }
    case "exists_flag":
      return value === undefined || typeof value === "boolean"
        ? { value }
        : { error: `expects true, false or no value, got ${describe(value)}` }
    case "pattern": {
      if (typeof value !== "string") {
        return { error: `expects a pattern (text), got ${describe(value)}` }
      }
      const problem = checkPattern(value)
      return problem ? { error: `has a refused pattern: ${problem}` } : { value }
    }
    case "number_list":
    case "string_list":
    case "scalar_list": {
      const wanted = kind === "number_list" ? "numbers" : kind === "string_list" ? "texts" : "texts or numbers"
      if (!Array.isArray(value) || value.length === 0) {
        return { error: `expects a non-empty list of ${wanted}, got ${describe(value)}` }
      }
      if (value.length > MAX_LIST_VALUES) {
        return { error: `expects at most ${MAX_LIST_VALUES} values` }
      }
      const out: Array<string | number> = []
      for (const item of value) {
        if (typeof item === "number" && Number.isFinite(item) && kind !== "string_list") {
          out.push(item)
          continue
        }
        if (typeof item === "string" && kind !== "number_list") {
          const text = checkText(item)
          if ("error" in text) {
            return { error: `expects a list of ${wanted}: ${text.error}` }
          }
          out.push(text.value)
          continue
        }
        return { error: `expects a list of ${wanted}, got ${describe(item)} in it` }
      }
      return { value: out }
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
}

function reportExtraKeys(
  node: Record<string, unknown>,
  allowed: string[],
  path: (string | number)[],
  issues: ConditionIssue[]
): void {
  for (const key of Object.keys(node)) {
    if (!allowed.includes(key)) {
      issues.push({ path: [...path, key], message: `unexpected key "${key}"` })
    }
  }
}
