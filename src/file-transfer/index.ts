import crypto from "node:crypto"
import fs from "node:fs"
import fsp from "node:fs/promises"
import path from "node:path"
import { PassThrough, Readable } from "node:stream"
import { pipeline } from "node:stream/promises"
import { hostMatches } from "../modules/channel/hosts"
import { scrubSecrets } from "../modules/channel/scrub"
import type { FileLocation, FileLocationSecrets, FileTransferErrorCode, FileTransport, TransferFile, TransferFolder } from "./types"

export * from "./types"

/** A transfer that failed, with a code a caller can act on. The message never holds a secret. */
export class FileTransferError extends Error {
  readonly code: FileTransferErrorCode
  readonly retryable: boolean
  constructor(code: FileTransferErrorCode, message: string, opts: { retryable?: boolean } = {}) {
    super(message)
    this.name = "FileTransferError"
    this.code = code
    this.retryable = opts.retryable ?? (code === "unreachable" || code === "io_error")
  }
}

export type OpenFileTransportOptions = {
  /** Hosts an `sftp` or `url` location may point at (`*.example.com` matches subdomains); unset = any. */
  allowed_hosts?: string[]
  /** Connection / request timeout in milliseconds (default 20 s). */
  timeout_ms?: number
}

const FOLDERS: readonly TransferFolder[] = ["processed", "failed"]

/** A file name the transports accept: one path segment, no traversal. */
function assertPlainName(name: string): void {
  if (!name || name === "." || name === ".." || /[\\/\u0000]/.test(name)) {
    throw new FileTransferError("io_error", `"${name}" is not a plain file name`, { retryable: false })
  }
}

