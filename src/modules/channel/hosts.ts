/**
 * Where a channel's credentials may be sent (issue 17, item 2). The URL settings that receive
 * credentials (`base_url`, `auth_url`) are admin input, so they are checked against the hosts the
 * provider's marketplace publishes (`IChannelProvider.credential_hosts`), when a channel is saved
 * and again each time its credentials are used.
 *
 * - Published hosts: `https` only, always.
 * - The plugin option `allowed_hosts` widens a provider's list (`{ mirakl: ["mirakl.acme.internal"] }`,
 *   or `"*"` for every provider). Outside production (NODE_ENV other than `production`) those extra
 *   hosts may also be reached over plain `http`: the test simulators and the dev store's
 *   `medusa-config.ts` allow `localhost` and `127.0.0.1` that way. In production only `https` is accepted.
 * - A provider that declares no hosts (a store's own marketplace) accepts any `https` host.
 */

/** The settings that hold a URL credentials are sent to. */
export const CREDENTIAL_URL_SETTINGS = ["base_url", "auth_url"] as const

export type AllowedHostsOption = Record<string, readonly string[] | string | undefined>

export type HostPolicy = {
  /** The provider id the channel uses (the key in `allowed_hosts`). */
  provider_id: string
  /** The provider's published hosts; undefined when it declares none. */
  published?: readonly string[]
  /** The plugin option `allowed_hosts`. */
  allowed_hosts?: AllowedHostsOption
  /** Defaults to NODE_ENV === "production". */
  production?: boolean
}

export function isProduction(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV === "production"
}

/** `*.mirakl.net` matches any subdomain of mirakl.net; anything else matches the host exactly (case-insensitive, port ignored). */
export function hostMatches(host: string, pattern: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, "")
  const p = pattern.trim().toLowerCase().replace(/\.$/, "")
  if (!p) return false
  if (p.startsWith("*.")) return h.endsWith(p.slice(1)) && h.length > p.length - 1
  return h === p
}

function listOf(v: readonly string[] | string | undefined): string[] {
  if (!v) return []
  return (typeof v === "string" ? v.split(",") : [...v]).map((s) => s.trim()).filter(Boolean)
}

/** The extra hosts the `allowed_hosts` option grants a provider. */
export function extraHostsFor(providerId: string, option: AllowedHostsOption | undefined): string[] {
  if (!option) return []
  return [...listOf(option["*"]), ...listOf(option[providerId])]
}

/** Why this URL may not receive the channel's credentials, or null when it may. */
export function credentialUrlProblem(setting: string, value: unknown, policy: HostPolicy): string | null {
  if (value === undefined || value === null || value === "") return null
  if (typeof value !== "string") return `settings.${setting} must be a URL`
  let url: URL
  try {
    url = new URL(value.trim())
  } catch {
    return `settings.${setting} is not a URL`
  }
  const production = policy.production ?? isProduction()
  const extra = extraHostsFor(policy.provider_id, policy.allowed_hosts)
  const host = url.hostname.replace(/^\[|\]$/g, "")
  const published = policy.published ? policy.published.some((p) => hostMatches(host, p)) : false
  const widened = extra.some((p) => hostMatches(host, p))
  if (url.username || url.password) return `settings.${setting} must not carry a user name or password`
  if (url.protocol === "http:") {
    if (production || !widened) {
      return `settings.${setting} must use https (plain http is accepted only for hosts added with the allowed_hosts option, outside production)`
    }
    return null
  }
  if (url.protocol !== "https:") return `settings.${setting} must be an https URL`
  if (!policy.published || published || widened) return null
  return (
    `settings.${setting}: ${host} is not a published ${policy.provider_id} host (${policy.published.join(", ")}); ` +
    `the channel's credentials are only sent there. A store can allow more hosts with the plugin option allowed_hosts`
  )
}

/** Every problem of a channel's credential URL settings, in setting order. */
export function credentialUrlProblems(settings: Record<string, unknown> | null | undefined, policy: HostPolicy): string[] {
  const out: string[] = []
  for (const key of CREDENTIAL_URL_SETTINGS) {
    const problem = credentialUrlProblem(key, settings?.[key], policy)
    if (problem) out.push(problem)
  }
  return out
}

const normalizeUrl = (v: unknown) => (typeof v === "string" ? v.trim().replace(/\/+$/, "").toLowerCase() || null : v ?? null)

/** The credential URL settings an update changes (their credentials must then be entered again). */
export function changedCredentialUrls(before: Record<string, unknown> | null | undefined, after: Record<string, unknown> | null | undefined): string[] {
  return CREDENTIAL_URL_SETTINGS.filter((k) => normalizeUrl(before?.[k]) !== normalizeUrl(after?.[k]))
}
