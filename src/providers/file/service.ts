import { stringify } from "csv-stringify/sync"
import { FileTransferError, openFileTransport, type FileTransport } from "../../file-transfer"
import { ChannelOrderImportError, ChannelProviderError } from "../../modules/channel/errors"
import { parseCanonicalOrder, type CanonicalOrderInput } from "../../modules/channel/types/canonical-order"
import type {
  ChannelContext,
  ConnectionCheck,
  IChannelProvider,
  ListOrdersInput,
  ListOrdersPage,
  RawOrderIdentity,
  ShipmentConfirmation,
  ShipmentConfirmationResult,
} from "../../modules/channel/types/provider"
import { fileAccountIdentity } from "./account"
import { fileOrders, issueLocation, type FileItem } from "./file-orders"
import { mapFileOrder, type FileRawOrder } from "./mappers"
import type { RowError } from "./readers"
import { parseFileSettings, parseLayout, parseSource, secretsOf, type FileChannelConfig, type FileLayout } from "./settings"
import { FILE_DEFAULT_RULES, FILE_STATUSES } from "./statuses"

type Knex = any

/** Where a pull is in the files: the file being read, how many of its orders were handed over, its errors so far. */
type PageToken = {
  v: 1
  file: string
  /** Items (orders and unreadable rows) of the file already handed over. */
  offset: number
  /** The file was read to its end: the next call moves it (processed/ or failed/) before anything else. */
  done?: boolean
  errors: RowError[]
  error_count: number
  /** Files this run already finished (a file that could not be moved is not read twice in one run). */
  finished: string[]
}

/** Detailed errors a token carries (the report lists the first ones and counts the rest). */
const MAX_REPORTED_ERRORS = 1000
/** An open file between two pages of one run is closed after this long without a page. */
const SESSION_IDLE_MS = 120_000

type Session = {
  key: string
  file: string
  offset: number
  transport: FileTransport
  items: AsyncGenerator<FileItem> | null
  timer: NodeJS.Timeout | null
}

/**
 * A channel whose orders come as files (issue 19): a local directory, an SFTP folder or an HTTP(S)
 * URL, in CSV (our default layout, Shopify's order export or a custom column mapping), a JSON array
 * or JSON Lines. A pull reads the oldest waiting file, a page of orders at a time, and hands each
 * order's raw rows to the pipeline like any marketplace page; once every order of a file is staged
 * (the page after its last one), the file moves to `processed/`, or to `failed/` with a report of its
 * bad rows when it had any. Staging is idempotent per order id, so a file read twice (a crash between
 * pages, a file copied back) imports nothing twice.
 */
export class FileChannelProvider implements IChannelProvider {
  static identifier = "file"
  readonly settings_keys = ["source", "format", "layout", "page_size", "file_pattern", "delimiter"] as const
  /** SFTP password or private key (and its passphrase), or a URL's Authorization header: write-only, encrypted. */
  readonly credential_keys = ["password", "private_key", "passphrase", "authorization"] as const
  readonly listing_lag_seconds = 0

  protected readonly cradle_: Record<string, any>
  private readonly sessions = new Map<string, Session>()

  constructor(cradle: Record<string, any>, _options: Record<string, unknown> = {}) {
    this.cradle_ = cradle
  }

  private get db(): Knex {
    return this.cradle_.__pg_connection__
  }

  private get logger(): { warn(m: string): void; info(m: string): void } {
    return this.cradle_.logger ?? console
  }

  statuses() {
    return FILE_STATUSES
  }

  defaultStatusRules() {
    return FILE_DEFAULT_RULES
  }

  accountIdentity(input: { settings: Record<string, any>; credentials: Record<string, any> }): string | null {
    return fileAccountIdentity(input)
  }

  /** The server (and user) or URL origin the secrets go to; a directory sends them nowhere. */
  credentialTarget(settings: Record<string, any>): string | null {
    const source = parseSource(settings.source)
    if (source.type === "sftp") return `sftp://${source.username}@${source.host.toLowerCase()}:${source.port ?? 22}`
    if (source.type === "url") return new URL(source.url).origin
    return null
  }

  validateSettings(settings: Record<string, any>, credentials: Record<string, any>): void {
    const config = parseFileSettings(settings)
    if (config.source.type === "sftp" && !credentials.password && !credentials.private_key) {
      throw new ChannelProviderError("invalid_settings", "An sftp source needs credentials.password or credentials.private_key")
    }
    if (credentials.authorization && config.source.type !== "url") {
      throw new ChannelProviderError("invalid_settings", "credentials.authorization is only sent to a url source")
    }
    // Filled so the stored settings say what the channel does.
    settings.format = config.format
    if (settings.layout === undefined || settings.layout === null) settings.layout = "default"
  }

