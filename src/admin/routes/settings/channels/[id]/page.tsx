import { EllipsisHorizontal, PencilSquare, Trash } from "@medusajs/icons"
import {
  Button,
  Container,
  DropdownMenu,
  Heading,
  IconButton,
  Input,
  Label,
  Switch,
  Text,
  toast,
  usePrompt,
} from "@medusajs/ui"
import { useEffect, useRef, useState, type FormEvent } from "react"
import { useNavigate, useParams, useSearchParams, type UIMatch } from "react-router-dom"
import { CardSkeleton, EnabledBadge, ErrorState, TwoColumn } from "../../../../components/common"
import { ChannelOrdersSection } from "../../../../components/channels/channel-orders-section"
import { ApiKeysSection } from "../../../../components/channels/api-keys-section"
import { ConnectionSection } from "../../../../components/channels/connection-section"
import { ImportSettingsDrawer, ImportSettingsSection } from "../../../../components/channels/import-settings-section"
import { RunsSection } from "../../../../components/channels/runs-section"
import { ChannelRunProgress } from "../../../../components/marketplace/channel-run-progress"
import {
  CarrierMappingDrawer,
  CarrierMappingSection,
  ShippingMappingDrawer,
  ShippingMappingSection,
} from "../../../../components/channels/shipping-mapping"
import { SkuMappingsSection } from "../../../../components/channels/sku-mappings-section"
import { StatusRulesSection } from "../../../../components/channels/status-rules-section"
import { useChannel, useDeleteChannel, useRunImport, useUpdateChannel } from "../../../../hooks/channels"
import { errorMessage, errorStatus } from "../../../../lib/errors"
import { formatDateTime, formatRelative, nextRunAt, providerLabel, runSummary } from "../../../../lib/format"
import { sdk } from "../../../../lib/sdk"
import type { Channel, ChannelResponse } from "../../../../types"
import { FormDrawer } from "../../../../components/form-drawer"

const ChannelPage = () => {
  const { id = "" } = useParams()
  const [params] = useSearchParams()
  const { data, isLoading, isError, error, refetch } = useChannel(id)
  const [drawer, setDrawer] = useState<null | "name" | "settings" | "shipping" | "carriers">(null)
  const run = useRunImport(id)
  const statusRef = useRef<HTMLDivElement>(null)
  const highlight = params.get("status")

  useEffect(() => {
    if (highlight && data) statusRef.current?.scrollIntoView({ block: "start" })
  }, [highlight, !!data]) // eslint-disable-line react-hooks/exhaustive-deps

  if (isLoading) {
    return (
      <TwoColumn main={<><CardSkeleton rows={2} label="Loading the channel" /><CardSkeleton rows={5} /></>} side={<CardSkeleton rows={4} />} />
    )
  }
  if (isError || !data) {
    return (
      <Container className="p-0">
        <ErrorState error={error} onRetry={() => refetch()} />
      </Container>
    )
  }
  const channel = data.channel

  return (
    <TwoColumn
      main={
        <>
          <Header channel={channel} run={run} onEditName={() => setDrawer("name")} />
          <ChannelRunProgress channelId={channel.id} />
          <div ref={statusRef} className="scroll-mt-4">
            <StatusRulesSection channelId={channel.id} highlight={highlight} />
          </div>
          <ApiKeysSection channel={channel} />
          <RunsSection channelId={channel.id} polling={run.isPending} />
          <ChannelOrdersSection channelId={channel.id} />
          <SkuMappingsSection channelId={channel.id} />
          <NameDrawer channel={channel} open={drawer === "name"} onOpenChange={(o) => setDrawer(o ? "name" : null)} />
        </>
      }
      side={
        <>
          <ConnectionSection channel={channel} />
          <ImportSettingsSection channel={channel} onEdit={() => setDrawer("settings")} />
          <ShippingMappingSection channel={channel} onEdit={() => setDrawer("shipping")} />
          <CarrierMappingSection channel={channel} onEdit={() => setDrawer("carriers")} />
          <ImportSettingsDrawer channel={channel} open={drawer === "settings"} onOpenChange={(o) => setDrawer(o ? "settings" : null)} />
          <ShippingMappingDrawer channel={channel} open={drawer === "shipping"} onOpenChange={(o) => setDrawer(o ? "shipping" : null)} />
          <CarrierMappingDrawer channel={channel} open={drawer === "carriers"} onOpenChange={(o) => setDrawer(o ? "carriers" : null)} />
        </>
      }
    />
  )
}

