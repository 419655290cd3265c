import type { ChannelOrderErrorCode, ChannelOrderErrorData } from "../../modules/channel/errors"
import type { ChannelSettings } from "../../modules/channel/settings"
import type { CanonicalOrder } from "../../modules/channel/types/canonical-order"
import type { IChannelProvider, StatusAction } from "../../modules/channel/types/provider"
import { normalizeChannelOrder } from "./normalize-channel-order"

/**
 * What happens to one staged channel order, decided from its row and the channel's rules alone:
 * - `follow`: already imported; the marketplace changed it, so its Medusa order follows the change;
 * - `skip`: already imported and unchanged (or its new payload cannot be read: nothing to follow);
 * - `ignore`: "Retry: No" earlier, and nobody asked to look again;
 * - `wait`: the status is not imported (`waiting` with Retry on, `ignored` with it off);
 * - `fail`: the payload cannot be read, with a code and the fields the admin fixes it from;
 * - `import`: import it with this action.
 * The executor (decideChannelOrders) carries the decision out; this function writes nothing.
 */
export type ChannelOrderDecision =
  | { kind: "follow"; order: CanonicalOrder }
  | { kind: "skip" }
  | { kind: "ignore" }
  | { kind: "wait"; state: "waiting" | "ignored"; order: CanonicalOrder; message: string }
  | { kind: "fail"; code: ChannelOrderErrorCode; message: string; data: ChannelOrderErrorData }
  | { kind: "import"; action: Exclude<StatusAction, "do_not_import">; order: CanonicalOrder }

export type ChannelOrderDecisionContext = {
  provider: Pick<IChannelProvider, "normalize">
  settings: ChannelSettings
  /** external_status → rule; a status without one behaves as do_not_import with retry on. */
  rules: Map<string, { action: StatusAction; retry: boolean }>
  /** An admin's retry: an ignored order is decided again. */
  force?: boolean
}

export function decideChannelOrder(
  staged: { row: { state: string; order_id: string | null; raw: unknown }; changed?: boolean },
  context: ChannelOrderDecisionContext
): ChannelOrderDecision {
  const { row, changed } = staged
  if (row.state === "imported" || row.order_id) {
    // Already imported: follow what changed on the marketplace, never import again.
    if (!changed || !row.order_id) return { kind: "skip" }
    const parsed = normalizeChannelOrder(context.provider as IChannelProvider, row.raw, context.settings)
    return parsed.success ? { kind: "follow", order: parsed.order } : { kind: "skip" }
  }
  // "Retry: No" means the channel never looks at this order again, unless an admin asks.
  if (row.state === "ignored" && !context.force) return { kind: "ignore" }

  const parsed = normalizeChannelOrder(context.provider as IChannelProvider, row.raw, context.settings)
  if (!parsed.success) {
    return {
      kind: "fail",
      code: "invalid_payload",
      message: parsed.mapper_error ? `The marketplace payload could not be read: ${parsed.message}` : `The marketplace payload is not a valid order: ${parsed.message}`,
      data: { ...(parsed.data ?? {}), mapper_error: parsed.mapper_error, issues: parsed.issues },
    }
  }
  const order = parsed.order
  const rule = context.rules.get(order.status) ?? { action: "do_not_import" as const, retry: true }
  // Orders the marketplace fulfils itself follow the channel's own action, whatever their status rule says.
  const action: StatusAction = order.fulfilled_by_marketplace && rule.action !== "do_not_import" ? context.settings.marketplace_fulfilled_action : rule.action
  if (action === "do_not_import") {
    return {
      kind: "wait",
      state: rule.retry ? "waiting" : "ignored",
      order,
      message: rule.retry
        ? `Status "${order.status}" is not imported; it will be imported if it changes to a status that is`
        : `Status "${order.status}" is not imported and not retried`,
    }
  }
  return { kind: "import", action: action as Exclude<StatusAction, "do_not_import">, order }
}
