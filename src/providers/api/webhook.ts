import crypto from "node:crypto"
import { ChannelProviderError } from "../../modules/channel/errors"

/** The header a reseller checks: hex HMAC-SHA256 of the raw request body, keyed with the channel's webhook_secret. */
export const SIGNATURE_HEADER = "X-Signature"

export function signWebhookBody(secret: string, body: string): string {
  return crypto.createHmac("sha256", secret).update(body, "utf8").digest("hex")
}

/** Constant-time check a receiver can copy: `verifyWebhookSignature(secret, rawBody, req.headers["x-signature"])`. */
export function verifyWebhookSignature(secret: string, body: string, signature: string | null | undefined): boolean {
  const expected = Buffer.from(signWebhookBody(secret, body), "hex")
  const given = Buffer.from(String(signature ?? "").replace(/^sha256=/, ""), "hex")
  return given.length === expected.length && crypto.timingSafeEqual(given, expected)
}

export type WebhookDelivery = {
  url: string
  secret: string
  event: string
  /** Stable per feedback item, so a receiver can drop a retried delivery it already processed. */
  delivery_id: string
  payload: Record<string, unknown>
  timeoutMs?: number
}

/**
 * One POST to the reseller's webhook. A 2xx is the receiver's acknowledgement; 408, 425, 429, 5xx,
 * timeouts and network errors are transient (the feedback outbox tries again with backoff); any other
 * answer is a refusal that fails the item with the receiver's status and body kept.
 */
export async function postWebhook(d: WebhookDelivery): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({ event: d.event, delivery_id: d.delivery_id, ...d.payload, sent_at: new Date().toISOString() })
  let res: Response
  try {
    res = await fetch(d.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "medusa-channel-orders-webhook/1",
        [SIGNATURE_HEADER]: signWebhookBody(d.secret, body),
        "X-Webhook-Event": d.event,
        "X-Webhook-Id": d.delivery_id,
      },
      body,
      signal: AbortSignal.timeout(d.timeoutMs ?? 15_000),
    })
  } catch (e: any) {
    const timeout = e?.name === "TimeoutError" || e?.name === "AbortError"
    throw new ChannelProviderError(timeout ? "timeout" : "network_error", `Webhook ${d.url} did not answer: ${e?.message ?? e}`, {
      retryable: true,
      cause: e,
    })
  }
  const text = await res.text().catch(() => "")
  if (res.ok) return { status: res.status, body: text.slice(0, 2000) }
  const retryable = res.status >= 500 || [408, 425, 429].includes(res.status)
  throw new ChannelProviderError(retryable ? "webhook_unavailable" : "webhook_rejected", `Webhook ${d.url} answered ${res.status}`, {
    retryable,
    status: res.status,
    marketplace_code: String(res.status),
    marketplace_message: text.slice(0, 500) || res.statusText,
  })
}
