import { execFileSync, spawn, type ChildProcess } from "node:child_process"
import crypto from "node:crypto"
import fs from "node:fs"
import net from "node:net"
import os from "node:os"
import path from "node:path"

/**
 * A real OpenSSH server for tests (issue 19): Debian's `/usr/sbin/sshd` on a free local port, with
 * its own config, host key and authorized key in a temporary directory: no system config, no port 22.
 * `scripts/sftp-deps.sh` installs `openssh-server` when it is missing.
 *
 * Login: the user running the tests (root in CI) with the generated private key `private_key`.
 * Password logins are enabled in the config, but a password only works for an account that has one,
 * so tests use the key for the login that must succeed and a wrong password (or `wrong_private_key`,
 * a key the server does not know) for the login that must be refused.
 *
 * `root` is a directory the SFTP user owns; tests put files there and pass it as the location's path.
 */
export type SftpTestServer = {
  host: string
  port: number
  username: string
  private_key: string
  /** A valid key the server does not accept. */
  wrong_private_key: string
  /** `SHA256:…` of the server's host key. */
  host_key_fingerprint: string
  /** A folder served over SFTP (absolute path, same on both sides: no chroot). */
  root: string
  /** Makes a fresh sub-folder of `root` and answers its absolute path. */
  folder(name?: string): string
  stop(): Promise<void>
}

export const SSHD = process.env.SSHD_PATH ?? "/usr/sbin/sshd"

export function sshdAvailable(): boolean {
  return fs.existsSync(SSHD) && fs.existsSync("/usr/bin/ssh-keygen")
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on("error", reject)
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

function keygen(file: string, comment: string): void {
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", file], { stdio: "ignore" })
}

function fingerprintOf(publicKeyFile: string): string {
  const line = fs.readFileSync(publicKeyFile, "utf8").trim().split(/\s+/)[1]
  return `SHA256:${crypto.createHash("sha256").update(Buffer.from(line, "base64")).digest("base64").replace(/=+$/, "")}`
}

async function waitForPort(port: number, child: ChildProcess, log: () => string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}: ${log()}`)
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1")
      s.once("connect", () => (s.destroy(), resolve(true)))
      s.once("error", () => resolve(false))
    })
    if (ok) return
    if (Date.now() > until) throw new Error(`sshd did not listen on ${port}: ${log()}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

export async function startSftpServer(): Promise<SftpTestServer> {
  if (!sshdAvailable()) throw new Error(`${SSHD} is missing: run scripts/sftp-deps.sh (installs openssh-server)`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sftp-test-"))
  const username = os.userInfo().username
  keygen(path.join(dir, "host_key"), "test-host")
  keygen(path.join(dir, "client_key"), "test-client")
  keygen(path.join(dir, "wrong_key"), "test-wrong")
  fs.copyFileSync(path.join(dir, "client_key.pub"), path.join(dir, "authorized_keys"))
  fs.chmodSync(path.join(dir, "authorized_keys"), 0o600)
  const root = path.join(dir, "files")
  fs.mkdirSync(root)
  // sshd run as root wants its privilege separation directory.
  if (process.getuid?.() === 0 && !fs.existsSync("/run/sshd")) fs.mkdirSync("/run/sshd", { recursive: true, mode: 0o755 })

  const port = await freePort()
  const config = [
    `Port ${port}`,
    "ListenAddress 127.0.0.1",
    `HostKey ${path.join(dir, "host_key")}`,
    `PidFile ${path.join(dir, "sshd.pid")}`,
    `AuthorizedKeysFile ${path.join(dir, "authorized_keys")}`,
    "PermitRootLogin yes",
    "PubkeyAuthentication yes",
    "PasswordAuthentication yes",
    "KbdInteractiveAuthentication no",
    "UsePAM no",
    "StrictModes no",
    "Subsystem sftp internal-sftp",
    "LogLevel ERROR",
    "MaxStartups 50",
    "MaxAuthTries 3",
  ].join("\n")
  fs.writeFileSync(path.join(dir, "sshd_config"), `${config}\n`)

  let log = ""
  const child = spawn(SSHD, ["-D", "-e", "-f", path.join(dir, "sshd_config")], { stdio: ["ignore", "ignore", "pipe"] })
  child.stderr!.on("data", (d) => {
    log = (log + d.toString()).slice(-4000)
  })
  try {
    await waitForPort(port, child, () => log)
  } catch (e) {
    child.kill("SIGTERM")
    fs.rmSync(dir, { recursive: true, force: true })
    throw e
  }
  let n = 0
  return {
    host: "127.0.0.1",
    port,
    username,
    private_key: fs.readFileSync(path.join(dir, "client_key"), "utf8"),
    wrong_private_key: fs.readFileSync(path.join(dir, "wrong_key"), "utf8"),
    host_key_fingerprint: fingerprintOf(path.join(dir, "host_key.pub")),
    root,
    folder(name?: string) {
      const p = path.join(root, name ?? `f${++n}-${crypto.randomBytes(3).toString("hex")}`)
      fs.mkdirSync(p, { recursive: true })
      return p
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r))
        child.kill("SIGTERM")
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))])
      }
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
