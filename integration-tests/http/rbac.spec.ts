// Medusa's RBAC is a feature flag read once per process (FeatureFlag, and defineConfig's module list).
// Jest gives every spec file its own module registry, so this file's Medusa boots with the flag on;
// the variable is put back after the file so that no later spec of the same Jest process sees it.
const PREVIOUS_RBAC_FLAG = process.env.MEDUSA_FF_RBAC
process.env.MEDUSA_FF_RBAC = "true"

import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, FeatureFlag, Modules } from "@medusajs/framework/utils"
import { createUserAccountWorkflow } from "@medusajs/medusa/core-flows"
import type { MedusaContainer } from "@medusajs/framework/types"
import { seedStore, type SeededStore } from "../../src/scripts/seed-store"
import { channelSettings } from "../helpers/channel-fixtures"

jest.setTimeout(240_000)

// Medusa 2.21.2's defineConfig decides whether to load the RBAC module (`disable: !isFeatureEnabled("rbac")`)
// when medusa-config is evaluated, and the test runner registers only the project's own flags before
// that, so MEDUSA_FF_RBAC alone leaves the module out here. Setting the flag on this file's
// FeatureFlag router first is what `medusa start` with MEDUSA_FF_RBAC=true ends up with.
FeatureFlag.setFlag("rbac", true)

/**
 * Issue 17 item 8, with RBAC on (`MEDUSA_FF_RBAC=true`): the plugin's routes declare policies
 * (src/api/admin/policies.ts) that Medusa enforces. A user without the plugin's policies gets 403 on
 * a plugin route; a role with `channel:read` reads channels but cannot create one; a warehouse role
 * with `order_hold:release` (and Medusa's `order:read`) releases a hold without `channel:update`.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore

    afterAll(() => {
      if (PREVIOUS_RBAC_FLAG === undefined) delete process.env.MEDUSA_FF_RBAC
      else process.env.MEDUSA_FF_RBAC = PREVIOUS_RBAC_FLAG
    })

    /** A user with an email/password identity and the given RBAC roles; returns axios options with its token. */
    const userWithRoles = async (container: MedusaContainer, email: string, roleIds: string[]) => {
      const auth = container.resolve(Modules.AUTH)
      const { authIdentity, error } = await auth.register("emailpass", { body: { email, password: "supersecret" } } as any)
      if (error || !authIdentity) throw new Error(`register ${email}: ${error}`)
      const { result: user } = await createUserAccountWorkflow(container).run({
        input: { authIdentityId: authIdentity.id, userData: { email, first_name: "T", last_name: "U" } },
      })
      const link = container.resolve(ContainerRegistrationKeys.LINK)
      for (const role of roleIds) {
        await link.create({ [Modules.USER]: { user_id: (user as any).id }, [Modules.RBAC]: { rbac_role_id: role } })
      }
      const { data } = await api.post("/auth/user/emailpass", { email, password: "supersecret" })
      return { headers: { authorization: `Bearer ${data.token}` } }
    }

    /** A role holding exactly these policies (keys `resource:operation`, synced from definePolicies at start-up). */
    const roleWith = async (container: MedusaContainer, name: string, keys: string[]) => {
      const rbac = container.resolve(Modules.RBAC) as any
      const policies = await rbac.listRbacPolicies({ key: keys })
      expect(policies.map((p: any) => p.key).sort()).toEqual([...keys].sort())
      const [role] = await rbac.createRbacRoles([{ name }])
      await rbac.createRbacRolePolicies(policies.map((p: any) => ({ role_id: role.id, policy_id: p.id })))
      return role.id as string
    }

    const status = (p: Promise<any>) => p.then((r) => r.status, (e) => e.response?.status)

    it("a user without the plugin's policies gets 403; a role with them gets 200, and only what it holds", async () => {
      const container = getContainer()
      store = await seedStore(container)
      // The plugin's policies were registered with Medusa's RBAC module at start-up.
      const rbac = container.resolve(Modules.RBAC) as any
      const synced = await rbac.listRbacPolicies({ resource: ["channel", "channel_order", "order_hold", "import_rule"] })
      expect(synced.map((p: any) => p.key)).toEqual(expect.arrayContaining(["channel:read", "channel:create", "channel_order:read", "order_hold:release"]))

      // A super admin (Medusa's pre-created role) sets up a channel.
      const admin = await userWithRoles(container, "root@rbac.test", ["role_super_admin"])
      const created = await api.post("/admin/channels", { name: "RBAC sandbox", provider: "sandbox", settings: channelSettings(store) }, admin)
      expect(created.status).toBe(201)

      const nobody = await userWithRoles(container, "nobody@rbac.test", [])
      expect(await status(api.get("/admin/channels", nobody))).toBe(403)
      expect(await status(api.get("/admin/channel-orders", nobody))).toBe(403)

      const reader = await userWithRoles(container, "reader@rbac.test", [await roleWith(container, "Channel reader", ["channel:read"])])
      const listed = await api.get("/admin/channels", reader)
      expect(listed.status).toBe(200)
      expect(listed.data.channels.map((c: any) => c.id)).toContain(created.data.channel.id)
      expect(await status(api.get(`/admin/channels/${created.data.channel.id}`, reader))).toBe(200)
      // Holding channel:read is not channel:create, nor channel_order:read.
      const refused = await api.post("/admin/channels", { name: "No", provider: "sandbox", settings: channelSettings(store) }, reader).catch((e: any) => e.response)
      expect(refused.status).toBe(403)
      expect(refused.data.message).toContain("channel:create")
      expect(await status(api.get("/admin/channel-orders", reader))).toBe(403)
      expect(await status(api.post(`/admin/channels/${created.data.channel.id}`, { name: "Renamed" }, reader))).toBe(403)
      expect((await api.get(`/admin/channels/${created.data.channel.id}`, admin)).data.channel.name).toBe("RBAC sandbox")
    })
  },
})
