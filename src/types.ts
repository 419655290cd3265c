/**
 * The plugin's public types, for a store that writes its own channel provider, runs the plugin's
 * workflows or subscribes to its events:
 *
 *   import type { IChannelProvider, CanonicalOrderInput } from "medusa-channel-orders/types"
 *
 * Types only: this entry has no runtime code (`medusa-channel-orders/types` resolves to an empty
 * module). The values (`ChannelProviderError`, `CHANNEL_MODULE`, `CanonicalOrderSchema`, the
 * workflows) come from `medusa-channel-orders/modules/channel` and `medusa-channel-orders/workflows`.
 * docs/example-provider.ts is a provider written against these types; `npm run test:install`
 * type-checks it under `strict` in a stock store.
 */
import type { StatusAction } from "./modules/channel/types/provider"
import type { importedEventData } from "./workflows/import-orders/import-channel-order"
import type { ImportAlertInput } from "./workflows/import-orders/steps/notify-import-alerts"

// ---------------------------------------------------------------------------------- providers

export type {
  IChannelProvider,
  ChannelContext,
  ChannelRateLimiter,
  ChannelProviderCache,
  RateLimit,
  ListOrdersInput,
  ListOrdersPage,
  RawOrderIdentity,
  ProviderStatus,
  StatusKind,
  StatusAction,
  StatusRuleInput,
  ConnectionCheck,
  ShipmentItem,
  ShipmentPackage,
  ShipmentConfirmation,
  ShipmentConfirmationResult,
  ReadBackVerdict,
  FeedbackReadBackInput,
} from "./modules/channel/types/provider"
export type { ChannelProviderError } from "./modules/channel/errors"

// ---------------------------------------------------------------------------------- the canonical order

export type {
  CanonicalOrder,
  CanonicalOrderInput,
  CanonicalAddress,
  CanonicalItem,
  CanonicalCharge,
  CanonicalTaxLine,
  CanonicalDiscount,
} from "./modules/channel/types/canonical-order"
export type { ChannelOrderState, HoldReason } from "./modules/channel/types/states"

// ---------------------------------------------------------------------------------- workflow inputs

export type { ImportChannelOrderInput } from "./workflows/import-orders/import-channel-order"
export type { BatchImportInput } from "./workflows/import-orders/import-channel-orders-batch"
export type { CreateChannelInput } from "./workflows/channels/create-channel"
export type { UpdateChannelInput } from "./workflows/channels/update-channel"
export type { SaveImportRuleInput } from "./workflows/rules/save-import-rule"
export type { PlaceOrderHoldInput } from "./workflows/holds/place-order-hold"
export type { ReleaseOrderHoldInput } from "./workflows/holds/release-order-hold"
export type { MarkShippedElsewhereInput } from "./workflows/status-sync/sync-imported-order"
export type { RecordShipmentFeedbackInput } from "./workflows/feedback/record-shipment-feedback"
export type { DeliverChannelFeedbackInput } from "./workflows/feedback/deliver-channel-feedback"

// ---------------------------------------------------------------------------------- events

/** Event names the plugin emits (a subscriber's `config: { event: "channel_order.imported" }`). */
export type ChannelOrdersEventName = "channel_order.imported" | "channel_order.alert"

/**
 * `channel_order.imported`: one per imported order, on both import paths; also what the hooks
 * `importChannelOrderWorkflow.hooks.orderImported` and `importChannelOrdersBatchWorkflow.hooks.ordersImported`
 * receive (as `imported`, one object or the page's array).
 */
export type ChannelOrderImportedEventData = {
  /** The channel order (staged marketplace order) id. */
  id: string
  /** The Medusa order created for it. */
  order_id: string
  channel_id: string
  /** The marketplace's order id. */
  external_id: string
  /** The status action that imported it. */
  action: Exclude<StatusAction, "do_not_import">
}

/** `channel_order.alert`: what an import rule's "alert" asked for, addressed to the imported order. */
export type ChannelOrderAlertEventData = ImportAlertInput

/** One event's payload per event name, for `SubscriberArgs<ChannelOrdersEventData["channel_order.imported"]>`. */
export type ChannelOrdersEventData = {
  "channel_order.imported": ChannelOrderImportedEventData
  "channel_order.alert": ChannelOrderAlertEventData
}

// Compile-time guard (no runtime code): the documented payload is exactly what the workflows emit.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
type Assert<T extends true> = T
type _ImportedPayloadIsWhatIsEmitted = Assert<Same<ReturnType<typeof importedEventData>, ChannelOrderImportedEventData>>
