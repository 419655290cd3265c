import type { MedusaNextFunction, MedusaRequest, MedusaResponse, MiddlewareRoute } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"

/**
 * Issue 17 (admin-route fuzzing): input that the plugin's routes refuse before any validator or
 * workflow sees it, because Medusa's own machinery fails on it with a 500:
 * - JSON nested deeper than MAX_INPUT_DEPTH: Medusa's zod error formatter, its workflow engine
 *   (`parseStringifyIfNecessary`) and any recursive walk overflow the stack on a few thousand levels;
 * - keys that shadow `Object.prototype` (`hasOwnProperty`, `toString`, `valueOf`…) or reach a
 *   prototype (`__proto__`, `constructor`, `prototype`): the workflow engine calls
 *   `value.hasOwnProperty(…)` and the error formatter `String(value)`, which throw on such objects,
 *   and a `__proto__` key merged by a careless spread is prototype pollution;
 * - query parameters that are objects (`a[b][c]=…`): Medusa's query normaliser throws a 500 on them.
 * Each is a 400 naming the field. The walk is iterative, so no input can overflow it.
 */
export const MAX_INPUT_DEPTH = 32

export const RESERVED_INPUT_KEYS: ReadonlySet<string> = new Set([
  "__proto__",
  "constructor",
  "prototype",
  ...Object.getOwnPropertyNames(Object.prototype),
])

export type InputProblem = { field: string; message: string }

/** The first problem of a parsed JSON value (or query object), or null. */
export function hostileInputProblem(value: unknown, root = "body", maxDepth = MAX_INPUT_DEPTH): InputProblem | null {
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: value, path: root, depth: 0 }]
  while (stack.length) {
    const { v, path, depth } = stack.pop()!
    if (v === null || typeof v !== "object") continue
    if (depth >= maxDepth) return { field: path, message: `${path}: nested deeper than ${maxDepth} levels` }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: `${path}[${i}]`, depth: depth + 1 })
      continue
    }
    const keys = Object.keys(v)
    for (const key of keys) {
      if (RESERVED_INPUT_KEYS.has(key)) {
        return { field: `${path}.${key}`, message: `${path}.${key}: "${key}" is a reserved key and is not accepted` }
      }
    }
    for (let i = keys.length - 1; i >= 0; i--) stack.push({ v: (v as Record<string, unknown>)[keys[i]], path: `${path}.${keys[i]}`, depth: depth + 1 })
  }
  return null
}

/** Query values are strings or lists of strings: an object (`a[b]=…`) is refused, naming the parameter. */
export function hostileQueryProblem(query: unknown): InputProblem | null {
  if (!query || typeof query !== "object") return null
  for (const [key, value] of Object.entries(query as Record<string, unknown>)) {
    const field = `query.${key}`
    if (RESERVED_INPUT_KEYS.has(key)) return { field, message: `${field}: "${key}" is a reserved key and is not accepted` }
    const ok = typeof value === "string" || (Array.isArray(value) && value.every((x) => typeof x === "string"))
    if (!ok) return { field, message: `${field}: must be a string or a list of strings, not an object` }
  }
  return null
}

/** Refuses hostile bodies and query strings on the plugin's admin routes (400 `invalid_data`). */
export function refuseHostileInput(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  const problem = hostileQueryProblem(req.query) ?? (req.body === undefined ? null : hostileInputProblem(req.body))
  if (problem) return next(new MedusaError(MedusaError.Types.INVALID_DATA, problem.message))
  return next()
}

/** The plugin's admin route prefixes (wildcard matchers run before the routes' own validators). */
export const GUARDED_ADMIN_MATCHERS = [
  "/admin/channels*",
  "/admin/channel-orders*",
  "/admin/channel-feedback*",
  "/admin/import-rules*",
  "/admin/orders/:id/holds*",
  "/admin/orders/:id/tags*",
  "/admin/orders/:id/channel*",
  "/admin/orders/:id/transfers*",
  "/admin/order-exports*",
  "/admin/status-imports*",
  "/admin/alert-destinations*",
  "/admin/alerts*",
]

/** Spread first into src/api/middlewares.ts. */
export const inputGuardRoutes: MiddlewareRoute[] = GUARDED_ADMIN_MATCHERS.map((matcher) => ({ matcher, middlewares: [refuseHostileInput] }))
