import { ChannelProviderError } from "../../modules/channel/errors"
import type { RetryPolicy } from "../shared/http-client"
import { parseCarrierSetting, type MiraklCarrier } from "./carriers"

/** Module-level options of the provider (medusa-config). Channel settings win over the defaults here. */
export type MiraklProviderOptions = {
  /** Default operator host for channels that leave `base_url` empty. */
  base_url?: string
  /** Scales every published call rate (tests and simulators use > 1). */
  rate_limit_multiplier?: number
  timeout_ms?: number
  retry?: Partial<RetryPolicy>
}

/** A channel's settings and credentials, checked and with defaults filled. */
export type MiraklChannelConfig = {
  base_url: string
  api_key: string
  shop_id?: number
  /** Send OR21 for WAITING_ACCEPTANCE orders (default true). */
  accept_orders: boolean
  /** OR11 page size, 1..100. */
  page_size: number
  /** Operator carriers; undefined = read them from SH21. */
  carriers?: MiraklCarrier[]
  /** Fulfillment center codes run by the operator: orders from them are fulfilled by the marketplace. */
  operator_fulfillment_centers: string[]
  /**
   * The operator has enabled multiple shipments per order (the shipments API: ST01 create shipments,
   * ST11 list them). Shipments then go out as ST01 shipments with their own lines and one tracking
   * number each, which allows partial and multi-parcel shipments; otherwise OR23 + OR24 ship whole
   * orders with one tracking number. Mirakl's seller API does not tell which the operator allows, so
   * it is a channel setting (default false).
   */
  multi_shipment: boolean
}

export const MAX_PAGE_SIZE = 100

const invalid = (message: string) => new ChannelProviderError("invalid_settings", message, { retryable: false })

/** `https://acme-prod.mirakl.net`, also accepting the `/api` suffix the Mirakl SDKs use. */
export function normalizeBaseUrl(value: unknown): string {
  if (typeof value !== "string" || !value.trim()) {
    throw invalid("Mirakl needs `base_url`: the operator's host, e.g. https://<operator>-prod.mirakl.net")
  }
  let url: URL
  try {
    url = new URL(value.trim())
  } catch {
    throw invalid(`Mirakl base_url "${value}" is not a URL`)
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw invalid(`Mirakl base_url must be http(s), got ${url.protocol}`)
  }
  const path = url.pathname.replace(/\/+$/, "").replace(/\/api$/, "")
  return `${url.origin}${path}`
}

export function resolveChannelConfig(
  settings: Record<string, any>,
  credentials: Record<string, any>,
  options: MiraklProviderOptions = {}
): MiraklChannelConfig {
  const base_url = normalizeBaseUrl(settings.base_url ?? options.base_url)

  const api_key = credentials.api_key
  if (typeof api_key !== "string" || !api_key.trim()) {
    throw invalid("Mirakl needs the shop API key in credentials.api_key")
  }

  let shop_id: number | undefined
  if (settings.shop_id !== undefined && settings.shop_id !== null && settings.shop_id !== "") {
    shop_id = Number(settings.shop_id)
    if (!Number.isSafeInteger(shop_id) || shop_id <= 0) throw invalid(`Mirakl shop_id must be a positive integer, got ${settings.shop_id}`)
  }

  const accept_orders = settings.accept_orders ?? true
  if (typeof accept_orders !== "boolean") throw invalid("Mirakl setting accept_orders must be true or false")

  const page_size = settings.page_size === undefined || settings.page_size === null ? MAX_PAGE_SIZE : Number(settings.page_size)
  if (!Number.isInteger(page_size) || page_size < 1 || page_size > MAX_PAGE_SIZE) {
    throw invalid(`Mirakl page_size must be an integer from 1 to ${MAX_PAGE_SIZE}`)
  }

  const centers = settings.operator_fulfillment_centers ?? []
  if (!Array.isArray(centers) || centers.some((c) => typeof c !== "string")) {
    throw invalid("Mirakl setting operator_fulfillment_centers must be a list of fulfillment center codes")
  }

  const multi_shipment = settings.multi_shipment ?? false
  if (typeof multi_shipment !== "boolean") throw invalid("Mirakl setting multi_shipment must be true or false")

  return {
    base_url,
    api_key: api_key.trim(),
    shop_id,
    accept_orders,
    page_size,
    carriers: parseCarrierSetting(settings.carriers),
    operator_fulfillment_centers: centers,
    multi_shipment,
  }
}
