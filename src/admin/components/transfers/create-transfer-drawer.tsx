import { Input, Select, Textarea, toast } from "@medusajs/ui"
import { useEffect, useState, type FormEvent } from "react"
import { useCreateTransferConfiguration, type LocationSecrets, type TransferConfiguration, type TransferKind } from "../../hooks/transfers"
import { errorMessage } from "../../lib/errors"
import { FormDrawer } from "../form-drawer"
import { Field } from "../field"
import { emptyLocation, fromDraft, LocationFields, typedSecrets, type LocationDraft } from "./location-fields"

export const FORMAT_OPTIONS: Record<TransferKind, Array<{ value: string; label: string }>> = {
  "order-exports": [
    { value: "csv", label: "CSV, one row per order" },
    { value: "csv_items", label: "CSV, one row per line item" },
    { value: "json", label: "JSON (an array of orders)" },
    { value: "jsonl", label: "JSON Lines (one order per line)" },
  ],
  "status-imports": [
    { value: "csv", label: "CSV" },
    { value: "json", label: "JSON (an array of rows)" },
    { value: "jsonl", label: "JSON Lines" },
  ],
}

/** The General tab of a new configuration: name, type (format), description and location. Actions, scheduling and conditions follow on its page. */
export function CreateTransferDrawer({
  kind,
  open,
  onOpenChange,
  onCreated,
}: {
  kind: TransferKind
  open: boolean
  onOpenChange: (open: boolean) => void
  onCreated: (c: TransferConfiguration) => void
}) {
  const [name, setName] = useState("")
  const [description, setDescription] = useState("")
  const [format, setFormat] = useState("csv")
  const [location, setLocation] = useState<LocationDraft>(emptyLocation())
  const [secrets, setSecrets] = useState<LocationSecrets>({})
  const create = useCreateTransferConfiguration(kind)
  const isExport = kind === "order-exports"

  useEffect(() => {
    if (open) {
      setName("")
      setDescription("")
      setFormat("csv")
      setLocation(emptyLocation())
      setSecrets({})
    }
  }, [open])

  const loc = fromDraft(location)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!name.trim() || !loc) return
    create.mutate(
      {
        name: name.trim(),
        description: description.trim() || null,
        // New configurations start without a schedule: set it on the Scheduling tab.
        enabled: true,
        format,
        [isExport ? "destination" : "source"]: loc,
        ...(typedSecrets(secrets) ? { credentials: typedSecrets(secrets) } : {}),
        ...(isExport ? { conditions: {}, status_updates: true } : {}),
      },
      {
        onSuccess: (c) => {
          toast.success(`${isExport ? "Order export" : "Status import"} created`)
          onOpenChange(false)
          onCreated(c)
        },
        onError: (err) => toast.error(errorMessage(err)),
      }
    )
  }

  return (
    <FormDrawer
      open={open}
      onOpenChange={onOpenChange}
      title={isExport ? "New order export" : "New status import"}
      description="General information. Actions, scheduling and conditions are set on the next page."
      showDescription
      onSubmit={submit}
      submitting={create.isPending}
      submitDisabled={!name.trim() || !loc}
      submitLabel="Create"
    >
      <Field label="Name">{({ id }) => <Input id={id} size="small" value={name} onChange={(e) => setName(e.target.value)} autoFocus />}</Field>
      <Field label="Type" hint={isExport ? "The file layout the ERP or reporting tool reads." : "Rows: external_id or display_id, status, tracking_number, carrier, shipped_at, items."}>
        {({ id, labelId, hintId }) => (
          <Select size="small" value={format} onValueChange={setFormat}>
            <Select.Trigger id={id} aria-labelledby={labelId} aria-describedby={hintId}>
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
      <LocationFields value={location} onChange={setLocation} secrets={secrets} onSecretsChange={setSecrets} allowUrl={!isExport} />
    </FormDrawer>
  )
}
