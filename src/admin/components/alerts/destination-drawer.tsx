import { Checkbox, Input, Label, Select, Textarea, toast } from "@medusajs/ui"
import { useEffect, useState, type FormEvent } from "react"
import { OPERATIONAL_ALERTS, useSaveAlertDestination, type AlertDestination, type AlertDestinationBody, type AlertDestinationKind, type WebhookFormat } from "../../hooks/alerts"
import { errorMessage } from "../../lib/errors"
import { FormDrawer } from "../form-drawer"
import { Field, SwitchField } from "../field"

const KIND_OPTIONS: Array<{ value: AlertDestinationKind; label: string }> = [
  { value: "email", label: "E-mail (the store's notification provider)" },
  { value: "webhook", label: "Webhook (Slack, Teams or JSON)" },
  { value: "feed", label: "Admin notification feed" },
]
const FORMAT_OPTIONS: Array<{ value: WebhookFormat; label: string }> = [
  { value: "slack", label: "Slack incoming webhook" },
  { value: "teams", label: "Microsoft Teams incoming webhook" },
  { value: "generic", label: "Generic JSON" },
]

/** New or edit: a destination's name, kind and settings, and the operational alerts it receives. URL and secret are write-only. */
export function AlertDestinationDrawer({
  destination,
  open,
  onOpenChange,
}: {
  destination: AlertDestination | null
  open: boolean
  onOpenChange: (open: boolean) => void
}) {
  const editing = !!destination
  const [name, setName] = useState("")
  const [kind, setKind] = useState<AlertDestinationKind>("email")
  const [enabled, setEnabled] = useState(true)
  const [recipients, setRecipients] = useState("")
  const [template, setTemplate] = useState("")
  const [url, setUrl] = useState("")
  const [format, setFormat] = useState<WebhookFormat>("slack")
  const [secret, setSecret] = useState("")
  const [operational, setOperational] = useState<string[]>([])
  const save = useSaveAlertDestination(destination?.id)

  useEffect(() => {
    if (!open) return
    setName(destination?.name ?? "")
    setKind(destination?.kind ?? "email")
    setEnabled(destination?.enabled ?? true)
    setRecipients((destination?.recipients ?? []).join("\n"))
    setTemplate(destination?.template ?? "")
    setUrl("")
    setFormat(destination?.format ?? "slack")
    setSecret("")
    setOperational(destination?.operational_alerts ?? [])
  }, [open, destination])

  const toggle = (code: string, on: boolean) => setOperational((cur) => (on ? [...cur.filter((c) => c !== code), code] : cur.filter((c) => c !== code && c !== "*")))
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const body: AlertDestinationBody = { name: name.trim(), enabled, operational_alerts: operational }
    if (!editing) body.kind = kind
    if (kind === "email") {
      body.recipients = recipients.split(/[\s,;]+/).map((r) => r.trim()).filter(Boolean)
      body.template = template.trim() || null
    }
    if (kind === "webhook") {
      body.format = format
      if (url.trim()) body.url = url.trim()
      if (secret) body.secret = secret
    }
    save.mutate(body, {
      onSuccess: () => {
        toast.success(editing ? "Destination saved" : "Destination created")
        onOpenChange(false)
      },
      onError: (err) => toast.error(errorMessage(err)),
    })
  }

  return (
    <FormDrawer
      open={open}
      onOpenChange={onOpenChange}
      title={editing ? `Edit ${destination!.name}` : "New alert destination"}
      description="Import rules name destinations in their alert action; operational alerts are routed here with the boxes below."
      showDescription
      onSubmit={submit}
      submitting={save.isPending}
      submitDisabled={!name.trim()}
      submitLabel={editing ? "Save" : "Create"}
    >
      <Field label="Name">{({ id }) => <Input id={id} size="small" value={name} onChange={(e) => setName(e.target.value)} autoFocus />}</Field>
      <Field label="Kind" hint={editing ? "The kind cannot change; create another destination instead." : undefined}>
        {({ id, labelId, hintId }) => (
          <Select size="small" value={kind} onValueChange={(v) => setKind(v as AlertDestinationKind)} disabled={editing}>
            <Select.Trigger id={id} aria-labelledby={labelId} aria-describedby={hintId}>
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              {KIND_OPTIONS.map((o) => (
                <Select.Item key={o.value} value={o.value}>
                  {o.label}
                </Select.Item>
              ))}
            </Select.Content>
          </Select>
        )}
      </Field>
      {kind === "email" ? (
        <>
          <Field label="Recipients" hint="One e-mail address per line.">
            {({ id, hintId }) => <Textarea id={id} aria-describedby={hintId} value={recipients} onChange={(e) => setRecipients(e.target.value)} />}
          </Field>
          <Field label="Template" hint="The notification template the store's e-mail provider renders. Empty: channel-orders-alert.">
            {({ id, hintId }) => <Input id={id} size="small" aria-describedby={hintId} value={template} placeholder="channel-orders-alert" onChange={(e) => setTemplate(e.target.value)} />}
          </Field>
        </>
      ) : null}
      {kind === "webhook" ? (
        <>
          <Field label="Format">
            {({ id, labelId }) => (
              <Select size="small" value={format} onValueChange={(v) => setFormat(v as WebhookFormat)}>
                <Select.Trigger id={id} aria-labelledby={labelId}>
                  <Select.Value />
                </Select.Trigger>
                <Select.Content>
                  {FORMAT_OPTIONS.map((o) => (
                    <Select.Item key={o.value} value={o.value}>
                      {o.label}
                    </Select.Item>
                  ))}
                </Select.Content>
              </Select>
            )}
          </Field>
          <Field label="Webhook URL" hint={editing ? `Stored encrypted (${destination?.url_hint ?? "set"}). Leave empty to keep it.` : "https only. Stored encrypted, never shown again."}>
            {({ id, hintId }) => <Input id={id} size="small" type="url" aria-describedby={hintId} value={url} onChange={(e) => setUrl(e.target.value)} />}
          </Field>
          <Field label="Signing secret" hint={destination?.has_secret ? "A secret is set. Type a new one to replace it." : "Optional: signs each request (X-Channel-Orders-Signature: sha256=HMAC of the body)."}>
            {({ id, hintId }) => <Input id={id} size="small" type="password" autoComplete="new-password" aria-describedby={hintId} value={secret} onChange={(e) => setSecret(e.target.value)} />}
          </Field>
        </>
      ) : null}
      <div className="flex flex-col gap-y-2">
        <Label size="small" weight="plus">
          Operational alerts sent here
        </Label>
        {OPERATIONAL_ALERTS.map((o) => {
          const checked = operational.includes("*") || operational.includes(o.value)
          return (
            <div key={o.value} className="flex items-center gap-x-2">
              <Checkbox id={`op-${o.value}`} checked={checked} onCheckedChange={(v) => toggle(o.value, v === true)} />
              <Label htmlFor={`op-${o.value}`} size="small">
                {o.label}
              </Label>
            </div>
          )
        })}
      </div>
      <SwitchField label="Enabled" checked={enabled} onCheckedChange={setEnabled} />
    </FormDrawer>
  )
}
