import type { ChannelSettings } from "../../modules/channel/settings"
import { parseCanonicalOrder, type CanonicalOrder } from "../../modules/channel/types/canonical-order"
import type { IChannelProvider } from "../../modules/channel/types/provider"
import { resolveOrderCountries, type CountryProblem } from "./countries"

export type NormalizedChannelOrder =
  | { success: true; order: CanonicalOrder; country_problems: CountryProblem[] }
  | {
      success: false
      message: string
      mapper_error: boolean
      issues: Array<{ path: string; message: string }>
      /** What a mapper's ChannelOrderImportError said besides its message (a file order's row numbers). */
      data?: Record<string, unknown> | null
    }

/**
 * A staged payload as the pipeline reads it: the provider's mapping, validated, with every address
 * given an ISO country (by code, ISO-3 code, name or the channel's default) and a province Medusa's
 * tax regions match. A mapper that throws gives its own reason, never a list of fields it did not fill.
 */
export function normalizeChannelOrder(provider: IChannelProvider, raw: unknown, settings: ChannelSettings): NormalizedChannelOrder {
  let mapped: unknown
  try {
    mapped = provider.normalize(raw, { settings })
  } catch (e: any) {
    const data = e && typeof e === "object" && e.data && typeof e.data === "object" ? (e.data as Record<string, unknown>) : null
    return { success: false, message: e?.message ?? String(e), mapper_error: true, issues: Array.isArray(data?.issues) ? (data!.issues as any) : [], data }
  }
  const parsed = parseCanonicalOrder(mapped)
  if (!parsed.success) return { success: false, message: parsed.message, mapper_error: false, issues: parsed.issues }
  const { order, problems } = resolveOrderCountries(parsed.order, settings.default_country_code)
  return { success: true, order, country_problems: problems }
}
