import type { ExecArgs } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { DEMO_ADMIN, seedStore } from "./seed-store"
import { ensureDemoSandboxChannel } from "./seed-sandbox"

/** `medusa exec ./src/scripts/seed.ts`: the demo store, an admin user and a busy sandbox channel. */
export default async function seed({ container }: ExecArgs) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const store = await seedStore(container, { withAdmin: true })
  const channel = await ensureDemoSandboxChannel(container, store)
  logger.info(`Sandbox channel ${channel.id} ("${channel.name}") imports into sales channel ${store.sales_channel_id}`)
  logger.info(`Admin login: ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}`)
}
