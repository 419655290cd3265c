import { Plus, Trash } from "@medusajs/icons"
import { Button, DropdownMenu, IconButton, Input, Label, Select, Text, Textarea } from "@medusajs/ui"
import { ACTION_TYPE_LABELS, newAction, type DraftAction, type ScalarType } from "../../lib/rule-draft"
import type { RuleAction, RuleCatalogue } from "../../types"
import { AlertRouting } from "../alerts/alert-routing"

const ACTION_HELP: Record<RuleAction["type"], string> = {
  add_tags: "Tags accumulate over every matching rule. Separate several tags with commas.",
  hold: "The order is imported on hold (reason: import rule) and cannot be fulfilled until the hold is released.",
  cancel: "The order is imported and canceled. A cancel wins over holds from other rules.",
  set_note: "Replaces the order's note. The highest-priority rule's note wins.",
  set_metadata: "Sets a key of the order's metadata. The highest-priority rule wins per key.",
  alert: "Adds a notification to the admin's feed, and sends it to the chosen alert destinations (Settings → Alerts) and e-mail recipients.",
}

/** The list of actions of a rule, each with the inputs its type needs. */
export function ActionsEditor({
  actions,
  onChange,
  catalogue,
}: {
  actions: DraftAction[]
  onChange: (a: DraftAction[]) => void
  catalogue: RuleCatalogue | undefined
}) {
  const set = (i: number, patch: Partial<DraftAction>) => onChange(actions.map((a, j) => (j === i ? { ...a, ...patch } : a)))
  const placeholders = (catalogue?.fields ?? []).filter((f) => f.placeholder).map((f) => `{{${f.key}}}`)
  const types = (catalogue?.actions ?? Object.keys(ACTION_TYPE_LABELS)) as RuleAction["type"][]

  return (
    <div className="flex flex-col gap-y-4" role="group" aria-label="Actions">
      {actions.map((a, i) => {
        const n = i + 1
        return (
          <div key={a.key} className="border-ui-border-base flex flex-col gap-y-3 rounded-lg border p-3" data-testid="rule-action">
            <div className="flex items-center justify-between gap-x-2">
              <Select size="small" value={a.type} onValueChange={(v) => set(i, { type: v as RuleAction["type"] })}>
                <Select.Trigger aria-label={`Action ${n} type`} className="w-[240px]">
                  <Select.Value />
                </Select.Trigger>
                <Select.Content>
                  {types.map((t) => (
                    <Select.Item key={t} value={t}>
                      {ACTION_TYPE_LABELS[t] ?? t}
                    </Select.Item>
                  ))}
                </Select.Content>
              </Select>
              <IconButton
                size="small"
                variant="transparent"
                type="button"
                aria-label={`Remove action ${n}`}
                onClick={() => onChange(actions.filter((_, j) => j !== i))}
              >
                <Trash />
              </IconButton>
            </div>
            <Text size="xsmall" className="text-ui-fg-muted">
              {ACTION_HELP[a.type]}
            </Text>
            {a.type === "add_tags" ? (
              <LabelledInput id={`${a.key}-tags`} label="Tags" value={a.tags} placeholder="Review Needed, VIP" onChange={(v) => set(i, { tags: v })} />
            ) : null}
            {a.type === "hold" ? (
              <LabelledInput
                id={`${a.key}-detail`}
                label="Detail (optional)"
                value={a.detail}
                placeholder="Check stock before shipping"
                onChange={(v) => set(i, { detail: v })}
              />
            ) : null}
            {a.type === "set_note" ? (
              <div className="flex flex-col gap-y-1.5">
                <Label htmlFor={`${a.key}-note`} size="small" weight="plus">
                  Note
                </Label>
                <Textarea id={`${a.key}-note`} value={a.note} rows={3} onChange={(e) => set(i, { note: e.target.value })} />
                <Text size="xsmall" className="text-ui-fg-muted">
                  Placeholders: {placeholders.join(" ")} {"{{custom_fields.<name>}}"}
                </Text>
              </div>
            ) : null}
            {a.type === "set_metadata" ? (
              <div className="grid grid-cols-[1fr_110px_1fr] items-end gap-x-2">
                <LabelledInput id={`${a.key}-mkey`} label="Key" value={a.metaKey} placeholder="segment" onChange={(v) => set(i, { metaKey: v })} />
                <div className="flex flex-col gap-y-1.5">
                  <Label id={`${a.key}-mtype-label`} size="small" weight="plus">
                    Type
                  </Label>
                  <Select size="small" value={a.metaType} onValueChange={(v) => set(i, { metaType: v as ScalarType })}>
                    <Select.Trigger aria-labelledby={`${a.key}-mtype-label`}>
                      <Select.Value />
                    </Select.Trigger>
                    <Select.Content>
                      <Select.Item value="string">Text</Select.Item>
                      <Select.Item value="number">Number</Select.Item>
                      <Select.Item value="boolean">Yes/no</Select.Item>
                    </Select.Content>
                  </Select>
                </div>
                <LabelledInput
                  id={`${a.key}-mvalue`}
                  label="Value"
                  value={a.metaValue}
                  placeholder={a.metaType === "boolean" ? "true or false" : "vip"}
                  onChange={(v) => set(i, { metaValue: v })}
                />
              </div>
            ) : null}
            {a.type === "alert" ? (
              <div className="grid grid-cols-[1fr_140px] items-end gap-x-2">
                <LabelledInput id={`${a.key}-msg`} label="Message" value={a.message} onChange={(v) => set(i, { message: v })} />
                <div className="flex flex-col gap-y-1.5">
                  <Label id={`${a.key}-sev-label`} size="small" weight="plus">
                    Severity
                  </Label>
                  <Select size="small" value={a.severity} onValueChange={(v) => set(i, { severity: v as DraftAction["severity"] })}>
                    <Select.Trigger aria-labelledby={`${a.key}-sev-label`}>
                      <Select.Value />
                    </Select.Trigger>
                    <Select.Content>
                      {(catalogue?.alert_severities ?? ["info", "warning", "error"]).map((s) => (
                        <Select.Item key={s} value={s}>
                          {s}
                        </Select.Item>
                      ))}
                    </Select.Content>
                  </Select>
                </div>
                <div className="col-span-2 mt-2">
                  <AlertRouting
                    idPrefix={a.key}
                    destinationIds={a.destinationIds ?? []}
                    recipients={a.recipients ?? ""}
                    onChange={(patch) => set(i, patch)}
                  />
                </div>
              </div>
            ) : null}
          </div>
        )
      })}
      <div>
        <DropdownMenu>
          <DropdownMenu.Trigger asChild>
            <Button type="button" size="small" variant="secondary">
              <Plus />
              Add action
            </Button>
          </DropdownMenu.Trigger>
          <DropdownMenu.Content align="start">
            {types.map((t) => (
              <DropdownMenu.Item key={t} onClick={() => onChange([...actions, newAction(t)])}>
                {ACTION_TYPE_LABELS[t] ?? t}
              </DropdownMenu.Item>
            ))}
          </DropdownMenu.Content>
        </DropdownMenu>
      </div>
    </div>
  )
}

function LabelledInput({
  id,
  label,
  value,
  onChange,
  placeholder,
}: {
  id: string
  label: string
  value: string
  onChange: (v: string) => void
  placeholder?: string
}) {
  return (
    <div className="flex flex-col gap-y-1.5">
      <Label htmlFor={id} size="small" weight="plus">
        {label}
      </Label>
      <Input id={id} size="small" value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} />
    </div>
  )
}
