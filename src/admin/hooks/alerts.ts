import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"

export type AlertDestinationKind = "email" | "webhook" | "feed"
export type WebhookFormat = "slack" | "teams" | "generic"
export const OPERATIONAL_ALERTS: Array<{ value: string; label: string }> = [
  { value: "run_failures", label: "Imports failing in a row" },
  { value: "credentials_refused", label: "Credentials refused" },
  { value: "import_failures", label: "Many orders not imported in the last hour" },
  { value: "feedback_unconfirmed", label: "Shipment feedback not confirmed" },
  { value: "channel_stale", label: "No successful import for 3 × the interval" },
]

export type AlertDestination = {
  id: string
  name: string
  kind: AlertDestinationKind
  enabled: boolean
  recipients: string[]
  template: string | null
  format: WebhookFormat | null
  url_hint: string | null
  has_secret: boolean
  operational_alerts: string[]
  created_at: string
}

export type AlertDestinationBody = {
  name?: string
  kind?: AlertDestinationKind
  enabled?: boolean
  recipients?: string[]
  template?: string | null
  url?: string
  format?: WebhookFormat
  secret?: string | null
  operational_alerts?: string[]
}

export type AlertDelivery = {
  id: string
  destination_id: string | null
  kind: AlertDestinationKind
  title: string
  message: string
  severity: "info" | "warning" | "error"
  count: number
  digest: boolean
  state: "pending" | "sending" | "retrying" | "sent" | "failed"
  attempts: number
  next_attempt_at: string | null
  sent_at: string | null
  last_error: string | null
  created_at: string
}

const keys = {
  all: ["channel-orders:alerts"] as const,
  destinations: () => [...keys.all, "destinations"] as const,
  deliveries: () => [...keys.all, "deliveries"] as const,
}

export function useAlertDestinations() {
  return useQuery({
    queryKey: keys.destinations(),
    queryFn: () => sdk.client.fetch<{ alert_destinations: AlertDestination[]; count: number }>("/admin/alert-destinations", { query: { limit: 200 } }),
  })
}

export function useAlertDeliveries() {
  return useQuery({
    queryKey: keys.deliveries(),
    queryFn: () => sdk.client.fetch<{ alerts: AlertDelivery[]; count: number }>("/admin/alerts", { query: { limit: 50 } }),
    refetchInterval: 30_000,
  })
}

export function useSaveAlertDestination(id?: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: AlertDestinationBody) =>
      sdk.client.fetch<{ alert_destination: AlertDestination }>(id ? `/admin/alert-destinations/${id}` : "/admin/alert-destinations", { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.all }),
  })
}

export function useDeleteAlertDestination() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => sdk.client.fetch(`/admin/alert-destinations/${id}`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.all }),
  })
}

export function useTestAlertDestination() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => sdk.client.fetch<{ alert_delivery: AlertDelivery }>(`/admin/alert-destinations/${id}/test`, { method: "POST", body: {} }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.deliveries() }),
  })
}
