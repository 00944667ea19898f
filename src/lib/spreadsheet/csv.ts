// CSV as RFC 4180 and Excel write it: quoted fields with doubled quotes, line breaks inside quotes,
// CRLF or LF. The delimiter is a comma unless the header line says otherwise (Excel's "Unicode text"
// uses tabs; some locales semicolons). Written CSV is UTF-8 with a BOM and CRLF line ends, so Excel
// opens Chinese text correctly on a double-click.
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

/** Parses CSV text into rows of fields (no merges). Trailing empty lines are dropped. */
export function parseCsv(text: string, delimiter = detectDelimiter(text)): Grid {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let inQuotes = false
  let quoteLine = 0
  let line = 1
  const endField = () => {
    row.push(field)
    field = ''
  }
  const endRow = () => {
    endField()
    rows.push(row)
    row = []
  }
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i++
        } else inQuotes = false
      } else {
        if (ch === '\n') line++
        field += ch
      }
      continue
    }
    if (ch === '"' && field === '') {
      inQuotes = true
      quoteLine = line
    } else if (ch === delimiter) endField()
    else if (ch === '\r') {
      if (text[i + 1] === '\n') i++
      endRow()
      line++
    } else if (ch === '\n') {
      endRow()
      line++
    } else field += ch
  }
  if (inQuotes) throw new CsvSyntaxError(`a quoted field starting on line ${quoteLine} is never closed`, quoteLine)
  if (field !== '' || row.length) endRow()
  while (rows.length && rows[rows.length - 1]!.every((f) => f === '')) rows.pop()
  return { rows, merges: [] }
}

function quote(value: string, delimiter: string): string {
  return /["\r\n]/.test(value) || value.includes(delimiter) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

/** CSV text of `rows`, CRLF line ends, fields quoted where needed. */
export function formatCsv(rows: readonly (readonly (string | null | undefined)[])[], delimiter = ','): string {
  return rows.map((r) => r.map((v) => quote(v ?? '', delimiter)).join(delimiter)).join('\r\n') + '\r\n'
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf])

/** UTF-8 bytes with a BOM: what Excel needs to open Chinese CSV correctly. */
export function csvBytes(rows: readonly (readonly (string | null | undefined)[])[]): Buffer {
  return Buffer.concat([UTF8_BOM, Buffer.from(formatCsv(rows), 'utf8')])
}
