import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CHANNEL_MODULE } from "../../../../../modules/channel"
import type ChannelModuleService from "../../../../../modules/channel/service"

/** Runs the provider's auth exchange and one cheap call. The message never carries secrets. */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const { provider, ctx } = await channels.getChannelContext(req.params.id)
  try {
    const result = await provider.testConnection(ctx)
    res.json({ ok: result.ok, message: result.message })
  } catch (e: any) {
    res.json({ ok: false, message: e?.message ?? "The connection check failed" })
  }
}
