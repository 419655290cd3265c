import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CHANNEL_MODULE } from "../../../../../modules/channel"
import type ChannelModuleService from "../../../../../modules/channel/service"
import { scrubSecrets } from "../../../../../modules/channel/scrub"

/**
 * Runs the provider's auth exchange and one cheap call. The answer never carries secrets: whatever
 * the provider or the HTTP stack wrote, the message is scrubbed of the channel's credentials.
 * Credentials that cannot be decrypted, or a URL the host policy refuses, answer `ok: false` with
 * their own `code`.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  await channels.retrieveChannel(req.params.id) // 404 for an unknown channel
  let credentials: Record<string, unknown> = {}
  try {
    const { provider, ctx } = await channels.getChannelContext(req.params.id)
    credentials = ctx.credentials
    const result = await provider.testConnection(ctx)
    res.json({ ok: result.ok, message: scrubSecrets(result.message, credentials) })
  } catch (e: any) {
    res.json({
      ok: false,
      ...(typeof e?.code === "string" ? { code: e.code } : {}),
      message: scrubSecrets(e?.message ?? "The connection check failed", credentials),
    })
  }
}
