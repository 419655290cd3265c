import http from "node:http"
import type { AddressInfo } from "node:net"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { seedStore, type SeededStore } from "../../src/scripts/seed-store"
import { verifyWebhookSignature } from "../../src/providers/api/webhook"
import { adminHeaders } from "../helpers/admin"
import { channelOrder, channelSettings, countOrdersWithExternalId, sandboxOrder } from "../helpers/channel-fixtures"
import { cancelFeedbackFor, deliverNow, deliverWhenDue, feedbackFor, feedbackRow, shipThroughAdmin } from "../helpers/feedback-fixtures"
import { execFileSync } from "node:child_process"
import fs from "node:fs"
import path from "node:path"
import createClient from "openapi-fetch"
import type { paths } from "../helpers/channel-api.openapi"
import { CHANNEL_API_DOC, channelApiContract } from "../helpers/channel-api-contract"

// Feedback passes are run explicitly below.
process.env.CHANNEL_FEEDBACK_DELIVERY = "off"

jest.setTimeout(240_000)

/**
 * Issue 18: the B2B order API. A reseller's system pushes canonical orders to
 * `POST /channel-api/orders` with a channel API key; they go through the same staging and deciding as
 * a pulled page. Everything here goes through HTTP as a reseller (and the merchant's admin) would.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let auth: any
    let channelId: string
    let token: string
    let keyId: string

    beforeAll(async () => {
      store = await seedStore(getContainer(), { withAdmin: true })
    })

    const bearer = (t: string) => ({ headers: { authorization: `Bearer ${t}` } })
    const push = (orders: unknown[], t = token, headers: Record<string, string> = {}) =>
      api
        .post("/channel-api/orders", { orders }, { headers: { authorization: `Bearer ${t}`, ...headers }, transformResponse: [(d: any) => d], responseType: "text" })
        .then((r: any) => r, (e: any) => e.response)
        .then((r: any) => ({ status: r.status as number, headers: r.headers, text: r.data as string, body: safeJson(r.data) }))
    const readBack = (externalId: string, t = token) =>
      api.get(`/channel-api/orders/${encodeURIComponent(externalId)}`, bearer(t)).catch((e: any) => e.response)

    /** SKUs with plenty of stock (the seed leaves a few short or empty on purpose). */
    const stockedSkus = () => store.variants.filter((v) => v.stocked >= 50).map((v) => v.sku)

    const createApiChannel = async (extra: Record<string, unknown> = {}, credentials?: Record<string, unknown>, name = "Reseller GmbH") => {
      const { data } = await api.post(
        "/admin/channels",
        { name, provider: "api", ...(credentials ? { credentials } : {}), settings: channelSettings(store, extra) },
        auth
      )
      return data.channel.id as string
    }
    const createKey = async (channel: string) => {
      const res = await api.post(`/admin/channels/${channel}/api-keys`, {}, auth)
      expect(res.status).toBe(201)
      return res.data as { api_key: { id: string; prefix: string }; token: string }
    }

    beforeEach(async () => {
      auth = await adminHeaders(api, getContainer())
      channelId = await createApiChannel({
        default_shipping_option_id: store.shipping_options.standard,
        carrier_mapping: { [store.shipping_options.standard]: "DHL", manual_manual: "DHL" },
      })
      const key = await createKey(channelId)
      token = key.token
      keyId = key.api_key.id
    })

    it("admin keys: 201 with the token once, listed without it; the default status rules import confirmed orders", async () => {
      const created = await api.post(`/admin/channels/${channelId}/api-keys`, {}, auth)
      expect(created.status).toBe(201)
      expect(Object.keys(created.data.api_key).sort()).toEqual(["created_at", "id", "last_used_at", "prefix", "revoked_at"])
      expect(created.data.token).toMatch(new RegExp(`^cok_${created.data.api_key.prefix}_`))
      const listed = await api.get(`/admin/channels/${channelId}/api-keys`, auth)
      expect(listed.data.api_keys).toHaveLength(2)
      expect(JSON.stringify(listed.data)).not.toContain(created.data.token)
      expect(JSON.stringify(listed.data)).not.toContain("token_hash")
      // Only the hash is stored.
      const knex = getContainer().resolve("__pg_connection__") as any
      const rows = await knex("channel_api_key").select("*").where("channel_id", channelId)
      expect(JSON.stringify(rows)).not.toContain(created.data.token)

      const res = await push([sandboxOrder("B2B-1", { status: "confirmed" })])
      expect(res.status).toBe(202)
      expect(res.body.results).toEqual([
        { external_id: "B2B-1", result: "imported", channel_order_id: expect.any(String), order_id: expect.any(String), error_code: null, error_message: null },
      ])
      const after = await api.get(`/admin/channels/${channelId}/api-keys`, auth)
      expect(after.data.api_keys.find((k: any) => k.id === keyId).last_used_at).toBeTruthy()
      // Keys are for channels that take pushed orders.
      const sandbox = (await api.post("/admin/channels", { name: "Sbx", provider: "sandbox", settings: channelSettings(store) }, auth)).data.channel.id
      expect((await api.post(`/admin/channels/${sandbox}/api-keys`, {}, auth).catch((e: any) => e.response)).status).toBe(400)
    })

    it("auth: missing, malformed, unknown and revoked keys are 401 (revocation at once); a disabled channel's key is 403", async () => {
      const order = [sandboxOrder("A-1", { status: "pending" })]
      const none = await api.post("/channel-api/orders", { orders: order }).catch((e: any) => e.response)
      expect(none.status).toBe(401)
      expect((await push(order, "not-a-key")).status).toBe(401)
      expect((await api.post("/channel-api/orders", { orders: order }, { headers: { authorization: `Basic ${token}` } }).catch((e: any) => e.response)).status).toBe(401)
      const unknown = `cok_${"0".repeat(12)}_${"A".repeat(43)}`
      expect((await push(order, unknown)).status).toBe(401)
      // Right prefix, wrong secret.
      const forged = token.slice(0, -4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA")
      expect((await push(order, forged)).status).toBe(401)
      expect((await readBack("A-1", unknown)).status).toBe(401)

      expect((await push(order)).status).toBe(202)
      const revoked = await api.post(`/admin/channels/${channelId}/api-keys/${keyId}/revoke`, {}, auth)
      expect(revoked.data.api_key.revoked_at).toBeTruthy()
      const after = await push(order)
      expect(after.status).toBe(401)
      expect(after.body.message).toMatch(/revoked/)
      expect((await readBack("A-1")).status).toBe(401)

      const fresh = await createKey(channelId)
      expect((await readBack("A-1", fresh.token)).status).toBe(200)
      await api.post(`/admin/channels/${channelId}`, { enabled: false }, auth)
      const disabled = await push(order, fresh.token)
      expect(disabled.status).toBe(403)
      expect((await readBack("A-1", fresh.token)).status).toBe(403)

      // Another channel's key does not see this channel's orders.
      const other = await createApiChannel({}, undefined, "Other reseller")
      const otherKey = await createKey(other)
      expect((await readBack("A-1", otherKey.token)).status).toBe(404)
    })

    it("idempotency: a repeated Idempotency-Key returns the first answer byte for byte, another body is 422; without the header a repeat is `duplicate`", async () => {
      const orders = [sandboxOrder("I-1", { status: "confirmed" }), sandboxOrder("I-2", { status: "pending" })]
      const first = await push(orders, token, { "Idempotency-Key": "req-0001" })
      expect(first.status).toBe(202)
      expect(first.body.results.map((r: any) => [r.external_id, r.result])).toEqual([
        ["I-1", "imported"],
        ["I-2", "waiting"],
      ])
      const again = await push(orders, token, { "Idempotency-Key": "req-0001" })
      expect(again.status).toBe(202)
      expect(again.text).toBe(first.text)
      // Same JSON, keys in another order: the same request.
      const reordered = orders.map((o) => Object.fromEntries(Object.entries(o).reverse()))
      expect((await push(reordered, token, { "Idempotency-Key": "req-0001" })).text).toBe(first.text)
      const other = await push([sandboxOrder("I-3")], token, { "Idempotency-Key": "req-0001" })
      expect(other.status).toBe(422)
      expect(await countOrdersWithExternalId(getContainer(), "I-3")).toBe(0)

      const repeat = await push(orders)
      expect(repeat.status).toBe(202)
      expect(repeat.body.results).toEqual(
        first.body.results.map((r: any) => ({ ...r, result: "duplicate" }))
      )
      expect(await countOrdersWithExternalId(getContainer(), "I-1")).toBe(1)
    })

    it("a batch of 100 with one invalid order: 99 imported, the bad one failed with invalid_payload and its field, staged", async () => {
      const skus = stockedSkus()
      const orders: any[] = Array.from({ length: 100 }, (_, i) =>
        sandboxOrder(`BATCH-${String(i + 1).padStart(3, "0")}`, { status: "confirmed", lines: [[skus[i % skus.length], 1]] })
      )
      orders[41] = { ...orders[41], items: [{ ...orders[41].items[0], quantity: "many" }] }
      const res = await push(orders)
      expect(res.status).toBe(202)
      const results = res.body.results
      expect(results).toHaveLength(100)
      expect(results.map((r: any) => r.external_id)).toEqual(orders.map((o) => o.external_id))
      const bad = results[41]
      expect(bad).toMatchObject({ external_id: "BATCH-042", result: "failed", error_code: "invalid_payload", order_id: null })
      expect(bad.error_message).toContain("items.0.quantity")
      expect(results.filter((r: any) => r.result === "imported")).toHaveLength(99)
      const staged = await channelOrder(api, auth, channelId, "BATCH-042")
      expect(staged).toMatchObject({ state: "failed", error_code: "invalid_payload" })
      // The banner counts it.
      const summary = await api.get("/admin/channel-orders/summary", auth)
      expect(summary.data.not_importable_count).toBeGreaterThanOrEqual(1)
    })

    it("an update of a waiting order imports it; a changed address follows the imported order", async () => {
      const waiting = await push([sandboxOrder("W-1", { status: "pending" })])
      expect(waiting.body.results[0]).toMatchObject({ result: "waiting", order_id: null })
      const updated = await push([sandboxOrder("W-1", { status: "confirmed", updated_at: new Date(Date.now() + 1000).toISOString() })])
      expect(updated.body.results[0]).toMatchObject({ external_id: "W-1", result: "imported", order_id: expect.any(String) })
      const orderId = updated.body.results[0].order_id

      const moved = sandboxOrder("W-1", {
        status: "confirmed",
        updated_at: new Date(Date.now() + 2000).toISOString(),
        shipping_address: { first_name: "Ada", last_name: "Lovelace", address_1: "Neue Straße 9", city: "Hamburg", postal_code: "20095", country_code: "de" },
      })
      const res = await push([moved])
      expect(res.body.results[0]).toMatchObject({ result: "imported", order_id: orderId })
      const { data } = await api.get(`/admin/orders/${orderId}?fields=id,*shipping_address`, auth)
      expect(data.order.shipping_address.address_1).toBe("Neue Straße 9")
      expect(await countOrdersWithExternalId(getContainer(), "W-1")).toBe(1)
    })

    it("two concurrent pushes of one order (and a pull of the channel) import it exactly once", async () => {
      const a = sandboxOrder("C-1", { status: "confirmed", notes: "first" })
      const b = { ...a, notes: "second" }
      const [r1, r2] = await Promise.all([push([a]), push([b]), api.post(`/admin/channels/${channelId}/import`, {}, auth).catch((e: any) => e.response)])
      // Bodies included, so a refusal says why.
      expect([r1.status, r2.status, r1.status === 202 ? "" : r1.text, r2.status === 202 ? "" : r2.text]).toEqual([202, 202, "", ""])
      expect(await countOrdersWithExternalId(getContainer(), "C-1")).toBe(1)
      const ids = [r1.body.results[0], r2.body.results[0]].map((r: any) => r.order_id).filter(Boolean)
      expect(ids.length).toBeGreaterThanOrEqual(1)
      expect(new Set(ids).size).toBe(1)
      expect((await readBack("C-1")).data.order).toMatchObject({ state: "imported", order_id: ids[0] })
    })

    it("400 for a body that is not JSON or has no orders array, 413 past 100 orders or 1 MB", async () => {
      const raw = (body: string, headers: Record<string, string> = {}) =>
        api
          .post("/channel-api/orders", body, { headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers }, transformRequest: [(d: any) => d] })
          .catch((e: any) => e.response)
      const notJson = await raw("{ orders: [")
      expect(notJson.status).toBe(400)
      expect(notJson.data.field).toBe("body")
      const noOrders = await raw(JSON.stringify({ order: [] }))
      expect(noOrders.status).toBe(400)
      expect(noOrders.data.field).toBe("orders")
      expect((await raw(JSON.stringify({ orders: "x" }))).data.field).toBe("orders")
      expect((await raw(JSON.stringify({ orders: [] }))).status).toBe(400)

      const tooMany = await push(Array.from({ length: 101 }, (_, i) => sandboxOrder(`M-${i}`)))
      expect(tooMany.status).toBe(413)
      const big = await push([sandboxOrder("BIG-1", { notes: "x".repeat(1024 * 1024 + 10) })])
      expect(big.status).toBe(413)
      expect(await countOrdersWithExternalId(getContainer(), "BIG-1")).toBe(0)
    })

    it("429 with Retry-After past the key's rate limit; every answer carries RateLimit headers", async () => {
      await api.post(`/admin/channels/${channelId}`, { settings: { api_rate_limit: { rate: 1, burst: 3 } } }, auth)
      const answers = []
      for (let i = 0; i < 5; i++) answers.push(await readBack("nope"))
      expect(answers.map((a: any) => a.status)).toEqual([404, 404, 404, 429, 429])
      for (const a of answers) {
        expect(a.headers["ratelimit-limit"]).toBe("3")
        expect(a.headers["ratelimit-remaining"]).toMatch(/^\d+$/)
        expect(a.headers["ratelimit-reset"]).toMatch(/^\d+$/)
      }
      expect(answers[0].headers["ratelimit-remaining"]).toBe("2")
      expect(Number(answers[3].headers["retry-after"])).toBeGreaterThanOrEqual(1)
      // Another key of the same channel has its own bucket.
      const other = await createKey(channelId)
      expect((await readBack("nope", other.token)).status).toBe(404)
      await new Promise((r) => setTimeout(r, 1100))
      expect((await readBack("nope")).status).toBe(404)
    })

    it("read-back: state, Medusa status and the shipment with its tracking after the merchant ships", async () => {
      const res = await push([sandboxOrder("R-1", { status: "confirmed", lines: [["TSHIRT-M", 2], ["HOODIE-L", 1]] })])
      const orderId = res.body.results[0].order_id
      const before = await readBack("R-1")
      expect(before.status).toBe(200)
      expect(before.data.order).toMatchObject({ external_id: "R-1", state: "imported", result: "imported", order_id: orderId, status: "pending", fulfillment_status: "not_fulfilled", shipments: [] })

      await shipThroughAdmin(api, auth, store, orderId, { tracking: ["1Z999AA10123456784"] })
      const after = await readBack("R-1")
      expect(after.data.order.fulfillment_status).toBe("shipped")
      expect(after.data.order.shipments).toHaveLength(1)
      const shipment = after.data.order.shipments[0]
      expect(shipment).toMatchObject({ tracking_number: "1Z999AA10123456784", carrier: "DHL", shipped_at: expect.any(String) })
      expect(shipment.items.map((i: any) => [i.external_item_id, i.quantity]).sort()).toEqual([
        ["R-1-L1", 2],
        ["R-1-L2", 1],
      ])
      expect((await readBack("NOT-SENT")).status).toBe(404)
    })

    it("webhook: a shipment and a cancellation are POSTed signed with X-Signature, retried after a failure", async () => {
      const received: Array<{ body: string; signature: string; event: string }> = []
      let failNext = 1
      const server = http.createServer((req, res) => {
        const chunks: Buffer[] = []
        req.on("data", (c) => chunks.push(c))
        req.on("end", () => {
          if (failNext > 0) {
            failNext--
            res.statusCode = 503
            return res.end("busy")
          }
          received.push({ body: Buffer.concat(chunks).toString("utf8"), signature: String(req.headers["x-signature"]), event: String(req.headers["x-webhook-event"]) })
          res.statusCode = 200
          res.end("ok")
        })
      })
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()))
      const secret = "whsec_0123456789abcdef"
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/medusa`
        await api.post(`/admin/channels/${channelId}`, { settings: { webhook_url: url }, credentials: { webhook_secret: secret } }, auth)
        const channel = (await api.get(`/admin/channels/${channelId}`, auth)).data.channel
        expect(JSON.stringify(channel)).not.toContain(secret)
        expect(channel.has_credentials).toBe(true)

        const res = await push([sandboxOrder("H-1", { status: "confirmed" })])
        const orderId = res.body.results[0].order_id
        const fid = await shipThroughAdmin(api, auth, store, orderId, { tracking: ["TRACK-H1"] })
        const row = await feedbackFor(getContainer(), fid)

        await deliverNow(getContainer())
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "pending", attempts: 1, error_code: "webhook_unavailable" })
        expect(received).toHaveLength(0)
        await deliverWhenDue(getContainer(), row.id)
        expect(await feedbackRow(getContainer(), row.id)).toMatchObject({ state: "confirmed", attempts: 2 })
        expect(received).toHaveLength(1)
        const delivered = received[0]
        expect(verifyWebhookSignature(secret, delivered.body, delivered.signature)).toBe(true)
        expect(verifyWebhookSignature("another-secret-value", delivered.body, delivered.signature)).toBe(false)
        expect(delivered.event).toBe("shipment.created")
        expect(JSON.parse(delivered.body)).toMatchObject({
          event: "shipment.created",
          external_id: "H-1",
          shipment: { carrier: "DHL", tracking_numbers: ["TRACK-H1"], items: [{ external_item_id: "H-1-L1", quantity: 1 }] },
        })

        // A cancellation in Medusa reaches the reseller the same way.
        const c = await push([sandboxOrder("H-2", { status: "confirmed" })])
        await api.post(`/admin/orders/${c.body.results[0].order_id}/cancel`, {}, auth)
        const cancel = await cancelFeedbackFor(getContainer(), c.body.results[0].order_id)
        await deliverNow(getContainer())
        expect(await feedbackRow(getContainer(), cancel.id)).toMatchObject({ state: "confirmed" })
        const canceled = received.find((r) => r.event === "order.canceled")!
        expect(JSON.parse(canceled.body)).toMatchObject({ event: "order.canceled", external_id: "H-2" })
        expect(verifyWebhookSignature(secret, canceled.body, canceled.signature)).toBe(true)
      } finally {
        await new Promise((r) => server.close(r))
      }
    })

    it("serves the committed OpenAPI document, and a client generated from it (openapi-typescript + openapi-fetch) gets the answers it documents", async () => {
      const res = await api.get("/channel-api/openapi.json")
      expect(res.status).toBe(200)
      expect(res.data).toEqual(JSON.parse(fs.readFileSync(CHANNEL_API_DOC, "utf8")))
      expect(res.data.openapi).toMatch(/^3\.1\./)
      // The committed client types are what openapi-typescript makes of the committed document now.
      const generated = execFileSync(process.execPath, [path.resolve(__dirname, "../../node_modules/openapi-typescript/bin/cli.js"), CHANNEL_API_DOC], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
      expect(generated).toBe(fs.readFileSync(path.join(__dirname, "../helpers/channel-api.openapi.d.ts"), "utf8"))

      const contract = channelApiContract()
      const client = createClient<paths>({ baseUrl: api.defaults.baseURL })
      const headersOf = (r: Response) => Object.fromEntries(r.headers.entries())
      const key = { Authorization: `Bearer ${token}` }
      const check = (pathKey: string, method: string, r: { data?: unknown; error?: unknown; response: Response }) => {
        contract.assertResponse(pathKey, method, r.response.status, r.data ?? r.error, headersOf(r.response))
        return r.response.status
      }

      const orders = [sandboxOrder("OA-1", { status: "confirmed" }), { ...sandboxOrder("OA-2"), items: [] } as any, sandboxOrder("OA-3", { status: "pending" })]
      const pushed = await client.POST("/channel-api/orders", { headers: { ...key, "Idempotency-Key": "oa-1" }, body: { orders } })
      expect(check("/channel-api/orders", "post", pushed)).toBe(202)
      expect(pushed.data!.results.map((r) => r.result)).toEqual(["imported", "failed", "waiting"])
      expect(pushed.data!.results[1].error_code).toBe("invalid_payload")
      const replay = await client.POST("/channel-api/orders", { headers: { ...key, "Idempotency-Key": "oa-1" }, body: { orders } })
      expect(check("/channel-api/orders", "post", replay)).toBe(202)
      expect(replay.data).toEqual(pushed.data)
      expect(check("/channel-api/orders", "post", await client.POST("/channel-api/orders", { headers: { ...key, "Idempotency-Key": "oa-1" }, body: { orders: orders.slice(0, 1) } }))).toBe(422)
      const dup = await client.POST("/channel-api/orders", { headers: key, body: { orders: orders.slice(0, 1) } })
      expect(check("/channel-api/orders", "post", dup)).toBe(202)
      expect(dup.data!.results[0].result).toBe("duplicate")
      expect(check("/channel-api/orders", "post", await client.POST("/channel-api/orders", { headers: key, body: { orders: [] } as any }))).toBe(400)
      expect(check("/channel-api/orders", "post", await client.POST("/channel-api/orders", { headers: key, body: { orders: Array(101).fill(orders[0]) } }))).toBe(413)
      expect(check("/channel-api/orders", "post", await client.POST("/channel-api/orders", { headers: { Authorization: "Bearer nope" }, body: { orders } }))).toBe(401)

      const read = await client.GET("/channel-api/orders/{external_id}", { params: { path: { external_id: "OA-1" } }, headers: key })
      expect(check("/channel-api/orders/{external_id}", "get", read)).toBe(200)
      expect(read.data!.order).toMatchObject({ external_id: "OA-1", result: "imported", status: "pending" })
      const missing = await client.GET("/channel-api/orders/{external_id}", { params: { path: { external_id: "OA-404" } }, headers: key })
      expect(check("/channel-api/orders/{external_id}", "get", missing)).toBe(404)
      const spec = await client.GET("/channel-api/openapi.json")
      expect(check("/channel-api/openapi.json", "get", spec)).toBe(200)

      await api.post(`/admin/channels/${channelId}`, { settings: { api_rate_limit: { rate: 0.1, burst: 1 } } }, auth)
      await client.GET("/channel-api/orders/{external_id}", { params: { path: { external_id: "OA-1" } }, headers: key })
      const limited = await client.GET("/channel-api/orders/{external_id}", { params: { path: { external_id: "OA-1" } }, headers: key })
      expect(check("/channel-api/orders/{external_id}", "get", limited)).toBe(429)
    })
  },
})

function safeJson(text: unknown) {
  if (typeof text !== "string") return text
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}
