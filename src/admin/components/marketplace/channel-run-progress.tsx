import { Container } from "@medusajs/ui"
import { useChannelRuns } from "../../hooks/channels"
import { RunProgress } from "./run-progress"

/** On the channel page: the progress of the channel's running import, if one runs (the runs list polls while it does). */
export function ChannelRunProgress({ channelId }: { channelId: string }) {
  const { data } = useChannelRuns(channelId, { limit: 10, offset: 0 })
  const running = data?.runs?.find((r) => r.status === "running")
  if (!running) return null
  return (
    <Container className="px-6 py-4">
      <RunProgress run={running} label={running.trigger === "schedule" ? "Scheduled import running" : "Import running"} />
    </Container>
  )
}
