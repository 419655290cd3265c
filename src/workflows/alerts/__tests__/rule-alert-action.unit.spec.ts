import { CanonicalOrderSchema } from "../../../modules/channel/types/canonical-order"
import { applyImportRules } from "../../rules/apply"
import { buildRuleFacts } from "../../rules/facts"
import { parseImportRule } from "../../rules/schema"

const order = CanonicalOrderSchema.parse({
  external_id: "A-77",
  status: "paid",
  created_at: "2026-12-04T10:00:00Z",
  updated_at: "2026-12-04T10:00:00Z",
  currency_code: "eur",
  email: "buyer@example.com",
  shipping_address: { country_code: "FR" },
  items: [{ external_id: "1", sku: "CAP-M", title: "Cap", quantity: 2, unit_price: 20 }],
  shipping: { service_code: "Std", price: 5 },
})
const facts = buildRuleFacts(order, { id: "chan_1", provider: "sandbox" }, { store_country_code: "de" })

const parse = (action: Record<string, unknown>) => parseImportRule({ name: "r", conditions: { all: [] }, actions: [{ type: "alert", ...action }] })

describe("the alert action (issue 22)", () => {
  it("takes destinations and recipients; addresses are normalised, repeats dropped", () => {
    const r = parse({ message: "m", destination_ids: ["chalds_1", "chalds_1"], recipients: ["Sales@X.example", "sales@x.example"] })
    expect(r.success && r.rule.actions[0]).toEqual({ type: "alert", message: "m", severity: "warning", destination_ids: ["chalds_1"], recipients: ["sales@x.example"] })
  })

  it("refuses unknown keys, bad addresses and unknown placeholders", () => {
    expect(parse({ message: "m", channel: "slack" }).success).toBe(false)
    expect(parse({ message: "m", recipients: ["nope"] }).success).toBe(false)
    const bad = parse({ message: "Order {{totl}}" })
    expect(bad.success === false && bad.errors.join()).toContain('unknown placeholder "{{totl}}"')
  })

  it("an old alert (message and severity only) still parses the same", () => {
    const r = parse({ message: "International order", severity: "info" })
    expect(r.success && r.rule.actions[0]).toEqual({ type: "alert", message: "International order", severity: "info" })
  })

  it("the message is rendered with the order's fields; routing travels with the alert", () => {
    const r = parse({ message: "Order {{external_id}} to {{shipping_country}}: {{total}}", destination_ids: ["chalds_1"], recipients: ["a@x.example"] })
    if (!r.success) throw new Error(r.errors.join())
    const effects = applyImportRules([{ id: "irule_1", ...r.rule }], facts, { channel_id: "chan_1" })
    expect(effects.alerts).toEqual([
      { rule_id: "irule_1", rule_name: "r", message: "Order A-77 to fr: 45.00", severity: "warning", destination_ids: ["chalds_1"], recipients: ["a@x.example"] },
    ])
  })
})
