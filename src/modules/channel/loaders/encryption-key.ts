import type { LoaderOptions } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { resolveEncryptionKey } from "../credentials"

/**
 * Checks the credentials' encryption key at start-up: with NODE_ENV=production a missing, short or
 * well-known `encryption_key` stops the module from loading (so the app does not start) with a
 * message saying what to set; elsewhere a missing key is a warning (see credentials.ts).
 */
export default async function encryptionKeyLoader({ container, options, logger }: LoaderOptions<{ encryption_key?: string }>) {
  let jwtSecret: unknown
  try {
    jwtSecret = (container.resolve(ContainerRegistrationKeys.CONFIG_MODULE) as any)?.projectConfig?.http?.jwtSecret
  } catch {
    jwtSecret = undefined
  }
  const resolved = resolveEncryptionKey(options?.encryption_key, jwtSecret)
  if (resolved.warning) (logger ?? console).warn(resolved.warning)
}
