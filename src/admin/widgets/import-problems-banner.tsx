import { defineWidgetConfig } from "@medusajs/admin-sdk"
import { ExclamationCircle } from "@medusajs/icons"
import { Container, Text } from "@medusajs/ui"
import { Link } from "react-router-dom"
import { useChannelOrderSummary } from "../hooks/channel-orders"

const PROBLEMS_PATH = "/marketplace?tab=problems"

/**
 * The red banner on the orders list: shown only while some marketplace order cannot be imported.
 * Zone widgets render after the list, so the banner sticks to the bottom of the viewport to stay
 * in sight (admins can also move it up with the dashboard's layout customization).
 */
const ImportProblemsBanner = () => {
  const { data } = useChannelOrderSummary()
  const count = data?.not_importable_count ?? 0
  if (!count) return null
  return (
    <div className="sticky bottom-2 z-[1]">
      <Container
        className="bg-ui-tag-red-bg border-ui-tag-red-border shadow-elevation-card-rest flex items-center gap-x-3 px-6 py-4"
        role="alert"
        data-testid="import-problems-banner"
      >
        <ExclamationCircle className="text-ui-tag-red-icon shrink-0" />
        <Text size="small" weight="plus" className="text-ui-tag-red-text">
          <Link to={PROBLEMS_PATH} className="underline underline-offset-2">
            {count} order{count === 1 ? "" : "s"} can not be imported, click here to fix them
          </Link>
        </Text>
      </Container>
    </div>
  )
}

export const config = defineWidgetConfig({
  zone: "order.list",
  id: "channel-orders:import-problems-banner",
})

export default ImportProblemsBanner
