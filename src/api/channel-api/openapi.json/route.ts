import fs from "node:fs"
import path from "node:path"
import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"

export const OPENAPI_FILE = "docs/channel-api.openapi.json"

/**
 * The committed OpenAPI document, found by walking up from this file: `src/api/channel-api/…` in
 * the repository, `.medusa/server/src/api/channel-api/…` in the published package (which ships
 * `docs/channel-api.openapi.json`). Read once.
 */
let cached: string | null = null
export function channelApiOpenApiDocument(): string {
  if (cached) return cached
  let dir = __dirname
  for (let i = 0; i < 10; i++) {
    const candidate = path.join(dir, OPENAPI_FILE)
    if (fs.existsSync(candidate)) {
      cached = fs.readFileSync(candidate, "utf8")
      return cached
    }
    const up = path.dirname(dir)
    if (up === dir) break
    dir = up
  }
  throw new Error(`${OPENAPI_FILE} not found above ${__dirname}`)
}

/** `GET /channel-api/openapi.json`: the channel API's OpenAPI 3.1 document, public. */
export async function GET(_req: MedusaRequest, res: MedusaResponse) {
  res.status(200).type("application/json").send(channelApiOpenApiDocument())
}
