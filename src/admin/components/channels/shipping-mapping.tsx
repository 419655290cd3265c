import { Trash } from "@medusajs/icons"
import { Button, Container, IconButton, Input, Select, Text, toast } from "@medusajs/ui"
import { useEffect, useState, type FormEvent } from "react"
import { useUpdateChannel } from "../../hooks/channels"
import { useFulfillmentProviders, useShippingOptions } from "../../hooks/store"
import { COMMON_SETTING_HINTS } from "../../lib/channel-config"
import { errorMessage } from "../../lib/errors"
import type { Channel } from "../../types"
import { EmptyState, KeyValueRow, SectionHeader } from "../common"
import { SelectField } from "../field"
import { FormDrawer } from "../form-drawer"

type Pair = { key: string; value: string }

const toPairs = (m: Record<string, string> | undefined): Pair[] => Object.entries(m ?? {}).map(([key, value]) => ({ key, value }))
const fromPairs = (pairs: Pair[]): Record<string, string> =>
  Object.fromEntries(pairs.filter((p) => p.key.trim() && p.value.trim()).map((p) => [p.key.trim(), p.value.trim()]))

/* ------------------------------ shipping services ------------------------------ */

export function ShippingMappingSection({ channel, onEdit }: { channel: Channel; onEdit: () => void }) {
  const options = useShippingOptions()
  const nameOf = (id: string | null | undefined) =>
    id ? options.data?.shipping_options.find((o) => o.id === id)?.name ?? id : "None"
  const pairs = toPairs(channel.settings.shipping_mapping)
  return (
    <Container className="divide-y p-0" role="region" aria-labelledby="shipping-mapping-heading">
      <SectionHeader
        id="shipping-mapping-heading"
        title="Shipping services"
        description="Which shipping option each marketplace shipping service uses."
        actions={
          <Button size="small" variant="secondary" onClick={onEdit}>
            Edit
          </Button>
        }
      />
      {pairs.length === 0 ? (
        <EmptyState title="No shipping service mapped" description="Map the marketplace's services to your shipping options." />
      ) : (
        pairs.map((p) => <KeyValueRow key={p.key} label={<span className="font-mono">{p.key}</span>} value={nameOf(p.value)} />)
      )}
      <KeyValueRow label="Default option" hint="When a service is not mapped" value={nameOf(channel.settings.default_shipping_option_id)} />
    </Container>
  )
}

export function ShippingMappingDrawer({
  channel,
  open,
  onOpenChange,
  addService,
  onSaved,
}: {
  channel: Channel
  open: boolean
  onOpenChange: (open: boolean) => void
  /** A service to add a row for (from an order that failed on it). */
  addService?: string | null
  onSaved?: () => Promise<void> | void
}) {
  const options = useShippingOptions()
  const update = useUpdateChannel(channel.id)
  const [pairs, setPairs] = useState<Pair[]>([])
  const [fallback, setFallback] = useState<string | null>(null)
  const [finishing, setFinishing] = useState(false)

  useEffect(() => {
    if (!open) return
    const p = toPairs(channel.settings.shipping_mapping)
    if (addService && !p.some((x) => x.key === addService)) p.push({ key: addService, value: "" })
    if (!p.length) p.push({ key: "", value: "" })
    setPairs(p)
    setFallback((channel.settings.default_shipping_option_id as string | null) ?? null)
  }, [open]) // eslint-disable-line react-hooks/exhaustive-deps

  const opts = (options.data?.shipping_options ?? []).map((o) => ({ value: o.id, label: o.name }))

  const submit = (e: FormEvent) => {
    e.preventDefault()
    update.mutate(
      { settings: { shipping_mapping: fromPairs(pairs), default_shipping_option_id: fallback } },
      {
        onSuccess: async () => {
          toast.success("Shipping services saved")
          if (onSaved) {
            setFinishing(true)
            try {
              await onSaved()
            } finally {
              setFinishing(false)
            }
          }
          onOpenChange(false)
        },
        onError: (err) => toast.error("Could not save the shipping services", { description: errorMessage(err) }),
      }
    )
  }

  return (
    <FormDrawer
      open={open}
      onOpenChange={onOpenChange}
      title="Shipping services"
      description="Map marketplace shipping services to shipping options"
      onSubmit={submit}
      submitting={update.isPending || finishing}
      bodyClassName="gap-y-6"
    >
      <Text size="small" className="text-ui-fg-subtle">
        Orders are shipped with the option mapped to their marketplace shipping service (its code, or its name when
        there is no code).
      </Text>
      <div className="flex flex-col gap-y-3" role="group" aria-label="Service mappings">
        {pairs.map((p, i) => (
          <div key={i} className="grid grid-cols-[1fr_1fr_auto] items-center gap-x-2">
            <Input
              size="small"
              aria-label={`Marketplace shipping service ${i + 1}`}
              placeholder="Service code, e.g. express"
              value={p.key}
              onChange={(e) => setPairs((ps) => ps.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))}
            />
            <Select
              size="small"
              value={p.value || undefined}
              onValueChange={(v) => setPairs((ps) => ps.map((x, j) => (j === i ? { ...x, value: v } : x)))}
            >
              <Select.Trigger aria-label={`Shipping option for ${p.key || `service ${i + 1}`}`}>
                <Select.Value placeholder="Shipping option" />
              </Select.Trigger>
              <Select.Content>
                {opts.map((o) => (
                  <Select.Item key={o.value} value={o.value}>
                    {o.label}
                  </Select.Item>
                ))}
              </Select.Content>
            </Select>
            <IconButton
              type="button"
              size="small"
              variant="transparent"
              aria-label={`Remove mapping ${p.key || i + 1}`}
              onClick={() => setPairs((ps) => ps.filter((_, j) => j !== i))}
            >
              <Trash />
            </IconButton>
          </div>
        ))}
        <div>
          <Button type="button" size="small" variant="secondary" onClick={() => setPairs((ps) => [...ps, { key: "", value: "" }])}>
            Add service
          </Button>
        </div>
      </div>
      <SelectField
        label="Default shipping option"
        hint={COMMON_SETTING_HINTS.default_shipping_option_id}
        value={fallback}
        onChange={setFallback}
        options={opts}
        allowNone
      />
    </FormDrawer>
  )
}

