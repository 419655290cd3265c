/**
 * Credentials never leave a provider in an error text (issue 17, item 1). Whatever produced the
 * message (Node's fetch quoting a header value it refused, a marketplace echoing a token back, a
 * provider's own wording), every text on its way to a run error, a log line, the test-connection
 * answer, a feedback error or the timeline goes through `scrubSecrets` first.
 *
 * What is replaced by `[redacted]`:
 * - every credential value the caller knows (a channel's credentials, a request's auth headers and
 *   form body), as written, URL-encoded, form-encoded, JSON-escaped and base64-encoded, and each
 *   line of a multi-line value (a key with a newline breaks header validation, and the error quotes it);
 * - every credential value this process has opened recently (`rememberSecrets`), so a message
 *   formatted far from its channel is scrubbed too;
 * - common token shapes whoever wrote the message: `Bearer …`/`Basic …`, Amazon LWA tokens
 *   (`Atza|…`, `Atzr|…`), eBay user tokens (`v^1.1#…`), JWTs, and `key=value` / `"key": "value"`
 *   pairs whose key names a secret (`access_token`, `refresh_token`, `client_secret`, `api_key`, …).
 */
export const REDACTED = "[redacted]"

/** Values shorter than this are not treated as secrets (a region code, a boolean written as text). */
const MIN_SECRET_LENGTH = 6
/** How many recently opened credential values the process keeps for scrubbing (oldest dropped first). */
const MAX_REMEMBERED = 2_000

const remembered = new Set<string>()

/** Every string leaf of a credentials object (nested objects and arrays included). */
export function secretValuesOf(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 5 || value === null || value === undefined) return out
  if (typeof value === "string") {
    if (value.trim().length >= MIN_SECRET_LENGTH) out.push(value)
  } else if (typeof value === "number" && String(value).length >= MIN_SECRET_LENGTH) {
    out.push(String(value))
  } else if (Array.isArray(value)) {
    for (const v of value) secretValuesOf(v, out, depth + 1)
  } else if (typeof value === "object") {
    for (const v of Object.values(value as Record<string, unknown>)) secretValuesOf(v, out, depth + 1)
  }
  return out
}

/** Keeps a channel's credential values so messages formatted elsewhere in this process are scrubbed too. */
export function rememberSecrets(credentials: unknown): void {
  for (const v of secretValuesOf(credentials)) {
    if (remembered.has(v)) continue
    remembered.add(v)
    if (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.values().next().value as string)
  }
}

/** Test helper: forgets what `rememberSecrets` kept. */
export function forgetRememberedSecrets(): void {
  remembered.clear()
}

function safe(fn: () => string): string | null {
  try {
    return fn()
  } catch {
    return null
  }
}

