import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"
import { assertKnownChannelKeys } from "../../../modules/channel/settings-keys"

type Body = { provider?: string; settings?: Record<string, unknown> | null; credentials?: Record<string, unknown> | null }

/**
 * After the body validator of `POST /admin/channels` and `POST /admin/channels/:id`: refuses (400)
 * settings and credential keys that are neither common settings nor declared by the channel's
 * provider, naming each one. An update is checked against the keys it sends (stored settings are
 * merged in later by the workflow and not re-judged here).
 */
export async function refuseUnknownChannelKeys(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  try {
    const body = ((req as any).validatedBody ?? req.body ?? {}) as Body
    if (!body.settings && !body.credentials) return next()
    const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
    let providerId = body.provider
    if (!providerId && req.params?.id) {
      const [channel] = await channels.listChannels({ id: req.params.id }, { select: ["id", "provider"] })
      if (!channel) return next() // the route answers 404
      providerId = channel.provider
    }
    if (!providerId) return next()
    let provider
    try {
      provider = channels.getProvider(providerId)
    } catch {
      return next() // an unknown provider: the workflow names it
    }
    assertKnownChannelKeys(providerId, provider, { settings: body.settings, credentials: body.credentials })
    return next()
  } catch (e) {
    return next(e)
  }
}
