import http from "node:http"
import type { AddressInfo } from "node:net"
import { ApiChannelProvider } from "../api/service"
import { verifyWebhookSignature } from "../api/webhook"
import { sendChannelFeedback } from "../../workflows/feedback/steps/send-channel-feedback"

/** Issue 18: the `api` provider's `order.status_changed` webhook, and its opt-in setting `webhook_events`. */
describe("api provider: status-change webhook", () => {
  const provider = new ApiChannelProvider({})
  const secret = "whsec_unit_0123456789"
  let server: http.Server
  let url: string
  const received: Array<{ body: string; signature: string; event: string; id: string }> = []
  let answer = 200

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on("data", (c) => chunks.push(c))
      req.on("end", () => {
        received.push({
          body: Buffer.concat(chunks).toString("utf8"),
          signature: String(req.headers["x-signature"]),
          event: String(req.headers["x-webhook-event"]),
          id: String(req.headers["x-webhook-id"]),
        })
        res.statusCode = answer
        res.end("ok")
      })
    })
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
  })
  afterAll(() => new Promise((r) => server.close(r)))
  beforeEach(() => {
    received.length = 0
    answer = 200
  })

  const ctx = (settings: Record<string, unknown>) => ({ channel_id: "chan_1", settings, credentials: { webhook_secret: secret } }) as any
  const change = {
    external_order_id: "PO-1",
    order_id: "order_1",
    change_id: "chfb_1",
    current: { status: "pending", fulfillment_status: "shipped", on_hold: false },
    previous: { status: "pending", fulfillment_status: "fulfilled", on_hold: false },
    trigger: "shipment.created",
    changed_at: "2026-12-04T10:00:00.000Z",
  }

  it("wants status changes only with a webhook_url and order.status_changed in webhook_events", () => {
    expect(provider.wantsStatusChanges({ webhook_url: url })).toBe(false)
    expect(provider.wantsStatusChanges({ webhook_url: url, webhook_events: ["order.status_changed"] })).toBe(true)
    expect(provider.wantsStatusChanges({ webhook_events: ["order.status_changed"] })).toBe(false)
    expect(() => provider.validateSettings({ webhook_events: ["order.status_changed", "shipment.created"] }, {})).not.toThrow()
    expect(() => provider.validateSettings({ webhook_events: ["order.exploded"] }, {})).toThrow(/webhook_events.*unknown: "order.exploded"/)
    expect(() => provider.validateSettings({ webhook_events: "order.status_changed" }, {})).toThrow(/webhook_events must be a list/)
  })

  it("POSTs the change signed with X-Signature, with a delivery id stable per change", async () => {
    await provider.notifyStatusChange(ctx({ webhook_url: url, webhook_events: ["order.status_changed"] }), change)
    await provider.notifyStatusChange(ctx({ webhook_url: url, webhook_events: ["order.status_changed"] }), change)
    expect(received).toHaveLength(2)
    const [a, b] = received
    expect(a.event).toBe("order.status_changed")
    expect(a.id).toBe("status:chfb_1")
    expect(b.id).toBe(a.id)
    expect(verifyWebhookSignature(secret, a.body, a.signature)).toBe(true)
    expect(JSON.parse(a.body)).toMatchObject({
      event: "order.status_changed",
      delivery_id: "status:chfb_1",
      external_id: "PO-1",
      order_id: "order_1",
      status: "pending",
      fulfillment_status: "shipped",
      on_hold: false,
      previous: { status: "pending", fulfillment_status: "fulfilled", on_hold: false },
      trigger: "shipment.created",
      changed_at: "2026-12-04T10:00:00.000Z",
    })
  })

  it("a 500 is transient (retried by the outbox); shipments are not sent when webhook_events leaves them out", async () => {
    answer = 500
    await expect(provider.notifyStatusChange(ctx({ webhook_url: url }), change)).rejects.toMatchObject({ code: "webhook_unavailable", retryable: true })
    answer = 200
    const res = await provider.confirmShipment(ctx({ webhook_url: url, webhook_events: ["order.status_changed"] }), {
      external_order_id: "PO-1",
      items: [{ external_item_id: "L1", quantity: 1 }],
      carrier_code: "DHL",
      tracking_numbers: ["T1"],
      shipped_at: "2026-12-04T10:00:00.000Z",
    } as any)
    expect(res).toMatchObject({ state: "confirmed", response: { delivered: false } })
    expect(received).toHaveLength(1)
  })

  it("the outbox sends a `status` row through notifyStatusChange and settles it confirmed", async () => {
    const container = {
      resolve: (key: string) => {
        if (key !== "channel") throw new Error(`unexpected ${key}`)
        return {
          getChannelContext: async () => ({
            channel: { id: "chan_1", name: "R", provider: "api", enabled: true },
            provider,
            ctx: ctx({ webhook_url: url, webhook_events: ["order.status_changed"] }),
          }),
          retrieveChannelOrder: async () => ({ id: "chord_1", external_id: "PO-1", raw: {} }),
        }
      },
    } as any
    const row: any = {
      id: "chfb_9",
      channel_id: "chan_1",
      channel_order_id: "chord_1",
      order_id: "order_1",
      fulfillment_id: null,
      kind: "status",
      state: "sending",
      items: [],
      carrier_code: null,
      carrier_name: null,
      tracking_numbers: [],
      shipped_at: null,
      attempts: 1,
      next_attempt_at: null,
      error_code: null,
      error_message: null,
      response: null,
      payload: { current: change.current, previous: null, trigger: "channel_order.imported", changed_at: change.changed_at },
      claim: { state: "sending", attempts: 1, lease_until: new Date() },
      previous_state: "pending",
    }
    const outcome = await sendChannelFeedback(container, row, new Date())
    expect(outcome).toMatchObject({ state: "confirmed", called: true, kind: "status" })
    expect(outcome.event.message).toMatch(/^Status change confirmed by api/)
    expect(received).toHaveLength(1)
    expect(JSON.parse(received[0].body)).toMatchObject({ delivery_id: "status:chfb_9", previous: null, trigger: "channel_order.imported" })
  })
})
