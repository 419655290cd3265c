import { AbstractNotificationProviderService, MedusaError, ModuleProvider, Modules } from "@medusajs/framework/utils"
import type { ProviderSendNotificationDTO, ProviderSendNotificationResultsDTO } from "@medusajs/framework/types"
import { renderEmailText, DEFAULT_EMAIL_TEXT_TEMPLATE } from "../../src/modules/channel-alert/policy"

/** What the recorder saw: the notification, and the text the plugin's default template renders from its data. */
export type RecordedEmail = { to: string; template: string; data: Record<string, any>; rendered: string }

const SINK_KEY = "__channelOrdersRecordedEmails"
/** The e-mails sent through the dev store's `email` channel in this process (tests read them). */
export function recordedEmails(): RecordedEmail[] {
  const g = globalThis as any
  g[SINK_KEY] = g[SINK_KEY] ?? []
  return g[SINK_KEY]
}

/**
 * The dev store's e-mail provider: it sends nothing, it records (and logs) each e-mail with the
 * plugin's default alert text rendered from the template data, the way a provider that renders
 * locally would. `RECORDER_FAIL_TO=<address>` makes sends to that address fail (retry tests).
 */
class NotificationRecorderService extends AbstractNotificationProviderService {
  static identifier = "notification-recorder"
  protected logger_: any

  constructor({ logger }: { logger: any }) {
    super()
    this.logger_ = logger
  }

  async send(notification: ProviderSendNotificationDTO): Promise<ProviderSendNotificationResultsDTO> {
    if (process.env.RECORDER_FAIL_TO && notification.to === process.env.RECORDER_FAIL_TO) {
      throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `recorder refuses ${notification.to}`)
    }
    const data = (notification.data ?? {}) as Record<string, any>
    const rendered =
      typeof data.body === "string"
        ? data.body
        : renderEmailText(
            { id: String(data.delivery_id ?? ""), title: String(data.title ?? ""), message: String(data.message ?? ""), severity: data.severity ?? "info", count: Number(data.count ?? 1), lines: data.lines ?? [], first_at: data.first_at ?? new Date(), last_at: data.last_at ?? new Date() },
            DEFAULT_EMAIL_TEXT_TEMPLATE
          )
    recordedEmails().push({ to: notification.to, template: notification.template, data, rendered })
    this.logger_?.info?.(`E-mail (recorded, not sent) to ${notification.to} with template ${notification.template}:\n${rendered}`)
    return { id: `rec_${recordedEmails().length}` }
  }
}

export default ModuleProvider(Modules.NOTIFICATION, { services: [NotificationRecorderService] })
