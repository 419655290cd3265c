import http from "node:http"
import type { AddressInfo } from "node:net"
import { requestMarketplace } from "../http-client"
import { CallErrorList, recordCallErrors, type CallError } from "../call-errors"

type Reply = { status: number; body?: string; headers?: Record<string, string> }

async function scriptedServer(replies: Reply[]) {
  const server = http.createServer((_req, res) => {
    const reply = replies.shift() ?? { status: 500 }
    res.writeHead(reply.status, { "content-type": "application/json", ...(reply.headers ?? {}) })
    res.end(reply.body ?? "")
  })
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, close: () => new Promise<void>((r) => server.close(() => r())) }
}

const noSleep = async () => {}

describe("failed marketplace calls are recorded (issue 16: every failed call visible in the run)", () => {
  it("records every failed attempt, the ones a retry absorbed too, scrubbed of the request's credentials", async () => {
    const srv = await scriptedServer([
      { status: 503, body: '{"message":"down for key sk-secret-123"}' },
      { status: 429 },
      { status: 200, body: "{not json" },
      { status: 200, body: '{"ok":true}' },
    ])
    const seen: CallError[] = []
    try {
      const res = await recordCallErrors(
        (e) => seen.push(e),
        () =>
          requestMarketplace<{ ok: boolean }>({
            method: "GET",
            url: `${srv.url}/orders?token=abc`,
            headers: { authorization: "sk-secret-123" },
            operation: "sim:listOrders",
            parseError: (_s, body: any) => ({ message: body?.message }),
            sleep: noSleep,
          })
      )
      expect(res.body).toEqual({ ok: true })
    } finally {
      await srv.close()
    }
    expect(seen.map((e) => [e.code, e.status, e.attempt, e.operation, e.retryable])).toEqual([
      ["marketplace_unavailable", 503, 1, "sim:listOrders", true],
      ["rate_limited", 429, 2, "sim:listOrders", true],
      ["malformed_response", 200, 3, "sim:listOrders", true],
    ])
    expect(seen[0].message).toMatch(/HTTP 503/)
    expect(JSON.stringify(seen)).not.toContain("sk-secret-123")
  })

  it("records the failure that ends a call, named by method and path when it has no bucket", async () => {
    const srv = await scriptedServer([{ status: 400, body: '{"message":"Invalid offset"}' }])
    const seen: CallError[] = []
    try {
      await expect(
        recordCallErrors(
          (e) => seen.push(e),
          () => requestMarketplace({ method: "GET", url: `${srv.url}/api/orders?offset=10&token=abc`, parseError: (_s, b: any) => ({ message: b?.message }), sleep: noSleep })
        )
      ).rejects.toMatchObject({ code: "marketplace_rejected" })
    } finally {
      await srv.close()
    }
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ code: "marketplace_rejected", status: 400, operation: "GET /api/orders", retryable: false, attempt: 1 })
  })

  it("reports nowhere outside a recorder, and keeps concurrent recorders apart", async () => {
    const srv = await scriptedServer([{ status: 500 }, { status: 200, body: "{}" }, { status: 500 }, { status: 200, body: "{}" }, { status: 500 }, { status: 200, body: "{}" }])
    const a: CallError[] = []
    const b: CallError[] = []
    try {
      await requestMarketplace({ method: "GET", url: `${srv.url}/none`, sleep: noSleep })
      await recordCallErrors(
        (e) => a.push(e),
        () => requestMarketplace({ method: "GET", url: `${srv.url}/a`, sleep: noSleep })
      )
      await recordCallErrors(
        (e) => b.push(e),
        () => requestMarketplace({ method: "GET", url: `${srv.url}/b`, sleep: noSleep })
      )
    } finally {
      await srv.close()
    }
    expect(a.map((e) => e.operation)).toEqual(["GET /a"])
    expect(b.map((e) => e.operation)).toEqual(["GET /b"])
  })

  it("keeps the first entries up to its cap and counts the rest", () => {
    const list = new CallErrorList(2)
    for (let i = 0; i < 5; i++) list.add({ at: "x", code: "c", message: String(i), operation: "op", retryable: true })
    expect(list.toRun()).toEqual({ errors: [expect.objectContaining({ message: "0" }), expect.objectContaining({ message: "1" })], errors_dropped: 3 })
  })
})