/** The error's code, read from what Node, ssh2 and fetch throw. */
export function transferErrorCode(e: any): FileTransferErrorCode {
  if (e instanceof FileTransferError) return e.code
  const code = String(e?.code ?? "")
  const text = String(e?.message ?? e ?? "")
  if (code === "ENOENT" || code === "2" || /no such file|not found|does not exist/i.test(text)) return "location_not_found"
  if (e?.level === "client-authentication" || /authentication|auth methods|permission denied \(publickey|login|unauthori[sz]ed|forbidden/i.test(text))
    return "auth_failed"
  if (["ECONNREFUSED", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "ERR_GENERIC_CLIENT"].includes(code)) return "unreachable"
  if (/timed? ?out|refused|lookup failed|unreachable|handshake|reset/i.test(text) || e?.name === "TimeoutError" || e?.level === "client-timeout" || e?.level === "client-socket")
    return "unreachable"
  if (code === "EACCES" || code === "EPERM" || code === "3" || /permission denied/i.test(text)) return "io_error"
  return "io_error"
}

/** Wraps any error as a FileTransferError with its message scrubbed of the location's secrets. */
function wrap(e: any, what: string, secrets: FileLocationSecrets): FileTransferError {
  if (e instanceof FileTransferError) return e
  const code = transferErrorCode(e)
  const detail = scrubSecrets(String(e?.message ?? e), secrets)
  return new FileTransferError(code, `${what}: ${detail}`)
}

function checkHost(host: string, allowed: string[] | undefined): void {
  if (!allowed?.length) return
  const h = host.toLowerCase()
  if (!allowed.some((p) => hostMatches(h, p))) {
    throw new FileTransferError("host_not_allowed", `Host ${host} is not among the allowed hosts`, { retryable: false })
  }
}

/**
 * Opens a location: a local directory, an SFTP folder or one HTTP(S) file. A directory or SFTP
 * path that does not exist fails here with `location_not_found`, a refused login with
 * `auth_failed`, a server that does not answer with `unreachable`.
 */
export async function openFileTransport(location: FileLocation, secrets: FileLocationSecrets = {}, options: OpenFileTransportOptions = {}): Promise<FileTransport> {
  switch (location?.type) {
    case "directory":
      return DirectoryTransport.open(location.path)
    case "sftp":
      checkHost(location.host, options.allowed_hosts)
      return SftpTransport.open(location, secrets, options)
    case "url": {
      let url: URL
      try {
        url = new URL(location.url)
      } catch {
        throw new FileTransferError("location_not_found", "The source URL is not a valid absolute URL", { retryable: false })
      }
      if (!["http:", "https:"].includes(url.protocol)) throw new FileTransferError("location_not_found", "The source URL must be http(s)", { retryable: false })
      checkHost(url.hostname, options.allowed_hosts)
      return new UrlTransport(url, secrets, options)
    }
    default:
      throw new FileTransferError("location_not_found", `Unknown location type "${(location as any)?.type}"`, { retryable: false })
  }
}

const byOldest = (a: TransferFile, b: TransferFile) => a.modified_at.localeCompare(b.modified_at) || a.name.localeCompare(b.name)
/** Temporary names the transports write before renaming; never listed. */
const isTemp = (name: string) => name.startsWith(".") || name.endsWith(".part")
const tempName = (name: string) => `.${name}.${crypto.randomBytes(6).toString("hex")}.part`

/** A free name in a folder: `name`, else `name` with a time stamp before its extension (a re-read file meets its earlier self). */
function uniqueName(name: string, taken: (n: string) => Promise<boolean>): Promise<string> {
  return (async () => {
    if (!(await taken(name))) return name
    const ext = path.extname(name)
    const base = name.slice(0, name.length - ext.length)
    const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")
    for (let i = 0; ; i++) {
      const candidate = `${base}.${stamp}${i ? `-${i}` : ""}${ext}`
      if (!(await taken(candidate))) return candidate
    }
  })()
}

// ---- local directory ------------------------------------------------------------------------

class DirectoryTransport implements FileTransport {
  private constructor(private readonly root: string) {}

  static async open(dir: string): Promise<DirectoryTransport> {
    if (!dir || typeof dir !== "string") throw new FileTransferError("location_not_found", "The directory path is empty", { retryable: false })
    const root = path.resolve(dir)
    let stat: fs.Stats
    try {
      stat = await fsp.stat(root)
    } catch (e: any) {
      if (e?.code === "ENOENT") throw new FileTransferError("location_not_found", `Directory ${root} does not exist`, { retryable: false })
      throw wrap(e, `Directory ${root} cannot be read`, {})
    }
    if (!stat.isDirectory()) throw new FileTransferError("location_not_found", `${root} is not a directory`, { retryable: false })
    return new DirectoryTransport(root)
  }

  async list(options: { pattern?: RegExp } = {}): Promise<TransferFile[]> {
    try {
      const entries = await fsp.readdir(this.root, { withFileTypes: true })
      const out: TransferFile[] = []
      for (const e of entries) {
        if (!e.isFile() || isTemp(e.name)) continue
        if (options.pattern && !options.pattern.test(e.name)) continue
        const st = await fsp.stat(path.join(this.root, e.name)).catch(() => null)
        if (st) out.push({ name: e.name, size: st.size, modified_at: st.mtime.toISOString() })
      }
      return out.sort(byOldest)
    } catch (e) {
      throw wrap(e, `Directory ${this.root} cannot be listed`, {})
    }
  }

  async read(name: string): Promise<Readable> {
    assertPlainName(name)
    const file = path.join(this.root, name)
    try {
      const handle = await fsp.open(file, "r")
      return handle.createReadStream()
    } catch (e: any) {
      if (e?.code === "ENOENT") throw new FileTransferError("location_not_found", `File ${name} is not in ${this.root}`, { retryable: false })
      throw wrap(e, `File ${name} cannot be read`, {})
    }
  }

  async write(name: string, body: string | Buffer | Readable, options: { folder?: TransferFolder } = {}): Promise<{ path: string }> {
    assertPlainName(name)
    const dir = options.folder ? path.join(this.root, options.folder) : this.root
    const target = path.join(dir, name)
    const temp = path.join(dir, tempName(name))
    try {
      await fsp.mkdir(dir, { recursive: true })
      if (body instanceof Readable) await pipeline(body, fs.createWriteStream(temp))
      else await fsp.writeFile(temp, body)
      await fsp.rename(temp, target)
      return { path: target }
    } catch (e) {
      await fsp.rm(temp, { force: true }).catch(() => undefined)
      throw wrap(e, `File ${name} cannot be written to ${dir}`, {})
    }
  }

  async move(name: string, folder: TransferFolder): Promise<{ path: string }> {
    assertPlainName(name)
    if (!FOLDERS.includes(folder)) throw new FileTransferError("io_error", `Unknown folder ${folder}`, { retryable: false })
    const dir = path.join(this.root, folder)
    try {
      await fsp.mkdir(dir, { recursive: true })
      const target = await uniqueName(name, (n) => fsp.access(path.join(dir, n)).then(() => true, () => false))
      await fsp.rename(path.join(this.root, name), path.join(dir, target))
      return { path: path.join(dir, target) }
    } catch (e: any) {
      if (e?.code === "ENOENT") throw new FileTransferError("location_not_found", `File ${name} is not in ${this.root}`, { retryable: false })
      throw wrap(e, `File ${name} cannot be moved to ${folder}/`, {})
    }
  }

  async close(): Promise<void> {}
}

// ---- SFTP ------------------------------------------------------------------------------------

type SftpClient = {
  connect(config: Record<string, unknown>): Promise<unknown>
  list(path: string): Promise<Array<{ type: string; name: string; size: number; modifyTime: number }>>
  stat(path: string): Promise<{ isDirectory: boolean; isFile: boolean }>
  exists(path: string): Promise<false | "d" | "-" | "l">
  mkdir(path: string, recursive?: boolean): Promise<string>
  rename(from: string, to: string): Promise<string>
  posixRename(from: string, to: string): Promise<string>
  delete(path: string, notFoundOK?: boolean): Promise<string>
  put(src: string | Buffer | Readable, remotePath: string): Promise<string>
  createReadStream(path: string, options?: Record<string, unknown>): Readable
  end(): Promise<boolean>
  on(event: string, cb: (...args: any[]) => void): void
}

/** `SHA256:<base64>` of a host key, as `ssh-keygen -l` prints it. */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${crypto.createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`
}

class SftpTransport implements FileTransport {
  private constructor(
    private readonly client: SftpClient,
    private readonly root: string,
    private readonly label: string,
    private readonly secrets: FileLocationSecrets
  ) {}

  static async open(
    location: Extract<FileLocation, { type: "sftp" }>,
    secrets: FileLocationSecrets,
    options: OpenFileTransportOptions
  ): Promise<SftpTransport> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Client = require("ssh2-sftp-client")
    const client: SftpClient = new Client("file-transfer")
    const port = Number(location.port ?? 22)
    const label = `sftp://${location.username}@${location.host}:${port}`
    if (!secrets.password && !secrets.private_key) {
      throw new FileTransferError("auth_failed", `${label}: no password or private key is set`, { retryable: false })
    }
    let seenFingerprint: string | null = null
    const expected = location.host_key_fingerprint?.trim() || null
    const config: Record<string, unknown> = {
      host: location.host,
      port,
      username: location.username,
      readyTimeout: options.timeout_ms ?? 20_000,
      retries: 0,
      ...(secrets.password ? { password: secrets.password } : {}),
      ...(secrets.private_key ? { privateKey: secrets.private_key, ...(secrets.passphrase ? { passphrase: secrets.passphrase } : {}) } : {}),
      hostVerifier: (key: Buffer) => {
        seenFingerprint = hostKeyFingerprint(key)
        return !expected || seenFingerprint === expected || seenFingerprint.replace(/^SHA256:/, "") === expected.replace(/^SHA256:/, "")
      },
    }
    // A late socket error after connect must not crash the process.
    client.on("error", () => undefined)
    try {
      await client.connect(config)
    } catch (e: any) {
      await client.end().catch(() => undefined)
      if (expected && seenFingerprint && seenFingerprint !== expected) {
        throw new FileTransferError("host_key_mismatch", `${label}: the server's host key ${seenFingerprint} is not the expected ${expected}`, { retryable: false })
      }
      const code = transferErrorCode(e)
      const reason = code === "auth_failed" ? "the login was refused" : scrubSecrets(String(e?.message ?? e), secrets)
      throw new FileTransferError(code === "location_not_found" ? "unreachable" : code, `${label}: ${reason}`)
    }
    const root = location.path || "."
    const transport = new SftpTransport(client, root.replace(/\/+$/, "") || "/", label, secrets)
    let kind: false | string
    try {
      kind = await client.exists(transport.root)
    } catch (e) {
      await client.end().catch(() => undefined)
      throw wrap(e, `${label}${transport.root}`, secrets)
    }
    if (kind !== "d") {
      await client.end().catch(() => undefined)
      throw new FileTransferError("location_not_found", `${label}: remote folder ${transport.root} does not exist`, { retryable: false })
    }
    return transport
  }

  private at(...parts: string[]): string {
    return path.posix.join(this.root, ...parts)
  }

  async list(options: { pattern?: RegExp } = {}): Promise<TransferFile[]> {
    try {
      const entries = await this.client.list(this.root)
      return entries
        .filter((e) => e.type === "-" && !isTemp(e.name) && (!options.pattern || options.pattern.test(e.name)))
        .map((e) => ({ name: e.name, size: Number(e.size), modified_at: new Date(Number(e.modifyTime)).toISOString() }))
        .sort(byOldest)
    } catch (e) {
      throw wrap(e, `${this.label}: ${this.root} cannot be listed`, this.secrets)
    }
  }

  async read(name: string): Promise<Readable> {
    assertPlainName(name)
    const file = this.at(name)
    try {
      const kind = await this.client.exists(file)
      if (kind !== "-") throw new FileTransferError("location_not_found", `${this.label}: ${file} does not exist`, { retryable: false })
      const stream = this.client.createReadStream(file)
      // Errors surface on the stream (the reader handles them); scrub them on the way.
      const out = new PassThrough()
      stream.on("error", (e) => out.destroy(wrap(e, `${this.label}: ${file} cannot be read`, this.secrets)))
      stream.pipe(out)
      return out
    } catch (e) {
      throw wrap(e, `${this.label}: ${file} cannot be read`, this.secrets)
    }
  }

  private async ensureDir(dir: string): Promise<void> {
    if ((await this.client.exists(dir)) !== "d") await this.client.mkdir(dir, true)
  }

  async write(name: string, body: string | Buffer | Readable, options: { folder?: TransferFolder } = {}): Promise<{ path: string }> {
    assertPlainName(name)
    const dir = options.folder ? this.at(options.folder) : this.root
    const target = path.posix.join(dir, name)
    const temp = path.posix.join(dir, tempName(name))
    try {
      await this.ensureDir(dir)
      await this.client.put(typeof body === "string" ? Buffer.from(body, "utf8") : body, temp)
      // OpenSSH's posix-rename replaces the target in one step; plain SFTP rename refuses an existing one.
      try {
        await this.client.posixRename(temp, target)
      } catch {
        if (await this.client.exists(target)) await this.client.delete(target, true)
        await this.client.rename(temp, target)
      }
      return { path: target }
    } catch (e) {
      await this.client.delete(temp, true).catch(() => undefined)
      throw wrap(e, `${this.label}: ${target} cannot be written`, this.secrets)
    }
  }

  async move(name: string, folder: TransferFolder): Promise<{ path: string }> {
    assertPlainName(name)
    if (!FOLDERS.includes(folder)) throw new FileTransferError("io_error", `Unknown folder ${folder}`, { retryable: false })
    const dir = this.at(folder)
    try {
      if ((await this.client.exists(this.at(name))) !== "-") {
        throw new FileTransferError("location_not_found", `${this.label}: ${this.at(name)} does not exist`, { retryable: false })
      }
      await this.ensureDir(dir)
      const target = await uniqueName(name, async (n) => !!(await this.client.exists(path.posix.join(dir, n))))
      await this.client.rename(this.at(name), path.posix.join(dir, target))
      return { path: path.posix.join(dir, target) }
    } catch (e) {
      throw wrap(e, `${this.label}: ${this.at(name)} cannot be moved to ${folder}/`, this.secrets)
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined)
  }
}

