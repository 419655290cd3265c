import { CanonicalOrderSchema } from "../../../modules/channel/types/canonical-order"
import { applyImportRules, type ApplicableImportRule } from "../apply"
import { buildRuleFacts } from "../facts"
import { parseImportRule } from "../schema"
import { RESERVED_ORDER_METADATA_KEYS } from "../reserved-metadata"
import { applyRuleEffects } from "../../import-orders/apply-import-rules"
import { planFor, type PreparedImport } from "../../import-orders/prepare-imports"

const order = CanonicalOrderSchema.parse({
  external_id: "1203",
  status: "Unshipped",
  created_at: "2024-05-01T10:00:00Z",
  updated_at: "2024-05-01T10:00:00Z",
  currency_code: "usd",
  email: "buyer@example.com",
  shipping_address: { country_code: "US" },
  items: [{ external_id: "1", sku: "V789", title: "Vintage vase", quantity: 1, unit_price: 20 }],
  shipping: { service_code: "Std", price: 5 },
})
const facts = buildRuleFacts(order, { id: "chan_1", provider: "sandbox" }, { store_country_code: "us" })

const ruleWith = (key: string) => ({ name: "r", conditions: { all: [] }, actions: [{ type: "set_metadata", key, value: "hijacked" }] })

describe("reserved order metadata keys", () => {
  it("a rule that sets one of the plugin's own metadata keys is refused when saved, naming the key", () => {
    for (const key of ["channel_order_id", "external_id", "channel_id", "external_status", " Channel_Order_Id "]) {
      const parsed = parseImportRule(ruleWith(key))
      expect(parsed.success).toBe(false)
      if (!parsed.success) {
        expect(parsed.errors).toHaveLength(1)
        expect(parsed.errors[0]).toContain(`actions[0].key: "${key.trim()}" is a metadata key the plugin writes itself`)
      }
    }
    expect(parseImportRule(ruleWith("segment")).success).toBe(true)
  })

  it("covers every key the import writes on the order's metadata", () => {
    // prepare-imports.ts builds the order's metadata; each key written there is reserved.
    const source = require("fs").readFileSync(require("path").join(__dirname, "..", "..", "import-orders", "prepare-imports.ts"), "utf8") as string
    const block = source.slice(source.indexOf("      metadata: {\n        channel_id"), source.indexOf("      },\n    }\n\n    return {"))
    const written = [...block.matchAll(/(?:^\s+|\{ )([a-z_]+):/gm)].map((m) => m[1]).filter((k) => k !== "metadata")
    expect(written).toEqual(expect.arrayContaining(["channel_id", "external_id", "channel_order_id", "external_status"]))
    expect(written.filter((k) => !(RESERVED_ORDER_METADATA_KEYS as readonly string[]).includes(k))).toEqual([])
  })

  it("a rule stored before the check cannot overwrite them at import either", () => {
    // Stored as-is (bypassing the schema), as a rule saved by an older version would be.
    const stored: ApplicableImportRule = {
      id: "rule_old",
      name: "old",
      priority: 0,
      enabled: true,
      conditions: { all: [] },
      actions: [
        { type: "set_metadata", key: "channel_order_id", value: "hijacked" },
        { type: "set_metadata", key: "external_id", value: "hijacked" },
        { type: "set_metadata", key: "segment", value: "vip" },
      ] as any,
    }
    const effects = applyImportRules([stored], facts, { channel_id: "chan_1" })
    expect(effects.metadata).toEqual({ segment: "vip" })

    const prepared = {
      action: "import_as_valid",
      plan: planFor("import_as_valid", { payment_status: "captured" } as any),
      tags: [],
      holds: [],
      lines: [],
      shipped_elsewhere: [],
      order_input: { metadata: { channel_order_id: "chord_1", external_id: "1203", channel_id: "chan_1" } },
    } as unknown as PreparedImport
    const forged = { ...effects, metadata: { ...effects.metadata, channel_order_id: "hijacked", external_id: "hijacked" } }
    const out = applyRuleEffects(prepared, forged, { payment_status: "captured" } as any)
    expect(out.order_input.metadata).toEqual({ channel_order_id: "chord_1", external_id: "1203", channel_id: "chan_1", segment: "vip" })
  })
})
