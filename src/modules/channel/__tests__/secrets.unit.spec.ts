import { REDACTED, forgetRememberedSecrets, rememberSecrets, scrubDeep, scrubError, scrubSecrets } from "../scrub"
import { changedCredentialUrls, credentialUrlProblem, credentialUrlProblems, hostMatches } from "../hosts"
import { ChannelCredentialsUnreadableError, EncryptionKeyError, resolveEncryptionKey } from "../credentials"
import { ChannelProviderError } from "../errors"
import { AMAZON_HOSTS, EBAY_HOSTS, MIRAKL_HOSTS } from "../../../providers/shared/published-hosts"

describe("scrubSecrets (issue 17, item 1)", () => {
  afterEach(() => forgetRememberedSecrets())

  it("removes a multi-line API key quoted by fetch's header validation, whole and line by line", () => {
    const key = "mk-4f1c9a7e\nsecond-line-9x8y"
    const message = `Network error: Headers.append: "${key}" is an invalid header value.`
    const out = scrubSecrets(message, { api_key: key })
    expect(out).toBe(`Network error: Headers.append: "${REDACTED}" is an invalid header value.`)
    expect(scrubSecrets(`refused: second-line-9x8y`, { api_key: key })).toBe(`refused: ${REDACTED}`)
    expect(scrubSecrets(`key mk-4f1c9a7e only`, { api_key: key })).toBe(`key ${REDACTED} only`)
  })

  it("removes URL-encoded, form-encoded, JSON-escaped and base64 forms of a credential", () => {
    const secret = "s3cr3t/with+chars&=\"x\"\nline"
    const creds = { client_secret: secret }
    for (const form of [
      encodeURIComponent(secret),
      new URLSearchParams({ v: secret }).toString().slice(2),
      JSON.stringify(secret).slice(1, -1),
      Buffer.from(secret).toString("base64"),
    ]) {
      const out = scrubSecrets(`before ${form} after`, creds)
      expect(out).not.toContain("s3cr3t")
      expect(out).toContain(REDACTED)
    }
  })

  it("removes common token shapes whoever wrote them", () => {
    const text = [
      "Authorization: Bearer Atza|IwEBIA1b2c3d4e5",
      "refresh Atzr|IwEBIFabc123def456",
      "ebay v^1.1#i^1#p^3#r^1#f^0#t^H4sIAAAAAAAA",
      "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
      "grant_type=refresh_token&refresh_token=abc123secret&client_secret=zzz999",
      '{"access_token":"tok-123456","expires_in":3600}',
    ].join("\n")
    const out = scrubSecrets(text)
    for (const leak of ["Atza|IwEB", "Atzr|IwEB", "H4sIAAAA", "eyJhbGci", "abc123secret", "zzz999", "tok-123456"]) expect(out).not.toContain(leak)
    expect(out).toContain("grant_type=refresh_token")
    expect(out).toContain('"expires_in":3600')
    // Prose is left alone.
    expect(scrubSecrets("Basic authentication failed for the shop")).toBe("Basic authentication failed for the shop")
  })

  it("scrubs credentials this process opened even when the caller does not pass them", () => {
    rememberSecrets({ api_key: "remembered-key-42" })
    expect(scrubSecrets("the key remembered-key-42 was refused")).toBe(`the key ${REDACTED} was refused`)
  })

  it("scrubs every string of an outcome, and an error's message in place (its cause dropped)", () => {
    const creds = { refresh_token: "rt-000-secret" }
    expect(scrubDeep({ a: ["x rt-000-secret"], b: { c: "rt-000-secret" }, n: 1 }, creds)).toEqual({ a: [`x ${REDACTED}`], b: { c: REDACTED }, n: 1 })
    const e = new ChannelProviderError("network_error", "Network error: rt-000-secret", { marketplace_message: "echo rt-000-secret", cause: new Error("rt-000-secret") })
    scrubError(e, creds)
    expect(e.message).toBe(`Network error: ${REDACTED}`)
    expect(e.marketplace_message).toBe(`echo ${REDACTED}`)
    expect((e as any).cause).toBeUndefined()
    expect(e.stack).not.toContain("rt-000-secret")
    expect(e.code).toBe("network_error")
  })
})

