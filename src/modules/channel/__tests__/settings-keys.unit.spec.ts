import { readdirSync, readFileSync, statSync } from "fs"
import { join } from "path"
import { MedusaError } from "@medusajs/framework/utils"
import { assertKnownChannelKeys, CORE_SETTINGS_KEYS, unknownChannelKeys } from "../settings-keys"
import { AmazonChannelProvider } from "../../../providers/amazon/service"
import { EbayChannelProvider } from "../../../providers/ebay/service"
import { MiraklChannelProvider } from "../../../providers/mirakl/service"
import { ApiChannelProvider } from "../../../providers/api/service"
import { SandboxChannelProvider } from "../../../providers/sandbox/service"
import { FileChannelProvider } from "../../../providers/file/service"
import type { IChannelProvider } from "../types/provider"

const PROVIDERS: Record<string, IChannelProvider> = {
  amazon: new AmazonChannelProvider({}, {}),
  ebay: new EbayChannelProvider({}, {}),
  mirakl: new MiraklChannelProvider({}, {}),
  api: new ApiChannelProvider({}, {}),
  sandbox: new SandboxChannelProvider({}, {}),
  file: new FileChannelProvider({}, {}),
}

const SRC = join(__dirname, "..", "..", "..")

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === "__tests__" || name === "migrations" ? [] : sources(path)
    return path.endsWith(".ts") ? [path] : []
  })
}

/** Every `settings.x`, `settings?.x`, `(settings as any).x`, `settings["x"]` (or credentials) a file reads. */
function keysRead(files: string[], what: "settings" | "credentials"): Set<string> {
  const re = new RegExp(`${what}(?: as [^)]*\\))?(?:\\?)?(?:\\.([a-z][a-z0-9_]*)|\\[\\s*"([a-z][a-z0-9_]*)"\\s*\\])`, "g")
  const out = new Set<string>()
  for (const file of files) {
    const text = readFileSync(file, "utf8")
    for (const m of text.matchAll(re)) out.add(m[1] ?? m[2])
  }
  // Array and object methods, not keys; `rate` is read from `apiRateLimitOf(channel.settings as any).rate`.
  for (const m of ["length", "map", "get", "some", "includes", "rate"]) out.delete(m)
  return out
}

describe("channel settings and credential keys", () => {
  it("every built-in provider declares its own keys", () => {
    for (const [id, provider] of Object.entries(PROVIDERS)) {
      expect({ id, settings: Array.isArray(provider.settings_keys) }).toEqual({ id, settings: true })
      expect({ id, credentials: Array.isArray(provider.credential_keys) }).toEqual({ id, credentials: true })
    }
  })

  it("declares every settings and credential key a provider's code reads (a missed key would break a real channel)", () => {
    for (const [id, provider] of Object.entries(PROVIDERS)) {
      const files = sources(join(SRC, "providers", id))
      const known = new Set([...CORE_SETTINGS_KEYS, ...(provider.settings_keys ?? [])])
      const missingSettings = [...keysRead(files, "settings")].filter((k) => !known.has(k))
      const missingCredentials = [...keysRead(files, "credentials")].filter((k) => !(provider.credential_keys ?? []).includes(k))
      expect({ id, missingSettings, missingCredentials }).toEqual({ id, missingSettings: [], missingCredentials: [] })
    }
  })

  it("the common settings cover every key the pipeline, jobs and routes read", () => {
    const files = [...sources(join(SRC, "workflows")), ...sources(join(SRC, "jobs")), ...sources(join(SRC, "api")), ...sources(join(SRC, "subscribers"))]
    const providerKeys = new Set(Object.values(PROVIDERS).flatMap((p) => [...(p.settings_keys ?? [])]))
    const unknown = [...keysRead(files, "settings")].filter((k) => !CORE_SETTINGS_KEYS.includes(k) && !providerKeys.has(k))
    expect(unknown).toEqual([])
  })

  it("accepts the admin forms' and the demo seed's keys", () => {
    const forms = readFileSync(join(SRC, "admin", "lib", "channel-config.ts"), "utf8")
    for (const [id, provider] of Object.entries(PROVIDERS)) {
      const block = forms.slice(forms.indexOf(`  ${id}: {`))
      const settingsPart = block.slice(block.indexOf("settings: ["), block.indexOf("\n  },"))
      const credentialsPart = block.slice(block.indexOf("credentials: ["), block.indexOf("settings: ["))
      const keysIn = (part: string) => [...part.matchAll(/key: "([a-z_]+)"/g)].map((m) => m[1])
      const settings = Object.fromEntries(keysIn(settingsPart).map((k) => [k, 1]))
      const credentials = Object.fromEntries(keysIn(credentialsPart).map((k) => [k, "x"]))
      expect({ id, unknown: unknownChannelKeys(provider, { settings, credentials }) }).toEqual({ id, unknown: [] })
    }
    const seed = readFileSync(join(SRC, "scripts", "seed-sandbox.ts"), "utf8")
    const seeded = seed.slice(seed.indexOf("settings: {"), seed.indexOf("},\n    },"))
    const keys = [...seeded.matchAll(/^\s+([a-z_]+):/gm)].map((m) => m[1]).filter((k) => k !== "settings" && k !== "standard" && k !== "express")
    expect(keys.length).toBeGreaterThan(4)
    expect(unknownChannelKeys(PROVIDERS.sandbox, { settings: Object.fromEntries(keys.map((k) => [k, 1])) })).toEqual([])
  })

  it("names every unknown settings and credential key, with the closest known key", () => {
    const input = { settings: { shipping_mappings: {}, lookback_hours: 5, marketplace_ids: ["X"] }, credentials: { client_id: "a", clientsecret: "b" } }
    expect(unknownChannelKeys(PROVIDERS.amazon, input)).toEqual(["credentials.clientsecret", "settings.shipping_mappings"])
    expect(() => assertKnownChannelKeys("amazon", PROVIDERS.amazon, input)).toThrow(MedusaError)
    try {
      assertKnownChannelKeys("amazon", PROVIDERS.amazon, input)
    } catch (e: any) {
      expect(e.type).toBe(MedusaError.Types.INVALID_DATA)
      expect(e.message).toContain("settings.shipping_mappings (did you mean settings.shipping_mapping?)")
      expect(e.message).toContain("credentials.clientsecret (did you mean credentials.client_secret?)")
    }
  })

  it("a provider's keys belong to it alone", () => {
    expect(unknownChannelKeys(PROVIDERS.mirakl, { settings: { marketplace_ids: ["A1PM2CXPQJ5UZJ"] } })).toEqual(["settings.marketplace_ids"])
    expect(unknownChannelKeys(PROVIDERS.amazon, { settings: { shop_id: 1 } })).toEqual(["settings.shop_id"])
    expect(unknownChannelKeys(PROVIDERS.api, { credentials: { api_key: "k" } })).toEqual(["credentials.api_key"])
  })

  it("a third-party provider that declares no keys keeps free-form keys of that kind", () => {
    const custom = { settings_keys: undefined, credential_keys: undefined }
    expect(unknownChannelKeys(custom, { settings: { anything: 1 }, credentials: { token: "t" } })).toEqual([])
    expect(unknownChannelKeys({ settings_keys: ["region"] }, { settings: { regoin: 1 }, credentials: { token: "t" } })).toEqual(["settings.regoin"])
  })
})
