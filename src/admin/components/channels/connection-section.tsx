import { Badge, Button, Container, Drawer, Heading, Text, toast, usePrompt } from "@medusajs/ui"
import { useEffect, useState, type FormEvent } from "react"
import { useTestConnection, useUpdateChannel } from "../../hooks/channels"
import { formatFieldValue, parseFieldValue, providerForm } from "../../lib/channel-config"
import { errorMessage } from "../../lib/errors"
import { providerLabel } from "../../lib/format"
import type { Channel } from "../../types"
import { KeyValueRow, SectionHeader } from "../common"
import { ConnectionFields, type FieldValues } from "./connection-fields"
import { DrawerHeader } from "../drawer-header"

/** Connection settings: write-only credentials ("Set" badge + replace), provider settings, test. */
export function ConnectionSection({ channel }: { channel: Channel }) {
  const form = providerForm(channel.provider)
  const test = useTestConnection(channel.id)
  const [editing, setEditing] = useState<null | "credentials" | "settings">(null)
  const [lastCheck, setLastCheck] = useState<{ ok: boolean; message: string } | null>(null)

  const runTest = () =>
    test.mutate(undefined, {
      onSuccess: (r) => {
        setLastCheck(r)
        if (r.ok) toast.success("Connection works", { description: r.message })
        else toast.error("Connection failed", { description: r.message })
      },
      onError: (e) => {
        setLastCheck({ ok: false, message: errorMessage(e) })
        toast.error("Connection failed", { description: errorMessage(e) })
      },
    })

  return (
    <Container className="divide-y p-0" role="region" aria-labelledby="connection-heading">
      <SectionHeader
        id="connection-heading"
        title="Connection"
        description={`How the store signs in to ${providerLabel(channel.provider)}.`}
        actions={
          <Button size="small" variant="secondary" onClick={runTest} isLoading={test.isPending}>
            Test connection
          </Button>
        }
      />
      {lastCheck ? (
        <div className="px-6 py-3" role="status" data-testid="connection-result">
          <Text size="small" className={lastCheck.ok ? "text-ui-fg-interactive" : "text-ui-fg-error"}>
            {lastCheck.ok ? "✓ " : "✕ "}
            {lastCheck.message}
          </Text>
        </div>
      ) : null}
      <KeyValueRow
        label="Credentials"
        hint="Stored encrypted; never shown again"
        value={
          <div className="flex items-center justify-between gap-x-2">
            {channel.has_credentials ? (
              <Badge size="2xsmall" color="green">
                Set
              </Badge>
            ) : (
              <Badge size="2xsmall" color={form.credentials.length ? "orange" : "grey"}>
                {form.credentials.length ? "Not set" : "Not needed"}
              </Badge>
            )}
            {form.credentials.length ? (
              <Button size="small" variant="transparent" onClick={() => setEditing("credentials")}>
                {channel.has_credentials ? "Replace" : "Set credentials"}
              </Button>
            ) : null}
          </div>
        }
      />
      {form.settings.map((f) => (
        <KeyValueRow
          key={f.key}
          label={f.label}
          value={
            f.kind === "boolean"
              ? channel.settings[f.key] === undefined
                ? "Default"
                : channel.settings[f.key]
                  ? "Yes"
                  : "No"
              : formatFieldValue(f, channel.settings[f.key]) || "–"
          }
        />
      ))}
      {form.settings.length ? (
        <div className="flex justify-end px-6 py-3">
          <Button size="small" variant="secondary" onClick={() => setEditing("settings")}>
            Edit connection settings
          </Button>
        </div>
      ) : null}
      <CredentialsDrawer channel={channel} open={editing === "credentials"} onOpenChange={(o) => setEditing(o ? "credentials" : null)} />
      <ProviderSettingsDrawer channel={channel} open={editing === "settings"} onOpenChange={(o) => setEditing(o ? "settings" : null)} />
    </Container>
  )
}

