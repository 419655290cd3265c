/**
 * The processing report Amazon leaves as a feed's result document (`resultFeedDocumentId`) for an
 * XML feed such as POST_ORDER_ACKNOWLEDGEMENT_DATA: an AmazonEnvelope with MessageType
 * ProcessingReport whose ProcessingReport holds a StatusCode, a ProcessingSummary (messages
 * processed, successful, with error, with warning) and one Result per message that had an error or
 * a warning (MessageID, ResultCode Error|Warning, ResultMessageCode, ResultDescription, and
 * AdditionalInfo naming e.g. the AmazonOrderID). Read without an XML library: the report is flat and
 * only these elements matter.
 */

export type ProcessingResult = {
  message_id: string | null
  /** `Error` or `Warning`. */
  result_code: string
  /** Amazon's numeric ResultMessageCode, as text. */
  code: string | null
  description: string
  amazon_order_id: string | null
}

export type ProcessingReport = {
  /** The report's StatusCode (`Complete` once processed). */
  status_code: string | null
  messages_processed: number
  messages_successful: number
  messages_with_error: number
  messages_with_warning: number
  errors: ProcessingResult[]
  warnings: ProcessingResult[]
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }

function unescapeXml(v: string): string {
  return v
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, "$1")
    .replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (m, e: string) => {
      if (e[0] === "#") {
        const n = e[1].toLowerCase() === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)
        return Number.isFinite(n) ? String.fromCodePoint(n) : m
      }
      return ENTITIES[e.toLowerCase()] ?? m
    })
}

/** Text of the first `<name>` element inside `xml` (namespace prefixes tolerated), or null. */
function text(xml: string, name: string): string | null {
  const m = new RegExp(`<(?:\\w+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:\\w+:)?${name}>`).exec(xml)
  return m ? unescapeXml(m[1]).trim() : null
}

function blocks(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<(?:\\w+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:\\w+:)?${name}>`, "g"))].map((m) => m[1])
}

function count(xml: string, name: string): number | null {
  const t = text(xml, name)
  if (t === null) return null
  const n = Number(t)
  return Number.isInteger(n) && n >= 0 ? n : null
}

/**
 * The report's summary and its error and warning results; null when the document is not a
 * processing report this reader understands (no ProcessingReport, or no summary counts).
 */
export function parseProcessingReport(content: string): ProcessingReport | null {
  if (typeof content !== "string") return null
  const report = blocks(content, "ProcessingReport")[0]
  if (report === undefined) return null
  const summary = blocks(report, "ProcessingSummary")[0]
  const processed = summary === undefined ? null : count(summary, "MessagesProcessed")
  if (summary === undefined || processed === null) return null
  const results: ProcessingResult[] = blocks(report, "Result").map((r) => {
    const info = blocks(r, "AdditionalInfo")[0]
    return {
      message_id: text(r, "MessageID"),
      result_code: text(r, "ResultCode") ?? "",
      code: text(r, "ResultMessageCode"),
      description: text(r, "ResultDescription") ?? "",
      amazon_order_id: info === undefined ? null : text(info, "AmazonOrderID"),
    }
  })
  return {
    status_code: text(report, "StatusCode"),
    messages_processed: processed,
    messages_successful: count(summary, "MessagesSuccessful") ?? 0,
    messages_with_error: count(summary, "MessagesWithError") ?? 0,
    messages_with_warning: count(summary, "MessagesWithWarning") ?? 0,
    errors: results.filter((r) => r.result_code.toLowerCase() === "error"),
    warnings: results.filter((r) => r.result_code.toLowerCase() === "warning"),
  }
}

/**
 * Whether a report shows every one of `messages` messages processed without an error: nothing
 * counted or listed as an error, and at least `messages` successful.
 */
export function reportAccepted(report: ProcessingReport, messages = 1): boolean {
  return report.messages_with_error === 0 && report.errors.length === 0 && report.messages_successful >= messages
}
