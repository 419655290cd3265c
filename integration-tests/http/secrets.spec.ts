import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { DistributedTransaction } from "@medusajs/framework/orchestration"
import { seedStore, type SeededStore } from "../../src/scripts/seed-store"
import { CHANNEL_MODULE } from "../../src/modules/channel"
import { SecretBox } from "../../src/modules/channel/secrets"
import rotateEncryptionKey from "../../src/scripts/rotate-encryption-key"
import { adminHeaders } from "../helpers/admin"
import { channelSettings } from "../helpers/channel-fixtures"

jest.setTimeout(180_000)

/** Issue 17, items 1-4: secrets never in workflow storage, logs or answers; hosts; the encryption key. */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let auth: any
    const checkpoints: string[] = []
    const db = () => getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)

    beforeAll(async () => {
      store = await seedStore(getContainer(), { withAdmin: true })
      // Every row the workflow engine ever writes to workflow_execution (the in-memory engine deletes
      // finished ones, so the rows are copied as they are written).
      await db().raw(`create table if not exists workflow_execution_audit (workflow_id text, execution jsonb, context jsonb, at timestamptz default now())`)
      await db().raw(`
        create or replace function workflow_execution_audit_fn() returns trigger as $$
        begin
          insert into workflow_execution_audit (workflow_id, execution, context) values (new.workflow_id, new.execution, new.context);
          return new;
        end $$ language plpgsql`)
      await db().raw(`drop trigger if exists workflow_execution_audit_trg on workflow_execution`)
      await db().raw(`create trigger workflow_execution_audit_trg after insert or update on workflow_execution for each row execute function workflow_execution_audit_fn()`)
      // What the workflow engine would keep of each execution when it stores it (a stored workflow,
      // retention, the Redis engine): every checkpoint, i.e. the flow, the input, each step's input and
      // output, and the errors, recorded whether or not this engine writes it.
      const original = DistributedTransaction.prototype.saveCheckpoint
      jest.spyOn(DistributedTransaction.prototype, "saveCheckpoint").mockImplementation(function (this: any, ...args: any[]) {
        try {
          checkpoints.push(JSON.stringify({ model: this.modelId, flow: this.getFlow(), context: this.getContext(), errors: this.getErrors() }))
        } catch {
          checkpoints.push(`unserializable ${this.modelId}`)
        }
        return original.apply(this, args as any)
      })
    })
    beforeEach(async () => {
      auth = await adminHeaders(api, getContainer())
    })

    const post = async (url: string, body: unknown) => {
      try {
        const res = await api.post(url, body, auth)
        return { status: res.status, data: res.data }
      } catch (e: any) {
        if (e?.response) return { status: e.response.status, data: e.response.data }
        throw e
      }
    }
    const mirakl = (extra: Record<string, unknown> = {}) => ({ ...channelSettings(store), base_url: "https://acme-prod.mirakl.net", ...extra })
    const amazon = (extra: Record<string, unknown> = {}) => ({ ...channelSettings(store), marketplace_ids: ["A1PA6795UKMFR9"], ...extra })
    const amazonCredentials = { client_id: "amzn1.application-oa2-client.test", client_secret: "amzn-client-secret-7766", refresh_token: "Atzr|refresh-token-5544" }

    describe("item 3: no plaintext credentials in workflow storage", () => {
      it("creating and updating a channel writes no credential to workflow_execution or /admin/workflows-executions", async () => {
        await db().raw(`delete from workflow_execution_audit`)
        checkpoints.length = 0
        const created = await post("/admin/channels", {
          name: "Workflow storage",
          provider: "mirakl",
          enabled: false,
          credentials: { api_key: "wf-secret-create-1111" },
          settings: mirakl(),
        })
        expect(created.status).toBe(201)
        expect(created.data.channel.credentials_status).toBe("set")
        const id = created.data.channel.id
        const updated = await post(`/admin/channels/${id}`, { credentials: { api_key: "wf-secret-update-2222" } })
        expect(updated.status).toBe(200)
        // A refused update (its input is stored too).
        const refused = await post(`/admin/channels/${id}`, { credentials: { api_key: "wf-secret-refused-3333" }, settings: { base_url: "https://evil.example.com" } })
        expect(refused.status).toBe(400)

        const models = checkpoints.map((c) => JSON.parse(c).model)
        expect(models).toEqual(expect.arrayContaining(["channel-orders-create-channel", "channel-orders-update-channel"]))
        const stored = JSON.stringify([checkpoints, await db()("workflow_execution_audit").select("*")])
        for (const secret of ["wf-secret-create-1111", "wf-secret-update-2222", "wf-secret-refused-3333"]) expect(stored).not.toContain(secret)
        const current = JSON.stringify(await db()("workflow_execution").select("*"))
        const listed = JSON.stringify((await api.get(`/admin/workflows-executions?limit=100`, auth)).data)
        for (const secret of ["wf-secret-create-1111", "wf-secret-update-2222", "wf-secret-refused-3333"]) {
          expect(current).not.toContain(secret)
          expect(listed).not.toContain(secret)
        }
        // The account key is still computed from the (opened) credentials.
        const channel = (await api.get(`/admin/channels/${id}`, auth)).data.channel
        expect(channel.account_key).toMatch(/^mirakl:/)
        const opened = (getContainer().resolve(CHANNEL_MODULE) as any).openCredentials(
          (await db()("channel").where({ id }).first()).credentials_encrypted
        )
        expect(opened).toEqual({ api_key: "wf-secret-update-2222" })
      })

      it("a workflow given plaintext credentials refuses them", async () => {
        const { createChannelWorkflow } = await import("../../src/workflows/channels/create-channel")
        const { errors } = await createChannelWorkflow(getContainer()).run({
          input: { name: "Plain", provider: "mirakl", settings: mirakl(), credentials: { api_key: "plain-9999-key" } } as any,
          throwOnError: false,
        })
        expect(errors[0]?.error?.message).toMatch(/credentials_sealed/)
        // The check above is real: plaintext given to a workflow does land in its checkpoints.
        expect(checkpoints.join("\n")).toContain("plain-9999-key")
      })
    })

    describe("item 1: no credential in error texts", () => {
      it("a Mirakl key with a newline reaches neither the run error, the logs nor the test-connection answer", async () => {
        const key = "mk-leak-4f1c9a7e\nleak-second-line-8d2b"
        const created = await post("/admin/channels", {
          name: "Newline key",
          provider: "mirakl",
          enabled: false,
          credentials: { api_key: key },
          settings: mirakl({ base_url: "http://127.0.0.1:9" }),
        })
        expect(created.status).toBe(201)
        const id = created.data.channel.id
        const logger: any = getContainer().resolve(ContainerRegistrationKeys.LOGGER)
        const logged: string[] = []
        const spies = ["warn", "error", "info"].map((level) =>
          jest.spyOn(logger, level).mockImplementation((...args: any[]) => {
            logged.push(args.map(String).join(" "))
          })
        )
        try {
          const check = await post(`/admin/channels/${id}/test-connection`, {})
          expect(check.data.ok).toBe(false)
          expect(check.data.message).toMatch(/invalid header value/)
          await post(`/admin/channels/${id}`, { enabled: true })
          const run = (await post(`/admin/channels/${id}/import`, {})).data.run
          expect(run.status).toBe("failed")
          expect(run.error).toMatch(/invalid header value/)
          const runs = (await api.get(`/admin/channels/${id}/runs`, auth)).data.runs
          const everything = JSON.stringify([check.data, run, runs, logged])
          for (const part of ["mk-leak-4f1c9a7e", "leak-second-line-8d2b"]) expect(everything).not.toContain(part)
          expect(logged.join("\n")).toMatch(/\[redacted\]/)
        } finally {
          spies.forEach((s) => s.mockRestore())
          await post(`/admin/channels/${id}`, { enabled: false })
        }
      })
    })

    describe("item 2: credentials go only to allowed hosts", () => {
      it("refuses hosts that are not the marketplace's, and plain http, on create", async () => {
        for (const auth_url of ["https://attacker.example.com/token", "http://api.amazon.com/auth/o2/token"]) {
          const res = await post("/admin/channels", { name: "Amazon evil", provider: "amazon", enabled: false, credentials: amazonCredentials, settings: amazon({ auth_url }) })
          expect(res.status).toBe(400)
          expect(res.data.message).toMatch(/auth_url/)
        }
        const ok = await post("/admin/channels", {
          name: "Amazon EU",
          provider: "amazon",
          enabled: false,
          credentials: amazonCredentials,
          settings: amazon({ base_url: "https://sellingpartnerapi-eu.amazon.com", auth_url: "https://api.amazon.com/auth/o2/token" }),
        })
        expect(ok.status).toBe(201)
      })

      it("changing a URL requires entering the credentials again", async () => {
        const created = await post("/admin/channels", { name: "Amazon URL change", provider: "amazon", enabled: false, credentials: amazonCredentials, settings: amazon() })
        const id = created.data.channel.id
        const moved = await post(`/admin/channels/${id}`, { settings: { auth_url: "https://api.amazon.co.uk/auth/o2/token" } })
        expect(moved.status).toBe(400)
        expect(moved.data.message).toMatch(/credentials/)
        expect(moved.data.message).toMatch(/auth_url/)
        const withCredentials = await post(`/admin/channels/${id}`, { settings: { auth_url: "https://api.amazon.co.uk/auth/o2/token" }, credentials: amazonCredentials })
        expect(withCredentials.status).toBe(200)
        // Other settings change freely.
        expect((await post(`/admin/channels/${id}`, { settings: { lookback_hours: 12 } })).status).toBe(200)
      })

      it("a stored URL the policy refuses is never called: test connection and runs fail with host_not_allowed", async () => {
        const created = await post("/admin/channels", { name: "Stored evil", provider: "amazon", enabled: false, credentials: amazonCredentials, settings: amazon() })
        const id = created.data.channel.id
        const row = await db()("channel").where({ id }).first()
        await db()("channel").where({ id }).update({ settings: { ...row.settings, auth_url: "https://attacker.example.com/token" } })
        const check = await post(`/admin/channels/${id}/test-connection`, {})
        expect(check.data).toEqual(expect.objectContaining({ ok: false, code: "host_not_allowed" }))
        await db()("channel").where({ id }).update({ enabled: true })
        const run = (await post(`/admin/channels/${id}/import`, {})).data.run
        expect(run).toEqual(expect.objectContaining({ status: "failed", error_code: "host_not_allowed" }))
        await db()("channel").where({ id }).update({ enabled: false })
      })
    })

    describe("item 4: undecryptable credentials", () => {
      it("make a failed run with its own code, show as unreadable, and come back after re-encryption with the old key", async () => {
        const created = await post("/admin/channels", { name: "Old key", provider: "mirakl", enabled: false, credentials: { api_key: "old-key-api-1234" }, settings: mirakl() })
        const id = created.data.channel.id
        const oldKey = "the-previous-encryption-key-0001"
        await db()("channel").where({ id }).update({ credentials_encrypted: new SecretBox(oldKey).seal({ api_key: "old-key-api-1234" }) })

        const shown = (await api.get(`/admin/channels/${id}`, auth)).data.channel
        expect(shown.credentials_status).toBe("unreadable")
        const listed = (await api.get(`/admin/channels`, auth)).data.channels.find((c: any) => c.id === id)
        expect(listed.credentials_status).toBe("unreadable")

        const check = await post(`/admin/channels/${id}/test-connection`, {})
        expect(check.data).toEqual(expect.objectContaining({ ok: false, code: "credentials_undecryptable" }))
        expect((await post(`/admin/channels/${id}`, { enabled: true })).status).toBe(200)
        const run = (await post(`/admin/channels/${id}/import`, {})).data.run
        expect(run).toEqual(expect.objectContaining({ status: "failed", error_code: "credentials_undecryptable" }))
        expect(run.error).toMatch(/enter the credentials again/)
        const runs = (await api.get(`/admin/channels/${id}/runs`, auth)).data.runs
        expect(runs[0]).toEqual(expect.objectContaining({ status: "failed", error_code: "credentials_undecryptable" }))
        expect((await api.get(`/admin/channels/${id}`, auth)).data.channel.last_run.error_code).toBe("credentials_undecryptable")
        await post(`/admin/channels/${id}`, { enabled: false })

        // Settings cannot be validated against unreadable credentials: send them again.
        const settingsOnly = await post(`/admin/channels/${id}`, { settings: { lookback_hours: 6 } })
        expect(settingsOnly.status).toBe(400)
        expect(settingsOnly.data.message).toMatch(/credentials/)

        // The other modules' secrets sealed with the old key too: an export's SFTP password and an alert
        // webhook's URL and secret.
        const exported = await post(`/admin/order-exports`, {
          name: "ERP",
          enabled: false,
          destination: { type: "sftp", host: "sftp.example.com", username: "erp", path: "/in", password: "sftp-pass-5678" },
          format: "csv",
          conditions: {},
        })
        expect(exported.status).toBe(201)
        const exportId = exported.data.order_export.id
        const old = new SecretBox(oldKey)
        await db()("order_export").where({ id: exportId }).update({ credentials_encrypted: old.seal({ password: "sftp-pass-5678" }) })
        expect((await api.get(`/admin/order-exports/${exportId}`, auth)).data.order_export.credentials_status).toBe("unreadable")
        const destination = await post(`/admin/alert-destinations`, { name: "Ops", kind: "webhook", format: "generic", url: "https://hooks.example.com/T0/abc", secret: "hook-secret-9012" })
        expect(destination.status).toBe(201)
        const destinationId = destination.data.alert_destination.id
        await db()("channel_alert_destination").where({ id: destinationId }).update({ url: old.seal("https://hooks.example.com/T0/abc"), secret_encrypted: old.seal("hook-secret-9012") })

        process.env.CHANNEL_ORDERS_PREVIOUS_ENCRYPTION_KEY = oldKey
        try {
          const result: any = await rotateEncryptionKey({ container: getContainer() } as any)
          expect(result.channels).toBeGreaterThanOrEqual(1)
          expect(result.others).toEqual({ resealed: 2, unreadable: [] })
        } finally {
          delete process.env.CHANNEL_ORDERS_PREVIOUS_ENCRYPTION_KEY
        }
        expect((await api.get(`/admin/channels/${id}`, auth)).data.channel.credentials_status).toBe("set")
        const opened = (getContainer().resolve(CHANNEL_MODULE) as any).openCredentials((await db()("channel").where({ id }).first()).credentials_encrypted)
        expect(opened).toEqual({ api_key: "old-key-api-1234" })
        expect((await api.get(`/admin/order-exports/${exportId}`, auth)).data.order_export.credentials_status).toBe("set")
        const alerts = getContainer().resolve("channel_alert") as any
        expect(alerts.destinationUrl(await db()("channel_alert_destination").where({ id: destinationId }).first())).toBe("https://hooks.example.com/T0/abc")
        expect(await alerts.webhookSecret(destinationId)).toBe("hook-secret-9012")
      })
    })
  },
})
