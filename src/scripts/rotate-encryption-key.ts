import type { ExecArgs } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../modules/channel"
import type ChannelModuleService from "../modules/channel/service"
import { ORDER_TRANSFER_MODULE } from "../modules/order-transfer"
import { CHANNEL_ALERT_MODULE } from "../modules/channel-alert"

/**
 * Re-encrypts every channel's credentials, the provider token cache, the order exports' and status
 * imports' server credentials and the alert destinations' webhook URLs and secrets with the plugin's
 * current `encryption_key` (README, "Rotating the encryption key"):
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
  // Secrets other modules keep: export/status-import servers (sealed with the channel module's key)
  // and alert webhooks (the alert module's key, configured the same).
  const transfers = container.resolve(ORDER_TRANSFER_MODULE) as any
  const alerts = container.resolve(CHANNEL_ALERT_MODULE) as any
  const others = { resealed: 0, unreadable: [] as string[] }
  const resealRows = async (
    rows: Array<Record<string, any>>,
    fields: string[],
    reseal: (sealed: string) => string | null,
    update: (patch: Record<string, any>) => Promise<unknown>
  ) => {
    for (const row of rows) {
      const patch: Record<string, any> = {}
      for (const field of fields) {
        if (!row[field]) continue
        const next = reseal(row[field])
        if (next === null) others.unreadable.push(`${row.id}.${field}`)
        else if (next !== row[field]) patch[field] = next
      }
      if (Object.keys(patch).length) {
        await update({ id: row.id, ...patch })
        others.resealed++
      }
    }
  }
  const viaChannels = (sealed: string) => channels.resealSecret(sealed, previous)
  await resealRows(await transfers.listOrderExports({}, { select: ["id", "credentials_encrypted"] }), ["credentials_encrypted"], viaChannels, (p) => transfers.updateOrderExports(p))
  await resealRows(await transfers.listStatusImports({}, { select: ["id", "credentials_encrypted"] }), ["credentials_encrypted"], viaChannels, (p) => transfers.updateStatusImports(p))
  await resealRows(
    await alerts.listChannelAlertDestinations({}, { select: ["id", "url", "secret_encrypted"] }),
    ["url", "secret_encrypted"],
    (sealed: string) => alerts.resealSecret(sealed, previous),
    (p) => alerts.updateChannelAlertDestinations(p)
  )
  logger.info(`Re-encrypted the secrets of ${others.resealed} order export(s), status import(s) and alert destination(s)`)
  if (others.unreadable.length) {
    logger.warn(`Neither key opens ${others.unreadable.join(", ")}: enter those secrets again in the admin`)
  }

  if (result.unreadable.length) {
    logger.warn(`Neither key opens the credentials of channel(s) ${result.unreadable.join(", ")}: enter them again on the channel page`)
  }
  return { ...result, others }
}
