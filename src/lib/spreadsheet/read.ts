// One entry point for uploaded tables: CSV (any of the encodings Excel writes) or XLSX (the first
// worksheet), as a Grid with merged cells filled. Parsing failures are SpreadsheetErrors whose message
// can be shown to the uploader as is.
import { CsvSyntaxError, parseCsv } from './csv.js'
import { fillMerges, type Grid } from './grid.js'
import { decodeText, UnsupportedCharsetError, type TextEncoding } from './text.js'
import { readFirstSheet, XlsxReadError } from './xlsx.js'

export type TableFormat = 'csv' | 'xlsx'

export const xlsxMediaType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

export class SpreadsheetError extends Error {
  override name = 'SpreadsheetError'
}

export interface Table {
  format: TableFormat
  /** Cells with merged ranges filled; `merges` keeps the ranges. */
  grid: Grid
  /** CSV only: the encoding the bytes were read in. */
  encoding: TextEncoding | null
  /** XLSX only: the worksheet read. */
  sheetName: string | null
}

export async function readTable(bytes: Uint8Array, format: TableFormat, charset?: string | null): Promise<Table> {
  // A request without a body reaches here with none (found by the fuzzer: a 500 before).
  if (!(bytes instanceof Uint8Array)) throw new SpreadsheetError('the request has no body')
  try {
    if (format === 'xlsx') {
      const sheet = await readFirstSheet(bytes)
      return { format, grid: fillMerges(sheet), encoding: null, sheetName: sheet.name }
    }
    const decoded = decodeText(bytes, charset)
    return { format, grid: parseCsv(decoded.text), encoding: decoded.encoding, sheetName: null }
  } catch (err) {
    if (err instanceof CsvSyntaxError || err instanceof XlsxReadError || err instanceof UnsupportedCharsetError) throw new SpreadsheetError(err.message)
    throw err
  }
}
