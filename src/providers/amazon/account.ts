import { credentialFingerprint } from "../shared/account-identity"

/**
 * An Amazon seller: the merchant token (`seller_id`) when set, otherwise the refresh token the
 * seller authorized. Amazon order ids are unique across a seller's marketplaces, so the marketplace
 * list is not part of the identity: two channels sharing a marketplace must not import it twice.
 */
export function amazonAccountIdentity(input: { settings: Record<string, any>; credentials: Record<string, any> }): string | null {
  const seller = typeof input.settings?.seller_id === "string" ? input.settings.seller_id.trim() : ""
  if (seller) return `seller:${seller}`
  const token = credentialFingerprint(input.credentials?.refresh_token)
  return token ? `token:${token}` : null
}
