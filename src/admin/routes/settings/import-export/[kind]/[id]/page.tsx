import { Badge, Button, Checkbox, Container, Heading, Input, Label, Select, Tabs, Text, Textarea, toast, usePrompt } from "@medusajs/ui"
import { useEffect, useState, type FormEvent, type ReactNode } from "react"
import { useNavigate, useParams } from "react-router-dom"
import { CardSkeleton, EnabledBadge, ErrorState } from "../../../../../components/common"
import { Field, SwitchField } from "../../../../../components/field"
import { FORMAT_OPTIONS } from "../../../../../components/transfers/create-transfer-drawer"
import { fromDraft, LocationFields, toDraft, typedSecrets, type LocationDraft } from "../../../../../components/transfers/location-fields"
import { TransferRunsSection } from "../../../../../components/transfers/transfer-runs-section"
import { useChannels } from "../../../../../hooks/channels"
import {
  useDeleteTransferConfiguration,
  useRunTransfer,
  useTransferConfiguration,
  useUpdateTransferConfiguration,
  type ExportConditions,
  type LocationSecrets,
  type OrderExport,
  type TransferBody,
  type TransferConfiguration,
  type TransferKind,
} from "../../../../../hooks/transfers"
import { errorMessage } from "../../../../../lib/errors"
import { formatDateTime, humanize } from "../../../../../lib/format"

const ORDER_STATUSES = ["pending", "completed", "canceled", "archived", "requires_action"]
const FULFILLMENT_STATUSES = ["not_fulfilled", "partially_fulfilled", "fulfilled", "partially_shipped", "shipped", "partially_delivered", "delivered", "canceled"]

/** An order export's or status import's page: tabs General, Actions, Scheduling, Conditions (as in the seed), Run, and its recent runs. */
const TransferConfigurationPage = () => {
  const { kind: rawKind = "", id = "" } = useParams()
  const kind = (rawKind === "status-imports" ? "status-imports" : "order-exports") as TransferKind
  const { data, isLoading, isError, error, refetch } = useTransferConfiguration(kind, id)
  const run = useRunTransfer(kind, id)
  const remove = useDeleteTransferConfiguration(kind, id)
  const prompt = usePrompt()
  const navigate = useNavigate()
  const [tab, setTab] = useState("general")

  if (isLoading) return <CardSkeleton rows={6} label="Loading the configuration" />
  if (isError || !data) {
    return (
      <Container className="p-0">
        <ErrorState error={error} onRetry={() => refetch()} />
      </Container>
    )
  }
  const isExport = kind === "order-exports"
  const onRun = () =>
    run.mutate(undefined, {
      onSuccess: ({ run: r }) => {
        const what = isExport ? `${r.exported} order(s) exported${r.file ? ` to ${r.file}` : ""}` : `${r.applied} row(s) applied, ${r.failed} failed`
        if (r.status === "failed") toast.error(`Run failed: ${r.error ?? what}`)
        else toast.success(`Run ${humanize(r.status).toLowerCase()}: ${what}`)
      },
      onError: (e) => toast.error(errorMessage(e)),
    })
  const onDelete = async () => {
    const ok = await prompt({ title: `Delete ${data.name}?`, description: "Its runs stay in the history; scheduled runs stop.", confirmText: "Delete", cancelText: "Cancel" })
    if (!ok) return
    remove.mutate(undefined, { onSuccess: () => navigate("/settings/import-export"), onError: (e) => toast.error(errorMessage(e)) })
  }

  return (
    <div className="flex flex-col gap-y-3">
      <Container className="flex items-start justify-between gap-x-4 px-6 py-4">
        <div>
          <div className="flex items-center gap-x-2">
            <Heading level="h1">{data.name}</Heading>
            <Badge size="2xsmall">{isExport ? "Order export" : "Status import"}</Badge>
            <EnabledBadge enabled={data.enabled} />
          </div>
          <Text size="small" className="text-ui-fg-subtle mt-1">
            {data.description || (isExport ? "Writes orders to its destination." : "Applies order statuses from its files.")}
          </Text>
        </div>
        <div className="flex items-center gap-x-2">
          <Button size="small" variant="secondary" onClick={onDelete} isLoading={remove.isPending}>
            Delete
          </Button>
          <Button size="small" onClick={onRun} isLoading={run.isPending}>
            Run
          </Button>
        </div>
      </Container>
      <Container className="p-0">
        <Tabs value={tab} onValueChange={setTab}>
          <div className="border-b px-6 py-3">
            <Tabs.List aria-label="Configuration">
              <Tabs.Trigger value="general">General</Tabs.Trigger>
              {isExport ? <Tabs.Trigger value="actions">Actions</Tabs.Trigger> : null}
              <Tabs.Trigger value="scheduling">Scheduling</Tabs.Trigger>
              {isExport ? <Tabs.Trigger value="conditions">Conditions</Tabs.Trigger> : null}
            </Tabs.List>
          </div>
          <Tabs.Content value="general">
            <GeneralTab kind={kind} config={data} />
          </Tabs.Content>
          {isExport ? (
            <Tabs.Content value="actions">
              <ActionsTab config={data as OrderExport} />
            </Tabs.Content>
          ) : null}
          <Tabs.Content value="scheduling">
            <SchedulingTab kind={kind} config={data} />
          </Tabs.Content>
          {isExport ? (
            <Tabs.Content value="conditions">
              <ConditionsTab config={data as OrderExport} />
            </Tabs.Content>
          ) : null}
        </Tabs>
      </Container>
      <TransferRunsSection kind={kind} id={id} polling={run.isPending} />
    </div>
  )
}

