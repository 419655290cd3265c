import { Badge, Button, Container, Text, toast, usePrompt } from "@medusajs/ui"
import { useEffect, useState, type FormEvent } from "react"
import { useTestConnection, useUpdateChannel } from "../../hooks/channels"
import {
  credentialsOf,
  credentialTargetChanged,
  formatFieldValue,
  formValuesOf,
  isShown,
  providerForm,
  settingsOf,
  storedValue,
  type ProviderForm,
} from "../../lib/channel-config"
import { errorMessage } from "../../lib/errors"
import { providerLabel } from "../../lib/format"
import type { Channel } from "../../types"
import { KeyValueRow, SectionHeader } from "../common"
import { ConnectionFields, type FieldValues } from "./connection-fields"
import { FormDrawer } from "../form-drawer"

/** What is stored, from `credentials_status` (write-only: the values are never shown). */
function StoredCredentials({ channel, form }: { channel: Channel; form: ProviderForm }) {
  if (!form.credentials.length) return null
  const status = channel.credentials_status ?? (channel.has_credentials ? "set" : "missing")
  return (
    <div className="flex items-center gap-x-2" data-testid="stored-credentials">
      <Text size="small" className="text-ui-fg-subtle">
        Stored credentials:
      </Text>
      <Badge size="2xsmall" color={status === "set" ? "green" : status === "unreadable" ? "red" : "orange"}>
        {status === "set" ? "Set" : status === "unreadable" ? "Unreadable" : "Not set"}
      </Badge>
    </div>
  )
}

/** Connection settings: write-only credentials ("Set" badge + replace), provider settings, test. */
export function ConnectionSection({ channel }: { channel: Channel }) {
  const form = providerForm(channel.provider)
  // Credentials the stored settings use (a file channel reading a directory needs none).
  const storedValues = formValuesOf(form.settings, channel.settings)
  const credentialFields = form.credentials.filter((f) => isShown(f, {}, storedValues, form.settings))
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
      {channel.credentials_status === "unreadable" ? (
        <div className="flex items-center justify-between gap-x-4 px-6 py-3" role="alert" data-testid="credentials-unreadable">
          <Text size="small" className="text-ui-fg-error">
            The stored credentials can no longer be decrypted (the plugin's encryption key changed). Imports and
            shipment updates fail until you enter the credentials again.
          </Text>
          <Button size="small" variant="primary" onClick={() => setEditing("credentials")}>
            Enter credentials again
          </Button>
        </div>
      ) : null}
      <KeyValueRow
        label="Credentials"
        hint="Stored encrypted; never shown again"
        value={
          <div className="flex items-center justify-between gap-x-2">
            {channel.credentials_status === "unreadable" ? (
              <Badge size="2xsmall" color="red">
                Unreadable
              </Badge>
            ) : channel.has_credentials ? (
              <Badge size="2xsmall" color="green">
                Set
              </Badge>
            ) : (
              <Badge size="2xsmall" color={credentialFields.length ? "orange" : "grey"}>
                {credentialFields.length ? "Not set" : "Not needed"}
              </Badge>
            )}
            {credentialFields.length ? (
              <Button size="small" variant="transparent" onClick={() => setEditing("credentials")}>
                {channel.has_credentials ? "Replace" : "Set credentials"}
              </Button>
            ) : null}
          </div>
        }
      />
      {form.settings
        .filter((f) => isShown(f, storedValues, {}, form.settings))
        .map((f) => {
          const stored = storedValue(channel.settings, f.key)
          return (
            <KeyValueRow
              key={f.key}
              label={f.label}
              value={
                f.kind === "boolean"
                  ? stored === undefined
                    ? "Default"
                    : stored
                      ? "Yes"
                      : "No"
                  : formatFieldValue(f, stored ?? f.default) || "–"
              }
            />
          )
        })}
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
    // Only the credentials the stored settings use (an SFTP source's, not a URL's).
    const credentials = credentialsOf(form, values, formValuesOf(form.settings, channel.settings)) ?? {}
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
    <FormDrawer
      open={open}
      onOpenChange={onOpenChange}
      title={channel.has_credentials ? "Replace credentials" : "Set credentials"}
      description="Credentials of the marketplace account"
      onSubmit={submit}
      submitting={update.isPending}
      footerStart={
        channel.has_credentials ? (
          <Button size="small" variant="danger" type="button" className="mr-auto" onClick={removeAll}>
            Remove credentials
          </Button>
        ) : null
      }
    >
      <StoredCredentials channel={channel} form={form} />
      <Text size="small" className="text-ui-fg-subtle">
        The stored credentials are never shown. Saving replaces all of them, so fill in every field.
      </Text>
      {form.credentials_hint ? (
        <Text size="small" className="text-ui-fg-subtle">
          {form.credentials_hint}
        </Text>
      ) : null}
      <ConnectionFields
        fields={form.credentials}
        values={values}
        onChange={setValues}
        context={formValuesOf(form.settings, channel.settings)}
        contextFields={form.settings}
      />
    </FormDrawer>
  )
}

function ProviderSettingsDrawer({ channel, open, onOpenChange }: { channel: Channel; open: boolean; onOpenChange: (o: boolean) => void }) {
  const form = providerForm(channel.provider)
  const [values, setValues] = useState<FieldValues>({})
  const update = useUpdateChannel(channel.id)

  useEffect(() => {
    if (!open) return
    setValues(formValuesOf(form.settings, channel.settings))
  }, [open]) // eslint-disable-line react-hooks/exhaustive-deps

  // The credentials are never sent to a new host with the stored ones: a changed URL (or, for a file
  // channel, SFTP server, user or port, or URL origin) needs them again, or the API answers 400.
  const urlChanged = open && credentialTargetChanged(form, channel.settings, settingsOf(form.settings, values, { clear: true }))
  const [credentialValues, setCredentialValues] = useState<FieldValues>({})
  useEffect(() => {
    if (open) setCredentialValues({})
  }, [open])

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const settings = settingsOf(form.settings, values, { clear: true })
    let credentials: Record<string, unknown> | undefined
    if (urlChanged && form.credentials.length) {
      credentials = credentialsOf(form, credentialValues, values) ?? {}
    }
    update.mutate(
      credentials ? { settings, credentials } : { settings },
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
    <FormDrawer
      open={open}
      onOpenChange={onOpenChange}
      title="Connection settings"
      description="Marketplace account settings"
      onSubmit={submit}
      submitting={update.isPending}
    >
      <ConnectionFields fields={form.settings} values={values} onChange={setValues} />
      {urlChanged && form.credentials.length ? (
        <div className="flex flex-col gap-y-4" data-testid="url-change-credentials">
          <Text size="small" className="text-ui-fg-subtle" role="note">
            {form.credentialTarget
              ? "The server, user, port or URL origin changed: enter the credentials again. The stored ones are never sent to a new place, so saving without them is refused."
              : "The URL changed: enter the credentials again. The stored ones are never sent to a new host."}
          </Text>
          <StoredCredentials channel={channel} form={form} />
          <ConnectionFields
            fields={form.credentials}
            values={credentialValues}
            onChange={setCredentialValues}
            context={values}
            contextFields={form.settings}
          />
        </div>
      ) : null}
    </FormDrawer>
  )
}
