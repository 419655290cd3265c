import crypto from "node:crypto"

/**
 * AES-256-GCM for channel credentials and cached tokens. The key is derived from the module's
 * `encryption_key` option; rotating it makes stored credentials unreadable, so the admin must
 * enter them again (documented in the README).
 */
export class SecretBox {
  private readonly key: Buffer

  constructor(secret: string) {
    if (!secret) {
      throw new Error("medusa-channel-orders: an encryption_key option (or JWT secret) is required to store credentials")
    }
    this.key = crypto.scryptSync(secret, "medusa-channel-orders/v1", 32)
  }

  seal(value: unknown): string {
    const iv = crypto.randomBytes(12)
    const cipher = crypto.createCipheriv("aes-256-gcm", this.key, iv)
    const data = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()])
    return ["v1", iv.toString("base64"), cipher.getAuthTag().toString("base64"), data.toString("base64")].join(".")
  }

  open<T = unknown>(sealed: string): T {
    const [version, iv, tag, data] = sealed.split(".")
    if (version !== "v1" || !iv || !tag || !data) {
      throw new Error("Stored secret has an unknown format")
    }
    const decipher = crypto.createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64"))
    decipher.setAuthTag(Buffer.from(tag, "base64"))
    const plain = Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()])
    return JSON.parse(plain.toString("utf8")) as T
  }
}
