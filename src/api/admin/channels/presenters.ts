/**
 * What the admin API shows of a channel: everything but its credentials, which are only ever "set"
 * or not. With the channel module at hand, `credentials_status` also says whether the stored
 * credentials can still be decrypted (`unreadable`: the encryption key changed, enter them again).
 */
export function presentChannel(
  channel: Record<string, any>,
  channels?: { credentialsStatus(channel: { credentials_encrypted?: string | null }): "missing" | "set" | "unreadable" }
) {
  const { credentials_encrypted, deleted_at, ...rest } = channel
  const credentials_status = channels ? channels.credentialsStatus({ credentials_encrypted }) : credentials_encrypted ? "set" : "missing"
  return { ...rest, has_credentials: Boolean(credentials_encrypted), credentials_status }
}
