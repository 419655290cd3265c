import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"

export type CreateInvoiceInput = {
  order_id: string
  channel_order_id: string
  currency_code: string
  subtotal: number
  tax_total: number
  shipping_total: number
  total: number
}

/** "Import and invoice": one invoice per order with the next number of the store's sequence. */
export const createInvoiceStep = createStep(
  "create-channel-invoice",
  async (input: CreateInvoiceInput, { container }) => {
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const invoice = await channels.createChannelInvoices({ ...input, issued_at: new Date() })
    return new StepResponse(invoice, invoice.id)
  },
  async (id, { container }) => {
    if (!id) return
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    await channels.deleteChannelInvoices(id)
  }
)

/** createInvoiceStep for a batch; numbers follow the batch's order, as one-by-one imports would. */
export const createInvoicesStep = createStep(
  "create-channel-invoices",
  async (input: CreateInvoiceInput[], { container }) => {
    if (!input.length) return new StepResponse([], [] as string[])
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const issued_at = new Date()
    const invoices = await channels.createChannelInvoices(input.map((i) => ({ ...i, issued_at })))
    return new StepResponse(invoices, invoices.map((i) => i.id))
  },
  async (ids, { container }) => {
    if (!ids?.length) return
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    await channels.deleteChannelInvoices(ids)
  }
)
