import {
  alertBackoffMs,
  deliveryText,
  emailData,
  renderEmailText,
  resolveAlertOptions,
  routesOperational,
  signAlertBody,
  verifyAlertSignature,
  webhookBody,
  webhookUrlProblem,
  redactUrl,
  DEFAULT_ALERT_OPTIONS,
} from "../policy"

const d = (over: Partial<Parameters<typeof deliveryText>[0]> = {}) => ({
  id: "chaldl_1",
  title: "Warning: Caps",
  message: "Order CAP-1 has caps",
  severity: "warning" as const,
  count: 1,
  lines: ["Order CAP-1 has caps"],
  first_at: "2026-12-04T10:00:00Z",
  last_at: "2026-12-04T10:00:00Z",
  ...over,
})

describe("alert policy", () => {
  it("options: defaults, overrides, junk ignored", () => {
    expect(resolveAlertOptions(undefined)).toEqual(DEFAULT_ALERT_OPTIONS)
    expect(resolveAlertOptions({ dedupe_window_minutes: 5, run_failures: "x", feed: false, gather_seconds: -1 } as any)).toMatchObject({
      dedupe_window_minutes: 5,
      run_failures: 3,
      feed: false,
      gather_seconds: 30,
    })
  })

  it("backoff doubles from a minute and stops at an hour", () => {
    expect([1, 2, 3, 4, 10].map(alertBackoffMs)).toEqual([60_000, 120_000, 240_000, 480_000, 3_600_000])
  })

  it("a single alert is itself; a burst is a digest with its first 20 lines and a count", () => {
    expect(deliveryText(d())).toEqual({ subject: "Warning: Caps", text: "Order CAP-1 has caps", lines: [] })
    const lines = Array.from({ length: 20 }, (_, i) => `Order CAP-${i + 1} has caps`)
    const t = deliveryText(d({ count: 37, lines, last_at: "2026-12-04T10:09:30Z", group_key: "rule:irule_1" }))
    expect(t.subject).toBe("Warning: Caps (37 orders)")
    expect(t.text).toBe("37 orders in the last 10 minutes: Warning: Caps")
    expect(deliveryText(d({ count: 2, group_key: "op:channel_stale:chan_1" })).text).toBe("2 alerts in the last 1 minute: Warning: Caps")
    expect(t.lines).toHaveLength(21)
    expect(t.lines[20]).toBe("… and 17 more")
  })

  it("e-mail data carries the default template rendered", () => {
    const data = emailData(d())
    expect(data).toMatchObject({ subject: "Warning: Caps", message: "Order CAP-1 has caps", severity: "warning", count: 1 })
    expect(data.body).toBe(renderEmailText(d()))
    expect(data.body).toContain("Order CAP-1 has caps")
    expect(data.body).toContain("Severity: warning")
  })

  it("webhook bodies: Slack text + blocks, Teams MessageCard with text, generic JSON", () => {
    const slack = webhookBody("slack", d()) as any
    expect(slack.text).toContain("Warning: Caps: Order CAP-1 has caps")
    expect(slack.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "Warning: Caps" } })
    const teams = webhookBody("teams", d({ severity: "error" })) as any
    expect(teams).toMatchObject({ "@type": "MessageCard", title: "Warning: Caps", themeColor: "D13438" })
    expect(typeof teams.text).toBe("string")
    expect(webhookBody("generic", d(), { alert_ids: ["a"] })).toMatchObject({ event: "channel_orders.alert", delivery_id: "chaldl_1", count: 1, alert_ids: ["a"] })
  })

  it("signatures: sha256=<hex>, checked in constant time", () => {
    const sig = signAlertBody("k3y", '{"a":1}')
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/)
    expect(verifyAlertSignature("k3y", '{"a":1}', sig)).toBe(true)
    expect(verifyAlertSignature("k3y", '{"a":2}', sig)).toBe(false)
    expect(verifyAlertSignature("k3y", '{"a":1}', undefined)).toBe(false)
  })

  it("webhook URLs: https anywhere; http only for allowed hosts outside production; no credentials in the URL", () => {
    expect(webhookUrlProblem("https://hooks.slack.com/services/x", undefined, true)).toBeNull()
    expect(webhookUrlProblem("http://127.0.0.1:9000/x", { "*": ["127.0.0.1"] }, false)).toBeNull()
    expect(webhookUrlProblem("http://127.0.0.1:9000/x", { "*": ["127.0.0.1"] }, true)).toMatch(/https/)
    expect(webhookUrlProblem("http://example.com/x", { "*": ["127.0.0.1"] }, false)).toMatch(/https/)
    expect(webhookUrlProblem("ftp://example.com/x", undefined, false)).toMatch(/https/)
    expect(webhookUrlProblem("https://u:p@example.com/x", undefined, false)).toMatch(/user name/)
    expect(webhookUrlProblem("", undefined, false)).toMatch(/required/)
    expect(redactUrl("https://hooks.slack.com/services/T/B/secret")).toBe("https://hooks.slack.com/…")
  })

  it("operational routing: listed codes or *", () => {
    expect(routesOperational(["*"], "channel_stale")).toBe(true)
    expect(routesOperational(["run_failures"], "channel_stale")).toBe(false)
    expect(routesOperational(null, "channel_stale")).toBe(false)
  })
})
