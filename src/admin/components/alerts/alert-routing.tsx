import { Checkbox, Input, Label, Text } from "@medusajs/ui"
import { useAlertDestinations } from "../../hooks/alerts"

/** Where a rule's alert goes besides the admin feed: alert destinations to tick, and extra e-mail recipients. */
export function AlertRouting({
  idPrefix,
  destinationIds,
  recipients,
  onChange,
}: {
  idPrefix: string
  destinationIds: string[]
  recipients: string
  onChange: (patch: { destinationIds?: string[]; recipients?: string }) => void
}) {
  const { data } = useAlertDestinations()
  const destinations = data?.alert_destinations ?? []
  return (
    <div className="flex flex-col gap-y-2">
      <Label size="small" weight="plus">
        Also send to
      </Label>
      {destinations.length ? (
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {destinations.map((d) => (
            <div key={d.id} className="flex items-center gap-x-2">
              <Checkbox
                id={`${idPrefix}-dest-${d.id}`}
                checked={destinationIds.includes(d.id)}
                onCheckedChange={(v) =>
                  onChange({ destinationIds: v === true ? [...destinationIds.filter((x) => x !== d.id), d.id] : destinationIds.filter((x) => x !== d.id) })
                }
              />
              <Label htmlFor={`${idPrefix}-dest-${d.id}`} size="small">
                {d.name}
              </Label>
            </div>
          ))}
        </div>
      ) : (
        <Text size="small" className="text-ui-fg-muted">
          No alert destinations yet (Settings → Alerts).
        </Text>
      )}
      <Label htmlFor={`${idPrefix}-recipients`} size="small" weight="plus">
        E-mail recipients
      </Label>
      <Input
        id={`${idPrefix}-recipients`}
        size="small"
        placeholder="sales@example.com, warehouse@example.com"
        value={recipients}
        onChange={(e) => onChange({ recipients: e.target.value })}
      />
    </div>
  )
}
