import type { IChannelProvider } from "./types/provider"

/**
 * The marketplace account a channel stands for. Channel orders are unique per account: deleting a
 * channel and creating it again, or connecting one seller twice, finds the orders already imported
 * instead of importing them a second time. A provider that cannot tell who the seller is (or a
 * sandbox) gets an account of its own per channel.
 */
export function channelAccountKey(
  channel: { id: string; provider: string },
  provider: Pick<IChannelProvider, "accountIdentity"> | null,
  input: { settings: Record<string, any>; credentials: Record<string, any> }
): string {
  let identity: string | null = null
  try {
    identity = provider?.accountIdentity?.(input) ?? null
  } catch {
    // A provider that throws on incomplete settings has no identity yet; validation reports those.
    identity = null
  }
  return identity ? `${channel.provider}:${identity}` : `channel:${channel.id}`
}
