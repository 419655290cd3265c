import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MedusaError } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"
import { ChannelSettingsSchema } from "../../../modules/channel/settings"
import { ChannelProviderError } from "../../../modules/channel/errors"
import { ChannelCredentialsUnreadableError } from "../../../modules/channel/credentials"
import { changedCredentialUrls } from "../../../modules/channel/hosts"
import { scrubSecrets } from "../../../modules/channel/scrub"
import { assertKnownChannelKeys } from "../../../modules/channel/settings-keys"

export type ValidateChannelConfigInput = {
  /** For an existing channel: its stored credentials are used when the request doesn't replace them. */
  channel_id?: string
  provider: string
  settings: Record<string, unknown>
  /** The stored settings of an existing channel (a changed credential URL needs the credentials again). */
  previous_settings?: Record<string, unknown>
  /** Whether an update sends settings (an update of the name alone skips the provider's checks on unreadable credentials). */
  settings_sent?: boolean
  /** Sealed credentials (`channels.sealCredentials`); undefined keeps the stored ones. Opened only inside the step. */
  credentials_sealed?: string | null
  /** Set when a caller passed plaintext `credentials` to the workflow: refused. */
  plaintext_credentials?: boolean
  /**
   * The settings keys the caller sent, judged against the provider's declared keys (unknown → 400).
   * An update passes only the keys it supplies, so stored settings are not judged again; without
   * it (a create) every key of `settings` is judged.
   */
  supplied_settings_keys?: string[]
}

/**
 * Checks settings against the shared schema, the credential URL policy (hosts.ts) and the provider's
 * own rules, before anything is written. It receives the credentials sealed and opens them here, so
 * neither its input nor its output (both kept by the workflow engine) holds them in plaintext.
 */
export const validateChannelConfigStep = createStep(
  "validate-channel-config",
  async (input: ValidateChannelConfigInput, { container }) => {
    if (input.plaintext_credentials) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        "Channel workflows take credentials_sealed (channels.sealCredentials(credentials)), never plaintext credentials: workflow input is stored by the workflow engine"
      )
    }
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const provider = channels.getProvider(input.provider)
    // The same unknown-key check as the admin routes' middleware, so a script or another plugin
    // calling the workflow cannot store a typo either: the keys sent (an update's only), and the
    // credential keys when credentials are replaced (opened here, never returned).
    const suppliedKeys = input.supplied_settings_keys ?? Object.keys(input.settings ?? {})
    const suppliedCredentials =
      typeof input.credentials_sealed === "string" && input.credentials_sealed
        ? (() => {
            try {
              return channels.openCredentials(input.credentials_sealed)
            } catch {
              return undefined // judged below, with its own message
            }
          })()
        : undefined
    assertKnownChannelKeys(input.provider, provider, {
      settings: Object.fromEntries(suppliedKeys.map((k) => [k, true])),
      credentials: suppliedCredentials ? Object.fromEntries(Object.keys(suppliedCredentials).map((k) => [k, true])) : undefined,
    })
    const parsed = ChannelSettingsSchema.safeParse(input.settings ?? {})
    if (!parsed.success) {
      const message = parsed.error.issues.map((i) => `settings.${i.path.join(".")}: ${i.message}`).join("; ")
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid channel settings: ${message}`)
    }
    const problems = channels.credentialUrlProblems(input.provider, parsed.data as Record<string, unknown>)
    if (problems.length) throw new MedusaError(MedusaError.Types.INVALID_DATA, problems.join("; "))

    const replaces = input.credentials_sealed !== undefined
    if (input.channel_id && !replaces) {
      const changed: string[] = changedCredentialUrls(input.previous_settings, parsed.data as Record<string, unknown>)
      if (provider.credentialTarget) {
        const target = (settings: Record<string, any> | undefined) => {
          try {
            return settings ? provider.credentialTarget!(settings) : null
          } catch {
            return null // settings the provider cannot read: judged by validateSettings below
          }
        }
        const after = target(parsed.data as Record<string, any>)
        if (after !== null && after !== target(input.previous_settings as Record<string, any> | undefined)) changed.push("source")
      }
      if (changed.length) {
        throw new MedusaError(
          MedusaError.Types.INVALID_DATA,
          `Changing settings.${changed.join(" and settings.")} requires entering the credentials again: send credentials with the new URL (the stored ones are never sent to a new host)`
        )
      }
    }
    let credentials: Record<string, any> = {}
    try {
      credentials = replaces
        ? channels.openCredentials(input.credentials_sealed)
        : input.channel_id
          ? channels.openCredentials((await channels.retrieveChannel(input.channel_id)).credentials_encrypted)
          : {}
    } catch (e) {
      if (!(e instanceof ChannelCredentialsUnreadableError)) throw e
      if (replaces || input.settings_sent) {
        throw new MedusaError(
          MedusaError.Types.INVALID_DATA,
          "The stored credentials can no longer be decrypted (the encryption key changed): send credentials again with this change"
        )
      }
      // Only the name or enabled flag changes: nothing to validate against the credentials.
      return new StepResponse({ settings: parsed.data as Record<string, unknown>, default_rules: provider.defaultStatusRules() })
    }
    try {
      provider.validateSettings?.(parsed.data, credentials)
    } catch (e) {
      if (e instanceof ChannelProviderError || e instanceof Error) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, scrubSecrets(e.message, credentials))
      }
      throw e
    }
    return new StepResponse({ settings: parsed.data as Record<string, unknown>, default_rules: provider.defaultStatusRules() })
  }
)
