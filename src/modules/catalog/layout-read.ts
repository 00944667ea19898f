// Reading a catalog sheet (CSV or the first worksheet of an XLSX) into item candidates, row by row:
// the header found under any title lines (one row of English field names or Chinese headers, or the
// published two-row header), each cell read by its column, blank 公开领域 and 一级事项 cells continuing
// the row above (as a merged cell does), and every unreadable cell reported with its row and column.
// The candidates are then checked like any other item (bulk-rows.ts).
import { cellOf, columnLetter, isBlankRow, locateHeader, normalizeLabel, type Grid } from '../../lib/spreadsheet/grid.js'
import type { Level, TimeRule } from './elements.js'
import { columnFieldOf, columnNames, isColumnLabel, isEnglishLabel, isGroupLabel, type ColumnField, type PlainField } from './layout-columns.js'
import { readBasis, readBoolean, readChannels, readContent, readLevels, readTick, type CellResult } from './layout.js'
import { describeRule, parseTimeLimit, readRuleCell } from './layout-time.js'

/** Where a value came from, for messages: the column's letter (null when the sheet has no such column) and its label. */
export interface ColumnRef {
  letter: string | null
  label: string
}

export interface CellProblem {
  column: ColumnRef
  message: string
}

/** A row of the sheet as an item candidate (unchecked), with the problems of its cells. */
export interface SheetRow {
  /** The row number the spreadsheet shows (1-based). */
  row: number
  candidate: Record<string, unknown>
  problems: CellProblem[]
  /** The column an element path (`/audience/groupDescription`, `/levels/1`) came from. */
  columnOf(path: string): ColumnRef
}

export interface SheetNames {
  /** A domain's code from its code or Chinese name. */
  domainNamed(text: string): string | undefined
  /** A department's code from its code or Chinese name. */
  departmentNamed(text: string): string | undefined
  /** Domain codes with their Chinese names, for the title line and messages. */
  domains: { code: string; nameZh: string }[]
}

export interface SheetDefaults {
  department?: string | undefined
  domain?: string | undefined
}

export interface SheetRead {
  layout: 'published' | 'chinese' | 'fields'
  rows: SheetRow[]
  /** Problems of the sheet as a whole (no header, duplicate columns…); rows are not read then. */
  sheetProblems: string[]
  warnings: string[]
}

interface Column {
  index: number
  label: string
  field: ColumnField
}

const NOTE_ROW = /^(注|说明|备注)[:：]/

/** Reads every data row of `grid`. `defaults` fill blank department and domain cells. */
export function readCatalogSheet(grid: Grid, names: SheetNames, defaults: SheetDefaults = {}): SheetRead {
  const header = locateHeader(grid, { isColumn: isColumnLabel, isGroup: isGroupLabel, minColumns: 2 })
  if (!header) {
    return { layout: 'fields', rows: [], sheetProblems: ['no header row found in the first 10 rows (expected columns such as 一级事项, 二级事项, 公开内容 or firstLevel, secondLevel, content)'], warnings: [] }
  }
  const warnings: string[] = []
  const columns: Column[] = []
  const seen = new Map<ColumnField, Column>()
  const sheetProblems: string[] = []
  for (const c of header.columns) {
    // In a two-row header a group label alone (公开层级 with no level under it) names the list column.
    const field = columnFieldOf(c.label)
    if (!field) {
      warnings.push(`column ${columnLetter(c.index)} (${c.label}) is not a catalog column and was not read`)
      continue
    }
    if (field === 'ignore') continue
    const before = seen.get(field)
    if (before) {
      sheetProblems.push(`columns ${columnLetter(before.index)} and ${columnLetter(c.index)} are both ${c.label}`)
      continue
    }
    const column = { index: c.index, label: c.label, field }
    seen.set(field, column)
    columns.push(column)
  }
  const layout = header.rowCount === 2 ? 'published' : columns.every((c) => isEnglishLabel(c.label) || c.field.startsWith('level:')) ? 'fields' : 'chinese'
  for (const required of ['secondLevel'] as const) {
    if (!seen.has(required)) sheetProblems.push(`the sheet has no ${columnNames[required].zh} (${columnNames[required].en}) column`)
  }
  if (sheetProblems.length) return { layout, rows: [], sheetProblems, warnings }

  // A sheet for one domain names it in its title (征地补偿领域基层政务公开标准目录).
  let titleDomain: string | undefined
  if (!seen.has('domain') && !defaults.domain) {
    const matches = names.domains.filter((d) => header.title.some((t) => t.includes(d.nameZh)))
    if (matches.length === 1) titleDomain = matches[0]!.code
  }

  const fillDown = layout !== 'fields'
  const carried: Partial<Record<'domain' | 'firstLevel', string>> = {}
  const rows: SheetRow[] = []
  for (let r = header.firstDataRow; r < grid.rows.length; r++) {
    const cells = grid.rows[r]
    // A row with nothing but 公开领域 and 一级事项 (cells a merge or the row above carries) is empty.
    if (isBlankRow(columns.filter((c) => c.field !== 'domain' && c.field !== 'firstLevel').map((c) => cellOf(grid, r, c.index)))) continue
    const firstText = (cells ?? []).find((s) => s.trim() !== '')?.trim() ?? ''
    if (NOTE_ROW.test(firstText) && !cellOf(grid, r, seen.get('secondLevel')!.index).trim()) {
      warnings.push(`row ${r + 1} was read as a note and skipped: ${firstText.slice(0, 40)}`)
      continue
    }
    rows.push(readRow(grid, r, seen, names, { ...defaults, domain: defaults.domain ?? titleDomain }, fillDown ? carried : null))
  }
  return { layout, rows, sheetProblems: [], warnings }
}

