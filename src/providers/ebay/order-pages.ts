import { ChannelProviderError } from "../../modules/channel/errors"
import type { EbayOrder, EbayOrderPage } from "./types"

/**
 * Offset paging over a lastmodifieddate window that changes while it is read.
 *
 * The window's upper bound is in the past, so during a pull orders can only leave it (an order
 * modified now gets a lastModifiedDate after the bound); none can enter. When an order already read
 * leaves, every later order moves one position down and a plain `offset += limit` would skip one.
 * So each page after the first starts PAGE_OVERLAP positions early and drops the orders it already
 * returned (the cursor remembers the ids of the last ones). If `total` shrank by more than the
 * overlap, the page is read again from further back: a few orders may then come twice (the pipeline
 * stages them idempotently), but none is lost. Orders that left the window come back in the next
 * window with their new lastModifiedDate.
 */
export const PAGE_OVERLAP = 10

export type OrderPageCursor = {
  /** Positions of the window consumed so far, as of the last page read. */
  offset: number
  /** The window's `total` when the last page was read. */
  total: number
  /** Ids of the last orders read, newest last. */
  seen: string[]
}

export function encodeCursor(cursor: OrderPageCursor): string {
  return Buffer.from(JSON.stringify({ o: cursor.offset, t: cursor.total, s: cursor.seen })).toString("base64url")
}

export function decodeCursor(token: string): OrderPageCursor {
  try {
    const raw = JSON.parse(Buffer.from(token, "base64url").toString("utf8"))
    if (
      Number.isInteger(raw?.o) &&
      raw.o >= 0 &&
      Number.isInteger(raw?.t) &&
      Array.isArray(raw?.s) &&
      raw.s.every((x: unknown) => typeof x === "string")
    ) {
      return { offset: raw.o, total: raw.t, seen: raw.s }
    }
  } catch {
    // reported below
  }
  throw new ChannelProviderError("invalid_page_token", "The eBay page token is not one this provider issued", { retryable: false })
}

/** Re-reads allowed when the window keeps shrinking; the last one starts from offset 0. */
const MAX_REREADS = 3
/** eBay refuses a larger `limit`. */
const MAX_PAGE = 200

export async function readWindowPage(
  fetchPage: (offset: number, limit: number) => Promise<EbayOrderPage>,
  cursor: OrderPageCursor | null,
  limit: number
): Promise<{ orders: EbayOrder[]; next: OrderPageCursor | null }> {
  const consumed = cursor?.offset ?? 0
  let start = cursor ? Math.max(0, consumed - Math.min(PAGE_OVERLAP, cursor.seen.length)) : 0
  // Ask for the overlap on top of the page, so every page moves forward by `limit` even when the
  // page is smaller than the overlap.
  const want = (from: number) => Math.min(MAX_PAGE, limit + (consumed - from))
  let page = await fetchPage(start, want(start))

  if (cursor) {
    for (let reread = 1; reread <= MAX_REREADS; reread++) {
      const shrink = cursor.total - totalOf(page, start)
      if (shrink <= consumed - start || start === 0) break
      start = reread === MAX_REREADS ? 0 : Math.max(0, consumed - shrink)
      page = await fetchPage(start, want(start))
    }
  }

  const received = page.orders ?? []
  const seen = new Set(cursor?.seen ?? [])
  const orders = received.filter((o) => !o.orderId || !seen.has(o.orderId))
  const total = totalOf(page, start)
  const reached = start + received.length
  const done = received.length === 0 || received.length < want(start) || reached >= total
  const ids = received.map((o) => o.orderId).filter((id): id is string => Boolean(id))
  return {
    orders,
    next: done ? null : { offset: reached, total, seen: [...new Set([...(cursor?.seen ?? []), ...ids])].slice(-PAGE_OVERLAP) },
  }
}

/** `total` is always documented as returned; if a page lacks it, what was read is all there is. */
function totalOf(page: EbayOrderPage, start: number): number {
  return typeof page.total === "number" ? page.total : start + (page.orders?.length ?? 0)
}
