import { CanonicalOrderSchema } from "../../../modules/channel/types/canonical-order"
import { applyImportRules, compareImportRules, type ApplicableImportRule } from "../apply"
import { buildRuleFacts, type RuleFacts } from "../facts"
import { renderNote } from "../note"
import { parseImportRule, type ImportRuleInput } from "../schema"

const CHANNEL = { id: "chan_amazon", provider: "amazon" }

function tutorialOrder() {
  return CanonicalOrderSchema.parse({
    external_id: "1203",
    status: "Unshipped",
    created_at: "2024-05-01T10:00:00Z",
    updated_at: "2024-05-01T10:00:00Z",
    currency_code: "usd",
    email: "buyer@example.com",
    shipping_address: { country_code: "US" },
    items: [
      { external_id: "1", sku: "V789", title: "Vintage vase", quantity: 5, unit_price: 20 },
      { external_id: "2", sku: "B100", title: "Bowl", quantity: 1, unit_price: 12.5, tax_total: 1 },
    ],
    shipping: { service_code: "Std", price: 5 },
    custom_fields: { gift: "yes" },
  })
}

const facts: RuleFacts = buildRuleFacts(tutorialOrder(), CHANNEL, { store_country_code: "us" })

/** Validates like the admin API would, then adds the stored id. */
function rule(id: string, input: Partial<ImportRuleInput> & Pick<ImportRuleInput, "actions">): ApplicableImportRule {
  const parsed = parseImportRule({ name: id, conditions: { all: [] }, ...input })
  if (!parsed.success) throw new Error(parsed.errors.join("\n"))
  return { id, ...parsed.rule }
}

const always = { all: [] }
const never = { all: [{ field: "total", operator: "lt", value: 0 }] }

describe("tutorial: order #1203", () => {
  it("holds orders with quantity over 4 and tags them Review Needed", () => {
    const holdBigQuantities = rule("rule_01", {
      name: "hold orders with quantity over 4",
      conditions: { all: [{ field: "max_item_quantity", operator: "gt", value: 4 }] },
      actions: [{ type: "add_tags", tags: ["Review Needed"] }, { type: "hold" }],
    })
    expect(facts.max_item_quantity).toBe(5)
    expect(facts.total).toBe(118.5)

    const effects = applyImportRules([holdBigQuantities], facts, { channel_id: CHANNEL.id })
    expect(effects.matched_rule_ids).toEqual(["rule_01"])
    expect(effects.tags).toEqual(["Review Needed"])
    expect(effects.cancel).toBe(false)
    expect(effects.holds).toEqual([
      {
        reason: "custom_rule",
        rule_id: "rule_01",
        rule_name: "hold orders with quantity over 4",
        detail: 'Held by import rule "hold orders with quantity over 4"',
      },
    ])

    const smallOrder = { ...facts, max_item_quantity: 4 }
    const none = applyImportRules([holdBigQuantities], smallOrder, { channel_id: CHANNEL.id })
    expect(none).toMatchObject({ matched_rule_ids: [], tags: [], holds: [], contributions: [] })
  })
})

