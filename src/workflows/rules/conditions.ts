import { resolveRuleField } from "./fields"
import { readFact, type RuleFacts } from "./facts"
import { isRuleOperator, valueKindFor, type RuleOperator } from "./operators"
import { matchesPattern } from "./pattern"

export type ConditionScalar = string | number | boolean
export type ConditionValue = ConditionScalar | Array<string | number>

export type ConditionLeaf = {
  field: string
  operator: RuleOperator
  /** Omitted only with `exists`. */
  value?: ConditionValue
}

export type ConditionGroup = { all: ConditionNode[] } | { any: ConditionNode[] }
export type ConditionNode = ConditionGroup | ConditionLeaf

/** Deeper than the save-time limit on purpose: this only protects the stack from hand-made data. */
const MAX_EVALUATION_DEPTH = 32

/** Evaluates a condition tree. Never throws: anything malformed is simply false. */
export function evaluateConditions(node: ConditionNode, facts: RuleFacts): boolean {
  return evaluateNode(node, facts, 0)
}

function evaluateNode(node: unknown, facts: RuleFacts, depth: number): boolean {
  if (depth > MAX_EVALUATION_DEPTH || typeof node !== "object" || node === null) {
    return false
  }
  const n = node as Record<string, unknown>
  const hasAll = Array.isArray(n.all)
  const hasAny = Array.isArray(n.any)
  if (hasAll && !hasAny) {
    return (n.all as unknown[]).every((child) => evaluateNode(child, facts, depth + 1))
  }
  if (hasAny && !hasAll) {
    return (n.any as unknown[]).some((child) => evaluateNode(child, facts, depth + 1))
  }
  if ("field" in n) {
    return evaluateCondition(n as ConditionLeaf, facts)
  }
  return false
}

type Verdict = boolean | "mismatch"

/**
 * Evaluates one `{field, operator, value}`.
 *
 * - missing fact: false, except `neq` and `not_in` (true) and `exists` (per its value);
 * - fact and value of different types: false for every operator, `neq` included;
 * - text is compared ignoring case.
 */
export function evaluateCondition(leaf: ConditionLeaf, facts: RuleFacts): boolean {
  try {
    const field = typeof leaf?.field === "string" ? resolveRuleField(leaf.field) : null
    const operator = leaf?.operator
    if (!field || !isRuleOperator(operator) || valueKindFor(field.type, operator) === null) {
      return false
    }
    const fact = readFact(facts, field.key)
    const missing = fact === null || (Array.isArray(fact) && fact.length === 0)

    if (operator === "exists") {
      return leaf.value === false ? missing : !missing
    }
    const negated = operator === "neq" || operator === "not_in"
    if (missing) {
      return negated
    }
    const positive: RuleOperator = operator === "neq" ? "eq" : operator === "not_in" ? "in" : operator

    let verdict: Verdict
    if (Array.isArray(fact)) {
      // `contains` on a list means "has an element equal to".
      const elementOp = positive === "contains" ? "eq" : positive
      const verdicts = fact.map((element) => compare(elementOp, element, leaf.value))
      if (verdicts.includes("mismatch")) {
        verdict = "mismatch"
      } else {
        verdict = field.quantifier === "all" ? verdicts.every((v) => v === true) : verdicts.some((v) => v === true)
      }
    } else {
      verdict = compare(positive, fact, leaf.value)
    }
    if (verdict === "mismatch") {
      return false
    }
    return negated ? !verdict : verdict
  } catch {
    // A bad stored rule must not fail an import.
    return false
  }
}

function equals(fact: ConditionScalar, value: unknown): Verdict {
  if (typeof fact === "string" && typeof value === "string") {
    return fact.toLowerCase() === value.toLowerCase()
  }
  if ((typeof fact === "number" || typeof fact === "boolean") && typeof value === typeof fact) {
    return fact === value
  }
  return "mismatch"
}

function compare(operator: RuleOperator, fact: ConditionScalar, value: unknown): Verdict {
  switch (operator) {
    case "eq":
      return equals(fact, value)
    case "in": {
      if (!Array.isArray(value)) {
        return "mismatch"
      }
      const verdicts = value.map((v) => equals(fact, v))
      if (verdicts.includes(true)) {
        return true
      }
      // A list that holds the fact's type somewhere is a real "no"; otherwise the types never met.
      return verdicts.includes(false) ? false : "mismatch"
    }
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      if (typeof fact !== "number" || typeof value !== "number") {
        return "mismatch"
      }
      if (operator === "gt") return fact > value
      if (operator === "gte") return fact >= value
      if (operator === "lt") return fact < value
      return fact <= value
    }
    case "contains":
    case "starts_with": {
      if (typeof fact !== "string" || typeof value !== "string") {
        return "mismatch"
      }
      const f = fact.toLowerCase()
      const v = value.toLowerCase()
      return operator === "contains" ? f.includes(v) : f.startsWith(v)
    }
    case "matches":
      if (typeof fact !== "string" || typeof value !== "string") {
        return "mismatch"
      }
      return matchesPattern(value, fact)
    default:
      return "mismatch"
  }
}