/** "Run now" runs synchronously on the server; while it does, the page shows progress and polls the runs. */
function Header({ channel, run, onEditName }: { channel: Channel; run: ReturnType<typeof useRunImport>; onEditName: () => void }) {
  const navigate = useNavigate()
  const prompt = usePrompt()
  const update = useUpdateChannel(channel.id)
  const remove = useDeleteChannel(channel.id)
  const [elapsed, setElapsed] = useState(0)

  useEffect(() => {
    if (!run.isPending) return
    const started = Date.now()
    setElapsed(0)
    const t = setInterval(() => setElapsed(Math.round((Date.now() - started) / 1000)), 500)
    return () => clearInterval(t)
  }, [run.isPending])

  const runNow = () => {
    run.mutate(undefined, {
      onSuccess: ({ run: r }) => {
        if (r.status === "failed") {
          toast.error("Import failed", { description: r.error ?? runSummary(r) })
        } else {
          toast.success("Import finished", { description: runSummary(r) })
        }
      },
      onError: (e) => {
        const status = errorStatus(e)
        const title = status === 409 ? "An import is already running" : status === 400 ? "Cannot import" : "Import failed"
        toast.error(title, { description: errorMessage(e) })
      },
    })
  }

  const toggle = (enabled: boolean) =>
    update.mutate(
      { enabled },
      {
        onSuccess: () => toast.success(enabled ? "Channel enabled" : "Channel disabled"),
        onError: (e) => toast.error("Could not change the channel", { description: errorMessage(e) }),
      }
    )

  const onDelete = async () => {
    const ok = await prompt({
      title: `Delete ${channel.name}?`,
      description:
        "The channel, its settings and its import history are deleted. Orders already imported stay in the store.",
      confirmText: "Delete",
      cancelText: "Cancel",
      verificationText: channel.name,
      verificationInstruction: "Type the channel's name to confirm:",
    })
    if (!ok) return
    remove.mutate(undefined, {
      onSuccess: () => {
        toast.success("Channel deleted")
        navigate("/settings/channels", { replace: true })
      },
      onError: (e) => toast.error("Could not delete the channel", { description: errorMessage(e) }),
    })
  }

  const last = channel.last_run
  const next = channel.enabled ? nextRunAt(last?.started_at, channel.settings.pull_interval_minutes) : null

  return (
    <Container className="divide-y p-0">
      <div className="flex items-center justify-between gap-x-4 px-6 py-4">
        <div className="min-w-0">
          <div className="flex items-center gap-x-2">
            <Heading level="h1">{channel.name}</Heading>
            <EnabledBadge enabled={channel.enabled} />
          </div>
          <Text size="small" className="text-ui-fg-subtle mt-1">
            {providerLabel(channel.provider)} channel · created {formatDateTime(channel.created_at)}
          </Text>
        </div>
        <div className="flex items-center gap-x-2">
          <div className="flex items-center gap-x-2 pr-2">
            <Switch id="channel-enabled-toggle" checked={channel.enabled} onCheckedChange={toggle} disabled={update.isPending} />
            <Label htmlFor="channel-enabled-toggle" size="small">
              Enabled
            </Label>
          </div>
          <Button size="small" onClick={runNow} isLoading={run.isPending} disabled={!channel.enabled}>
            Run now
          </Button>
          <DropdownMenu>
            <DropdownMenu.Trigger asChild>
              <IconButton size="small" variant="transparent" aria-label="Channel actions">
                <EllipsisHorizontal />
              </IconButton>
            </DropdownMenu.Trigger>
            <DropdownMenu.Content align="end">
              <DropdownMenu.Item className="gap-x-2" onClick={onEditName}>
                <PencilSquare className="text-ui-fg-subtle" />
                Edit name
              </DropdownMenu.Item>
              <DropdownMenu.Separator />
              <DropdownMenu.Item className="gap-x-2" onClick={onDelete}>
                <Trash className="text-ui-fg-subtle" />
                Delete channel
              </DropdownMenu.Item>
            </DropdownMenu.Content>
          </DropdownMenu>
        </div>
      </div>
      {run.isPending ? (
        <div className="flex flex-col gap-y-2 px-6 py-4" role="status" aria-live="polite" data-testid="run-progress">
          <Text size="small" weight="plus">
            Importing orders from {channel.name}… {elapsed} s
          </Text>
          <div className="bg-ui-bg-subtle h-1.5 w-full overflow-hidden rounded-full" aria-hidden>
            <div className="bg-ui-fg-interactive h-full w-1/3 animate-pulse rounded-full" style={{ width: `${Math.min(95, 10 + elapsed * 6)}%`, transition: "width 0.5s" }} />
          </div>
        </div>
      ) : null}
      <div className="text-ui-fg-subtle grid grid-cols-3 gap-x-4 px-6 py-4">
        <div>
          <Text size="xsmall" className="text-ui-fg-muted">
            Last import
          </Text>
          <Text size="small" leading="compact" title={last ? formatDateTime(last.started_at) : undefined}>
            {last ? `${formatRelative(last.started_at)} · ${last.status}` : "Never"}
          </Text>
        </div>
        <div>
          <Text size="xsmall" className="text-ui-fg-muted">
            Last result
          </Text>
          <Text size="small" leading="compact">
            {last ? runSummary(last) : "–"}
          </Text>
        </div>
        <div>
          <Text size="xsmall" className="text-ui-fg-muted">
            Next scheduled run
          </Text>
          <Text size="small" leading="compact" title={next ? formatDateTime(next) : undefined}>
            {!channel.enabled ? "Paused (disabled)" : !next || next.getTime() <= Date.now() ? "Within a minute" : formatRelative(next)}
          </Text>
        </div>
      </div>
    </Container>
  )
}

