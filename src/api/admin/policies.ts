import type { MiddlewareRoute } from "@medusajs/framework/http"

type Verb = "GET" | "POST" | "PUT" | "DELETE"
type Policy = { resource: string; operation: string }

const p = (resource: string, operation: string): Policy => ({ resource, operation })

/**
 * Which RBAC policy each plugin admin route needs (policies defined in src/policies/channel-orders.ts).
 * Medusa checks them only with its `rbac` feature flag on; otherwise they are inert. Routes under
 * /admin/orders/* also need Medusa's own `order:read` (core declares it for the whole prefix).
 */
export const ROUTE_POLICY_TABLE: Array<{ matcher: string | RegExp; method: Verb; policy: Policy }> = [
  { matcher: "/admin/channels", method: "GET", policy: p("channel", "read") },
  { matcher: "/admin/channels", method: "POST", policy: p("channel", "create") },
  { matcher: "/admin/channels/:id", method: "GET", policy: p("channel", "read") },
  { matcher: "/admin/channels/:id", method: "POST", policy: p("channel", "update") },
  { matcher: "/admin/channels/:id", method: "DELETE", policy: p("channel", "delete") },
  { matcher: "/admin/channels/:id/status-rules", method: "GET", policy: p("channel", "read") },
  { matcher: "/admin/channels/:id/status-rules", method: "PUT", policy: p("channel", "update") },
  { matcher: "/admin/channels/:id/runs", method: "GET", policy: p("channel", "read") },
  { matcher: "/admin/channels/:id/import", method: "POST", policy: p("channel", "import") },
  { matcher: "/admin/channels/:id/test-connection", method: "POST", policy: p("channel", "read") },
  { matcher: "/admin/channels/:id/sandbox/orders", method: "POST", policy: p("channel", "update") },
  { matcher: "/admin/channels/:id/sandbox/orders/:external_id", method: "POST", policy: p("channel", "update") },
  { matcher: "/admin/channels/:id/sku-mappings", method: "GET", policy: p("channel_sku_mapping", "read") },
  { matcher: "/admin/channels/:id/sku-mappings", method: "POST", policy: p("channel_sku_mapping", "create") },
  { matcher: "/admin/channels/:id/sku-mappings/:mapping_id", method: "DELETE", policy: p("channel_sku_mapping", "delete") },
  { matcher: "/admin/channels/:id/api-keys", method: "GET", policy: p("channel_api_key", "read") },
  { matcher: "/admin/channels/:id/api-keys", method: "POST", policy: p("channel_api_key", "create") },
  { matcher: "/admin/channels/:id/api-keys/:key_id/revoke", method: "POST", policy: p("channel_api_key", "revoke") },
  { matcher: "/admin/channel-orders", method: "GET", policy: p("channel_order", "read") },
  { matcher: "/admin/channel-orders/summary", method: "GET", policy: p("channel_order", "read") },
  { matcher: "/admin/channel-orders/desk-summary", method: "GET", policy: p("channel_order", "read") },
  { matcher: "/admin/channel-orders/health", method: "GET", policy: p("channel_order", "read") },
  { matcher: "/admin/channel-orders/bulk", method: "POST", policy: p("channel_order", "bulk") },
  { matcher: "/admin/channel-orders/:id", method: "GET", policy: p("channel_order", "read") },
  { matcher: "/admin/channel-orders/:id/retry", method: "POST", policy: p("channel_order", "retry") },
  { matcher: "/admin/channel-orders/:id/ignore", method: "POST", policy: p("channel_order", "ignore") },
  { matcher: "/admin/channel-feedback", method: "GET", policy: p("channel_feedback", "read") },
  { matcher: "/admin/channel-feedback/:id/retry", method: "POST", policy: p("channel_feedback", "retry") },
  { matcher: "/admin/import-rules", method: "GET", policy: p("import_rule", "read") },
  { matcher: "/admin/import-rules", method: "POST", policy: p("import_rule", "create") },
  { matcher: "/admin/import-rules/catalogue", method: "GET", policy: p("import_rule", "read") },
  { matcher: "/admin/import-rules/dry-run", method: "POST", policy: p("import_rule", "read") },
  // Not `/admin/import-rules/:id`: express would match `:id` = dry-run / catalogue as well.
  { matcher: /^\/admin\/import-rules\/(?!dry-run\/?$|catalogue\/?$)[^/]+\/?$/, method: "GET", policy: p("import_rule", "read") },
  { matcher: /^\/admin\/import-rules\/(?!dry-run\/?$|catalogue\/?$)[^/]+\/?$/, method: "POST", policy: p("import_rule", "update") },
  { matcher: /^\/admin\/import-rules\/(?!dry-run\/?$|catalogue\/?$)[^/]+\/?$/, method: "DELETE", policy: p("import_rule", "delete") },
  { matcher: "/admin/order-exports", method: "GET", policy: p("order_export", "read") },
  { matcher: "/admin/order-exports", method: "POST", policy: p("order_export", "create") },
  { matcher: "/admin/order-exports/:id", method: "GET", policy: p("order_export", "read") },
  { matcher: "/admin/order-exports/:id", method: "POST", policy: p("order_export", "update") },
  { matcher: "/admin/order-exports/:id", method: "DELETE", policy: p("order_export", "delete") },
  { matcher: "/admin/order-exports/:id/run", method: "POST", policy: p("order_export", "run") },
  { matcher: "/admin/order-exports/:id/runs", method: "GET", policy: p("order_export", "read") },
  { matcher: "/admin/status-imports", method: "GET", policy: p("status_import", "read") },
  { matcher: "/admin/status-imports", method: "POST", policy: p("status_import", "create") },
  { matcher: "/admin/status-imports/:id", method: "GET", policy: p("status_import", "read") },
  { matcher: "/admin/status-imports/:id", method: "POST", policy: p("status_import", "update") },
  { matcher: "/admin/status-imports/:id", method: "DELETE", policy: p("status_import", "delete") },
  { matcher: "/admin/status-imports/:id/run", method: "POST", policy: p("status_import", "run") },
  { matcher: "/admin/status-imports/:id/runs", method: "GET", policy: p("status_import", "read") },
  { matcher: "/admin/orders/:id/transfers", method: "GET", policy: p("order_export", "read") },
  { matcher: "/admin/alert-destinations", method: "GET", policy: p("alert_destination", "read") },
  { matcher: "/admin/alert-destinations", method: "POST", policy: p("alert_destination", "create") },
  { matcher: "/admin/alert-destinations/:id", method: "GET", policy: p("alert_destination", "read") },
  { matcher: "/admin/alert-destinations/:id", method: "POST", policy: p("alert_destination", "update") },
  { matcher: "/admin/alert-destinations/:id", method: "DELETE", policy: p("alert_destination", "delete") },
  { matcher: "/admin/alert-destinations/:id/test", method: "POST", policy: p("alert_destination", "test") },
  { matcher: "/admin/alerts", method: "GET", policy: p("channel_alert", "read") },
  { matcher: "/admin/alerts/raised", method: "GET", policy: p("channel_alert", "read") },
  { matcher: "/admin/orders/:id/channel", method: "GET", policy: p("channel_order", "read") },
  { matcher: "/admin/orders/:id/holds", method: "POST", policy: p("order_hold", "place") },
  { matcher: "/admin/orders/:id/holds/:hold_id/release", method: "POST", policy: p("order_hold", "release") },
  { matcher: "/admin/orders/:id/tags", method: "POST", policy: p("order_tag", "create") },
  { matcher: "/admin/orders/:id/tags/:tag", method: "DELETE", policy: p("order_tag", "delete") },
]

/** The table as middleware routes (policies only; Medusa adds a no-op middleware to carry them). */
export const routePolicies: MiddlewareRoute[] = ROUTE_POLICY_TABLE.map(({ matcher, method, policy }) => ({
  matcher,
  methods: [method],
  policies: [policy],
}))