/** A tab's form: its fields and an Apply button that saves only them. */
function TabForm({ kind, id, build, children, disabled }: { kind: TransferKind; id: string; build: () => TransferBody | null; children: ReactNode; disabled?: boolean }) {
  const update = useUpdateTransferConfiguration(kind, id)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const body = build()
    if (!body) return
    update.mutate(body, { onSuccess: () => toast.success("Saved"), onError: (err) => toast.error(errorMessage(err)) })
  }
  return (
    <form onSubmit={submit} className="flex max-w-[640px] flex-col gap-y-4 px-6 py-4">
      {children}
      <div>
        <Button size="small" type="submit" isLoading={update.isPending} disabled={disabled}>
          Apply
        </Button>
      </div>
    </form>
  )
}

function GeneralTab({ kind, config }: { kind: TransferKind; config: TransferConfiguration }) {
  const isExport = kind === "order-exports"
  const stored = "destination" in config ? config.destination : (config as any).source
  const [name, setName] = useState(config.name)
  const [description, setDescription] = useState(config.description ?? "")
  const [format, setFormat] = useState<string>(config.format)
  const [location, setLocation] = useState<LocationDraft>(toDraft(stored))
  const [secrets, setSecrets] = useState<LocationSecrets>({})
  useEffect(() => {
    setName(config.name)
    setDescription(config.description ?? "")
    setFormat(config.format)
    setLocation(toDraft(stored))
    setSecrets({})
  }, [config.updated_at]) // eslint-disable-line react-hooks/exhaustive-deps
  const loc = fromDraft(location)
  return (
    <TabForm
      kind={kind}
      id={config.id}
      disabled={!name.trim() || !loc}
      build={() =>
        loc
          ? {
              name: name.trim(),
              description: description.trim() || null,
              format,
              [isExport ? "destination" : "source"]: loc,
              ...(typedSecrets(secrets) ? { credentials: typedSecrets(secrets) } : {}),
            }
          : null
      }
    >
      <Field label="Name">{({ id }) => <Input id={id} size="small" value={name} onChange={(e) => setName(e.target.value)} />}</Field>
      <Field label="Type">
        {({ id, labelId }) => (
          <Select size="small" value={format} onValueChange={setFormat}>
            <Select.Trigger id={id} aria-labelledby={labelId}>
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              {FORMAT_OPTIONS[kind].map((o) => (
                <Select.Item key={o.value} value={o.value}>
                  {o.label}
                </Select.Item>
              ))}
            </Select.Content>
          </Select>
        )}
      </Field>
      <Field label="Description">{({ id }) => <Textarea id={id} value={description} onChange={(e) => setDescription(e.target.value)} />}</Field>
      <LocationFields value={location} onChange={setLocation} secrets={secrets} onSecretsChange={setSecrets} allowUrl={!isExport} hasStoredSecrets={config.has_credentials} />
      {config.credentials_status === "unreadable" ? (
        <Text size="small" className="text-ui-fg-error">
          The stored password or key can no longer be decrypted (the encryption key changed): enter it again.
        </Text>
      ) : null}
    </TabForm>
  )
}

