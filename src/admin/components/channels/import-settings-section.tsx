import { ArrowDownMini, ArrowUpMini } from "@medusajs/icons"
import { Button, Checkbox, Container, IconButton, Input, Label, Text, toast } from "@medusajs/ui"
import { useEffect, useState, type FormEvent } from "react"
import { useUpdateChannel } from "../../hooks/channels"
import { useRegions, useSalesChannels, useStockLocations } from "../../hooks/store"
import {
  COMMON_SETTING_HINTS as H,
  EMAIL_POLICY_OPTIONS,
  PAYMENT_STATUS_OPTIONS,
  TAX_MODE_OPTIONS,
  SETTING_DEFAULTS,
  SHIPPED_WHEN_OPTIONS,
  SKU_MATCHERS,
} from "../../lib/channel-config"
import { errorMessage } from "../../lib/errors"
import { ACTION_OPTIONS, actionLabel } from "../../lib/format"
import type { Channel, ChannelSettings } from "../../types"
import { KeyValueRow, SectionHeader } from "../common"
import { Field, SelectField, SwitchField } from "../field"
import { FormDrawer } from "../form-drawer"

type Matcher = "mapping" | "sku" | "barcode"

function withDefaults(s: ChannelSettings) {
  return {
    sales_channel_id: (s.sales_channel_id as string | null) ?? null,
    region_id: (s.region_id as string | null) ?? null,
    stock_location_id: (s.stock_location_id as string | null) ?? null,
    pull_interval_minutes: s.pull_interval_minutes ?? SETTING_DEFAULTS.pull_interval_minutes,
    lookback_hours: s.lookback_hours ?? SETTING_DEFAULTS.lookback_hours,
    overlap_minutes: s.overlap_minutes ?? SETTING_DEFAULTS.overlap_minutes,
    import_unavailable_products: s.import_unavailable_products ?? SETTING_DEFAULTS.import_unavailable_products,
    payment_status: s.payment_status ?? SETTING_DEFAULTS.payment_status,
    tax_mode: s.tax_mode ?? SETTING_DEFAULTS.tax_mode,
    email_policy: s.email_policy ?? SETTING_DEFAULTS.email_policy,
    marketplace_fulfilled_action: s.marketplace_fulfilled_action ?? SETTING_DEFAULTS.marketplace_fulfilled_action,
    sku_matching: (s.sku_matching ?? [...SETTING_DEFAULTS.sku_matching]) as Matcher[],
    duplicate_protection: s.duplicate_protection ?? SETTING_DEFAULTS.duplicate_protection,
    duplicate_window_hours: s.duplicate_window_hours ?? SETTING_DEFAULTS.duplicate_window_hours,
    shipped_when: s.shipped_when ?? SETTING_DEFAULTS.shipped_when,
  }
}
type Form = ReturnType<typeof withDefaults>

const labelOf = (opts: readonly { value: string; label: string }[], v: string) => opts.find((o) => o.value === v)?.label ?? v

/** The channel's common import settings, shown as facts with hints and edited in a drawer. */
export function ImportSettingsSection({ channel, onEdit }: { channel: Channel; onEdit: () => void }) {
  const s = withDefaults(channel.settings)
  const sc = useSalesChannels()
  const regions = useRegions()
  const locations = useStockLocations()
  const nameIn = (list: { id: string; name: string }[] | undefined, id: string | null) =>
    id ? list?.find((x) => x.id === id)?.name ?? id : <span className="text-ui-fg-error">Not set</span>

  return (
    <Container className="divide-y p-0" role="region" aria-labelledby="import-settings-heading">
      <SectionHeader
        id="import-settings-heading"
        title="Import settings"
        description="Where imported orders go and how they are created."
        actions={
          <Button size="small" variant="secondary" onClick={onEdit}>
            Edit
          </Button>
        }
      />
      <KeyValueRow label="Sales channel" value={nameIn(sc.data?.sales_channels, s.sales_channel_id)} />
      <KeyValueRow label="Region" value={nameIn(regions.data?.regions, s.region_id)} />
      <KeyValueRow label="Stock location" value={nameIn(locations.data?.stock_locations, s.stock_location_id)} />
      <KeyValueRow label="Check for orders every" value={`${s.pull_interval_minutes} min`} />
      <KeyValueRow label="First import looks back" value={`${s.lookback_hours} h`} />
      <KeyValueRow label="Overlap" value={`${s.overlap_minutes} min`} />
      <KeyValueRow label="Payment" value={labelOf(PAYMENT_STATUS_OPTIONS, s.payment_status)} />
      <KeyValueRow label="Taxes" value={labelOf(TAX_MODE_OPTIONS, s.tax_mode)} />
      <KeyValueRow label="Customer emails" value={labelOf(EMAIL_POLICY_OPTIONS, s.email_policy)} />
      <KeyValueRow label="Unknown products" value={s.import_unavailable_products ? "Import and hold" : "Do not import"} />
      <KeyValueRow label="Match products by" value={s.sku_matching.map((m) => labelOf(SKU_MATCHERS, m)).join(", then ")} />
      <KeyValueRow label="Shipped by the marketplace" value={actionLabel(s.marketplace_fulfilled_action)} />
      <KeyValueRow
        label="Duplicate protection"
        value={s.duplicate_protection ? `On, ${s.duplicate_window_hours} h` : "Off"}
      />
      <KeyValueRow label="Report shipped when" value={labelOf(SHIPPED_WHEN_OPTIONS, s.shipped_when)} />
    </Container>
  )
}

