import readline from "node:readline"
import type { Readable } from "node:stream"
import { parse } from "csv-parse"

/** One CSV record with its row number (the header is row 1, as a spreadsheet shows it). */
export type CsvRow = { row: number; values: Record<string, string> }

/** A problem found while reading, before any mapping: the report names its row, column and reason. */
export type RowError = { row: number; column: string | null; reason: string; order?: string | null }

/**
 * The records of a CSV file, streamed, as header → value objects. Tolerates what real exports do:
 * a BOM, CRLF, quoted newlines, rows shorter or longer than the header, empty trailing columns,
 * headers with spaces around them.
 */
export async function* readCsvRows(stream: Readable, options: { delimiter?: string } = {}): AsyncGenerator<CsvRow> {
  const parser = stream.pipe(
    // Empty lines are records (skipped below), so rows keep the numbers a spreadsheet shows.
    parse({ bom: true, delimiter: options.delimiter ?? ",", relax_column_count: true, skip_empty_lines: false, relax_quotes: true })
  )
  stream.on("error", (e) => parser.destroy(e))
  let headers: string[] | null = null
  let row = 0
  for await (const record of parser as AsyncIterable<string[]>) {
    row++
    // A row of empty cells (an empty line, trailing commas only) is no record, but it is a row.
    const blank = record.every((v) => !String(v ?? "").trim())
    if (!headers) {
      if (blank) continue
      const seen = new Map<string, number>()
      headers = record.map((h) => {
        const name = String(h ?? "").trim()
        if (!name) return ""
        const n = (seen.get(name) ?? 0) + 1
        seen.set(name, n)
        return n > 1 ? `${name} (${n})` : name
      })
      continue
    }
    if (blank) continue
    const values: Record<string, string> = {}
    headers.forEach((h, i) => {
      if (h) values[h] = record[i] ?? ""
    })
    yield { row, values }
  }
}

/** A JSON array's elements, one at a time, without holding the whole file: each element's text and its 1-based index. */
export async function* readJsonArray(stream: Readable): AsyncGenerator<{ index: number; text: string }> {
  let depth = 0
  let inString = false
  let escaped = false
  let inElement = false
  let done = false
  let parts: string[] = []
  let index = 0
  let first = true
  stream.setEncoding("utf8")
  for await (let chunk of stream as AsyncIterable<string>) {
    if (first) {
      chunk = chunk.replace(/^\uFEFF/, "")
      first = false
    }
    let start = inElement ? 0 : -1
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]
      if (inString) {
        if (escaped) escaped = false
        else if (c === "\\") escaped = true
        else if (c === '"') inString = false
        continue
      }
      if (done) {
        if (!/\s/.test(c)) throw new Error(`Unexpected "${c}" after the end of the JSON array`)
        continue
      }
      if (depth === 0) {
        if (c === "[") depth = 1
        else if (!/\s/.test(c)) throw new Error("The file is not a JSON array (it must start with [)")
        continue
      }
      if (depth === 1) {
        if (c === "," || c === "]") {
          if (inElement) {
            parts.push(chunk.slice(start, i))
            index++
            yield { index, text: parts.join("") }
            parts = []
            inElement = false
            start = -1
          } else if (c === ",") {
            throw new Error(`Empty element in the JSON array after element ${index}`)
          }
          if (c === "]") {
            depth = 0
            done = true
          }
          continue
        }
        if (!inElement) {
          if (/\s/.test(c)) continue
          inElement = true
          start = i
        }
        if (c === "{" || c === "[") depth++
        else if (c === '"') inString = true
        continue
      }
      if (c === '"') inString = true
      else if (c === "{" || c === "[") depth++
      else if (c === "}" || c === "]") depth--
    }
    if (inElement) parts.push(chunk.slice(start))
  }
  if (!done) throw new Error(index ? `The JSON array ends after element ${index} without its closing ]` : "The file is not a JSON array")
}

/** JSON Lines: each non-empty line with its line number. */
export async function* readJsonLines(stream: Readable): AsyncGenerator<{ index: number; text: string }> {
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity })
  let n = 0
  for await (const line of lines) {
    n++
    const text = n === 1 ? line.replace(/^\uFEFF/, "") : line
    if (text.trim()) yield { index: n, text }
  }
}
