import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"

export type ChannelApiKey = { id: string; prefix: string; created_at: string; last_used_at: string | null; revoked_at: string | null }
export type ChannelApiKeysResponse = { api_keys: ChannelApiKey[] }
export type CreatedChannelApiKey = { api_key: ChannelApiKey; token: string }

export const channelApiKeys = {
  list: (channelId: string) => ["channel-orders:channels", "api-keys", channelId] as const,
}

/** The channel's API keys; a 400 means the channel does not take pushed orders (not an `api` channel). */
export function useChannelApiKeys(channelId: string) {
  return useQuery({
    queryKey: channelApiKeys.list(channelId),
    queryFn: () => sdk.client.fetch<ChannelApiKeysResponse>(`/admin/channels/${channelId}/api-keys`),
    enabled: !!channelId,
    retry: false,
  })
}

export function useCreateChannelApiKey(channelId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: () => sdk.client.fetch<CreatedChannelApiKey>(`/admin/channels/${channelId}/api-keys`, { method: "POST", body: {} }),
    onSuccess: () => qc.invalidateQueries({ queryKey: channelApiKeys.list(channelId) }),
  })
}

export function useRevokeChannelApiKey(channelId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (keyId: string) =>
      sdk.client.fetch<{ api_key: ChannelApiKey }>(`/admin/channels/${channelId}/api-keys/${keyId}/revoke`, { method: "POST", body: {} }),
    onSuccess: () => qc.invalidateQueries({ queryKey: channelApiKeys.list(channelId) }),
  })
}