function ActionsTab({ config }: { config: OrderExport }) {
  const [statusUpdates, setStatusUpdates] = useState(config.status_updates)
  useEffect(() => setStatusUpdates(config.status_updates), [config.updated_at]) // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <TabForm kind="order-exports" id={config.id} build={() => ({ status_updates: statusUpdates })}>
      <SwitchField
        label="Enable status updates"
        hint="On: each exported order is marked exported (its timeline says when and in which file) and is not exported again; a failed export marks it export_failed. Off (for reporting tools): orders are left unchanged and every run exports everything that matches."
        checked={statusUpdates}
        onCheckedChange={setStatusUpdates}
      />
    </TabForm>
  )
}

function SchedulingTab({ kind, config }: { kind: TransferKind; config: TransferConfiguration }) {
  const [enabled, setEnabled] = useState(config.enabled)
  const [interval, setInterval] = useState(config.interval_minutes ? String(config.interval_minutes) : "")
  useEffect(() => {
    setEnabled(config.enabled)
    setInterval(config.interval_minutes ? String(config.interval_minutes) : "")
  }, [config.updated_at]) // eslint-disable-line react-hooks/exhaustive-deps
  const n = interval.trim() ? Number(interval) : null
  const valid = n === null || (Number.isInteger(n) && n >= 1 && n <= 10080)
  return (
    <TabForm kind={kind} id={config.id} disabled={!valid} build={() => (valid ? { enabled, interval_minutes: n } : null)}>
      <SwitchField label="Run on a schedule" hint="Off: only the Run button runs it." checked={enabled} onCheckedChange={setEnabled} />
      <Field label="Every (minutes)" hint="Leave empty for no schedule. The job checks every minute.">
        {({ id, hintId }) => <Input id={id} size="small" inputMode="numeric" aria-describedby={hintId} value={interval} onChange={(e) => setInterval(e.target.value)} aria-invalid={!valid} />}
      </Field>
      {config.last_run ? (
        <Text size="small" className="text-ui-fg-subtle">
          Last run {formatDateTime(config.last_run.started_at)} ({humanize(config.last_run.status).toLowerCase()}).
        </Text>
      ) : null}
    </TabForm>
  )
}

function toggle(list: string[] | undefined, value: string, on: boolean): string[] {
  const set = new Set(list ?? [])
  if (on) set.add(value)
  else set.delete(value)
  return [...set]
}

function CheckboxGroup({ label, options, value, onChange, format }: { label: string; options: string[]; value: string[] | undefined; onChange: (v: string[]) => void; format?: (v: string) => string }) {
  return (
    <fieldset className="flex flex-col gap-y-2">
      <legend className="txt-compact-small-plus mb-1">{label}</legend>
      <div className="grid grid-cols-2 gap-2">
        {options.map((o) => (
          <div key={o} className="flex items-center gap-x-2">
            <Checkbox id={`${label}-${o}`} checked={(value ?? []).includes(o)} onCheckedChange={(c) => onChange(toggle(value, o, c === true))} />
            <Label htmlFor={`${label}-${o}`} size="small">
              {format ? format(o) : humanize(o)}
            </Label>
          </div>
        ))}
      </div>
    </fieldset>
  )
}

