import { model } from "@medusajs/framework/utils"

/** One marketplace account or source. Credentials are stored encrypted and never returned. */
export const Channel = model
  .define("channel", {
    id: model.id({ prefix: "chan" }).primaryKey(),
    name: model.text(),
    provider: model.text(),
    enabled: model.boolean().default(true),
    credentials_encrypted: model.text().nullable(),
    settings: model.json().default({}),
    /** The marketplace account behind the channel (`<provider>:<identity>`), from its provider's `accountIdentity`. */
    account_key: model.text().nullable(),
  })
  .indexes([{ on: ["account_key"] }])
