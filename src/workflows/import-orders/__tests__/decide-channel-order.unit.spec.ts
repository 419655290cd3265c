import { decideChannelOrder, type ChannelOrderDecisionContext } from "../decide-channel-order"
import { parseChannelSettings } from "../../../modules/channel/settings"
import { sandboxOrder } from "../../../../integration-tests/helpers/channel-fixtures"

/** The pure half of deciding (issue 16): no database, no container, one decision per staged row. */
const context = (over: Partial<ChannelOrderDecisionContext> = {}): ChannelOrderDecisionContext => ({
  provider: { normalize: (raw: unknown) => raw as any },
  settings: parseChannelSettings({}),
  rules: new Map([
    ["paid", { action: "import_as_valid" as const, retry: true }],
    ["pending", { action: "do_not_import" as const, retry: true }],
    ["canceled", { action: "do_not_import" as const, retry: false }],
    ["shipped", { action: "import_as_history" as const, retry: true }],
  ]),
  ...over,
})
const row = (raw: unknown, over: Partial<{ state: string; order_id: string | null }> = {}) => ({ state: "pending", order_id: null, raw, ...over })

describe("decideChannelOrder", () => {
  it("imports a status whose rule imports, with that rule's action", () => {
    const d = decideChannelOrder({ row: row(sandboxOrder("A-1")) }, context())
    expect(d).toMatchObject({ kind: "import", action: "import_as_valid", order: { external_id: "A-1" } })
  })

  it("waits (Retry on), ignores (Retry off), and treats a status without a rule as do-not-import with Retry on", () => {
    expect(decideChannelOrder({ row: row(sandboxOrder("A-2", { status: "pending" })) }, context())).toMatchObject({ kind: "wait", state: "waiting" })
    expect(decideChannelOrder({ row: row(sandboxOrder("A-3", { status: "canceled" })) }, context())).toMatchObject({ kind: "wait", state: "ignored" })
    const unknown = decideChannelOrder({ row: row(sandboxOrder("A-4", { status: "on_the_moon" })) }, context())
    expect(unknown).toMatchObject({ kind: "wait", state: "waiting", message: expect.stringContaining('"on_the_moon"') })
  })

  it("an order the marketplace fulfils takes the channel's marketplace_fulfilled_action, unless its status is not imported", () => {
    const settings = parseChannelSettings({ marketplace_fulfilled_action: "import_and_complete" })
    expect(decideChannelOrder({ row: row(sandboxOrder("F-1", { fulfilled_by_marketplace: true })) }, context({ settings }))).toMatchObject({ kind: "import", action: "import_and_complete" })
    expect(decideChannelOrder({ row: row(sandboxOrder("F-2", { status: "pending", fulfilled_by_marketplace: true })) }, context({ settings }))).toMatchObject({ kind: "wait" })
  })

  it("fails an invalid payload with invalid_payload and each issue's field path, as data", () => {
    const bad = { ...sandboxOrder("B-1"), currency_code: 42, items: [] }
    const d = decideChannelOrder({ row: row(bad) }, context())
    expect(d.kind).toBe("fail")
    if (d.kind !== "fail") return
    expect(d.code).toBe("invalid_payload")
    expect(d.data.mapper_error).toBe(false)
    expect(d.data.issues!.map((i) => i.path)).toEqual(expect.arrayContaining(["currency_code", "items"]))
  })

  it("a mapper that throws fails with its own message, flagged as a mapper error", () => {
    const provider = { normalize: () => { throw new Error("no AmazonOrderId") } }
    expect(decideChannelOrder({ row: row({}) }, context({ provider }))).toMatchObject({
      kind: "fail",
      code: "invalid_payload",
      message: "The marketplace payload could not be read: no AmazonOrderId",
      data: { mapper_error: true, issues: [] },
    })
  })

  it("never imports an order twice: an imported row is skipped, or followed when the marketplace changed it", () => {
    const imported = row(sandboxOrder("I-1", { status: "canceled" }), { state: "imported", order_id: "order_1" })
    expect(decideChannelOrder({ row: imported }, context())).toEqual({ kind: "skip" })
    expect(decideChannelOrder({ row: imported, changed: true }, context())).toMatchObject({ kind: "follow", order: { status: "canceled" } })
    // A linked order counts as imported whatever the state says (an import still finishing).
    expect(decideChannelOrder({ row: row(sandboxOrder("I-2"), { state: "importing", order_id: "order_2" }) }, context())).toEqual({ kind: "skip" })
    // A change whose payload cannot be read is not followed (and not imported).
    expect(decideChannelOrder({ row: row({ broken: true }, { state: "imported", order_id: "order_3" }), changed: true }, context())).toEqual({ kind: "skip" })
  })

  it("an ignored order stays ignored unless an admin forces a retry", () => {
    const ignored = row(sandboxOrder("G-1"), { state: "ignored" })
    expect(decideChannelOrder({ row: ignored }, context())).toEqual({ kind: "ignore" })
    expect(decideChannelOrder({ row: ignored }, context({ force: true }))).toMatchObject({ kind: "import" })
  })
})
