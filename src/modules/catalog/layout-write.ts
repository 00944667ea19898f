// Writing catalog entries as a sheet, in the layout districts publish (two header rows, √ marks,
// channel checklists, 公开领域 and 一级事项 merged down over their rows, a 事项编码 column so that the
// sheet reads back to the same items) or as the flat layout with English field names for scripts.
// The result is plain cells and merges; export.ts makes CSV or XLSX of it.
import type { CellRange } from '../../lib/spreadsheet/grid.js'
import type { CatalogEntry, Level } from './elements.js'
import { columnNames, groupNames, type PlainField } from './layout-columns.js'
import { basisCell, channelsCell, contentCell, levelLabels, tickCell } from './layout.js'
import { ruleCell } from './layout-time.js'

export type SheetLayout = 'published' | 'fields'

export interface CatalogSheet {
  title: string[]
  header: string[][]
  rows: string[][]
  merges: CellRange[]
  widths: number[]
  /** Columns whose cells are √ marks (centred in print). */
  tickColumns: number[]
}

export interface SheetContext {
  /** The title line of a printed catalog. */
  title: string
  /** The region's levels, in order: one √ column each. */
  levels: Level[]
  domains: { code: string; nameZh: string }[]
  departmentName(code: string): string
}

interface ColumnSpec {
  upper: string | null
  label: string
  width: number
  tick?: boolean
  cell(e: CatalogEntry, index: number): string
}

