import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { Modules } from "@medusajs/framework/utils"
import {
  createOrdersStep,
  createPaymentCollectionsStep,
  emitEventStep,
  reserveInventoryStep,
  useQueryGraphStep,
} from "@medusajs/medusa/core-flows"
import { findOrCreateCustomersStep } from "./steps/find-or-create-customers"
import { buildBatchOrdersStep } from "./steps/build-batch-orders"
import { claimChannelOrdersStep } from "./steps/claim-channel-orders"
import { setBatchTaxLinesStep } from "./steps/set-batch-tax-lines"
import { settleBatchPaymentsStep, type BatchPayment } from "./steps/settle-batch-payments"
import { createInvoicesStep } from "./steps/create-invoice"
import { linkOrderPaymentCollectionsStep } from "./steps/link-order-payment-collections"
import { recordChannelOrderEventsStep } from "./steps/record-channel-order-events"
import { notifyImportAlertsStep } from "./steps/notify-import-alerts"
import { createOrderHoldsStep } from "../holds/steps/create-order-holds"
import { addOrderTagsStep } from "../tags/steps/add-order-tags"
import {
  CHANNEL_ORDER_ALERT_EVENT,
  CHANNEL_ORDER_IMPORTED_EVENT,
  importAlerts,
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
export const importChannelOrdersBatchWorkflow = createWorkflow("import-channel-orders-batch", (input: { imports: BatchImportInput[] }) => {
  const customers = findOrCreateCustomersStep(transform({ input }, ({ input }) => ({ emails: input.imports.map((i) => i.customer_email) })))

  const ordersToCreate = buildBatchOrdersStep(
    transform({ input, customers }, ({ input, customers }) => ({
      sources: input.imports.map((i) => ({ order_input: i.order_input, email: i.customer_email })),
      customers,
    }))
  )
  const createdOrders = createOrdersStep(ordersToCreate as any)
  // createOrders answers in its own order (a list query), not the input's: pair them by channel order.
  const created = transform({ input, createdOrders }, ({ input, createdOrders }) => {
    const byChannelOrder = new Map((createdOrders as any[]).map((o) => [o.metadata?.channel_order_id, o]))
    return input.imports.map((i) => {
      const order = byChannelOrder.get(i.channel_order_id)
      if (!order) throw new Error(`The batch created no order for channel order ${i.channel_order_id}`)
      return order
    })
  })

  claimChannelOrdersStep(
    transform({ input, created }, ({ input, created }) =>
      input.imports.map((i, n) => ({
        channel_order_id: i.channel_order_id,
        order_id: created[n].id,
        action: i.action,
        rule_effects: i.rule_effects ?? null,
      }))
    )
  )

  setBatchTaxLinesStep(transform({ created, customers }, ({ created, customers }) => ({ orders: created as any[], customers: Object.values(customers) })))

  const { data: totals } = useQueryGraphStep({
    entity: "order",
    fields: ["id", "total", "subtotal", "tax_total", "shipping_total", "currency_code"],
    filters: { id: transform({ created }, ({ created }) => created.map((o) => o.id)) },
  }).config({ name: "read-imported-order-batch" })

  const derived = transform({ input, created, totals }, ({ input, created, totals }) => {
    const totalsById = new Map((totals as any[]).map((t) => [t.id, t]))
    return input.imports.map((i, n) => {
      const order = created[n] as any
      const t = totalsById.get(order.id)
      const itemByExternal = new Map<string, any>((order.items ?? []).map((it: any) => [it.metadata?.external_item_id, it]))
      return {
        input: i,
        order_id: order.id as string,
        total: Number(t.total),
        currency_code: t.currency_code as string,
        reservations: i.lines
          .filter((l) => l.reserve)
          .flatMap((l) =>
            l.inventory.map((ii) => ({
              id: itemByExternal.get(l.external_item_id)?.id,
              inventory_item_id: ii.inventory_item_id,
              required_quantity: ii.required_quantity,
              allow_backorder: false,
              quantity: l.quantity,
              location_ids: [i.location_id],
            }))
          ),
        invoice: {
          order_id: order.id,
          channel_order_id: i.channel_order_id,
          currency_code: t.currency_code,
          subtotal: Number(t.subtotal),
          tax_total: Number(t.tax_total),
          shipping_total: Number(t.shipping_total),
          total: Number(t.total),
        },
      }
    })
  })

  reserveInventoryStep(transform({ derived }, ({ derived }) => ({ items: derived.flatMap((d) => d.reservations) })))

  const paying = transform({ derived }, ({ derived }) => derived.filter((d) => d.input.plan.payment !== "none"))
  const collections = createPaymentCollectionsStep(
    transform({ paying }, ({ paying }) => paying.map((d) => ({ currency_code: d.currency_code, amount: d.total })))
  )
  linkOrderPaymentCollectionsStep(
    transform({ paying, collections }, ({ paying, collections }) =>
      paying.map((d, n) => ({ [Modules.ORDER]: { order_id: d.order_id }, [Modules.PAYMENT]: { payment_collection_id: collections[n].id } }))
    )
  )
  const settled = settleBatchPaymentsStep(
    transform({ paying, collections }, ({ paying, collections }) =>
      paying.map(
        (d, n): BatchPayment => ({
          order_id: d.order_id,
          payment_collection_id: collections[n].id,
          amount: d.total,
          currency_code: d.currency_code,
          mode: d.input.plan.payment as BatchPayment["mode"],
        })
      )
    )
  )
  when("emit-payments-captured", { settled }, ({ settled }) => settled.captured.length > 0).then(() => {
    emitEventStep({ eventName: "payment.captured", data: transform({ settled }, ({ settled }) => settled.captured) }).config({ name: "emit-batch-payments-captured" })
  })

  createInvoicesStep(transform({ derived }, ({ derived }) => derived.filter((d) => d.input.plan.invoice).map((d) => d.invoice)))

  createOrderHoldsStep(
    transform({ derived }, ({ derived }) =>
      derived.flatMap((d) => d.input.holds.map((h) => ({ ...h, order_id: d.order_id, channel_order_id: d.input.channel_order_id })))
    )
  )
  addOrderTagsStep(transform({ derived }, ({ derived }) => derived.map((d) => ({ order_id: d.order_id, tags: d.input.tags }))))
  recordChannelOrderEventsStep(transform({ derived }, ({ derived }) => derived.flatMap((d) => importedOrderEvents(d.input, d.order_id, "batch"))))

  emitEventStep({
    eventName: CHANNEL_ORDER_IMPORTED_EVENT,
    data: transform({ derived }, ({ derived }) => derived.map((d) => importedEventData(d.input, d.order_id))),
  })

  const alerts = transform({ derived }, ({ derived }) => derived.flatMap((d) => importAlerts(d.input, d.order_id)))
  emitEventStep({ eventName: CHANNEL_ORDER_ALERT_EVENT, data: alerts }).config({ name: "emit-import-alerts" })
  notifyImportAlertsStep(alerts)

  return new WorkflowResponse(
    transform({ derived }, ({ derived }) => derived.map((d) => ({ channel_order_id: d.input.channel_order_id, order_id: d.order_id })))
  )
})
