import { defineWidgetConfig } from "@medusajs/admin-sdk"
import { ExclamationCircleSolid } from "@medusajs/icons"
import { Tooltip } from "@medusajs/ui"
import { Link } from "react-router-dom"
import { useChannelOrderSummary } from "../hooks/channel-orders"

/** A red marker in the top bar, on every page, while some marketplace order cannot be imported. */
const ImportProblemsTopbar = () => {
  const { data } = useChannelOrderSummary()
  const count = data?.not_importable_count ?? 0
  if (!count) return null
  const label = `${count} order${count === 1 ? "" : "s"} can not be imported`
  return (
    <Tooltip content={`${label}, click to fix`}>
      <Link
        to="/marketplace?tab=problems"
        aria-label={`${label}, open import problems`}
        className="bg-ui-tag-red-bg text-ui-tag-red-text border-ui-tag-red-border txt-compact-xsmall-plus flex items-center gap-x-1 rounded-md border px-2 py-0.5"
        data-testid="import-problems-topbar"
      >
        <ExclamationCircleSolid className="text-ui-tag-red-icon" />
        {count}
      </Link>
    </Tooltip>
  )
}

export const config = defineWidgetConfig({
  zone: "topbar",
  id: "channel-orders:import-problems-topbar",
})

export default ImportProblemsTopbar
