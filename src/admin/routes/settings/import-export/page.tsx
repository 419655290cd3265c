import { defineRouteConfig } from "@medusajs/admin-sdk"
import { ArrowUpDown } from "@medusajs/icons"
import { Button, Container, StatusBadge, Table, Text } from "@medusajs/ui"
import { useState } from "react"
import { Link, useNavigate } from "react-router-dom"
import { EnabledBadge, ErrorState, SectionHeader, TableSkeleton } from "../../../components/common"
import { CreateTransferDrawer, FORMAT_OPTIONS } from "../../../components/transfers/create-transfer-drawer"
import { useTransferConfigurations, type TransferConfiguration, type TransferKind } from "../../../hooks/transfers"
import { formatDateTime, formatRelative, humanize } from "../../../lib/format"

const statusColor = { running: "blue", succeeded: "green", partial: "orange", failed: "red" } as const

function locationLabel(c: TransferConfiguration): string {
  const l = "destination" in c ? c.destination : c.source
  if (!l) return "–"
  if (l.type === "directory") return l.path
  if (l.type === "sftp") return `sftp://${l.username}@${l.host}${l.port && l.port !== 22 ? `:${l.port}` : ""}${l.path}`
  return l.url
}

/** One section of the manager: the configurations of one kind, with New and a link to each. */
function TransferSection({ kind }: { kind: TransferKind }) {
  const navigate = useNavigate()
  const [createOpen, setCreateOpen] = useState(false)
  const { data, isLoading, isError, error, refetch } = useTransferConfigurations(kind)
  const isExport = kind === "order-exports"
  return (
    <Container className="divide-y p-0">
      <SectionHeader
        title={isExport ? "Order exports" : "Order status imports"}
        description={
          isExport
            ? "Write orders to a directory or SFTP server for an ERP or a reporting tool, on a schedule or by Run."
            : "Read shipment, cancellation and delivery statuses from files and apply them to orders."
        }
        actions={
          <Button size="small" variant="secondary" onClick={() => setCreateOpen(true)}>
            New
          </Button>
        }
      />
      {isLoading ? (
        <TableSkeleton rows={2} columns={5} />
      ) : isError ? (
        <ErrorState error={error} onRetry={() => refetch()} />
      ) : !data?.items.length ? (
        <div className="px-6 py-4">
          <Text size="small" className="text-ui-fg-muted">
            None yet. Click New to create one.
          </Text>
        </div>
      ) : (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Name</Table.HeaderCell>
              <Table.HeaderCell>Type</Table.HeaderCell>
              <Table.HeaderCell>Location</Table.HeaderCell>
              <Table.HeaderCell>Schedule</Table.HeaderCell>
              <Table.HeaderCell>Last run</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {data.items.map((c) => (
              <Table.Row key={c.id} className="cursor-pointer" onClick={() => navigate(`/settings/import-export/${kind}/${c.id}`)}>
                <Table.Cell>
                  <Link to={`/settings/import-export/${kind}/${c.id}`} className="txt-compact-small-plus hover:underline" onClick={(e) => e.stopPropagation()}>
                    {c.name}
                  </Link>
                </Table.Cell>
                <Table.Cell>{FORMAT_OPTIONS[kind].find((o) => o.value === c.format)?.label ?? c.format}</Table.Cell>
                <Table.Cell className="max-w-[240px] truncate" title={locationLabel(c)}>
                  {locationLabel(c)}
                </Table.Cell>
                <Table.Cell>
                  {c.interval_minutes ? (
                    <span className="flex items-center gap-x-2">
                      <EnabledBadge enabled={c.enabled} /> every {c.interval_minutes} min
                    </span>
                  ) : (
                    <span className="text-ui-fg-muted">Run button only</span>
                  )}
                </Table.Cell>
                <Table.Cell>
                  {c.last_run ? (
                    <span className="flex items-center gap-x-2" title={formatDateTime(c.last_run.started_at)}>
                      <StatusBadge color={statusColor[c.last_run.status]}>{humanize(c.last_run.status)}</StatusBadge>
                      {formatRelative(c.last_run.started_at)}
                    </span>
                  ) : (
                    <span className="text-ui-fg-muted">Never</span>
                  )}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
      <CreateTransferDrawer kind={kind} open={createOpen} onOpenChange={setCreateOpen} onCreated={(c) => navigate(`/settings/import-export/${kind}/${c.id}`)} />
    </Container>
  )
}

/** Settings → Import & export: order exports and order status imports, one section each. */
const ImportExportPage = () => (
  <div className="flex flex-col gap-y-3">
    <TransferSection kind="order-exports" />
    <TransferSection kind="status-imports" />
  </div>
)

export const config = defineRouteConfig({
  label: "Import & export",
  icon: ArrowUpDown,
})

export const handle = {
  breadcrumb: () => "Import & export",
}

export default ImportExportPage