/** Entries grouped as a printed catalog lists them: by domain, then by first-level item (in order of first key), then by key. */
export function printOrder(entries: readonly CatalogEntry[], domainOrder: readonly string[]): CatalogEntry[] {
  const byKey = [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const domainRank = (d: string) => {
    const i = domainOrder.indexOf(d)
    return i < 0 ? domainOrder.length : i
  }
  const firstSeen = new Map<string, number>()
  byKey.forEach((e, i) => {
    const group = `${e.domain}\u0000${e.firstLevel}`
    if (!firstSeen.has(group)) firstSeen.set(group, i)
  })
  return byKey
    .map((e, i) => ({ e, i }))
    .sort((a, b) => domainRank(a.e.domain) - domainRank(b.e.domain) || (a.e.domain < b.e.domain ? -1 : a.e.domain > b.e.domain ? 1 : 0) || firstSeen.get(`${a.e.domain}\u0000${a.e.firstLevel}`)! - firstSeen.get(`${b.e.domain}\u0000${b.e.firstLevel}`)! || a.i - b.i)
    .map(({ e }) => e)
}

function publishedColumns(entries: readonly CatalogEntry[], ctx: SheetContext): ColumnSpec[] {
  const domainName = (code: string) => ctx.domains.find((d) => d.code === code)?.nameZh ?? code
  const z = (field: PlainField) => columnNames[field].zh
  const columns: ColumnSpec[] = [
    { upper: null, label: '序号', width: 6, tick: true, cell: (_e, i) => String(i + 1) },
    { upper: null, label: z('domain'), width: 10, cell: (e) => domainName(e.domain) },
    { upper: groupNames.matter, label: z('firstLevel'), width: 14, cell: (e) => e.firstLevel },
    { upper: groupNames.matter, label: z('secondLevel'), width: 18, cell: (e) => e.secondLevel },
  ]
  if (entries.some((e) => e.thirdLevel)) columns.push({ upper: groupNames.matter, label: z('thirdLevel'), width: 16, cell: (e) => e.thirdLevel ?? '' })
  columns.push(
    { upper: null, label: z('content'), width: 26, cell: (e) => contentCell(e.content) },
    { upper: null, label: z('basis'), width: 36, cell: (e) => basisCell(e.basis) },
    { upper: null, label: z('timeLimit'), width: 22, cell: (e) => e.timeLimit.text },
    { upper: null, label: z('department'), width: 14, cell: (e) => e.departments.map((code) => ctx.departmentName(code)).join('、') },
    { upper: null, label: z('channels'), width: 30, cell: (e) => channelsCell(e.channels, e.channelsOther) },
    { upper: groupNames.audience, label: z('public'), width: 7, tick: true, cell: (e) => tickCell(e.audience.public) },
    { upper: groupNames.audience, label: z('specificGroups'), width: 12, tick: true, cell: (e) => tickCell(e.audience.specificGroups, e.audience.groupDescription) },
    { upper: groupNames.mode, label: z('proactive'), width: 6, tick: true, cell: (e) => tickCell(e.mode.proactive) },
    { upper: groupNames.mode, label: z('onRequest'), width: 7, tick: true, cell: (e) => tickCell(e.mode.onRequest) },
    ...ctx.levels.map((level): ColumnSpec => ({ upper: groupNames.level, label: levelLabels[level], width: 6, tick: true, cell: (e) => tickCell(e.levels.includes(level)) })),
    { upper: null, label: z('key'), width: 24, cell: (e) => e.key },
  )
  // Only when some item's wording does not say its rule: the column that carries the rule back.
  if (entries.some((e) => ruleCell(e.timeLimit.text, e.timeLimit.rule) !== '')) {
    columns.push({ upper: null, label: z('timeRule'), width: 22, cell: (e) => ruleCell(e.timeLimit.text, e.timeLimit.rule) })
  }
  return columns
}

function fieldColumns(): ColumnSpec[] {
  const f = (field: PlainField, cell: ColumnSpec['cell']): ColumnSpec => ({ upper: null, label: columnNames[field].en, width: 16, cell })
  return [
    f('key', (e) => e.key),
    f('domain', (e) => e.domain),
    f('firstLevel', (e) => e.firstLevel),
    f('secondLevel', (e) => e.secondLevel),
    f('thirdLevel', (e) => e.thirdLevel ?? ''),
    f('content', (e) => contentCell(e.content)),
    f('basis', (e) => basisCell(e.basis)),
    f('timeLimit', (e) => e.timeLimit.text),
    f('timeRule', (e) => ruleCell(e.timeLimit.text, e.timeLimit.rule)),
    f('department', (e) => e.departments.join('、')),
    f('channels', (e) => e.channels.join(';')),
    f('channelsOther', (e) => e.channelsOther ?? ''),
    f('public', (e) => String(e.audience.public)),
    f('specificGroups', (e) => String(e.audience.specificGroups)),
    f('groupDescription', (e) => e.audience.groupDescription ?? ''),
    f('proactive', (e) => String(e.mode.proactive)),
    f('onRequest', (e) => String(e.mode.onRequest)),
    f('levels', (e) => e.levels.join(';')),
  ]
}

/**
 * The cells of a catalog sheet. In the published layout, `mergeDown` merges 公开领域 and 一级事项 over
 * their rows (XLSX); without it those cells are left blank below the first (CSV, where a blank
 * continues the cell above).
 */
export function catalogSheet(entries: readonly CatalogEntry[], ctx: SheetContext, layout: SheetLayout, mergeDown: boolean): CatalogSheet {
  if (layout === 'fields') {
    const columns = fieldColumns()
    return { title: [], header: [columns.map((c) => c.label)], rows: entries.map((e, i) => columns.map((c) => c.cell(e, i))), merges: [], widths: columns.map((c) => c.width), tickColumns: [] }
  }
  const ordered = printOrder(entries, ctx.domains.map((d) => d.code))
  const columns = publishedColumns(ordered, ctx)
  const merges: CellRange[] = []
  // Header: a group label over its columns (merged across), a single column's label over both rows (merged down).
  const upper: string[] = []
  const lower: string[] = []
  columns.forEach((c, i) => {
    if (c.upper === null) {
      upper.push(c.label)
      lower.push(mergeDown ? c.label : '')
      if (mergeDown) merges.push({ top: 0, left: i, bottom: 1, right: i })
    } else {
      const start = columns[i - 1]?.upper !== c.upper
      upper.push(start || mergeDown ? c.upper : '')
      lower.push(c.label)
      if (start && mergeDown) {
        let end = i
        while (columns[end + 1]?.upper === c.upper) end++
        if (end > i) merges.push({ top: 0, left: i, bottom: 0, right: end })
      }
    }
  })
  const rows = ordered.map((e, i) => columns.map((c) => c.cell(e, i)))
  const domainColumn = columns.findIndex((c) => c.label === columnNames.domain.zh)
  const firstColumn = columns.findIndex((c) => c.label === columnNames.firstLevel.zh)
  // Runs of equal 公开领域, and of equal 一级事项 within a domain: merged (XLSX) or blank below the first (CSV).
  const runs = (same: (a: CatalogEntry, b: CatalogEntry) => boolean, column: number) => {
    let start = 0
    for (let i = 1; i <= ordered.length; i++) {
      if (i < ordered.length && same(ordered[start]!, ordered[i]!)) continue
      if (i - start > 1) {
        if (mergeDown) merges.push({ top: start + 2, left: column, bottom: i + 1, right: column })
        else for (let r = start + 1; r < i; r++) rows[r]![column] = ''
      }
      start = i
    }
  }
  runs((a, b) => a.domain === b.domain, domainColumn)
  runs((a, b) => a.domain === b.domain && a.firstLevel === b.firstLevel, firstColumn)
  return {
    title: [ctx.title],
    header: [upper, lower],
    rows,
    merges,
    widths: columns.map((c) => c.width),
    tickColumns: columns.flatMap((c, i) => (c.tick ? [i] : [])),
  }
}
