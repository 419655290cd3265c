import { Hint, Input, Label, Select, Switch, Text, toast } from "@medusajs/ui"
import { useEffect, useState, type FormEvent } from "react"
import { useCreateChannel } from "../../hooks/channels"
import { credentialsOf, isShown, providerForm, settingsOf } from "../../lib/channel-config"
import { errorMessage } from "../../lib/errors"
import { providerLabel } from "../../lib/format"
import type { Channel } from "../../types"
import { ConnectionFields, type FieldValues } from "./connection-fields"
import { FormDrawer } from "../form-drawer"

/** Name, marketplace and connection of a new channel; everything else is set on its page. */
export function CreateChannelDrawer({
  open,
  onOpenChange,
  providers,
  onCreated,
}: {
  open: boolean
  onOpenChange: (open: boolean) => void
  providers: string[]
  onCreated: (channel: Channel) => void
}) {
  const [name, setName] = useState("")
  const [provider, setProvider] = useState("")
  const [enabled, setEnabled] = useState(false)
  const [credentials, setCredentials] = useState<FieldValues>({})
  const [settings, setSettings] = useState<FieldValues>({})
  const create = useCreateChannel()

  useEffect(() => {
    if (open) {
      setName("")
      setProvider(providers[0] ?? "")
      setEnabled(false)
      setCredentials({})
      setSettings({})
    }
  }, [open]) // eslint-disable-line react-hooks/exhaustive-deps

  const form = providerForm(provider)

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!name.trim() || !provider) return
    // Only the credentials of what is shown (an SFTP source's, not a URL's), and the shown settings.
    const creds = credentialsOf(form, credentials, settings) ?? {}
    const sets = settingsOf(form.settings, settings, { clear: false })
    create.mutate(
      {
        name: name.trim(),
        provider,
        enabled,
        credentials: Object.keys(creds).length ? creds : undefined,
        settings: sets,
      },
      {
        onSuccess: ({ channel }) => {
          toast.success("Channel created", { description: `${channel.name} is ready to configure.` })
          onOpenChange(false)
          onCreated(channel)
        },
        onError: (err) => toast.error("Could not create the channel", { description: errorMessage(err) }),
      }
    )
  }

  return (
    <FormDrawer
      open={open}
      onOpenChange={onOpenChange}
      title="Create channel"
      description="A marketplace account to import orders from"
      onSubmit={submit}
      submitting={create.isPending}
      submitDisabled={!name.trim() || !provider}
      submitLabel="Create"
      bodyClassName="gap-y-6"
    >
      <div className="flex flex-col gap-y-1.5">
        <Label htmlFor="channel-name" size="small" weight="plus">
          Name
        </Label>
        <Input
          id="channel-name"
          size="small"
          required
          value={name}
          placeholder="Amazon Europe"
          onChange={(e) => setName(e.target.value)}
        />
        <Hint>How the channel is shown in lists and on orders.</Hint>
      </div>
      <div className="flex flex-col gap-y-1.5">
        <Label id="channel-provider-label" size="small" weight="plus">
          Marketplace
        </Label>
        <Select value={provider} onValueChange={setProvider} size="small">
          <Select.Trigger aria-labelledby="channel-provider-label">
            <Select.Value placeholder="Choose a marketplace" />
          </Select.Trigger>
          <Select.Content>
            {providers.map((p) => (
              <Select.Item key={p} value={p}>
                {providerLabel(p)}
              </Select.Item>
            ))}
          </Select.Content>
        </Select>
      </div>
      <div className="flex items-start justify-between gap-x-4">
        <div className="flex flex-col gap-y-0.5">
          <Label htmlFor="channel-enabled" size="small" weight="plus">
            Enabled
          </Label>
          <Hint>When enabled, orders are imported on schedule. You can enable it once it is configured.</Hint>
        </div>
        <Switch id="channel-enabled" checked={enabled} onCheckedChange={setEnabled} />
      </div>
      {form.credentials.length || form.settings.length ? (
        <div className="flex flex-col gap-y-4">
          <div>
            <Text size="small" weight="plus">
              Connection
            </Text>
            {form.credentials.length ? (
              <Text size="small" className="text-ui-fg-subtle">
                Credentials are stored encrypted and never shown again.
              </Text>
            ) : null}
          </div>
          {/* Settings that decide which credentials apply (a file channel's source) come first. */}
          {form.credentialTarget ? <ConnectionFields fields={form.settings} values={settings} onChange={setSettings} /> : null}
          {form.credentials_hint && form.credentials.some((f) => isShown(f, credentials, settings, form.settings)) ? (
            <Text size="small" className="text-ui-fg-subtle">
              {form.credentials_hint}
            </Text>
          ) : null}
          <ConnectionFields
            fields={form.credentials}
            values={credentials}
            onChange={setCredentials}
            context={settings}
            contextFields={form.settings}
          />
          {form.credentialTarget ? null : <ConnectionFields fields={form.settings} values={settings} onChange={setSettings} />}
        </div>
      ) : null}
    </FormDrawer>
  )
}