describe("applyImportRules", () => {
  const ctx = { channel_id: CHANNEL.id }

  it("accumulates tags across rules, trimmed and de-duplicated ignoring case, first spelling kept", () => {
    const effects = applyImportRules(
      [
        rule("rule_b", { priority: 1, actions: [{ type: "add_tags", tags: ["vip", "Gift"] }] }),
        rule("rule_a", { priority: 5, actions: [{ type: "add_tags", tags: [" VIP ", "Review Needed"] }] }),
      ],
      facts,
      ctx
    )
    expect(effects.tags).toEqual(["VIP", "Review Needed", "Gift"])
    expect(effects.contributions.map((c) => c.tags)).toEqual([
      ["VIP", "Review Needed"],
      ["vip", "Gift"],
    ])
  })

  it("drops over-long or blank tags from unvalidated stored rules", () => {
    const stored: ApplicableImportRule = {
      id: "r",
      name: "r",
      priority: 0,
      enabled: true,
      conditions: { all: [] },
      actions: [{ type: "add_tags", tags: ["ok", " ", "x".repeat(65)] }],
    }
    expect(applyImportRules([stored], facts, ctx).tags).toEqual(["ok"])
  })

  it("adds one hold per matching rule, with its detail or a default naming the rule", () => {
    const effects = applyImportRules(
      [
        rule("rule_1", { name: "Big", actions: [{ type: "hold", detail: "check stock" }] }),
        rule("rule_2", { name: "Gift", actions: [{ type: "hold" }, { type: "add_tags", tags: ["g"] }] }),
        rule("rule_3", { name: "Nope", conditions: never, actions: [{ type: "hold" }] }),
      ],
      facts,
      ctx
    )
    expect(effects.holds).toEqual([
      { reason: "custom_rule", rule_id: "rule_1", rule_name: "Big", detail: "check stock" },
      { reason: "custom_rule", rule_id: "rule_2", rule_name: "Gift", detail: 'Held by import rule "Gift"' },
    ])
    expect(effects.superseded_holds).toEqual([])
  })

  it("lets cancel beat hold and reports the holds as superseded", () => {
    const effects = applyImportRules(
      [
        rule("rule_hold", { priority: 10, actions: [{ type: "hold" }] }),
        rule("rule_cancel", { priority: 1, actions: [{ type: "cancel" }] }),
      ],
      facts,
      ctx
    )
    expect(effects.cancel).toBe(true)
    expect(effects.cancelled_by).toEqual(["rule_cancel"])
    expect(effects.holds).toEqual([])
    expect(effects.superseded_holds.map((h) => h.rule_id)).toEqual(["rule_hold"])
    expect(effects.contributions[0].hold).toEqual({ detail: 'Held by import rule "rule_hold"', superseded: true })
    expect(effects.contributions[1].cancel).toBe(true)
  })

  it("gives the note and each metadata key to the highest priority", () => {
    const effects = applyImportRules(
      [
        rule("rule_low", {
          priority: 1,
          actions: [
            { type: "set_note", note: "low" },
            { type: "set_metadata", key: "segment", value: "low" },
            { type: "set_metadata", key: "only_low", value: 1 },
          ],
        }),
        rule("rule_high", {
          priority: 9,
          actions: [
            { type: "set_note", note: "high {{external_id}}" },
            { type: "set_metadata", key: "segment", value: "high" },
          ],
        }),
      ],
      facts,
      ctx
    )
    expect(effects.matched_rule_ids).toEqual(["rule_high", "rule_low"])
    expect(effects.note).toBe("high 1203")
    expect(effects.note_rule_id).toBe("rule_high")
    expect(effects.metadata).toEqual({ segment: "high", only_low: 1 })
    expect(effects.metadata_rule_ids).toEqual({ segment: "rule_high", only_low: "rule_low" })
    const low = effects.contributions[1]
    expect(low.note).toEqual({ value: "low", applied: false, overridden_by: "rule_high" })
    expect(low.metadata).toEqual([
      { key: "segment", value: "low", applied: false, overridden_by: "rule_high" },
      { key: "only_low", value: 1, applied: true, overridden_by: null },
    ])
  })

  it("breaks priority ties with the lowest id, whatever the input order", () => {
    const rules = [
      rule("rule_01HZB", { priority: 3, actions: [{ type: "set_note", note: "B" }, { type: "set_metadata", key: "k", value: "B" }] }),
      rule("rule_01HZA", { priority: 3, actions: [{ type: "set_note", note: "A" }, { type: "set_metadata", key: "k", value: "A" }] }),
    ]
    for (const order of [rules, [...rules].reverse()]) {
      const effects = applyImportRules(order, facts, ctx)
      expect(effects.matched_rule_ids).toEqual(["rule_01HZA", "rule_01HZB"])
      expect(effects.note).toBe("A")
      expect(effects.metadata.k).toBe("A")
    }
    expect(compareImportRules({ id: "b", priority: 1 }, { id: "a", priority: 2 })).toBeGreaterThan(0)
  })

  it("lets an empty rendered note give way to the next rule", () => {
    const effects = applyImportRules(
      [
        rule("rule_1", { priority: 2, actions: [{ type: "set_note", note: "{{notes}}" }] }),
        rule("rule_2", { priority: 1, actions: [{ type: "set_note", note: "fallback" }] }),
      ],
      facts,
      ctx
    )
    expect(effects.note).toBe("fallback")
    expect(effects.contributions[0].note).toEqual({ value: "", applied: false, overridden_by: null })
  })

  it("keeps one alert per rule and message", () => {
    const effects = applyImportRules(
      [
        rule("rule_1", {
          actions: [
            { type: "alert", message: "Big order" },
            { type: "alert", message: "Big order", severity: "error" },
            { type: "alert", message: "Check address", severity: "info" },
          ],
        }),
        rule("rule_2", { actions: [{ type: "alert", message: "Big order", severity: "error" }] }),
      ],
      facts,
      ctx
    )
    expect(effects.alerts).toEqual([
      { rule_id: "rule_1", rule_name: "rule_1", message: "Big order", severity: "warning" },
      { rule_id: "rule_1", rule_name: "rule_1", message: "Check address", severity: "info" },
      { rule_id: "rule_2", rule_name: "rule_2", message: "Big order", severity: "error" },
    ])
  })

  it("only applies rules scoped to the order's channel", () => {
    const effects = applyImportRules(
      [
        rule("rule_all", { actions: [{ type: "add_tags", tags: ["all"] }] }),
        rule("rule_mine", { channel_ids: ["chan_ebay", CHANNEL.id], actions: [{ type: "add_tags", tags: ["mine"] }] }),
        rule("rule_other", { channel_ids: ["chan_ebay"], actions: [{ type: "add_tags", tags: ["other"] }] }),
      ],
      facts,
      ctx
    )
    expect(effects.matched_rule_ids).toEqual(["rule_all", "rule_mine"])
    expect(effects.tags).toEqual(["all", "mine"])
  })

  it("never applies disabled rules", () => {
    const effects = applyImportRules(
      [
        rule("rule_off", { enabled: false, actions: [{ type: "cancel" }] }),
        rule("rule_on", { actions: [{ type: "add_tags", tags: ["on"] }] }),
      ],
      facts,
      ctx
    )
    expect(effects.matched_rule_ids).toEqual(["rule_on"])
    expect(effects.cancel).toBe(false)
  })

  it("records what each matching rule contributed, for the dry run", () => {
    const effects = applyImportRules(
      [
        rule("rule_1", {
          priority: 4,
          conditions: { any: [{ field: "skus", operator: "contains", value: "v789" }] },
          actions: [
            { type: "add_tags", tags: ["Vase"] },
            { type: "hold", detail: "fragile" },
            { type: "alert", message: "Vase order", severity: "info" },
          ],
        }),
        rule("rule_2", { conditions: never, actions: [{ type: "add_tags", tags: ["never"] }] }),
      ],
      facts,
      ctx
    )
    expect(effects.contributions).toEqual([
      {
        rule_id: "rule_1",
        rule_name: "rule_1",
        priority: 4,
        tags: ["Vase"],
        hold: { detail: "fragile", superseded: false },
        cancel: false,
        note: null,
        metadata: [],
        alerts: [{ message: "Vase order", severity: "info" }],
      },
    ])
  })

  it("ignores unknown actions and malformed conditions in stored rules", () => {
    const stored = {
      id: "r",
      name: "r",
      priority: 0,
      enabled: true,
      conditions: { all: [{ field: "totl", operator: "gt", value: 1 }] },
      actions: [{ type: "explode" }],
    } as unknown as ApplicableImportRule
    expect(applyImportRules([stored], facts, ctx).matched_rule_ids).toEqual([])
    const matching = { ...stored, conditions: { all: [] } } as unknown as ApplicableImportRule
    expect(applyImportRules([matching], facts, ctx)).toMatchObject({ matched_rule_ids: ["r"], tags: [], holds: [] })
  })
})

describe("renderNote", () => {
  it("fills fields, custom fields and lists; missing values become empty", () => {
    expect(
      renderNote(
        "#{{external_id}} {{ total }} {{currency_code}} {{skus}} {{is_international}} {{custom_fields.gift}}|{{notes}}|{{custom_fields.none}}|",
        facts
      )
    ).toBe("#1203 118.50 usd V789, B100 false yes|||")
  })

  it("leaves text without placeholders alone and cuts very long notes", () => {
    expect(renderNote("plain {text}", facts)).toBe("plain {text}")
    const long = renderNote("{{notes}}", { ...facts, notes: "n".repeat(5000) })
    expect(long).toHaveLength(2000)
  })
})
