import { Button, Checkbox, Hint, Input, Label, Select, Switch, Text, Textarea } from "@medusajs/ui"
import { useId } from "react"
import { currentValue, isShown, type ColumnRow, type ConnectionField, type FieldValues } from "../../lib/channel-config"

export type { FieldValues }

/** Renders a list of provider fields (credentials or settings) as labelled inputs. */
export function ConnectionFields({
  fields,
  values,
  onChange,
  secretPlaceholder,
  context,
  contextFields,
}: {
  fields: ConnectionField[]
  values: FieldValues
  onChange: (next: FieldValues) => void
  /** Shown in empty secret inputs, e.g. "Leave empty to keep the stored value". */
  secretPlaceholder?: string
  /** The other form's values (the settings, for credentials) that `show_when` may look at, and their fields. */
  context?: FieldValues
  contextFields?: ConnectionField[]
}) {
  const base = useId()
  const shown = fields.filter((f) => isShown(f, values, context, [...fields, ...(contextFields ?? [])]))
  if (!shown.length) return null
  const set = (key: string, v: FieldValues[string]) => onChange({ ...values, [key]: v })
  return (
    <div className="flex flex-col gap-y-4">
      {shown.map((f) => {
        const id = `${base}-${f.key}`
        const hintId = `${id}-hint`
        const labelId = `${id}-label`
        const describedBy = f.hint ? hintId : undefined
        const label = (
          <Label htmlFor={id} id={labelId} size="small" weight="plus">
            {f.label}
            {f.required ? <span className="text-ui-fg-muted"> (required)</span> : null}
          </Label>
        )
        const hint = f.hint ? <Hint id={hintId}>{f.hint}</Hint> : null
        if (f.kind === "boolean") {
          return (
            <div key={f.key} className="flex items-start justify-between gap-x-4">
              <div className="flex flex-col gap-y-0.5">
                <Label htmlFor={id} size="small" weight="plus">
                  {f.label}
                </Label>
                {hint}
              </div>
              <Switch id={id} aria-describedby={describedBy} checked={Boolean(values[f.key])} onCheckedChange={(v) => set(f.key, v)} />
            </div>
          )
        }
        if (f.kind === "select") {
          const v = currentValue(f, values)
          return (
            <div key={f.key} className="flex flex-col gap-y-1.5">
              {label}
              <Select size="small" value={typeof v === "string" ? v : undefined} onValueChange={(nv) => set(f.key, nv)}>
                <Select.Trigger id={id} aria-labelledby={labelId} aria-describedby={describedBy}>
                  <Select.Value placeholder="Choose…" />
                </Select.Trigger>
                <Select.Content>
                  {(f.options ?? []).map((o) => (
                    <Select.Item key={o.value} value={o.value}>
                      {o.label}
                    </Select.Item>
                  ))}
                </Select.Content>
              </Select>
              {hint}
            </div>
          )
        }
        if (f.kind === "checkboxes") {
          const v = currentValue(f, values)
          const checked = Array.isArray(v) ? (v as unknown[]).filter((x): x is string => typeof x === "string") : []
          return (
            <fieldset key={f.key} className="flex flex-col gap-y-2" aria-describedby={describedBy} data-testid={`field-${f.key}`}>
              <legend className="txt-compact-small-plus text-ui-fg-base mb-1.5">{f.label}</legend>
              {(f.options ?? []).map((o) => {
                const oid = `${id}-${o.value}`
                return (
                  <div key={o.value} className="flex items-start gap-x-2">
                    <Checkbox
                      id={oid}
                      checked={checked.includes(o.value)}
                      onCheckedChange={(c) =>
                        set(
                          f.key,
                          (f.options ?? []).map((x) => x.value).filter((x) => (x === o.value ? c === true : checked.includes(x)))
                        )
                      }
                    />
                    <div className="flex flex-col">
                      <Label htmlFor={oid} size="small">
                        {o.label}
                      </Label>
                      {o.hint ? <Hint>{o.hint}</Hint> : null}
                    </div>
                  </div>
                )
              })}
              {hint}
            </fieldset>
          )
        }
        if (f.kind === "columns") {
          return <ColumnsField key={f.key} field={f} id={id} labelId={labelId} value={currentValue(f, values)} onChange={(v) => set(f.key, v)} />
        }
        if (f.kind === "textarea" || f.kind === "secret_textarea") {
          const secret = f.kind === "secret_textarea"
          return (
            <div key={f.key} className="flex flex-col gap-y-1.5">
              {label}
              <Textarea
                id={id}
                className={secret ? "font-mono" : undefined}
                rows={secret ? 4 : 3}
                autoComplete="off"
                spellCheck={false}
                placeholder={secret && secretPlaceholder ? secretPlaceholder : f.placeholder}
                aria-describedby={describedBy}
                value={typeof values[f.key] === "string" ? (values[f.key] as string) : ""}
                onChange={(e) => set(f.key, e.target.value)}
              />
              {hint}
            </div>
          )
        }
        return (
          <div key={f.key} className="flex flex-col gap-y-1.5">
            {label}
            <Input
              id={id}
              size="small"
              type={f.kind === "secret" ? "password" : f.kind === "number" ? "number" : "text"}
              autoComplete={f.kind === "secret" ? "new-password" : "off"}
              placeholder={f.kind === "secret" && secretPlaceholder ? secretPlaceholder : f.placeholder}
              aria-describedby={describedBy}
              value={typeof values[f.key] === "string" ? (values[f.key] as string) : ""}
              onChange={(e) => set(f.key, e.target.value)}
            />
            {hint}
          </div>
        )
      })}
    </div>
  )
}

