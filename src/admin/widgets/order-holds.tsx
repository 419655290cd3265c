import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { ExclamationCircle } from "@medusajs/icons"
import { Badge, Button, Container, Hint, Label, Skeleton, Text, Textarea, toast } from "@medusajs/ui"
import { useEffect, useState, type FormEvent } from "react"
import { SectionHeader } from "../components/common"
import { useImportRules } from "../hooks/import-rules"
import { useOrderChannel, usePlaceHold, useReleaseHold } from "../hooks/order-channel"
import { useUsers } from "../hooks/store"
import { errorMessage } from "../lib/errors"
import { HOLD_REASONS, formatDateTime, formatRelative, holdReasonLabel } from "../lib/format"
import type { OrderHold } from "../types"
import { FormDrawer } from "../components/form-drawer"

/** Holds on the order: reason, detail, who and when; Release, and "Put on hold". */
const OrderHolds = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const { data, isLoading, isError, error } = useOrderChannel(order.id)
  const holds = data?.holds ?? []
  const rules = useImportRules()
  const users = useUsers(holds.flatMap((h) => [h.created_by ?? "", h.released_by ?? ""]).filter((x) => x.startsWith("user_")))
  const [placing, setPlacing] = useState(false)
  const [releasing, setReleasing] = useState<OrderHold | null>(null)
  const [showReleased, setShowReleased] = useState(false)

  const who = (actor: string | null, ruleId?: string | null) => {
    if (ruleId) {
      const rule = rules.data?.import_rules.find((r) => r.id === ruleId)
      return `Import rule${rule ? ` “${rule.name}”` : ""}`
    }
    if (!actor) return "The import"
    const u = users.data?.users.find((x) => x.id === actor)
    if (!u) return actor
    return [u.first_name, u.last_name].filter(Boolean).join(" ") || u.email
  }

  if (isLoading) {
    return (
      <Container className="flex flex-col gap-y-3 px-6 py-4" role="status" aria-label="Loading holds">
        <Skeleton className="h-6 w-24" />
        <Skeleton className="h-4 w-full" />
      </Container>
    )
  }
  if (isError) {
    return (
      <Container className="px-6 py-4">
        <Text size="small" className="text-ui-fg-error">
          Holds could not be loaded: {errorMessage(error)}
        </Text>
      </Container>
    )
  }

  const open = holds.filter((h) => !h.released_at)
  const released = holds.filter((h) => h.released_at)

  return (
    <Container className="divide-y p-0" role="region" aria-labelledby="order-holds-heading" data-testid="order-holds">
      <SectionHeader
        id="order-holds-heading"
        title="Holds"
        description={
          open.length
            ? undefined
            : "Hold an order to stop it from being fulfilled until someone has checked it."
        }
        actions={
          <Button size="small" variant="secondary" onClick={() => setPlacing(true)}>
            Put on hold
          </Button>
        }
      />
      {open.length ? (
        <div className="bg-ui-tag-orange-bg flex items-center gap-x-2 px-6 py-3" role="status">
          <ExclamationCircle className="text-ui-tag-orange-icon" />
          <Text size="small" weight="plus" className="text-ui-tag-orange-text">
            On hold: this order cannot be fulfilled until {open.length === 1 ? "the hold is" : `all ${open.length} holds are`} released.
          </Text>
        </div>
      ) : null}
      {open.map((h) => (
        <HoldRow key={h.id} hold={h} who={who} onRelease={() => setReleasing(h)} />
      ))}
      {!open.length ? (
        <div className="px-6 py-3">
          <Text size="small" className="text-ui-fg-muted">
            No open holds.
          </Text>
        </div>
      ) : null}
      {released.length ? (
        <div className="px-6 py-3">
          <Button size="small" variant="transparent" aria-expanded={showReleased} onClick={() => setShowReleased((v) => !v)}>
            {showReleased ? "Hide" : "Show"} released holds ({released.length})
          </Button>
        </div>
      ) : null}
      {showReleased ? released.map((h) => <HoldRow key={h.id} hold={h} who={who} />) : null}
      <PlaceHoldDrawer orderId={order.id} open={placing} onOpenChange={setPlacing} />
      <ReleaseHoldDrawer orderId={order.id} hold={releasing} onClose={() => setReleasing(null)} />
    </Container>
  )
}