function ConditionsTab({ config }: { config: OrderExport }) {
  const channels = useChannels({ limit: 100 })
  const [c, setC] = useState<ExportConditions>(config.conditions ?? {})
  const [tags, setTags] = useState((config.conditions?.tags ?? []).join(", "))
  useEffect(() => {
    setC(config.conditions ?? {})
    setTags((config.conditions?.tags ?? []).join(", "))
  }, [config.updated_at]) // eslint-disable-line react-hooks/exhaustive-deps
  const names = new Map((channels.data?.channels ?? []).map((ch) => [ch.id, ch.name]))
  return (
    <TabForm
      kind="order-exports"
      id={config.id}
      build={() => {
        const t = tags.split(",").map((s) => s.trim()).filter(Boolean)
        const out: ExportConditions = {}
        if (c.channel_ids?.length) out.channel_ids = c.channel_ids
        if (c.statuses?.length) out.statuses = c.statuses
        if (c.fulfillment_statuses?.length) out.fulfillment_statuses = c.fulfillment_statuses
        if (t.length) out.tags = t
        if (c.hold && c.hold !== "any") out.hold = c.hold
        if (c.since_last_export) out.since_last_export = c.since_last_export
        return { conditions: out }
      }}
    >
      <Text size="small" className="text-ui-fg-subtle">
        Every condition set must hold; none set exports every order.
      </Text>
      <CheckboxGroup label="Channels" options={[...names.keys()]} value={c.channel_ids} onChange={(v) => setC({ ...c, channel_ids: v })} format={(id) => names.get(id) ?? id} />
      <CheckboxGroup label="Order status" options={ORDER_STATUSES} value={c.statuses} onChange={(v) => setC({ ...c, statuses: v })} />
      <CheckboxGroup label="Fulfillment status" options={FULFILLMENT_STATUSES} value={c.fulfillment_statuses} onChange={(v) => setC({ ...c, fulfillment_statuses: v })} />
      <Field label="Tags" hint="Comma-separated; orders with any of them.">
        {({ id, hintId }) => <Input id={id} size="small" aria-describedby={hintId} value={tags} onChange={(e) => setTags(e.target.value)} />}
      </Field>
      <Field label="Hold">
        {({ id, labelId }) => (
          <Select size="small" value={c.hold ?? "any"} onValueChange={(v) => setC({ ...c, hold: v as ExportConditions["hold"] })}>
            <Select.Trigger id={id} aria-labelledby={labelId}>
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              <Select.Item value="any">On hold or not</Select.Item>
              <Select.Item value="on_hold">Only orders on hold</Select.Item>
              <Select.Item value="not_on_hold">Only orders not on hold</Select.Item>
            </Select.Content>
          </Select>
        )}
      </Field>
      <Field label="Since the last export" hint={config.last_exported_at ? `Last export written ${formatDateTime(config.last_exported_at)}.` : "No export written yet."}>
        {({ id, labelId }) => (
          <Select size="small" value={c.since_last_export ?? "none"} onValueChange={(v) => setC({ ...c, since_last_export: v === "none" ? null : (v as "created" | "updated") })}>
            <Select.Trigger id={id} aria-labelledby={labelId}>
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              <Select.Item value="none">Any time</Select.Item>
              <Select.Item value="created">Created since the last export</Select.Item>
              <Select.Item value="updated">Updated since the last export</Select.Item>
            </Select.Content>
          </Select>
        )}
      </Field>
    </TabForm>
  )
}

export const handle = {
  breadcrumb: () => "Configuration",
}

export default TransferConfigurationPage
