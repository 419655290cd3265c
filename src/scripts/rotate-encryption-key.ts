import type { ExecArgs } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../modules/channel"
import type ChannelModuleService from "../modules/channel/service"

/**
 * Re-encrypts every channel's credentials and the provider token cache with the plugin's current
 * `encryption_key` (README, "Rotating the encryption key"):
 *
 *   CHANNEL_ORDERS_PREVIOUS_ENCRYPTION_KEY=<old key> npx medusa exec ./src/scripts/rotate-encryption-key.ts
 *
 * run once the store is configured with the new key (installed plugin:
 * `node_modules/medusa-channel-orders/.medusa/server/src/scripts/rotate-encryption-key.js`).
 * Values already sealed with the new key are left alone, so running it twice is harmless. Credentials
 * neither key opens are listed: enter them again in the admin.
 */
export default async function rotateEncryptionKey({ container }: ExecArgs) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const previous = process.env.CHANNEL_ORDERS_PREVIOUS_ENCRYPTION_KEY
  if (!previous) {
    throw new Error(
      "Set CHANNEL_ORDERS_PREVIOUS_ENCRYPTION_KEY to the key the credentials were encrypted with; the plugin's encryption_key option is the new one"
    )
  }
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const result = await channels.reencryptSecrets(previous)
  logger.info(
    `Re-encrypted the credentials of ${result.channels} channel(s) (${result.unchanged} already on the current key) and ${result.cache_entries} cached token(s); dropped ${result.cache_dropped} unreadable cache entr(ies)`
  )
  if (result.unreadable.length) {
    logger.warn(`Neither key opens the credentials of channel(s) ${result.unreadable.join(", ")}: enter them again on the channel page`)
  }
  return result
}
