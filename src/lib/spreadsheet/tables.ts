// The tables of a sheet as districts lay them out: title and metadata lines above the first header, and
// in compilations (汇编) further tables below, each under its own section heading
// (（二）救灾领域基层政务公开标准目录) with its header repeated — or a header repeated after a page break
// with no heading at all. The first stage of reading any uploaded sheet (catalogs, notice entry lists).
import { headerAt, isBlankRow, isHeaderRow, isKnownLabel, type Grid, type HeaderLocation, type HeaderVocabulary } from './grid.js'

export interface FoundTable {
  /** Its header; `header.title` holds the lines above it: the sheet's title for the first table, the section heading for a later one. */
  header: HeaderLocation
  /** 0-based index of its first row: its first heading line (0 for the first table), else its header. */
  startRow: number
  /** 0-based index one past its last row. */
  endRow: number
}

/** The distinct non-empty texts of a row (a cell merged across the row counts once). */
export function distinctTexts(row: readonly string[] | undefined): string[] {
  return [...new Set((row ?? []).map((s) => s.trim()).filter(Boolean))]
}

/** One text alone on its row (a title, a section heading, a note, prose), merged across or in one cell. */
export const isLoneTextRow = (row: readonly string[] | undefined): boolean => distinctTexts(row).length === 1

/**
 * A header further down must look like one beyond doubt: most of its texts are labels the vocabulary
 * knows, so that a data row with text cells such as 全社会 or 主动公开 is never taken for a header.
 */
function isRepeatedHeaderRow(grid: Grid, r: number, vocabulary: HeaderVocabulary): boolean {
  const texts = distinctTexts(grid.rows[r])
  // At most 30 % unknown: a data row is given up on at its first few texts.
  const unknownAllowed = Math.floor((texts.length * 3) / 10)
  let unknown = 0
  for (const text of texts) if (!isKnownLabel(text, vocabulary) && ++unknown > unknownAllowed) return false
  return isHeaderRow(grid, r, vocabulary)
}

/**
 * Every table of `grid`: the first header within `scanRows` (as `locateHeader` finds it), then each
 * header repeated below it. Heading lines right above a repeated header (lone texts, blank rows)
 * belong to the table they head, not to the one before. Empty when no header is found.
 */
export function findTables(grid: Grid, vocabulary: HeaderVocabulary): FoundTable[] {
  const scan = Math.min(grid.rows.length, vocabulary.scanRows ?? 10)
  let first = -1
  for (let r = 0; r < scan && first < 0; r++) if (isHeaderRow(grid, r, vocabulary)) first = r
  if (first < 0) return []
  const tables: FoundTable[] = []
  let current = headerAt(grid, first, vocabulary, grid.rows.slice(0, first).flat())
  let startRow = 0
  for (let r = current.firstDataRow; r < grid.rows.length; r++) {
    if (!isRepeatedHeaderRow(grid, r, vocabulary)) continue
    let headingStart = r
    while (headingStart > current.firstDataRow && (isBlankRow(grid.rows[headingStart - 1]) || isLoneTextRow(grid.rows[headingStart - 1]))) headingStart--
    tables.push({ header: current, startRow, endRow: headingStart })
    startRow = headingStart
    current = headerAt(grid, r, vocabulary, grid.rows.slice(headingStart, r).flatMap((row) => distinctTexts(row)))
    r = current.firstDataRow - 1
  }
  tables.push({ header: current, startRow, endRow: grid.rows.length })
  return tables
}
