import type { Readable } from "stream"

/**
 * Where order files are read from or written to. Shared by the `file` channel, status imports and
 * order exports. Secrets (SFTP password or private key, a URL's auth header) are never part of the
 * location: they travel separately as write-only credentials, encrypted at rest.
 */
export type FileLocation =
  | { type: "directory"; path: string }
  | {
      type: "sftp"
      host: string
      port?: number
      username: string
      /** Remote folder holding the files. */
      path: string
      /** Expected host key fingerprint (`SHA256:…`); when set, any other key is refused. */
      host_key_fingerprint?: string
    }
  | { type: "url"; url: string }

export type FileLocationSecrets = {
  password?: string
  private_key?: string
  passphrase?: string
  /** Sent as the `Authorization` header to a `url` location only. */
  authorization?: string
}

export type TransferFile = { name: string; size: number; modified_at: string }

/** The subfolders a processed file ends up in. */
export type TransferFolder = "processed" | "failed"

/**
 * One open connection to a location. Every method throws a `FileTransferError` with a code a caller
 * can act on (and a message free of secrets).
 */
export interface FileTransport {
  /** Files waiting at the location (regular files only, never those in processed/ or failed/), oldest first. */
  list(options?: { pattern?: RegExp }): Promise<TransferFile[]>
  /** The bytes of one file, streamed. */
  read(name: string): Promise<Readable>
  /** Writes a file so that a reader never sees it half-written (temporary name, then rename). */
  write(name: string, body: string | Buffer | Readable, options?: { folder?: TransferFolder }): Promise<{ path: string }>
  /** Moves a file into `processed/` or `failed/` (created when missing); answers its new path. */
  move(name: string, folder: TransferFolder): Promise<{ path: string }>
  close(): Promise<void>
}

export type FileTransferErrorCode =
  | "location_not_found" // missing directory / remote path, 404
  | "unreachable" // DNS, refused, timeout
  | "auth_failed" // refused login, 401/403
  | "host_key_mismatch"
  | "host_not_allowed"
  | "read_only" // a `url` location cannot be written or moved
  | "io_error"
