import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { Modules } from "@medusajs/framework/utils"

export type BatchCustomer = { id: string; email: string; group_ids: string[] }

/**
 * The batch's version of core-flows' findOrCreateCustomerStep, for many e-mails at once: the same
 * choice (a customer with an account wins, else a guest customer with that exact e-mail, else a new
 * guest customer), one list query and one create call for the whole page.
 * E-mails must already be lower-cased and valid (validateEmail), as the core step makes them.
 */
export const findOrCreateCustomersStep = createStep(
  "find-or-create-channel-customers",
  async (input: { emails: string[] }, { container }) => {
    const emails = [...new Set(input.emails)]
    if (!emails.length) return new StepResponse({} as Record<string, BatchCustomer>, [] as string[])
    const customers = container.resolve(Modules.CUSTOMER)
    const found = await customers.listCustomers({ email: emails }, { relations: ["groups"] })
    const byEmail: Record<string, BatchCustomer> = {}
    for (const email of emails) {
      const matches = found.filter((c) => c.email === email)
      const chosen = matches.find((c) => c.has_account) ?? matches[0]
      if (chosen) byEmail[email] = { id: chosen.id, email: chosen.email!, group_ids: (chosen.groups ?? []).map((g: any) => g.id) }
    }
    const missing = emails.filter((e) => !byEmail[e])
    const created = missing.length ? await customers.createCustomers(missing.map((email) => ({ email }))) : []
    for (const c of created) byEmail[c.email!] = { id: c.id, email: c.email!, group_ids: [] }
    return new StepResponse(byEmail, created.map((c) => c.id))
  },
  async (createdIds, { container }) => {
    if (!createdIds?.length) return
    await container.resolve(Modules.CUSTOMER).deleteCustomers(createdIds)
  }
)