function NameDrawer({ channel, open, onOpenChange }: { channel: Channel; open: boolean; onOpenChange: (o: boolean) => void }) {
  const [name, setName] = useState(channel.name)
  const update = useUpdateChannel(channel.id)
  useEffect(() => {
    if (open) setName(channel.name)
  }, [open, channel.name])
  const submit = (e: FormEvent) => {
    e.preventDefault()
    update.mutate(
      { name: name.trim() },
      {
        onSuccess: () => {
          toast.success("Channel renamed")
          onOpenChange(false)
        },
        onError: (err) => toast.error("Could not rename the channel", { description: errorMessage(err) }),
      }
    )
  }
  return (
    <FormDrawer
      open={open}
      onOpenChange={onOpenChange}
      title="Edit name"
      description="Rename the channel"
      onSubmit={submit}
      submitting={update.isPending}
      submitDisabled={!name.trim()}
      bodyClassName="gap-y-1.5"
    >
      <Label htmlFor="channel-rename" size="small" weight="plus">
        Name
      </Label>
      <Input id="channel-rename" size="small" required value={name} onChange={(e) => setName(e.target.value)} />
    </FormDrawer>
  )
}

export async function loader({ params }: { params: { id?: string } }) {
  try {
    return await sdk.client.fetch<ChannelResponse>(`/admin/channels/${params.id}`)
  } catch {
    return null
  }
}

export const handle = {
  breadcrumb: (match: UIMatch<ChannelResponse | null>) => match.data?.channel?.name ?? "Channel",
}

export default ChannelPage
