import { createHook, createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import {
  authorizePaymentSessionStep,
  cancelOrderWorkflow,
  completeOrderWorkflow,
  createOrderFulfillmentWorkflow,
  createPaymentCollectionsStep,
  createOrderShipmentWorkflow,
  createOrderWorkflow,
  createPaymentSessionsWorkflow,
  emitEventStep,
  markPaymentCollectionAsPaid,
  reserveInventoryStep,
  useQueryGraphStep,
} from "@medusajs/medusa/core-flows"
import { Modules } from "@medusajs/framework/utils"
import { claimChannelOrderStep } from "./steps/claim-channel-order"
import { linkOrderPaymentCollectionsStep } from "./steps/link-order-payment-collections"
import { createInvoiceStep } from "./steps/create-invoice"
import { registerHistoryShipmentStep } from "./steps/register-history-shipment"
import { recordChannelOrderEventsStep, type ChannelOrderEventInput } from "./steps/record-channel-order-events"
import { createOrderHoldsStep } from "../holds/steps/create-order-holds"
import { addOrderTagsStep } from "../tags/steps/add-order-tags"
import type { PreparedImport } from "./prepare-imports"
import type { RuleAlert } from "../rules/apply"
import { notifyImportAlertsStep, type ImportAlertInput } from "./steps/notify-import-alerts"
import { applyMarketplaceAmountsStep } from "./steps/apply-marketplace-amounts"
import { recordReconciliationStep } from "./steps/record-reconciliation"
import { finishChannelOrderImportsStep } from "./steps/finish-channel-order-imports"
import { capturedAmount, reconcile, reconciliationOutcome, type Reconciliation } from "./order-amounts"

export const CHANNEL_ORDER_IMPORTED_EVENT = "channel_order.imported"

export type ImportChannelOrderInput = PreparedImport & {
  channel_id: string
  /** The import that began this channel order (beginChannelOrderImports) and owns it until it finishes. */
  import_owner?: string | null
  rule_effects?: Record<string, unknown> | null
  alerts?: RuleAlert[]
}

export const CHANNEL_ORDER_ALERT_EVENT = "channel_order.alert"

/**
 * One external order → one Medusa order, through Medusa's core workflows: create, link (claim),
 * reserve, pay, invoice, cancel or fulfil and ship, hold and tag. Any failure compensates every step
 * before it, so no order is ever half-created.
 */
export const importChannelOrderWorkflow = createWorkflow("channel-orders-import-channel-order", (input: ImportChannelOrderInput) => {
  const order = createOrderWorkflow.runAsStep({ input: input.order_input as any })

  // Claim right after creation: a duplicate is undone before any stock or payment is touched.
  claimChannelOrderStep(
    transform({ input, order }, ({ input, order }) => ({
      channel_order_id: input.channel_order_id,
      order_id: order.id,
      action: input.action,
      external_status: input.external_status,
      rule_effects: input.rule_effects ?? null,
      owner: input.import_owner ?? null,
    }))
  )

  // createOrderWorkflow computed the store's taxes and promotions: put the marketplace's back.
  applyMarketplaceAmountsStep(transform({ input, order }, ({ input, order }) => ({ order_id: order.id, amounts: input.amounts })))

  const { data: created } = useQueryGraphStep({
    entity: "order",
    fields: [
      "id",
      "total",
      "subtotal",
      "tax_total",
      "shipping_total",
      "currency_code",
      "items.id",
      "items.quantity",
      "items.title",
      "items.variant_title",
      "items.variant_sku",
      "items.variant_barcode",
      "items.requires_shipping",
      "items.metadata",
    ],
    filters: { id: order.id },
  }).config({ name: "read-imported-order" })

  const derived = transform({ input, created }, ({ input, created }) => {
    const o = created[0] as any
    const byExternal = new Map<string, any>(o.items.map((i: any) => [i.metadata?.external_item_id, i]))
    const reservations = input.lines
      .filter((l) => l.reserve)
      .flatMap((l) =>
        l.inventory.map((ii) => ({
          id: byExternal.get(l.external_item_id)?.id,
          inventory_item_id: ii.inventory_item_id,
          required_quantity: ii.required_quantity,
          allow_backorder: false,
          quantity: l.quantity - (l.shipped_quantity ?? 0),
          location_ids: [input.location_id],
        }))
      )
    // Units shipped on the marketplace before the import, as Medusa line items.
    const shippedElsewhere = (input.shipped_elsewhere ?? [])
      .map((s) => ({ id: byExternal.get(s.external_item_id)?.id as string, quantity: s.quantity }))
      .filter((s) => s.id)
    const fulfilItems = o.items.map((i: any) => ({ id: i.id, quantity: i.quantity }))
    // History orders ship without touching stock: hand the fulfilment workflow the lines as
    // unmanaged, so it neither looks for reservations nor adjusts inventory levels.
    const itemsList =
      input.plan.fulfil === "history"
        ? o.items.map((i: any) => ({ ...i, variant: { manage_inventory: false, inventory_items: [] } }))
        : undefined
    const total = Number(o.total)
    const reconciliation = reconcile(input.reconciliation_order, {
      total,
      tax_total: Number(o.tax_total),
      paid_total: capturedAmount(input.plan.payment, total),
    })
    return {
      order_id: o.id as string,
      total,
      collection_amount: input.plan.payment === "zero" ? 0 : total,
      reconciliation,
      reservations,
      fulfilItems,
      itemsList,
      shippedElsewhere,
      shippedElsewhereList: o.items.map((i: any) => ({ ...i, variant: { manage_inventory: false, inventory_items: [] } })),
      invoice: {
        order_id: o.id,
        channel_order_id: input.channel_order_id,
        currency_code: o.currency_code,
        subtotal: Number(o.subtotal),
        tax_total: Number(o.tax_total),
        shipping_total: Number(o.shipping_total),
        total: Number(o.total),
      },
    }
  })

  // Step inputs are deep copies of the values they name: conditions read the small plan, not the input.
  // transform(x, …) names one value, copied once; transform({ x }, …) copies x's nested lists again per level.
  const plan = transform(input, (input) => input.plan)

  // Part of the order shipped on the marketplace before it was imported: a fulfillment marked shipped,
  // without a stock movement (those units are not shipped from here). Before any reservation exists:
  // Medusa's fulfillment workflow would otherwise take these units out of the line's reservation.
  const shippedBefore = when("record-shipped-before-import", { derived }, ({ derived }) => derived.shippedElsewhere.length > 0).then(() =>
    createOrderFulfillmentWorkflow
      .runAsStep({
        input: transform({ input, derived }, ({ input, derived }) => ({
          order_id: derived.order_id,
          items: derived.shippedElsewhere,
          items_list: derived.shippedElsewhereList,
          location_id: input.location_id,
          shipping_option_id: input.shipping_option_id ?? undefined,
          no_notification: true,
          metadata: { source: "channel_import", reason: "shipped_before_import" },
        })),
      })
      .config({ name: "fulfil-shipped-before-import" })
  )
  when("ship-shipped-before-import", { derived, shippedBefore }, ({ derived }) => derived.shippedElsewhere.length > 0).then(() => {
    registerHistoryShipmentStep(
      transform({ derived, shippedBefore }, ({ derived, shippedBefore }) => ({
        order_id: derived.order_id,
        fulfillment_id: shippedBefore!.id,
        items: derived.shippedElsewhere,
      }))
    ).config({ name: "register-shipped-before-import" })
  })

  when("reserve-stock", { derived }, ({ derived }) => derived.reservations.length > 0).then(() => {
    reserveInventoryStep({ items: derived.reservations })
  })

  // Medusa's createOrderPaymentCollectionWorkflow, with the collection tagged as the batched path
  // tags it (metadata order_id / channel_order_id): a process killed between creating and linking it
  // leaves a collection recovery can find and remove.
  const collections = when("create-payment-collection", { plan }, ({ plan }) => plan.payment !== "none").then(() => {
    const created = createPaymentCollectionsStep(
      transform({ derived, input }, ({ derived, input }) => [
        {
          currency_code: derived.invoice.currency_code,
          amount: derived.collection_amount,
          metadata: { order_id: derived.order_id, channel_order_id: input.channel_order_id },
        },
      ])
    ).config({ name: "create-channel-order-payment-collection" })
    linkOrderPaymentCollectionsStep(
      transform({ derived, created }, ({ derived, created }) => [
        { [Modules.ORDER]: { order_id: derived.order_id }, [Modules.PAYMENT]: { payment_collection_id: created[0].id } },
      ])
    ).config({ name: "link-channel-order-payment-collection" })
    return created
  })
  when("capture-payment", { plan, collections }, ({ plan }) => plan.payment === "captured").then(() => {
    markPaymentCollectionAsPaid.runAsStep({
      input: transform({ derived, collections }, ({ derived, collections }) => ({
        order_id: derived.order_id,
        payment_collection_id: collections![0].id,
      })),
    })
  })
  when("authorize-payment", { plan, collections }, ({ plan }) => plan.payment === "authorized").then(() => {
    const session = createPaymentSessionsWorkflow.runAsStep({
      input: transform({ collections }, ({ collections }) => ({
        payment_collection_id: collections![0].id,
        provider_id: "pp_system_default",
      })),
    })
    authorizePaymentSessionStep(transform({ session }, ({ session }) => ({ id: session.id, context: {} })))
  })

  when("create-invoice", { plan }, ({ plan }) => plan.invoice).then(() => {
    createInvoiceStep(transform({ derived }, ({ derived }) => derived.invoice))
  })

  when("cancel-imported-order", { plan }, ({ plan }) => plan.cancel).then(() => {
    cancelOrderWorkflow.runAsStep({
      input: transform({ derived }, ({ derived }) => ({ order_id: derived.order_id, no_notification: true })),
    })
  })

  const fulfillment = when("fulfil", { plan }, ({ plan }) => plan.fulfil !== "none").then(() =>
    createOrderFulfillmentWorkflow.runAsStep({
      input: transform({ input, derived }, ({ input, derived }) => ({
        order_id: derived.order_id,
        items: derived.fulfilItems,
        items_list: derived.itemsList,
        location_id: input.location_id,
        shipping_option_id: input.shipping_option_id ?? undefined,
        no_notification: true,
        metadata: { source: "channel_import", action: input.action },
      })),
    })
  )
  when("ship-with-stock", { plan, fulfillment }, ({ plan }) => plan.fulfil === "stock").then(() => {
    createOrderShipmentWorkflow.runAsStep({
      input: transform({ derived, fulfillment }, ({ derived, fulfillment }) => ({
        order_id: derived.order_id,
        fulfillment_id: fulfillment!.id,
        items: derived.fulfilItems,
        labels: [],
        no_notification: true,
        metadata: { source: "channel_import" },
      })),
    })
  })
  when("ship-history", { plan, fulfillment }, ({ plan }) => plan.fulfil === "history").then(() => {
    registerHistoryShipmentStep(
      transform({ derived, fulfillment }, ({ derived, fulfillment }) => ({
        order_id: derived.order_id,
        fulfillment_id: fulfillment!.id,
        items: derived.fulfilItems,
      }))
    )
  })
  when("complete-order", { plan }, ({ plan }) => plan.fulfil !== "none").then(() => {
    completeOrderWorkflow.runAsStep({
      input: transform({ derived }, ({ derived }) => ({ orderIds: [derived.order_id] })),
    })
  })

  // The records and events that close the import, computed once.
  const tail = transform({ input, derived }, ({ input, derived }) => ({
    holds: importHolds(input, derived.order_id, derived.reconciliation),
    reconciliation: [{ channel_order_id: input.channel_order_id, reconciliation: derived.reconciliation }],
    tags: { order_id: derived.order_id, tags: input.tags },
    events: importedOrderEvents(input, derived.order_id, "workflow", derived.reconciliation),
    imported: importedEventData(input, derived.order_id),
    alerts: importAlerts(input, derived.order_id),
  }))
  recordReconciliationStep(transform(tail, (tail) => tail.reconciliation))
  createOrderHoldsStep(transform(tail, (tail) => tail.holds))
  addOrderTagsStep(transform(tail, (tail) => tail.tags))
  recordChannelOrderEventsStep(transform(tail, (tail) => tail.events))
  // Last write: everything above happened, so the channel order is imported.
  when("finish-import", { input }, ({ input }) => !!input.import_owner).then(() => {
    finishChannelOrderImportsStep(transform(input, (input) => ({ ids: [input.channel_order_id], owner: input.import_owner! })))
  })
  emitEventStep({ eventName: CHANNEL_ORDER_IMPORTED_EVENT, data: transform(tail, (tail) => tail.imported) })
  const alerts = transform(tail, (tail) => tail.alerts)
  emitEventStep({ eventName: CHANNEL_ORDER_ALERT_EVENT, data: alerts }).config({ name: "emit-import-alerts" })
  notifyImportAlertsStep(alerts)

  // Where a store extends the import: runs inside the workflow, after every record exists (a
  // handler that throws undoes the whole import).
  const orderImported = createHook("orderImported", { imported: transform(tail, (tail) => tail.imported), reconciliation: transform(derived, (derived) => derived.reconciliation) })
  return new WorkflowResponse(transform({ derived }, ({ derived }) => ({ order_id: derived.order_id })), { hooks: [orderImported] })
})

/** The order's holds: those decided before the import, and total_mismatch when its amounts do not reconcile. */
export function importHolds(input: ImportChannelOrderInput, orderId: string, reconciliation: Reconciliation) {
  const mismatch = reconciliationOutcome(reconciliation, input.reconciliation_order.currency_code).hold
  return [...input.holds, ...(mismatch && !input.plan.cancel ? [mismatch] : [])].map((h) => ({ ...h, order_id: orderId, channel_order_id: input.channel_order_id }))
}

/** The timeline entries of an imported order: created, the rules that matched, each tag and hold, the reconciliation. */
export function importedOrderEvents(
  input: ImportChannelOrderInput,
  orderId: string,
  path: "workflow" | "batch",
  reconciliation: Reconciliation
): ChannelOrderEventInput[] {
  const base = { channel_order_id: input.channel_order_id, order_id: orderId }
  const effects = input.rule_effects as any
  const outcome = reconciliationOutcome(reconciliation, input.reconciliation_order.currency_code)
  return [
    { ...base, type: "created", message: `Imported as ${input.action} (status "${input.external_status}")`, data: { action: input.action, plan: input.plan, path } },
    ...(effects?.matched_rule_ids?.length
      ? [{ ...base, type: "rules_matched", message: `Import rules matched: ${effects.contributions.map((c: any) => c.rule_name).join(", ")}`, data: effects as Record<string, unknown> }]
      : []),
    ...input.tags.map((t) => ({ ...base, type: "tag", message: `Tagged "${t}"`, data: { tag: t } })),
    ...input.holds.map((h) => ({ ...base, type: "hold", message: `Put on hold: ${h.reason}`, data: { reason: h.reason, detail: h.detail, rule_id: h.rule_id ?? null } })),
    { ...base, ...outcome.event },
    ...(outcome.hold && !input.plan.cancel ? [{ ...base, type: "hold", message: `Put on hold: ${outcome.hold.reason}`, data: { reason: outcome.hold.reason, detail: outcome.hold.detail, rule_id: null } }] : []),
  ]
}

/** The payload of `channel_order.imported`, the same on both import paths. */
export function importedEventData(input: ImportChannelOrderInput, orderId: string) {
  return { id: input.channel_order_id, order_id: orderId, channel_id: input.channel_id, external_id: input.external_id, action: input.action }
}

/** The import rules' alerts of an imported order, addressed to it. */
export function importAlerts(input: ImportChannelOrderInput, orderId: string): ImportAlertInput[] {
  return (input.alerts ?? []).map((a) => ({
    ...a,
    order_id: orderId,
    external_id: input.external_id,
    channel_order_id: input.channel_order_id,
    channel_name: String((input.order_input.metadata as any)?.channel_name ?? input.channel_id),
  }))
}
