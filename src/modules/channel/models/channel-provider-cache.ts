import { model } from "@medusajs/framework/utils"

/** Provider state that must outlive a process, such as OAuth access tokens (stored encrypted). */
export const ChannelProviderCache = model.define("channel_provider_cache", {
  id: model.text().primaryKey(),
  value_encrypted: model.text(),
  expires_at: model.dateTime(),
})