/**
 * A preset (`options`) or a custom column mapping: rows of our field → the header in the file.
 * The form value is the preset's name, or the rows while "custom" is picked.
 */
function ColumnsField({
  field,
  id,
  labelId,
  value,
  onChange,
}: {
  field: ConnectionField
  id: string
  labelId: string
  value: FieldValues[string] | undefined
  onChange: (v: string | ColumnRow[]) => void
}) {
  const rows: ColumnRow[] | null = Array.isArray(value) ? (value as ColumnRow[]) : null
  const mode = rows ? "custom" : typeof value === "string" ? value : "default"
  const available = field.column_fields ?? []
  const required = field.required_columns ?? []
  const missing = rows ? required.filter((r) => !rows.some((row) => row.field === r && row.header.trim())) : []
  const setRow = (i: number, patch: Partial<ColumnRow>) => rows && onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)))
  const nextField = () => available.find((f) => !rows?.some((r) => r.field === f)) ?? ""
  return (
    <div className="flex flex-col gap-y-1.5" data-testid={`field-${field.key}`}>
      <Label htmlFor={id} id={labelId} size="small" weight="plus">
        {field.label}
      </Label>
      <Select
        size="small"
        value={mode}
        onValueChange={(v) => onChange(v === "custom" ? (rows ?? required.map((f) => ({ field: f, header: "" }))) : v)}
      >
        <Select.Trigger id={id} aria-labelledby={labelId}>
          <Select.Value />
        </Select.Trigger>
        <Select.Content>
          {(field.options ?? []).map((o) => (
            <Select.Item key={o.value} value={o.value}>
              {o.label}
            </Select.Item>
          ))}
        </Select.Content>
      </Select>
      {field.hint ? <Hint>{field.hint}</Hint> : null}
      {rows ? (
        <div className="flex flex-col gap-y-2 pt-1" role="group" aria-label="Column mapping">
          <div className="grid grid-cols-[1fr_1fr_auto] gap-x-2">
            <Text size="xsmall" className="text-ui-fg-subtle">
              Our field
            </Text>
            <Text size="xsmall" className="text-ui-fg-subtle">
              Column header in your file
            </Text>
            <span />
          </div>
          {rows.map((r, i) => (
            <div key={i} className="grid grid-cols-[1fr_1fr_auto] items-center gap-x-2">
              <Select size="small" value={r.field} onValueChange={(v) => setRow(i, { field: v })}>
                <Select.Trigger aria-label={`Field of row ${i + 1}`}>
                  <Select.Value />
                </Select.Trigger>
                <Select.Content>
                  {available
                    .filter((f) => f === r.field || !rows.some((x) => x.field === f))
                    .map((f) => (
                      <Select.Item key={f} value={f}>
                        {f}
                        {required.includes(f) ? " (required)" : ""}
                      </Select.Item>
                    ))}
                </Select.Content>
              </Select>
              <Input
                size="small"
                aria-label={`Column header for ${r.field}`}
                value={r.header}
                placeholder="Header"
                onChange={(e) => setRow(i, { header: e.target.value })}
              />
              <Button
                size="small"
                variant="transparent"
                type="button"
                aria-label={`Remove ${r.field}`}
                onClick={() => onChange(rows.filter((_, j) => j !== i))}
              >
                Remove
              </Button>
            </div>
          ))}
          <div>
            <Button
              size="small"
              variant="secondary"
              type="button"
              disabled={!nextField()}
              onClick={() => onChange([...rows, { field: nextField(), header: "" }])}
            >
              Add column
            </Button>
          </div>
          {missing.length ? (
            <Hint variant="error">Map the required field{missing.length > 1 ? "s" : ""}: {missing.join(", ")}.</Hint>
          ) : null}
        </div>
      ) : null}
    </div>
  )
}
