import { stageableRows } from "../service"

describe("stageableRows: a page PostgreSQL can take in one upsert", () => {
  it("keeps one row per external id, the newest payload", () => {
    const rows = stageableRows([
      { external_id: "A", external_status: "paid", external_updated_at: "2026-11-20T10:00:00Z", raw: { v: 2 } },
      { external_id: "B", external_status: "paid", external_updated_at: null, raw: { v: 1 } },
      { external_id: "A", external_status: "pending", external_updated_at: "2026-11-20T09:00:00Z", raw: { v: 1 } },
    ])
    expect(rows.map((r) => [r.external_id, r.external_status, JSON.parse(r.raw_json).v])).toEqual([
      ["A", "paid", 2],
      ["B", "paid", 1],
    ])
  })

  it("drops an update time it cannot read and writes the others as ISO times", () => {
    const [bad, good] = stageableRows([
      { external_id: "A", external_status: "paid", external_updated_at: "yesterday-ish", raw: {} },
      { external_id: "B", external_status: "paid", external_updated_at: "2026-11-20T10:00:00+02:00", raw: {} },
    ])
    expect(bad.external_updated_at).toBeNull()
    expect(good.external_updated_at).toBe("2026-11-20T08:00:00.000Z")
  })

  it("replaces NUL characters and unpaired surrogates, and leaves the rest as received", () => {
    const raw = { note: "gift\u0000wrap", name: "Zo\uD800e", emoji: "ok 😀", literal: "\\u0000 stays text" }
    const [row] = stageableRows([{ external_id: "A", external_status: "paid", external_updated_at: null, raw }])
    expect(JSON.parse(row.raw_json)).toEqual({ note: "gift\uFFFDwrap", name: "Zo\uFFFDe", emoji: "ok 😀", literal: "\\u0000 stays text" })
  })

  it("passes a clean payload through as plain JSON", () => {
    const raw = { a: [1, { b: "c" }] }
    expect(stageableRows([{ external_id: "A", external_status: null, external_updated_at: null, raw }])[0].raw_json).toBe(JSON.stringify(raw))
  })
})
