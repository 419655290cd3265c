import Ajv2020 from "ajv/dist/2020"
import addFormats from "ajv-formats"
import fs from "node:fs"
import path from "node:path"

export const CHANNEL_API_DOC = path.resolve(__dirname, "../../docs/channel-api.openapi.json")
const ID = "https://specs.local/channel-api.openapi.json"

const pointer = (segments: string[]) => segments.map((s) => encodeURIComponent(s.replace(/~/g, "~0").replace(/\//g, "~1"))).join("/")

/**
 * The committed OpenAPI document as a contract: an answer whose status the document does not list
 * for that operation, or whose body or declared headers do not match it, fails the test.
 */
export function channelApiContract() {
  const doc = JSON.parse(fs.readFileSync(CHANNEL_API_DOC, "utf8"))
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false })
  addFormats(ajv)
  ajv.addSchema({ ...doc, $id: ID }, ID)
  return {
    doc,
    assertResponse(pathKey: string, method: string, status: number, body: unknown, headers: Record<string, unknown> = {}) {
      const op = doc.paths?.[pathKey]?.[method]
      if (!op) throw new Error(`The OpenAPI document has no ${method.toUpperCase()} ${pathKey}`)
      let response = op.responses?.[String(status)]
      if (!response) throw new Error(`${method.toUpperCase()} ${pathKey} answered ${status}, which the OpenAPI document does not list`)
      if (response.$ref) response = response.$ref.split("/").slice(1).reduce((o: any, k: string) => o[k], doc)
      if (response.content?.["application/json"]?.schema) {
        const validate = ajv.getSchema(`${ID}#/${pointer(["paths", pathKey, method, "responses", String(status), "content", "application/json", "schema"])}`)!
        if (!validate(body)) {
          throw new Error(`${method.toUpperCase()} ${pathKey} ${status}: the body does not match the OpenAPI document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`)
        }
      }
      for (const name of Object.keys(response.headers ?? {})) {
        if (headers[name.toLowerCase()] === undefined) throw new Error(`${method.toUpperCase()} ${pathKey} ${status}: header ${name} is documented but missing`)
      }
    },
  }
}
