// Cells no text field can hold (NUL, lone surrogates: lib/text-hygiene.ts) or longer than a spreadsheet
// cell can be (Excel's 32,767 characters) are refused where a sheet is read, naming row and column,
// before any stage above sees them — the same rule as for JSON fields, and no parser above ever runs
// on a 120 KB cell.
import { ProblemError, type FieldError } from '../problems.js'
import { unstorableCharacter } from '../text-hygiene.js'
import { columnLetter } from './grid.js'

const MAX_REPORTED = 20
/** Excel's own limit on a cell's text. */
export const MAX_CELL_LENGTH = 32_767

function cellProblem(text: string): string | null {
  if (text.length > MAX_CELL_LENGTH) return `is longer than ${MAX_CELL_LENGTH.toLocaleString('en')} characters (a spreadsheet cell's limit)`
  const bad = unstorableCharacter(text)
  return bad ? `holds ${bad}, which no text field accepts` : null
}

/** A 422 problem listing each such cell (`/body/{row}/{column}`, 1-based row, column letter). */
export function refuseBadCells(rows: readonly (readonly string[])[]) {
  const errors: FieldError[] = []
  for (let r = 0; r < rows.length && errors.length < MAX_REPORTED; r++) {
    const row = rows[r]!
    for (let c = 0; c < row.length && errors.length < MAX_REPORTED; c++) {
      const problem = cellProblem(row[c]!)
      if (problem) errors.push({ pointer: `/body/${r + 1}/${columnLetter(c)}`, message: `row ${r + 1}, column ${columnLetter(c)} ${problem}` })
    }
  }
  if (errors.length) throw new ProblemError('unprocessable-content', `${errors.length === MAX_REPORTED ? 'At least ' : ''}${errors.length} cell(s) cannot be read as text.`, { errors })
}
