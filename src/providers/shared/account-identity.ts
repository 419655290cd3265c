import { createHash } from "node:crypto"

/**
 * A short, one-way fingerprint of a credential, for an account identity when the marketplace's own
 * account id is not configured. The same refresh token or API key means the same account; the
 * credential cannot be read back from it.
 */
export function credentialFingerprint(value: unknown): string | null {
  if (typeof value !== "string" || !value.trim()) return null
  return createHash("sha256").update(`channel-account:${value.trim()}`).digest("hex").slice(0, 20)
}

/** The host of a URL setting, lower-cased; null when it is not a URL. */
export function hostOf(url: unknown): string | null {
  if (typeof url !== "string" || !url) return null
  try {
    return new URL(url).host.toLowerCase()
  } catch {
    return null
  }
}
