import { readdirSync, readFileSync, statSync } from "fs"
import { join, relative, sep } from "path"
import { ROUTE_POLICY_TABLE, routePolicies } from "../policies"
import { CHANNEL_ORDERS_POLICIES } from "../../../policies/channel-orders"
import middlewares from "../../middlewares"

const ADMIN = join(__dirname, "..")

/** Every plugin admin route (`route.ts` under src/api/admin) with the HTTP verbs it exports. */
function adminRoutes(dir = ADMIN): Array<{ path: string; method: string }> {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name)
    if (statSync(full).isDirectory()) return name === "__tests__" ? [] : adminRoutes(full)
    if (name !== "route.ts") return []
    const path = "/admin/" + relative(ADMIN, dir).split(sep).join("/").replace(/\[([a-z_]+)\]/g, ":$1")
    const verbs = [...readFileSync(full, "utf8").matchAll(/export (?:async function|const) (GET|POST|PUT|DELETE|PATCH)\b/g)].map((m) => m[1])
    return verbs.map((method) => ({ path: path.replace(/\/$/, ""), method }))
  })
}

/** A concrete URL for a route path, and whether an express-style matcher (string or RegExp) takes it. */
const sample = (path: string) => path.replace(/:[a-z_]+/g, "x_1")
function matches(matcher: string | RegExp, url: string): boolean {
  if (matcher instanceof RegExp) return matcher.test(url)
  return new RegExp("^" + matcher.replace(/:[a-z_]+/g, "[^/]+") + "/?$").test(url)
}

describe("RBAC policies of the plugin's admin routes", () => {
  const defined = new Set(CHANNEL_ORDERS_POLICIES.map((p) => `${p.resource}:${p.operation}`))

  it("every admin route and verb declares exactly one policy", () => {
    const routes = adminRoutes()
    expect(routes.length).toBeGreaterThan(30)
    const missing: string[] = []
    const ambiguous: string[] = []
    for (const r of routes) {
      const url = sample(r.path)
      const found = new Set(ROUTE_POLICY_TABLE.filter((e) => e.method === r.method && matches(e.matcher, url)).map((e) => `${e.policy.resource}:${e.policy.operation}`))
      if (!found.size) missing.push(`${r.method} ${r.path}`)
      if (found.size > 1) ambiguous.push(`${r.method} ${r.path}: ${[...found].join(", ")}`)
    }
    expect({ missing, ambiguous }).toEqual({ missing: [], ambiguous: [] })
  })

  it("the dry run and the catalogue only need import_rule:read (not update via /import-rules/:id)", () => {
    for (const [method, url] of [["POST", "/admin/import-rules/dry-run"], ["GET", "/admin/import-rules/catalogue"]]) {
      const found = ROUTE_POLICY_TABLE.filter((e) => e.method === method && matches(e.matcher, url)).map((e) => `${e.policy.resource}:${e.policy.operation}`)
      expect(found).toEqual(["import_rule:read"])
    }
    expect(ROUTE_POLICY_TABLE.filter((e) => e.method === "POST" && matches(e.matcher, "/admin/import-rules/irule_1")).map((e) => e.policy.operation)).toEqual(["update"])
  })

  it("every policy a route needs is defined (definePolicies), and every defined one is used", () => {
    const used = new Set(ROUTE_POLICY_TABLE.map((e) => `${e.policy.resource}:${e.policy.operation}`))
    expect([...used].filter((k) => !defined.has(k))).toEqual([])
    expect([...defined].filter((k) => !used.has(k))).toEqual([])
  })

  it("a warehouse role can release holds without being able to edit channels", () => {
    const of = (method: string, url: string) =>
      ROUTE_POLICY_TABLE.filter((e) => e.method === method && matches(e.matcher, url)).map((e) => `${e.policy.resource}:${e.policy.operation}`)
    expect(of("POST", "/admin/orders/order_1/holds/hold_1/release")).toEqual(["order_hold:release"])
    expect(of("POST", "/admin/channels/chan_1")).toEqual(["channel:update"])
    expect(of("PUT", "/admin/channels/chan_1/status-rules")).toEqual(["channel:update"])
    expect(of("POST", "/admin/channel-orders/chord_1/retry")).toEqual(["channel_order:retry"])
  })

  it("the declarations are registered with the routes Medusa loads", () => {
    const declared = (middlewares.routes ?? []).filter((r) => r.policies).map(({ matcher, methods, policies }) => ({ matcher, methods, policies }))
    expect(declared).toEqual(expect.arrayContaining(routePolicies))
    expect(declared.length).toBe(ROUTE_POLICY_TABLE.length)
  })
})
