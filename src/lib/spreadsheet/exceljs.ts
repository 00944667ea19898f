// exceljs, loaded on first use: it is the heaviest module the API depends on (~0.3 s to import),
// and only spreadsheet uploads and exports need it, so start-up does not pay for it.
import type ExcelJS from 'exceljs'

let loading: Promise<typeof ExcelJS> | undefined

export function loadExcelJS(): Promise<typeof ExcelJS> {
  loading ??= import('exceljs').then((m) => m.default)
  return loading
}
