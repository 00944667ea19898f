// A sheet as plain values, whatever file it came from: rows of cell texts plus the merged ranges.
// Merged cells read as their top-left value in every cell they cover (what a reader of the printed
// sheet sees). Also: finding a table's header rows under title lines, in one- or two-row form.

/** A merged range, 0-based and inclusive. */
export interface CellRange {
  top: number
  left: number
  bottom: number
  right: number
}

export interface Grid {
  /** Cell texts, row by row (0-based); rows may differ in length; missing cells are ''. */
  rows: string[][]
  merges: CellRange[]
}

/** `A`, `B`, …, `Z`, `AA`, … for a 0-based column index. */
export function columnLetter(index: number): string {
  let n = index + 1
  let s = ''
  while (n > 0) {
    const r = (n - 1) % 26
    s = String.fromCharCode(65 + r) + s
    n = Math.floor((n - 1) / 26)
  }
  return s
}

export const cellOf = (grid: Grid, row: number, column: number): string => grid.rows[row]?.[column] ?? ''

export const isBlankRow = (row: readonly string[] | undefined): boolean => !row || row.every((c) => c.trim() === '')

export function columnCount(grid: Grid): number {
  return grid.rows.reduce((n, r) => Math.max(n, r.length), 0)
}

/** Copies each merged range's top-left value into every cell it covers. */
export function fillMerges(grid: Grid): Grid {
  const rows = grid.rows.map((r) => [...r])
  for (const m of grid.merges) {
    const value = rows[m.top]?.[m.left] ?? ''
    for (let r = m.top; r <= m.bottom; r++) {
      const row = (rows[r] ??= [])
      for (let c = m.left; c <= m.right; c++) row[c] = value
    }
  }
  for (let r = 0; r < rows.length; r++) rows[r] = Array.from({ length: rows[r]!.length }, (_, c) => rows[r]![c] ?? '')
  return { rows, merges: grid.merges }
}

/** A header label in a comparable form: full-width forms folded (NFKC), no whitespace, lower case. */
export function normalizeLabel(label: string): string {
  return label.normalize('NFKC').replace(/\s+/g, '').toLowerCase()
}

export interface HeaderColumn {
  index: number
  /** The label that names the column: the lower header cell, or the upper one when the lower is empty or merged into it. */
  label: string
  /** The upper header cell of a two-row header (公开对象 over 全社会), else null. */
  group: string | null
}

export interface HeaderLocation {
  /** 0-based index of the first header row. */
  row: number
  /** 1 or 2. */
  rowCount: 1 | 2
  columns: HeaderColumn[]
  /** Non-empty texts of the rows above the header (the sheet's title lines). */
  title: string[]
  /** 0-based index of the first data row. */
  firstDataRow: number
}

export interface HeaderVocabulary {
  /** Is this a column label the reader knows (in normalized form)? */
  isColumn(normalized: string): boolean
  /** Is this an upper label of a two-row header (公开事项, 公开对象…), in normalized form? */
  isGroup(normalized: string): boolean
  /** How many known columns a row needs to count as the header (default 2). */
  minColumns?: number
  /** How far down to look for the header (default 10 rows). */
  scanRows?: number
}

/**
 * Longer than any header label a sheet uses (公开依据（法律法规、规章、规范性文件名称及文号） is 25): a cell
 * this long is data, so it is not normalized to be looked up (every data row of a sheet is checked for a
 * repeated header, and its long texts — content lists, bases — cost most of that).
 */
export const LONGEST_LABEL = 60

// Each vocabulary's answers by cell text: a sheet repeats most of its short texts (√, 全社会, body names)
// on every row. Bounded: emptied when full.
const knownLabels = new WeakMap<HeaderVocabulary, Map<string, boolean>>()
const KNOWN_LABELS_KEPT = 20_000

/** Is `text` a label the vocabulary knows (a column or a group)? */
export function isKnownLabel(text: string, vocabulary: HeaderVocabulary): boolean {
  if (text.length > LONGEST_LABEL) return false
  let answers = knownLabels.get(vocabulary)
  if (!answers) knownLabels.set(vocabulary, (answers = new Map()))
  let known = answers.get(text)
  if (known === undefined) {
    const n = normalizeLabel(text)
    known = n !== '' && (vocabulary.isColumn(n) || vocabulary.isGroup(n))
    if (answers.size >= KNOWN_LABELS_KEPT) answers.clear()
    answers.set(text, known)
  }
  return known
}

/** Does row `r` qualify as a header row: at least `minColumns` known labels (group labels count)? */
export function isHeaderRow(grid: Grid, r: number, vocabulary: HeaderVocabulary): boolean {
  const needed = vocabulary.minColumns ?? 2
  let known = 0
  for (const s of grid.rows[r] ?? []) if (isKnownLabel(s, vocabulary) && ++known >= needed) return true
  return false
}

/**
 * The header that starts at row `r` (a row `isHeaderRow` accepted), with the title lines `above` it.
 * When that row holds group labels and the next row adds known labels, the header has two rows and
 * each column is named by its lower cell (or its upper cell where the lower is empty, as a CSV writes
 * a vertically merged cell, or repeats it, as a filled merge does).
 */
export function headerAt(grid: Grid, r: number, vocabulary: HeaderVocabulary, above: readonly string[]): HeaderLocation {
  const upper = grid.rows[r] ?? []
  const title = above.map((s) => s.trim()).filter((s, i, all) => s !== '' && all.indexOf(s) === i)
  const lower = grid.rows[r + 1] ?? []
  const hasGroups = upper.some((s) => vocabulary.isGroup(normalizeLabel(s)))
  const lowerAdds = lower.some((s, c) => s.trim() !== '' && s !== upper[c] && vocabulary.isColumn(normalizeLabel(s)))
  // The lower row is labels (a data row under a one-row header may hold a few, 全社会 or 主动公开, among its texts).
  const lowerTexts = lower.filter((s, c) => s.trim() !== '' && s !== upper[c])
  const lowerIsLabels = lowerTexts.filter((s) => vocabulary.isColumn(normalizeLabel(s)) || vocabulary.isGroup(normalizeLabel(s))).length * 10 >= lowerTexts.length * 7
  const width = Math.max(upper.length, lower.length)
  if (hasGroups && lowerAdds && lowerIsLabels) {
    const columns: HeaderColumn[] = []
    let group: string | null = null
    for (let c = 0; c < width; c++) {
      const top = (upper[c] ?? '').trim()
      const bottom = (lower[c] ?? '').trim()
      // A group label spans the columns to its right until the next upper label (CSV leaves them blank).
      if (top !== '') group = vocabulary.isGroup(normalizeLabel(top)) ? top : null
      const label = bottom !== '' ? bottom : top
      if (label === '') continue
      columns.push({ index: c, label, group: bottom !== '' && bottom !== top ? group : null })
    }
    return { row: r, rowCount: 2, columns, title, firstDataRow: r + 2 }
  }
  const columns = upper.map((s, index) => ({ index, label: s.trim(), group: null })).filter((c) => c.label !== '')
  return { row: r, rowCount: 1, columns, title, firstDataRow: r + 1 }
}

/** Finds the header: the first row within `scanRows` with at least `minColumns` known labels (see headerAt). */
export function locateHeader(grid: Grid, vocabulary: HeaderVocabulary): HeaderLocation | null {
  const scan = Math.min(grid.rows.length, vocabulary.scanRows ?? 10)
  for (let r = 0; r < scan; r++) {
    if (isHeaderRow(grid, r, vocabulary)) return headerAt(grid, r, vocabulary, grid.rows.slice(0, r).flat())
  }
  return null
}