describe("credential hosts (issue 17, item 2)", () => {
  const policy = (provider_id: string, published: readonly string[] | undefined, production: boolean, allowed_hosts?: Record<string, string[]>) => ({
    provider_id,
    published,
    production,
    allowed_hosts,
  })

  it("accepts only https and the published hosts in production", () => {
    expect(credentialUrlProblem("auth_url", "https://api.amazon.com/auth/o2/token", policy("amazon", AMAZON_HOSTS, true))).toBeNull()
    expect(credentialUrlProblem("base_url", "https://sellingpartnerapi-eu.amazon.com", policy("amazon", AMAZON_HOSTS, true))).toBeNull()
    expect(credentialUrlProblem("auth_url", "https://attacker.example.com/token", policy("amazon", AMAZON_HOSTS, true))).toMatch(/not a published amazon host/)
    expect(credentialUrlProblem("auth_url", "http://api.amazon.com/auth/o2/token", policy("amazon", AMAZON_HOSTS, true))).toMatch(/https/)
    expect(credentialUrlProblem("base_url", "https://acme-prod.mirakl.net", policy("mirakl", MIRAKL_HOSTS, true))).toBeNull()
    expect(credentialUrlProblem("base_url", "https://mirakl.net.attacker.example", policy("mirakl", MIRAKL_HOSTS, true))).not.toBeNull()
    expect(credentialUrlProblem("base_url", "https://api.sandbox.ebay.com", policy("ebay", EBAY_HOSTS, true))).toBeNull()
    expect(credentialUrlProblem("base_url", "https://user:pw@api.ebay.com", policy("ebay", EBAY_HOSTS, true))).toMatch(/user name/)
  })

  it("lets allowed_hosts widen a provider's list; plain http only for those hosts and never in production", () => {
    const local = { mirakl: ["127.0.0.1"] }
    expect(credentialUrlProblem("base_url", "http://127.0.0.1:4000", policy("mirakl", MIRAKL_HOSTS, false, local))).toBeNull()
    expect(credentialUrlProblem("base_url", "http://127.0.0.1:4000", policy("mirakl", MIRAKL_HOSTS, true, local))).toMatch(/https/)
    expect(credentialUrlProblem("base_url", "https://127.0.0.1:4000", policy("mirakl", MIRAKL_HOSTS, true, local))).toBeNull()
    expect(credentialUrlProblem("base_url", "http://127.0.0.1:4000", policy("ebay", EBAY_HOSTS, false, local))).not.toBeNull()
    expect(credentialUrlProblem("base_url", "http://127.0.0.1:4000", policy("ebay", EBAY_HOSTS, false, { "*": ["127.0.0.1"] }))).toBeNull()
    expect(credentialUrlProblem("base_url", "http://acme-prod.mirakl.net", policy("mirakl", MIRAKL_HOSTS, false, local))).toMatch(/https/)
  })

  it("accepts any https host for a provider that declares none", () => {
    expect(credentialUrlProblem("base_url", "https://erp.example.com", policy("custom", undefined, true))).toBeNull()
    expect(credentialUrlProblem("base_url", "http://erp.example.com", policy("custom", undefined, true))).not.toBeNull()
    expect(credentialUrlProblems({ base_url: "ftp://x", auth_url: "nope" }, policy("custom", undefined, false))).toHaveLength(2)
  })

  it("matches wildcards on subdomains only, and finds changed credential URLs", () => {
    expect(hostMatches("acme-prod.mirakl.net", "*.mirakl.net")).toBe(true)
    expect(hostMatches("mirakl.net", "*.mirakl.net")).toBe(false)
    expect(hostMatches("evilmirakl.net", "*.mirakl.net")).toBe(false)
    expect(changedCredentialUrls({ base_url: "https://a.mirakl.net/" }, { base_url: "https://A.mirakl.net" })).toEqual([])
    expect(changedCredentialUrls({}, { auth_url: null, base_url: "" })).toEqual([])
    expect(changedCredentialUrls({ auth_url: "https://api.amazon.com/auth/o2/token" }, { auth_url: "https://evil.example/token" })).toEqual(["auth_url"])
  })
})

describe("encryption key (issue 17, item 4)", () => {
  const prod = { NODE_ENV: "production" } as NodeJS.ProcessEnv
  const dev = { NODE_ENV: "development" } as NodeJS.ProcessEnv

  it("requires an explicit, non-default key of 16+ characters in production, with no JWT fallback", () => {
    expect(() => resolveEncryptionKey(undefined, "supersecret", prod)).toThrow(EncryptionKeyError)
    expect(() => resolveEncryptionKey(undefined, "supersecret", prod)).toThrow(/encryption_key/)
    expect(() => resolveEncryptionKey("supersecret", undefined, prod)).toThrow(/well-known/)
    expect(() => resolveEncryptionKey("short", undefined, prod)).toThrow(/16/)
    expect(resolveEncryptionKey("a-real-random-key-0123456789", undefined, prod)).toEqual({ key: "a-real-random-key-0123456789", source: "option" })
  })

  it("falls back outside production, with a warning", () => {
    const r = resolveEncryptionKey(undefined, "dev-jwt", dev)
    expect(r.source).toBe("jwt_secret")
    expect(r.warning).toMatch(/NODE_ENV=production/)
    expect(resolveEncryptionKey(undefined, undefined, dev).source).toBe("development_default")
    expect(resolveEncryptionKey("k", undefined, dev)).toEqual({ key: "k", source: "option" })
  })

  it("names undecryptable credentials with their own code", () => {
    const e = new ChannelCredentialsUnreadableError("Shop")
    expect(e).toBeInstanceOf(ChannelProviderError)
    expect(e.code).toBe("credentials_undecryptable")
    expect(e.message).toMatch(/enter the credentials again/)
  })
})

describe("start-up check of the encryption key (issue 17, item 4)", () => {
  const env = process.env.NODE_ENV
  afterEach(() => {
    process.env.NODE_ENV = env
  })
  const container = { resolve: () => ({ projectConfig: { http: { jwtSecret: "supersecret" } } }) } as any

  it("stops the module from loading in production without an explicit key, and warns elsewhere", async () => {
    const loader = (await import("../loaders/encryption-key")).default
    const logger = { warn: jest.fn() } as any
    process.env.NODE_ENV = "production"
    await expect(loader({ container, options: {}, logger } as any)).rejects.toThrow(/encryption_key/)
    await expect(loader({ container, options: { encryption_key: "a-real-random-key-0123456789" }, logger } as any)).resolves.toBeUndefined()
    process.env.NODE_ENV = "development"
    await loader({ container, options: {}, logger } as any)
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/JWT secret/))
  })
})
