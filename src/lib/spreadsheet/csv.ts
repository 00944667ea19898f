// CSV as RFC 4180 and Excel write it: quoted fields with doubled quotes, line breaks inside quotes,
// CRLF or LF. The delimiter is a comma unless the header line says otherwise (Excel's "Unicode text"
// uses tabs; some locales semicolons). Written CSV is UTF-8 with a BOM and CRLF line ends, so Excel
// opens Chinese text correctly on a double-click.
//
// Formula injection (OWASP "CSV injection"): a written cell that a spreadsheet would run as a formula
// (it starts with = + - @, a tab or CR, or their full-width forms) gets a leading `'`, which Excel
// shows as "text"; reading strips that one `'` again, so export → import is a no-op.
import { refuseBadCells } from './cells.js'
import type { Grid } from './grid.js'

export class CsvSyntaxError extends Error {
  override name = 'CsvSyntaxError'
  constructor(
    message: string,
    /** 1-based line where the problem starts. */
    readonly line: number,
  ) {
    super(message)
  }
}

/** The delimiter of the first line: the most frequent of comma, tab and semicolon outside quotes. */
export function detectDelimiter(text: string): string {
  let inQuotes = false
  const counts: Record<string, number> = { ',': 0, '\t': 0, ';': 0 }
  for (const ch of text) {
    if (ch === '"') inQuotes = !inQuotes
    else if (!inQuotes && (ch === '\n' || ch === '\r')) break
    else if (!inQuotes && ch in counts) counts[ch]!++
  }
  const [best] = Object.entries(counts).sort((a, b) => b[1] - a[1])
  return best && best[1] > 0 ? best[0] : ','
}

/** Longest line (a record, with its quoted line breaks) read, in characters (the README's limits). */
export const MAX_CSV_LINE = 1024 * 1024

// A cell a spreadsheet would evaluate, behind any `'`s already there (so that a value that itself
// starts with `'=` survives the round trip: it is written `''=` and read back `'=`).
const formulaLike = /^'*[=+\-@\t\r＝＋－＠]/
const escapedFormula = /^'+[=+\-@\t\r＝＋－＠]/

/** A cell as written to CSV: `'` in front of anything a spreadsheet would run as a formula. */
export function neutraliseFormula(value: string): string {
  return formulaLike.test(value) ? `'${value}` : value
}

/** A cell as read from CSV: the `'` neutraliseFormula added, removed. */
export function restoreFormula(value: string): string {
  return escapedFormula.test(value) ? value.slice(1) : value
}

/**
 * Parses CSV text into rows of fields (no merges), with formula escapes removed. Trailing empty lines
 * are dropped. A line longer than MAX_CSV_LINE is a CsvSyntaxError; a cell too long or holding a
 * character no text field accepts, a 422 problem naming it.
 */
export function parseCsv(text: string, delimiter = detectDelimiter(text)): Grid {
  const grid = parseFields(text, delimiter)
  for (const row of grid.rows) for (let c = 0; c < row.length; c++) row[c] = restoreFormula(row[c]!)
  refuseBadCells(grid.rows)
  return grid
}

function parseFields(text: string, delimiter: string): Grid {
  const rows: string[][] = []
  let row: string[] = []
  let i = 0
  let line = 1
  let rowStart = 0
  const n = text.length
  // Scans field by field with indexOf (not character by character): a 10 MB sheet parses in well under a second.
  while (i < n) {
    let field: string
    if (text[i] === '"') {
      const startLine = line
      let value = ''
      let from = i + 1
      for (;;) {
        const quote = text.indexOf('"', from)
        if (quote < 0) throw new CsvSyntaxError(`a quoted field starting on line ${startLine} is never closed`, startLine)
        value += text.slice(from, quote)
        if (text[quote + 1] === '"') {
          value += '"'
          from = quote + 2
        } else {
          i = quote + 1
          break
        }
      }
      line += value.split('\n').length - 1
      // Text after the closing quote, up to the delimiter, is kept (as Excel does).
      let end = i
      while (end < n && text[end] !== delimiter && text[end] !== '\n' && text[end] !== '\r') end++
      field = value + text.slice(i, end)
      i = end
    } else {
      let end = i
      while (end < n) {
        const c = text.charCodeAt(end)
        if (c === 10 || c === 13 || text[end] === delimiter) break
        end++
      }
      field = text.slice(i, end)
      i = end
    }
    row.push(field)
    if (i >= n) break
    if (text[i] === delimiter) {
      i++
      if (i >= n) row.push('')
      continue
    }
    // A line end: CRLF, LF or CR.
    if (i - rowStart > MAX_CSV_LINE) throw new CsvSyntaxError(`line ${line} is longer than ${MAX_CSV_LINE} characters`, line)
    if (text[i] === '\r' && text[i + 1] === '\n') i++
    i++
    line++
    rows.push(row)
    row = []
    rowStart = i
  }
  if (i - rowStart > MAX_CSV_LINE) throw new CsvSyntaxError(`line ${line} is longer than ${MAX_CSV_LINE} characters`, line)
  if (row.length) rows.push(row)
  while (rows.length && rows[rows.length - 1]!.every((f) => f === '')) rows.pop()
  return { rows, merges: [] }
}

function quote(value: string, delimiter: string): string {
  return /["\r\n\t]/.test(value) || value.includes(delimiter) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

/** CSV text of `rows`, CRLF line ends, fields quoted where needed, formulas neutralised. */
export function formatCsv(rows: readonly (readonly (string | null | undefined)[])[], delimiter = ','): string {
  return rows.map((r) => r.map((v) => quote(neutraliseFormula(v ?? ''), delimiter)).join(delimiter)).join('\r\n') + '\r\n'
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf])

/** UTF-8 bytes with a BOM: what Excel needs to open Chinese CSV correctly. */
export function csvBytes(rows: readonly (readonly (string | null | undefined)[])[]): Buffer {
  return Buffer.concat([UTF8_BOM, Buffer.from(formatCsv(rows), 'utf8')])
}