function HoldRow({
  hold: h,
  who,
  onRelease,
}: {
  hold: OrderHold
  who: (actor: string | null, ruleId?: string | null) => string
  onRelease?: () => void
}) {
  return (
    <div className="flex items-start justify-between gap-x-4 px-6 py-4" data-testid="hold-row" data-reason={h.reason}>
      <div className="flex min-w-0 flex-col gap-y-1">
        <div className="flex items-center gap-x-2">
          <Text size="small" weight="plus" leading="compact">
            {holdReasonLabel(h.reason)}
          </Text>
          {h.released_at ? (
            <Badge size="2xsmall" color="grey">
              Released
            </Badge>
          ) : (
            <Badge size="2xsmall" color="orange">
              Open
            </Badge>
          )}
        </div>
        <Text size="small" className="text-ui-fg-subtle">
          {h.detail || HOLD_REASONS[h.reason]?.description || ""}
        </Text>
        <Text size="xsmall" className="text-ui-fg-muted">
          By {who(h.created_by, h.rule_id)} · <span title={formatDateTime(h.created_at)}>{formatRelative(h.created_at)}</span>
          {h.released_at ? (
            <>
              {" "}
              · released by {who(h.released_by)} <span title={formatDateTime(h.released_at)}>{formatRelative(h.released_at)}</span>
              {h.release_note ? `: “${h.release_note}”` : ""}
            </>
          ) : null}
        </Text>
      </div>
      {onRelease ? (
        <Button size="small" variant="secondary" onClick={onRelease} aria-label={`Release hold: ${holdReasonLabel(h.reason)}`}>
          Release
        </Button>
      ) : null}
    </div>
  )
}

function PlaceHoldDrawer({ orderId, open, onOpenChange }: { orderId: string; open: boolean; onOpenChange: (o: boolean) => void }) {
  const [detail, setDetail] = useState("")
  const place = usePlaceHold(orderId)
  useEffect(() => {
    if (open) setDetail("")
  }, [open])
  const submit = (e: FormEvent) => {
    e.preventDefault()
    place.mutate(detail.trim() ? { detail: detail.trim() } : {}, {
      onSuccess: () => {
        toast.success("Order put on hold")
        onOpenChange(false)
      },
      onError: (err) => toast.error("Could not put the order on hold", { description: errorMessage(err) }),
    })
  }
  return (
    <FormDrawer
      open={open}
      onOpenChange={onOpenChange}
      title="Put on hold"
      description="Stop the order from being fulfilled"
      onSubmit={submit}
      submitting={place.isPending}
      submitLabel="Put on hold"
      bodyClassName="gap-y-1.5"
    >
      <Label htmlFor="hold-detail" size="small" weight="plus">
        Why? (optional)
      </Label>
      <Textarea id="hold-detail" rows={3} value={detail} maxLength={500} onChange={(e) => setDetail(e.target.value)} />
      <Hint>The order cannot be fulfilled until the hold is released.</Hint>
    </FormDrawer>
  )
}

function ReleaseHoldDrawer({ orderId, hold, onClose }: { orderId: string; hold: OrderHold | null; onClose: () => void }) {
  const [note, setNote] = useState("")
  const release = useReleaseHold(orderId)
  useEffect(() => {
    if (hold) setNote("")
  }, [hold])
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!hold) return
    release.mutate(
      { holdId: hold.id, note: note.trim() || undefined },
      {
        onSuccess: () => {
          toast.success("Hold released")
          onClose()
        },
        onError: (err) => toast.error("Could not release the hold", { description: errorMessage(err) }),
      }
    )
  }
  return (
    <FormDrawer
      open={!!hold}
      onOpenChange={(o) => !o && onClose()}
      title="Release hold"
      description="Allow the order to be fulfilled again"
      onSubmit={submit}
      submitting={release.isPending}
      submitLabel="Release"
    >
      {hold ? (
        <div>
          <Text size="small" weight="plus">
            {holdReasonLabel(hold.reason)}
          </Text>
          <Text size="small" className="text-ui-fg-subtle">
            {hold.detail}
          </Text>
        </div>
      ) : null}
      <div className="flex flex-col gap-y-1.5">
        <Label htmlFor="release-note" size="small" weight="plus">
          Note (optional)
        </Label>
        <Textarea id="release-note" rows={3} value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
        <Hint>Kept with the hold, e.g. what you checked.</Hint>
      </div>
    </FormDrawer>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details",
  id: "channel-orders:order-holds",
})

export default OrderHolds
