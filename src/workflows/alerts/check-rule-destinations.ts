import type { MedusaContainer } from "@medusajs/framework/types"
import { CHANNEL_ALERT_MODULE } from "../../modules/channel-alert"
import type ChannelAlertModuleService from "../../modules/channel-alert/service"

/** The `actions[i].destination_ids` problems of a rule being saved: each id must name an existing alert destination. */
export async function missingAlertDestinations(
  container: Pick<MedusaContainer, "resolve">,
  actions: ReadonlyArray<{ type: string; destination_ids?: string[] }>
): Promise<string[]> {
  const wanted = [...new Set(actions.flatMap((a) => (a.type === "alert" ? a.destination_ids ?? [] : [])))]
  if (!wanted.length) return []
  const alerts: ChannelAlertModuleService = container.resolve(CHANNEL_ALERT_MODULE)
  const found = new Set((await alerts.listChannelAlertDestinations({ id: wanted }, { select: ["id"] })).map((d) => d.id))
  const problems: string[] = []
  actions.forEach((a, i) => {
    if (a.type !== "alert") return
    for (const id of a.destination_ids ?? []) if (!found.has(id)) problems.push(`actions[${i}].destination_ids: unknown alert destination "${id}"`)
  })
  return problems
}
