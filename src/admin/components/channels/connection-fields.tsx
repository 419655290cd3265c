import { Hint, Input, Label, Switch } from "@medusajs/ui"
import { useId } from "react"
import type { ConnectionField } from "../../lib/channel-config"

export type FieldValues = Record<string, string | boolean>

/** Renders a list of provider fields (credentials or settings) as labelled inputs. */
export function ConnectionFields({
  fields,
  values,
  onChange,
  secretPlaceholder,
}: {
  fields: ConnectionField[]
  values: FieldValues
  onChange: (next: FieldValues) => void
  /** Shown in empty secret inputs, e.g. "Leave empty to keep the stored value". */
  secretPlaceholder?: string
}) {
  const base = useId()
  if (!fields.length) return null
  return (
    <div className="flex flex-col gap-y-4">
      {fields.map((f) => {
        const id = `${base}-${f.key}`
        const hintId = `${id}-hint`
        if (f.kind === "boolean") {
          return (
            <div key={f.key} className="flex items-start justify-between gap-x-4">
              <div className="flex flex-col gap-y-0.5">
                <Label htmlFor={id} size="small" weight="plus">
                  {f.label}
                </Label>
                {f.hint ? <Hint id={hintId}>{f.hint}</Hint> : null}
              </div>
              <Switch
                id={id}
                aria-describedby={f.hint ? hintId : undefined}
                checked={Boolean(values[f.key])}
                onCheckedChange={(v) => onChange({ ...values, [f.key]: v })}
              />
            </div>
          )
        }
        return (
          <div key={f.key} className="flex flex-col gap-y-1.5">
            <Label htmlFor={id} size="small" weight="plus">
              {f.label}
              {f.required ? <span className="text-ui-fg-muted"> (required)</span> : null}
            </Label>
            <Input
              id={id}
              size="small"
              type={f.kind === "secret" ? "password" : f.kind === "number" ? "number" : "text"}
              autoComplete={f.kind === "secret" ? "new-password" : "off"}
              placeholder={f.kind === "secret" && secretPlaceholder ? secretPlaceholder : f.placeholder}
              aria-describedby={f.hint ? hintId : undefined}
              value={typeof values[f.key] === "string" ? (values[f.key] as string) : ""}
              onChange={(e) => onChange({ ...values, [f.key]: e.target.value })}
            />
            {f.hint ? <Hint id={hintId}>{f.hint}</Hint> : null}
          </div>
        )
      })}
    </div>
  )
}
