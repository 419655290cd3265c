import { CUSTOM_FIELD_DEFINITION, RULE_FIELDS, type RuleFieldDefinition } from "./fields"
import { operatorsForFieldType, RULE_OPERATOR_CATALOGUE, valueKindFor, type RuleValueKind } from "./operators"
import { MAX_MATCH_INPUT_LENGTH, MAX_PATTERN_LENGTH } from "./pattern"
import { ALERT_SEVERITIES, MAX_TAG_LENGTH, RULE_ACTION_TYPES } from "./schema"

export type RuleFieldCatalogueEntry = RuleFieldDefinition & {
  /** The operators the field accepts and the value each one expects, for the admin UI's inputs. */
  operators: { key: string; value: RuleValueKind }[]
}

function entry(field: RuleFieldDefinition): RuleFieldCatalogueEntry {
  return {
    ...field,
    operators: operatorsForFieldType(field.type).map((key) => ({
      key,
      value: valueKindFor(field.type, key) as RuleValueKind,
    })),
  }
}

/** Everything the admin UI needs to build a rule form; plain JSON. */
export const IMPORT_RULE_CATALOGUE = {
  fields: RULE_FIELDS.map(entry),
  custom_field: entry(CUSTOM_FIELD_DEFINITION),
  operators: RULE_OPERATOR_CATALOGUE,
  actions: RULE_ACTION_TYPES,
  alert_severities: ALERT_SEVERITIES,
  limits: {
    tag_length: MAX_TAG_LENGTH,
    pattern_length: MAX_PATTERN_LENGTH,
    pattern_input_length: MAX_MATCH_INPUT_LENGTH,
  },
}
