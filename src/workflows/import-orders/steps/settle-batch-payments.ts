import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MedusaError, Modules, PaymentCollectionStatus, PaymentSessionStatus } from "@medusajs/framework/utils"

export type BatchPayment = {
  order_id: string
  payment_collection_id: string
  amount: number
  currency_code: string
  mode: "captured" | "authorized"
}

export const SYSTEM_PAYMENT_PROVIDER = "pp_system_default"

/**
 * Marks a batch's payment collections paid (captured) or authorized, as markPaymentCollectionAsPaid
 * or a session plus authorization do for one order with the system provider, but with one batch
 * call per record kind: sessions (authorized), payments (captured when fully captured), captures,
 * the collections' amounts and status, and the captures' order transactions.
 *
 * The payment module's own authorize/capture calls handle one session each and would cost about
 * forty queries per order. The system provider answers every call with empty data and "authorized",
 * so the records it leads to are known in advance; this is only valid for that provider, which is
 * the one imports use. The equivalence test compares these records with the core workflows' ones.
 */
export const settleBatchPaymentsStep = createStep(
  "settle-channel-order-batch-payments",
  async (entries: BatchPayment[], { container }) => {
    if (!entries.length) return new StepResponse({ captured: [] as Array<{ id: string }> }, { sessions: [], payments: [], captures: [], transactions: [] })
    const zero = entries.find((e) => e.mode === "captured" && !(e.amount > 0))
    if (zero) throw new MedusaError(MedusaError.Types.INVALID_DATA, `Capture amount must be greater than 0 (order ${zero.order_id})`)

    const payments = container.resolve(Modules.PAYMENT) as any
    const orders = container.resolve(Modules.ORDER)
    const now = new Date()
    const sessions: Array<{ id: string }> = await payments.createPaymentSessions(
      entries.map((e) => ({
        payment_collection_id: e.payment_collection_id,
        provider_id: SYSTEM_PAYMENT_PROVIDER,
        amount: e.amount,
        currency_code: e.currency_code.toLowerCase(),
        context: {},
        data: {},
        metadata: {},
        status: PaymentSessionStatus.PENDING,
      }))
    )
    // Created pending, then authorized, as the module's own calls leave them (and with the same
    // payment-session.updated events).
    await payments.updatePaymentSessions(sessions.map((s) => ({ id: s.id, status: PaymentSessionStatus.AUTHORIZED, authorized_at: now, data: {} })))
    const created: Array<{ id: string; currency_code: string }> = await payments.createPayments(
      entries.map((e, n) => ({
        amount: e.amount,
        currency_code: e.currency_code.toLowerCase(),
        payment_session_id: sessions[n].id,
        payment_collection_id: e.payment_collection_id,
        provider_id: SYSTEM_PAYMENT_PROVIDER,
        data: {},
      }))
    )
    const capturedEntries = entries.map((e, n) => ({ e, payment: created[n] })).filter((x) => x.e.mode === "captured")
    const captures: Array<{ id: string }> = capturedEntries.length
      ? await payments.createCaptures(capturedEntries.map(({ e, payment }) => ({ payment_id: payment.id, amount: e.amount, created_by: null })))
      : []
    const capturedPayments = capturedEntries.map(({ payment }) => ({ id: payment.id, data: {}, captured_at: now }))
    if (capturedPayments.length) await payments.updatePayments(capturedPayments)
    // Authorized first, then completed for the captured ones: the two updates the module's authorize
    // and capture calls make (and the same payment-collection.updated events).
    await payments.upsertPaymentCollections(
      entries.map((e) => ({
        id: e.payment_collection_id,
        status: e.amount > 0 ? PaymentCollectionStatus.AUTHORIZED : PaymentCollectionStatus.AWAITING,
        authorized_amount: e.amount,
        captured_amount: 0,
        refunded_amount: 0,
      }))
    )
    if (capturedEntries.length) {
      await payments.upsertPaymentCollections(
        capturedEntries.map(({ e }) => ({
          id: e.payment_collection_id,
          status: PaymentCollectionStatus.COMPLETED,
          authorized_amount: e.amount,
          captured_amount: e.amount,
          refunded_amount: 0,
          completed_at: now,
        }))
      )
    }
    const transactions = capturedEntries.length
      ? await orders.addOrderTransactions(
          capturedEntries.map(({ e, payment }, n) => ({
            order_id: e.order_id,
            amount: e.amount,
            currency_code: payment.currency_code,
            reference_id: captures[n].id,
            reference: "capture",
          })) as any
        )
      : []
    return new StepResponse(
      { captured: capturedEntries.map(({ payment }) => ({ id: payment.id })) },
      {
        sessions: sessions.map((s) => s.id),
        payments: created.map((p) => p.id),
        captures: captures.map((c) => c.id),
        transactions: (transactions as any[]).map((t) => t.id),
      }
    )
  },
  async (done, { container }) => {
    if (!done) return
    if (done.transactions.length) await container.resolve(Modules.ORDER).deleteOrderTransactions(done.transactions)
    const payments = container.resolve(Modules.PAYMENT) as any
    if (done.captures.length) await payments.deleteCaptures(done.captures)
    if (done.payments.length) await payments.deletePayments(done.payments)
    if (done.sessions.length) await payments.deletePaymentSessions(done.sessions)
  }
)
