import type { ImportRule, ImportRuleBody, RuleAction, RuleCatalogue, RuleCatalogueField, RuleCondition, RuleGroup, RuleNode, RuleScalar, RuleValueKind } from "../types"

/**
 * The rule editor works on a draft tree with stable keys and text inputs, converted to and from
 * the API's rule shape (docs/import-rules.md).
 */
export type ScalarType = "string" | "number" | "boolean"

export type DraftCondition = {
  kind: "condition"
  key: string
  field: string
  /** For `custom_fields.<name>`. */
  customName: string
  operator: string
  text: string
  bool: boolean
  /** For custom fields, whose values are text, numbers or yes/no. */
  scalarType: ScalarType
}

export type DraftGroup = { kind: "group"; key: string; mode: "all" | "any"; children: DraftNode[] }
export type DraftNode = DraftCondition | DraftGroup

export type DraftAction = {
  key: string
  type: RuleAction["type"]
  tags: string
  detail: string
  note: string
  metaKey: string
  metaValue: string
  metaType: ScalarType
  message: string
  severity: "info" | "warning" | "error"
  /** Alert destinations (Settings → Alerts) and extra e-mail recipients (comma-separated). */
  destinationIds?: string[]
  recipients?: string
}

export type RuleDraft = {
  name: string
  priority: string
  enabled: boolean
  allChannels: boolean
  channel_ids: string[]
  conditions: DraftGroup
  actions: DraftAction[]
}

export const CUSTOM_FIELD = "custom_fields.<name>"
export const CUSTOM_PREFIX = "custom_fields."

let seq = 0
export const newKey = () => `k${++seq}`

export function newCondition(field = "max_item_quantity", operator = "gt"): DraftCondition {
  return { kind: "condition", key: newKey(), field, customName: "", operator, text: "", bool: true, scalarType: "string" }
}

export function newGroup(mode: "all" | "any" = "all", children: DraftNode[] = []): DraftGroup {
  return { kind: "group", key: newKey(), mode, children }
}

export function newAction(type: RuleAction["type"] = "add_tags"): DraftAction {
  return { key: newKey(), type, tags: "", detail: "", note: "", metaKey: "", metaValue: "", metaType: "string", message: "", severity: "warning" }
}

export function emptyDraft(): RuleDraft {
  return {
    name: "",
    priority: "0",
    enabled: true,
    allChannels: true,
    channel_ids: [],
    conditions: newGroup("all", [newCondition()]),
    actions: [newAction("add_tags")],
  }
}

const isGroup = (n: RuleNode): n is RuleGroup => typeof n === "object" && n !== null && ("all" in n || "any" in n)

function scalarTypeOf(v: unknown): ScalarType {
  return typeof v === "number" ? "number" : typeof v === "boolean" ? "boolean" : "string"
}

function conditionToDraft(c: RuleCondition): DraftCondition {
  const custom = c.field.startsWith(CUSTOM_PREFIX)
  const d = newCondition(custom ? CUSTOM_FIELD : c.field, c.operator)
  d.customName = custom ? c.field.slice(CUSTOM_PREFIX.length) : ""
  const v = c.value
  if (Array.isArray(v)) {
    d.text = v.join(", ")
    d.scalarType = scalarTypeOf(v[0])
  } else if (typeof v === "boolean") {
    d.bool = v
    d.scalarType = "boolean"
  } else if (v !== undefined && v !== null) {
    d.text = String(v)
    d.scalarType = scalarTypeOf(v)
  } else if (c.operator === "exists") {
    d.bool = true
  }
  return d
}

function groupToDraft(g: RuleGroup): DraftGroup {
  const mode = "all" in g ? "all" : "any"
  const children = ((g as Record<string, RuleNode[]>)[mode] ?? []).map((n) => (isGroup(n) ? groupToDraft(n) : conditionToDraft(n as RuleCondition)))
  return newGroup(mode, children)
}

function actionToDraft(a: RuleAction): DraftAction {
  const d = newAction(a.type)
  switch (a.type) {
    case "add_tags":
      d.tags = a.tags.join(", ")
      break
    case "hold":
      d.detail = a.detail ?? ""
      break
    case "set_note":
      d.note = a.note
      break
    case "set_metadata":
      d.metaKey = a.key
      d.metaValue = String(a.value)
      d.metaType = scalarTypeOf(a.value)
      break
    case "alert":
      d.message = a.message
      d.severity = a.severity ?? "warning"
      d.destinationIds = a.destination_ids ?? []
      d.recipients = (a.recipients ?? []).join(", ")
      break
  }
  return d
}

export function ruleToDraft(rule: ImportRule): RuleDraft {
  return {
    name: rule.name,
    priority: String(rule.priority ?? 0),
    enabled: rule.enabled,
    allChannels: !rule.channel_ids?.length,
    channel_ids: rule.channel_ids ?? [],
    conditions: groupToDraft(rule.conditions ?? { all: [] }),
    actions: (rule.actions ?? []).map(actionToDraft),
  }
}

export function fieldDef(catalogue: RuleCatalogue | undefined, key: string): RuleCatalogueField | undefined {
  if (!catalogue) return undefined
  if (key === CUSTOM_FIELD) return catalogue.custom_field
  return catalogue.fields.find((f) => f.key === key)
}

