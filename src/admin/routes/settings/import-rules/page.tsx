import { defineRouteConfig } from "@medusajs/admin-sdk"
import {
  Badge,
  Button,
  Container,
  DataTable,
  Heading,
  Switch,
  Text,
  createDataTableColumnHelper,
  toast,
  useDataTable,
} from "@medusajs/ui"
import { useQueryClient } from "@tanstack/react-query"
import { useMemo } from "react"
import { Link, useNavigate } from "react-router-dom"
import { ErrorState } from "../../../components/common"
import { DryRunPanel } from "../../../components/rules/dry-run-panel"
import { useChannels } from "../../../hooks/channels"
import { importRuleKeys, useImportRules, useRuleCatalogue } from "../../../hooks/import-rules"
import { errorMessage } from "../../../lib/errors"
import { describeAction, describeConditions } from "../../../lib/rule-draft"
import { sdk } from "../../../lib/sdk"
import type { ImportRule } from "../../../types"

const column = createDataTableColumnHelper<ImportRule>()

const ImportRulesPage = () => {
  const navigate = useNavigate()
  const qc = useQueryClient()
  const { data, isLoading, isError, error, refetch } = useImportRules()
  const catalogue = useRuleCatalogue()
  const channels = useChannels({ limit: 200 })
  const channelName = (id: string) => channels.data?.channels.find((c) => c.id === id)?.name ?? id

  const toggle = async (rule: ImportRule, enabled: boolean) => {
    try {
      await sdk.client.fetch(`/admin/import-rules/${rule.id}`, { method: "POST", body: { enabled } })
      toast.success(`${rule.name} ${enabled ? "enabled" : "disabled"}`)
    } catch (e) {
      toast.error("Could not change the rule", { description: errorMessage(e) })
    } finally {
      qc.invalidateQueries({ queryKey: importRuleKeys.all })
    }
  }

  const columns = useMemo(
    () => [
      column.accessor("name", {
        header: "Name",
        cell: ({ row }) => (
          <Link
            to={`/settings/import-rules/${row.original.id}`}
            className="text-ui-fg-base txt-compact-small-plus outline-none hover:underline focus-visible:underline"
            onClick={(e) => e.stopPropagation()}
          >
            {row.original.name}
          </Link>
        ),
      }),
      column.display({
        id: "when",
        header: "When",
        cell: ({ row }) => (
          <Text size="small" className="max-w-[340px] truncate" title={describeConditions(row.original.conditions, catalogue.data)}>
            {describeConditions(row.original.conditions, catalogue.data)}
          </Text>
        ),
      }),
      column.display({
        id: "then",
        header: "Then",
        cell: ({ row }) => (
          <div className="flex flex-wrap gap-1">
            {row.original.actions.map((a, i) => (
              <Badge key={i} size="2xsmall">
                {describeAction(a)}
              </Badge>
            ))}
          </div>
        ),
      }),
      column.accessor("channel_ids", {
        header: "Channels",
        cell: ({ getValue }) => (getValue()?.length ? getValue().map(channelName).join(", ") : "All channels"),
      }),
      column.accessor("priority", { header: "Priority" }),
      column.accessor("enabled", {
        header: "Enabled",
        cell: ({ row }) => (
          <div onClick={(e) => e.stopPropagation()}>
            <Switch
              aria-label={`Enable rule ${row.original.name}`}
              checked={row.original.enabled}
              onCheckedChange={(v) => toggle(row.original, v)}
            />
          </div>
        ),
      }),
    ],
    [catalogue.data, channels.data] // eslint-disable-line react-hooks/exhaustive-deps
  )

  const rules = data?.import_rules ?? []
  const table = useDataTable({
    data: rules,
    columns,
    getRowId: (r) => r.id,
    rowCount: rules.length,
    isLoading,
    onRowClick: (_e, row) => navigate(`/settings/import-rules/${row.id}`),
  })

  return (
    <div className="flex flex-col gap-y-3">
      <Container className="divide-y p-0">
        <DataTable instance={table}>
          <DataTable.Toolbar className="flex items-start justify-between gap-x-4 px-6 py-4">
            <div>
              <Heading level="h1">Import rules</Heading>
              <Text size="small" className="text-ui-fg-subtle mt-1">
                Tag, hold, cancel or annotate marketplace orders as they are imported. Rules run in priority order, highest first.
              </Text>
            </div>
            <Button size="small" variant="secondary" asChild>
              <Link to="/settings/import-rules/new">Create rule</Link>
            </Button>
          </DataTable.Toolbar>
          {isError ? (
            <ErrorState error={error} onRetry={() => refetch()} />
          ) : (
            <DataTable.Table
              emptyState={{
                empty: {
                  heading: "No import rules",
                  description: "Create a rule to tag or hold orders that need attention, e.g. large quantities.",
                },
              }}
            />
          )}
        </DataTable>
      </Container>
      <DryRunPanel />
    </div>
  )
}

export const config = defineRouteConfig({
  label: "Import rules",
})

export const handle = {
  breadcrumb: () => "Import rules",
}

export default ImportRulesPage
