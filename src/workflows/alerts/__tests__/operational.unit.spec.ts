import { DEFAULT_ALERT_OPTIONS } from "../../../modules/channel-alert/policy"
import { operationalCauses, type ChannelHealth } from "../operational"
import { operationalRoutes, ruleAlertInput } from "../routing"

const now = new Date("2026-12-04T12:00:00Z")
const health = (over: Partial<ChannelHealth> = {}): ChannelHealth => ({
  channel: { id: "chan_1", name: "Amazon DE", enabled: true, created_at: "2026-12-01T00:00:00Z", pull_interval_minutes: 15 },
  recent_runs: [{ status: "succeeded", started_at: "2026-12-04T11:55:00Z", finished_at: "2026-12-04T11:56:00Z" }],
  last_success_at: "2026-12-04T11:56:00Z",
  failed_last_hour: 0,
  unconfirmed_feedback: 0,
  ...over,
})
const codes = (h: ChannelHealth) => operationalCauses(h, DEFAULT_ALERT_OPTIONS, now).map((c) => c.code)
const failed = (error_code: string | null = "marketplace_unavailable") => ({ status: "failed", error_code, error: "boom", started_at: "2026-12-04T11:00:00Z" })

describe("operational alert causes", () => {
  it("a healthy channel has none; a disabled one is never alerted", () => {
    expect(codes(health())).toEqual([])
    expect(codes(health({ channel: { ...health().channel, enabled: false }, recent_runs: [failed(), failed(), failed()] }))).toEqual([])
  })

  it("run_failures after N failed runs in a row, not N-1", () => {
    expect(codes(health({ recent_runs: [failed(), failed(), health().recent_runs[0]] }))).toEqual([])
    expect(codes(health({ recent_runs: [failed(), failed(), failed()] }))).toEqual(["run_failures"])
  })

  it("credentials_refused on the last run's credential error", () => {
    expect(codes(health({ recent_runs: [failed("unauthorized")] }))).toEqual(["credentials_refused"])
    expect(codes(health({ recent_runs: [failed("credentials_undecryptable"), failed(), failed()] }))).toEqual(["run_failures", "credentials_refused"])
  })

  it("import_failures above the hourly threshold; feedback_unconfirmed when any is overdue", () => {
    expect(codes(health({ failed_last_hour: 10 }))).toEqual([])
    expect(codes(health({ failed_last_hour: 11 }))).toEqual(["import_failures"])
    expect(codes(health({ unconfirmed_feedback: 2 }))).toEqual(["feedback_unconfirmed"])
  })

  it("channel_stale past 3 × the interval since the last success (or creation)", () => {
    expect(codes(health({ last_success_at: "2026-12-04T11:16:00Z" }))).toEqual([])
    expect(codes(health({ last_success_at: "2026-12-04T11:14:00Z" }))).toEqual(["channel_stale"])
    expect(codes(health({ last_success_at: null, recent_runs: [], channel: { ...health().channel, created_at: "2026-12-04T11:50:00Z" } }))).toEqual([])
  })
})

describe("alert routing", () => {
  const dests = [
    { id: "d_mail", kind: "email" as const, enabled: true, recipients: ["sales@x.example"], operational_alerts: ["*"] },
    { id: "d_hook", kind: "webhook" as const, enabled: true, operational_alerts: ["channel_stale"] },
    { id: "d_off", kind: "webhook" as const, enabled: false, operational_alerts: ["*"] },
  ]
  it("a rule alert goes to its destinations; its recipients join its e-mail destination", () => {
    const input = ruleAlertInput({ rule_id: "r1", rule_name: "Big", message: "Order 1", severity: "warning", destination_ids: ["d_mail", "d_hook", "d_off", "gone"], recipients: ["boss@x.example"] }, dests)
    expect(input.routes).toEqual([
      { destination_id: "d_mail", kind: "email", recipients: ["sales@x.example", "boss@x.example"] },
      { destination_id: "d_hook", kind: "webhook" },
    ])
    expect(input).toMatchObject({ group_key: "rule:r1", title: "Warning: Big" })
  })
  it("recipients without an e-mail destination use the default e-mail route", () => {
    expect(ruleAlertInput({ rule_id: "r1", rule_name: "Big", message: "m", severity: "info", recipients: ["a@x.example"] }, dests).routes).toEqual([
      { destination_id: null, kind: "email", recipients: ["a@x.example"] },
    ])
  })
  it("operational alerts: the admin feed plus every enabled destination routing the code", () => {
    expect(operationalRoutes("channel_stale", dests, true).map((r) => r.destination_id)).toEqual([null, "d_mail", "d_hook"])
    expect(operationalRoutes("run_failures", dests, false).map((r) => r.destination_id)).toEqual(["d_mail"])
  })
})
