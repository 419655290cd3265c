import { Input, Select } from "@medusajs/ui"
import { Field } from "../field"
import type { FileLocation, LocationSecrets } from "../../hooks/transfers"

export type LocationDraft = {
  type: "directory" | "sftp" | "url"
  path: string
  host: string
  port: string
  username: string
  host_key_fingerprint: string
  url: string
}

export const emptyLocation = (): LocationDraft => ({ type: "directory", path: "", host: "", port: "22", username: "", host_key_fingerprint: "", url: "" })

export function toDraft(l: FileLocation | null | undefined): LocationDraft {
  const d = emptyLocation()
  if (!l) return d
  if (l.type === "directory") return { ...d, type: "directory", path: l.path }
  if (l.type === "sftp") return { ...d, type: "sftp", host: l.host, port: String(l.port ?? 22), username: l.username, path: l.path, host_key_fingerprint: l.host_key_fingerprint ?? "" }
  return { ...d, type: "url", url: l.url }
}

/** The draft as the API takes it; null while a required field is empty. */
export function fromDraft(d: LocationDraft): FileLocation | null {
  if (d.type === "directory") return d.path.trim() ? { type: "directory", path: d.path.trim() } : null
  if (d.type === "url") return d.url.trim() ? { type: "url", url: d.url.trim() } : null
  if (!d.host.trim() || !d.username.trim() || !d.path.trim()) return null
  const port = Number(d.port)
  return {
    type: "sftp",
    host: d.host.trim(),
    username: d.username.trim(),
    path: d.path.trim(),
    ...(Number.isInteger(port) && port > 0 ? { port } : {}),
    ...(d.host_key_fingerprint.trim() ? { host_key_fingerprint: d.host_key_fingerprint.trim() } : {}),
  }
}

/** Where files are written (exports) or read (status imports): a server directory, SFTP, or (imports) a URL. Secrets are write-only. */
export function LocationFields({
  value,
  onChange,
  secrets,
  onSecretsChange,
  allowUrl,
  hasStoredSecrets,
}: {
  value: LocationDraft
  onChange: (v: LocationDraft) => void
  secrets: LocationSecrets
  onSecretsChange: (v: LocationSecrets) => void
  allowUrl?: boolean
  hasStoredSecrets?: boolean
}) {
  const set = (patch: Partial<LocationDraft>) => onChange({ ...value, ...patch })
  const secretHint = hasStoredSecrets ? "Stored and never shown. Leave empty to keep it." : undefined
  return (
    <div className="flex flex-col gap-y-4">
      <Field label="Location" hint="Processed files move to processed/, files with errors to failed/ with a report.">
        {({ id, labelId, hintId }) => (
          <Select size="small" value={value.type} onValueChange={(v) => set({ type: v as LocationDraft["type"] })}>
            <Select.Trigger id={id} aria-labelledby={labelId} aria-describedby={hintId}>
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              <Select.Item value="directory">Directory on the server</Select.Item>
              <Select.Item value="sftp">SFTP server</Select.Item>
              {allowUrl ? <Select.Item value="url">HTTP(S) URL (read only)</Select.Item> : null}
            </Select.Content>
          </Select>
        )}
      </Field>
      {value.type === "url" ? (
        <>
          <Field label="URL">{({ id }) => <Input id={id} size="small" value={value.url} onChange={(e) => set({ url: e.target.value })} placeholder="https://erp.example.com/status.csv" />}</Field>
          <Field label="Authorization header" hint={secretHint ?? "Optional, e.g. Bearer …"}>
            {({ id }) => <Input id={id} size="small" type="password" autoComplete="off" value={secrets.authorization ?? ""} onChange={(e) => onSecretsChange({ ...secrets, authorization: e.target.value })} />}
          </Field>
        </>
      ) : (
        <>
          {value.type === "sftp" ? (
            <div className="grid grid-cols-[1fr_100px] gap-x-3 gap-y-4">
              <Field label="Host">{({ id }) => <Input id={id} size="small" value={value.host} onChange={(e) => set({ host: e.target.value })} />}</Field>
              <Field label="Port">{({ id }) => <Input id={id} size="small" inputMode="numeric" value={value.port} onChange={(e) => set({ port: e.target.value })} />}</Field>
              <Field label="User">{({ id }) => <Input id={id} size="small" value={value.username} onChange={(e) => set({ username: e.target.value })} />}</Field>
              <div />
            </div>
          ) : null}
          <Field label={value.type === "sftp" ? "Remote folder" : "Directory"}>
            {({ id }) => <Input id={id} size="small" value={value.path} onChange={(e) => set({ path: e.target.value })} placeholder="/var/exports/erp" />}
          </Field>
          {value.type === "sftp" ? (
            <>
              <Field label="Host key fingerprint" hint="Optional SHA256:… of the server's key; any other key is refused.">
                {({ id }) => <Input id={id} size="small" value={value.host_key_fingerprint} onChange={(e) => set({ host_key_fingerprint: e.target.value })} />}
              </Field>
              <Field label="Password" hint={secretHint}>
                {({ id }) => <Input id={id} size="small" type="password" autoComplete="off" value={secrets.password ?? ""} onChange={(e) => onSecretsChange({ ...secrets, password: e.target.value })} />}
              </Field>
              <Field label="Private key" hint={secretHint ?? "Or a private key (PEM / OpenSSH) instead of a password."}>
                {({ id }) => (
                  <textarea
                    id={id}
                    className="bg-ui-bg-field shadow-borders-base txt-compact-small min-h-[72px] rounded-md px-2 py-1.5 font-mono"
                    autoComplete="off"
                    value={secrets.private_key ?? ""}
                    onChange={(e) => onSecretsChange({ ...secrets, private_key: e.target.value })}
                  />
                )}
              </Field>
            </>
          ) : null}
        </>
      )}
    </div>
  )
}

/** Secrets actually typed in, or undefined (keep the stored ones). */
export function typedSecrets(s: LocationSecrets): LocationSecrets | undefined {
  const out: LocationSecrets = {}
  for (const [k, v] of Object.entries(s)) if (typeof v === "string" && v.trim()) (out as any)[k] = v
  return Object.keys(out).length ? out : undefined
}
