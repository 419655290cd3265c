import { Badge, Button, CodeBlock, Container, Copy, Input, Label, Table, Text, toast, usePrompt } from "@medusajs/ui"
import { useEffect, useState, type FormEvent } from "react"
import { useChannelApiKeys, useCreateChannelApiKey, useRevokeChannelApiKey } from "../../hooks/channel-api"
import { useUpdateChannel } from "../../hooks/channels"
import { errorMessage, errorStatus } from "../../lib/errors"
import { formatDateTime, formatRelative } from "../../lib/format"
import type { Channel } from "../../types"
import { EmptyState, ErrorState, KeyValueRow, SectionHeader, TableSkeleton } from "../common"
import { FormDrawer } from "../form-drawer"

const DEFAULT_LIMIT = { rate: 10, burst: 20 }

/** Where resellers send orders: this backend's public URL. */
function backendUrl(): string {
  const configured = typeof __BACKEND_URL__ !== "undefined" && __BACKEND_URL__ ? __BACKEND_URL__ : ""
  const base = configured && configured !== "/" ? configured : window.location.origin
  return base.replace(/\/+$/, "")
}

function curlExample(token: string | null): string {
  const url = backendUrl()
  return [
    `curl -X POST ${url}/channel-api/orders \\`,
    `  -H "Authorization: Bearer ${token ?? "<your API key>"}" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -H "Idempotency-Key: $(uuidgen)" \\`,
    `  -d '{"orders":[{"external_id":"PO-1001","status":"confirmed","created_at":"2026-12-04T10:00:00Z","updated_at":"2026-12-04T10:00:00Z","currency_code":"eur","email":"buyer@reseller.example","shipping_address":{"first_name":"Ada","last_name":"Lovelace","address_1":"Hauptstraße 1","city":"Berlin","postal_code":"10115","country_code":"de"},"items":[{"external_id":"PO-1001-1","sku":"TSHIRT-M","title":"T-shirt M","quantity":2,"unit_price":19.9}],"shipping":{"service_code":"standard","price":4.9}}]}'`,
  ].join("\n")
}

/**
 * The B2B order API of a channel whose orders are pushed (`api` provider): its keys (a new key's
 * token is shown once), its rate limit, and a curl example on this backend's real URL. Hidden for
 * channels that do not take pushed orders (the keys route answers 400 for them).
 */
