import { defineWidgetConfig } from "@medusajs/admin-sdk"
import { ExclamationCircle } from "@medusajs/icons"
import { Container, Text } from "@medusajs/ui"
import { Link } from "react-router-dom"
import { useChannelOrderSummary } from "../hooks/channel-orders"

/** The red banner on the orders list: shown only while some marketplace order cannot be imported. */
const ImportProblemsBanner = () => {
  const { data } = useChannelOrderSummary()
  const count = data?.not_importable_count ?? 0
  if (!count) return null
  return (
    <Container className="bg-ui-tag-red-bg border-ui-tag-red-border flex items-center gap-x-3 px-6 py-4" role="alert" data-testid="import-problems-banner">
      <ExclamationCircle className="text-ui-tag-red-icon" />
      <Text size="small" weight="plus" className="text-ui-tag-red-text">
        <Link to="/settings/channel-orders/problems" className="underline">
          {count} order{count === 1 ? "" : "s"} can not be imported, click here to fix them
        </Link>
      </Text>
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "order.list",
})

export default ImportProblemsBanner
