import { ChannelProviderError } from "../../modules/channel/errors"
import type { ShipmentConfirmation } from "../../modules/channel/types/provider"
import type { MiraklShipmentTracking } from "./types"

/** A carrier registered on the operator's platform (SH21), or declared in the channel settings. */
export type MiraklCarrier = { code: string; label?: string; standard_code?: string; tracking_url?: string }

/** OR23 request body. */
export type MiraklTrackingBody = {
  carrier_code?: string
  carrier_name?: string
  carrier_url?: string
  tracking_number?: string
}

/** Codes people type for "a carrier that is not in the list"; those go out as carrier_name. */
const UNREGISTERED_MARKERS = new Set(["", "OTHER", "OTHERS", "AUTRE", "CUSTOM", "NONE"])

/**
 * Reads the `carriers` setting: a list of codes (`["UPS", "DHL"]`) or of SH21-like objects.
 * Undefined when the setting is absent, meaning "ask the operator (SH21)".
 */
export function parseCarrierSetting(value: unknown): MiraklCarrier[] | undefined {
  if (value === undefined || value === null) return undefined
  if (!Array.isArray(value)) {
    throw new ChannelProviderError("invalid_settings", "Mirakl setting `carriers` must be a list of carrier codes or {code, label} objects")
  }
  return value.map((entry, i) => {
    if (typeof entry === "string" && entry.trim()) return { code: entry.trim() }
    if (entry && typeof entry === "object" && typeof (entry as any).code === "string" && (entry as any).code.trim()) {
      const e = entry as Record<string, unknown>
      return {
        code: String(e.code).trim(),
        label: typeof e.label === "string" ? e.label : undefined,
        standard_code: typeof e.standard_code === "string" ? e.standard_code : undefined,
        tracking_url: typeof e.tracking_url === "string" ? e.tracking_url : undefined,
      }
    }
    throw new ChannelProviderError("invalid_settings", `Mirakl setting carriers[${i}] needs a non-empty code`)
  })
}

const same = (a: string | undefined | null, b: string | undefined | null) =>
  !!a && !!b && a.trim().toUpperCase() === b.trim().toUpperCase()

export function findRegisteredCarrier(
  carriers: MiraklCarrier[],
  code: string | null | undefined,
  name?: string | null
): MiraklCarrier | undefined {
  return (
    carriers.find((c) => same(c.code, code)) ??
    carriers.find((c) => same(c.label, code) || same(c.label, name)) ??
    carriers.find((c) => same(c.standard_code, code))
  )
}

/**
 * The ST01 `tracking` of one shipment: the same rules as OR23, where the unregistered carrier's page
 * is called `tracking_url` rather than `carrier_url`. Undefined when there is neither carrier nor tracking.
 */
export function shipmentTracking(
  shipment: Pick<ShipmentConfirmation, "carrier_code" | "carrier_name">,
  pkg: { tracking_number: string | null; tracking_url: string | null },
  carriers: MiraklCarrier[] | undefined
): MiraklShipmentTracking | undefined {
  const hasCarrier = !!shipment.carrier_code?.trim() || !!shipment.carrier_name?.trim()
  if (!hasCarrier && !pkg.tracking_number) return undefined
  const body = trackingBody(
    {
      carrier_code: shipment.carrier_code,
      carrier_name: shipment.carrier_name,
      tracking_numbers: pkg.tracking_number ? [pkg.tracking_number] : [],
      tracking_url: pkg.tracking_url,
    },
    carriers
  )
  const { carrier_url, ...rest } = body
  return { ...rest, ...(carrier_url ? { tracking_url: carrier_url } : {}) }
}

/**
 * The OR23 body for a shipment. Registered carriers go by `carrier_code` (Mirakl computes the
 * tracking URL); anything else goes by `carrier_name` plus the tracking URL when we have one, as the
 * spec allows for unregistered carriers. When the operator's list is unknown, a code is trusted as is.
 */
export function trackingBody(
  shipment: Pick<ShipmentConfirmation, "carrier_code" | "carrier_name" | "tracking_numbers" | "tracking_url">,
  carriers: MiraklCarrier[] | undefined
): MiraklTrackingBody {
  const trackingNumber = shipment.tracking_numbers.map((t) => t.trim()).find(Boolean)
  const code = shipment.carrier_code?.trim() ?? ""
  const name = shipment.carrier_name?.trim() || undefined
  const withTracking = (body: MiraklTrackingBody): MiraklTrackingBody =>
    trackingNumber ? { ...body, tracking_number: trackingNumber } : body

  const markedUnregistered = UNREGISTERED_MARKERS.has(code.toUpperCase())
  if (!markedUnregistered) {
    const registered = carriers ? findRegisteredCarrier(carriers, code, name) : { code }
    if (registered) return withTracking({ carrier_code: registered.code })
  }

  const carrierName = name ?? (markedUnregistered ? undefined : code)
  if (!carrierName) {
    throw new ChannelProviderError(
      "invalid_shipment",
      "Mirakl needs a carrier: a code registered on the operator's platform, or a carrier name",
      { retryable: false }
    )
  }
  const url = shipment.tracking_url?.trim()
  return withTracking({ carrier_name: carrierName, ...(url ? { carrier_url: url } : {}) })
}
