import type { FeedbackItem, FeedbackKind } from "./policy"

/**
 * Reading a marketplace order back to see whether a confirmation or a cancellation landed. A 2xx
 * is not proof (Amazon has answered 204 and dropped the write), so a `sent` item is only
 * `confirmed` once the marketplace shows it. It uses `getOrder`, which every provider has:
 *   - Amazon: a package with each of our tracking numbers (one package per parcel); for a cancel,
 *     fulfillmentStatus CANCELLED;
 *   - eBay: a shipping fulfillment named after each of our tracking numbers (eBay names them so; one
 *     per parcel), or, without tracking, our lines FULFILLED; cancels are not sent to eBay;
 *   - Mirakl (OR11): the order SHIPPED or later with one of our tracking numbers (OR23 keeps one);
 *     for a cancel, CANCELED. Shipments made through ST01 are confirmed by ST01's own answer;
 *   - sandbox: its status.
 * A cancellation whose provider reads its result (`readCancellationResult`, Amazon's feed processing
 * report) is read by that first: it also tells a refusal, which the order alone never shows.
 */

import type { IChannelProvider, ReadBackVerdict } from "../../modules/channel/types/provider"
export type { ReadBackVerdict }

export type ReadBackInput = {
  kind: FeedbackKind
  items: FeedbackItem[]
  tracking_numbers: string[]
}

/**
 * The tracking numbers a read-back looks for: the row's, less those the provider said it could not
 * send (more parcels than units; OR23's single tracking number), which the marketplace never shows.
 */
export function expectedTracking(row: { tracking_numbers?: string[] | null; response?: Record<string, any> | null }): string[] {
  const answer = row.response?.response
  const unsent = new Set<string>(
    [answer?.unsent_tracking_numbers, answer?.tracking_numbers_not_sent]
      .filter(Array.isArray)
      .flat()
      .map((t: unknown) => compact(String(t)))
  )
  return (row.tracking_numbers ?? []).filter((t) => !unsent.has(compact(String(t))))
}

/** Whether this provider can read back this kind of feedback (its readBackKinds declare it). */
export function supportsReadBack(provider: Pick<IChannelProvider, "readBack" | "readBackKinds"> | null | undefined, kind: FeedbackKind): boolean {
  return !!provider?.readBack && kind !== "status" && !!provider.readBackKinds?.includes(kind)
}

/** The provider's reading of its own order; `unsupported` when it cannot read this kind back. */
export function readBack(provider: Pick<IChannelProvider, "readBack" | "readBackKinds">, order: unknown, input: ReadBackInput): ReadBackVerdict {
  if (input.kind === "status" || !supportsReadBack(provider, input.kind)) return "unsupported"
  if (!order || typeof order !== "object") return "missing"
  return provider.readBack!(order, { ...input, kind: input.kind })
}

/**
 * The reference a `sent` cancellation is read back by, when the provider reads cancellation results
 * (`readCancellationResult`): the `external_reference` its `cancelOrder` returned (Amazon: the feedId).
 * Null for other kinds, other providers, or a row without one.
 */
export function cancellationReference(
  provider: Pick<IChannelProvider, "readCancellationResult"> | null | undefined,
  row: { kind: FeedbackKind; response?: Record<string, any> | null }
): string | null {
  if (row.kind !== "cancel" || typeof provider?.readCancellationResult !== "function") return null
  const ref = row.response?.external_reference
  return typeof ref === "string" && ref.trim() ? ref.trim() : null
}

/** Whether a `sent` row of this provider is read back later (its order, or its cancellation's result). */
export function verifiable(
  provider: Pick<IChannelProvider, "readBack" | "readBackKinds" | "readCancellationResult"> | null | undefined,
  row: { kind: FeedbackKind; response?: Record<string, any> | null }
): boolean {
  return supportsReadBack(provider, row.kind) || cancellationReference(provider, row) !== null
}

const compact = (t: string) => t.replace(/[\s-]+/g, "").toLowerCase()

/** Tracking numbers as marketplaces compare them: no spaces or hyphens, lower case. */
export const compactTracking = (t: string) => compact(t)
