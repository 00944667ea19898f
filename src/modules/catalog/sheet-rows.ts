// Stage 3 of reading a catalog sheet: each data row of each table as an item candidate, the cells read
// as people fill them — blank or merged cells continuing the row above (一级事项, 公开依据, 时限, 主体,
// 渠道), 同上, dashes for an empty 二级事项, √ and ✓, a group named instead of ticked, object, mode and
// level as text — and every row that is not an item (notes, prose, section headings) set aside with its
// reason. Names (公开主体, 公开领域) are left as written: the next stage (sheet-names.ts) resolves them.
import { cellOf, columnLetter, isBlankRow, normalizeLabel, type Grid } from '../../lib/spreadsheet/grid.js'
import { distinctTexts, type FoundTable } from '../../lib/spreadsheet/tables.js'
import type { Level, TimeRule } from './elements.js'
import { columnNames, type PlainField } from './layout-columns.js'
import { levelLabels, readBasis, readBoolean, readChannels, readContent, readLevels, readTick, type CellResult } from './layout.js'
import { describeRule, parseTimeLimit, readRuleCell } from './layout-time.js'
import { regionLevelsOf, type ColumnMap, type MappedColumn } from './sheet-columns.js'

/** Where a value came from, for messages: the column's letter (null when the sheet has no such column) and its label. */
export interface ColumnRef {
  letter: string | null
  label: string
}

export interface CellProblem {
  column: ColumnRef
  message: string
}

/** A data row as an item candidate (unchecked, names unresolved). */
export interface ReadRow {
  /** The row number the spreadsheet shows (1-based). */
  row: number
  candidate: Record<string, unknown>
  /** The 公开主体 cell as written (after continuation), or null without one. */
  bodies: string | null
  /** The 公开领域 cell as written (after continuation), or null without one. */
  domainText: string | null
  /** The nearest heading above the row: a section heading inside its table, or its table's heading lines. */
  heading: string[]
  problems: CellProblem[]
  /** Every assumption made reading the row (同上 resolved, a blank cell continuing the one above…). */
  warnings: string[]
  /** The column an element path (`/audience/groupDescription`, `/levels/1`) came from. */
  columnOf(path: string): ColumnRef
}

export interface SkippedRow {
  row: number
  reason: 'note' | 'text' | 'heading' | 'repeated header'
  text: string
}