  identify(raw: unknown): RawOrderIdentity {
    const r = (raw ?? {}) as Partial<FileRawOrder>
    if (r.source !== "file" || typeof r.external_id !== "string" || !r.external_id) {
      throw new ChannelProviderError("unidentified_payload", "The file order has no order id")
    }
    return { external_id: r.external_id, status: r.status ?? "", updated_at: r.updated_at ?? null }
  }

  normalize(raw: unknown, ctx: { settings: Record<string, any> }): CanonicalOrderInput {
    const r = raw as FileRawOrder
    const layout: FileLayout = r.layout === "shopify" ? { kind: "shopify" } : r.layout === "custom" ? parseLayout(ctx.settings.layout, "csv") : { kind: "default" }
    const { order, errors } = mapFileOrder(r, layout)
    const where = r.rows?.length ? { row: r.rows[0].row, rows: r.rows.map((x) => x.row) } : r.element ? { row: r.element.index } : {}
    if (errors.length) {
      const first = errors[0]
      throw new ChannelOrderImportError(
        "invalid_payload",
        `${r.file} row ${first.row}${first.column ? `, column ${first.column}` : ""}: ${first.reason}${errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? "s" : ""})` : ""}`,
        { file: r.file, ...where, row: first.row, column: first.column, errors: errors.map(({ row, column, reason }) => ({ row, column, reason })) }
      )
    }
    const parsed = parseCanonicalOrder(order)
    if (!parsed.success) {
      // The row and column of the first issue, as the file's report names them (not the order's first row).
      const at = parsed.issues.length ? issueLocation(r, layout, parsed.issues[0].path) : { row: where.row ?? 0, column: null }
      throw new ChannelOrderImportError("invalid_payload", `${r.file} row ${at.row}${at.column ? `, column ${at.column}` : ""}: ${parsed.message}`, { file: r.file, ...where, row: at.row, column: at.column, issues: parsed.issues })
    }
    return order
  }

  // ---- reading -------------------------------------------------------------------------------

  private sessionKey(ctx: ChannelContext, config: FileChannelConfig): string {
    return `${ctx.channel_id}:${JSON.stringify(config.source)}`
  }

  private async closeSession(channelId: string): Promise<void> {
    const s = this.sessions.get(channelId)
    if (!s) return
    this.sessions.delete(channelId)
    if (s.timer) clearTimeout(s.timer)
    await s.items?.return(undefined as any).catch(() => undefined)
    await s.transport.close().catch(() => undefined)
  }

  private async transportFor(ctx: ChannelContext, config: FileChannelConfig): Promise<Session> {
    const key = this.sessionKey(ctx, config)
    const existing = this.sessions.get(ctx.channel_id)
    if (existing && existing.key === key) {
      if (existing.timer) clearTimeout(existing.timer)
      existing.timer = null
      return existing
    }
    if (existing) await this.closeSession(ctx.channel_id)
    const transport = await openFileTransport(config.source, secretsOf(ctx.credentials))
    const session: Session = { key, file: "", offset: -1, transport, items: null, timer: null }
    this.sessions.set(ctx.channel_id, session)
    return session
  }

  private park(channelId: string, session: Session): void {
    session.timer = setTimeout(() => void this.closeSession(channelId), SESSION_IDLE_MS)
    session.timer.unref?.()
  }

  async listOrders(ctx: ChannelContext, input: ListOrdersInput): Promise<ListOrdersPage> {
    const config = parseFileSettings(ctx.settings)
    let token = decodeToken(input.page_token)
    let session: Session
    try {
      session = await this.transportFor(ctx, config)
    } catch (e) {
      throw providerError(e)
    }
    try {
      let finished = token?.finished ?? []
      if (token?.done) {
        await this.finishFile(session.transport, token)
        finished = [...finished, token.file]
        token = null
      }
      if (!token) {
        const files = (await session.transport.list({ pattern: config.file_pattern })).filter((f) => !finished.includes(f.name))
        if (!files.length) {
          await this.closeSession(ctx.channel_id)
          return { orders: [], next_page_token: null }
        }
        token = { v: 1, file: files[0].name, offset: 0, errors: [], error_count: 0, finished }
      }

      // The open file of the previous page, or the file read again up to where the token stands.
      if (!session.items || session.file !== token.file || session.offset !== token.offset) {
        await session.items?.return(undefined as any).catch(() => undefined)
        let stream
        try {
          stream = await session.transport.read(token.file)
        } catch (e) {
          // The file of a saved token is gone (moved or deleted since): start from the files there are.
          if (token.offset > 0 && e instanceof FileTransferError && e.code === "location_not_found") {
            throw new ChannelProviderError("invalid_page_token", `The file ${token.file} is no longer there`)
          }
          throw e
        }
        session.items = fileOrders(stream, token.file, config)
        session.file = token.file
        for (let skipped = 0; skipped < token.offset; skipped++) {
          const next = await session.items.next()
          if (next.done) break
        }
        session.offset = token.offset
      }

      const orders: FileRawOrder[] = []
      const errors = [...token.errors]
      let errorCount = token.error_count
      let offset = token.offset
      let ended = false
      while (orders.length < config.page_size) {
        const next = await session.items!.next()
        if (next.done) {
          ended = true
          break
        }
        offset++
        const item = next.value
        if (item.errors.length) {
          errorCount += item.errors.length
          for (const e of item.errors) if (errors.length < MAX_REPORTED_ERRORS) errors.push(e)
        }
        if (item.raw) orders.push(item.raw)
        if (item.fatal) {
          ended = true
          break
        }
      }
      session.offset = offset
      const nextToken: PageToken = { v: 1, file: token.file, offset, errors, error_count: errorCount, finished: token.finished ?? finished, ...(ended ? { done: true } : {}) }
      if (ended) {
        await session.items?.return(undefined as any).catch(() => undefined)
        session.items = null
        session.offset = -1
      }
      this.park(ctx.channel_id, session)
      return { orders, next_page_token: encodeToken(nextToken) }
    } catch (e) {
      await this.closeSession(ctx.channel_id)
      throw providerError(e)
    }
  }

  /** Moves a file read to its end: `failed/` with its report when it had errors, `processed/` otherwise. */
  private async finishFile(transport: FileTransport, token: PageToken): Promise<void> {
    const failed = token.error_count > 0
    let moved: { path: string }
    try {
      moved = await transport.move(token.file, failed ? "failed" : "processed")
    } catch (e) {
      if (e instanceof FileTransferError && (e.code === "location_not_found" || e.code === "read_only")) {
        // Moved by an earlier run that died before saving its cursor, or a URL (nothing to move).
        if (e.code === "read_only" && failed) this.logger.warn(`File channel: ${token.file} has ${token.error_count} bad row(s); a URL source keeps no report (see the channel's failed orders)`)
        return
      }
      throw e
    }
    if (!failed) return
    const name = moved.path.split(/[\\/]/).pop() ?? token.file
    const rows = token.errors.map((e) => [e.row, e.column ?? "", e.order ?? "", e.reason])
    if (token.error_count > token.errors.length) rows.push(["", "", "", `… and ${token.error_count - token.errors.length} more`])
    const report = stringify([["row", "column", "order", "reason"], ...rows], { record_delimiter: "unix" })
    await transport.write(`${name}.errors.csv`, report, { folder: "failed" })
  }

