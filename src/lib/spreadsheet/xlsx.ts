// XLSX through exceljs: the first worksheet read as a Grid (cell texts and merged ranges), and a sheet
// written from plain rows with header rows, merges, widths and print settings, for catalogs and lists
// that people print.
import type ExcelJS from 'exceljs'
import { ProblemError } from '../problems.js'
import { loadExcelJS } from './exceljs.js'
import { columnLetter, type CellRange, type Grid } from './grid.js'
import { refuseBadCells } from './cells.js'
import { inflateEntry, zipDirectory, ZipFormatError, ZipLimitError } from './zip.js'

export class XlsxReadError extends Error {
  override name = 'XlsxReadError'
}

function pad2(n: number) {
  return String(n).padStart(2, '0')
}

/** The text a cell shows, for every kind of value exceljs returns. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (value instanceof Date) return `${value.getUTCFullYear()}-${pad2(value.getUTCMonth() + 1)}-${pad2(value.getUTCDate())}`
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('')
    if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null)
    if ('hyperlink' in value) return cellText((value as { text?: ExcelJS.CellValue }).text ?? '')
    if ('error' in value) return ''
  }
  return String(value)
}

/** 0-based column of `A`, `AB`, …; Infinity past Excel's 3 letters (a reference no sheet can hold). */
const columnOf = (letters: string) => (letters.length > 3 ? Infinity : [...letters.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1)

function rangeOf(address: string): CellRange | null {
  const m = /^([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})$/.exec(address.replace(/\$/g, ''))
  if (!m) return null
  return { top: Number(m[2]) - 1, left: columnOf(m[1]!), bottom: Number(m[4]) - 1, right: columnOf(m[3]!) }
}

/**
 * What a workbook may hold before it is read (the README's limits). exceljs inflates every part and
 * builds every cell and merge of every sheet in memory, and the reader then walks each sheet's whole
 * extent: the bounds are checked on the file itself, before exceljs sees it.
 */
export const xlsxLimits = {
  /** Files in the archive (a workbook has a few dozen). */
  entries: 1000,
  /** Bytes all parts inflate to, together. */
  inflatedBytes: 128 * 1024 * 1024,
  /** Cells in a sheet's extent: its last row × its last column, from the sheet's own cell references. */
  extentCells: 2_000_000,
  /** Cells covered by a sheet's merged ranges, together. */
  mergedCells: 2_000_000,
} as const

const tooLarge = (detail: string) => new ProblemError('payload-too-large', `The XLSX file is too large to read: ${detail}.`)

// Linear scans (each match starts at a literal and its runs cannot overlap): row and cell references
// (`<row r="12"`, `<c r="AB12"`) and merged ranges.
const referencePattern = /\sr="([A-Za-z]*)(\d*)"/g
const mergePattern = /<mergeCell\s+ref="([^"]*)"/g

/** Refuses a worksheet whose extent or merged area goes past the limits, from its XML alone. */
export function checkSheetExtent(name: string, xml: string) {
  let lastRow = 0
  let lastColumn = 0
  for (const m of xml.matchAll(referencePattern)) {
    if (m[2]!.length > 7) throw tooLarge(`${name} refers to row ${m[2]!.slice(0, 12)}…`)
    lastRow = Math.max(lastRow, Number(m[2]))
    if (m[1]) lastColumn = Math.max(lastColumn, columnOf(m[1]) + 1)
  }
  let merged = 0
  for (const m of xml.matchAll(mergePattern)) {
    const range = rangeOf(m[1]!)
    if (!range) continue
    lastRow = Math.max(lastRow, range.bottom + 1)
    lastColumn = Math.max(lastColumn, range.right + 1)
    merged += (range.bottom - range.top + 1) * (range.right - range.left + 1)
    if (merged > xlsxLimits.mergedCells) throw tooLarge(`the merged ranges of ${name} cover more than ${xlsxLimits.mergedCells.toLocaleString('en')} cells`)
  }
  if (lastRow * lastColumn > xlsxLimits.extentCells) {
    const corner = Number.isFinite(lastColumn) ? `${columnLetter(lastColumn - 1)}${lastRow}` : `row ${lastRow}`
    throw tooLarge(`${name} reaches ${corner}, more than ${xlsxLimits.extentCells.toLocaleString('en')} cells (rows × columns)`)
  }
}

