import { ChannelProviderError } from "../../modules/channel/errors"
import type { MiraklOrder } from "./types"

/**
 * Where the next OR11 page starts. OR11 pages by offset over orders sorted by creation date then
 * order id, so besides the offset the cursor keeps the window's size and the sort key reached: when
 * orders leave the window between two pages (updated meanwhile), the rest slides towards the start
 * and a plain offset would skip some.
 */
export type PageCursor = {
  /** Offset of the next page. */
  o: number
  /** total_count when the cursor was made. */
  t: number
  /** Creation time (ms) of the last order handed out. */
  c?: number
  /** Ids handed out whose creation time equals `c` (ties are broken by id, in an order we do not rely on). */
  ids?: string[]
}

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url")
}

export function decodeCursor(token: string | null | undefined): PageCursor | undefined {
  if (!token) return undefined
  try {
    const c = JSON.parse(Buffer.from(token, "base64url").toString("utf8"))
    if (Number.isInteger(c?.o) && c.o >= 0 && Number.isInteger(c?.t) && c.t >= 0) {
      return {
        o: c.o,
        t: c.t,
        c: typeof c.c === "number" ? c.c : undefined,
        ids: Array.isArray(c.ids) ? c.ids.filter((x: unknown) => typeof x === "string") : [],
      }
    }
  } catch {
    // fall through
  }
  throw new ChannelProviderError("invalid_page_token", "This Mirakl page token was not made by this provider", { retryable: false })
}

const createdMs = (o: MiraklOrder): number => Date.parse(o.created_date ?? "")

/** True when the cursor says this order was already handed out in an earlier page. */
export function alreadyListed(order: MiraklOrder, cursor: PageCursor | undefined): boolean {
  if (!cursor || cursor.c === undefined) return false
  const created = createdMs(order)
  if (Number.isNaN(created)) return false
  return created < cursor.c || (created === cursor.c && (cursor.ids ?? []).includes(order.order_id))
}

/** The cursor after `orders` (the page as received, in sort order) were fetched at `offset`. */
export function nextCursor(
  previous: PageCursor | undefined,
  offset: number,
  orders: MiraklOrder[],
  totalCount: number
): PageCursor | undefined {
  const next = offset + orders.length
  if (orders.length === 0 || next >= totalCount) return undefined
  let c = previous?.c
  let ids = previous?.ids ?? []
  for (const o of orders) {
    const created = createdMs(o)
    if (Number.isNaN(created) || (c !== undefined && created < c)) continue
    if (created !== c) {
      c = created
      ids = []
    }
    ids = ids.includes(o.order_id) ? ids : [...ids, o.order_id]
  }
  return { o: next, t: totalCount, c, ids }
}
