// XLSX through exceljs: the first worksheet read as a Grid (cell texts and merged ranges), and a sheet
// written from plain rows with header rows, merges, widths and print settings, for catalogs and lists
// that people print.
import type ExcelJS from 'exceljs'
import { loadExcelJS } from './exceljs.js'
import type { CellRange, Grid } from './grid.js'

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

function rangeOf(address: string): CellRange | null {
  const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(address.replace(/\$/g, ''))
  if (!m) return null
  const col = (letters: string) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1
  return { top: Number(m[2]) - 1, left: col(m[1]!), bottom: Number(m[4]) - 1, right: col(m[3]!) }
}

/**
 * The first worksheet: every cell's text (merged cells read as their top-left value, as exceljs
 * returns them) and the merged ranges. Rejects bytes that are not an XLSX workbook.
 */
export async function readFirstSheet(bytes: Uint8Array): Promise<Grid & { name: string }> {
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
