import type { RuleFieldType } from "./fields"

export const RULE_OPERATORS = [
  "eq",
  "neq",
  "gt",
  "gte",
  "lt",
  "lte",
  "in",
  "not_in",
  "contains",
  "starts_with",
  "exists",
  "matches",
] as const

export type RuleOperator = (typeof RULE_OPERATORS)[number]

export function isRuleOperator(value: unknown): value is RuleOperator {
  return typeof value === "string" && (RULE_OPERATORS as readonly string[]).includes(value)
}

/** What a condition's `value` must be, given its field's type and its operator. */
export type RuleValueKind =
  | "number"
  | "string"
  | "boolean"
  | "scalar"
  | "number_list"
  | "string_list"
  | "scalar_list"
  | "pattern"
  | "exists_flag"

export type RuleOperatorDefinition = {
  key: RuleOperator
  label: string
  description: string
}

export const RULE_OPERATOR_CATALOGUE: readonly RuleOperatorDefinition[] = [
  { key: "eq", label: "is", description: "Equal to the value. Text is compared ignoring case." },
  {
    key: "neq",
    label: "is not",
    description: "Not equal to the value. True when the field is missing.",
  },
  { key: "gt", label: "greater than", description: "Numbers only." },
  { key: "gte", label: "at least", description: "Numbers only." },
  { key: "lt", label: "less than", description: "Numbers only." },
  { key: "lte", label: "at most", description: "Numbers only." },
  {
    key: "in",
    label: "is one of",
    description: "Equal to one of the listed values, ignoring case. On SKUs: per the field's any/every reading.",
  },
  {
    key: "not_in",
    label: "is none of",
    description: "The exact opposite of `is one of`. True when the field is missing.",
  },
  {
    key: "contains",
    label: "contains",
    description: "Text: contains the value, ignoring case. SKUs: a SKU equals the value, ignoring case.",
  },
  { key: "starts_with", label: "starts with", description: "Text starts with the value, ignoring case." },
  {
    key: "exists",
    label: "is present",
    description: "The field has a value. With value false: the field is missing.",
  },
  {
    key: "matches",
    label: "matches pattern",
    description:
      "JavaScript regular expression, ignoring case. Only the first 1000 characters are tested; slow patterns are refused when saving.",
  },
]

const VALUE_KINDS: Record<RuleFieldType, Partial<Record<RuleOperator, RuleValueKind>>> = {
  number: {
    eq: "number",
    neq: "number",
    gt: "number",
    gte: "number",
    lt: "number",
    lte: "number",
    in: "number_list",
    not_in: "number_list",
    exists: "exists_flag",
  },
  string: {
    eq: "string",
    neq: "string",
    in: "string_list",
    not_in: "string_list",
    contains: "string",
    starts_with: "string",
    matches: "pattern",
    exists: "exists_flag",
  },
  boolean: {
    eq: "boolean",
    neq: "boolean",
    exists: "exists_flag",
  },
  // eq/neq are left out on purpose: "skus eq X" reads as "the only SKU is X"; contains/in say what they mean.
  string_list: {
    contains: "string",
    in: "string_list",
    not_in: "string_list",
    starts_with: "string",
    matches: "pattern",
    exists: "exists_flag",
  },
  any: {
    eq: "scalar",
    neq: "scalar",
    gt: "number",
    gte: "number",
    lt: "number",
    lte: "number",
    in: "scalar_list",
    not_in: "scalar_list",
    contains: "string",
    starts_with: "string",
    matches: "pattern",
    exists: "exists_flag",
  },
}

/** The operators a field of this type accepts, in catalogue order (for the admin UI). */
export function operatorsForFieldType(type: RuleFieldType): RuleOperator[] {
  return RULE_OPERATORS.filter((op) => VALUE_KINDS[type][op] !== undefined)
}

/** The kind of value the pair expects, or null when the operator does not apply to the type. */
export function valueKindFor(type: RuleFieldType, operator: RuleOperator): RuleValueKind | null {
  return VALUE_KINDS[type][operator] ?? null
}
