import { evaluateCondition, evaluateConditions, type ConditionLeaf, type ConditionNode } from "../conditions"
import type { RuleFacts } from "../facts"
import { RULE_OPERATORS } from "../operators"

function facts(overrides: Partial<RuleFacts> = {}): RuleFacts {
  return {
    external_id: "AMZ-1203",
    total: 120.5,
    currency_code: "eur",
    item_count: 2,
    max_item_quantity: 5,
    total_quantity: 6,
    skus: ["V789", "A100"],
    shipping_country: "de",
    is_international: true,
    shipping_service: "Express",
    email: "buyer@marketplace.example",
    notes: "Please gift wrap",
    custom_fields: { priority: "High", weight: 2.5, gift: true },
    channel_id: "chan_1",
    channel_provider: "amazon",
    external_status: "Unshipped",
    fulfilled_by_marketplace: false,
    ...overrides,
  }
}

const f = facts()
const check = (field: string, operator: ConditionLeaf["operator"], value?: ConditionLeaf["value"], on = f) =>
  evaluateCondition({ field, operator, value }, on)

describe("operators", () => {
  it("eq / neq", () => {
    expect(check("total", "eq", 120.5)).toBe(true)
    expect(check("total", "eq", 120)).toBe(false)
    expect(check("total", "neq", 120)).toBe(true)
    expect(check("total", "neq", 120.5)).toBe(false)
    expect(check("currency_code", "eq", "eur")).toBe(true)
    expect(check("currency_code", "neq", "usd")).toBe(true)
    expect(check("fulfilled_by_marketplace", "eq", false)).toBe(true)
    expect(check("fulfilled_by_marketplace", "eq", true)).toBe(false)
    expect(check("is_international", "neq", false)).toBe(true)
  })

  it("gt / gte / lt / lte", () => {
    expect(check("max_item_quantity", "gt", 4)).toBe(true)
    expect(check("max_item_quantity", "gt", 5)).toBe(false)
    expect(check("max_item_quantity", "gte", 5)).toBe(true)
    expect(check("max_item_quantity", "gte", 6)).toBe(false)
    expect(check("total", "lt", 121)).toBe(true)
    expect(check("total", "lt", 120.5)).toBe(false)
    expect(check("total", "lte", 120.5)).toBe(true)
    expect(check("total", "lte", 120.49)).toBe(false)
  })

  it("in / not_in", () => {
    expect(check("shipping_country", "in", ["fr", "de"])).toBe(true)
    expect(check("shipping_country", "in", ["fr", "it"])).toBe(false)
    expect(check("shipping_country", "not_in", ["fr", "it"])).toBe(true)
    expect(check("shipping_country", "not_in", ["fr", "DE"])).toBe(false)
    expect(check("item_count", "in", [1, 2])).toBe(true)
    expect(check("item_count", "not_in", [1, 2])).toBe(false)
  })

  it("contains / starts_with on text", () => {
    expect(check("notes", "contains", "gift")).toBe(true)
    expect(check("notes", "contains", "fragile")).toBe(false)
    expect(check("external_id", "starts_with", "amz-")).toBe(true)
    expect(check("external_id", "starts_with", "1203")).toBe(false)
  })

  it("exists, and exists with value false", () => {
    expect(check("email", "exists")).toBe(true)
    expect(check("email", "exists", true)).toBe(true)
    expect(check("email", "exists", false)).toBe(false)
    const noEmail = facts({ email: null })
    expect(check("email", "exists", undefined, noEmail)).toBe(false)
    expect(check("email", "exists", false, noEmail)).toBe(true)
    expect(check("skus", "exists", undefined, facts({ skus: [] }))).toBe(false)
  })

  it("matches", () => {
    expect(check("email", "matches", "@marketplace\\.example$")).toBe(true)
    expect(check("email", "matches", "^seller@")).toBe(false)
    expect(check("shipping_service", "matches", "^(express|priority)$")).toBe(true)
  })

  it("covers every operator in the catalogue", () => {
    const tested = new Set(["eq", "neq", "gt", "gte", "lt", "lte", "in", "not_in", "contains", "starts_with", "exists", "matches"])
    expect(RULE_OPERATORS.filter((op) => !tested.has(op))).toEqual([])
  })
})

describe("SKU lists", () => {
  it("skus: at least one SKU satisfies the operator", () => {
    expect(check("skus", "contains", "v789")).toBe(true)
    expect(check("skus", "contains", "V78")).toBe(false) // contains means "has an element equal to"
    expect(check("skus", "in", ["X1", "A100"])).toBe(true)
    expect(check("skus", "in", ["X1"])).toBe(false)
    expect(check("skus", "not_in", ["X1"])).toBe(true)
    expect(check("skus", "not_in", ["X1", "a100"])).toBe(false)
    expect(check("skus", "starts_with", "A1")).toBe(true)
    expect(check("skus", "matches", "^V\\d{3}$")).toBe(true)
    expect(check("skus", "matches", "^Z")).toBe(false)
  })

  it("skus.all: every SKU satisfies the operator", () => {
    expect(check("skus.all", "in", ["V789", "A100", "X"])).toBe(true)
    expect(check("skus.all", "in", ["V789"])).toBe(false)
    expect(check("skus.all", "not_in", ["V789"])).toBe(true) // not every SKU is in the list
    expect(check("skus.all", "starts_with", "V")).toBe(false)
    expect(check("skus.all", "matches", "^[A-Z]\\d{3}$")).toBe(true)
    expect(check("skus.all", "contains", "V789", facts({ skus: ["v789"] }))).toBe(true)
  })

  it("an order without SKUs satisfies neither reading", () => {
    const none = facts({ skus: [] })
    expect(check("skus", "contains", "V789", none)).toBe(false)
    expect(check("skus.all", "in", ["V789"], none)).toBe(false)
    expect(check("skus.all", "not_in", ["V789"], none)).toBe(true)
  })
})

