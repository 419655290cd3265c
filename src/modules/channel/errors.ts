/**
 * Machine-readable reasons an order or a marketplace call failed. Every refusal the admin sees
 * carries one of these codes plus a human message.
 */
export const CHANNEL_ORDER_ERROR_CODES = [
  "invalid_payload",
  "unidentified_payload",
  "unmatched_sku",
  "insufficient_quantity",
  "unmapped_shipping",
  "channel_misconfigured",
  "import_failed",
] as const
export type ChannelOrderErrorCode = (typeof CHANNEL_ORDER_ERROR_CODES)[number]

/** Error raised by a provider (marketplace client). `retryable` tells the caller whether trying again can help. */
export class ChannelProviderError extends Error {
  readonly code: string
  readonly retryable: boolean
  readonly status?: number
  /** The marketplace's own error code and message, kept verbatim. */
  readonly marketplace_code?: string
  readonly marketplace_message?: string
  readonly retry_after_ms?: number

  constructor(
    code: string,
    message: string,
    opts: {
      retryable?: boolean
      status?: number
      marketplace_code?: string
      marketplace_message?: string
      /** How long the marketplace asked to wait before trying again (a capped Retry-After). */
      retry_after_ms?: number
      cause?: unknown
    } = {}
  ) {
    super(message)
    this.name = "ChannelProviderError"
    this.code = code
    this.retryable = opts.retryable ?? false
    this.status = opts.status
    this.marketplace_code = opts.marketplace_code
    this.marketplace_message = opts.marketplace_message
    this.retry_after_ms = opts.retry_after_ms
    if (opts.cause !== undefined) {
      ;(this as any).cause = opts.cause
    }
  }
}

/**
 * What a refusal is about, as fields the admin builds its fix from (never parsed from the message):
 * the SKUs no variant matches or that are short, the marketplace shipping service with no option,
 * the channel settings that are missing, the zod issues of an invalid payload.
 */
export type ChannelOrderErrorData = {
  skus?: string[]
  shipping_service?: string | null
  missing_settings?: string[]
  issues?: Array<{ path: string; message: string }>
  mapper_error?: boolean
  [key: string]: unknown
}

/** An order the pipeline refuses, with the code (and structured data) stored on the channel order. */
export class ChannelOrderImportError extends Error {
  readonly code: ChannelOrderErrorCode
  readonly data: ChannelOrderErrorData | null
  constructor(code: ChannelOrderErrorCode, message: string, data: ChannelOrderErrorData | null = null) {
    super(message)
    this.name = "ChannelOrderImportError"
    this.code = code
    this.data = data
  }
}
