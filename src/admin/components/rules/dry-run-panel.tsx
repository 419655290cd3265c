import { Beaker } from "@medusajs/icons"
import { Badge, Button, Container, Select, Text } from "@medusajs/ui"
import { useState } from "react"
import { useChannelOrders } from "../../hooks/channel-orders"
import { useChannels } from "../../hooks/channels"
import { useDryRun } from "../../hooks/import-rules"
import { errorMessage } from "../../lib/errors"
import { ruleErrors } from "../../lib/rule-draft"
import type { DryRunResponse, ImportRuleBody } from "../../types"
import { EmptyState, SectionHeader } from "../common"

/**
 * Picks a recent channel order and shows which rules would match it and what they would do,
 * without importing anything. `draft` (from the editor) is evaluated alongside the saved rules.
 */
export function DryRunPanel({ draft, draftName }: { draft?: () => ImportRuleBody | null; draftName?: string }) {
  const orders = useChannelOrders({ limit: 30 })
  const channels = useChannels({ limit: 200 })
  const nameOf = (id: string) => channels.data?.channels.find((c) => c.id === id)?.name ?? id
  const [orderId, setOrderId] = useState<string>("")
  const dry = useDryRun()
  const result = dry.data

  const run = () => {
    if (!orderId) return
    const rule = draft?.() ?? undefined
    dry.mutate({ channel_order_id: orderId, rule: rule ?? undefined })
  }

  return (
    <Container className="divide-y p-0" role="region" aria-labelledby="dry-run-heading" data-testid="dry-run">
      <SectionHeader
        id="dry-run-heading"
        title="Dry run"
        description={
          draft
            ? "Check what the saved rules, with your unsaved changes to this one, would do to a recent order. Nothing is imported or saved."
            : "Check which saved rules would match a recent order and what they would do. Nothing is imported."
        }
      />
      <div className="flex flex-col gap-y-3 px-6 py-4">
        <div className="flex items-end gap-x-2">
          <div className="flex min-w-0 flex-1 flex-col gap-y-1.5">
            <Text size="small" weight="plus" id="dry-run-order-label">
              Order
            </Text>
            <Select size="small" value={orderId || undefined} onValueChange={setOrderId}>
              <Select.Trigger aria-labelledby="dry-run-order-label">
                <Select.Value placeholder={orders.isLoading ? "Loading orders…" : "Choose a recent order"} />
              </Select.Trigger>
              <Select.Content>
                {(orders.data?.channel_orders ?? []).map((o) => (
                  <Select.Item key={o.id} value={o.id}>
                    {o.external_id} · {nameOf(o.channel_id)} · {o.external_status ?? "?"}
                  </Select.Item>
                ))}
              </Select.Content>
            </Select>
          </div>
          <Button size="small" variant="secondary" type="button" onClick={run} disabled={!orderId} isLoading={dry.isPending}>
            Run dry run
          </Button>
        </div>
        {dry.isError ? (
          <div role="alert" className="text-ui-fg-error flex flex-col gap-y-1">
            {ruleErrors(errorMessage(dry.error)).map((e) => (
              <Text key={e} size="small">
                {e}
              </Text>
            ))}
          </div>
        ) : null}
      </div>
      {result ? (
        <DryRunResult result={result} draftName={draftName} />
      ) : (
        <EmptyState icon={<Beaker />} title="No dry run yet" description="Choose an order and run the rules against it." />
      )}
    </Container>
  )
}

function DryRunResult({ result, draftName }: { result: DryRunResponse; draftName?: string }) {
  const name = (c: { rule_id: string; rule_name: string }) => (c.rule_id === "draft" ? `${draftName || c.rule_name} (this draft)` : c.rule_name)
  return (
    <div className="flex flex-col gap-y-4 px-6 py-4" aria-live="polite" data-testid="dry-run-result">
      <div>
        <Text size="small" weight="plus">
          {result.matched_rule_ids.length
            ? `${result.matched_rule_ids.length} rule${result.matched_rule_ids.length === 1 ? "" : "s"} would match`
            : "No rule would match this order"}
        </Text>
      </div>
      {result.matched_rule_ids.length ? (
        <dl className="grid grid-cols-[120px_1fr] gap-x-3 gap-y-2">
          <Text size="small" className="text-ui-fg-subtle" asChild>
            <dt>Tags</dt>
          </Text>
          <dd className="flex flex-wrap gap-1">
            {result.tags.length ? (
              result.tags.map((t) => (
                <Badge key={t} size="2xsmall">
                  {t}
                </Badge>
              ))
            ) : (
              <Text size="small">–</Text>
            )}
          </dd>
          <Text size="small" className="text-ui-fg-subtle" asChild>
            <dt>Holds</dt>
          </Text>
          <dd>
            {result.holds.length ? (
              result.holds.map((h) => (
                <Text key={h.rule_id} size="small">
                  {h.detail}
                </Text>
              ))
            ) : (
              <Text size="small">{result.superseded_holds?.length ? "None (the cancel wins)" : "–"}</Text>
            )}
          </dd>
          <Text size="small" className="text-ui-fg-subtle" asChild>
            <dt>Cancel</dt>
          </Text>
          <Text size="small" asChild>
            <dd>{result.cancel ? "Yes" : "No"}</dd>
          </Text>
          <Text size="small" className="text-ui-fg-subtle" asChild>
            <dt>Note</dt>
          </Text>
          <Text size="small" asChild>
            <dd className="whitespace-pre-wrap">{result.note ?? "–"}</dd>
          </Text>
          <Text size="small" className="text-ui-fg-subtle" asChild>
            <dt>Metadata</dt>
          </Text>
          <Text size="small" asChild>
            <dd>
              {Object.keys(result.metadata ?? {}).length
                ? Object.entries(result.metadata).map(([k, v]) => `${k} = ${String(v)}`).join(", ")
                : "–"}
            </dd>
          </Text>
          <Text size="small" className="text-ui-fg-subtle" asChild>
            <dt>Alerts</dt>
          </Text>
          <Text size="small" asChild>
            <dd>{result.alerts.length ? result.alerts.map((a) => `${a.severity}: ${a.message}`).join("; ") : "–"}</dd>
          </Text>
        </dl>
      ) : null}
      {result.contributions.length ? (
        <div className="flex flex-col gap-y-2">
          <Text size="small" weight="plus">
            By rule, in evaluation order
          </Text>
          <ol className="flex flex-col gap-y-2">
            {result.contributions.map((c) => (
              <li key={c.rule_id} className="border-ui-border-base rounded-lg border px-3 py-2">
                <Text size="small" weight="plus">
                  {name(c)} <span className="text-ui-fg-muted font-normal">· priority {c.priority}</span>
                </Text>
                <Text size="xsmall" className="text-ui-fg-subtle">
                  {[
                    c.tags.length ? `tags ${c.tags.join(", ")}` : null,
                    c.hold ? `hold${c.hold.superseded ? " (superseded by a cancel)" : ""}` : null,
                    c.cancel ? "cancel" : null,
                    c.note ? `note${c.note.applied ? "" : " (overridden)"}` : null,
                    ...c.metadata.map((m) => `${m.key}${m.applied ? "" : " (overridden)"}`),
                    ...c.alerts.map((a) => `alert “${a.message}”`),
                  ]
                    .filter(Boolean)
                    .join(" · ") || "no effect"}
                </Text>
              </li>
            ))}
          </ol>
        </div>
      ) : null}
    </div>
  )
}
