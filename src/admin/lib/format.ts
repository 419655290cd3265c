import type { ChannelOrderState, ImportRun, StatusAction } from "../types"

/** The seven choices of the "Import" column, worded after the order import settings guide. */
export const ACTION_OPTIONS: { value: StatusAction; label: string; description: string }[] = [
  {
    value: "do_not_import",
    label: "Do not import",
    description: "Do not import new orders with this status.",
  },
  {
    value: "import_as_valid",
    label: "Import as valid",
    description:
      "Import new orders with this status. They are ready to prepare, and stock is reserved if it is available.",
  },
  {
    value: "import_and_invoice",
    label: "Import and invoice",
    description:
      "Import new orders with this status and create an invoice once the order is imported. Stock is reserved if it is available.",
  },
  {
    value: "import_and_cancel",
    label: "Import and cancel",
    description: "Import new orders with this status and mark them as canceled. Stock is not reserved.",
  },
  {
    value: "import_and_hold",
    label: "Import and hold",
    description: "Import new orders with this status and put them on hold. Stock is reserved.",
  },
  {
    value: "import_and_complete",
    label: "Import and complete",
    description:
      "Import new orders with this status as complete: an invoice and a shipment are created and stock is decreased. An order is refused if a product does not have enough available stock.",
  },
  {
    value: "import_as_history",
    label: "Import as history",
    description:
      "Import new orders with this status as complete, with an invoice and a shipment, but without decreasing stock.",
  },
]

export const RETRY_OPTIONS: { value: "yes" | "no"; label: string; description: string }[] = [
  {
    value: "yes",
    label: "Yes",
    description:
      "Keep checking the order: if its status later changes to one that is set to import, the order is imported then.",
  },
  {
    value: "no",
    label: "No",
    description: "Do not check again: the order is not imported, even if its status changes later.",
  },
]

export function actionLabel(action: string | null | undefined): string {
  return ACTION_OPTIONS.find((a) => a.value === action)?.label ?? (action ? humanize(action) : "–")
}

/** Hold reasons, in the words of the hold status guide. */
export const HOLD_REASONS: Record<string, { label: string; description: string }> = {
  custom_rule: { label: "Import rule", description: "Put on hold by an import rule." },
  duplicate_order: {
    label: "Duplicate order",
    description: "Duplicate order protection found the same buyer, items and total in a recent order.",
  },
  not_managed_item: {
    label: "Not managed item",
    description: "At least one line matches no product of the store; it was imported as a custom line.",
  },
  insufficient_quantity: {
    label: "Insufficient quantity",
    description: "At least one item lacks available stock at the channel's stock location.",
  },
  disabled_source: {
    label: "Disabled source",
    description: "The stock location is not available to the channel's sales channel.",
  },
  unmapped_shipping_policy: {
    label: "Unmapped shipping",
    description: "No shipping option is mapped to the order's shipping service.",
  },
  status_rule: { label: "Status rule", description: "The order import settings say \"Import and hold\" for this status." },
  marketplace_canceled: {
    label: "Canceled on marketplace",
    description: "The marketplace canceled the order after it was imported.",
  },
  manual: { label: "Manual hold", description: "Put on hold by an admin." },
  total_mismatch: {
    label: "Total mismatch",
    description: "The order's total, tax or paid amount in Medusa differs by more than 0.01 from the marketplace's figures.",
  },
  address_incomplete: {
    label: "Address incomplete",
    description: "The shipping address has no country, street or city the import could read.",
  },
}

export function holdReasonLabel(reason: string): string {
  return HOLD_REASONS[reason]?.label ?? humanize(reason)
}

export const ERROR_CODES: Record<string, string> = {
  invalid_payload: "Invalid order data",
  unidentified_payload: "Unreadable order",
  unmatched_sku: "Unknown SKU",
  insufficient_quantity: "Not enough stock",
  unmapped_shipping: "Unmapped shipping service",
  channel_misconfigured: "Channel settings incomplete",
  import_failed: "Import failed",
}

export function errorCodeLabel(code: string | null | undefined): string {
  if (!code) return "–"
  return ERROR_CODES[code] ?? humanize(code)
}

export const STATE_BADGE: Record<ChannelOrderState, { label: string; color: "green" | "red" | "orange" | "grey" | "blue" }> = {
  imported: { label: "Imported", color: "green" },
  failed: { label: "Failed", color: "red" },
  waiting: { label: "Waiting", color: "orange" },
  ignored: { label: "Ignored", color: "grey" },
  pending: { label: "Pending", color: "blue" },
}

export const PROVIDER_LABELS: Record<string, string> = {
  amazon: "Amazon",
  ebay: "eBay",
  mirakl: "Mirakl",
  sandbox: "Sandbox",
  api: "B2B order API",
  file: "Order files",
}

export function providerLabel(provider: string | null | undefined): string {
  if (!provider) return "–"
  return PROVIDER_LABELS[provider] ?? humanize(provider)
}

export function humanize(value: string): string {
  const s = value.replace(/[_.]+/g, " ").trim()
  return s.charAt(0).toUpperCase() + s.slice(1)
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" })

export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return "–"
  const d = typeof value === "string" ? new Date(value) : value
  return Number.isNaN(d.getTime()) ? "–" : dateTime.format(d)
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" })

/** "3 minutes ago", "in 12 minutes". */
export function formatRelative(value: string | Date | null | undefined, now = Date.now()): string {
  if (!value) return "–"
  const d = typeof value === "string" ? new Date(value) : value
  const diff = d.getTime() - now
  if (Number.isNaN(diff)) return "–"
  const abs = Math.abs(diff)
  const steps: [number, Intl.RelativeTimeFormatUnit][] = [
    [60_000, "second"],
    [3_600_000, "minute"],
    [86_400_000, "hour"],
    [Infinity, "day"],
  ]
  const size: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 }
  for (const [limit, unit] of steps) {
    if (abs < limit) return relative.format(Math.round(diff / size[unit]), unit)
  }
  return relative.format(Math.round(diff / 86_400_000), "day")
}

/** "2 h 5 min", for the age of a problem. */
export function formatAge(value: string | null | undefined, now = Date.now()): string {
  if (!value) return "–"
  const ms = now - new Date(value).getTime()
  if (!(ms >= 0)) return "–"
  const min = Math.floor(ms / 60_000)
  if (min < 1) return "just now"
  if (min < 60) return `${min} min`
  const h = Math.floor(min / 60)
  if (h < 48) return `${h} h ${min % 60} min`
  return `${Math.floor(h / 24)} days`
}

export function runSummary(run: Pick<ImportRun, "fetched" | "imported" | "waiting" | "ignored" | "failed" | "skipped">): string {
  const parts = [`${run.fetched} fetched`, `${run.imported} imported`]
  if (run.waiting) parts.push(`${run.waiting} waiting`)
  if (run.ignored) parts.push(`${run.ignored} ignored`)
  parts.push(`${run.failed} failed`)
  if (run.skipped) parts.push(`${run.skipped} already imported`)
  return parts.join(", ")
}

/** Next scheduled pull: the last run's start plus the pull interval (at once when it never ran). */
export function nextRunAt(lastStartedAt: string | null | undefined, intervalMinutes: number | undefined): Date | null {
  if (!lastStartedAt) return null
  return new Date(new Date(lastStartedAt).getTime() + (intervalMinutes ?? 15) * 60_000)
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}
