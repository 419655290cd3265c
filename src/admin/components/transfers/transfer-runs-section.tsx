import { Container, StatusBadge, Table, Text } from "@medusajs/ui"
import { useTransferRuns, type TransferKind, type TransferRun } from "../../hooks/transfers"
import { formatDateTime, formatRelative, humanize } from "../../lib/format"
import { ErrorState, SectionHeader, TableSkeleton } from "../common"

const statusColor = { running: "blue", succeeded: "green", partial: "orange", failed: "red" } as const

function summary(kind: TransferKind, r: TransferRun): string {
  if (kind === "order-exports") return `${r.exported} exported${r.failed ? `, ${r.failed} failed` : ""}`
  return `${r.processed} rows: ${r.applied} applied, ${r.failed} failed`
}

/** The latest runs with their files and, row by row or order by order, their errors. */
export function TransferRunsSection({ kind, id, polling }: { kind: TransferKind; id: string; polling?: boolean }) {
  const { data, isLoading, isError, error, refetch } = useTransferRuns(kind, id, { poll: polling })
  return (
    <Container className="divide-y p-0">
      <SectionHeader title="Recent runs" description="Newest first, with their files and errors." />
      {isLoading ? (
        <TableSkeleton rows={3} columns={4} label="Loading runs" />
      ) : isError ? (
        <ErrorState error={error} onRetry={() => refetch()} />
      ) : !data?.runs.length ? (
        <div className="px-6 py-4">
          <Text size="small" className="text-ui-fg-muted">
            Not run yet.
          </Text>
        </div>
      ) : (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Started</Table.HeaderCell>
              <Table.HeaderCell>Status</Table.HeaderCell>
              <Table.HeaderCell>Result</Table.HeaderCell>
              <Table.HeaderCell>Files and errors</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {data.runs.map((r) => (
              <Table.Row key={r.id} className="align-top">
                <Table.Cell title={formatDateTime(r.started_at)}>
                  {formatRelative(r.started_at)}
                  <Text size="xsmall" className="text-ui-fg-muted">
                    {humanize(r.trigger)}
                  </Text>
                </Table.Cell>
                <Table.Cell>
                  <StatusBadge color={statusColor[r.status]}>{humanize(r.status)}</StatusBadge>
                </Table.Cell>
                <Table.Cell>{summary(kind, r)}</Table.Cell>
                <Table.Cell className="max-w-[420px] whitespace-normal break-words py-2">
                  {r.file && kind === "order-exports" ? <Text size="xsmall">{r.file}</Text> : null}
                  {(r.files ?? []).map((f) => (
                    <Text key={f.name} size="xsmall">
                      {f.name} → {f.moved_to ?? "not moved"}
                      {f.report ? ` (report: ${f.report})` : ""}
                    </Text>
                  ))}
                  {r.error ? (
                    <Text size="xsmall" className="text-ui-fg-error">
                      {r.error_code ? `${r.error_code}: ` : ""}
                      {r.error}
                    </Text>
                  ) : null}
                  {kind === "status-imports" && r.errors?.length ? (
                    <ul className="text-ui-fg-error mt-1 text-xs">
                      {r.errors.slice(0, 20).map((e, i) => (
                        <li key={i}>
                          {e.file ? `${e.file} ` : ""}
                          {e.row ? `row ${e.row}` : ""}
                          {e.order ? ` (${e.order})` : ""} · {e.code}: {e.message}
                        </li>
                      ))}
                      {r.errors.length > 20 ? <li>…and {r.errors.length - 20} more</li> : null}
                    </ul>
                  ) : null}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
    </Container>
  )
}
