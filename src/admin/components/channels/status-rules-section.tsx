import { Badge, Button, Container, Input, Label, Select, Table, Text, toast } from "@medusajs/ui"
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react"
import { useSaveStatusRules, useStatusRules } from "../../hooks/channels"
import { errorMessage } from "../../lib/errors"
import { ACTION_OPTIONS, RETRY_OPTIONS } from "../../lib/format"
import type { StatusAction, StatusRuleRow } from "../../types"
import { ErrorState, SectionHeader, TableSkeleton } from "../common"

type Draft = Pick<StatusRuleRow, "external_status" | "action" | "retry" | "description" | "has_rule">

/**
 * The "Order import settings" table: one row per marketplace status, an Import choice (the seven
 * actions) and Retry (yes/no). Saved as a whole with PUT /status-rules.
 */
export function StatusRulesSection({ channelId, highlight }: { channelId: string; highlight?: string | null }) {
  const { data, isLoading, isError, error, refetch } = useStatusRules(channelId)
  const save = useSaveStatusRules(channelId)
  const [rows, setRows] = useState<Draft[]>([])
  const [newStatus, setNewStatus] = useState("")
  const [showLegend, setShowLegend] = useState(false)

  useEffect(() => {
    if (data) setRows(data.status_rules.map((r) => ({ ...r })))
  }, [data])

  // Coming from the problems page ("change the status rule"): put the keyboard on that row's choice.
  const focused = useRef(false)
  useEffect(() => {
    if (!highlight || focused.current || !rows.length) return
    const el = document.querySelector<HTMLElement>(`[data-status="${CSS.escape(highlight)}"] button[role="combobox"]`)
    if (el) {
      el.focus({ preventScroll: true })
      focused.current = true
    }
  }, [highlight, rows.length])

  const dirty = useMemo(() => {
    if (!data) return false
    const a = JSON.stringify(data.status_rules.map((r) => [r.external_status, r.action, r.retry]))
    const b = JSON.stringify(rows.map((r) => [r.external_status, r.action, r.retry]))
    return a !== b
  }, [data, rows])

  const update = (i: number, patch: Partial<Draft>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)))

  const onSave = () => {
    save.mutate(
      rows.map((r) => ({ external_status: r.external_status, action: r.action, retry: r.retry })),
      {
        onSuccess: () => toast.success("Order import settings saved"),
        onError: (e) => toast.error("Could not save the order import settings", { description: errorMessage(e) }),
      }
    )
  }

  const addStatus = (e: FormEvent) => {
    e.preventDefault()
    const s = newStatus.trim()
    if (!s || rows.some((r) => r.external_status.toLowerCase() === s.toLowerCase())) return
    setRows((rs) => [...rs, { external_status: s, action: "do_not_import", retry: true, description: null, has_rule: false }])
    setNewStatus("")
  }

  return (
    <Container className="divide-y p-0" role="region" aria-labelledby="status-rules-heading">
      <SectionHeader
        id="status-rules-heading"
        title="Order import settings"
        description="What happens to a new order, depending on its status on the marketplace."
        actions={
          <>
            <Button size="small" variant="transparent" type="button" onClick={() => setShowLegend((v) => !v)} aria-expanded={showLegend}>
              {showLegend ? "Hide explanations" : "What do the choices mean?"}
            </Button>
            {dirty ? (
              <Button size="small" variant="secondary" type="button" onClick={() => data && setRows(data.status_rules.map((r) => ({ ...r })))}>
                Discard
              </Button>
            ) : null}
            <Button size="small" type="button" onClick={onSave} disabled={!dirty} isLoading={save.isPending}>
              Save
            </Button>
          </>
        }
      />
      {showLegend ? <Legend /> : null}
      {isLoading ? (
        <TableSkeleton rows={5} columns={3} label="Loading the order import settings" />
      ) : isError ? (
        <ErrorState error={error} onRetry={() => refetch()} />
      ) : (
        <>
          <Table aria-label="Order import settings">
            <Table.Header>
              <Table.Row>
                <Table.HeaderCell>Marketplace status</Table.HeaderCell>
                <Table.HeaderCell>Import</Table.HeaderCell>
                <Table.HeaderCell>Retry</Table.HeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {rows.map((r, i) => {
                const action = ACTION_OPTIONS.find((a) => a.value === r.action)
                const retry = RETRY_OPTIONS.find((o) => o.value === (r.retry ? "yes" : "no"))
                const labelId = `status-${i}-label`
                return (
                  <Table.Row
                    key={r.external_status}
                    data-status={r.external_status}
                    className={highlight === r.external_status ? "bg-ui-bg-highlight" : undefined}
                  >
                    <Table.Cell className="align-top py-3">
                      <div id={labelId} className="flex items-center gap-x-2">
                        <Text size="small" weight="plus" leading="compact" className="font-mono">
                          {r.external_status}
                        </Text>
                        {!r.has_rule ? (
                          <Badge size="2xsmall" color="grey">
                            default
                          </Badge>
                        ) : null}
                      </div>
                      {r.description ? (
                        <Text size="xsmall" className="text-ui-fg-muted mt-0.5">
                          {r.description}
                        </Text>
                      ) : null}
                    </Table.Cell>
                    <Table.Cell className="align-top py-3">
                      <div className="flex max-w-[340px] flex-col gap-y-1">
                        <Select size="small" value={r.action} onValueChange={(v) => update(i, { action: v as StatusAction })}>
                          <Select.Trigger aria-label={`Import choice for status ${r.external_status}`}>
                            <Select.Value />
                          </Select.Trigger>
                          <Select.Content>
                            {ACTION_OPTIONS.map((a) => (
                              <Select.Item key={a.value} value={a.value}>
                                {a.label}
                              </Select.Item>
                            ))}
                          </Select.Content>
                        </Select>
                        <Text size="xsmall" className="text-ui-fg-muted">
                          {action?.description}
                        </Text>
                      </div>
                    </Table.Cell>
                    <Table.Cell className="align-top py-3">
                      <div className="flex max-w-[260px] flex-col gap-y-1">
                        <Select size="small" value={r.retry ? "yes" : "no"} onValueChange={(v) => update(i, { retry: v === "yes" })}>
                          <Select.Trigger aria-label={`Retry for status ${r.external_status}`}>
                            <Select.Value />
                          </Select.Trigger>
                          <Select.Content>
                            {RETRY_OPTIONS.map((o) => (
                              <Select.Item key={o.value} value={o.value}>
                                {o.label}
                              </Select.Item>
                            ))}
                          </Select.Content>
                        </Select>
                        <Text size="xsmall" className="text-ui-fg-muted">
                          {retry?.description}
                        </Text>
                      </div>
                    </Table.Cell>
                  </Table.Row>
                )
              })}
            </Table.Body>
          </Table>
          <form onSubmit={addStatus} className="flex items-end gap-x-2 px-6 py-4">
            <div className="flex flex-col gap-y-1.5">
              <Label htmlFor={`new-status-${channelId}`} size="small" weight="plus">
                Another status
              </Label>
              <Input
                id={`new-status-${channelId}`}
                size="small"
                placeholder="e.g. PartiallyShipped"
                value={newStatus}
                onChange={(e) => setNewStatus(e.target.value)}
              />
            </div>
            <Button size="small" variant="secondary" type="submit" disabled={!newStatus.trim()}>
              Add status
            </Button>
          </form>
        </>
      )}
    </Container>
  )
}