/** The archive's bounds (entries, inflated size, each sheet's extent) checked before exceljs reads it. */
export function checkWorkbookBounds(bytes: Uint8Array) {
  try {
    const entries = zipDirectory(bytes, xlsxLimits)
    for (const entry of entries) {
      const data = inflateEntry(bytes, entry)
      if (/^xl\/worksheets\/[^/]+\.xml$/.test(entry.name)) checkSheetExtent(entry.name.slice('xl/worksheets/'.length, -4), data.toString('utf8'))
    }
  } catch (err) {
    if (err instanceof ZipLimitError) throw tooLarge(err.message)
    if (err instanceof ZipFormatError) throw new XlsxReadError(`not a readable XLSX workbook (${err.message})`)
    throw err
  }
}

/**
 * The first worksheet: every cell's text (merged cells read as their top-left value, as exceljs
 * returns them) and the merged ranges. Rejects bytes that are not an XLSX workbook (XlsxReadError),
 * a workbook past the limits (413 problem) and a cell no text field can hold (422 problem).
 */
export async function readFirstSheet(bytes: Uint8Array): Promise<Grid & { name: string }> {
  checkWorkbookBounds(bytes)
  const workbook = new (await loadExcelJS()).Workbook()
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer)
  } catch (err) {
    throw new XlsxReadError(`not a readable XLSX workbook (${(err as Error).message})`)
  }
  const sheet = workbook.worksheets[0]
  if (!sheet) throw new XlsxReadError('the workbook has no worksheet')
  const rows: string[][] = []
  const width = sheet.columnCount
  sheet.eachRow({ includeEmpty: true }, (row, number) => {
    const cells: string[] = []
    for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c).value))
    rows[number - 1] = cells
  })
  for (let r = 0; r < rows.length; r++) rows[r] ??= []
  while (rows.length && rows[rows.length - 1]!.every((c) => c.trim() === '')) rows.pop()
  const merges = ((sheet.model as { merges?: string[] }).merges ?? []).map(rangeOf).filter((r): r is CellRange => r !== null)
  refuseBadCells(rows)
  return { name: sheet.name, rows, merges }
}

export interface SheetSpec {
  name: string
  /** Lines above the header, each merged across the table (the catalog's title). */
  title?: string[]
  /** Header rows (one or two), then data rows; null for an empty cell. */
  header: (string | null)[][]
  rows: (string | null)[][]
  /** Merged ranges, 0-based over header and data rows (title lines not counted). */
  merges?: CellRange[]
  /** Column widths in characters. */
  widths?: number[]
  /** Columns whose data cells are centred (tick columns). */
  centred?: number[]
}

const thin: Partial<ExcelJS.Borders> = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } }

/** One worksheet: title lines, bold centred header rows repeated on every printed page, wrapped and bordered cells, landscape A4 fitted to the page width. */
export async function writeSheet(spec: SheetSpec): Promise<Buffer> {
  const workbook = new (await loadExcelJS()).Workbook()
  const width = Math.max(...spec.header.map((r) => r.length), ...spec.rows.map((r) => r.length), 1)
  const titleRows = spec.title?.length ?? 0
  const headerRows = spec.header.length
  const sheet = workbook.addWorksheet(spec.name, {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${titleRows + 1}:${titleRows + headerRows}` },
    views: [{ state: 'frozen', ySplit: titleRows + headerRows }],
  })
  spec.widths?.forEach((w, i) => {
    sheet.getColumn(i + 1).width = w
  })
  for (const line of spec.title ?? []) {
    const row = sheet.addRow([line])
    row.font = { bold: true, size: 16 }
    row.alignment = { horizontal: 'center', vertical: 'middle' }
    row.height = 30
    sheet.mergeCells(row.number, 1, row.number, width)
  }
  for (const values of spec.header) {
    const row = sheet.addRow(values.map((v) => v ?? null))
    for (let c = 1; c <= width; c++) {
      const cell = row.getCell(c)
      cell.font = { bold: true }
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true }
      cell.border = thin
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFEFEF' } }
    }
  }
  const centred = new Set(spec.centred ?? [])
  for (const values of spec.rows) {
    const row = sheet.addRow(values.map((v) => v ?? null))
    for (let c = 1; c <= width; c++) {
      const cell = row.getCell(c)
      cell.alignment = { vertical: 'middle', wrapText: true, ...(centred.has(c - 1) ? { horizontal: 'center' } : {}) }
      cell.border = thin
    }
  }
  for (const m of spec.merges ?? []) sheet.mergeCells(m.top + titleRows + 1, m.left + 1, m.bottom + titleRows + 1, m.right + 1)
  return Buffer.from(await workbook.xlsx.writeBuffer())
}
