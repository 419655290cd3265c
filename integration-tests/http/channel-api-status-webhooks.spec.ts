import http from "node:http"
import type { AddressInfo } from "node:net"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { seedStore, type SeededStore } from "../../src/scripts/seed-store"
import { verifyWebhookSignature } from "../../src/providers/api/webhook"
import { recordStatusChangeFeedbackWorkflow } from "../../src/workflows/feedback/record-status-change-feedback"
import { sweepMissedFeedback } from "../../src/workflows/feedback/run-feedback-pass"
import { adminHeaders } from "../helpers/admin"
import { channelSettings, sandboxOrder } from "../helpers/channel-fixtures"
import { channelsOf, deliverNow, deliverWhenDue, feedbackRow, shipThroughAdmin, waitFor } from "../helpers/feedback-fixtures"

// Feedback passes are run explicitly below.
process.env.CHANNEL_FEEDBACK_DELIVERY = "off"

jest.setTimeout(240_000)

type Received = { status: number; body: string; signature: string; event: string; id: string }

/**
 * Issue 18: "each shipment, cancellation and status change" reaches the reseller. A status change
 * of an imported order (import, hold, release, fulfilment, shipment…) is one `status` row of the
 * feedback outbox, delivered as a signed `order.status_changed` webhook with the outbox's retries,
 * exactly once per change.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let auth: any

    beforeAll(async () => {
      store = await seedStore(getContainer(), { withAdmin: true })
    })

    it("a status change is delivered once, signed, retried after a 500; repeated events record nothing more", async () => {
      auth = await adminHeaders(api, getContainer())
      const attempts: Received[] = []
      let failNext = 1
      const server = http.createServer((req, res) => {
        const chunks: Buffer[] = []
        req.on("data", (c) => chunks.push(c))
        req.on("end", () => {
          const status = failNext > 0 ? 500 : 200
          if (failNext > 0) failNext--
          attempts.push({
            status,
            body: Buffer.concat(chunks).toString("utf8"),
            signature: String(req.headers["x-signature"]),
            event: String(req.headers["x-webhook-event"]),
            id: String(req.headers["x-webhook-id"]),
          })
          res.statusCode = status
          res.end(status === 200 ? "ok" : "boom")
        })
      })
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()))
      const secret = "whsec_status_0123456789"
      const delivered = () => attempts.filter((a) => a.status === 200)
      const statusRows = async (orderId: string) =>
        (await channelsOf(getContainer()).listChannelFeedbacks({ order_id: orderId, kind: "status" } as any, { order: { created_at: "ASC" } })) as any[]
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`
        // An unknown event name is refused when the channel is saved.
        const bad = await api
          .post("/admin/channels", { name: "Bad", provider: "api", settings: channelSettings(store, { webhook_url: url, webhook_events: ["order.exploded"] }) }, auth)
          .catch((e: any) => e.response)
        expect(bad.status).toBe(400)
        expect(JSON.stringify(bad.data)).toMatch(/webhook_events/)

        const { data } = await api.post(
          "/admin/channels",
          {
            name: "Reseller status",
            provider: "api",
            credentials: { webhook_secret: secret },
            settings: channelSettings(store, {
              webhook_url: url,
              webhook_events: ["order.status_changed"],
              default_shipping_option_id: store.shipping_options.standard,
              carrier_mapping: { [store.shipping_options.standard]: "DHL", manual_manual: "DHL" },
            }),
          },
          auth
        )
        const channelId = data.channel.id as string
        const token = (await api.post(`/admin/channels/${channelId}/api-keys`, {}, auth)).data.token as string
        const pushed = await api.post("/channel-api/orders", { orders: [sandboxOrder("ST-1", { status: "confirmed" })] }, { headers: { authorization: `Bearer ${token}` } })
        expect(pushed.status).toBe(202)
        const orderId = pushed.data.results[0].order_id as string
        expect(orderId).toBeTruthy()

        // The import is the first status (previous: null).
        const [first] = await waitFor(async () => {
          const rows = await statusRows(orderId)
          return rows.length ? rows : null
        }, "the first status row")
        expect(first).toMatchObject({ kind: "status", state: "pending", channel_id: channelId })

        // The same change reported again (a redelivered event, two subscribers racing) records nothing.
        const again = await Promise.all(
          [1, 2, 3].map(() => recordStatusChangeFeedbackWorkflow(getContainer()).run({ input: { order_id: orderId, trigger: "order.updated" } }))
        )
        expect(again.flatMap((r) => r.result.recorded)).toEqual([])
        expect(await statusRows(orderId)).toHaveLength(1)

        // First attempt: the receiver answers 500 → pending with backoff, nothing delivered.
        await deliverNow(getContainer())
        expect(await feedbackRow(getContainer(), first.id)).toMatchObject({ state: "pending", attempts: 1, error_code: "webhook_unavailable" })
        expect(attempts).toHaveLength(1)
        expect(delivered()).toHaveLength(0)
        // A pass before the backoff is due sends nothing.
        await deliverNow(getContainer())
        expect(attempts).toHaveLength(1)

        // Retried once due: exactly one delivery, signed, with the same delivery id.
        await deliverWhenDue(getContainer(), first.id)
        expect(await feedbackRow(getContainer(), first.id)).toMatchObject({ state: "confirmed", attempts: 2 })
        expect(attempts).toHaveLength(2)
        expect(delivered()).toHaveLength(1)
        const hit = delivered()[0]
        expect(hit.event).toBe("order.status_changed")
        expect(hit.id).toBe(attempts[0].id)
        expect(verifyWebhookSignature(secret, hit.body, hit.signature)).toBe(true)
        expect(verifyWebhookSignature(secret, hit.body + " ", hit.signature)).toBe(false)
        const body = JSON.parse(hit.body)
        expect(body).toMatchObject({
          event: "order.status_changed",
          delivery_id: hit.id,
          external_id: "ST-1",
          order_id: orderId,
          status: "pending",
          fulfillment_status: "not_fulfilled",
          on_hold: false,
          previous: null,
          trigger: expect.any(String),
          changed_at: expect.any(String),
          sent_at: expect.any(String),
        })
        // Nothing left to send: another pass delivers nothing more.
        await deliverNow(getContainer())
        expect(delivered()).toHaveLength(1)

        // A hold placed by an admin is a change; released, another.
        const hold = await api.post(`/admin/orders/${orderId}/holds`, { detail: "check address" }, auth)
        expect(hold.status).toBe(201)
        await waitFor(async () => (await statusRows(orderId)).length === 2, "the hold's status row")
        await deliverNow(getContainer())
        expect(delivered()).toHaveLength(2)
        expect(JSON.parse(delivered()[1].body)).toMatchObject({
          on_hold: true,
          previous: { status: "pending", fulfillment_status: "not_fulfilled", on_hold: false },
          trigger: "order_hold.placed",
        })
        await api.post(`/admin/orders/${orderId}/holds/${hold.data.hold.id}/release`, {}, auth)
        await waitFor(async () => (await statusRows(orderId)).length === 3, "the release's status row")

        // Shipped in Medusa: the fulfilment status changes (fulfilled, then shipped).
        await shipThroughAdmin(api, auth, store, orderId, { tracking: ["TRACK-ST1"] })
        await waitFor(async () => (await statusRows(orderId)).some((r) => r.payload?.current?.fulfillment_status === "shipped"), "the shipped status row")
        await deliverNow(getContainer())
        const rows = await statusRows(orderId)
        expect(rows.every((r) => r.state === "confirmed")).toBe(true)
        const bodies = delivered().map((d) => JSON.parse(d.body))
        // One delivery per row, each its own change: no two consecutive deliveries carry the same status.
        expect(bodies).toHaveLength(rows.length)
        expect(new Set(bodies.map((b) => b.delivery_id)).size).toBe(bodies.length)
        const key = (s: any) => `${s.status}|${s.fulfillment_status}|${s.on_hold}`
        for (let i = 1; i < bodies.length; i++) expect(key(bodies[i])).not.toBe(key(bodies[i - 1]))
        expect(bodies[bodies.length - 1]).toMatchObject({ fulfillment_status: "shipped", on_hold: false })
        expect(bodies.every((b, i) => verifyWebhookSignature(secret, delivered()[i].body, delivered()[i].signature))).toBe(true)
        // The shipment itself is not sent: this channel's webhook_events lists only status changes.
        expect(attempts.some((a) => a.event === "shipment.created")).toBe(false)

        // A change whose event was lost (a hold written without its event, as if the process died
        // between the write and the subscriber): the feedback sweep records it, once.
        const before = await statusRows(orderId)
        await channelsOf(getContainer()).createOrderHolds({ order_id: orderId, reason: "custom_rule", detail: "written without an event" } as any)
        expect(await statusRows(orderId)).toHaveLength(before.length)
        const swept = await sweepMissedFeedback(getContainer(), { grace_ms: 0 })
        const after = await statusRows(orderId)
        expect(after).toHaveLength(before.length + 1)
        expect(swept.recorded).toEqual([after[after.length - 1].id])
        expect(after[after.length - 1].payload).toMatchObject({ trigger: "sweep", current: { on_hold: true }, previous: { on_hold: false } })
        // The next sweep reads the same window again and records nothing more.
        expect((await sweepMissedFeedback(getContainer(), { grace_ms: 0 })).recorded).toEqual([])
        await deliverNow(getContainer())
        expect(JSON.parse(delivered()[delivered().length - 1].body)).toMatchObject({ on_hold: true, fulfillment_status: "shipped", trigger: "sweep" })
        expect(delivered()).toHaveLength(after.length)
      } finally {
        await new Promise((r) => server.close(r))
      }
    })
  },
})