function readRow(
  grid: Grid,
  r: number,
  seen: Map<ColumnField, Column>,
  names: SheetNames,
  defaults: SheetDefaults,
  carried: Partial<Record<'domain' | 'firstLevel', string>> | null,
): SheetRow {
  const problems: CellProblem[] = []
  const candidate: Record<string, unknown> = {}
  const ref = (field: PlainField): ColumnRef => {
    const c = seen.get(field)
    return c ? { letter: columnLetter(c.index), label: c.label } : { letter: null, label: columnNames[field].zh }
  }
  const text = (field: ColumnField): string | undefined => {
    const c = seen.get(field)
    return c ? cellOf(grid, r, c.index).trim() : undefined
  }
  const take = <T>(field: PlainField, result: CellResult<T>): T | undefined => {
    if (result.ok) return result.value
    problems.push({ column: ref(field), message: result.message })
    return undefined
  }
  const has = (field: ColumnField) => seen.has(field)

  // Names, with 公开领域 and 一级事项 continuing from the row above when blank.
  for (const field of ['domain', 'firstLevel'] as const) {
    let value = text(field)
    if (carried) {
      if (value) carried[field] = value
      else value = carried[field]
    }
    if (field === 'domain') {
      if (value) {
        const code = names.domainNamed(value)
        candidate.domain = code ?? value
        if (!code) problems.push({ column: ref('domain'), message: `no domain named "${value}" (${names.domains.map((d) => d.nameZh).join(', ')})` })
      } else if (defaults.domain) candidate.domain = defaults.domain
    } else if (value !== undefined) candidate.firstLevel = value
  }
  for (const field of ['secondLevel', 'thirdLevel'] as const) {
    const value = text(field)
    if (value !== undefined) candidate[field] = field === 'thirdLevel' && value === '' ? null : value
  }
  const key = text('key')
  if (key) candidate.key = key

  const department = text('department')
  if (department) {
    const code = names.departmentNamed(department)
    // An unknown name stays as written (the item check says it is no department), never replaced by the default.
    candidate.department = code ?? department
  } else if (defaults.department) candidate.department = defaults.department

  const content = text('content')
  if (content !== undefined) candidate.content = readContent(content)
  const basis = text('basis')
  if (basis !== undefined) candidate.basis = basis === '' ? [] : take('basis', readBasis(basis))

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
    candidate.timeLimit = { text: words, rule: rule ?? parseTimeLimit(words) }
  } else if (wording !== undefined || ruleText !== undefined) candidate.timeLimit = { text: '', rule: { type: 'other' } }

  const channels = text('channels')
  if (channels !== undefined) {
    const read = take('channels', readChannels(channels))
    if (read) {
      candidate.channels = read.channels
      candidate.channelsOther = read.other
    }
  }
  const channelsOther = text('channelsOther')
  if (channelsOther) candidate.channelsOther = channelsOther

  // 公开对象: √ columns (the group named in the 特定群体 cell), true/false columns, or one text column.
  if (has('public') || has('specificGroups')) {
    const english = (field: 'public' | 'specificGroups') => isEnglishLabel(seen.get(field)?.label ?? '')
    const pub = english('public') ? (take('public', readBoolean(text('public') ?? '')) ?? false) : readTick(text('public') ?? '').ticked
    let specific = false
    let note: string | null = null
    if (english('specificGroups')) specific = take('specificGroups', readBoolean(text('specificGroups') ?? '')) ?? false
    else ({ ticked: specific, note } = readTick(text('specificGroups') ?? ''))
    const described = text('groupDescription') || note
    candidate.audience = { public: pub, specificGroups: specific, ...(described ? { groupDescription: described } : {}) }
  } else if (has('audience')) {
    candidate.audience = readAudienceText(text('audience') ?? '')
  }

  // 公开方式: √ (or true/false) columns, or one text column (主动、依申请).
  if (has('proactive') || has('onRequest')) {
    const flag = (field: 'proactive' | 'onRequest') =>
      isEnglishLabel(seen.get(field)?.label ?? '') ? (take(field, readBoolean(text(field) ?? '')) ?? false) : readTick(text(field) ?? '').ticked
    candidate.mode = { proactive: flag('proactive'), onRequest: flag('onRequest') }
  } else if (has('mode')) {
    const value = text('mode') ?? ''
    candidate.mode = { proactive: value.includes('主动') || /proactive/i.test(value), onRequest: value.includes('依申请') || /on_?request/i.test(value) }
  }

  // 公开层级: a √ column per level, or one list column.
  const levelColumns = [...seen.values()].filter((c) => c.field.startsWith('level:'))
  const levelColumnOf = new Map<Level, Column>()
  if (levelColumns.length) {
    const levels: Level[] = []
    for (const c of levelColumns) {
      const level = c.field.slice('level:'.length) as Level
      levelColumnOf.set(level, c)
      const cell = cellOf(grid, r, c.index)
      const ticked = isEnglishLabel(c.label) ? readBoolean(cell) : { ok: true as const, value: readTick(cell).ticked }
      if (!ticked.ok) problems.push({ column: { letter: columnLetter(c.index), label: c.label }, message: ticked.message })
      else if (ticked.value) levels.push(level)
    }
    candidate.levels = levels
  } else if (has('levels')) {
    candidate.levels = take('levels', readLevels(text('levels') ?? '')) ?? []
  }

  const columnOf = (path: string): ColumnRef => {
    const [, first = '', second = '', third = ''] = path.split('/')
    switch (first) {
      case '':
        return ref('secondLevel')
      case 'key':
        return has('key') ? ref('key') : ref('secondLevel')
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
        const c = level ? levelColumnOf.get(level) : levelColumns[0]
        if (c) return { letter: columnLetter(c.index), label: c.label }
        return ref('levels')
      }
      default:
        return first in columnNames ? ref(first as PlainField) : ref('secondLevel')
    }
  }
  return { row: r + 1, candidate, problems, columnOf }
}

/** 公开对象 as one text: 全社会、特定群体（面向…）. */
function readAudienceText(value: string) {
  const tokens = value.split(/[、,，;；\n]+/).map((t) => t.trim()).filter(Boolean)
  let pub = false
  let specific = false
  let group: string | undefined
  for (const token of tokens) {
    const n = normalizeLabel(token)
    if (n.startsWith('全社会')) pub = true
    else if (n.startsWith('特定群体') || token.startsWith('面向')) {
      specific = true
      const rest = token.replace(/^特定群体\s*[:：]?/, '').trim().replace(/^[（(](.*)[）)]$/s, '$1').trim()
      if (rest) group = rest
    }
  }
  return { public: pub, specificGroups: specific, ...(group ? { groupDescription: group } : {}) }
}
