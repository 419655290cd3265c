import { createHook, createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { Modules } from "@medusajs/framework/utils"
import {
  createPaymentCollectionsStep,
  emitEventStep,
  reserveInventoryStep,
} from "@medusajs/medusa/core-flows"
import { findOrCreateCustomersStep } from "./steps/find-or-create-customers"
import { buildBatchOrdersStep } from "./steps/build-batch-orders"
import { createBatchOrdersStep } from "./steps/create-batch-orders"
import { claimChannelOrdersStep } from "./steps/claim-channel-orders"
import { setBatchTaxLinesStep } from "./steps/set-batch-tax-lines"
import { settleBatchPaymentsStep, type BatchPayment } from "./steps/settle-batch-payments"
import { createInvoicesStep } from "./steps/create-invoice"
import { linkOrderPaymentCollectionsStep } from "./steps/link-order-payment-collections"
import { recordChannelOrderEventsStep } from "./steps/record-channel-order-events"
import { notifyImportAlertsStep } from "./steps/notify-import-alerts"
import { recordReconciliationStep } from "./steps/record-reconciliation"
import { finishChannelOrderImportsStep } from "./steps/finish-channel-order-imports"
import { capturedAmount, reconcile } from "./order-amounts"
import { createOrderHoldsStep } from "../holds/steps/create-order-holds"
import { addOrderTagsStep } from "../tags/steps/add-order-tags"
import {
  CHANNEL_ORDER_ALERT_EVENT,
  CHANNEL_ORDER_IMPORTED_EVENT,
  importAlerts,
  importHolds,
  importedEventData,
  importedOrderEvents,
  type ImportChannelOrderInput,
} from "./import-channel-order"

export type BatchImportInput = ImportChannelOrderInput & {
  /** The order's e-mail as validateEmail returns it (lower-cased), the key of its customer. */
  customer_email: string
}

/**
 * A page of plain imports (valid, hold, invoice: no cancel, no fulfilment) as one unit, through the
 * module services' batch methods: customers found or created in one go, orders with their items,
 * addresses and shipping methods in one createOrders call, tax lines, reservations and payment
 * collections in one call each. It writes what importChannelOrderWorkflow writes for each order,
 * and any failure compensates the whole batch; the caller then imports the page order by order.
 */
export const importChannelOrdersBatchWorkflow = createWorkflow("channel-orders-import-channel-orders-batch", (input: { imports: BatchImportInput[] }) => {
  const customers = findOrCreateCustomersStep(transform(input, (input) => ({ emails: input.imports.map((i) => i.customer_email) })))

  const ordersToCreate = buildBatchOrdersStep(
    transform({ input, customers }, ({ input, customers }) => ({
      sources: input.imports.map((i) => ({ order_input: i.order_input, email: i.customer_email })),
      customers,
    }))
  )
  // In the input's order, down to the fields tax, totals and reservations read.
  const created = createBatchOrdersStep(ordersToCreate)

  claimChannelOrdersStep(
    transform({ input, created }, ({ input, created }) =>
      input.imports.map((i, n) => ({
        channel_order_id: i.channel_order_id,
        order_id: created[n].id,
        action: i.action,
        rule_effects: i.rule_effects ?? null,
        owner: i.import_owner ?? null,
      }))
    )
  )

  // Tax lines, and the totals the order module would answer for them, without reading the orders back.
  const taxed = setBatchTaxLinesStep(
    transform({ input, created, customers }, ({ input, created, customers }) => ({
      orders: created,
      customers: Object.values(customers),
      amounts: Object.fromEntries(input.imports.map((i, n) => [created[n].id, i.amounts])),
    }))
  )

  // What each later step writes, computed once from the input; no later step names the input.
  const work = transform({ input, created, taxed }, ({ input, created, taxed }) => {
    const totalsById = new Map(taxed.totals.map((t) => [t.id, t]))
    const orders = input.imports.map((i, n) => {
      const order = created[n]
      const t = totalsById.get(order.id)!
      const itemByExternal = new Map<string | null, string>(order.items.map((it: { external_item_id: string | null; id: string }) => [it.external_item_id, it.id]))
      const reconciliation = reconcile(i.reconciliation_order, { total: t.total, tax_total: t.tax_total, paid_total: capturedAmount(i.plan.payment, t.total) })
      return { i, order_id: order.id, t, itemByExternal, reconciliation }
    })
    // A collection for every order that pays (0 for a zero-value order, unpaid for cash on delivery);
    // a payment only for those captured or authorized now.
    const collecting = orders.filter(({ i }) => i.plan.payment !== "none")
    const paying = collecting.filter(({ i }) => i.plan.payment === "captured" || i.plan.payment === "authorized")
    return {
      reservations: orders.flatMap(({ i, itemByExternal }) =>
        i.lines
          .filter((l) => l.reserve)
          .flatMap((l) =>
            l.inventory.map((ii) => ({
              id: itemByExternal.get(l.external_item_id),
              inventory_item_id: ii.inventory_item_id,
              required_quantity: ii.required_quantity,
              allow_backorder: false,
              quantity: l.quantity - (l.shipped_quantity ?? 0),
              location_ids: [i.location_id],
            }))
          )
      ),
      // The order and channel order in the collection's metadata: a process killed before the link
      // step leaves a collection that recovery can still find and remove.
      collections: collecting.map(({ i, t, order_id }) => ({
        currency_code: t.currency_code,
        amount: i.plan.payment === "zero" ? 0 : t.total,
        metadata: { order_id, channel_order_id: i.channel_order_id },
      })),
      collection_orders: collecting.map(({ order_id }) => order_id),
      payments: paying.map(({ i, order_id, t }) => ({ order_id, amount: t.total, currency_code: t.currency_code, mode: i.plan.payment as BatchPayment["mode"] })),
      reconciliations: orders.map(({ i, reconciliation }) => ({ channel_order_id: i.channel_order_id, reconciliation })),
      invoices: orders
        .filter(({ i }) => i.plan.invoice)
        .map(({ i, order_id, t }) => ({
          order_id,
          channel_order_id: i.channel_order_id,
          currency_code: t.currency_code,
          subtotal: t.subtotal,
          tax_total: t.tax_total,
          shipping_total: t.shipping_total,
          total: t.total,
        })),
      holds: orders.flatMap(({ i, order_id, reconciliation }) => importHolds(i, order_id, reconciliation)),
      tags: orders.map(({ i, order_id }) => ({ order_id, tags: i.tags })),
      events: orders.flatMap(({ i, order_id, reconciliation }) => importedOrderEvents(i, order_id, "batch", reconciliation)),
      imported: orders.map(({ i, order_id }) => importedEventData(i, order_id)),
      alerts: orders.flatMap(({ i, order_id }) => importAlerts(i, order_id)),
      result: orders.map(({ i, order_id }) => ({ channel_order_id: i.channel_order_id, order_id })),
      finish: { ids: orders.map(({ i }) => i.channel_order_id), owner: input.imports.find((i) => i.import_owner)?.import_owner ?? null },
    }
  })

  // transform(work, …) names one value, which the engine copies once; transform({ work }, …) would
  // walk it key by key and copy every nested list again at each level.
  reserveInventoryStep(transform(work, (work) => ({ items: work.reservations })))

  const collections = createPaymentCollectionsStep(transform(work, (work) => work.collections))
  const collected = transform({ orders: transform(work, (work) => work.collection_orders), collections }, ({ orders, collections }) =>
    orders.map((order_id, n) => ({ order_id, payment_collection_id: collections[n].id as string }))
  )
  const payments = transform({ due: transform(work, (work) => work.payments), collected }, ({ due, collected }) => {
    const byOrder = new Map(collected.map((c) => [c.order_id, c.payment_collection_id]))
    return due.map((p): BatchPayment => ({ ...p, payment_collection_id: byOrder.get(p.order_id)! }))
  })
  linkOrderPaymentCollectionsStep(
    transform(collected, (collected) =>
      collected.map((p) => ({ [Modules.ORDER]: { order_id: p.order_id }, [Modules.PAYMENT]: { payment_collection_id: p.payment_collection_id } }))
    )
  )
  const settled = settleBatchPaymentsStep(payments)
  when("emit-payments-captured", { settled }, ({ settled }) => settled.captured.length > 0).then(() => {
    emitEventStep({ eventName: "payment.captured", data: transform(settled, (settled) => settled.captured) }).config({ name: "emit-batch-payments-captured" })
  })

  createInvoicesStep(transform(work, (work) => work.invoices))
  recordReconciliationStep(transform(work, (work) => work.reconciliations))
  createOrderHoldsStep(transform(work, (work) => work.holds))
  addOrderTagsStep(transform(work, (work) => work.tags))
  recordChannelOrderEventsStep(transform(work, (work) => work.events))
  // Last write: every record of the page exists, so its channel orders are imported.
  // Computed in `work`, so no step names the page's whole input again.
  const finish = transform(work, (work) => work.finish)
  when("finish-batch-import", { finish }, ({ finish }) => !!finish.owner).then(() => {
    finishChannelOrderImportsStep(transform(finish, (finish) => ({ ids: finish.ids, owner: finish.owner! }))).config({ name: "finish-channel-order-batch-imports" })
  })

  emitEventStep({ eventName: CHANNEL_ORDER_IMPORTED_EVENT, data: transform(work, (work) => work.imported) })

  const alerts = transform(work, (work) => work.alerts)
  emitEventStep({ eventName: CHANNEL_ORDER_ALERT_EVENT, data: alerts }).config({ name: "emit-import-alerts" })
  notifyImportAlertsStep(alerts)

  // Where a store extends the batched import: the page's imported orders, after every record exists.
  const ordersImported = createHook("ordersImported", { imported: transform(work, (work) => work.imported) })
  return new WorkflowResponse(transform(work, (work) => work.result), { hooks: [ordersImported] })
})
