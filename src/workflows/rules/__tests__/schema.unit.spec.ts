import { IMPORT_RULE_CATALOGUE } from "../catalogue"
import { parseImportRule } from "../schema"

const valid = {
  name: "Hold big quantities",
  conditions: { all: [{ field: "max_item_quantity", operator: "gt", value: 4 }] },
  actions: [{ type: "hold" }],
}

function errorsOf(input: unknown): string[] {
  const result = parseImportRule(input)
  if (result.success) {
    throw new Error("expected the rule to be refused")
  }
  return result.errors
}

function ruleOf(input: unknown) {
  const result = parseImportRule(input)
  if (!result.success) {
    throw new Error(result.errors.join("\n"))
  }
  return result.rule
}

describe("parseImportRule", () => {
  it("accepts a valid rule and fills defaults", () => {
    expect(ruleOf(valid)).toEqual({
      name: "Hold big quantities",
      channel_ids: [],
      priority: 0,
      enabled: true,
      conditions: { all: [{ field: "max_item_quantity", operator: "gt", value: 4 }] },
      actions: [{ type: "hold" }],
    })
  })

  it("accepts every action, field family and operator family", () => {
    const rule = ruleOf({
      name: " All of it ",
      channel_ids: ["chan_1", "chan_1", "chan_2"],
      priority: 10,
      enabled: false,
      conditions: {
        any: [
          { field: "skus", operator: "in", value: [" V789 ", "A100"] },
          { field: "skus.all", operator: "matches", value: "^V\\d+$" },
          { field: "custom_fields.gift wrap", operator: "eq", value: true },
          { field: "custom_fields.priority", operator: "in", value: ["high", 1] },
          { field: "email", operator: "exists", value: false },
          { field: "is_international", operator: "eq", value: true },
          { all: [{ any: [{ field: "total", operator: "gte", value: 100 }] }] },
        ],
      },
      actions: [
        { type: "add_tags", tags: [" VIP ", "vip", "Review Needed"] },
        { type: "hold", detail: "check stock" },
        { type: "cancel" },
        { type: "set_note", note: "Order {{external_id}} ({{ total }}), gift: {{custom_fields.gift wrap}}" },
        { type: "set_metadata", key: "segment", value: "vip" },
        { type: "set_metadata", key: "score", value: 3 },
        { type: "alert", message: "Big order" },
        { type: "alert", message: "Really big", severity: "error" },
      ],
    })
    expect(rule.name).toBe("All of it")
    expect(rule.channel_ids).toEqual(["chan_1", "chan_2"])
    expect(rule.actions[0]).toEqual({ type: "add_tags", tags: ["VIP", "Review Needed"] })
    expect(rule.actions[6]).toEqual({ type: "alert", message: "Big order", severity: "warning" })
    expect("any" in rule.conditions && rule.conditions.any[0]).toEqual({ field: "skus", operator: "in", value: ["V789", "A100"] })
  })

  it("names unknown fields and operators with their path", () => {
    const errors = errorsOf({
      ...valid,
      conditions: {
        all: [
          { field: "total", operator: "gt", value: 1 },
          { field: "totl", operator: "gt", value: 1 },
          { any: [{ field: "total", operator: "bigger", value: 1 }] },
        ],
      },
    })
    expect(errors).toEqual([
      'conditions.all[1].field: unknown field "totl"',
      'conditions.all[2].any[0].operator: unknown operator "bigger"',
    ])
  })

  it("refuses values of the wrong type for the field and operator", () => {
    const errors = errorsOf({
      ...valid,
      conditions: {
        all: [
          { field: "total", operator: "gt", value: "100" },
          { field: "currency_code", operator: "eq", value: 3 },
          { field: "fulfilled_by_marketplace", operator: "eq", value: "yes" },
          { field: "shipping_country", operator: "in", value: "fr" },
          { field: "item_count", operator: "in", value: [1, "2"] },
          { field: "email", operator: "exists", value: "yes" },
          { field: "custom_fields.size", operator: "gt", value: "L" },
          { field: "notes", operator: "contains", value: "   " },
        ],
      },
    })
    expect(errors).toEqual([
      'conditions.all[0].value: field "total" with operator "gt" expects a number, got string "100"',
      'conditions.all[1].value: field "currency_code" with operator "eq" expects text, got number 3',
      'conditions.all[2].value: field "fulfilled_by_marketplace" with operator "eq" expects true or false, got string "yes"',
      'conditions.all[3].value: field "shipping_country" with operator "in" expects a non-empty list of texts, got string "fr"',
      'conditions.all[4].value: field "item_count" with operator "in" expects a list of numbers, got string "2" in it',
      'conditions.all[5].value: field "email" with operator "exists" expects true, false or no value, got string "yes"',
      'conditions.all[6].value: field "custom_fields.size" with operator "gt" expects a number, got string "L"',
      'conditions.all[7].value: field "notes" with operator "contains" expects non-empty text',
    ])
  })

  it("refuses operators that do not apply to the field's type", () => {
    const errors = errorsOf({
      ...valid,
      conditions: {
        all: [
          { field: "email", operator: "gt", value: 1 },
          { field: "skus", operator: "eq", value: "V789" },
          { field: "fulfilled_by_marketplace", operator: "in", value: [true] },
        ],
      },
    })
    expect(errors[0]).toBe(
      'conditions.all[0].operator: operator "gt" does not apply to field "email" (string); use one of eq, neq, in, not_in, contains, starts_with, exists, matches'
    )
    expect(errors[1]).toMatch(/^conditions\.all\[1\]\.operator: operator "eq" does not apply to field "skus"/)
    expect(errors[2]).toMatch(/^conditions\.all\[2\]\.operator: operator "in" does not apply/)
  })

  it("refuses catastrophic and invalid patterns when saving", () => {
    const errors = errorsOf({
      ...valid,
      conditions: {
        all: [
          { field: "email", operator: "matches", value: "(a+)+$" },
          { field: "notes", operator: "matches", value: "x".repeat(201) },
          { field: "notes", operator: "matches", value: "([" },
        ],
      },
    })
    expect(errors).toHaveLength(3)
    expect(errors[0]).toMatch(/^conditions\.all\[0\]\.value: .*refused pattern: pattern repeats a group/)
    expect(errors[1]).toMatch(/^conditions\.all\[1\]\.value: .*too long/)
    expect(errors[2]).toMatch(/^conditions\.all\[2\]\.value: .*invalid pattern/)
  })

  it("names unknown placeholders in a note", () => {
    const errors = errorsOf({
      ...valid,
      actions: [{ type: "set_note", note: "{{external_id}} {{totl}} {{ skus.all }} {{custom_fields.ok}} {{}}" }],
    })
    expect(errors).toEqual([
      'actions[0].note: unknown placeholder "{{totl}}"',
      'actions[0].note: unknown placeholder "{{skus.all}}"',
      'actions[0].note: unknown placeholder "{{}}"',
    ])
  })

  it("refuses malformed condition trees", () => {
    expect(errorsOf({ ...valid, conditions: undefined })).toEqual([
      "conditions: required: use {all: []} to match every order",
    ])
    expect(errorsOf({ ...valid, conditions: { field: "total", operator: "gt", value: 1 } })).toEqual([
      "conditions: the top level must be {all: [...]} or {any: [...]}",
    ])
    expect(errorsOf({ ...valid, conditions: { all: [], any: [] } })).toEqual([
      "conditions: use either all or any in one group, not both",
    ])
    expect(errorsOf({ ...valid, conditions: { any: [] } })).toEqual([
      "conditions.any: an any-group with no condition never matches",
    ])
    expect(
      errorsOf({ ...valid, conditions: { all: [{ field: "total", operater: "gt", value: 1 }, 5] } })
    ).toEqual([
      'conditions.all[0].operater: unexpected key "operater"',
      "conditions.all[0].operator: required: one of eq, neq, gt, gte, lt, lte, in, not_in, contains, starts_with, exists, matches",
      "conditions.all[1]: expected {all: [...]}, {any: [...]} or {field, operator, value}",
    ])
    let deep: unknown = { all: [] }
    for (let i = 0; i < 9; i++) deep = { all: [deep] }
    expect(errorsOf({ ...valid, conditions: deep })[0]).toMatch(/nested more than 8 levels/)
  })

  it("refuses invalid custom field names", () => {
    expect(errorsOf({ ...valid, conditions: { all: [{ field: "custom_fields.", operator: "exists" }] } })[0]).toMatch(
      /^conditions\.all\[0\]\.field: invalid custom field name/
    )
  })

  it("validates actions", () => {
    const errors = errorsOf({
      name: "",
      priority: 1.5,
      conditions: { all: [] },
      actions: [
        { type: "tag" },
        { type: "add_tags", tags: ["x".repeat(65), " "] },
        { type: "alert", message: "m", severity: "fatal" },
        { type: "hold" },
        { type: "hold", detail: "again" },
        { type: "set_metadata", key: "k", value: 1 },
        { type: "set_metadata", key: "k", value: 2 },
        { type: "cancel", reason: "x" },
      ],
    })
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^name: /),
        expect.stringMatching(/^priority: /),
        'actions[0].type: unknown action type "tag" (expected one of add_tags, hold, cancel, set_note, set_metadata, alert)',
        "actions[1].tags[0]: a tag has at most 64 characters",
        "actions[1].tags[1]: a tag must not be empty",
        expect.stringMatching(/^actions\[2\]\.severity: /),
        'actions[7]: Unrecognized key: "reason"',
      ])
    )
    expect(errorsOf({ ...valid, actions: [] })).toEqual(["actions: a rule needs at least one action"])
    expect(
      errorsOf({
        ...valid,
        actions: [{ type: "hold" }, { type: "hold" }, { type: "set_metadata", key: "k", value: 1 }, { type: "set_metadata", key: "k", value: 2 }],
      })
    ).toEqual(['actions[1]: "hold" appears twice in this rule', 'actions[3]: metadata key "k" appears twice in this rule'])
  })

  it("refuses unknown top-level keys and non-objects", () => {
    expect(errorsOf({ ...valid, prio: 1 })).toEqual(['rule: Unrecognized key: "prio"'])
    expect(errorsOf(null)[0]).toMatch(/^rule: /)
  })
})

describe("IMPORT_RULE_CATALOGUE", () => {
  it("types every field and lists the operators it accepts", () => {
    const keys = IMPORT_RULE_CATALOGUE.fields.map((f) => f.key)
    expect(keys).toEqual(
      expect.arrayContaining([
        "total",
        "currency_code",
        "item_count",
        "max_item_quantity",
        "total_quantity",
        "skus",
        "skus.all",
        "shipping_country",
        "is_international",
        "shipping_service",
        "email",
        "notes",
        "channel_id",
        "channel_provider",
        "external_status",
        "fulfilled_by_marketplace",
      ])
    )
    for (const field of IMPORT_RULE_CATALOGUE.fields) {
      expect(field.label).toBeTruthy()
      expect(field.description).toBeTruthy()
      expect(field.operators.length).toBeGreaterThan(0)
    }
    const total = IMPORT_RULE_CATALOGUE.fields.find((f) => f.key === "total")
    expect(total?.operators).toContainEqual({ key: "gt", value: "number" })
    expect(IMPORT_RULE_CATALOGUE.custom_field.type).toBe("any")
  })
})
