import { defineWidgetConfig } from "@medusajs/admin-sdk"
import { BuildingStorefront } from "@medusajs/icons"
import { Container, Text } from "@medusajs/ui"
import { Link } from "react-router-dom"
import { useChannelOrderSummary } from "../hooks/channel-orders"
import { useDeskSummary } from "../hooks/marketplace"

/** Above the orders list: "N on hold · M with problems · K waiting", each a link to its Marketplace tab. */
const MarketplaceCounts = () => {
  const desk = useDeskSummary()
  const problems = useChannelOrderSummary()
  if (!desk.data) return null
  const onHold = desk.data.on_hold_count
  const failing = problems.data?.not_importable_count ?? 0
  const waiting = desk.data.states.waiting ?? 0
  const link = "text-ui-fg-interactive hover:underline underline-offset-2"
  return (
    <Container className="flex items-center gap-x-3 px-6 py-3" data-testid="marketplace-counts">
      <BuildingStorefront className="text-ui-fg-subtle shrink-0" />
      <Text size="small" className="text-ui-fg-subtle">
        Marketplace:{" "}
        <Link to="/marketplace?tab=on_hold" className={link}>
          {onHold} on hold
        </Link>
        {" · "}
        <Link to="/marketplace?tab=problems" className={link}>
          {failing} with problems
        </Link>
        {" · "}
        <Link to="/marketplace?tab=waiting" className={link}>
          {waiting} waiting
        </Link>
      </Text>
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "order.list.before",
  id: "channel-orders:marketplace-counts",
})

export default MarketplaceCounts
