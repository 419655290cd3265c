import { defineRouteConfig } from "@medusajs/admin-sdk"
import { BellAlert } from "@medusajs/icons"
import { Button, Container, StatusBadge, Table, Text, toast, usePrompt } from "@medusajs/ui"
import { useState } from "react"
import { AlertDestinationDrawer } from "../../../components/alerts/destination-drawer"
import { EnabledBadge, ErrorState, SectionHeader, TableSkeleton } from "../../../components/common"
import { useAlertDeliveries, useAlertDestinations, useDeleteAlertDestination, useTestAlertDestination, type AlertDestination } from "../../../hooks/alerts"
import { errorMessage } from "../../../lib/errors"
import { formatDateTime, formatRelative, humanize } from "../../../lib/format"

const stateColor = { pending: "grey", sending: "blue", retrying: "orange", sent: "green", failed: "red" } as const

function target(d: AlertDestination): string {
  if (d.kind === "email") return d.recipients.join(", ") || "–"
  if (d.kind === "webhook") return `${humanize(d.format ?? "generic")} · ${d.url_hint ?? "–"}${d.has_secret ? " · signed" : ""}`
  return "Admin notification feed"
}

function Destinations() {
  const { data, isLoading, isError, error, refetch } = useAlertDestinations()
  const [editing, setEditing] = useState<AlertDestination | null>(null)
  const [open, setOpen] = useState(false)
  const del = useDeleteAlertDestination()
  const test = useTestAlertDestination()
  const prompt = usePrompt()
  const openDrawer = (d: AlertDestination | null) => {
    setEditing(d)
    setOpen(true)
  }
  const remove = async (d: AlertDestination) => {
    if (!(await prompt({ title: `Delete ${d.name}?`, description: "Alerts will no longer be sent there.", confirmText: "Delete", cancelText: "Cancel" }))) return
    del.mutate(d.id, { onSuccess: () => toast.success("Destination deleted"), onError: (e) => toast.error(errorMessage(e)) })
  }
  const sendTest = (d: AlertDestination) =>
    test.mutate(d.id, {
      onSuccess: (r) =>
        r.alert_delivery.state === "sent" ? toast.success("Test alert sent") : toast.error(`Test alert ${r.alert_delivery.state}: ${r.alert_delivery.last_error ?? ""}`),
      onError: (e) => toast.error(errorMessage(e)),
    })
  return (
    <Container className="divide-y p-0">
      <SectionHeader
        title="Alert destinations"
        description="Where import-rule alerts and operational alerts (failing imports, refused credentials, unconfirmed feedback, stale channels) are sent. Operational alerts always reach the admin feed."
        actions={
          <Button size="small" variant="secondary" onClick={() => openDrawer(null)}>
            New
          </Button>
        }
      />
      {isLoading ? (
        <TableSkeleton rows={2} columns={4} />
      ) : isError ? (
        <ErrorState error={error} onRetry={() => refetch()} />
      ) : !data?.alert_destinations.length ? (
        <div className="px-6 py-4">
          <Text size="small" className="text-ui-fg-muted">
            None yet. Click New to send alerts by e-mail or to Slack or Teams.
          </Text>
        </div>
      ) : (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Name</Table.HeaderCell>
              <Table.HeaderCell>Kind</Table.HeaderCell>
              <Table.HeaderCell>Sends to</Table.HeaderCell>
              <Table.HeaderCell>Operational alerts</Table.HeaderCell>
              <Table.HeaderCell />
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {data.alert_destinations.map((d) => (
              <Table.Row key={d.id}>
                <Table.Cell>
                  <span className="flex items-center gap-x-2">
                    <EnabledBadge enabled={d.enabled} />
                    {d.name}
                  </span>
                </Table.Cell>
                <Table.Cell>{humanize(d.kind)}</Table.Cell>
                <Table.Cell className="max-w-[260px] truncate" title={target(d)}>
                  {target(d)}
                </Table.Cell>
                <Table.Cell>{d.operational_alerts.includes("*") ? "All" : d.operational_alerts.length ? d.operational_alerts.map(humanize).join(", ") : "None"}</Table.Cell>
                <Table.Cell>
                  <span className="flex justify-end gap-x-2">
                    <Button size="small" variant="transparent" onClick={() => sendTest(d)} isLoading={test.isPending && test.variables === d.id}>
                      Test
                    </Button>
                    <Button size="small" variant="transparent" onClick={() => openDrawer(d)}>
                      Edit
                    </Button>
                    <Button size="small" variant="transparent" onClick={() => remove(d)}>
                      Delete
                    </Button>
                  </span>
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
      <AlertDestinationDrawer destination={editing} open={open} onOpenChange={setOpen} />
    </Container>
  )
}

function RecentDeliveries() {
  const { data, isLoading, isError, error, refetch } = useAlertDeliveries()
  return (
    <Container className="divide-y p-0">
      <SectionHeader title="Recent alerts" description="Every alert message: sent, retrying (with its last error) or failed. A burst of alerts goes out as one digest." />
      {isLoading ? (
        <TableSkeleton rows={3} columns={4} />
      ) : isError ? (
        <ErrorState error={error} onRetry={() => refetch()} />
      ) : !data?.alerts.length ? (
        <div className="px-6 py-4">
          <Text size="small" className="text-ui-fg-muted">
            No alerts sent yet.
          </Text>
        </div>
      ) : (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Alert</Table.HeaderCell>
              <Table.HeaderCell>To</Table.HeaderCell>
              <Table.HeaderCell>State</Table.HeaderCell>
              <Table.HeaderCell>When</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {data.alerts.map((a) => (
              <Table.Row key={a.id}>
                <Table.Cell className="max-w-[360px] truncate" title={a.message}>
                  {a.digest ? `${a.count} × ` : ""}
                  {a.title}
                </Table.Cell>
                <Table.Cell>{humanize(a.kind)}</Table.Cell>
                <Table.Cell title={a.last_error ?? undefined}>
                  <StatusBadge color={stateColor[a.state]}>{humanize(a.state)}</StatusBadge>
                  {a.attempts > 1 ? <span className="text-ui-fg-muted ml-2">{a.attempts} attempts</span> : null}
                </Table.Cell>
                <Table.Cell title={formatDateTime(a.sent_at ?? a.created_at)}>{formatRelative(a.sent_at ?? a.created_at)}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
    </Container>
  )
}

/** Settings → Alerts: destinations (e-mail, Slack/Teams/JSON webhooks, the admin feed) and recent deliveries. */
const AlertsPage = () => (
  <div className="flex flex-col gap-y-3">
    <Destinations />
    <RecentDeliveries />
  </div>
)

export const config = defineRouteConfig({
  label: "Alerts",
  icon: BellAlert,
})

export const handle = {
  breadcrumb: () => "Alerts",
}

export default AlertsPage
