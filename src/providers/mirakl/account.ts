import { credentialFingerprint, hostOf } from "../shared/account-identity"

/**
 * A Mirakl shop on one operator: order ids are unique per operator instance, so the identity is the
 * operator's host plus the shop id (or, without one, the shop's API key, which belongs to one shop).
 */
export function miraklAccountIdentity(input: { settings: Record<string, any>; credentials: Record<string, any> }): string | null {
  const host = hostOf(input.settings?.base_url)
  if (!host) return null
  const shop = input.settings?.shop_id
  if (shop !== undefined && shop !== null && shop !== "") return `${host}:shop:${String(shop).trim()}`
  const key = credentialFingerprint(input.credentials?.api_key)
  return key ? `${host}:key:${key}` : null
}
