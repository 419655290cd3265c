import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../../../../modules/channel"
import type ChannelModuleService from "../../../../../modules/channel/service"
import { runChannelImport } from "../../../../../workflows/import-orders/run-channel-import"

/**
 * Pulls the channel now and answers with the run summary (409 while another pull runs, 400 if disabled).
 * With `?wait=false` (or body `{ "wait": false }`) it answers 202 with the run as soon as the run row
 * exists, and the run goes on in the background: the admin polls the run's counts (issue 20).
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const body = (req.body ?? {}) as Record<string, unknown>
  const noWait = req.query.wait === "false" || body.wait === false
  if (!noWait) {
    const run = await runChannelImport(req.scope, { channel_id: req.params.id, trigger: "manual" })
    return res.json({ run })
  }
  const channels: ChannelModuleService = req.scope.resolve(CHANNEL_MODULE)
  const logger = req.scope.resolve(ContainerRegistrationKeys.LOGGER)
  const since = new Date(Date.now() - 1000)
  const running = runChannelImport(req.scope, { channel_id: req.params.id, trigger: "manual" })
  running.catch((e) => logger.warn(`Background import of channel ${req.params.id}: ${e?.message ?? e}`))
  const outcome = await Promise.race([
    running.then((run) => ({ done: run })),
    (async () => {
      // The run row is the first thing the run writes; wait for it (a refusal, 409 or 400, comes first).
      for (let i = 0; i < 50; i++) {
        await new Promise((r) => setTimeout(r, 100))
        const [run] = await channels.listChannelImportRuns(
          { channel_id: req.params.id, status: "running", trigger: "manual", started_at: { $gte: since } },
          { order: { started_at: "DESC" }, take: 1 }
        )
        if (run) return { started: run }
      }
      return { started: null }
    })(),
  ])
  if ("done" in outcome) return res.json({ run: outcome.done })
  if (!outcome.started) return res.json({ run: await running })
  res.status(202).json({ run: outcome.started })
}
