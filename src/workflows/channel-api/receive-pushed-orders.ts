import type { MedusaContainer } from "@medusajs/framework/types"
import { CHANNEL_MODULE } from "../../modules/channel"
import type ChannelModuleService from "../../modules/channel/service"
import { requestHash } from "../../modules/channel/api-keys"
import { identifyRaw, stagePage } from "../import-orders/run-channel-import"
import { decideChannelOrders, loadDecideContext } from "../import-orders/decide-channel-orders"

export const PUSH_RESULTS = ["imported", "waiting", "ignored", "failed", "duplicate"] as const
export type PushResult = (typeof PUSH_RESULTS)[number]

export type PushedOrderResult = {
  external_id: string | null
  result: PushResult
  channel_order_id: string | null
  order_id: string | null
  error_code: string | null
  error_message: string | null
}

type StoredRow = { id: string; external_id: string; state: string; order_id: string | null; error_code: string | null; error_message: string | null }

/** A channel order's state as the API reports it (`duplicate` is decided by the caller). */
export function resultOf(row: Pick<StoredRow, "state" | "order_id">): Exclude<PushResult, "duplicate"> {
  if (row.order_id || row.state === "imported") return "imported"
  if (row.state === "waiting" || row.state === "ignored" || row.state === "failed") return row.state
  // `pending` / `importing`: another import of this order (a concurrent request or a pull's
  // recovery) holds it right now; it ends imported or failed, which GET /channel-api/orders/:id shows.
  return "waiting"
}

/**
 * Orders pushed to `POST /channel-api/orders`, taken through exactly the path a pulled page takes:
 * `identifyRaw` → `stagePage` (raw payloads upserted before anything is decided, one statement) →
 * `decideChannelOrders` (status rules, import rules, holds, tags, duplicate protection, the batched
 * or per-order import, the problems list), synchronously, for these rows only. Answers one result
 * per order sent, in the order sent.
 *
 * - An order whose payload equals the one last received under its external id is not decided again:
 *   `duplicate`, with the outcome it has now.
 * - A changed payload of a known order is an update, as a pull sees a changed order: a new status
 *   may import a waiting order, and an imported order follows the change (status sync: cancellation,
 *   shipment, address) and is never imported twice.
 *
 * Concurrency. A push does not take the channel's run lock (`channel-import:<id>`, the lock behind
 * `ImportAlreadyRunningError`): a pull may hold it for minutes and a reseller's request cannot wait
 * that long, and an `api` channel's pull lists nothing, so the only thing a pull and a push can both
 * touch is a channel order being recovered or decided. That is already exactly-once without the run
 * lock: deciding takes the per-order lock (`channel-order:<id>`), `beginChannelOrderImports` gives a
 * row to one owner with a lease (a pull's recovery only takes rows whose lease ran out), and the
 * claim links a Medusa order only where none is linked (`order_id is null`), so a loser compensates.
 * Two concurrent pushes of the same order rely on the same three guards.
 */
export async function receivePushedOrders(container: MedusaContainer, channelId: string, orders: unknown[]): Promise<PushedOrderResult[]> {
  const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
  const dc = await loadDecideContext(container, channelId)
  const rows = orders.map((raw) => identifyRaw(dc.provider, raw))
  const ids = [...new Set(rows.map((r) => r.external_id))]

  const before = await channels.listChannelOrders({ channel_id: channelId, external_id: ids }, { select: ["id", "external_id", "raw"] })
  const previousHash = new Map(before.map((b: any) => [b.external_id as string, requestHash(b.raw)]))
  const duplicate = rows.map((r) => previousHash.get(r.external_id) === requestHash(r.raw))
  const fresh = rows.filter((_, i) => !duplicate[i])

  if (fresh.length) {
    const staged = await stagePage(channels, channelId, fresh)
    for (const s of staged) {
      const was = previousHash.get(s.row.external_id)
      // A pull calls an order changed when its status or update time moved; a pushed payload that
      // differs from the last one received (and was staged: it was not older) is a change too, so an
      // address corrected without a new updated_at still reaches the imported order.
      if (was !== undefined && requestHash(s.row.raw) !== was) s.changed = true
    }
    await decideChannelOrders(container, dc, staged)
  }

  const after = (await channels.listChannelOrders(
    { channel_id: channelId, external_id: ids },
    { select: ["id", "external_id", "state", "order_id", "error_code", "error_message"] }
  )) as unknown as StoredRow[]
  const byId = new Map(after.map((a) => [a.external_id, a]))
  return rows.map((r, i) => {
    const row = byId.get(r.external_id)
    const sent = (orders[i] as any)?.external_id
    const externalId = typeof sent === "string" && sent.trim() ? sent : null
    if (!row) {
      return { external_id: externalId, result: "failed", channel_order_id: null, order_id: null, error_code: "import_failed", error_message: "The order could not be staged" }
    }
    return {
      external_id: externalId,
      result: duplicate[i] ? "duplicate" : resultOf(row),
      channel_order_id: row.id,
      order_id: row.order_id ?? null,
      error_code: row.order_id ? null : row.error_code ?? null,
      error_message: row.order_id ? null : row.error_message ?? null,
    }
  })
}