export function valueKind(catalogue: RuleCatalogue | undefined, c: DraftCondition): RuleValueKind | undefined {
  return fieldDef(catalogue, c.field)?.operators.find((o) => o.key === c.operator)?.value
}

const splitList = (text: string) =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)

function typed(text: string, t: ScalarType, bool: boolean): RuleScalar {
  if (t === "boolean") return bool
  if (t === "number") return text.trim() === "" ? NaN : Number(text)
  return text
}

function conditionToRule(c: DraftCondition, catalogue: RuleCatalogue | undefined): RuleCondition {
  const field = c.field === CUSTOM_FIELD ? `${CUSTOM_PREFIX}${c.customName.trim()}` : c.field
  const kind = valueKind(catalogue, c)
  const out: RuleCondition = { field, operator: c.operator }
  switch (kind) {
    case "number":
      out.value = c.text.trim() === "" ? (c.text as unknown as number) : Number(c.text)
      break
    case "string":
    case "pattern":
      out.value = c.text
      break
    case "boolean":
    case "exists_flag":
      out.value = c.bool
      break
    case "scalar":
      out.value = typed(c.text, c.scalarType, c.bool)
      break
    case "number_list":
      out.value = splitList(c.text).map(Number)
      break
    case "string_list":
      out.value = splitList(c.text)
      break
    case "scalar_list":
      out.value = splitList(c.text).map((s) => (c.scalarType === "number" ? Number(s) : s))
      break
    default:
      if (c.text) out.value = c.text
  }
  return out
}

function groupToRule(g: DraftGroup, catalogue: RuleCatalogue | undefined): RuleGroup {
  const children = g.children.map((n) => (n.kind === "group" ? groupToRule(n, catalogue) : conditionToRule(n, catalogue)))
  return g.mode === "all" ? { all: children } : { any: children }
}

function actionToRule(a: DraftAction): RuleAction {
  switch (a.type) {
    case "add_tags":
      return { type: "add_tags", tags: splitList(a.tags) }
    case "hold":
      return a.detail.trim() ? { type: "hold", detail: a.detail.trim() } : { type: "hold" }
    case "cancel":
      return { type: "cancel" }
    case "set_note":
      return { type: "set_note", note: a.note }
    case "set_metadata":
      return { type: "set_metadata", key: a.metaKey, value: typed(a.metaValue, a.metaType, a.metaValue.trim().toLowerCase() === "true") }
    case "alert": {
      const recipients = splitList(a.recipients ?? "")
      return {
        type: "alert",
        message: a.message,
        severity: a.severity,
        ...(a.destinationIds?.length ? { destination_ids: a.destinationIds } : {}),
        ...(recipients.length ? { recipients } : {}),
      }
    }
  }
}

export function draftToRule(d: RuleDraft, catalogue: RuleCatalogue | undefined): ImportRuleBody {
  const priority = Number(d.priority)
  return {
    name: d.name.trim(),
    channel_ids: d.allChannels ? [] : d.channel_ids,
    priority: Number.isFinite(priority) && d.priority.trim() !== "" ? priority : 0,
    enabled: d.enabled,
    conditions: groupToRule(d.conditions, catalogue),
    actions: d.actions.map(actionToRule),
  }
}

/** "Invalid import rule: a: x; b: y" → ["a: x", "b: y"]. */
export function ruleErrors(message: string): string[] {
  return message
    .replace(/^Invalid import rule:\s*/, "")
    .split(/;\s+/)
    .map((s) => s.trim())
    .filter(Boolean)
}

/** One line describing a saved rule's conditions, for the list. */
export function describeConditions(g: RuleGroup, catalogue: RuleCatalogue | undefined, depth = 0): string {
  const mode = "all" in g ? "all" : "any"
  const items = ((g as Record<string, RuleNode[]>)[mode] ?? []).map((n) => {
    if (isGroup(n)) return `(${describeConditions(n, catalogue, depth + 1)})`
    const c = n as RuleCondition
    const label = c.field.startsWith(CUSTOM_PREFIX)
      ? c.field
      : catalogue?.fields.find((f) => f.key === c.field)?.label ?? c.field
    const op = catalogue?.operators.find((o) => o.key === c.operator)?.label ?? c.operator
    if (c.operator === "exists") return `${label} ${c.value === false ? "is missing" : "is present"}`
    const v = Array.isArray(c.value) ? c.value.join(", ") : typeof c.value === "boolean" ? (c.value ? "yes" : "no") : String(c.value ?? "")
    return `${label} ${op} ${v}`
  })
  if (!items.length) return depth ? "nothing" : "Every order"
  return items.join(mode === "all" ? " and " : " or ")
}

export function describeAction(a: RuleAction): string {
  switch (a.type) {
    case "add_tags":
      return `Tag ${a.tags.join(", ")}`
    case "hold":
      return "Hold"
    case "cancel":
      return "Cancel"
    case "set_note":
      return "Set note"
    case "set_metadata":
      return `Set ${a.key}`
    case "alert":
      return "Alert"
  }
}

export const ACTION_TYPE_LABELS: Record<RuleAction["type"], string> = {
  add_tags: "Add tags",
  hold: "Put on hold",
  cancel: "Cancel the order",
  set_note: "Set the note",
  set_metadata: "Set a metadata key",
  alert: "Raise an alert",
}
