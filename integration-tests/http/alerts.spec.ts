import http from "node:http"
import type { AddressInfo } from "node:net"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { seedStore, type SeededStore } from "../../src/scripts/seed-store"
import { adminHeaders } from "../helpers/admin"
import { createSandboxChannel, inject, runImport, sandboxOrder, setRules } from "../helpers/channel-fixtures"
import { EbaySimulator } from "../simulators/ebay"
import { recordedEmails } from "../notification-recorder"
import { CHANNEL_ALERT_MODULE } from "../../src/modules/channel-alert"
import { SIGNATURE_HEADER, verifyAlertSignature } from "../../src/modules/channel-alert/policy"
import { runAlertDeliveryPass } from "../../src/workflows/alerts/deliver-alert"
import { evaluateOperationalAlertsWorkflow } from "../../src/workflows/alerts/evaluate-operational-alerts"
import { raiseChannelAlertsWorkflow } from "../../src/workflows/alerts/raise-alerts"

jest.setTimeout(240_000)

const MIN = 60_000
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A local webhook receiver: answers each request with the next status of `statuses` (then 200) and records it. */
async function receiver(statuses: number[] = []) {
  const received: Array<{ headers: http.IncomingHttpHeaders; body: string; status: number }> = []
  const server = http.createServer((req, res) => {
    let body = ""
    req.on("data", (c) => (body += c))
    req.on("end", () => {
      const status = statuses.shift() ?? 200
      received.push({ headers: req.headers, body, status })
      res.writeHead(status, { "content-type": "text/plain" })
      res.end(status === 200 ? "ok" : "boom")
    })
  })
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) }
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v) return v as T
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(300)
  }
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let auth: any
    let channelId: string
    const paused = { alerts: process.env.CHANNEL_ORDERS_ALERTS, pulls: process.env.CHANNEL_ORDERS_SCHEDULED_PULLS }

    beforeAll(async () => {
      // The test drives the alert checks and deliveries itself (with its own clock), and the pulls.
      process.env.CHANNEL_ORDERS_ALERTS = "off"
      process.env.CHANNEL_ORDERS_SCHEDULED_PULLS = "off"
      store = await seedStore(getContainer(), { withAdmin: true })
    })

    afterAll(() => {
      process.env.CHANNEL_ORDERS_ALERTS = paused.alerts
      process.env.CHANNEL_ORDERS_SCHEDULED_PULLS = paused.pulls
    })

    beforeEach(async () => {
      auth = await adminHeaders(api, getContainer())
      channelId = (await createSandboxChannel(api, auth, store)).id
      await setRules(api, auth, channelId, [["paid", "import_as_valid", true]])
    })

    const deliver = (minutesAhead: number) => runAlertDeliveryPass(getContainer(), { now: new Date(Date.now() + minutesAhead * MIN) })
    const evaluate = async (now = new Date()) =>
      (await evaluateOperationalAlertsWorkflow(getContainer()).run({ input: { now: now.toISOString() } })).result
    const deliveries = async (query = "") => (await api.get(`/admin/alerts${query}`, auth)).data.alerts as any[]
    const raised = async (query = "") => (await api.get(`/admin/alerts/raised${query}`, auth)).data.raised_alerts as any[]
    const importOrders = async (...orders: any[]) => {
      await inject(api, auth, channelId, orders)
      return runImport(api, auth, channelId)
    }

    it("destinations: strict bodies, write-only secret and URL, unknown destination refused when a rule is saved", async () => {
      const bad = await api.post("/admin/alert-destinations", { name: "x", kind: "email", recipients: ["a@b.example"], colour: "red" }, auth).catch((e: any) => e.response)
      expect(bad.status).toBe(400)
      const noRecipients = await api.post("/admin/alert-destinations", { name: "x", kind: "email" }, auth).catch((e: any) => e.response)
      expect(noRecipients.status).toBe(400)
      const ftp = await api.post("/admin/alert-destinations", { name: "x", kind: "webhook", url: "ftp://example.com/x" }, auth).catch((e: any) => e.response)
      expect(ftp.status).toBe(400)
      const plainHttp = await api.post("/admin/alert-destinations", { name: "x", kind: "webhook", url: "http://hooks.example.com/x" }, auth).catch((e: any) => e.response)
      expect(plainHttp.status).toBe(400)

      const created = await api.post(
        "/admin/alert-destinations",
        { name: "Slack #orders", kind: "webhook", format: "slack", url: "https://hooks.slack.com/services/T000/B000/XXXXsecretpath", secret: "very-secret-hmac-key" },
        auth
      )
      expect(created.status).toBe(201)
      const shown = JSON.stringify(created.data)
      expect(shown).not.toContain("very-secret-hmac-key")
      expect(shown).not.toContain("XXXXsecretpath")
      expect(created.data.alert_destination).toMatchObject({ kind: "webhook", format: "slack", has_secret: true, url_hint: "https://hooks.slack.com/…" })
      const id = created.data.alert_destination.id
      const listed = JSON.stringify((await api.get("/admin/alert-destinations", auth)).data)
      expect(listed).not.toContain("very-secret-hmac-key")
      const [row] = await getContainer().resolve(CHANNEL_ALERT_MODULE).listChannelAlertDestinations({ id })
      expect(row.secret_encrypted).not.toContain("very-secret")
      expect(row.url).not.toContain("hooks.slack.com")

      const updated = await api.post(`/admin/alert-destinations/${id}`, { name: "Slack #ops", secret: null }, auth)
      expect(updated.data.alert_destination).toMatchObject({ name: "Slack #ops", has_secret: false, url_hint: "https://hooks.slack.com/…" })
      const kindChange = await api.post(`/admin/alert-destinations/${id}`, { kind: "email" }, auth).catch((e: any) => e.response)
      expect(kindChange.status).toBe(400)

      const unknown = await api
        .post("/admin/import-rules", { name: "r", conditions: { all: [] }, actions: [{ type: "alert", message: "m", destination_ids: ["chalds_nope"] }] }, auth)
        .catch((e: any) => e.response)
      expect(unknown.status).toBe(400)
      expect(unknown.data.message).toContain('unknown alert destination "chalds_nope"')
      const badPlaceholder = await api
        .post("/admin/import-rules", { name: "r", conditions: { all: [] }, actions: [{ type: "alert", message: "{{nope}}" }] }, auth)
        .catch((e: any) => e.response)
      expect(badPlaceholder.status).toBe(400)
      const badEmail = await api
        .post("/admin/import-rules", { name: "r", conditions: { all: [] }, actions: [{ type: "alert", message: "m", recipients: ["not-an-email"] }] }, auth)
        .catch((e: any) => e.response)
      expect(badEmail.status).toBe(400)

      const rule = await api.post("/admin/import-rules", { name: "r", conditions: { all: [] }, actions: [{ type: "alert", message: "m", destination_ids: [id] }] }, auth)
      expect(rule.status).toBe(201)
      const inUse = await api.delete(`/admin/alert-destinations/${id}`, auth).catch((e: any) => e.response)
      expect(inUse.status).toBe(400)
      await api.delete(`/admin/import-rules/${rule.data.import_rule.id}`, auth)
      expect((await api.delete(`/admin/alert-destinations/${id}`, auth)).data.deleted).toBe(true)
    })

    it("a rule's alert is e-mailed through the notification module: template, recipients and rendered data", async () => {
      const dest = (await api.post("/admin/alert-destinations", { name: "Sales team", kind: "email", recipients: ["Sales@Shop.example"] }, auth)).data.alert_destination
      expect(dest.recipients).toEqual(["sales@shop.example"])
      await api.post(
        "/admin/import-rules",
        {
          name: "Large orders",
          conditions: { all: [{ field: "total", operator: "gte", value: 50 }] },
          actions: [{ type: "alert", destination_ids: [dest.id], recipients: ["boss@shop.example"], message: "Order {{external_id}} totals {{total}} {{currency_code}}", severity: "warning" }],
        },
        auth
      )
      const before = recordedEmails().length
      await importOrders(sandboxOrder("BIG-1", { lines: [["TSHIRT-M", 3, 20]] }), sandboxOrder("SMALL-1"))
      const [pending] = await until("the alert in the outbox", async () => {
        const d = await deliveries()
        return d.length ? d : null
      })
      expect(pending).toMatchObject({ kind: "email", state: "pending", count: 1, recipients: ["boss@shop.example", "sales@shop.example"] })
      expect(await deliver(1)).toMatchObject({ due: 1, outcomes: { sent: 1 } })

      const [sent] = await deliveries("?state=sent")
      expect(sent.id).toBe(pending.id)
      const notifications = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ channel: "email" })
      expect(notifications.map((n: any) => n.to).sort()).toEqual(["boss@shop.example", "sales@shop.example"])
      for (const n of notifications as any[]) {
        expect(n.template).toBe("channel-orders-alert")
        expect(n.status).toBe("success")
        expect(n.provider_id).toBe("recorder")
        expect(n.data.message).toContain("Order BIG-1 totals 64.90 eur")
        expect(n.data.subject).toBe("Warning: Large orders")
        expect(n.data.body).toContain("Order BIG-1 totals 64.90 eur")
      }
      const mails = recordedEmails().slice(before)
      expect(mails.map((m) => m.to).sort()).toEqual(["boss@shop.example", "sales@shop.example"])
      expect(mails[0].rendered).toContain("Warning: Large orders")
      expect(mails[0].rendered).toContain("Order BIG-1 totals 64.90 eur (order BIG-1 from Sandbox)")
      // Nothing left to send.
      expect(await deliver(2)).toMatchObject({ due: 0 })
    })

    it("a webhook: Slack format, signed, retried after a 500, deduplicated within the window", async () => {
      const hook = await receiver([500])
      try {
        const dest = (
          await api.post("/admin/alert-destinations", { name: "Slack #orders", kind: "webhook", format: "slack", url: hook.url, secret: "hook-secret-123" }, auth)
        ).data.alert_destination
        await api.post(
          "/admin/import-rules",
          { name: "International", conditions: { all: [{ field: "is_international", operator: "eq", value: true }] }, actions: [{ type: "alert", destination_ids: [dest.id], message: "Check customs papers for {{external_id}} to {{shipping_country}}" }] },
          auth
        )
        await importOrders(sandboxOrder("INT-9", { shipping_address: { first_name: "Jean", last_name: "Dupont", address_1: "1 Rue", city: "Paris", postal_code: "75001", country_code: "fr" } }))
        await until("the alert in the outbox", async () => (await deliveries()).length > 0)

        expect(await deliver(1)).toMatchObject({ outcomes: { retrying: 1 } })
        let [d] = await deliveries()
        expect(d).toMatchObject({ state: "retrying", attempts: 1, last_status: 500 })
        expect(d.last_error).toContain("answered 500")
        expect(d.last_error).not.toContain("/hook")
        // Not due again before its backoff…
        expect(await deliver(1.1)).toMatchObject({ due: 0 })
        // …and sent after it.
        expect(await deliver(3)).toMatchObject({ outcomes: { sent: 1 } })
        ;[d] = await deliveries()
        expect(d).toMatchObject({ state: "sent", attempts: 2, last_status: 200 })

        expect(hook.received).toHaveLength(2)
        for (const r of hook.received) {
          expect(verifyAlertSignature("hook-secret-123", r.body, r.headers[SIGNATURE_HEADER.toLowerCase()] as string)).toBe(true)
          expect(verifyAlertSignature("wrong-secret", r.body, r.headers[SIGNATURE_HEADER.toLowerCase()] as string)).toBe(false)
        }
        const body = JSON.parse(hook.received[1].body)
        expect(body.text).toContain("Check customs papers for INT-9 to fr")
        expect(body.blocks[0]).toMatchObject({ type: "header" })

        // The same alert again within the dedupe window: recorded as suppressed, nothing new to send.
        const alert = {
          source: "rule" as const,
          code: "rule_alert",
          key: "rule:test:INT-9",
          group_key: "rule:test",
          severity: "warning" as const,
          title: "Warning: test",
          message: "same thing",
          routes: [{ destination_id: dest.id, kind: "webhook" as const }],
        }
        const first = (await raiseChannelAlertsWorkflow(getContainer()).run({ input: { alerts: [alert] } })).result
        const again = (await raiseChannelAlertsWorkflow(getContainer()).run({ input: { alerts: [alert] } })).result
        expect(first[0].suppressed).toBe(false)
        expect(again[0]).toMatchObject({ suppressed: true, delivery_ids: [] })
        expect(await deliver(5)).toMatchObject({ outcomes: { sent: 1 } })
        expect(hook.received).toHaveLength(3)
        const rows = (await raised("?source=rule")).filter((r: any) => r.key === "rule:test:INT-9")
        expect(rows.map((r: any) => r.suppressed).sort()).toEqual([false, true])
        // After the window it is sent again.
        const later = (await raiseChannelAlertsWorkflow(getContainer()).run({ input: { alerts: [alert], now: new Date(Date.now() + 61 * MIN).toISOString() } })).result
        expect(later[0].suppressed).toBe(false)

        // The test button sends at once.
        const test = await api.post(`/admin/alert-destinations/${dest.id}/test`, {}, auth)
        expect(test.data.alert_delivery).toMatchObject({ state: "sent", kind: "webhook" })
        expect(hook.received).toHaveLength(4)
      } finally {
        await hook.close()
      }
    })

    it("a burst of 50 matching orders becomes one digest", async () => {
      const hook = await receiver()
      try {
        const dest = (await api.post("/admin/alert-destinations", { name: "Ops", kind: "webhook", format: "generic", url: hook.url }, auth)).data.alert_destination
        await api.post(
          "/admin/import-rules",
          { name: "Caps", conditions: { all: [{ field: "skus", operator: "contains", value: "CAP-M" }] }, actions: [{ type: "alert", destination_ids: [dest.id], message: "Order {{external_id}} has caps, check stock" }] },
          auth
        )
        const orders = Array.from({ length: 50 }, (_, i) => sandboxOrder(`CAP-${i + 1}`, { lines: [["CAP-M", 1, 22]] }))
        await importOrders(...orders)
        const [digest] = await until("50 alerts in one delivery", async () => {
          const d = await deliveries()
          return d.length === 1 && d[0].count === 50 ? d : null
        })
        expect(digest).toMatchObject({ state: "pending", digest: true, count: 50 })
        expect(await deliver(1)).toMatchObject({ due: 1, outcomes: { sent: 1 } })
        expect(hook.received).toHaveLength(1)
        const body = JSON.parse(hook.received[0].body)
        expect(body).toMatchObject({ event: "channel_orders.alert", count: 50, title: "Warning: Caps" })
        expect(body.text).toMatch(/^50 orders in the last \d+ minutes?: Warning: Caps$/)
        expect(body.lines).toHaveLength(21)
        expect(body.lines[20]).toBe("… and 30 more")
        expect(body.alert_ids).toHaveLength(50)
        expect(hook.received[0].headers[SIGNATURE_HEADER.toLowerCase()]).toBeUndefined()
        expect((await raised("?source=rule")).length).toBe(50)
      } finally {
        await hook.close()
      }
    })

    it("operational: three failed runs and a stale channel are raised to the feed and a destination, then cleared", async () => {
      const hook = await receiver()
      try {
        await api.post("/admin/alert-destinations", { name: "On call", kind: "webhook", format: "teams", url: hook.url, operational_alerts: ["run_failures", "channel_stale"] }, auth)
        await api.post(`/admin/channels/${channelId}`, { settings: { fail_on_page: 1, pull_interval_minutes: 1 } }, auth)
        for (let i = 0; i < 2; i++) expect((await runImport(api, auth, channelId)).status).toBe("failed")
        expect((await evaluate()).raised).toHaveLength(0)
        expect((await runImport(api, auth, channelId)).status).toBe("failed")
        const first = await evaluate()
        expect(first.raised).toHaveLength(1)
        const [open] = await raised("?state=open")
        expect(open).toMatchObject({ source: "operational", code: "run_failures", channel_id: channelId, severity: "error" })
        // Raised once: the next check keeps it open and sends nothing new.
        expect((await evaluate()).raised).toHaveLength(0)
        expect(await deliver(1)).toMatchObject({ outcomes: { sent: 2 } })
        const feed = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ channel: "feed" })
        expect(feed.some((n: any) => String(n.data?.title).includes("3 imports failed in a row"))).toBe(true)
        expect(hook.received).toHaveLength(1)
        expect(JSON.parse(hook.received[0].body)).toMatchObject({ "@type": "MessageCard", title: expect.stringContaining("3 imports failed in a row") })

        // Cause goes away: the next run succeeds.
        await api.post(`/admin/channels/${channelId}`, { settings: { fail_on_page: null } }, auth)
        expect((await runImport(api, auth, channelId)).status).toBe("succeeded")
        const second = await evaluate()
        expect(second.cleared).toEqual([open.id])
        expect(await raised("?state=open")).toHaveLength(0)
        expect((await raised("?state=cleared"))[0]).toMatchObject({ id: open.id, code: "run_failures" })
        await deliver(12)
        expect(hook.received.map((r) => JSON.parse(r.body).title)).toEqual([expect.stringContaining("failed in a row"), expect.stringContaining("Resolved:")])

        // Stale: no successful run for more than 3 × the 1-minute interval.
        const stale = await evaluate(new Date(Date.now() + 5 * MIN))
        expect(stale.raised).toHaveLength(1)
        expect((await raised("?state=open"))[0]).toMatchObject({ code: "channel_stale", channel_id: channelId })
        expect((await evaluate(new Date())).cleared).toHaveLength(1)
        expect(await raised("?state=open")).toHaveLength(0)
        // It comes back within the dedupe window: open again, but not sent again.
        await evaluate(new Date(Date.now() + 6 * MIN))
        const staleRows = (await raised("?code=channel_stale")).filter((r: any) => r.state === "open")
        expect(staleRows).toHaveLength(1)
        expect(staleRows[0].suppressed).toBe(true)
      } finally {
        await hook.close()
      }
    })

    it("operational: more than N orders not imported in the last hour, and feedback not confirmed, are raised and cleared", async () => {
      const container = getContainer()
      const channels = container.resolve("channel") as any
      const rows = Array.from({ length: 11 }, (_, i) => ({ channel_id: channelId, external_id: `BAD-${i}`, state: "failed", error_code: "unmatched_sku" }))
      await channels.createChannelOrders(rows)
      const [co] = await channels.listChannelOrders({ channel_id: channelId }, { take: 1 })
      const result = await evaluate()
      expect(result.raised).toHaveLength(1)
      expect((await raised("?state=open"))[0]).toMatchObject({ code: "import_failures", channel_id: channelId })
      await channels.updateChannelOrders({ selector: { channel_id: channelId, state: "failed" }, data: { state: "ignored" } })
      expect((await evaluate()).cleared).toHaveLength(1)

      const [fb] = await channels.createChannelFeedbacks([{ channel_id: channelId, channel_order_id: co.id, order_id: "order_x", kind: "cancel", state: "sent" }])
      // Not yet 4 hours old: nothing.
      await evaluate()
      expect(await raised("?state=open&code=feedback_unconfirmed")).toHaveLength(0)
      // Five hours later (the channel, never pulled, is stale by then too).
      const later = new Date(Date.now() + 5 * 3_600_000)
      await evaluate(later)
      expect((await raised("?state=open")).map((a: any) => a.code).sort()).toEqual(["channel_stale", "feedback_unconfirmed"])
      await channels.updateChannelFeedbacks({ id: fb.id, state: "confirmed" })
      await evaluate(later)
      expect((await raised("?state=open")).map((a: any) => a.code)).toEqual(["channel_stale"])
      expect((await raised("?state=cleared")).map((a: any) => a.code).sort()).toEqual(["feedback_unconfirmed", "import_failures"])
    })

    it("operational: a simulator refusing the credentials raises credentials_refused; new credentials clear it", async () => {
      const good = { client_id: "SimApp-PRD-0123456789-abcdef", client_secret: "PRD-sim-client-secret", refresh_token: "v^1.1#i^1#r^1#sim-refresh-token" }
      const sim = await new EbaySimulator({ clientId: good.client_id, clientSecret: good.client_secret, refreshTokens: [good.refresh_token] }).start()
      try {
        const gb = (await container().resolve(Modules.REGION).listRegions({ currency_code: "gbp" }))[0]
        const { data } = await api.post(
          "/admin/channels",
          {
            name: "eBay UK",
            provider: "ebay",
            enabled: false,
            credentials: { ...good, client_secret: "PRD-wrong-secret" },
            settings: {
              sales_channel_id: store.sales_channel_id,
              region_id: gb?.id ?? store.region_id,
              stock_location_id: store.stock_location_id,
              shipping_mapping: {},
              default_shipping_option_id: store.shipping_options.standard,
              lookback_hours: 24,
              email_policy: "placeholder",
              marketplace_id: "EBAY_GB",
              base_url: sim.url,
              auth_url: sim.authUrl,
            },
          },
          auth
        )
        const ebayId = data.channel.id
        await api.post(`/admin/channels/${ebayId}`, { enabled: true }, auth)
        const run = await runImport(api, auth, ebayId)
        expect(run.status).toBe("failed")
        expect(run.error_code).toBe("unauthorized")
        await evaluate()
        const open = (await raised("?state=open")).filter((a: any) => a.channel_id === ebayId)
        expect(open.map((a: any) => a.code)).toEqual(["credentials_refused"])
        expect(open[0].message).toContain("enter its credentials again")

        await api.post(`/admin/channels/${ebayId}`, { credentials: good }, auth)
        expect((await runImport(api, auth, ebayId)).status).toBe("succeeded")
        await evaluate()
        expect((await raised("?state=open")).filter((a: any) => a.channel_id === ebayId)).toHaveLength(0)
        expect((await raised("?state=cleared")).map((a: any) => a.code)).toContain("credentials_refused")
      } finally {
        await sim.stop()
      }
    })

    const container = () => getContainer()
  },
})