export function ImportSettingsDrawer({ channel, open, onOpenChange }: { channel: Channel; open: boolean; onOpenChange: (o: boolean) => void }) {
  const [form, setForm] = useState<Form>(() => withDefaults(channel.settings))
  const update = useUpdateChannel(channel.id)
  const sc = useSalesChannels()
  const regions = useRegions()
  const locations = useStockLocations()

  useEffect(() => {
    if (open) setForm(withDefaults(channel.settings))
  }, [open]) // eslint-disable-line react-hooks/exhaustive-deps

  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }))

  const submit = (e: FormEvent) => {
    e.preventDefault()
    update.mutate(
      { settings: form },
      {
        onSuccess: () => {
          toast.success("Import settings saved")
          onOpenChange(false)
        },
        onError: (err) => toast.error("Could not save the import settings", { description: errorMessage(err) }),
      }
    )
  }

  const num = (k: "pull_interval_minutes" | "lookback_hours" | "overlap_minutes" | "duplicate_window_hours", label: string, hint: string, unit: string) => (
    <Field label={`${label} (${unit})`} hint={hint}>
      {({ id, hintId }) => (
        <Input
          id={id}
          size="small"
          type="number"
          min={0}
          aria-describedby={hintId}
          value={String(form[k])}
          onChange={(e) => set(k, Number(e.target.value))}
        />
      )}
    </Field>
  )

  const matchers = form.sku_matching
  const move = (i: number, d: -1 | 1) => {
    const next = [...matchers]
    const j = i + d
    if (j < 0 || j >= next.length) return
    ;[next[i], next[j]] = [next[j], next[i]]
    set("sku_matching", next)
  }

  return (
    <FormDrawer
      open={open}
      onOpenChange={onOpenChange}
      title="Import settings"
      description="Where imported orders go and how they are created"
      onSubmit={submit}
      submitting={update.isPending}
      bodyClassName="gap-y-6"
    >
      <section className="flex flex-col gap-y-4" aria-label="Destination">
        <Text size="small" weight="plus">
          Destination
        </Text>
        <SelectField
          label="Sales channel"
          hint={H.sales_channel_id}
          value={form.sales_channel_id}
          onChange={(v) => set("sales_channel_id", v)}
          options={(sc.data?.sales_channels ?? []).map((x) => ({ value: x.id, label: x.name }))}
          allowNone
          noneLabel="Not set"
        />
        <SelectField
          label="Region"
          hint={H.region_id}
          value={form.region_id}
          onChange={(v) => set("region_id", v)}
          options={(regions.data?.regions ?? []).map((x) => ({ value: x.id, label: `${x.name} (${x.currency_code.toUpperCase()})` }))}
          allowNone
          noneLabel="Not set"
        />
        <SelectField
          label="Stock location"
          hint={H.stock_location_id}
          value={form.stock_location_id}
          onChange={(v) => set("stock_location_id", v)}
          options={(locations.data?.stock_locations ?? []).map((x) => ({ value: x.id, label: x.name }))}
          allowNone
          noneLabel="Not set"
        />
      </section>
      <section className="flex flex-col gap-y-4" aria-label="Schedule">
        <Text size="small" weight="plus">
          Schedule
        </Text>
        {num("pull_interval_minutes", "Check for orders every", H.pull_interval_minutes, "minutes")}
        {num("lookback_hours", "First import looks back", H.lookback_hours, "hours")}
        {num("overlap_minutes", "Overlap", H.overlap_minutes, "minutes")}
      </section>
      <section className="flex flex-col gap-y-4" aria-label="Orders">
        <Text size="small" weight="plus">
          Orders
        </Text>
        <SelectField
          label="Payment"
          hint={H.payment_status}
          value={form.payment_status}
          onChange={(v) => set("payment_status", (v ?? "captured") as Form["payment_status"])}
          options={[...PAYMENT_STATUS_OPTIONS]}
        />
        <SelectField
          label="Taxes"
          hint={H.tax_mode}
          value={form.tax_mode}
          onChange={(v) => set("tax_mode", (v ?? "marketplace") as Form["tax_mode"])}
          options={[...TAX_MODE_OPTIONS]}
        />
        <SelectField
          label="Customer emails"
          hint={H.email_policy}
          value={form.email_policy}
          onChange={(v) => set("email_policy", (v ?? "keep") as Form["email_policy"])}
          options={[...EMAIL_POLICY_OPTIONS]}
        />
        <SelectField
          label="Orders shipped by the marketplace"
          hint={H.marketplace_fulfilled_action}
          value={form.marketplace_fulfilled_action}
          onChange={(v) => set("marketplace_fulfilled_action", (v ?? "import_as_history") as Form["marketplace_fulfilled_action"])}
          options={ACTION_OPTIONS.map((a) => ({ value: a.value, label: a.label }))}
        />
        <SwitchField
          label="Import orders with unknown products"
          hint={H.import_unavailable_products}
          checked={form.import_unavailable_products}
          onCheckedChange={(v) => set("import_unavailable_products", v)}
        />
        <SwitchField
          label="Duplicate protection"
          hint={H.duplicate_protection}
          checked={form.duplicate_protection}
          onCheckedChange={(v) => set("duplicate_protection", v)}
        />
        {form.duplicate_protection ? num("duplicate_window_hours", "Duplicate window", H.duplicate_window_hours, "hours") : null}
        <SelectField
          label="Report an order as shipped when"
          hint={H.shipped_when}
          value={form.shipped_when}
          onChange={(v) => set("shipped_when", (v ?? "shipment_created") as Form["shipped_when"])}
          options={[...SHIPPED_WHEN_OPTIONS]}
        />
      </section>
      <fieldset className="flex flex-col gap-y-2">
        <legend>
          <Text size="small" weight="plus">
            Match products by
          </Text>
        </legend>
        <Text size="xsmall" className="text-ui-fg-subtle">
          {H.sku_matching}
        </Text>
        {[...matchers, ...SKU_MATCHERS.map((m) => m.value).filter((m) => !matchers.includes(m))].map((value) => {
          const m = SKU_MATCHERS.find((x) => x.value === value)!
          const i = matchers.indexOf(value)
          const on = i >= 0
          const id = `matcher-${value}`
          return (
            <div key={value} className="flex items-center justify-between gap-x-2">
              <div className="flex items-center gap-x-2">
                <Checkbox
                  id={id}
                  checked={on}
                  disabled={on && matchers.length === 1}
                  onCheckedChange={(c) =>
                    set("sku_matching", c ? [...matchers, value] : matchers.filter((x) => x !== value))
                  }
                />
                <Label htmlFor={id} size="small">
                  {on ? `${i + 1}. ` : ""}
                  {m.label}
                </Label>
              </div>
              {on ? (
                <div className="flex gap-x-1">
                  <IconButton type="button" size="small" variant="transparent" aria-label={`Try ${m.label} earlier`} disabled={i === 0} onClick={() => move(i, -1)}>
                    <ArrowUpMini />
                  </IconButton>
                  <IconButton
                    type="button"
                    size="small"
                    variant="transparent"
                    aria-label={`Try ${m.label} later`}
                    disabled={i === matchers.length - 1}
                    onClick={() => move(i, 1)}
                  >
                    <ArrowDownMini />
                  </IconButton>
                </div>
              ) : null}
            </div>
          )
        })}
      </fieldset>
    </FormDrawer>
  )
}
