import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { LinkDefinition } from "@medusajs/framework/types"

/**
 * Links orders to their payment collections one link per call: the link module emits one
 * `LinkOrderPaymentCollection.attached` event per call, and subscribers written for the per-order
 * path expect one id per event, not an array.
 */
export const linkOrderPaymentCollectionsStep = createStep(
  "link-channel-order-payment-collections",
  async (links: LinkDefinition[], { container }) => {
    const link = container.resolve(ContainerRegistrationKeys.LINK)
    const done: LinkDefinition[] = []
    for (const l of links) {
      await link.create(l)
      done.push(l)
    }
    return new StepResponse(done, done)
  },
  async (done, { container }) => {
    if (!done?.length) return
    await container.resolve(ContainerRegistrationKeys.LINK).dismiss(done)
  }
)
