import { model } from "@medusajs/framework/utils"

/** A condition → actions rule run on every order a status rule decided to import. */
export const ImportRule = model.define("import_rule", {
  id: model.id({ prefix: "irule" }).primaryKey(),
  name: model.text(),
  channel_ids: model.json().default([] as any),
  priority: model.number().default(0),
  enabled: model.boolean().default(true),
  conditions: model.json(),
  actions: model.json(),
})