const NOTE_ROW = /^(注|说明|备注|填报说明|附注)\s*\d*\s*[:：.、]/
/** A note under a table (注：…, 说明：…). */
export const isNoteText = (text: string) => NOTE_ROW.test(text.trim())
const SAME_AS_ABOVE = /^(同上|同前|〃|")$/
const DASH = /^[-－—─–―~～/]+$/
// A blank cell in these columns continues the one above (CSV writes a vertical merge so; the standard's
// cells are never legitimately empty there, so a blank cannot mean "none").
// (Not 时限规则: a blank there means the wording says the rule.)
const CONTINUED: PlainField[] = ['domain', 'firstLevel', 'basis', 'timeLimit', 'department', 'channels']

const where = (c: MappedColumn): ColumnRef => ({ letter: columnLetter(c.index), label: c.label })

/** A reader that reads each distinct text once: sheets repeat the same basis, time limit and channels on many rows. */
function once<T>(read: (text: string) => T): (text: string) => T {
  const seen = new Map<string, T>()
  return (text) => {
    if (seen.has(text)) return seen.get(text)!
    const value = read(text)
    if (seen.size < 10_000) seen.set(text, value)
    return value
  }
}

interface CellReaders {
  basis: (text: string) => ReturnType<typeof readBasis>
  channels: (text: string) => ReturnType<typeof readChannels>
  timeLimit: (text: string) => TimeRule
}

/**
 * Reads the rows of `table` (one of a sheet's tables), with the columns `map` found. `heading` is the
 * heading the rows are under when the table has none of its own (a header repeated after a page break).
 */
export function readTableRows(grid: Grid, table: FoundTable, map: ColumnMap, regionLevels: readonly Level[], heading: string[] = []): { rows: ReadRow[]; skipped: SkippedRow[]; heading: string[] } {
  const rows: ReadRow[] = []
  const skipped: SkippedRow[] = []
  const fillDown = map.layout !== 'fields'
  const above = new Map<number, string>() // column index → the text of the item row above
  if (table.header.title.length) heading = table.header.title
  const readers: CellReaders = { basis: once(readBasis), channels: once(readChannels), timeLimit: once(parseTimeLimit) }
  const dataColumns = [...map.byField.values(), ...map.levelColumns].filter((c) => c.field !== 'domain' && c.field !== 'firstLevel')
  for (let r = table.header.firstDataRow; r < table.endRow; r++) {
    const texts = distinctTexts(grid.rows[r])
    if (!texts.length) continue
    const first = texts[0]!
    if (NOTE_ROW.test(first)) {
      skipped.push({ row: r + 1, reason: 'note', text: first.slice(0, 80) })
      continue
    }
    if (texts.length === 1) {
      // One text alone on its row: a section heading (it may name the domain of the rows below) or prose.
      const isHeading = /领域|目录[（(]?.*[）)]?$|^[（(]?[一二三四五六七八九十\d]+[）)、.]/.test(first) && !/[。；;]/.test(first)
      skipped.push({ row: r + 1, reason: isHeading ? 'heading' : 'text', text: first.slice(0, 80) })
      if (isHeading) heading = [first]
      continue
    }
    // A row with nothing but 公开领域 and 一级事项 (cells a merge carries) and a 序号 is empty.
    if (isBlankRow(dataColumns.map((c) => cellOf(grid, r, c.index)))) continue
    rows.push(readRow(grid, r, map, regionLevels, readers, fillDown ? above : null, heading))
  }
  return { rows, skipped, heading }
}

function readRow(grid: Grid, r: number, map: ColumnMap, regionLevels: readonly Level[], readers: CellReaders, above: Map<number, string> | null, heading: string[]): ReadRow {
  const problems: CellProblem[] = []
  const warnings: string[] = []
  const candidate: Record<string, unknown> = {}
  const { byField } = map
  const has = (field: PlainField) => byField.has(field)
  const ref = (field: PlainField): ColumnRef => {
    const c = byField.get(field)
    return c ? where(c) : { letter: null, label: columnNames[field].zh }
  }
  // A cell's text: 同上 is the row above's; a blank in a continued column is the row above's.
  const cell = (c: MappedColumn): string => {
    let value = cellOf(grid, r, c.index).trim()
    if (above) {
      if (SAME_AS_ABOVE.test(value)) {
        const previous = above.get(c.index)
        if (previous !== undefined) {
          warnings.push(`column ${columnLetter(c.index)} (${c.label}): 同上 read as the row above (${previous.slice(0, 30)})`)
          value = previous
        }
      } else if (value === '' && c.field !== 'levelTick' && CONTINUED.includes(c.field as PlainField)) {
        const previous = above.get(c.index)
        if (previous !== undefined) {
          if (c.field !== 'domain' && c.field !== 'firstLevel') warnings.push(`column ${columnLetter(c.index)} (${c.label}): blank, continues the row above`)
          value = previous
        }
      }
      above.set(c.index, value)
    }
    return value
  }
  const text = (field: PlainField): string | undefined => {
    const c = byField.get(field)
    return c ? cell(c) : undefined
  }
  const take = <T>(field: PlainField, result: CellResult<T>): T | undefined => {
    if (result.ok) return result.value
    problems.push({ column: ref(field), message: result.message })
    return undefined
  }

  const domainText = text('domain') || null
  const firstLevel = text('firstLevel')
  if (firstLevel !== undefined) candidate.firstLevel = firstLevel
  const secondLevel = text('secondLevel')
  if (secondLevel !== undefined) {
    // A dash: the first-level item has no second level; it is its own item.
    if (DASH.test(secondLevel) && firstLevel) {
      candidate.secondLevel = firstLevel
      warnings.push(`column ${ref('secondLevel').letter} (${ref('secondLevel').label}): "${secondLevel}" read as no second level; the item is named by its first level (${firstLevel})`)
    } else candidate.secondLevel = secondLevel
  }
  const thirdLevel = text('thirdLevel')
  if (thirdLevel !== undefined) candidate.thirdLevel = thirdLevel === '' || DASH.test(thirdLevel) ? null : thirdLevel
  const key = text('key')
  if (key) candidate.key = key
  const bodies = text('department') || null

  const content = text('content')
  if (content !== undefined) candidate.content = readContent(content)
  const basis = text('basis')
  if (basis !== undefined) candidate.basis = basis === '' || DASH.test(basis) || basis === '无' ? [] : take('basis', readers.basis(basis))

  // 公开时限: the wording, and the rule it says unless a 时限规则 cell says otherwise.
  const wording = text('timeLimit')
  const ruleText = text('timeRule')
  let rule: TimeRule | undefined
  if (ruleText) {
    try {
      rule = readRuleCell(ruleText)
    } catch (err) {
      problems.push({ column: ref('timeRule'), message: `"${ruleText}" ${(err as Error).message}` })
    }
  }
  if (wording || rule) {
    const words = wording || (rule ? (describeRule(rule) ?? '') : '')
    candidate.timeLimit = { text: words, rule: rule ?? readers.timeLimit(words) }
  } else if (wording !== undefined || ruleText !== undefined) candidate.timeLimit = { text: '', rule: { type: 'other' } }

  const channels = text('channels')
  if (channels !== undefined) {
    const read = take('channels', readers.channels(channels))
    if (read) {
      candidate.channels = read.channels
      candidate.channelsOther = read.other
      for (const k of read.kept) warnings.push(`column ${ref('channels').letter} (${ref('channels').label}): "${k}" is not a channel of the standard checklist; kept as other (channelsOther)`)
    }
  }
  const channelsOther = text('channelsOther')
  if (channelsOther) candidate.channelsOther = channelsOther

  // 公开对象: √ columns (the group named in the 特定群体 cell, or instead of the tick), true/false columns, or one text column.
  if (has('public') || has('specificGroups')) {
    const flag = (field: 'public' | 'specificGroups') => {
      const c = byField.get(field)
      const value = c ? cell(c) : ''
      if (c?.english) return { ticked: take(field, readBoolean(value)) ?? false, note: null }
      return readTick(value)
    }
    const pub = flag('public').ticked
    const { ticked: specific, note } = flag('specificGroups')
    const described = text('groupDescription') || note
    if (specific && !described && !byField.get('specificGroups')?.english) warnings.push(`column ${ref('specificGroups').letter} (${ref('specificGroups').label}): ticked without naming the group`)
    candidate.audience = { public: pub, specificGroups: specific, ...(described ? { groupDescription: described } : {}) }
  } else if (has('audience')) {
    candidate.audience = readAudienceText(text('audience') ?? '')
  }

  // 公开方式: √ (or true/false) columns, or one text column (主动公开、依申请公开).
  if (has('proactive') || has('onRequest')) {
    const flag = (field: 'proactive' | 'onRequest') => {
      const c = byField.get(field)
      if (!c) return false
      return c.english ? (take(field, readBoolean(cell(c))) ?? false) : readTick(cell(c)).ticked
    }
    candidate.mode = { proactive: flag('proactive'), onRequest: flag('onRequest') }
  } else if (has('mode')) {
    const value = text('mode') ?? ''
    candidate.mode = { proactive: value.includes('主动') || /proactive/i.test(value), onRequest: value.includes('依申请') || /on_?request/i.test(value) }
  }

  // 公开层级: a √ column per level (or group of levels), or one list column; mapped to the region's levels.
  const levelColumnOf = new Map<Level, MappedColumn>()
  if (map.levelColumns.length) {
    const levels: Level[] = []
    for (const c of map.levelColumns) {
      const value = cellOf(grid, r, c.index)
      const ticked = c.english ? readBoolean(value) : { ok: true as const, value: readTick(value).ticked }
      if (!ticked.ok) problems.push({ column: where(c), message: ticked.message })
      else if (ticked.value) {
        for (const l of c.levels) if (!levelColumnOf.has(l)) levelColumnOf.set(l, c)
        levels.push(...c.levels)
      }
    }
    candidate.levels = [...new Set(levels)]
  } else if (has('levels')) {
    const named = take('levels', readLevels(text('levels') ?? ''))
    if (named) {
      const { levels, unmatched } = regionLevelsOf(named, regionLevels)
      if (unmatched.length) warnings.push(`column ${ref('levels').letter} (${ref('levels').label}): this region has no ${unmatched.map((l) => levelLabels[l]).join('、')} level; left out`)
      candidate.levels = unmatched.length && !levels.length ? named : levels
    }
  }

  const columnOf = (path: string): ColumnRef => {
    const [, first = '', second = '', third = ''] = path.split('/')
    switch (first) {
      case '':
        return ref('secondLevel')
      case 'key':
        return has('key') ? ref('key') : ref('secondLevel')
      case 'departments':
        return ref('department')
      case 'timeLimit':
        return second === 'rule' && has('timeRule') ? ref('timeRule') : ref('timeLimit')
      case 'channelsOther':
        return has('channelsOther') ? ref('channelsOther') : ref('channels')
      case 'audience':
        if (!has('public') && !has('specificGroups')) return ref('audience')
        if (second === 'groupDescription' && has('groupDescription')) return ref('groupDescription')
        return second === 'specificGroups' || second === 'groupDescription' ? ref('specificGroups') : ref('public')
      case 'mode':
        if (!has('proactive') && !has('onRequest')) return ref('mode')
        return second === 'onRequest' ? ref('onRequest') : ref('proactive')
      case 'levels': {
        const level = (candidate.levels as Level[] | undefined)?.[Number(third || second)]
        const c = (level && levelColumnOf.get(level)) || map.levelColumns[0]
        return c ? where(c) : ref('levels')
      }
      default:
        return first in columnNames ? ref(first as PlainField) : ref('secondLevel')
    }
  }
  return { row: r + 1, candidate, bodies, domainText, heading, problems, warnings, columnOf }
}

/** 公开对象 as one text: 全社会、特定群体（申请人）, or the group itself (申请人). */
export function readAudienceText(value: string) {
  const tokens = value
    .split(/[、,，;；\n]+/)
    .map((t) => t.trim())
    .filter(Boolean)
  let pub = false
  let specific = false
  const groups: string[] = []
  for (const token of tokens) {
    const n = normalizeLabel(token)
    if (n.startsWith('全社会') || n === '社会公众' || n === 'public') pub = true
    else {
      specific = true
      const rest = token
        .replace(/^特定(群体|群众|对象)\s*[:：]?/, '')
        .trim()
        .replace(/^[（(](.*)[）)]$/s, '$1')
        .trim()
      if (rest && !/^specific_?groups?$/i.test(rest)) groups.push(rest)
    }
  }
  return { public: pub, specificGroups: specific, ...(groups.length ? { groupDescription: groups.join('、') } : {}) }
}
