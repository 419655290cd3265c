import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { Readable } from "node:stream"
import { FileTransferError, openFileTransport } from ".."

const text = async (r: Readable) => {
  const chunks: Buffer[] = []
  for await (const c of r) chunks.push(Buffer.from(c))
  return Buffer.concat(chunks).toString("utf8")
}

describe("directory file transport", () => {
  let dir: string
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ft-"))
  })
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

  it("lists regular files oldest first, never processed/, failed/ or temporary files", async () => {
    fs.writeFileSync(path.join(dir, "b.csv"), "b")
    fs.utimesSync(path.join(dir, "b.csv"), new Date("2024-01-01"), new Date("2024-01-01"))
    fs.writeFileSync(path.join(dir, "a.csv"), "aa")
    fs.writeFileSync(path.join(dir, ".x.csv.123.part"), "partial")
    fs.mkdirSync(path.join(dir, "processed"))
    fs.writeFileSync(path.join(dir, "processed", "old.csv"), "old")
    const t = await openFileTransport({ type: "directory", path: dir }, {})
    const files = await t.list()
    expect(files.map((f) => f.name)).toEqual(["b.csv", "a.csv"])
    expect(files[1].size).toBe(2)
    expect((await t.list({ pattern: /^a/ })).map((f) => f.name)).toEqual(["a.csv"])
    expect(await text(await t.read("a.csv"))).toBe("aa")
    await t.close()
  })

  it("writes atomically (string, buffer, stream) into the root or a folder", async () => {
    const t = await openFileTransport({ type: "directory", path: dir }, {})
    await t.write("out.csv", "x,y\n")
    await t.write("report.json", Buffer.from("{}"), { folder: "failed" })
    const w = await t.write("s.txt", Readable.from(["a", "b"]))
    expect(fs.readFileSync(path.join(dir, "out.csv"), "utf8")).toBe("x,y\n")
    expect(fs.readFileSync(path.join(dir, "failed", "report.json"), "utf8")).toBe("{}")
    expect(fs.readFileSync(w.path, "utf8")).toBe("ab")
    expect(fs.readdirSync(dir).filter((n) => n.endsWith(".part"))).toEqual([])
  })

  it("moves into processed/ and failed/, never overwriting an earlier file of the same name", async () => {
    const t = await openFileTransport({ type: "directory", path: dir }, {})
    fs.writeFileSync(path.join(dir, "o.csv"), "1")
    const first = await t.move("o.csv", "processed")
    expect(first.path).toBe(path.join(dir, "processed", "o.csv"))
    fs.writeFileSync(path.join(dir, "o.csv"), "2")
    const second = await t.move("o.csv", "processed")
    expect(path.basename(second.path)).toMatch(/^o\.\d{8}T\d{6}Z\.csv$/)
    expect(fs.readFileSync(first.path, "utf8")).toBe("1")
    expect(fs.readFileSync(second.path, "utf8")).toBe("2")
    expect(await t.list()).toEqual([])
  })

  it("answers location_not_found for a missing directory or file, and refuses path traversal", async () => {
    await expect(openFileTransport({ type: "directory", path: path.join(dir, "nope") }, {})).rejects.toMatchObject({ code: "location_not_found" })
    const t = await openFileTransport({ type: "directory", path: dir }, {})
    await expect(t.read("missing.csv")).rejects.toMatchObject({ code: "location_not_found" })
    await expect(t.move("missing.csv", "failed")).rejects.toMatchObject({ code: "location_not_found" })
    await expect(t.read("../etc/passwd")).rejects.toBeInstanceOf(FileTransferError)
  })

  it("a url location is read-only, and a host outside allowed_hosts is refused", async () => {
    const t = await openFileTransport({ type: "url", url: "https://files.example.com/orders.csv" }, {})
    await expect(t.write("x", "y")).rejects.toMatchObject({ code: "read_only" })
    await expect(t.move("orders.csv", "processed")).rejects.toMatchObject({ code: "read_only" })
    await expect(openFileTransport({ type: "url", url: "https://evil.example.org/x.csv" }, {}, { allowed_hosts: ["*.example.com"] })).rejects.toMatchObject({
      code: "host_not_allowed",
    })
  })
})

describe("url file transport", () => {
  const http = require("node:http") as typeof import("node:http")
  let server: import("node:http").Server
  let base: string
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === "/secret.csv" && req.headers.authorization !== "Bearer let-me-in-123") return void res.writeHead(401).end()
      if (req.url === "/orders.csv" || req.url === "/secret.csv") {
        res.writeHead(200, { "content-type": "text/csv", "content-length": "4", "last-modified": "Mon, 15 Jan 2024 10:00:00 GMT" })
        return void res.end(req.method === "HEAD" ? undefined : "a,b\n")
      }
      res.writeHead(404).end()
    })
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()))
    base = `http://127.0.0.1:${(server.address() as any).port}`
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))

  it("lists its one file and streams it; 404, 401 and a closed port have their codes, the secret never in a message", async () => {
    const t = await openFileTransport({ type: "url", url: `${base}/orders.csv` }, {})
    expect(await t.list()).toEqual([{ name: "orders.csv", size: 4, modified_at: "2024-01-15T10:00:00.000Z" }])
    expect(await text(await t.read("orders.csv"))).toBe("a,b\n")
    const missing = await openFileTransport({ type: "url", url: `${base}/nope.csv` }, {})
    await expect(missing.list()).rejects.toMatchObject({ code: "location_not_found" })
    const denied = await openFileTransport({ type: "url", url: `${base}/secret.csv` }, { authorization: "Bearer wrong-token-456" })
    const e = await denied.read("secret.csv").catch((x) => x)
    expect(e).toMatchObject({ code: "auth_failed" })
    expect(e.message).not.toContain("wrong-token-456")
    const allowed = await openFileTransport({ type: "url", url: `${base}/secret.csv` }, { authorization: "Bearer let-me-in-123" })
    expect(await text(await allowed.read("secret.csv"))).toBe("a,b\n")
    const closed = await openFileTransport({ type: "url", url: "http://127.0.0.1:1/x.csv" }, {})
    await expect(closed.list()).rejects.toMatchObject({ code: "unreachable" })
  })
})