  async getOrder(ctx: ChannelContext, externalId: string): Promise<unknown | null> {
    const row = await this.db("channel_order").first("raw").where({ channel_id: ctx.channel_id, external_id: externalId }).whereNull("deleted_at")
    return row?.raw ?? null
  }

  async testConnection(ctx: ChannelContext): Promise<ConnectionCheck> {
    let config: FileChannelConfig
    try {
      config = parseFileSettings(ctx.settings)
    } catch (e: any) {
      return { ok: false, message: e?.message ?? String(e) }
    }
    let transport: FileTransport | null = null
    try {
      transport = await openFileTransport(config.source, secretsOf(ctx.credentials))
      const files = await transport.list({ pattern: config.file_pattern })
      return { ok: true, message: `${describe(config)}: ${files.length} file(s) waiting.` }
    } catch (e: any) {
      return { ok: false, message: `${describe(config)}: ${e?.message ?? e}` }
    } finally {
      await transport?.close().catch(() => undefined)
    }
  }

  /** A file has no marketplace to tell: shipments stay in Medusa. */
  async confirmShipment(_ctx: ChannelContext, _shipment: ShipmentConfirmation): Promise<ShipmentConfirmationResult> {
    return { state: "confirmed", response: { delivered: false, reason: "A file channel has no marketplace to report shipments to" } }
  }

  async cancelOrder(): Promise<{ state: "sent" | "confirmed" }> {
    return { state: "confirmed" }
  }
}

function describe(config: FileChannelConfig): string {
  const s = config.source
  return s.type === "directory" ? `Directory ${s.path}` : s.type === "sftp" ? `sftp://${s.username}@${s.host}:${s.port ?? 22}${s.path}` : `URL ${s.url.split("?")[0]}`
}

/** A transfer error as the run shows it: its code (`location_not_found`, `unreachable`, `auth_failed`, …) and a message naming the source. */
function providerError(e: unknown): unknown {
  if (e instanceof FileTransferError) {
    return new ChannelProviderError(e.code, `File source: ${e.message}`, { retryable: e.retryable })
  }
  return e
}

function encodeToken(t: PageToken): string {
  return Buffer.from(JSON.stringify(t)).toString("base64url")
}

function decodeToken(token: string | null | undefined): PageToken | null {
  if (!token) return null
  try {
    const t = JSON.parse(Buffer.from(token, "base64url").toString("utf8"))
    if (t?.v !== 1 || typeof t.file !== "string" || typeof t.offset !== "number") throw new Error("bad token")
    return { errors: [], error_count: 0, finished: [], ...t }
  } catch {
    throw new ChannelProviderError("invalid_page_token", "The file channel's page token is not valid")
  }
}
