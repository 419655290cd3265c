import { credentialsOf, credentialTargetChanged, formValuesOf, isShown, providerForm, settingsOf, type FieldValues } from "../channel-config"

/** The admin's channel forms for `file` and `api` channels: what they send and when they ask for credentials again. */

const file = providerForm("file")
const api = providerForm("api")
const field = (key: string) => file.settings.find((f) => f.key === key)!

describe("file channel form", () => {
  it("a create sends the shown source fields as one object, and only the credentials of that source", () => {
    const values: FieldValues = { "source.type": "sftp", "source.host": "sftp.example.com", "source.port": "2222", "source.username": "shop", "source.path": "/out", "source.url": "https://ignored" }
    expect(settingsOf(file.settings, values, { clear: false })).toEqual({
      source: { type: "sftp", host: "sftp.example.com", port: 2222, username: "shop", path: "/out" },
    })
    const creds = { password: "pw", private_key: "-----BEGIN KEY-----\nabc\n", authorization: "Bearer x" }
    expect(credentialsOf(file, creds, values)).toEqual({ password: "pw", private_key: "-----BEGIN KEY-----\nabc\n" })
    expect(credentialsOf(file, creds, { "source.type": "url" })).toEqual({ authorization: "Bearer x" })
    expect(credentialsOf(file, creds, {})).toBeUndefined() // a directory (the default) takes none
  })

  it("layouts: a preset is sent by name, a custom mapping as { columns }; hidden for JSON", () => {
    const base: FieldValues = { "source.type": "directory", "source.path": "/srv" }
    expect(settingsOf(file.settings, { ...base, layout: "shopify" }, { clear: false })).toMatchObject({ layout: "shopify" })
    const custom = settingsOf(
      file.settings,
      { ...base, format: "csv", layout: [{ field: "order_id", header: "Order No" }, { field: "sku", header: " Article " }, { field: "title", header: "" }] },
      { clear: false }
    )
    expect(custom.layout).toEqual({ columns: { order_id: "Order No", sku: "Article" } })
    const json = settingsOf(file.settings, { ...base, format: "json", layout: "shopify", delimiter: ";" }, { clear: true })
    expect(json).toMatchObject({ format: "json", layout: null, delimiter: null })
  })

  it("stored settings fill the edit form (custom columns as rows); secrets never", () => {
    const stored = { source: { type: "url", url: "https://a.example/o.csv" }, format: "csv", layout: { columns: { order_id: "No" } }, delimiter: "\t" }
    const v = formValuesOf(file.settings, stored)
    expect(v).toMatchObject({ "source.type": "url", "source.url": "https://a.example/o.csv", layout: [{ field: "order_id", header: "No" }], delimiter: "\t" })
    expect(isShown(field("source.host"), v)).toBe(false)
    expect(isShown(field("source.url"), v)).toBe(true)
    expect(Object.keys(formValuesOf(file.credentials, { password: "x" }))).toEqual(["password", "private_key", "passphrase", "authorization"])
    expect(formValuesOf(file.credentials, { password: "x" }).password).toBe("")
  })

  it("asks for the credentials again when the SFTP server, user or port, or the URL's origin changes", () => {
    const stored = { source: { type: "sftp", host: "sftp.example.com", port: 22, username: "shop", path: "/out" } }
    const edit = (patch: FieldValues) => settingsOf(file.settings, { ...formValuesOf(file.settings, stored), ...patch }, { clear: true })
    expect(credentialTargetChanged(file, stored, edit({}))).toBe(false)
    expect(credentialTargetChanged(file, stored, edit({ "source.path": "/other" }))).toBe(false)
    expect(credentialTargetChanged(file, stored, edit({ "source.host": "SFTP.example.com" }))).toBe(false)
    expect(credentialTargetChanged(file, stored, edit({ "source.host": "other.example.com" }))).toBe(true)
    expect(credentialTargetChanged(file, stored, edit({ "source.username": "other" }))).toBe(true)
    expect(credentialTargetChanged(file, stored, edit({ "source.port": "2222" }))).toBe(true)
    expect(credentialTargetChanged(file, stored, edit({ "source.type": "directory", "source.path": "/srv" }))).toBe(false)
    const url = { source: { type: "url", url: "https://a.example/o.csv" } }
    const editUrl = (u: string) => settingsOf(file.settings, { ...formValuesOf(file.settings, url), "source.url": u }, { clear: true })
    expect(credentialTargetChanged(file, url, editUrl("https://a.example/other.csv"))).toBe(false)
    expect(credentialTargetChanged(file, url, editUrl("https://b.example/o.csv"))).toBe(true)
  })

  it("other providers still ask again only for a changed base_url / auth_url", () => {
    const amazon = providerForm("amazon")
    expect(credentialTargetChanged(amazon, { base_url: "https://a" }, { base_url: "https://a", seller_id: "x" })).toBe(false)
    expect(credentialTargetChanged(amazon, { base_url: "https://a" }, { base_url: "https://b" })).toBe(true)
  })
})

describe("api channel form: webhook_events", () => {
  it("shows the default (shipments + cancellations) when unset, sends nothing on an untouched create", () => {
    const events = api.settings.find((f) => f.key === "webhook_events")!
    expect(events.kind).toBe("checkboxes")
    expect(events.options!.map((o) => o.value)).toEqual(["shipment.created", "order.canceled", "order.status_changed"])
    expect(settingsOf(api.settings, {}, { clear: false })).toEqual({})
    expect(settingsOf(api.settings, formValuesOf(api.settings, {}), { clear: true })).toMatchObject({ webhook_events: ["shipment.created", "order.canceled"] })
  })

  it("sends the checked events, status changes opted in", () => {
    const v = formValuesOf(api.settings, { webhook_url: "https://r.example/h", webhook_events: ["shipment.created", "order.status_changed"] })
    expect(v.webhook_events).toEqual(["shipment.created", "order.status_changed"])
    expect(settingsOf(api.settings, { ...v, webhook_events: [] }, { clear: true })).toMatchObject({ webhook_url: "https://r.example/h", webhook_events: [] })
  })
})
