/**
 * The fields an import rule can test, one entry per field. The admin UI reads
 * this catalogue to pick an input; the save-time validator reads it to reject
 * unknown fields and values of the wrong type.
 */

/**
 * `any` is only used by custom fields: marketplaces send them untyped, so the
 * value's own type decides at evaluation (see docs/import-rules.md).
 */
export type RuleFieldType = "number" | "string" | "boolean" | "string_list" | "any"

export type RuleFieldDefinition = {
  /** What a condition's `field` holds. */
  key: string
  type: RuleFieldType
  label: string
  description: string
  /** For list fields: whether one element or every element must satisfy the operator. */
  quantifier?: "any" | "all"
  /** Whether `{{key}}` may be used in a note. */
  placeholder: boolean
}

export const CUSTOM_FIELD_PREFIX = "custom_fields."
export const MAX_CUSTOM_FIELD_NAME_LENGTH = 100

export const RULE_FIELDS: readonly RuleFieldDefinition[] = [
  {
    key: "external_id",
    type: "string",
    label: "Order number",
    description: "The order's id on the marketplace, e.g. 1203.",
    placeholder: true,
  },
  {
    key: "total",
    type: "number",
    label: "Order total",
    description:
      "Sum of every line (unit price × quantity + tax − discount) plus shipping, in the order's currency, rounded to 2 decimals.",
    placeholder: true,
  },
  {
    key: "currency_code",
    type: "string",
    label: "Currency",
    description: "ISO-4217 code in lower case, e.g. eur.",
    placeholder: true,
  },
  {
    key: "item_count",
    type: "number",
    label: "Number of lines",
    description: "How many distinct lines the order has.",
    placeholder: true,
  },
  {
    key: "max_item_quantity",
    type: "number",
    label: "Largest line quantity",
    description: "The highest quantity ordered on a single line.",
    placeholder: true,
  },
  {
    key: "total_quantity",
    type: "number",
    label: "Total quantity",
    description: "Sum of the quantities of every line.",
    placeholder: true,
  },
  {
    key: "skus",
    type: "string_list",
    quantifier: "any",
    label: "SKUs (any line)",
    description:
      "The SKUs of the order's lines. The condition holds when at least one SKU satisfies it. Lines without a SKU are ignored.",
    placeholder: true,
  },
  {
    key: "skus.all",
    type: "string_list",
    quantifier: "all",
    label: "SKUs (every line)",
    description:
      "The SKUs of the order's lines. The condition holds when every SKU satisfies it (and there is at least one). Lines without a SKU are ignored.",
    placeholder: false,
  },
  {
    key: "shipping_country",
    type: "string",
    label: "Shipping country",
    description: "ISO-3166 alpha-2 code of the shipping address, lower case, e.g. fr.",
    placeholder: true,
  },
  {
    key: "is_international",
    type: "boolean",
    label: "International",
    description:
      "Whether the shipping country differs from the store's default country. Missing when either country is unknown.",
    placeholder: true,
  },
  {
    key: "shipping_service",
    type: "string",
    label: "Shipping service",
    description: "The marketplace's shipping service code, or its name when there is no code.",
    placeholder: true,
  },
  {
    key: "email",
    type: "string",
    label: "Customer email",
    description: "The buyer's email address as the marketplace gives it (often a relay address).",
    placeholder: true,
  },
  {
    key: "notes",
    type: "string",
    label: "Buyer notes",
    description: "Free-text notes left by the buyer.",
    placeholder: true,
  },
  {
    key: "channel_id",
    type: "string",
    label: "Channel",
    description: "The id of the channel the order was imported from.",
    placeholder: true,
  },
  {
    key: "channel_provider",
    type: "string",
    label: "Marketplace",
    description: "The channel's provider, e.g. amazon, ebay, mirakl, sandbox.",
    placeholder: true,
  },
  {
    key: "external_status",
    type: "string",
    label: "Marketplace status",
    description: "The order's status on the marketplace, as the marketplace spells it.",
    placeholder: true,
  },
  {
    key: "fulfilled_by_marketplace",
    type: "boolean",
    label: "Fulfilled by marketplace",
    description: "Whether the marketplace ships the order itself (e.g. Amazon FBA).",
    placeholder: true,
  },
  {
    key: "total_mismatch",
    type: "boolean",
    label: "Total mismatch",
    description:
      "Whether the order's amounts, as Medusa will compute them, differ by more than 0.01 from the marketplace's figures (tax mode \"marketplace\" only; such orders are also held as total_mismatch).",
    placeholder: true,
  },
  {
    key: "total_difference",
    type: "number",
    label: "Total difference",
    description: "Medusa's total minus the marketplace's, as the import will compute them (0 when they agree).",
    placeholder: true,
  },
]

/** Describes the `custom_fields.<name>` family for the admin UI. */
export const CUSTOM_FIELD_DEFINITION: RuleFieldDefinition = {
  key: `${CUSTOM_FIELD_PREFIX}<name>`,
  type: "any",
  label: "Custom field",
  description:
    "A marketplace-specific field, by name, e.g. custom_fields.gift_wrap. Text, number and yes/no values are compared as they come; other values count as missing.",
  placeholder: true,
}

const FIELDS_BY_KEY = new Map(RULE_FIELDS.map((f) => [f.key, f]))

/** Resolves a condition's `field` to its definition, or null when it is unknown. */
export function resolveRuleField(key: string): RuleFieldDefinition | null {
  const known = FIELDS_BY_KEY.get(key)
  if (known) {
    return known
  }
  const name = customFieldName(key)
  if (name === null) {
    return null
  }
  return { ...CUSTOM_FIELD_DEFINITION, key }
}

/**
 * The name after `custom_fields.`, or null when it is not a valid custom field
 * reference. Braces are refused so the name can live inside `{{…}}`.
 */
export function customFieldName(key: string): string | null {
  if (!key.startsWith(CUSTOM_FIELD_PREFIX)) {
    return null
  }
  const name = key.slice(CUSTOM_FIELD_PREFIX.length)
  if (
    name.length === 0 ||
    name.length > MAX_CUSTOM_FIELD_NAME_LENGTH ||
    name !== name.trim() ||
    /[{}\u0000-\u001f]/.test(name)
  ) {
    return null
  }
  return name
}
