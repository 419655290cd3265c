import { model } from "@medusajs/framework/utils"

/** The sandbox marketplace's own order store: what its "API" returns to pulls. */
export const SandboxOrder = model
  .define("channel_sandbox_order", {
    id: model.id({ prefix: "sbord" }).primaryKey(),
    channel_id: model.text(),
    external_id: model.text(),
    payload: model.json(),
    external_updated_at: model.dateTime(),
    sequence: model.autoincrement(),
  })
  .indexes([
    { on: ["channel_id", "external_id"], unique: true },
    { on: ["channel_id", "external_updated_at"] },
  ])