// ---- HTTP(S) URL -----------------------------------------------------------------------------

class UrlTransport implements FileTransport {
  private readonly name: string
  constructor(
    private readonly url: URL,
    private readonly secrets: FileLocationSecrets,
    private readonly options: OpenFileTransportOptions
  ) {
    this.name = decodeURIComponent(path.posix.basename(url.pathname)) || "download"
  }

  /** The URL without its query string and credentials, for messages. */
  private get label(): string {
    return `${this.url.protocol}//${this.url.host}${this.url.pathname}`
  }

  private async fetch(method: "GET" | "HEAD"): Promise<Response> {
    let res: Response
    try {
      res = await fetch(this.url, {
        method,
        headers: { "user-agent": "medusa-channel-orders-files/1", ...(this.secrets.authorization ? { authorization: this.secrets.authorization } : {}) },
        signal: AbortSignal.timeout(this.options.timeout_ms ?? 60_000),
        redirect: "follow",
      })
    } catch (e: any) {
      const cause = e?.cause ?? e
      throw new FileTransferError("unreachable", `${this.label} did not answer: ${scrubSecrets(String(cause?.code ?? cause?.message ?? e?.message ?? e), this.secrets)}`)
    }
    if (res.ok) return res
    await res.body?.cancel().catch(() => undefined)
    if (res.status === 401 || res.status === 403) throw new FileTransferError("auth_failed", `${this.label} answered ${res.status}: access refused`, { retryable: false })
    if (res.status === 404 || res.status === 410) throw new FileTransferError("location_not_found", `${this.label} answered ${res.status}: no such file`, { retryable: false })
    throw new FileTransferError(res.status >= 500 || res.status === 429 ? "unreachable" : "io_error", `${this.label} answered ${res.status}`)
  }

