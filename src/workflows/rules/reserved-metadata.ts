/**
 * Order metadata keys the plugin itself writes on import (`prepare-imports.ts`) or that an import
 * rule writes through another action (`note`, from `set_note`). The link back to the marketplace
 * (`channel_order_id`, `external_id`, `channel_id`) and recovery after a crash depend on them, so a
 * `set_metadata` action may not use them: refused when the rule is saved (400 naming the key), and
 * skipped when a rule stored before this check runs.
 */
export const RESERVED_ORDER_METADATA_KEYS = [
  "channel_id",
  "channel_name",
  "channel_order_id",
  "external_id",
  "external_status",
  "fulfilled_by_marketplace",
  "marketplace_notes",
  "gift_message",
  "custom_fields",
  "tax_mode",
  "tax_collected_by_marketplace",
  "replaces_external_id",
  "payment_method",
  "zero_value",
  "note",
] as const

const RESERVED = new Set<string>(RESERVED_ORDER_METADATA_KEYS)

/** Whether a metadata key belongs to the plugin (compared trimmed and case-insensitively). */
export function isReservedOrderMetadataKey(key: string): boolean {
  return RESERVED.has(key.trim().toLowerCase())
}
