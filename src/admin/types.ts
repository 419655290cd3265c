/**
 * The HTTP shapes of the plugin's admin API, as the dashboard extensions read them.
 * Kept by hand next to the routes in src/api/admin; dates arrive as ISO strings.
 */

export const STATUS_ACTIONS = [
  "do_not_import",
  "import_as_valid",
  "import_and_invoice",
  "import_and_cancel",
  "import_and_hold",
  "import_and_complete",
  "import_as_history",
] as const
export type StatusAction = (typeof STATUS_ACTIONS)[number]

export type ImportRunStatus = "running" | "succeeded" | "failed"

export type ImportRun = {
  id: string
  channel_id?: string
  trigger?: "schedule" | "manual" | "retry"
  status: ImportRunStatus
  started_at: string
  finished_at: string | null
  fetched: number
  imported: number
  waiting: number
  ignored: number
  failed: number
  skipped: number
  error: string | null
  /** Machine-readable reason of a failed run, e.g. `credentials_undecryptable`, `host_not_allowed`. */
  error_code?: string | null
  /** Every failed marketplace call of the run (retried ones too), the first 50. */
  errors?: ImportRunCallError[] | null
  /** Failed calls past the cap of `errors`. */
  errors_dropped?: number
  /** Progress recorded page by page while the run goes on. */
  pages?: number
  window_from?: string | null
  window_to?: string | null
}

export type ImportRunCallError = {
  at: string
  code: string
  message: string
  operation: string
  retryable: boolean
  status?: number
  attempt?: number
}

export type ChannelSettings = {
  sales_channel_id?: string | null
  region_id?: string | null
  stock_location_id?: string | null
  pull_interval_minutes?: number
  lookback_hours?: number
  overlap_minutes?: number
  import_unavailable_products?: boolean
  payment_status?: "captured" | "authorized" | "not_paid"
  tax_mode?: "marketplace" | "store" | "none"
  email_policy?: "keep" | "placeholder"
  marketplace_fulfilled_action?: StatusAction
  sku_matching?: Array<"mapping" | "sku" | "barcode">
  shipping_mapping?: Record<string, string>
  default_shipping_option_id?: string | null
  carrier_mapping?: Record<string, string>
  duplicate_protection?: boolean
  duplicate_window_hours?: number
  shipped_when?: "shipment_created" | "order_completed"
  [key: string]: unknown
}

export type Channel = {
  id: string
  name: string
  provider: string
  enabled: boolean
  settings: ChannelSettings
  has_credentials: boolean
  /** `unreadable`: stored, but the plugin's encryption key can no longer decrypt them; the admin must enter them again. */
  credentials_status?: "missing" | "set" | "unreadable"
  created_at: string
  updated_at: string
  last_run: ImportRun | null
}

export type ChannelListResponse = {
  channels: Channel[]
  count: number
  limit: number
  offset: number
  providers: string[]
}

export type ChannelResponse = { channel: Channel }

export type CreateChannelBody = {
  name: string
  provider: string
  enabled?: boolean
  credentials?: Record<string, unknown>
  settings?: ChannelSettings
}

export type UpdateChannelBody = {
  name?: string
  enabled?: boolean
  credentials?: Record<string, unknown> | null
  settings?: ChannelSettings
}

export type StatusRuleRow = {
  external_status: string
  action: StatusAction
  retry: boolean
  has_rule: boolean
  description: string | null
}

export type StatusRulesResponse = { status_rules: StatusRuleRow[] }

export type RunsResponse = { runs: ImportRun[]; count: number }

export type ConnectionCheck = { ok: boolean; message: string }

export type SkuMapping = { id: string; external_sku: string; variant_id: string; created_at?: string }
export type SkuMappingsResponse = { sku_mappings: SkuMapping[] }
export type SkuMappingResponse = { sku_mapping: SkuMapping }

export const CHANNEL_ORDER_STATES = ["pending", "imported", "waiting", "ignored", "failed"] as const
export type ChannelOrderState = (typeof CHANNEL_ORDER_STATES)[number]

export type ChannelOrder = {
  id: string
  channel_id: string
  external_id: string
  external_status: string | null
  action: StatusAction | null
  state: ChannelOrderState
  error_code: string | null
  error_message: string | null
  /** What the refusal is about, as fields (SKUs, shipping service, payload issues). */
  error_data?: { skus?: string[]; shipping_service?: string | null; missing_settings?: string[]; issues?: Array<{ path: string; message: string }>; [key: string]: unknown } | null
  /** Set on a pending or importing order a stopped run left behind, past its grace period. */
  stuck_reason?: "not_decided" | "import_interrupted" | null
  attempts: number
  order_id: string | null
  imported_at: string | null
  created_at: string
  updated_at: string
  /** The Medusa order's display id, tags and open holds (the marketplace desk's badges). */
  display_id?: number | null
  tags?: Array<{ id: string; value: string }>
  holds?: Array<{ id: string; reason: string; detail: string | null; created_at: string }>
}

export type CanonicalItem = {
  external_id: string
  sku?: string | null
  title?: string | null
  quantity: number
  unit_price?: number
}

export type CanonicalOrder = {
  external_id: string
  status: string
  currency_code?: string
  email?: string | null
  items: CanonicalItem[]
  shipping?: { service_code?: string | null; name?: string | null; price?: number } | null
  shipping_address?: { country_code?: string | null; city?: string | null } | null
  [key: string]: unknown
}

