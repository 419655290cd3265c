import { credentialFingerprint, hostOf } from "../shared/account-identity"

/**
 * An eBay seller: `seller_username` when set, otherwise the user's refresh token, on the API host
 * (production and sandbox are separate worlds). eBay order ids are unique across marketplaces.
 */
export function ebayAccountIdentity(input: { settings: Record<string, any>; credentials: Record<string, any> }): string | null {
  const host = hostOf(input.settings?.base_url) ?? "api.ebay.com"
  const user = typeof input.settings?.seller_username === "string" ? input.settings.seller_username.trim().toLowerCase() : ""
  if (user) return `${host}:user:${user}`
  const token = credentialFingerprint(input.credentials?.refresh_token)
  return token ? `${host}:token:${token}` : null
}
