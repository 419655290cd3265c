import { Plus, Trash } from "@medusajs/icons"
import { Button, IconButton, Input, Select, Text, clx } from "@medusajs/ui"
import {
  CUSTOM_FIELD,
  fieldDef,
  newCondition,
  newGroup,
  valueKind,
  type DraftCondition,
  type DraftGroup,
  type DraftNode,
  type ScalarType,
} from "../../lib/rule-draft"
import type { RuleCatalogue } from "../../types"

const MAX_DEPTH = 8

/** An all/any group of conditions and nested groups. */
export function GroupEditor({
  group,
  onChange,
  onRemove,
  catalogue,
  depth = 0,
  path = "Conditions",
}: {
  group: DraftGroup
  onChange: (g: DraftGroup) => void
  onRemove?: () => void
  catalogue: RuleCatalogue | undefined
  depth?: number
  path?: string
}) {
  const setChild = (i: number, n: DraftNode) => onChange({ ...group, children: group.children.map((c, j) => (j === i ? n : c)) })
  const removeChild = (i: number) => onChange({ ...group, children: group.children.filter((_, j) => j !== i) })

  return (
    <div
      role="group"
      aria-label={depth === 0 ? "Conditions" : `${path} group`}
      className={clx("flex flex-col gap-y-3", depth > 0 && "border-ui-border-base bg-ui-bg-subtle rounded-lg border p-3")}
    >
      <div className="flex items-center justify-between gap-x-2">
        <div className="flex items-center gap-x-2">
          <Text size="small" className="text-ui-fg-subtle">
            {depth === 0 ? "Apply when" : "Where"}
          </Text>
          <Select size="small" value={group.mode} onValueChange={(v) => onChange({ ...group, mode: v as "all" | "any" })}>
            <Select.Trigger className="w-[120px]" aria-label={`${depth === 0 ? "Top" : "Nested"} group: all or any`}>
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              <Select.Item value="all">all</Select.Item>
              <Select.Item value="any">any</Select.Item>
            </Select.Content>
          </Select>
          <Text size="small" className="text-ui-fg-subtle">
            of these hold{group.children.length === 0 ? " (an empty group matches every order)" : ""}
          </Text>
        </div>
        {onRemove ? (
          <IconButton size="small" variant="transparent" type="button" aria-label="Remove this group" onClick={onRemove}>
            <Trash />
          </IconButton>
        ) : null}
      </div>
      {group.children.map((n, i) =>
        n.kind === "group" ? (
          <GroupEditor
            key={n.key}
            group={n}
            onChange={(g) => setChild(i, g)}
            onRemove={() => removeChild(i)}
            catalogue={catalogue}
            depth={depth + 1}
            path={`${path} ${i + 1}`}
          />
        ) : (
          <ConditionRow
            key={n.key}
            index={i + 1}
            condition={n}
            onChange={(c) => setChild(i, c)}
            onRemove={() => removeChild(i)}
            catalogue={catalogue}
          />
        )
      )}
      <div className="flex gap-x-2">
        <Button
          type="button"
          size="small"
          variant="secondary"
          onClick={() => onChange({ ...group, children: [...group.children, newCondition()] })}
        >
          <Plus />
          Add condition
        </Button>
        {depth + 1 < MAX_DEPTH ? (
          <Button
            type="button"
            size="small"
            variant="transparent"
            onClick={() => onChange({ ...group, children: [...group.children, newGroup(group.mode === "all" ? "any" : "all", [newCondition()])] })}
          >
            <Plus />
            Add group
          </Button>
        ) : null}
      </div>
    </div>
  )
}

