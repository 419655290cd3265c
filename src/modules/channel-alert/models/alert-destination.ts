import { model } from "@medusajs/framework/utils"

/**
 * Where alerts go: an e-mail (Medusa's notification module, channel `email`), a webhook (Slack,
 * Teams or generic JSON, HMAC-signed when a secret is set) or the admin feed. The webhook secret is
 * stored encrypted and never returned.
 */
export const ChannelAlertDestination = model.define("channel_alert_destination", {
  id: model.id({ prefix: "chalds" }).primaryKey(),
  name: model.text(),
  kind: model.enum(["email", "webhook", "feed"]),
  enabled: model.boolean().default(true),
  /** E-mail addresses (kind `email`). */
  recipients: model.json().default([] as any),
  /** The notification template (kind `email`); `channel-orders-alert` when null. */
  template: model.text().nullable(),
  url: model.text().nullable(),
  format: model.enum(["slack", "teams", "generic"]).nullable(),
  secret_encrypted: model.text().nullable(),
  /** Operational alert codes routed here (`*` for all of them). Rule alerts name their destinations themselves. */
  operational_alerts: model.json().default([] as any),
})
