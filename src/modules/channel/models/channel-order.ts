import { model } from "@medusajs/framework/utils"
import { CHANNEL_ORDER_STATES } from "../types/states"

/** Every order a channel ever returned, staged with its raw payload before anything is decided. */

export const ChannelOrder = model
  .define("channel_order", {
    id: model.id({ prefix: "chord" }).primaryKey(),
    channel_id: model.text(),
    /**
     * The marketplace account the order belongs to (`<provider>:<identity>`, or `channel:<id>`). An
     * order is unique per account, so a re-created channel adopts what its deleted twin imported.
     */
    account_key: model.text().nullable(),
    external_id: model.text(),
    external_status: model.text().nullable(),
    external_updated_at: model.dateTime().nullable(),
    raw: model.json().nullable(),
    normalized: model.json().nullable(),
    action: model.text().nullable(),
    state: model.enum([...CHANNEL_ORDER_STATES]).default("pending"),
    error_code: model.text().nullable(),
    error_message: model.text().nullable(),
    /** The refusal's structured data (SKUs, shipping service, issues) the admin builds fixes from. */
    error_data: model.json().nullable(),
    attempts: model.number().default(0),
    order_id: model.text().nullable(),
    imported_at: model.dateTime().nullable(),
    rule_effects: model.json().nullable(),
    /** Medusa's total, tax and paid amount against the marketplace's, checked at import. */
    reconciliation: model.json().nullable(),
    reconciliation_status: model.text().nullable(),
    /** Who is importing it (state `importing`) and until when that claim holds. */
    import_owner: model.text().nullable(),
    import_lease_until: model.dateTime().nullable(),
  })
  .indexes([
    { on: ["channel_id", "external_id"], unique: true },
    { on: ["account_key", "external_id"], unique: true },
    { on: ["state"] },
    { on: ["order_id"] },
  ])
