// A notice's list read from a spreadsheet (CSV or XLSX, as a Grid): the header row names the notice's
// declared columns by key or by label (under any title lines); each cell is read as its column's type.
// Every problem — a column the kind must not publish, a column not declared, a bad cell — is collected
// with the row and column the uploader sees, so that one 422 lists them all.
import { columnLetter, isBlankRow, locateHeader, normalizeLabel, type Grid } from '../../lib/spreadsheet/grid.js'
import type { FieldError } from '../../lib/problems.js'
import { entryProblems, forbiddenInformation } from './columns.js'
import type { NoticeColumn } from './tables.js'

export type EntryValue = string | number | null

export interface SheetEntries {
  /** The rows, keyed by column key, in sheet order (blank rows skipped). */
  rows: Record<string, EntryValue>[]
  /** The sheet row number (1-based, as a spreadsheet shows it) of each row. */
  rowNumbers: number[]
  problems: FieldError[]
}

/** Columns a sheet may carry besides the declared ones, ignored: the row number lists usually start with. */
const ignoredLabels = new Set(['序号', '编号', 'no', 'no.', '#'])

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1')

/** Counts the data rows a grid can hold (an upper bound before reading: no header, no blank rows). */
export const gridRowCount = (grid: Grid) => grid.rows.length

/**
 * Reads the entries of `grid` under `columns`. A cell's problem is at `/body/{row}/{header label}` with
 * the message `row 5, column B (身份证号): …`; a header problem at the header row.
 */
export function readEntriesSheet(grid: Grid, columns: NoticeColumn[]): SheetEntries {
  const problems: FieldError[] = []
  if (!columns.length) {
    return { rows: [], rowNumbers: [], problems: [{ pointer: '/body', message: 'the notice declares no columns: declare them (PATCH /v1/notices/{id}) before uploading its list' }] }
  }
  const byLabel = new Map<string, NoticeColumn>()
  for (const c of columns) {
    byLabel.set(normalizeLabel(c.key), c)
    byLabel.set(normalizeLabel(c.label), c)
  }
  const header = locateHeader(grid, {
    // A column the kind must not publish counts as a header cell too, so that it is found and refused by name.
    isColumn: (label) => byLabel.has(label) || forbiddenInformation(label) !== null,
    isGroup: () => false,
    minColumns: Math.min(2, columns.length),
  })
  if (!header) {
    const names = columns.map((c) => `${c.label} (${c.key})`).join(', ')
    return { rows: [], rowNumbers: [], problems: [{ pointer: '/body', message: `no header row naming the notice's columns in the first 10 rows; name them by label or key: ${names}` }] }
  }

  const headerRow = header.row + 1
  const at = (row: number, index: number, label: string, message: string): FieldError => ({
    pointer: `/body/${row}/${escapePointer(label)}`,
    message: `row ${row}, column ${columnLetter(index)} (${label}): ${message}`,
  })
  const read: { index: number; label: string; column: NoticeColumn }[] = []
  const seen = new Map<string, string>()
  for (const h of header.columns) {
    const normalized = normalizeLabel(h.label)
    const forbidden = forbiddenInformation(h.label)
    const column = byLabel.get(normalized)
    if (forbidden) problems.push(at(headerRow, h.index, h.label, `holds ${forbidden} information, which a notice must not publish: remove the column`))
    else if (column) {
      const before = seen.get(column.key)
      if (before) problems.push(at(headerRow, h.index, h.label, `names the column ${column.key} again (already ${before})`))
      else {
        seen.set(column.key, h.label)
        read.push({ index: h.index, label: h.label, column })
      }
    } else if (!ignoredLabels.has(normalized)) {
      problems.push(at(headerRow, h.index, h.label, `is not a declared column of this notice (declared: ${columns.map((c) => c.label).join('、')})`))
    }
  }

  const rows: Record<string, EntryValue>[] = []
  const rowNumbers: number[] = []
  for (let r = header.firstDataRow; r < grid.rows.length; r++) {
    const cells = grid.rows[r]
    if (isBlankRow(cells)) continue
    const rowNo = r + 1
    const entry: Record<string, EntryValue> = {}
    const found: { index: number; problem: FieldError }[] = []
    for (const { index, label, column } of read) {
      const value = readCell(column, cells![index] ?? '')
      if (typeof value === 'object' && value !== null) found.push({ index, problem: at(rowNo, index, label, value.problem) })
      else entry[column.key] = value
    }
    // What the JSON upload checks too (ID number and phone patterns), said at the cell.
    for (const p of entryProblems(columns, [entry], '')) {
      const key = p.pointer.split('/')[2]!
      const cell = read.find((c) => c.column.key === key)!
      found.push({ index: cell.index, problem: at(rowNo, cell.index, cell.label, p.message) })
    }
    // Left to right, as the uploader reads the row.
    problems.push(...found.sort((a, b) => a.index - b.index).map((f) => f.problem))
    rows.push(entry)
    rowNumbers.push(rowNo)
  }
  return { rows, rowNumbers, problems }
}

/** As the JSON upload's schema allows (EntriesRequest). */
const maxCellLength = 500

const datePatterns = [/^(\d{4})-(\d{1,2})-(\d{1,2})$/, /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/, /^(\d{4})\.(\d{1,2})\.(\d{1,2})$/, /^(\d{4})年(\d{1,2})月(\d{1,2})日$/]

function readDate(text: string): string | null {
  for (const pattern of datePatterns) {
    const m = pattern.exec(text)
    if (!m) continue
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
    const date = new Date(Date.UTC(y, mo - 1, d))
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null
    return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`
  }
  return null
}

/** A cell's value as its column's type: null when blank, or a problem to report. */
export function readCell(column: Pick<NoticeColumn, 'type'>, raw: string): EntryValue | { problem: string } {
  const text = raw.trim()
  if (text === '') return null
  if (text.length > maxCellLength) return { problem: `is longer than ${maxCellLength} characters` }
  // Full-width digits and signs (１２３, －) as people type them with a Chinese input method.
  const folded = text.normalize('NFKC')
  switch (column.type) {
    case 'integer': {
      const n = folded.replace(/,/g, '')
      return /^[+-]?\d+$/.test(n) && Number.isSafeInteger(Number(n)) ? Number(n) : { problem: `"${text}" is not a whole number` }
    }
    case 'decimal':
    case 'amount': {
      const n = folded.replace(/^[¥$]/, '').replace(/元$/, '').replace(/,/g, '').trim()
      return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(n) ? Number(n) : { problem: `"${text}" is not a number` }
    }
    case 'date':
      return readDate(folded) ?? { problem: `"${text}" is not a date (YYYY-MM-DD)` }
    case 'id_number': {
      // Excel shows an 18-digit number as 2.30202E+17 and keeps only 15 digits of it.
      if (/^\d(\.\d+)?e\+\d+$/i.test(folded)) return { problem: `"${text}" is an ID number that Excel turned into a number: format the column as text and enter the numbers again` }
      return folded.replace(/\s+/g, '').toUpperCase()
    }
    case 'phone':
      return folded.replace(/\s+/g, '')
    default:
      return text
  }
}