/* ------------------------------ carriers ------------------------------ */

export function CarrierMappingSection({ channel, onEdit }: { channel: Channel; onEdit: () => void }) {
  const options = useShippingOptions()
  const nameOf = (id: string) => options.data?.shipping_options.find((o) => o.id === id)?.name ?? id
  const pairs = toPairs(channel.settings.carrier_mapping)
  return (
    <Container className="divide-y p-0" role="region" aria-labelledby="carrier-mapping-heading">
      <SectionHeader
        id="carrier-mapping-heading"
        title="Carriers"
        description="The carrier code the marketplace is told when an order ships."
        actions={
          <Button size="small" variant="secondary" onClick={onEdit}>
            Edit
          </Button>
        }
      />
      {pairs.length === 0 ? (
        <EmptyState title="No carrier mapped" description="Shipments are reported with the marketplace's default carrier." />
      ) : (
        pairs.map((p) => <KeyValueRow key={p.key} label={nameOf(p.key)} value={<span className="font-mono text-sm">{p.value}</span>} />)
      )}
    </Container>
  )
}

export function CarrierMappingDrawer({
  channel,
  open,
  onOpenChange,
}: {
  channel: Channel
  open: boolean
  onOpenChange: (open: boolean) => void
}) {
  const options = useShippingOptions()
  const providers = useFulfillmentProviders()
  const update = useUpdateChannel(channel.id)
  const [pairs, setPairs] = useState<Pair[]>([])

  useEffect(() => {
    if (!open) return
    const p = toPairs(channel.settings.carrier_mapping)
    setPairs(p.length ? p : [{ key: "", value: "" }])
  }, [open]) // eslint-disable-line react-hooks/exhaustive-deps

  const sources = [
    ...(options.data?.shipping_options ?? []).map((o) => ({ value: o.id, label: `Shipping option: ${o.name}` })),
    ...(providers.data?.fulfillment_providers ?? []).map((p) => ({ value: p.id, label: `Fulfillment provider: ${p.id}` })),
  ]

  const submit = (e: FormEvent) => {
    e.preventDefault()
    update.mutate(
      { settings: { carrier_mapping: fromPairs(pairs) } },
      {
        onSuccess: () => {
          toast.success("Carriers saved")
          onOpenChange(false)
        },
        onError: (err) => toast.error("Could not save the carriers", { description: errorMessage(err) }),
      }
    )
  }

  return (
    <FormDrawer
      open={open}
      onOpenChange={onOpenChange}
      title="Carriers"
      description="Map shipping options or fulfillment providers to marketplace carrier codes"
      onSubmit={submit}
      submitting={update.isPending}
    >
      <Text size="small" className="text-ui-fg-subtle">
        When a shipment is created, the marketplace is told the carrier mapped to its shipping option, or else to its
        fulfillment provider.
      </Text>
      {pairs.map((p, i) => (
        <div key={i} className="grid grid-cols-[1fr_160px_auto] items-center gap-x-2">
          <Select size="small" value={p.key || undefined} onValueChange={(v) => setPairs((ps) => ps.map((x, j) => (j === i ? { ...x, key: v } : x)))}>
            <Select.Trigger aria-label={`Shipping option or provider ${i + 1}`}>
              <Select.Value placeholder="Shipping option or provider" />
            </Select.Trigger>
            <Select.Content>
              {sources.map((s) => (
                <Select.Item key={s.value} value={s.value}>
                  {s.label}
                </Select.Item>
              ))}
            </Select.Content>
          </Select>
          <Input
            size="small"
            aria-label={`Carrier code ${i + 1}`}
            placeholder="Carrier code, e.g. UPS"
            value={p.value}
            onChange={(e) => setPairs((ps) => ps.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}
          />
          <IconButton
            type="button"
            size="small"
            variant="transparent"
            aria-label={`Remove carrier ${i + 1}`}
            onClick={() => setPairs((ps) => ps.filter((_, j) => j !== i))}
          >
            <Trash />
          </IconButton>
        </div>
      ))}
      <div>
        <Button type="button" size="small" variant="secondary" onClick={() => setPairs((ps) => [...ps, { key: "", value: "" }])}>
          Add carrier
        </Button>
      </div>
    </FormDrawer>
  )
}

