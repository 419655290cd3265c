/**
 * The plugin's workflows, for a store that runs or extends them (`medusa-channel-orders/workflows`).
 * The import workflows expose hooks: importChannelOrderWorkflow.hooks.orderImported and
 * importChannelOrdersBatchWorkflow.hooks.ordersImported, called once the order's records exist;
 * followChannelOrderWorkflow.hooks.channelOrderFollowed, recordChannelOrderFailuresWorkflow.hooks.channelOrdersFailed,
 * acceptChannelOrdersWorkflow.hooks.ordersAccepted and createPlaceholderProductsWorkflow.hooks.placeholderProductsCreated.
 */
export { importChannelOrderWorkflow, CHANNEL_ORDER_IMPORTED_EVENT, CHANNEL_ORDER_ALERT_EVENT } from "./import-orders/import-channel-order"
export type { ImportChannelOrderInput } from "./import-orders/import-channel-order"
export { importChannelOrdersBatchWorkflow } from "./import-orders/import-channel-orders-batch"
export { runChannelImport } from "./import-orders/run-channel-import"
export { recoverInterruptedImports } from "./import-orders/recover-interrupted-imports"
export { followChannelOrderWorkflow } from "./import-orders/follow-channel-order"
export { recordChannelOrderFailuresWorkflow } from "./import-orders/record-channel-order-failures"
export { acceptChannelOrdersWorkflow } from "./import-orders/accept-channel-orders"
export { createPlaceholderProductsWorkflow } from "./import-orders/create-placeholder-products"
export { orderAmounts, predictTotals, reconcile, TAX_MODES } from "./import-orders/order-amounts"
export type { TaxMode, Reconciliation } from "./import-orders/order-amounts"
export { createChannelWorkflow } from "./channels/create-channel"
export { updateChannelWorkflow } from "./channels/update-channel"
export { deleteChannelWorkflow } from "./channels/delete-channel"
export { replaceStatusRulesWorkflow } from "./channels/replace-status-rules"
export { saveImportRuleWorkflow } from "./rules/save-import-rule"
export { placeOrderHoldWorkflow } from "./holds/place-order-hold"
export { assertOrdersNotOnHold } from "./holds/hold-guard"
export { releaseOrderHoldWorkflow } from "./holds/release-order-hold"
export { addOrderTagsWorkflow } from "./tags/add-order-tags"
export { retryChannelFeedbackWorkflow } from "./feedback/retry-channel-feedback"
export { markShippedElsewhereWorkflow } from "./status-sync/sync-imported-order"
export { deliverChannelFeedbackWorkflow, verifyChannelFeedbackWorkflow } from "./feedback/deliver-channel-feedback"
export { recordShipmentFeedbackWorkflow } from "./feedback/record-shipment-feedback"
export { recordCancelFeedbackWorkflow } from "./feedback/record-cancel-feedback"
export { recordStatusChangeFeedbackWorkflow } from "./feedback/record-status-change-feedback"
export { saveOrderExportWorkflow, deleteOrderExportWorkflow, saveStatusImportWorkflow, deleteStatusImportWorkflow } from "./transfers/configurations"
export { exportOrdersWorkflow, markExportFailedWorkflow, runOrderExport } from "./transfers/export-orders"
export { runStatusImport } from "./transfers/import-statuses"
export {
  raiseChannelAlertsWorkflow,
  raiseRuleAlertsWorkflow,
  evaluateOperationalAlertsWorkflow,
  deliverChannelAlertWorkflow,
  runAlertDeliveryPass,
  saveAlertDestinationWorkflow,
  deleteAlertDestinationWorkflow,
  testAlertDestinationWorkflow,
} from "./alerts"
