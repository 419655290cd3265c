import { definePolicies } from "@medusajs/framework/utils"

/**
 * RBAC policies of the plugin's admin routes (Medusa's `rbac` feature flag, off by default). A store
 * that turns RBAC on grants them per role: e.g. a warehouse role gets `order_hold:release` and
 * `channel_order:read` without `channel:update`. Which route needs which is in
 * src/api/admin/policies.ts (declared on the routes in src/api/middlewares.ts).
 */
export const CHANNEL_ORDERS_POLICIES = [
  { name: "ReadChannel", resource: "channel", operation: "read", description: "See channels, their settings, status rules and runs" },
  { name: "CreateChannel", resource: "channel", operation: "create", description: "Create channels" },
  { name: "UpdateChannel", resource: "channel", operation: "update", description: "Edit channels: connection, credentials, settings, status rules" },
  { name: "DeleteChannel", resource: "channel", operation: "delete", description: "Delete channels" },
  { name: "ImportChannel", resource: "channel", operation: "import", description: "Run a channel's import now" },
  { name: "ReadChannelSkuMapping", resource: "channel_sku_mapping", operation: "read", description: "See a channel's SKU mappings" },
  { name: "CreateChannelSkuMapping", resource: "channel_sku_mapping", operation: "create", description: "Map a marketplace SKU to a variant" },
  { name: "DeleteChannelSkuMapping", resource: "channel_sku_mapping", operation: "delete", description: "Remove a SKU mapping" },
  { name: "ReadChannelApiKey", resource: "channel_api_key", operation: "read", description: "See a B2B channel's API keys" },
  { name: "CreateChannelApiKey", resource: "channel_api_key", operation: "create", description: "Create B2B order API keys" },
  { name: "RevokeChannelApiKey", resource: "channel_api_key", operation: "revoke", description: "Revoke B2B order API keys" },
  { name: "ReadChannelOrder", resource: "channel_order", operation: "read", description: "See imported and refused marketplace orders, an order's marketplace panel" },
  { name: "RetryChannelOrder", resource: "channel_order", operation: "retry", description: "Retry the import of a marketplace order" },
  { name: "IgnoreChannelOrder", resource: "channel_order", operation: "ignore", description: "Give up importing a marketplace order" },
  { name: "BulkChannelOrder", resource: "channel_order", operation: "bulk", description: "Marketplace desk bulk actions: retry, ignore, release holds, add and remove tags on many orders" },
  { name: "ReadChannelFeedback", resource: "channel_feedback", operation: "read", description: "See shipment and cancel feedback sent to marketplaces" },
  { name: "RetryChannelFeedback", resource: "channel_feedback", operation: "retry", description: "Send failed marketplace feedback again" },
  { name: "ReadImportRule", resource: "import_rule", operation: "read", description: "See import rules and dry-run them" },
  { name: "CreateImportRule", resource: "import_rule", operation: "create", description: "Create import rules" },
  { name: "UpdateImportRule", resource: "import_rule", operation: "update", description: "Edit import rules" },
  { name: "DeleteImportRule", resource: "import_rule", operation: "delete", description: "Delete import rules" },
  { name: "ReadOrderExport", resource: "order_export", operation: "read", description: "See order exports, their runs and files, and an order's exports" },
  { name: "CreateOrderExport", resource: "order_export", operation: "create", description: "Create order exports" },
  { name: "UpdateOrderExport", resource: "order_export", operation: "update", description: "Edit order exports: destination, secrets, conditions, schedule" },
  { name: "DeleteOrderExport", resource: "order_export", operation: "delete", description: "Delete order exports" },
  { name: "RunOrderExport", resource: "order_export", operation: "run", description: "Run an order export now" },
  { name: "ReadStatusImport", resource: "status_import", operation: "read", description: "See status imports and their runs" },
  { name: "CreateStatusImport", resource: "status_import", operation: "create", description: "Create status imports" },
  { name: "UpdateStatusImport", resource: "status_import", operation: "update", description: "Edit status imports: source, secrets, schedule" },
  { name: "DeleteStatusImport", resource: "status_import", operation: "delete", description: "Delete status imports" },
  { name: "RunStatusImport", resource: "status_import", operation: "run", description: "Run a status import now (ships, cancels and delivers orders)" },
  { name: "ReadAlertDestination", resource: "alert_destination", operation: "read", description: "See alert destinations (e-mail, webhooks, admin feed)" },
  { name: "CreateAlertDestination", resource: "alert_destination", operation: "create", description: "Add alert destinations" },
  { name: "UpdateAlertDestination", resource: "alert_destination", operation: "update", description: "Edit alert destinations and their routing" },
  { name: "DeleteAlertDestination", resource: "alert_destination", operation: "delete", description: "Delete alert destinations" },
  { name: "TestAlertDestination", resource: "alert_destination", operation: "test", description: "Send a test alert to a destination" },
  { name: "ReadChannelAlert", resource: "channel_alert", operation: "read", description: "See raised alerts and their deliveries" },
  { name: "PlaceOrderHold", resource: "order_hold", operation: "place", description: "Put an order on hold" },
  { name: "ReleaseOrderHold", resource: "order_hold", operation: "release", description: "Release an order's hold" },
  { name: "CreateOrderTag", resource: "order_tag", operation: "create", description: "Tag orders" },
  { name: "DeleteOrderTag", resource: "order_tag", operation: "delete", description: "Remove an order's tag" },
] as const

export const channelOrdersPolicies = definePolicies(CHANNEL_ORDERS_POLICIES.map((p) => ({ ...p })))
