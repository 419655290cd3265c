import { useQuery } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"

export type ChannelOrderSummary = {
  channels: Array<{ channel_id: string; name: string; provider: string; last_import_at: string | null; imported: number; not_imported: number; failed: number; waiting: number }>
  not_importable_count: number
  waiting_count: number
}

export const channelOrderKeys = {
  summary: ["channel-orders", "summary"] as const,
}

export function useChannelOrderSummary() {
  return useQuery({
    queryKey: channelOrderKeys.summary,
    queryFn: () => sdk.client.fetch<ChannelOrderSummary>("/admin/channel-orders/summary"),
    refetchInterval: 30_000,
  })
}