export type TimelineEvent = {
  id?: string
  type: string
  message: string
  data?: Record<string, unknown> | null
  created_at: string
}

export type ChannelOrderDetail = ChannelOrder & {
  raw?: unknown
  normalized?: CanonicalOrder | null
  rule_effects?: unknown
}

export type ChannelOrderListResponse = { channel_orders: ChannelOrder[]; count: number; limit: number; offset: number }
export type ChannelOrderResponse = { channel_order: ChannelOrderDetail; timeline: TimelineEvent[] }
export type RetryResponse = { channel_order: ChannelOrder; run?: ImportRun | null }

export type ChannelOrderListQuery = {
  channel_id?: string | string[]
  state?: ChannelOrderState | ChannelOrderState[]
  external_id?: string
  order_id?: string
  error_code?: string | string[]
  tag?: string
  stuck?: boolean
  external_status?: string | string[]
  hold_reason?: string | string[]
  on_hold?: boolean
  q?: string
  created_from?: string
  created_to?: string
  limit?: number
  offset?: number
}

export type ChannelOrderSummary = {
  channels: Array<{
    channel_id: string
    name: string
    provider: string
    last_import_at: string | null
    imported: number
    not_imported: number
    failed: number
    waiting: number
    stuck: number
    reconciled: number
    mismatched: number
  }>
  not_importable_count: number
  waiting_count: number
  stuck_count: number
}

/* ---------------------------------- import rules ---------------------------------- */

export type RuleFieldType = "number" | "string" | "boolean" | "string_list" | "any"
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

export type RuleCatalogueField = {
  key: string
  type: RuleFieldType
  label: string
  description: string
  quantifier?: "any" | "all"
  placeholder: boolean
  operators: { key: string; value: RuleValueKind }[]
}

export type RuleCatalogue = {
  fields: RuleCatalogueField[]
  custom_field: RuleCatalogueField
  operators: { key: string; label: string; description: string }[]
  actions: string[]
  alert_severities: string[]
  limits: { tag_length: number; pattern_length: number; pattern_input_length: number }
}

export type RuleScalar = string | number | boolean
export type RuleCondition = { field: string; operator: string; value?: RuleScalar | RuleScalar[] }
export type RuleGroup = { all: RuleNode[] } | { any: RuleNode[] }
export type RuleNode = RuleCondition | RuleGroup

export type RuleAction =
  | { type: "add_tags"; tags: string[] }
  | { type: "hold"; detail?: string | null }
  | { type: "cancel" }
  | { type: "set_note"; note: string }
  | { type: "set_metadata"; key: string; value: RuleScalar }
  | { type: "alert"; message: string; severity?: "info" | "warning" | "error"; destination_ids?: string[]; recipients?: string[] }

export type ImportRule = {
  id: string
  name: string
  channel_ids: string[]
  priority: number
  enabled: boolean
  conditions: RuleGroup
  actions: RuleAction[]
  created_at?: string
  updated_at?: string
}

export type ImportRuleBody = Omit<ImportRule, "id" | "created_at" | "updated_at">

export type ImportRuleListResponse = { import_rules: ImportRule[]; count?: number }
export type ImportRuleResponse = { import_rule: ImportRule }

export type RuleContribution = {
  rule_id: string
  rule_name: string
  priority: number
  tags: string[]
  hold: { detail: string; superseded: boolean } | null
  cancel: boolean
  note: { value: string; applied: boolean; overridden_by: string | null } | null
  metadata: { key: string; value: RuleScalar; applied: boolean; overridden_by: string | null }[]
  alerts: { message: string; severity: string }[]
}

export type RuleHold = { reason: "custom_rule"; rule_id: string; rule_name: string; detail: string }

export type DryRunResponse = {
  matched_rule_ids: string[]
  tags: string[]
  holds: RuleHold[]
  superseded_holds: RuleHold[]
  cancel: boolean
  cancelled_by: string[]
  note: string | null
  note_rule_id: string | null
  metadata: Record<string, RuleScalar>
  metadata_rule_ids: Record<string, string>
  alerts: { rule_id: string; rule_name: string; message: string; severity: string }[]
  contributions: RuleContribution[]
}

/* ---------------------------------- order panel ---------------------------------- */

export type OrderTag = { id: string; value: string }

export type OrderHold = {
  id: string
  reason: string
  detail: string | null
  rule_id: string | null
  created_by: string | null
  created_at: string
  released_at: string | null
  released_by: string | null
  release_note: string | null
}

export type ChannelFeedback = {
  id: string
  state: "pending" | "sending" | "sent" | "confirmed" | "failed"
  kind: "shipment" | "cancel"
  error_code: string | null
  error_message: string | null
  tracking_numbers: string[]
  created_at: string
}

export type OrderChannelResponse = {
  channel_order: ChannelOrder | null
  channel: Pick<Channel, "id" | "name" | "provider" | "enabled"> | null
  tags: OrderTag[]
  holds: OrderHold[]
  open_hold_count?: number
  timeline: TimelineEvent[]
  feedback: ChannelFeedback[]
  invoice?: { id: string; number: number; display_number: string; created_at?: string } | null
}

/* ---------------------------------- store lookups ---------------------------------- */

export type Named = { id: string; name: string }
export type VariantHit = {
  id: string
  title: string | null
  sku: string | null
  barcode?: string | null
  product?: { id: string; title: string; thumbnail?: string | null } | null
}
export type ShippingOptionHit = { id: string; name: string; provider_id?: string | null }
