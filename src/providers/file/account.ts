import path from "node:path"

/**
 * A file channel's account is its source: the same directory, SFTP folder or URL is the same
 * account, so a re-created channel (or a file copied back) finds the orders already imported.
 */
export function fileAccountIdentity(input: { settings: Record<string, any>; credentials: Record<string, any> }): string | null {
  const s = input.settings?.source
  if (!s || typeof s !== "object") return null
  if (s.type === "directory" && typeof s.path === "string" && s.path.trim()) return `dir:${path.resolve(s.path.trim())}`
  if (s.type === "sftp" && typeof s.host === "string" && s.host.trim()) {
    const folder = path.posix.normalize(String(s.path ?? ".").trim() || ".").replace(/\/+$/, "") || "/"
    return `sftp:${String(s.username ?? "").trim()}@${s.host.trim().toLowerCase()}:${Number(s.port ?? 22)}${folder.startsWith("/") ? "" : "/"}${folder}`
  }
  if (s.type === "url" && typeof s.url === "string") {
    try {
      const u = new URL(s.url)
      return `url:${u.protocol}//${u.host.toLowerCase()}${u.pathname}${u.search}`
    } catch {
      return null
    }
  }
  return null
}
