import { Hint, Label, Select, Switch } from "@medusajs/ui"
import { useId, type ReactNode } from "react"

/** A labelled control with a plain-words hint under it. `children` gets the ids to wire up. */
export function Field({
  label,
  hint,
  children,
}: {
  label: ReactNode
  hint?: ReactNode
  children: (ids: { id: string; labelId: string; hintId?: string }) => ReactNode
}) {
  const id = useId()
  const labelId = `${id}-label`
  const hintId = hint ? `${id}-hint` : undefined
  return (
    <div className="flex flex-col gap-y-1.5">
      <Label htmlFor={id} id={labelId} size="small" weight="plus">
        {label}
      </Label>
      {children({ id, labelId, hintId })}
      {hint ? <Hint id={hintId}>{hint}</Hint> : null}
    </div>
  )
}

export function SwitchField({
  label,
  hint,
  checked,
  onCheckedChange,
}: {
  label: ReactNode
  hint?: ReactNode
  checked: boolean
  onCheckedChange: (v: boolean) => void
}) {
  const id = useId()
  return (
    <div className="flex items-start justify-between gap-x-4">
      <div className="flex flex-col gap-y-0.5">
        <Label htmlFor={id} size="small" weight="plus">
          {label}
        </Label>
        {hint ? <Hint id={`${id}-hint`}>{hint}</Hint> : null}
      </div>
      <Switch id={id} aria-describedby={hint ? `${id}-hint` : undefined} checked={checked} onCheckedChange={onCheckedChange} />
    </div>
  )
}

export const NONE = "__none__"

/** A Select over `options`, with an optional "None" entry mapped to null. */
export function SelectField({
  label,
  hint,
  value,
  onChange,
  options,
  placeholder = "Choose…",
  allowNone,
  noneLabel = "None",
}: {
  label: ReactNode
  hint?: ReactNode
  value: string | null | undefined
  onChange: (v: string | null) => void
  options: { value: string; label: string }[]
  placeholder?: string
  allowNone?: boolean
  noneLabel?: string
}) {
  return (
    <Field label={label} hint={hint}>
      {({ id, labelId, hintId }) => (
        <Select
          size="small"
          value={value ?? (allowNone ? NONE : undefined)}
          onValueChange={(v) => onChange(v === NONE ? null : v)}
        >
          <Select.Trigger id={id} aria-labelledby={labelId} aria-describedby={hintId}>
            <Select.Value placeholder={placeholder} />
          </Select.Trigger>
          <Select.Content>
            {allowNone ? <Select.Item value={NONE}>{noneLabel}</Select.Item> : null}
            {options.map((o) => (
              <Select.Item key={o.value} value={o.value}>
                {o.label}
              </Select.Item>
            ))}
          </Select.Content>
        </Select>
      )}
    </Field>
  )
}
