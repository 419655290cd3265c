import { z } from "@medusajs/framework/zod"
import { ALERT_DESTINATION_KINDS, DELIVERY_STATES, OPERATIONAL_ALERT_CODES, WEBHOOK_FORMATS } from "../../../modules/channel-alert/policy"

const email = z.string().trim().toLowerCase().pipe(z.email({ error: "expects an e-mail address" }))
const recipients = z.array(email).max(50).transform((r) => Array.from(new Set(r)))
const operational = z
  .array(z.enum([...OPERATIONAL_ALERT_CODES, "*"]))
  .max(OPERATIONAL_ALERT_CODES.length + 1)
  .transform((r) => Array.from(new Set(r)))
const template = z.string().trim().min(1).max(200).regex(/^[A-Za-z0-9._:-]+$/, { message: "letters, digits, . _ : - only" })

/** A new destination. `secret` (webhook HMAC key) and `url` are write-only: never returned. */
export const PostAlertDestination = z.strictObject({
  name: z.string().trim().min(1).max(200),
  kind: z.enum(ALERT_DESTINATION_KINDS),
  enabled: z.boolean().optional(),
  recipients: recipients.optional(),
  template: template.nullish(),
  url: z.string().trim().min(1).max(2000).nullish(),
  format: z.enum(WEBHOOK_FORMATS).nullish(),
  secret: z.string().min(8, { message: "at least 8 characters" }).max(500).nullish(),
  operational_alerts: operational.optional(),
})
export type PostAlertDestinationType = z.infer<typeof PostAlertDestination>

/** A change; the kind cannot change. `url`/`secret` left out keep the stored ones, `secret: null` removes it. */
export const UpdateAlertDestination = PostAlertDestination.omit({ kind: true }).partial()
export type UpdateAlertDestinationType = z.infer<typeof UpdateAlertDestination>

export const PostAlertDestinationTest = z.strictObject({ message: z.string().trim().min(1).max(500).optional() })

const oneOrMany = <T extends z.ZodTypeAny>(t: T) => z.union([t, z.array(t)]).optional()

export const ListAlertDeliveriesQuery = z.strictObject({
  state: oneOrMany(z.enum(DELIVERY_STATES)),
  destination_id: oneOrMany(z.string()),
  kind: oneOrMany(z.enum(ALERT_DESTINATION_KINDS)),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})
export type ListAlertDeliveriesQueryType = z.infer<typeof ListAlertDeliveriesQuery>

export const ListRaisedAlertsQuery = z.strictObject({
  state: oneOrMany(z.enum(["open", "cleared"])),
  source: oneOrMany(z.enum(["rule", "operational", "test"])),
  code: oneOrMany(z.string()),
  channel_id: oneOrMany(z.string()),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})
export type ListRaisedAlertsQueryType = z.infer<typeof ListRaisedAlertsQuery>

export const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
})
