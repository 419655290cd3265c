import { ChannelProviderError } from "./errors"
import { isProduction } from "./hosts"
import { SecretBox } from "./secrets"

/**
 * The encryption key of channel credentials (issue 17, item 4).
 *
 * - NODE_ENV `production`: the plugin option `encryption_key` is required (at least 16 characters,
 *   not one of the well-known development defaults). Without it the module refuses to start, with
 *   a message saying what to set. There is no fallback to the JWT secret, which Medusa's starter
 *   defaults to `supersecret`.
 * - Any other NODE_ENV (development, test): `encryption_key` when given; otherwise the JWT secret,
 *   and failing that a fixed development key, with a warning at start-up. `npm run demo` and the
 *   tests run without extra environment that way (the dev store's medusa-config.ts sets a dev key).
 */
export const ENCRYPTION_KEY_HELP =
  "medusa-channel-orders: set the plugin option encryption_key (e.g. encryption_key: process.env.CHANNEL_ORDERS_ENCRYPTION_KEY) " +
  "to a random secret of at least 16 characters, such as the output of `openssl rand -base64 32`. It encrypts channel credentials at rest; " +
  "keep it stable (README, \"Rotating the encryption key\")."

/** Defaults that ship in starters and in this repo's dev store; never acceptable in production. */
export const WELL_KNOWN_KEYS = new Set(["supersecret", "dev-only-channel-orders-key", "dev-jwt-secret", "secret", "changeme", "change-me"])

const DEV_FALLBACK_KEY = "medusa-channel-orders/development-only-key"

export class EncryptionKeyError extends Error {
  constructor(message: string) {
    super(message)
    this.name = "EncryptionKeyError"
  }
}

export type ResolvedKey = { key: string; source: "option" | "jwt_secret" | "development_default"; warning?: string }

export function resolveEncryptionKey(
  option: unknown,
  jwtSecret: unknown,
  env: NodeJS.ProcessEnv = process.env
): ResolvedKey {
  const given = typeof option === "string" ? option.trim() : ""
  if (isProduction(env)) {
    if (!given) throw new EncryptionKeyError(`No encryption_key in production. ${ENCRYPTION_KEY_HELP}`)
    if (WELL_KNOWN_KEYS.has(given.toLowerCase())) {
      throw new EncryptionKeyError(`The encryption_key is a well-known default ("${given}"), not a secret. ${ENCRYPTION_KEY_HELP}`)
    }
    if (given.length < 16) throw new EncryptionKeyError(`The encryption_key is shorter than 16 characters. ${ENCRYPTION_KEY_HELP}`)
    return { key: given, source: "option" }
  }
  if (given) return { key: given, source: "option" }
  const jwt = typeof jwtSecret === "string" ? jwtSecret.trim() : ""
  const warning = `medusa-channel-orders: no encryption_key option; channel credentials are encrypted with ${
    jwt ? "the JWT secret" : "a fixed development key"
  }. This is refused when NODE_ENV=production. ${ENCRYPTION_KEY_HELP}`
  return jwt ? { key: jwt, source: "jwt_secret", warning } : { key: DEV_FALLBACK_KEY, source: "development_default", warning }
}

/** Stored credentials the current key cannot open (the key changed, or the value was damaged). */
export class ChannelCredentialsUnreadableError extends ChannelProviderError {
  constructor(channelName?: string) {
    super(
      "credentials_undecryptable",
      `The stored credentials${channelName ? ` of channel ${channelName}` : ""} can no longer be decrypted (the plugin's encryption_key changed, or the stored value is damaged): ` +
        "enter the credentials again on the channel page, or re-encrypt them with the previous key (README, \"Rotating the encryption key\")",
      { retryable: false }
    )
    this.name = "ChannelCredentialsUnreadableError"
  }
}

/**
 * The secret box a module seals with: its `encryption_key` option, else the store's JWT secret.
 * Shared by the channel and alert modules so both resolve the key the same way.
 */
export function moduleSecretBox(encryptionKey: string | undefined, cradle: Record<string, any>): SecretBox {
  let jwtSecret: string | undefined
  try {
    jwtSecret = cradle.configModule?.projectConfig?.http?.jwtSecret
  } catch {
    jwtSecret = undefined
  }
  return new SecretBox(resolveEncryptionKey(encryptionKey, jwtSecret).key)
}

/**
 * Key rotation: a value sealed with `current` is returned as is, one sealed with `previousKey` is
 * sealed again with `current`, and null means neither key opens it.
 */
export function resealSecret(current: SecretBox, sealed: string, previousKey: string): string | null {
  try {
    current.open(sealed)
    return sealed
  } catch {
    // not sealed with the current key
  }
  try {
    return current.seal(new SecretBox(previousKey).open(sealed))
  } catch {
    return null
  }
}