  async list(options: { pattern?: RegExp } = {}): Promise<TransferFile[]> {
    if (options.pattern && !options.pattern.test(this.name)) return []
    const res = await this.fetch("HEAD").catch(async (e) => {
      // Some servers refuse HEAD: a GET whose body is dropped says as much.
      if (e instanceof FileTransferError && e.code === "io_error") return this.fetch("GET").then(async (r) => (await r.body?.cancel().catch(() => undefined), r))
      throw e
    })
    const size = Number(res.headers.get("content-length") ?? 0)
    const modified = Date.parse(res.headers.get("last-modified") ?? "")
    return [{ name: this.name, size: Number.isFinite(size) ? size : 0, modified_at: new Date(Number.isNaN(modified) ? Date.now() : modified).toISOString() }]
  }

  async read(name: string): Promise<Readable> {
    if (name !== this.name) throw new FileTransferError("location_not_found", `${this.label} serves only ${this.name}`, { retryable: false })
    const res = await this.fetch("GET")
    if (!res.body) return Readable.from([])
    return Readable.fromWeb(res.body as any)
  }

  async write(): Promise<{ path: string }> {
    throw new FileTransferError("read_only", `${this.label} is read-only: files cannot be written to a URL`, { retryable: false })
  }

  async move(): Promise<{ path: string }> {
    throw new FileTransferError("read_only", `${this.label} is read-only: files cannot be moved on a URL`, { retryable: false })
  }

  async close(): Promise<void> {}
}
