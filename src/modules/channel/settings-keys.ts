import { MedusaError } from "@medusajs/framework/utils"
import { ChannelSettingsSchema } from "./settings"
import type { IChannelProvider } from "./types/provider"

/** Settings every channel accepts, whatever its provider (the keys of `ChannelSettingsSchema`). */
export const CORE_SETTINGS_KEYS: readonly string[] = Object.freeze(Object.keys(ChannelSettingsSchema.shape))

type DeclaredKeys = Pick<IChannelProvider, "settings_keys" | "credential_keys">

/**
 * The keys of a channel create/update body that neither the common settings nor the provider
 * declare, as `settings.<key>` / `credentials.<key>`, sorted. A provider that declares no
 * `settings_keys` (or `credential_keys`) takes free-form keys of that kind: they are not checked.
 */
export function unknownChannelKeys(
  provider: DeclaredKeys | null | undefined,
  input: { settings?: Record<string, unknown> | null; credentials?: Record<string, unknown> | null }
): string[] {
  const out: string[] = []
  if (input.settings && provider?.settings_keys) {
    const known = new Set([...CORE_SETTINGS_KEYS, ...provider.settings_keys])
    for (const key of Object.keys(input.settings)) if (!known.has(key)) out.push(`settings.${key}`)
  }
  if (input.credentials && provider?.credential_keys) {
    const known = new Set(provider.credential_keys)
    for (const key of Object.keys(input.credentials)) if (!known.has(key)) out.push(`credentials.${key}`)
  }
  return out.sort()
}

/** Throws a 400 (`invalid_data`) naming every unknown key, with the closest known key where one is near. */
export function assertKnownChannelKeys(
  providerId: string,
  provider: DeclaredKeys | null | undefined,
  input: { settings?: Record<string, unknown> | null; credentials?: Record<string, unknown> | null }
): void {
  const unknown = unknownChannelKeys(provider, input)
  if (!unknown.length) return
  const described = unknown.map((path) => {
    const [kind, key] = [path.slice(0, path.indexOf(".")), path.slice(path.indexOf(".") + 1)]
    const known = kind === "settings" ? [...CORE_SETTINGS_KEYS, ...(provider?.settings_keys ?? [])] : [...(provider?.credential_keys ?? [])]
    const near = closest(key, known)
    return near ? `${path} (did you mean ${kind}.${near}?)` : path
  })
  const kinds = [...new Set(unknown.map((p) => p.slice(0, p.indexOf("."))))]
  throw new MedusaError(
    MedusaError.Types.INVALID_DATA,
    `Unknown ${kinds.join(" and ")} key${unknown.length > 1 ? "s" : ""} for a ${providerId} channel: ${described.join(", ")}`
  )
}

/** The known key within an edit distance of 2 (or a third of the key's length), if one is. */
function closest(key: string, known: readonly string[]): string | null {
  let best: string | null = null
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate)
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = tmp
    }
  }
  return row[b.length]
}
