import { defineRouteConfig } from "@medusajs/admin-sdk"
import { BuildingStorefront } from "@medusajs/icons"
import { Container, Heading, Tabs, Text } from "@medusajs/ui"
import { useMemo } from "react"
import { useSearchParams } from "react-router-dom"
import { FeedbackTab } from "../../components/marketplace/feedback-tab"
import { HealthTab } from "../../components/marketplace/health-tab"
import { OrdersTab } from "../../components/marketplace/orders-tab"
import { ImportProblemsPanel } from "../../components/marketplace/problems-panel"
import { RunProgress } from "../../components/marketplace/run-progress"
import { useChannelOrderSummary } from "../../hooks/channel-orders"
import { useChannels } from "../../hooks/channels"
import { useDeskSummary } from "../../hooks/marketplace"

const DESK_TABS = ["all", "on_hold", "problems", "waiting", "feedback", "health"] as const
type Tab = (typeof DESK_TABS)[number]

/**
 * The marketplace desk (issue 20): the daily work on imported marketplace orders — all of them,
 * those on hold (by reason), the import problems, those waiting for a status, and the feedback sent
 * back to the marketplaces. Filters live in the address, so links open a filtered tab.
 */
const MarketplacePage = () => {
  const [params, setParams] = useSearchParams()
  const tab = (DESK_TABS.includes(params.get("tab") as Tab) ? params.get("tab") : "all") as Tab
  const summary = useDeskSummary()
  const problems = useChannelOrderSummary({ refetchInterval: 15_000 })
  const channelsQuery = useChannels({ limit: 200 })
  const channels = useMemo(() => channelsQuery.data?.channels ?? [], [channelsQuery.data])
  const nameOf = (id?: string) => channels.find((c) => c.id === id)?.name ?? id ?? "Channel"

  const s = summary.data
  const total = Object.values(s?.states ?? {}).reduce((a, b) => a + b, 0)
  const feedbackOpen = (s?.feedback.failed ?? 0) + (s?.feedback.retrying ?? 0)

  const setTab = (v: string) =>
    // A tab starts unfiltered; links that want a filter put it in the address themselves.
    setParams(new URLSearchParams({ tab: v }))

  return (
    <div className="flex flex-col gap-y-3">
      <Container className="divide-y p-0">
        <div className="flex flex-col gap-y-1 px-6 py-4">
          <Heading level="h1">Marketplace</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            Orders imported from your marketplaces: holds to release, tags, import problems, orders waiting for a status, and
            shipment feedback.
          </Text>
        </div>
        {(s?.running_runs ?? []).length ? (
          <div className="flex flex-col gap-y-4 px-6 py-4" data-testid="desk-running-runs">
            {s!.running_runs.map((r) => (
              <RunProgress key={r.id} run={r} label={`${nameOf(r.channel_id)}: import running`} />
            ))}
          </div>
        ) : null}
        <div className="px-6 py-3">
          <Tabs value={tab} onValueChange={setTab}>
            <Tabs.List aria-label="Marketplace views">
              <Tabs.Trigger value="all">All imported ({total})</Tabs.Trigger>
              <Tabs.Trigger value="on_hold">On hold ({s?.on_hold_count ?? 0})</Tabs.Trigger>
              <Tabs.Trigger value="problems">Problems ({problems.data?.not_importable_count ?? 0})</Tabs.Trigger>
              <Tabs.Trigger value="waiting">Waiting ({s?.states.waiting ?? 0})</Tabs.Trigger>
              <Tabs.Trigger value="feedback">Feedback ({feedbackOpen})</Tabs.Trigger>
              <Tabs.Trigger value="health">Import health</Tabs.Trigger>
            </Tabs.List>
          </Tabs>
        </div>
        {tab === "all" ? <OrdersTab key="all" preset={{}} channels={channels} summary={s} emptyTitle="No marketplace orders" /> : null}
        {tab === "on_hold" ? (
          <OrdersTab key="on_hold" preset={{ on_hold: true }} channels={channels} summary={s} groupByReason emptyTitle="No order on hold" />
        ) : null}
        {tab === "problems" ? <ImportProblemsPanel /> : null}
        {tab === "waiting" ? <OrdersTab key="waiting" preset={{ state: ["waiting"] }} channels={channels} summary={s} emptyTitle="No waiting orders" /> : null}
        {tab === "feedback" ? <FeedbackTab channels={channels} summary={s} /> : null}
        {tab === "health" ? <HealthTab channels={channels} /> : null}
      </Container>
    </div>
  )
}

export const config = defineRouteConfig({
  label: "Marketplace",
  icon: BuildingStorefront,
})

export const handle = {
  breadcrumb: () => "Marketplace",
}

export default MarketplacePage
