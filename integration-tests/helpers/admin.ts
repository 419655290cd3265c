import type { MedusaContainer } from "@medusajs/framework/types"
import { ensureAdminUser } from "../../src/scripts/seed-store"

export const TEST_ADMIN = { email: "admin@channel-orders.test", password: "supersecret" }

/** Logs the seeded admin in through the real auth route and returns axios options with its bearer token. */
export async function adminHeaders(api: any, container: MedusaContainer) {
  await ensureAdminUser(container, TEST_ADMIN.email, TEST_ADMIN.password)
  const { data } = await api.post("/auth/user/emailpass", TEST_ADMIN)
  return { headers: { authorization: `Bearer ${data.token}` } }
}
