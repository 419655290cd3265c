import { MedusaError } from "@medusajs/framework/utils"
import type ChannelModuleService from "../../../../../modules/channel/service"
import { acceptsPushedOrders } from "../../../../../modules/channel/api-keys"

/** What the admin API shows of a key: never its token or hash. */
export function presentApiKey(key: Record<string, any>) {
  return { id: key.id, prefix: key.prefix, created_at: key.created_at, last_used_at: key.last_used_at ?? null, revoked_at: key.revoked_at ?? null }
}

/** The channel, if its provider takes pushed orders (keys are for those channels only). */
export async function pushChannel(channels: ChannelModuleService, id: string) {
  const channel = await channels.retrieveChannel(id)
  if (!acceptsPushedOrders(channels.getProvider(channel.provider))) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `Channel ${channel.name} (${channel.provider}) does not take orders over the API; API keys are for api channels`)
  }
  return channel
}