/** A value and every form it may take inside a message. */
function formsOf(value: string): string[] {
  const forms = new Set<string>()
  const add = (v: string | null) => {
    if (v && v.trim().length >= MIN_SECRET_LENGTH) forms.add(v)
  }
  const variants = [value, value.trim()]
  // Each line of a multi-line value: the error may quote the value, or only the line it choked on.
  for (const line of value.split(/\r\n|\r|\n/)) variants.push(line, line.trim())
  for (const v of variants) {
    add(v)
    add(safe(() => encodeURIComponent(v)))
    add(safe(() => new URLSearchParams({ v }).toString().slice(2)))
    add(safe(() => JSON.stringify(v).slice(1, -1)))
    add(safe(() => JSON.stringify(JSON.stringify(v)).slice(3, -3)))
    add(safe(() => Buffer.from(v, "utf8").toString("base64")))
  }
  return [...forms]
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

const SECRET_KEY = String.raw`(?:access[_-]?token|refresh[_-]?token|id[_-]?token|client[_-]?secret|api[_-]?key|apikey|password|passwd|secret|x-amz-access-token|authorization|token)`

/** Token shapes scrubbed whatever the credentials are. */
const TOKEN_PATTERNS: Array<[RegExp, string | ((m: string, ...g: string[]) => string)]> = [
  // Authorization schemes.
  [/\b(Bearer|Basic)\s+(?=\S*\d)[A-Za-z0-9._~+/=|#^:-]{6,}/gi, (_m, scheme: string) => `${scheme} ${REDACTED}`],
  // Amazon LWA access and refresh tokens.
  [/\bAtz[a-z]\|[A-Za-z0-9._~+/=|#^:%-]{6,}/g, REDACTED],
  // eBay OAuth user tokens.
  [/\bv\^1\.1#[A-Za-z0-9._~+/=|#^:%-]{6,}/g, REDACTED],
  // JWTs.
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}/g, REDACTED],
  // key=value (query strings, form bodies, log lines) and "key": "value" (JSON).
  [new RegExp(String.raw`(\b${SECRET_KEY}\b\s*=\s*)[^&\s"',;]+`, "gi"), (_m, k: string) => `${k}${REDACTED}`],
  [new RegExp(String.raw`("${SECRET_KEY}"\s*:\s*")(?:[^"\\]|\\.)*(")`, "gi"), (_m, k: string, q: string) => `${k}${REDACTED}${q}`],
]

function scrubString(text: string, forms: string[]): string {
  let out = text
  for (const form of forms) {
    if (out.includes(form)) out = out.split(form).join(REDACTED)
  }
  for (const [re, replacement] of TOKEN_PATTERNS) {
    out = out.replace(re, replacement as any)
  }
  return out
}

/** The forms to look for: the given credentials' values (any shape) plus those remembered. */
function formsFor(secrets: unknown[]): string[] {
  const values = new Set<string>(remembered)
  for (const s of secrets) for (const v of secretValuesOf(s)) values.add(v)
  // Longest first, so a value is replaced whole before any of its lines or a shorter value inside it.
  return [...new Set([...values].flatMap(formsOf))].sort((a, b) => b.length - a.length)
}

/**
 * The text with every credential value and token replaced by `[redacted]`. `secrets` are the
 * credentials objects (or single values) the text may contain, on top of the remembered ones.
 */
export function scrubSecrets(text: string, ...secrets: unknown[]): string
export function scrubSecrets(text: string | null | undefined, ...secrets: unknown[]): string | null | undefined
export function scrubSecrets(text: string | null | undefined, ...secrets: unknown[]): string | null | undefined {
  if (typeof text !== "string" || !text) return text
  return scrubString(text, formsFor(secrets))
}

/** The same, for every string inside a JSON-like value (an outcome, a response body kept for the admin). */
export function scrubDeep<T>(value: T, ...secrets: unknown[]): T {
  const forms = formsFor(secrets)
  const walk = (v: any, depth: number): any => {
    if (typeof v === "string") return scrubString(v, forms)
    if (depth > 20 || v === null || typeof v !== "object") return v
    if (v instanceof Date) return v
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1))
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) out[k] = walk(x, depth + 1)
    return out
  }
  return walk(value, 0)
}

/**
 * The error with its message (and the marketplace's message it keeps) scrubbed in place, so every
 * later reader (a log, a run row, a timeline event) gets the clean text. The error's `cause` is
 * dropped: it is the raw exception and may quote the value again.
 */
export function scrubError<E>(error: E, ...secrets: unknown[]): E {
  if (!error || typeof error !== "object") return error
  const e = error as any
  const forms = formsFor(secrets)
  for (const key of ["message", "marketplace_message", "stack"]) {
    if (typeof e[key] === "string") {
      const clean = scrubString(e[key], forms)
      if (clean !== e[key]) {
        try {
          Object.defineProperty(e, key, { value: clean, writable: true, configurable: true, enumerable: key === "marketplace_message" })
        } catch {
          // a frozen error: leave it, callers scrub the text they take from it
        }
      }
    }
  }
  if (e.cause !== undefined) {
    try {
      delete e.cause
    } catch {
      // ignore
    }
  }
  return error
}