function CredentialsDrawer({ channel, open, onOpenChange }: { channel: Channel; open: boolean; onOpenChange: (o: boolean) => void }) {
  const form = providerForm(channel.provider)
  const [values, setValues] = useState<FieldValues>({})
  const update = useUpdateChannel(channel.id)
  const prompt = usePrompt()

  useEffect(() => {
    if (open) setValues({})
  }, [open])

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const credentials: Record<string, unknown> = {}
    for (const f of form.credentials) {
      const v = parseFieldValue(f, values[f.key])
      if (v !== undefined) credentials[f.key] = v
    }
    update.mutate(
      { credentials },
      {
        onSuccess: () => {
          toast.success("Credentials replaced")
          onOpenChange(false)
        },
        onError: (err) => toast.error("Could not save the credentials", { description: errorMessage(err) }),
      }
    )
  }

  const removeAll = async () => {
    const ok = await prompt({
      title: "Remove the credentials?",
      description: "Imports from this channel will fail until new credentials are set.",
      confirmText: "Remove",
      cancelText: "Cancel",
    })
    if (!ok) return
    update.mutate(
      { credentials: null },
      {
        onSuccess: () => {
          toast.success("Credentials removed")
          onOpenChange(false)
        },
        onError: (err) => toast.error("Could not remove the credentials", { description: errorMessage(err) }),
      }
    )
  }

  return (
    <Drawer open={open} onOpenChange={onOpenChange}>
      <Drawer.Content>
        <form onSubmit={submit} className="flex h-full flex-col overflow-hidden">
          <DrawerHeader>
            <Drawer.Title asChild>
              <Heading>{channel.has_credentials ? "Replace credentials" : "Set credentials"}</Heading>
            </Drawer.Title>
            <Drawer.Description className="sr-only">Credentials of the marketplace account</Drawer.Description>
          </DrawerHeader>
          <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
            <Text size="small" className="text-ui-fg-subtle">
              The stored credentials are never shown. Saving replaces all of them, so fill in every field.
            </Text>
            <ConnectionFields fields={form.credentials} values={values} onChange={setValues} />
          </Drawer.Body>
          <Drawer.Footer>
            {channel.has_credentials ? (
              <Button size="small" variant="danger" type="button" className="mr-auto" onClick={removeAll}>
                Remove credentials
              </Button>
            ) : null}
            <Drawer.Close asChild>
              <Button size="small" variant="secondary" type="button">
                Cancel
              </Button>
            </Drawer.Close>
            <Button size="small" type="submit" isLoading={update.isPending}>
              Save
            </Button>
          </Drawer.Footer>
        </form>
      </Drawer.Content>
    </Drawer>
  )
}

function ProviderSettingsDrawer({ channel, open, onOpenChange }: { channel: Channel; open: boolean; onOpenChange: (o: boolean) => void }) {
  const form = providerForm(channel.provider)
  const [values, setValues] = useState<FieldValues>({})
  const update = useUpdateChannel(channel.id)

  useEffect(() => {
    if (!open) return
    const v: FieldValues = {}
    for (const f of form.settings) {
      v[f.key] = f.kind === "boolean" ? Boolean(channel.settings[f.key]) : formatFieldValue(f, channel.settings[f.key])
    }
    setValues(v)
  }, [open]) // eslint-disable-line react-hooks/exhaustive-deps

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const settings: Record<string, unknown> = {}
    for (const f of form.settings) {
      const v = parseFieldValue(f, values[f.key])
      settings[f.key] = v === undefined ? null : v
    }
    update.mutate(
      { settings },
      {
        onSuccess: () => {
          toast.success("Connection settings saved")
          onOpenChange(false)
        },
        onError: (err) => toast.error("Could not save the connection settings", { description: errorMessage(err) }),
      }
    )
  }

  return (
    <Drawer open={open} onOpenChange={onOpenChange}>
      <Drawer.Content>
        <form onSubmit={submit} className="flex h-full flex-col overflow-hidden">
          <DrawerHeader>
            <Drawer.Title asChild>
              <Heading>Connection settings</Heading>
            </Drawer.Title>
            <Drawer.Description className="sr-only">Marketplace account settings</Drawer.Description>
          </DrawerHeader>
          <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
            <ConnectionFields fields={form.settings} values={values} onChange={setValues} />
          </Drawer.Body>
          <Drawer.Footer>
            <Drawer.Close asChild>
              <Button size="small" variant="secondary" type="button">
                Cancel
              </Button>
            </Drawer.Close>
            <Button size="small" type="submit" isLoading={update.isPending}>
              Save
            </Button>
          </Drawer.Footer>
        </form>
      </Drawer.Content>
    </Drawer>
  )
}