function Legend() {
  return (
    <div className="grid grid-cols-1 gap-6 px-6 py-4 lg:grid-cols-[2fr_1fr]" aria-label="Explanations of the choices">
      <div className="flex flex-col gap-y-2">
        <Text size="small" weight="plus">
          Import
        </Text>
        <dl className="flex flex-col gap-y-2">
        {ACTION_OPTIONS.map((a) => (
          <div key={a.value} className="grid grid-cols-[160px_1fr] gap-x-3">
            <Text size="small" weight="plus" leading="compact" asChild>
              <dt>{a.label}</dt>
            </Text>
            <Text size="small" className="text-ui-fg-subtle" asChild>
              <dd>{a.description}</dd>
            </Text>
          </div>
        ))}
        </dl>
      </div>
      <div className="flex flex-col gap-y-2">
        <Text size="small" weight="plus">
          Retry
        </Text>
        <dl className="flex flex-col gap-y-2">
        {RETRY_OPTIONS.map((o) => (
          <div key={o.value} className="grid grid-cols-[48px_1fr] gap-x-3">
            <Text size="small" weight="plus" leading="compact" asChild>
              <dt>{o.label}</dt>
            </Text>
            <Text size="small" className="text-ui-fg-subtle" asChild>
              <dd>{o.description}</dd>
            </Text>
          </div>
        ))}
        </dl>
      </div>
    </div>
  )
}
