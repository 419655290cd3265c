import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { XMarkMini } from "@medusajs/icons"
import { Badge, Button, Container, Copy, IconButton, Input, Skeleton, StatusBadge, Text, toast } from "@medusajs/ui"
import { useState, type FormEvent } from "react"
import { Link } from "react-router-dom"
import { KeyValueRow, SectionHeader } from "../components/common"
import { useAddOrderTags, useOrderChannel, useRemoveOrderTag } from "../hooks/order-channel"
import { errorMessage } from "../lib/errors"
import { actionLabel, formatDateTime, humanize, providerLabel } from "../lib/format"
import type { ChannelFeedback } from "../types"

const FEEDBACK_COLOR: Record<ChannelFeedback["state"], "green" | "blue" | "orange" | "red" | "grey"> = {
  confirmed: "green",
  sent: "green",
  pending: "orange",
  sending: "blue",
  failed: "red",
}

/** The order's marketplace side: where it came from, its status there, shipment feedback; and its tags. */
const OrderChannelPanel = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const { data, isLoading, isError, error } = useOrderChannel(order.id)

  if (isLoading) {
    return (
      <Container className="flex flex-col gap-y-3 px-6 py-4" role="status" aria-label="Loading the marketplace details">
        <Skeleton className="h-6 w-32" />
        <Skeleton className="h-4 w-full" />
        <Skeleton className="h-4 w-2/3" />
      </Container>
    )
  }
  if (isError || !data) {
    return (
      <Container className="px-6 py-4">
        <Text size="small" className="text-ui-fg-error">
          Marketplace details could not be loaded: {errorMessage(error)}
        </Text>
      </Container>
    )
  }

  const co = data.channel_order
  const latestFeedback = data.feedback.length ? data.feedback[data.feedback.length - 1] : null

  return (
    <Container className="divide-y p-0" role="region" aria-labelledby="order-channel-heading" data-testid="order-channel-panel">
      <SectionHeader
        id="order-channel-heading"
        title="Marketplace"
        actions={
          co && data.open_hold_count ? (
            <Badge size="2xsmall" color="orange">
              On hold
            </Badge>
          ) : undefined
        }
      />
      {co ? (
        <>
          <KeyValueRow
            label="Channel"
            value={
              data.channel ? (
                <Link to={`/settings/channels/${data.channel.id}`} className="text-ui-fg-interactive hover:text-ui-fg-interactive-hover text-sm">
                  {data.channel.name}
                </Link>
              ) : (
                "Deleted channel"
              )
            }
          />
          <KeyValueRow label="Marketplace" value={providerLabel(data.channel?.provider)} />
          <KeyValueRow
            label="Marketplace order"
            value={
              <div className="flex items-center gap-x-1">
                <Text size="small" leading="compact" className="font-mono break-all" data-testid="external-id">
                  {co.external_id}
                </Text>
                <Copy content={co.external_id} aria-label="Copy the marketplace order number" className="text-ui-fg-muted" />
              </div>
            }
          />
          <KeyValueRow label="Marketplace status" value={<span className="font-mono text-sm">{co.external_status ?? "–"}</span>} />
          <KeyValueRow label="Imported as" value={actionLabel(co.action)} />
          <KeyValueRow label="Imported" value={formatDateTime(co.imported_at)} />
          {data.invoice ? <KeyValueRow label="Invoice" value={data.invoice.display_number} /> : null}
          <KeyValueRow
            label="Shipment feedback"
            value={
              latestFeedback ? (
                <div className="flex flex-col items-start gap-y-1">
                  <StatusBadge color={FEEDBACK_COLOR[latestFeedback.state] ?? "grey"}>
                    {humanize(latestFeedback.kind)}: {latestFeedback.state}
                  </StatusBadge>
                  {latestFeedback.tracking_numbers?.length ? (
                    <Text size="xsmall" className="text-ui-fg-subtle">
                      Tracking {latestFeedback.tracking_numbers.join(", ")}
                    </Text>
                  ) : null}
                  {latestFeedback.error_message ? (
                    <Text size="xsmall" className="text-ui-fg-error">
                      {latestFeedback.error_message}
                    </Text>
                  ) : null}
                </div>
              ) : (
                <Text size="small" className="text-ui-fg-muted">
                  Nothing sent yet
                </Text>
              )
            }
          />
        </>
      ) : (
        <div className="px-6 py-3">
          <Text size="small" className="text-ui-fg-muted">
            This order was not imported from a marketplace.
          </Text>
        </div>
      )}
      <Tags orderId={order.id} tags={data.tags.map((t) => t.value)} />
    </Container>
  )
}

function Tags({ orderId, tags }: { orderId: string; tags: string[] }) {
  const [value, setValue] = useState("")
  const add = useAddOrderTags(orderId)
  const remove = useRemoveOrderTag(orderId)

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const list = value
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean)
    if (!list.length) return
    add.mutate(list, {
      onSuccess: () => {
        setValue("")
        toast.success(list.length === 1 ? `Tag “${list[0]}” added` : `${list.length} tags added`)
      },
      onError: (err) => toast.error("Could not add the tag", { description: errorMessage(err) }),
    })
  }

  return (
    <div className="flex flex-col gap-y-3 px-6 py-4" data-testid="order-tags">
      <Text size="small" weight="plus" id="order-tags-label">
        Tags
      </Text>
      {tags.length ? (
        <ul className="flex flex-wrap gap-1.5" aria-labelledby="order-tags-label">
          {tags.map((t) => (
            <li key={t}>
              <Badge size="small" className="gap-x-0.5 pr-0.5">
                {t}
                <IconButton
                  size="2xsmall"
                  variant="transparent"
                  aria-label={`Remove tag ${t}`}
                  disabled={remove.isPending && remove.variables === t}
                  onClick={() =>
                    remove.mutate(t, {
                      onSuccess: () => toast.success(`Tag “${t}” removed`),
                      onError: (err) => toast.error("Could not remove the tag", { description: errorMessage(err) }),
                    })
                  }
                >
                  <XMarkMini />
                </IconButton>
              </Badge>
            </li>
          ))}
        </ul>
      ) : (
        <Text size="small" className="text-ui-fg-muted">
          No tags
        </Text>
      )}
      <form onSubmit={submit} className="flex items-center gap-x-2">
        <Input
          size="small"
          aria-label="New tag"
          placeholder="Add a tag"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          maxLength={200}
        />
        <Button size="small" variant="secondary" type="submit" isLoading={add.isPending} disabled={!value.trim()}>
          Add
        </Button>
      </form>
    </div>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details.side",
  id: "channel-orders:order-marketplace",
})

export default OrderChannelPanel
