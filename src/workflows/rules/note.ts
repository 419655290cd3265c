import { resolveRuleField } from "./fields"
import { readFact, type RuleFacts } from "./facts"

export const MAX_NOTE_TEMPLATE_LENGTH = 1000
/** A rendered note may pull in the buyer's notes; it is cut to this length. */
export const MAX_RENDERED_NOTE_LENGTH = 2000

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g

/** The placeholder names a note template uses, in order, repeats included. */
export function notePlaceholders(template: string): string[] {
  return Array.from(template.matchAll(PLACEHOLDER), (m) => m[1])
}

/** Every condition field except `skus.all` may be used, plus any `custom_fields.<name>`. */
export function isNotePlaceholder(name: string): boolean {
  return resolveRuleField(name)?.placeholder === true
}

/** Replaces `{{field}}` with the order's value; missing values and unknown names become "". */
export function renderNote(template: string, facts: RuleFacts): string {
  const rendered = template.replace(PLACEHOLDER, (_, name: string) =>
    isNotePlaceholder(name) ? formatFact(name, facts) : ""
  )
  return rendered.length > MAX_RENDERED_NOTE_LENGTH ? rendered.slice(0, MAX_RENDERED_NOTE_LENGTH) : rendered
}

function formatFact(name: string, facts: RuleFacts): string {
  const value = readFact(facts, name)
  if (value === null) {
    return ""
  }
  if (Array.isArray(value)) {
    return value.join(", ")
  }
  if (name === "total" && typeof value === "number") {
    return value.toFixed(2)
  }
  return String(value)
}