function ConditionRow({
  condition: c,
  onChange,
  onRemove,
  catalogue,
  index,
}: {
  condition: DraftCondition
  onChange: (c: DraftCondition) => void
  onRemove: () => void
  catalogue: RuleCatalogue | undefined
  index: number
}) {
  const def = fieldDef(catalogue, c.field)
  const kind = valueKind(catalogue, c)
  const fields = catalogue ? [...catalogue.fields, catalogue.custom_field] : []
  const opLabel = (key: string) => catalogue?.operators.find((o) => o.key === key)?.label ?? key
  const opDescription = catalogue?.operators.find((o) => o.key === c.operator)?.description
  const name = `Condition ${index}`

  const setField = (field: string) => {
    const d = fieldDef(catalogue, field)
    const keepOp = d?.operators.some((o) => o.key === c.operator)
    onChange({ ...c, field, operator: keepOp ? c.operator : d?.operators[0]?.key ?? "eq", text: keepOp ? c.text : "" })
  }

  return (
    <div className="flex flex-col gap-y-1" data-testid="rule-condition">
      <div className="grid grid-cols-[minmax(0,1.2fr)_minmax(0,1fr)_minmax(0,1.3fr)_auto] items-start gap-x-2">
        <div className="flex flex-col gap-y-1">
          <Select size="small" value={c.field} onValueChange={setField}>
            <Select.Trigger aria-label={`${name} field`}>
              <Select.Value placeholder="Field" />
            </Select.Trigger>
            <Select.Content>
              {fields.map((f) => (
                <Select.Item key={f.key} value={f.key}>
                  {f.label}
                </Select.Item>
              ))}
            </Select.Content>
          </Select>
          {c.field === CUSTOM_FIELD ? (
            <Input
              size="small"
              aria-label={`${name} custom field name`}
              placeholder="Field name, e.g. gift_wrap"
              value={c.customName}
              onChange={(e) => onChange({ ...c, customName: e.target.value })}
            />
          ) : null}
        </div>
        <Select size="small" value={c.operator} onValueChange={(v) => onChange({ ...c, operator: v })}>
          <Select.Trigger aria-label={`${name} operator`}>
            <Select.Value placeholder="Operator" />
          </Select.Trigger>
          <Select.Content>
            {(def?.operators ?? []).map((o) => (
              <Select.Item key={o.key} value={o.key}>
                {opLabel(o.key)}
              </Select.Item>
            ))}
          </Select.Content>
        </Select>
        <ValueInput condition={c} kind={kind} onChange={onChange} name={name} />
        <IconButton size="small" variant="transparent" type="button" aria-label={`Remove ${name.toLowerCase()}`} onClick={onRemove}>
          <Trash />
        </IconButton>
      </div>
      {def || opDescription ? (
        <Text size="xsmall" className="text-ui-fg-muted">
          {def?.description}
          {opDescription && kind !== "exists_flag" ? ` ${opDescription}` : ""}
        </Text>
      ) : null}
    </div>
  )
}

function ValueInput({
  condition: c,
  kind,
  onChange,
  name,
}: {
  condition: DraftCondition
  kind: string | undefined
  onChange: (c: DraftCondition) => void
  name: string
}) {
  const label = `${name} value`
  const yesNo = (
    <Select size="small" value={c.bool ? "true" : "false"} onValueChange={(v) => onChange({ ...c, bool: v === "true" })}>
      <Select.Trigger aria-label={label}>
        <Select.Value />
      </Select.Trigger>
      <Select.Content>
        <Select.Item value="true">{kind === "exists_flag" ? "present" : "yes"}</Select.Item>
        <Select.Item value="false">{kind === "exists_flag" ? "missing" : "no"}</Select.Item>
      </Select.Content>
    </Select>
  )
  const typeSelect = (allowBoolean: boolean) => (
    <Select size="small" value={c.scalarType} onValueChange={(v) => onChange({ ...c, scalarType: v as ScalarType })}>
      <Select.Trigger aria-label={`${name} value type`} className="w-[96px] shrink-0">
        <Select.Value />
      </Select.Trigger>
      <Select.Content>
        <Select.Item value="string">Text</Select.Item>
        <Select.Item value="number">Number</Select.Item>
        {allowBoolean ? <Select.Item value="boolean">Yes/no</Select.Item> : null}
      </Select.Content>
    </Select>
  )
  const text = (props: { type?: string; placeholder?: string }) => (
    <Input
      size="small"
      aria-label={label}
      type={props.type ?? "text"}
      placeholder={props.placeholder}
      value={c.text}
      onChange={(e) => onChange({ ...c, text: e.target.value })}
    />
  )

  switch (kind) {
    case "boolean":
    case "exists_flag":
      return yesNo
    case "number":
      return text({ type: "number", placeholder: "Number" })
    case "pattern":
      return text({ placeholder: "Pattern, e.g. ^AMZ-\\d+$" })
    case "number_list":
      return text({ placeholder: "Numbers, separated by commas" })
    case "string_list":
      return text({ placeholder: "Values, separated by commas" })
    case "scalar":
      return (
        <div className="flex gap-x-1">
          {typeSelect(true)}
          {c.scalarType === "boolean" ? yesNo : text({ type: c.scalarType === "number" ? "number" : "text", placeholder: "Value" })}
        </div>
      )
    case "scalar_list":
      return (
        <div className="flex gap-x-1">
          {typeSelect(false)}
          {text({ placeholder: "Values, separated by commas" })}
        </div>
      )
    default:
      return text({ placeholder: "Value" })
  }
}
