import type { MedusaContainer } from "@medusajs/framework/types"
import { CHANNEL_MODULE } from "../../modules/channel"
import type ChannelModuleService from "../../modules/channel/service"
import type { FileLocation, FileLocationSecrets, FileTransport } from "../../file-transfer/types"
import { openFileTransport } from "../../file-transfer"

export const SECRET_KEYS = ["password", "private_key", "passphrase", "authorization"] as const

/**
 * A location as the admin API accepts it: its secrets may come inline (`destination.password`) or in
 * a separate `credentials` object (which wins). Answers the location without secrets and the secrets.
 */
export function splitLocationSecrets(
  location: Record<string, any>,
  credentials?: Record<string, any> | null
): { location: FileLocation; secrets: FileLocationSecrets | null } {
  const clean: Record<string, any> = {}
  const secrets: Record<string, string> = {}
  for (const [k, v] of Object.entries(location ?? {})) {
    if ((SECRET_KEYS as readonly string[]).includes(k)) {
      if (typeof v === "string" && v) secrets[k] = v
    } else if (v !== undefined) clean[k] = v
  }
  for (const [k, v] of Object.entries(credentials ?? {})) if (typeof v === "string" && v) secrets[k] = v
  return { location: clean as FileLocation, secrets: Object.keys(secrets).length ? (secrets as FileLocationSecrets) : null }
}

/** A location for the admin API: never its secrets, only whether they are stored. */
export function presentLocation(location: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries((location as Record<string, unknown>) ?? {})) {
    if (!(SECRET_KEYS as readonly string[]).includes(k)) out[k] = v
  }
  return out
}

/** Opens a configuration's location with its sealed secrets (opened with the channel module's key). */
export async function openLocation(container: MedusaContainer, location: FileLocation, sealed: string | null | undefined): Promise<FileTransport> {
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const secrets = channels.openCredentials(sealed ?? null) as FileLocationSecrets
  return openFileTransport(location, secrets)
}

/** `Sales Export 1` → `sales-export-1`, for file names. */
export function slug(name: string): string {
  return (
    String(name ?? "")
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "export"
  )
}

/** `20261204T203512Z` (UTC), sortable in file listings. */
export function fileStamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")
}
