import Ajv from "ajv"
import Ajv2020 from "ajv/dist/2020"
import addFormats from "ajv-formats"
import fs from "node:fs"
import path from "node:path"

/**
 * Validates simulator traffic against the marketplaces' official OpenAPI/Swagger documents in
 * ../shared/reference/specs, so a simulator cannot drift into fiction. Swagger 2.0 and OpenAPI 3.0
 * documents use draft-04-style schemas (with `nullable`); OpenAPI 3.1 uses JSON Schema 2020-12.
 */
const SPEC_DIRS = [
  path.resolve(__dirname, "../../../shared/reference/specs"),
  path.resolve(process.cwd(), "../shared/reference/specs"),
]

export const SPECS = {
  amazonOrders2026: "orders_2026-01-01.json",
  amazonOrdersV0: "ordersV0.json",
  amazonFeeds: "feeds_2021-06-30.json",
  ebayFulfillment: "sell_fulfillment_v1_oas3.json",
  mirakl: "mirakl-mmp-seller-openapi.json",
} as const

type SpecDoc = Record<string, any>
type Loaded = { doc: SpecDoc; ajv: Ajv; id: string; version: "2.0" | "3.0" | "3.1" }
const loaded = new Map<string, Loaded>()

function specPath(file: string): string {
  for (const dir of SPEC_DIRS) {
    const p = path.join(dir, file)
    if (fs.existsSync(p)) return p
  }
  throw new Error(`Spec ${file} not found in ${SPEC_DIRS.join(" or ")}`)
}

function load(file: string): Loaded {
  const cached = loaded.get(file)
  if (cached) return cached
  const doc = JSON.parse(fs.readFileSync(specPath(file), "utf8"))
  const version = doc.swagger ? "2.0" : String(doc.openapi).startsWith("3.1") ? "3.1" : "3.0"
  const opts = { strict: false, allErrors: true, validateFormats: true, logger: false as const }
  const ajv = version === "3.1" ? new Ajv2020(opts) : new Ajv(opts)
  addFormats(ajv)
  const id = `https://specs.local/${file}`
  // The whole document becomes one schema so that its internal $refs resolve.
  const { $schema, ...rest } = doc
  ajv.addSchema({ ...rest, $id: id }, id)
  const entry = { doc, ajv: ajv as Ajv, id, version } as Loaded
  loaded.set(file, entry)
  return entry
}

function findOperation(doc: SpecDoc, operationId: string): { pathKey: string; method: string; op: any } {
  for (const [pathKey, item] of Object.entries<any>(doc.paths ?? {})) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (op && typeof op === "object" && op.operationId === operationId) {
        return { pathKey, method, op }
      }
    }
  }
  throw new Error(`operationId ${operationId} not found`)
}

const escape = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1")

function jsonContentKey(content: Record<string, unknown> | undefined): string | undefined {
  if (!content) return undefined
  return Object.keys(content).find((k) => k.includes("json")) ?? Object.keys(content)[0]
}

/** JSON pointer (inside the spec document) to the schema of an operation's response or request body. */
function schemaPointer(l: Loaded, operationId: string, part: { response: number } | "request"): string {
  const { pathKey, method, op } = findOperation(l.doc, operationId)
  const base = `#/paths/${escape(pathKey)}/${method}`
  if (part === "request") {
    if (l.version === "2.0") {
      const idx = (op.parameters ?? []).findIndex((p: any) => p.in === "body")
      if (idx < 0) throw new Error(`${operationId} has no body parameter`)
      return `${base}/parameters/${idx}/schema`
    }
    const key = jsonContentKey(op.requestBody?.content)
    if (!key) throw new Error(`${operationId} has no request body`)
    return `${base}/requestBody/content/${escape(key)}/schema`
  }
  const status = String(part.response)
  const resp = op.responses?.[status] ?? op.responses?.default
  if (!resp) throw new Error(`${operationId} documents no ${status} response`)
  const statusKey = op.responses?.[status] ? status : "default"
  if (l.version === "2.0") {
    if (!resp.schema) throw new Error(`${operationId} ${status} has no schema`)
    return `${base}/responses/${statusKey}/schema`
  }
  const key = jsonContentKey(resp.content)
  if (!key) throw new Error(`${operationId} ${status} has no body schema`)
  return `${base}/responses/${statusKey}/content/${escape(key)}/schema`
}

export type SpecCheck = { valid: boolean; errors: string }

function check(file: string, operationId: string, part: { response: number } | "request", body: unknown): SpecCheck {
  const l = load(file)
  const ref = `${l.id}${schemaPointer(l, operationId, part)}`
  const validate = l.ajv.getSchema(ref) ?? l.ajv.compile({ $ref: ref })
  const valid = validate(body) as boolean
  const errors = valid ? "" : l.ajv.errorsText(validate.errors, { separator: "\n" })
  return { valid, errors }
}

/** Checks a response body against `operationId`'s documented schema for `status`. */
export function validateResponse(file: string, operationId: string, status: number, body: unknown): SpecCheck {
  return check(file, operationId, { response: status }, body)
}

/** Checks a request body (what a provider sent) against `operationId`'s documented request schema. */
export function validateRequest(file: string, operationId: string, body: unknown): SpecCheck {
  return check(file, operationId, "request", body)
}

/** Jest-friendly: throws with every schema error listed. */
export function assertValidResponse(file: string, operationId: string, status: number, body: unknown): void {
  const r = validateResponse(file, operationId, status, body)
  if (!r.valid) throw new Error(`${operationId} ${status} response does not match ${file}:\n${r.errors}`)
}

export function assertValidRequest(file: string, operationId: string, body: unknown): void {
  const r = validateRequest(file, operationId, body)
  if (!r.valid) throw new Error(`${operationId} request does not match ${file}:\n${r.errors}`)
}
