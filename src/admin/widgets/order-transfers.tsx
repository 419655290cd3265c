import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { Container, StatusBadge, Text } from "@medusajs/ui"
import { SectionHeader } from "../components/common"
import { useOrderTransfers } from "../hooks/transfers"
import { formatDateTime, formatRelative } from "../lib/format"

const STATE = {
  exported: { color: "green", label: "Exported" },
  exporting: { color: "blue", label: "Exporting" },
  export_failed: { color: "red", label: "Export failed" },
} as const

/** The order's exports (when, which file, or why it failed) and the statuses imported for it from files. */
const OrderTransfers = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const { data } = useOrderTransfers(order.id)
  if (!data || (!data.exports.length && !data.timeline.length)) return null
  const imported = data.timeline.filter((e) => e.type === "status_imported").reverse()
  return (
    <Container className="divide-y p-0" data-testid="order-transfers">
      <SectionHeader title="Exports and status imports" level="h2" />
      {data.exports.map((x) => (
        <div key={x.order_export_id} className="flex flex-col gap-y-1 px-6 py-3">
          <div className="flex items-center justify-between gap-x-2">
            <Text size="small" weight="plus">
              {x.order_export_name ?? x.order_export_id}
            </Text>
            <StatusBadge color={STATE[x.state].color}>{STATE[x.state].label}</StatusBadge>
          </div>
          {x.state === "exported" ? (
            <Text size="xsmall" className="text-ui-fg-subtle break-all" title={formatDateTime(x.exported_at)}>
              {formatRelative(x.exported_at)} in {x.file}
            </Text>
          ) : null}
          {x.error ? (
            <Text size="xsmall" className="text-ui-fg-error">
              {x.error}
            </Text>
          ) : null}
        </div>
      ))}
      {imported.length ? (
        <ul className="flex flex-col gap-y-2 px-6 py-3">
          {imported.map((e) => (
            <li key={e.id}>
              <Text size="xsmall" className="text-ui-fg-muted">
                {formatDateTime(e.created_at)}
              </Text>
              <Text size="small">{e.message}</Text>
            </li>
          ))}
        </ul>
      ) : null}
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details.side",
  id: "channel-orders:order-transfers",
})

export default OrderTransfers
