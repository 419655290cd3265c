import Ajv from "ajv"
import addFormats from "ajv-formats"
import fs from "node:fs"
import path from "node:path"
import { SPECS, validateResponse } from "../openapi"

/**
 * eBay's spec declares no `additionalProperties: false`, so a body full of invented keys would still
 * validate. This stricter check closes every object schema of the spec's components, so the
 * simulator can only send keys eBay documents. It also covers the error envelope, which the spec
 * describes as the `Error` component but attaches to no response.
 */
const SPEC_FILE = SPECS.ebayFulfillment
const SPEC_DIRS = [
  path.resolve(__dirname, "../../../../shared/reference/specs"),
  path.resolve(process.cwd(), "../shared/reference/specs"),
]

/** The component each operation's success body is, by operationId. */
const SUCCESS_COMPONENT: Record<string, string> = {
  getOrders: "OrderSearchPagedCollection",
  getOrder: "Order",
  getShippingFulfillments: "ShippingFulfillmentPagedCollection",
  getShippingFulfillment: "ShippingFulfillment",
}

let strict: { ajv: Ajv; id: string } | undefined

function closeObjects(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(closeObjects)
    return
  }
  if (!node || typeof node !== "object") return
  const obj = node as Record<string, unknown>
  if (obj.properties && typeof obj.properties === "object" && obj.additionalProperties === undefined) {
    obj.additionalProperties = false
  }
  for (const value of Object.values(obj)) closeObjects(value)
}

function strictValidator(): { ajv: Ajv; id: string } {
  if (strict) return strict
  const file = SPEC_DIRS.map((d) => path.join(d, SPEC_FILE)).find((p) => fs.existsSync(p))
  if (!file) throw new Error(`${SPEC_FILE} not found in ${SPEC_DIRS.join(" or ")}`)
  const doc = JSON.parse(fs.readFileSync(file, "utf8"))
  const components = structuredClone(doc.components)
  closeObjects(components.schemas)
  components.schemas.__ErrorEnvelope = {
    type: "object",
    required: ["errors"],
    properties: {
      errors: { type: "array", minItems: 1, items: { $ref: "#/components/schemas/Error" } },
      warnings: { type: "array", items: { $ref: "#/components/schemas/Error" } },
    },
    additionalProperties: false,
  }
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, logger: false })
  addFormats(ajv)
  const id = "https://specs.local/strict/ebay-fulfillment.json"
  ajv.addSchema({ $id: id, components }, id)
  strict = { ajv, id }
  return strict
}

function checkComponent(name: string, body: unknown): string[] {
  const { ajv, id } = strictValidator()
  const ref = `${id}#/components/schemas/${name}`
  const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref })
  if (validate(body)) return []
  return [ajv.errorsText(validate.errors, { separator: "\n" })]
}

/** The OAuth token endpoint is not in the Fulfillment spec; these are the shapes eBay documents. */
function checkTokenBody(status: number, body: unknown): string[] {
  const b = body as Record<string, unknown>
  if (!b || typeof b !== "object") return ["token body is not an object"]
  const allowed =
    status === 200
      ? ["access_token", "expires_in", "token_type", "refresh_token", "refresh_token_expires_in"]
      : ["error", "error_description"]
  const extra = Object.keys(b).filter((k) => !allowed.includes(k))
  const problems = extra.length ? [`undocumented token keys: ${extra.join(", ")}`] : []
  if (status === 200 && (typeof b.access_token !== "string" || typeof b.expires_in !== "number")) {
    problems.push("token body lacks access_token/expires_in")
  }
  if (status !== 200 && typeof b.error !== "string") problems.push("token error lacks `error`")
  return problems
}

/**
 * Every problem of one response body: the official operation schema (openapi.ts) for successes,
 * plus the closed-schema check; the error envelope for failures.
 */
export function ebayResponseProblems(operation: string, status: number, body: unknown): string[] {
  if (operation === "token" && status !== 429) return checkTokenBody(status, body)
  if (status >= 400) return checkComponent("__ErrorEnvelope", body)
  const problems: string[] = []
  const official = validateResponse(SPEC_FILE, operation, status, body)
  if (!official.valid) problems.push(official.errors)
  const component = SUCCESS_COMPONENT[operation]
  if (component) problems.push(...checkComponent(component, body))
  else if (operation === "createShippingFulfillment" && JSON.stringify(body) !== "{}") {
    problems.push("createShippingFulfillment should answer {}")
  }
  return problems
}

/** Closed-schema check of a request body eBay would receive (undocumented keys are refused). */
export function ebayRequestProblems(component: "ShippingFulfillmentDetails", body: unknown): string[] {
  return checkComponent(component, body)
}
