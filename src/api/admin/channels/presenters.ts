/** What the admin API shows of a channel: everything but its credentials, which are only ever "set" or not. */
export function presentChannel(channel: Record<string, any>) {
  const { credentials_encrypted, deleted_at, ...rest } = channel
  return { ...rest, has_credentials: Boolean(credentials_encrypted) }
}
