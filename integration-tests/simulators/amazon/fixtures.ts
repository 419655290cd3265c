import fs from "node:fs"
import path from "node:path"

/** The shipped Amazon samples and the sandbox cases embedded in the official models. */

const REFERENCE_DIRS = [
  path.resolve(__dirname, "../../../../shared/reference"),
  path.resolve(process.cwd(), "../shared/reference"),
]

function referenceFile(...parts: string[]): string {
  for (const dir of REFERENCE_DIRS) {
    const p = path.join(dir, ...parts)
    if (fs.existsSync(p)) return p
  }
  throw new Error(`${parts.join("/")} not found under ${REFERENCE_DIRS.join(" or ")}`)
}

export function loadSample<T = any>(file: string): T {
  return JSON.parse(fs.readFileSync(referenceFile("samples", file), "utf8"))
}

export function loadSpec<T = any>(file: string): T {
  return JSON.parse(fs.readFileSync(referenceFile("specs", file), "utf8"))
}

export type SandboxCase = { operationId: string; status: number; parameters: Record<string, any>; response: any }

/** Every `x-amzn-api-sandbox` static case of a Swagger model, flattened. */
export function sandboxCases(specFile: string): SandboxCase[] {
  const doc = loadSpec(specFile)
  const out: SandboxCase[] = []
  for (const item of Object.values<any>(doc.paths ?? {})) {
    for (const op of Object.values<any>(item)) {
      if (!op || typeof op !== "object" || !op.operationId) continue
      for (const [status, resp] of Object.entries<any>(op.responses ?? {})) {
        for (const c of resp?.["x-amzn-api-sandbox"]?.static ?? []) {
          out.push({ operationId: op.operationId, status: Number(status), parameters: c.request?.parameters ?? {}, response: c.response })
        }
      }
    }
  }
  return out
}

/** Orders API 2026-01-01 orders shipped as examples: the two sample files plus the model's sandbox responses. */
export function sampleOrders2026(): { source: string; order: any }[] {
  const out: { source: string; order: any }[] = []
  for (const o of loadSample("amazon_orders2026_searchOrders_200.example.json").orders) {
    out.push({ source: "amazon_orders2026_searchOrders_200.example.json", order: o })
  }
  out.push({ source: "amazon_orders2026_getOrder_200.example.json", order: loadSample("amazon_orders2026_getOrder_200.example.json").order })
  for (const c of sandboxCases("orders_2026-01-01.json")) {
    if (c.status !== 200) continue
    const orders = c.response?.orders ?? (c.response?.order ? [c.response.order] : [])
    for (const o of orders) out.push({ source: `orders_2026-01-01.json sandbox ${c.operationId}`, order: o })
  }
  return out
}