describe("case-insensitivity", () => {
  it("ignores case for eq, in, contains, starts_with and matches", () => {
    expect(check("currency_code", "eq", "EUR")).toBe(true)
    expect(check("external_status", "in", ["unshipped"])).toBe(true)
    expect(check("notes", "contains", "GIFT WRAP")).toBe(true)
    expect(check("shipping_service", "starts_with", "EXP")).toBe(true)
    expect(check("external_status", "matches", "^UNSHIPPED$")).toBe(true)
    expect(check("custom_fields.priority", "eq", "high")).toBe(true)
  })
})

describe("missing fields", () => {
  const bare = facts({ email: null, notes: null, shipping_country: null, is_international: null, custom_fields: {} })

  it("are false for comparisons and true for neq / not_in", () => {
    expect(check("email", "eq", "x@y.z", bare)).toBe(false)
    expect(check("email", "contains", "x", bare)).toBe(false)
    expect(check("notes", "starts_with", "x", bare)).toBe(false)
    expect(check("notes", "matches", "x", bare)).toBe(false)
    expect(check("shipping_country", "in", ["de"], bare)).toBe(false)
    expect(check("is_international", "eq", true, bare)).toBe(false)
    expect(check("is_international", "eq", false, bare)).toBe(false)
    expect(check("custom_fields.weight", "gt", 1, bare)).toBe(false)
    expect(check("email", "neq", "x@y.z", bare)).toBe(true)
    expect(check("shipping_country", "not_in", ["de"], bare)).toBe(true)
    expect(check("custom_fields.priority", "neq", "high", bare)).toBe(true)
  })

  it("never throw, even on a facts object missing keys", () => {
    const broken = { custom_fields: undefined } as unknown as RuleFacts
    expect(check("total", "gt", 1, broken)).toBe(false)
    expect(check("custom_fields.x", "eq", "y", broken)).toBe(false)
    expect(check("skus", "contains", "y", broken)).toBe(false)
  })
})

describe("type mismatches", () => {
  it("are false, never exceptions, for every operator", () => {
    expect(check("total", "eq", "120.5")).toBe(false)
    expect(check("total", "neq", "120.5")).toBe(false)
    expect(check("currency_code", "gt", 3)).toBe(false)
    expect(check("total", "in", ["120.5"])).toBe(false)
    expect(check("total", "not_in", ["120.5"])).toBe(false)
    expect(check("custom_fields.priority", "gt", 1)).toBe(false)
    expect(check("custom_fields.weight", "eq", "2.5")).toBe(false)
    expect(check("custom_fields.weight", "contains", "2")).toBe(false)
    expect(check("custom_fields.gift", "eq", "true")).toBe(false)
    expect(check("email", "matches", 5 as never)).toBe(false)
  })

  it("compares custom fields by their own type", () => {
    expect(check("custom_fields.weight", "gte", 2.5)).toBe(true)
    expect(check("custom_fields.gift", "eq", true)).toBe(true)
    expect(check("custom_fields.priority", "in", ["low", 1, "high"])).toBe(true)
    expect(check("custom_fields.weight", "in", ["low", 2.5])).toBe(true)
  })

  it("treats unknown fields, unknown operators and unsupported pairs as false", () => {
    expect(check("totl", "gt", 1)).toBe(false)
    expect(check("totl", "neq", 1)).toBe(false)
    expect(check("total", "bigger" as never, 1)).toBe(false)
    expect(check("skus", "eq", "V789")).toBe(false)
    expect(check("email", "matches", "(a+)+$")).toBe(false) // refused pattern never runs
  })
})

describe("groups", () => {
  it("all / any", () => {
    const yes = { field: "total", operator: "gt", value: 100 } as const
    const no = { field: "total", operator: "lt", value: 100 } as const
    expect(evaluateConditions({ all: [yes, yes] }, f)).toBe(true)
    expect(evaluateConditions({ all: [yes, no] }, f)).toBe(false)
    expect(evaluateConditions({ any: [no, yes] }, f)).toBe(true)
    expect(evaluateConditions({ any: [no, no] }, f)).toBe(false)
    expect(evaluateConditions({ all: [] }, f)).toBe(true)
    expect(evaluateConditions({ any: [] }, f)).toBe(false)
  })

  it("nest at least three levels", () => {
    // international AND (express OR (total > 100 AND any SKU starts with V))
    const tree = (country: string): ConditionNode => ({
      all: [
        { field: "shipping_country", operator: "eq", value: country },
        {
          any: [
            { field: "shipping_service", operator: "eq", value: "priority" },
            {
              all: [
                { field: "total", operator: "gt", value: 100 },
                { any: [{ field: "skus", operator: "starts_with", value: "V" }] },
              ],
            },
          ],
        },
      ],
    })
    expect(evaluateConditions(tree("de"), f)).toBe(true)
    expect(evaluateConditions(tree("fr"), f)).toBe(false)
    expect(evaluateConditions(tree("de"), facts({ skus: ["A100"] }))).toBe(false)
    expect(evaluateConditions(tree("de"), facts({ skus: ["A100"], shipping_service: "Priority" }))).toBe(true)
  })

  it("treats malformed nodes as false", () => {
    expect(evaluateConditions({ all: [{}] } as never, f)).toBe(false)
    expect(evaluateConditions({ all: [], any: [] } as never, f)).toBe(false)
    expect(evaluateConditions(null as never, f)).toBe(false)
    let deep: ConditionNode = { all: [] }
    for (let i = 0; i < 100; i++) deep = { all: [deep] }
    expect(evaluateConditions(deep, f)).toBe(false)
  })
})