export function ApiKeysSection({ channel }: { channel: Channel }) {
  const { data, isLoading, isError, error, refetch } = useChannelApiKeys(channel.id)
  const create = useCreateChannelApiKey(channel.id)
  const revoke = useRevokeChannelApiKey(channel.id)
  const prompt = usePrompt()
  const [token, setToken] = useState<string | null>(null)
  const [limitOpen, setLimitOpen] = useState(false)

  if (isError && errorStatus(error) === 400) return null
  const keys = data?.api_keys ?? []
  const limit = { ...DEFAULT_LIMIT, ...((channel.settings as any)?.api_rate_limit ?? {}) }

  const onCreate = () =>
    create.mutate(undefined, {
      onSuccess: (r) => {
        setToken(r.token)
        toast.success("API key created", { description: "Copy it now: it is not shown again." })
      },
      onError: (e) => toast.error("Could not create a key", { description: errorMessage(e) }),
    })

  const onRevoke = async (id: string, prefix: string) => {
    const ok = await prompt({
      title: `Revoke key ${prefix}…?`,
      description: "Requests with this key are refused from now on (401). This cannot be undone.",
      confirmText: "Revoke",
      cancelText: "Cancel",
    })
    if (!ok) return
    revoke.mutate(id, {
      onSuccess: () => toast.success("API key revoked"),
      onError: (e) => toast.error("Could not revoke the key", { description: errorMessage(e) }),
    })
  }

  return (
    <Container className="divide-y p-0" role="region" aria-labelledby="api-keys-heading">
      <SectionHeader
        id="api-keys-heading"
        title="Order API"
        description="The reseller's system sends orders to this store with one of these keys. Orders go through the same import settings and rules as pulled orders."
        actions={
          <>
            <Button size="small" variant="secondary" onClick={() => setLimitOpen(true)}>
              Rate limit
            </Button>
            <Button size="small" variant="secondary" onClick={onCreate} isLoading={create.isPending}>
              Create key
            </Button>
          </>
        }
      />
      {token ? (
        <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="new-api-key">
          <Text size="small" weight="plus">
            New key — copy it now, it is shown only once
          </Text>
          <div className="bg-ui-bg-subtle flex items-center gap-x-2 rounded-md px-3 py-2">
            <code className="txt-compact-small min-w-0 flex-1 break-all">{token}</code>
            <Copy content={token} aria-label="Copy the API key" />
          </div>
          <Button size="small" variant="transparent" className="self-start" onClick={() => setToken(null)}>
            I have copied it
          </Button>
        </div>
      ) : null}
      {isLoading ? (
        <TableSkeleton rows={2} columns={4} label="Loading API keys" />
      ) : isError ? (
        <ErrorState error={error} onRetry={() => refetch()} />
      ) : keys.length === 0 ? (
        <EmptyState title="No API keys" description="Create a key and give it to the reseller." />
      ) : (
        <Table aria-label="API keys">
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Key</Table.HeaderCell>
              <Table.HeaderCell>Created</Table.HeaderCell>
              <Table.HeaderCell>Last used</Table.HeaderCell>
              <Table.HeaderCell className="w-24" />
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {keys.map((k) => (
              <Table.Row key={k.id}>
                <Table.Cell>
                  <code className="txt-compact-small">cok_{k.prefix}_…</code>
                </Table.Cell>
                <Table.Cell title={formatDateTime(k.created_at)}>{formatRelative(k.created_at)}</Table.Cell>
                <Table.Cell>{k.last_used_at ? formatRelative(k.last_used_at) : "Never"}</Table.Cell>
                <Table.Cell>
                  {k.revoked_at ? (
                    <Badge size="2xsmall" color="grey" title={formatDateTime(k.revoked_at)}>
                      Revoked
                    </Badge>
                  ) : (
                    <Button size="small" variant="transparent" onClick={() => onRevoke(k.id, k.prefix)}>
                      Revoke
                    </Button>
                  )}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
      <KeyValueRow label="Rate limit per key" value={`${limit.rate} requests/s, burst ${limit.burst}`} />
      <KeyValueRow
        label="Shipment webhook"
        value={(channel.settings as any)?.webhook_url || "Not set"}
        hint="Set the webhook URL and its signing secret under Connection. Each shipment and cancellation is POSTed there, signed with an HMAC-SHA256 X-Signature header."
      />
      <div className="flex flex-col gap-y-2 px-6 py-4">
        <Text size="small" weight="plus">
          Example request
        </Text>
        <CodeBlock snippets={[{ label: "curl", language: "bash", code: curlExample(token) }]}>
          <CodeBlock.Body />
        </CodeBlock>
        <Text size="xsmall" className="text-ui-fg-subtle">
          Read an order back with <code>GET {backendUrl()}/channel-api/orders/PO-1001</code>. The full reference is at{" "}
          <a className="text-ui-fg-interactive" href={`${backendUrl()}/channel-api/openapi.json`} target="_blank" rel="noreferrer">
            /channel-api/openapi.json
          </a>
          .
        </Text>
      </div>
      <RateLimitDrawer channel={channel} current={limit} open={limitOpen} onOpenChange={setLimitOpen} />
    </Container>
  )
}

function RateLimitDrawer({
  channel,
  current,
  open,
  onOpenChange,
}: {
  channel: Channel
  current: { rate: number; burst: number }
  open: boolean
  onOpenChange: (o: boolean) => void
}) {
  const update = useUpdateChannel(channel.id)
  const [rate, setRate] = useState(String(current.rate))
  const [burst, setBurst] = useState(String(current.burst))
  useEffect(() => {
    if (open) {
      setRate(String(current.rate))
      setBurst(String(current.burst))
    }
  }, [open, current.rate, current.burst])
  const rateN = Number(rate)
  const burstN = Number(burst)
  const valid = rateN > 0 && Number.isInteger(burstN) && burstN >= 1
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!valid) return
    update.mutate(
      { settings: { api_rate_limit: { rate: rateN, burst: burstN } } },
      {
        onSuccess: () => {
          toast.success("Rate limit saved")
          onOpenChange(false)
        },
        onError: (err) => toast.error("Could not save the rate limit", { description: errorMessage(err) }),
      }
    )
  }
  return (
    <FormDrawer
      open={open}
      onOpenChange={onOpenChange}
      title="Rate limit"
      description="How many requests each key may send"
      onSubmit={submit}
      submitting={update.isPending}
      submitDisabled={!valid}
    >
      <div className="flex flex-col gap-y-1.5">
        <Label htmlFor="api-rate" size="small" weight="plus">
          Requests per second
        </Label>
        <Input id="api-rate" size="small" type="number" min={0.1} step="any" value={rate} onChange={(e) => setRate(e.target.value)} />
      </div>
      <div className="flex flex-col gap-y-1.5">
        <Label htmlFor="api-burst" size="small" weight="plus">
          Burst
        </Label>
        <Input id="api-burst" size="small" type="number" min={1} step={1} value={burst} onChange={(e) => setBurst(e.target.value)} />
        <Text size="xsmall" className="text-ui-fg-subtle">
          Requests a key may send at once before the per-second rate applies. Past it the API answers 429 with Retry-After.
        </Text>
      </div>
    </FormDrawer>
  )
}
